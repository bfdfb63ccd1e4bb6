"""Views of the strategy process (thin: parse, call one service, render)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.richtext import render_markdown
from daks.core.tenancy import municipality_view

from . import selectors, services
from .documents import EXPORTERS, exporter_for, templates_for
from .forms import ChecklistToggleForm, ProcessForm, StepStatusForm
from .models import StepStatus, StrategyProcess
from .steps import all_steps, step_by_slug, toolbox_tools


def _process(request, pk) -> StrategyProcess:
    return get_object_or_404(request.municipality.processes.select_related("municipality"), pk=pk)


def _step(step_slug):
    definition = step_by_slug(step_slug)
    if definition is None:
        raise Http404("No such step")
    return definition


def _overview_url(process):
    return reverse("strategy:overview", kwargs={"municipality_slug": process.municipality.slug, "pk": process.pk})


@municipality_view("municipalities.view_municipality")
def process_list(request):
    municipality = request.municipality
    return render(
        request,
        "strategy/process_list.html",
        {"municipality": municipality, "processes": selectors.process_list(municipality=municipality)},
    )


@municipality_view("municipalities.edit_content")
@require_http_methods(["GET", "POST"])
def process_create(request):
    municipality = request.municipality
    form = ProcessForm(request.POST or None, municipality=municipality, initial={"coordinators": [request.user]})
    if request.method == "POST" and form.is_valid():
        try:
            process = services.process_create(actor=request.user, municipality=municipality, **form.service_kwargs())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The strategy process has been started."))
            return redirect(_overview_url(process))
    return render(request, "strategy/process_form.html", {"municipality": municipality, "form": form})


@municipality_view("municipalities.view_municipality")
def process_overview(request, pk):
    process = _process(request, pk)
    steps = [
        {
            "definition": definition,
            "number": definition.number,
            "status": definition.status(process),
            "progress": definition.progress(process),
            "next_actions": definition.next_actions(process),
            "url": definition.url(process),
        }
        for definition in all_steps()
    ]
    return render(
        request,
        "strategy/process_overview.html",
        {
            "municipality": request.municipality,
            "process": process,
            "coordinators": list(process.coordinators.all()),
            "steps": steps,
            "activity": selectors.process_activity(process),
        },
    )


@municipality_view("municipalities.edit_content")
@require_http_methods(["GET", "POST"])
def process_edit(request, pk):
    process = _process(request, pk)
    form = ProcessForm(
        request.POST or None, municipality=request.municipality, initial=ProcessForm.initial_for(process)
    )
    if request.method == "POST" and form.is_valid():
        try:
            process = services.process_update(
                actor=request.user,
                process=process,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except services.ProcessEditConflict as conflict:
            form.show_conflict(conflict.current)
            apply_domain_error(form, conflict)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The process has been saved."))
            return redirect(_overview_url(process))
    return render(
        request, "strategy/process_form.html", {"municipality": request.municipality, "process": process, "form": form}
    )


@municipality_view("municipalities.manage_team")
@require_http_methods(["GET", "POST"])
def process_delete(request, pk):
    process = _process(request, pk)
    if request.method == "POST":
        try:
            services.process_delete(actor=request.user, process=process)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The process “%(title)s” has been deleted.") % {"title": process.title})
            return redirect("strategy:list", municipality_slug=request.municipality.slug)
    return render(request, "strategy/process_delete.html", {"municipality": request.municipality, "process": process})


def _step_context(request, process, definition):
    guidance = selectors.step_guidance(definition.step)
    return {
        "municipality": request.municipality,
        "process": process,
        "step": definition,
        "steps": all_steps(),
        "status": definition.status(process),
        "progress": definition.progress(process),
        "checklist": definition.checklist(process),
        "guidance": guidance,
        "guidance_html": {
            "purpose": render_markdown(guidance.purpose),
            "participants": render_markdown(guidance.participants),
            "pitfalls": render_markdown(guidance.pitfalls),
        }
        if guidance
        else None,
        "documents": templates_for(definition.step),
        "formats": list(EXPORTERS),
        "tools": toolbox_tools(definition.step),
        "can_edit": request.user.has_perm("municipalities.edit_content", request.municipality),
        "can_coordinate": request.user.has_perm("municipalities.manage_team", request.municipality),
    }


@municipality_view("municipalities.view_municipality")
def step_detail(request, pk, step_slug):
    process = _process(request, pk)
    definition = _step(step_slug)
    return render(request, "strategy/step_detail.html", _step_context(request, process, definition))


@municipality_view("municipalities.edit_content")
@require_POST
def step_status(request, pk, step_slug):
    process = _process(request, pk)
    definition = _step(step_slug)
    form = StepStatusForm(request.POST)
    if form.is_valid():
        try:
            services.step_set_status(
                actor=request.user, process=process, step=definition.step, status=form.cleaned_data["status"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            labels = dict(StepStatus.choices)
            messages.success(
                request,
                _("The status of the step is now “%(status)s”.") % {"status": labels[form.cleaned_data["status"]]},
            )
    return redirect(definition.url(process))


@municipality_view("municipalities.edit_content")
@require_POST
def checklist_toggle(request, pk, step_slug):
    process = _process(request, pk)
    definition = _step(step_slug)
    form = ChecklistToggleForm(request.POST)
    error = None
    if form.is_valid():
        service = services.checklist_tick if form.cleaned_data["ticked"] else services.checklist_untick
        try:
            service(actor=request.user, process=process, step=definition.step, item_id=form.cleaned_data["item"])
        except DomainError as exc:
            error = exc.message
    else:
        error = _("The checklist could not be changed.")
    if getattr(request, "htmx", False):
        context = _step_context(request, process, definition)
        context["checklist_error"] = error
        return render(request, "strategy/step_detail.html#checklist", context)
    if error:
        messages.error(request, error)
    return redirect(definition.url(process) + "#checklist-heading")


@municipality_view("municipalities.view_municipality")
def document_download(request, pk, step_slug, identifier, extension):
    process = _process(request, pk)
    definition = _step(step_slug)
    exporter = exporter_for(definition.step, identifier, extension)
    if exporter is None:
        raise Http404("No such template")
    filename, mimetype, content = exporter.render(process)
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
