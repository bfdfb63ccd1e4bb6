"""The audit log of a Kommune for its Koordination (docs/security.md): who did what, when.

Every entry the services wrote for the Kommune (``AuditLogEntry.municipality``), in the wording of the activity
feed (daks.strategy.activity), newest first, filterable by kind of action and by person, 50 per page, and as a
CSV file with the same filters. Only the Koordination sees it (other members 403, non-members 404).
"""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from daks.core.models import AuditLogEntry
from daks.core.tenancy import municipality_view
from daks.strategy import activity

PER_PAGE = 50
PERMISSION = "municipalities.view_audit_log"

#: Kinds beyond those of a process's activity feed: entries about the Kommune itself, its data and its network.
EXTRA_KINDS: dict[str, tuple] = {
    "team": (gettext_lazy("Municipality and team"), ("municipality.", "account.")),
    "data": (gettext_lazy("Own data and projections"), ("demography.",)),
    "network": (
        gettext_lazy("Network, events, news and toolbox"),
        ("network.", "events.", "news.", "exchange.", "toolbox."),
    ),
    "api": (gettext_lazy("API and data portability"), ("api.", "portability.")),
}


def audit_kinds() -> dict[str, tuple]:
    return {**activity.KINDS, **EXTRA_KINDS}


def audit_entries(municipality, *, kind: str = "", actor_id: int | None = None) -> QuerySet[AuditLogEntry]:
    """The Kommune's audit entries, newest first, actors joined; optionally of one kind and by one person."""
    entries = AuditLogEntry.objects.filter(municipality=municipality)
    kinds = audit_kinds()
    if kind in kinds:
        condition = Q()
        for prefix in kinds[kind][1]:
            condition |= Q(action__startswith=prefix)
        entries = entries.filter(condition)
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    return entries.select_related("actor").order_by("-created_at", "-id")


def audit_people(municipality):
    """Everybody who appears as actor in the Kommune's audit log (members and former members)."""
    actor_ids = AuditLogEntry.objects.filter(municipality=municipality, actor__isnull=False).values("actor_id")
    return get_user_model().objects.filter(pk__in=actor_ids).only("pk", "name", "email").order_by("name", "email")


class AuditFilterForm(forms.Form):
    art = forms.ChoiceField(label=gettext_lazy("Kind of action"), required=False)
    person = forms.ChoiceField(label=gettext_lazy("Person"), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["art"].choices = [("", _("All kinds"))] + [
            (key, label) for key, (label, _prefixes) in audit_kinds().items()
        ]
        self.fields["person"].choices = [("", _("Everybody"))] + [
            (str(person.pk), f"{person.name} ({person.email})" if person.name else person.email) for person in people
        ]

    def filters(self) -> dict:
        """The valid filters (invalid values are ignored: the whole log is shown)."""
        if not self.is_valid():
            return {"kind": "", "actor_id": None}
        person = self.cleaned_data.get("person")
        return {"kind": self.cleaned_data.get("art") or "", "actor_id": int(person) if person else None}

    def query(self) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return urlencode({key: value for key, value in data.items() if value})


@municipality_view(PERMISSION)
@require_http_methods(["GET", "HEAD"])
def audit_log(request):
    municipality = request.municipality
    form = AuditFilterForm(request.GET or None, people=audit_people(municipality))
    page = Paginator(audit_entries(municipality, **form.filters()), PER_PAGE).get_page(request.GET.get("seite"))
    query = form.query() if request.GET else ""
    return render(
        request,
        "municipalities/audit_log.html",
        {
            "municipality": municipality,
            "form": form,
            "page": page,
            "entries": page.object_list,
            "query": query,
            "filtered": bool(query),
        },
    )


# --- CSV export -------------------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def _safe(text) -> str:
    """Defuse spreadsheet formulas (CSV injection): text starting with = + - @ gets a leading apostrophe."""
    text = str(text or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _csv_rows(entries, language: str):
    # The rows are produced while the response is streamed: the request's language is kept explicitly.
    with translation.override(language):
        yield ["\ufeff" + _("Date and time"), _("Person"), _("What"), _("Action code"), _("Object")]
        for entry in entries.iterator(chunk_size=1000):
            yield [
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                _safe(activity.actor_name(entry)),
                _safe(activity.describe(entry)),
                entry.action,
                _safe(entry.object_repr),
            ]


@municipality_view(PERMISSION)
@require_http_methods(["GET", "HEAD"])
def audit_log_csv(request):
    """The (filtered) log as semicolon-separated UTF-8 with BOM (opens correctly in German spreadsheets)."""
    municipality = request.municipality
    form = AuditFilterForm(request.GET or None, people=audit_people(municipality))
    writer = csv.writer(_Echo(), delimiter=";")
    rows = _csv_rows(audit_entries(municipality, **form.filters()), translation.get_language())
    response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8")
    filename = f"protokoll-{municipality.slug}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
