"""Views of the actors register (Akteursregister): thin — forms parse, services write, selectors read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view

from . import actor_io, actor_selectors, actor_services
from .actor_charts import matrix_svg, quadrant_labels
from .actor_forms import ActorFilterForm, ActorForm, ActorImportForm
from .steps import step_by_slug

VIEW = "municipalities.view_municipality"
EDIT = "municipalities.edit_content"


def _list_url(municipality) -> str:
    return reverse("strategy:actors", kwargs={"municipality_slug": municipality.slug})


def _can_edit(request) -> bool:
    return request.user.has_perm(EDIT, request.municipality)


def _render_list(request, *, process=None, step=None):
    municipality = request.municipality
    filter_form = ActorFilterForm(request.GET or None)
    actors = list(actor_selectors.actors_for_municipality(municipality, **filter_form.selector_kwargs()))
    return render(
        request,
        "strategy/actors/actor_list.html",
        {
            "municipality": municipality,
            "process": process,
            "step": step,
            "filter_form": filter_form,
            "filtered": any(request.GET.get(key) for key in ("suche", "sektor", "art")),
            "actors": actors,
            "can_edit": _can_edit(request),
        },
    )


@municipality_view(VIEW)
@require_http_methods(["GET", "HEAD"])
def actor_list(request):
    return _render_list(request)


@municipality_view(VIEW)
@require_http_methods(["GET", "HEAD"])
def actors_for_step(request, pk, step_slug):
    """The register in the context of a process step (page of the step registry)."""
    process = get_object_or_404(request.municipality.processes, pk=pk)
    step = step_by_slug(step_slug)
    if step is None:
        raise Http404("No such step")
    return _render_list(request, process=process, step=step)


@municipality_view(VIEW)
@require_http_methods(["GET", "HEAD"])
def actor_matrix(request):
    municipality = request.municipality
    actors = list(actor_selectors.actors_for_municipality(municipality, sort="prioritaet"))
    labels = quadrant_labels()
    rows = [(number, actor, labels[actor_selectors.quadrant(actor)]) for number, actor in enumerate(actors, 1)]
    title = _("Stakeholder matrix of %(name)s") % {"name": municipality.name}
    return render(
        request,
        "strategy/actors/actor_matrix.html",
        {
            "municipality": municipality,
            "rows": rows,
            "chart": matrix_svg(actors, title=title) if actors else "",
            "chart_title": title,
        },
    )


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def actor_create(request):
    municipality = request.municipality
    form = ActorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = actor_services.actor_create(actor=request.user, municipality=municipality, **form.service_kwargs())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The actor “%(name)s” has been added.") % {"name": record.name})
            return redirect(_list_url(municipality))
    return render(request, "strategy/actors/actor_form.html", {"municipality": municipality, "form": form})


@municipality_view(VIEW)
@require_http_methods(["GET", "POST"])
def actor_edit(request, pk):
    """Editors edit here; other members (Lesen) see the actor read-only and get 403 when they post."""
    municipality = request.municipality
    record = get_object_or_404(municipality.actors.select_related("created_by"), pk=pk)
    if not _can_edit(request):
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "strategy/actors/actor_detail.html", {"municipality": municipality, "record": record})
    form = ActorForm(request.POST or None, initial=ActorForm.initial_for(record))
    if request.method == "POST" and form.is_valid():
        try:
            record = actor_services.actor_update(
                actor=request.user,
                record=record,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except actor_services.ActorEditConflict as conflict:
            form.show_conflict(conflict.current)
            apply_domain_error(form, conflict)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The actor has been saved."))
            return redirect(_list_url(municipality))
    return render(
        request, "strategy/actors/actor_form.html", {"municipality": municipality, "form": form, "record": record}
    )


@municipality_view(EDIT)
@require_POST
def actor_delete(request, pk):
    record = get_object_or_404(request.municipality.actors, pk=pk)
    name = record.name
    actor_services.actor_delete(actor=request.user, record=record)
    messages.success(request, _("The actor “%(name)s” has been deleted.") % {"name": name})
    return redirect(_list_url(request.municipality))


@municipality_view(VIEW)
@require_http_methods(["GET", "HEAD"])
def actor_export(request, extension):
    municipality = request.municipality
    actors = actor_selectors.actors_for_municipality(municipality)
    stamp = timezone.localdate().isoformat()
    filename = f"akteure-{municipality.slug}-{stamp}.{extension}"
    if extension == "csv":
        response = HttpResponse(actor_io.export_csv(actors), content_type="text/csv; charset=utf-8")
    elif extension == "xlsx":
        response = HttpResponse(actor_io.export_xlsx(actors), content_type=actor_io.XLSX_MIME)
    else:
        raise Http404("Unknown format")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def actor_import(request):
    municipality = request.municipality
    form = ActorImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows, errors = actor_io.read_import_file(upload)
            if errors:
                raise actor_services.ActorImportError(errors)
            created = actor_services.actor_import(
                actor=request.user, municipality=municipality, rows=rows, source=upload.name or ""
            )
        except actor_io.ImportFileError as error:
            form.add_error("file", error.message)
        except actor_services.ActorImportError as error:
            errors = error.errors
            form.add_error("file", error.message)
        else:
            messages.success(request, _("%(count)s actors have been imported.") % {"count": len(created)})
            return redirect(_list_url(municipality))
    return render(
        request,
        "strategy/actors/actor_import.html",
        {"municipality": municipality, "form": form, "import_errors": errors},
    )
