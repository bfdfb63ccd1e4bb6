"""Deleting a Kommune's whole workspace with a grace period (DSGVO Art. 17), see docs/deletion.md.

The Koordination requests the deletion (name of the Kommune + password); the Kommune is then *scheduled*:
members keep working (and can take their data with them, ``portability:overview``), every member is told by e-mail,
the public portrait and the published plans go offline at once, any Koordination member can cancel (which puts
them back online). Once ``deletion_scheduled_for`` has passed, ``purge_due_municipalities`` (run daily by the
``purge_deletions`` command / task) deletes the Kommune with everything that belongs to it (CASCADE) and the
uploaded files.

``deletion_summary`` and the purge use the same Django ``Collector`` that the deletion itself uses, so the summary
shows exactly what will be removed.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models.deletion import Collector
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.core.mail import send_templated_mail

from .models import Membership, Municipality

#: The most telling kinds of content, shown first in the summary (the full list follows below them).
HEADLINE_MODELS = (
    "strategy.StrategyProcess",
    "plans.Plan",
    "plans.Measure",
    "workshops.Workshop",
    "workshops.Idea",
    "meetings.Meeting",
    "strategy.Task",
    "strategy.Actor",
    "profile.InventoryItem",
    "profile.Interview",
    "reviews.Survey",
    "comments.Comment",
    "news.NewsItem",
    "demography.Dataset",
    "municipalities.Membership",
    "municipalities.Invitation",
)


def grace_days() -> int:
    """Days between the request and the purge (setting ``DAKS_DELETION_GRACE_DAYS``, default 30)."""
    return int(getattr(settings, "DAKS_DELETION_GRACE_DAYS", 30))


# --- What goes ----------------------------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    count: int


@dataclass
class DeletionSummary:
    """What deleting a Kommune removes, counted with the collector the deletion uses."""

    headline: list[Row] = field(default_factory=list)  # processes, plans, workshops, members … (non-zero only)
    details: list[Row] = field(default_factory=list)  # every kind of record, alphabetically
    kept: list[Row] = field(default_factory=list)  # records that stay without the Kommune (toolbox, exchange)
    files: int = 0  # uploaded files removed from the storage
    records: int = 0  # all records together
    portrait_public: bool = False
    published_plans: int = 0


def _collector(objs) -> Collector:
    collector = Collector(using=DEFAULT_DB_ALIAS, origin=objs[0] if objs else None)
    collector.collect(objs)
    return collector


def _collected_querysets(collector: Collector):
    """(model, queryset or set of instances) for every group of records the collector will delete."""
    yield from collector.data.items()
    for queryset in collector.fast_deletes:
        yield queryset.model, queryset


def _count(objs) -> int:
    return objs.count() if isinstance(objs, models.QuerySet) else len(objs)


def _file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def collected_files(collector: Collector) -> list[tuple[object, str]]:
    """(storage, name) of every uploaded file referenced by a record the collector will delete."""
    files = []
    for model, objs in _collected_querysets(collector):
        file_fields = _file_fields(model)
        if not file_fields:
            continue
        names = [f.attname for f in file_fields]
        if isinstance(objs, models.QuerySet):
            rows = list(objs.values_list(*names))
        else:  # instances (possibly loaded with only their keys): read the names in a few queries
            pks = [obj.pk for obj in objs]
            rows = []
            for start in range(0, len(pks), 500):
                rows += model._base_manager.filter(pk__in=pks[start : start + 500]).values_list(*names)
        for row in rows:
            files.extend((f.storage, str(name)) for f, name in zip(file_fields, row, strict=True) if name)
    return files


def _delete_files(files: list[tuple[object, str]]) -> None:
    for storage, name in files:
        with contextlib.suppress(OSError):  # a file already gone or unreadable must not stop the others
            storage.delete(name)


def collected_counts(collector: Collector) -> dict[type[models.Model], int]:
    counts: dict[type[models.Model], int] = defaultdict(int)
    for model, objs in _collected_querysets(collector):
        if model._meta.auto_created:  # many-to-many link tables
            continue
        counts[model] += _count(objs)
    return {model: count for model, count in counts.items() if count}


def kept_counts(collector: Collector, *, exclude=None) -> dict[type[models.Model], int]:
    """Records that stay, with the reference to what is deleted emptied (SET_NULL), distinct per model.

    ``exclude(model, queryset)`` may narrow a queryset (e.g. leave out records deleted anyway).
    """
    pks: dict[type[models.Model], set] = defaultdict(set)
    for (field_, _value), groups in collector.field_updates.items():
        model = field_.model
        for objs in groups:
            if isinstance(objs, models.QuerySet):
                queryset = exclude(model, objs) if exclude else objs
                pks[model].update(queryset.values_list("pk", flat=True))
            else:
                pks[model].update(obj.pk for obj in objs)
    for model, objs in _collected_querysets(collector):  # records deleted anyway do not "stay"
        if model in pks:
            pks[model] -= (
                set(objs.values_list("pk", flat=True))
                if isinstance(objs, models.QuerySet)
                else {obj.pk for obj in objs}
            )
    return {model: len(values) for model, values in pks.items() if values}


def _rows(counts: dict) -> list[Row]:
    return sorted((Row(str(model._meta.verbose_name_plural), count) for model, count in counts.items()), key=_key)


def _key(row: Row):
    return row.label.casefold()


def deletion_summary(municipality: Municipality) -> DeletionSummary:
    collector = _collector([municipality])
    counts = collected_counts(collector)
    counts.pop(Municipality, None)
    by_label = {model._meta.label: count for model, count in counts.items()}
    summary = DeletionSummary(
        headline=[
            Row(str(apps.get_model(label)._meta.verbose_name_plural), by_label[label])
            for label in HEADLINE_MODELS
            if by_label.get(label)
        ],
        details=_rows(counts),
        kept=_rows(kept_counts(collector)),
        files=len(collected_files(collector)),
        records=sum(counts.values()),
    )
    summary.portrait_public, summary.published_plans = _public_state(municipality)
    return summary


def _public_state(municipality: Municipality) -> tuple[bool, int]:
    portrait_public = published_plans = 0
    if apps.is_installed("daks.network"):
        portrait_public = (
            apps.get_model("network", "Portrait").objects.filter(municipality=municipality, is_public=True).exists()
        )
    if apps.is_installed("daks.plans"):
        published_plans = (
            apps.get_model("plans", "Plan")
            .objects.filter(municipality=municipality, published_version__isnull=False)
            .count()
        )
    return bool(portrait_public), published_plans


def municipality_destroy(municipality: Municipality) -> int:
    """Delete ``municipality`` with everything that belongs to it; the uploaded files go after the commit.

    Returns the number of files removed. The caller writes the audit entry (and holds the transaction).
    """
    collector = _collector([municipality])
    files = collected_files(collector)
    collector.delete()
    transaction.on_commit(lambda: _delete_files(files))
    return len(files)


# --- Request, cancel, purge ---------------------------------------------------------------------------------------


def _members(municipality: Municipality) -> list[tuple[str, str]]:
    return list(
        Membership.objects.filter(municipality=municipality, user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", "user__language")
    )


def _notify(template: str, municipality: Municipality, recipients: list[tuple[str, str]], **context) -> None:
    context = {"municipality": municipality, "name": municipality.name, **context}

    def send():
        for email, language in recipients:
            send_templated_mail(f"municipalities/email/{template}", context, [email], language=language or "de")

    transaction.on_commit(send)


def _lock(municipality: Municipality) -> Municipality:
    return Municipality.objects.select_for_update().get(pk=municipality.pk)


def _hide_public_pages(municipality: Municipality) -> dict:
    """Take the portrait and the published plans offline; returns what to restore on cancelling."""
    hidden: dict = {"portrait": False, "plans": []}
    if apps.is_installed("daks.network"):
        hidden["portrait"] = bool(
            apps.get_model("network", "Portrait")
            .objects.filter(municipality=municipality, is_public=True)
            .update(is_public=False)
        )
    if apps.is_installed("daks.plans"):
        plans = apps.get_model("plans", "Plan").objects.filter(
            municipality=municipality, published_version__isnull=False
        )
        hidden["plans"] = [
            [pk, version, published_at.isoformat() if published_at else None]
            for pk, version, published_at in plans.values_list("pk", "published_version_id", "published_at")
        ]
        plans.update(published_version=None, published_at=None)
    return hidden


def _restore_public_pages(municipality: Municipality, hidden: dict) -> None:
    """Put back what ``_hide_public_pages`` took offline, unless it changed or went in the meantime."""
    if hidden.get("portrait") and apps.is_installed("daks.network"):
        apps.get_model("network", "Portrait").objects.filter(municipality=municipality).update(is_public=True)
    if hidden.get("plans") and apps.is_installed("daks.plans"):
        plan_model = apps.get_model("plans", "Plan")
        version_model = apps.get_model("plans", "PlanVersion")
        for pk, version, published_at in hidden["plans"]:
            if not version_model.objects.filter(pk=version, plan_id=pk).exists():
                continue
            plan_model.objects.filter(pk=pk, municipality=municipality, published_version__isnull=True).update(
                published_version_id=version,
                published_at=datetime.fromisoformat(published_at) if published_at else timezone.now(),
            )


@transaction.atomic
def municipality_deletion_request(
    *, actor, municipality: Municipality, confirm_name: str, password: str, now: datetime | None = None
) -> Municipality:
    """Schedule the deletion of ``municipality`` in ``grace_days()`` days (Koordination only)."""
    municipality = _lock(municipality)
    if not actor.has_perm("municipalities.delete_municipality", municipality):
        raise DomainError(_("Only the coordination can delete the municipality."))
    if municipality.deletion_pending:
        raise DomainError(_("The deletion of this municipality has already been requested."))
    if " ".join((confirm_name or "").split()) != municipality.name:
        raise DomainError(
            _("Please type the exact name of the municipality to confirm the deletion."), field="confirm_name"
        )
    if not password or not actor.check_password(password):
        raise DomainError(_("The password is not correct."), field="password")
    now = now or timezone.now()
    municipality.deletion_requested_at = now
    municipality.deletion_scheduled_for = now + timedelta(days=grace_days())
    municipality.deletion_requested_by = actor
    municipality.deletion_hidden = _hide_public_pages(municipality)
    municipality.save(
        update_fields=[
            "deletion_requested_at",
            "deletion_scheduled_for",
            "deletion_requested_by",
            "deletion_hidden",
            "updated_at",
        ]
    )
    log_action(
        "municipality.deletion_requested",
        actor=actor,
        municipality=municipality,
        obj=municipality,
        scheduled_for=municipality.deletion_scheduled_for.isoformat(),
        portrait_hidden=municipality.deletion_hidden["portrait"],
        plans_hidden=len(municipality.deletion_hidden["plans"]),
    )
    _notify(
        "deletion_requested",
        municipality,
        _members(municipality),
        requested_by=actor.name or actor.email,
        scheduled_for=municipality.deletion_scheduled_for,
        url=settings.DAKS_BASE_URL + reverse("municipalities:delete", kwargs={"municipality_slug": municipality.slug}),
        home_url=settings.DAKS_BASE_URL + municipality.get_absolute_url(),
    )
    return municipality


@transaction.atomic
def municipality_deletion_cancel(*, actor, municipality: Municipality) -> Municipality:
    """Keep ``municipality``: any Koordination member can cancel a requested deletion during the grace period."""
    municipality = _lock(municipality)
    if not actor.has_perm("municipalities.delete_municipality", municipality):
        raise DomainError(_("Only the coordination can cancel the deletion."))
    if not municipality.deletion_pending:
        raise DomainError(_("The deletion of this municipality is not scheduled (any more)."))
    _restore_public_pages(municipality, municipality.deletion_hidden or {})
    scheduled_for = municipality.deletion_scheduled_for
    municipality.deletion_requested_at = None
    municipality.deletion_scheduled_for = None
    municipality.deletion_requested_by = None
    municipality.deletion_hidden = {}
    municipality.save(
        update_fields=[
            "deletion_requested_at",
            "deletion_scheduled_for",
            "deletion_requested_by",
            "deletion_hidden",
            "updated_at",
        ]
    )
    log_action(
        "municipality.deletion_cancelled",
        actor=actor,
        municipality=municipality,
        obj=municipality,
        scheduled_for=scheduled_for.isoformat(),
    )
    _notify(
        "deletion_cancelled",
        municipality,
        _members(municipality),
        cancelled_by=actor.name or actor.email,
        home_url=settings.DAKS_BASE_URL + municipality.get_absolute_url(),
    )
    return municipality


def due_municipalities(*, now: datetime | None = None):
    now = now or timezone.now()
    return Municipality.objects.filter(deletion_scheduled_for__lte=now).order_by("deletion_scheduled_for", "pk")


@transaction.atomic
def municipality_purge(*, municipality: Municipality, now: datetime | None = None) -> int | None:
    """Delete ``municipality`` when its grace period is over; returns the number of files removed (None: not due)."""
    now = now or timezone.now()
    municipality = Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    if municipality is None or municipality.deletion_scheduled_for is None or municipality.deletion_scheduled_for > now:
        return None
    recipients = _members(municipality)
    name, official_key = municipality.name, municipality.official_key
    requested_at = municipality.deletion_requested_at
    files = municipality_destroy(municipality)
    log_action(
        "municipality.purged",
        obj=name,
        official_key=official_key,
        requested_at=requested_at.isoformat() if requested_at else None,
        files=files,
    )
    _notify("deleted", municipality, recipients, deleted_at=now)
    return files


def purge_due_municipalities(*, now: datetime | None = None) -> list[tuple[str, int]]:
    """Purge every Kommune whose grace period is over: [(name, files removed)] (one transaction per Kommune)."""
    now = now or timezone.now()
    done = []
    for municipality in list(due_municipalities(now=now)):
        name = municipality.name
        files = municipality_purge(municipality=municipality, now=now)
        if files is not None:
            done.append((name, files))
    return done
