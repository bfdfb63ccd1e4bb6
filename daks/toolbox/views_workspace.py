"""The Werkzeugkoffer inside the workspace of a Kommune (thin views: parse, call one service, render).

- "Matching tools" of step 2 (Kommunalprofil): recommendations from the SWOT analysis and the fields of action.
- Tools of a measure of the Werkstattplan: search, link, unlink (works without JavaScript).
- Best practice submitted by the Kommune and the list of its submissions with their status.
"""

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view
from daks.plans.models import Measure
from daks.strategy.models import Step
from daks.strategy.steps import STEPS, step_process

from . import search, selectors, semantic, services
from .forms_workspace import SubmissionForm, ToolChoiceForm, ToolSearchForm
from .models import Tool

VIEW = "municipalities.view_municipality"
EDIT = "municipalities.edit_content"
SEARCH_LIMIT = 20


def _step_context(request, process, step: Step, **extra) -> dict:
    definition = STEPS[step]
    return {
        "municipality": request.municipality,
        "process": process,
        "step": definition,
        "step_pages": definition.page_links(process)[1:],
        "step_url": definition.url(process),
        "can_edit": request.user.has_perm(EDIT, request.municipality),
        **extra,
    }


def _step_kwargs(process, step: Step) -> dict:
    return {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": STEPS[step].slug}


# --- Recommendations (step 2) ---------------------------------------------------------------------------


@municipality_view(VIEW)
@require_GET
def recommendations(request, pk, step_slug):
    from daks.profile.models import FieldOfAction, Quadrant, SwotItem

    process = step_process(request, pk, step_slug, Step.PROFILE)
    found = selectors.recommend_for_process(process)
    has_sources = True
    if not found:
        has_sources = (
            SwotItem.objects.filter(process=process, quadrant__in=[Quadrant.WEAKNESS, Quadrant.THREAT]).exists()
            or FieldOfAction.objects.filter(process=process).exists()
        )
    kwargs = _step_kwargs(process, Step.PROFILE)
    context = _step_context(
        request,
        process,
        Step.PROFILE,
        recommendations=found,
        has_sources=has_sources,
        by_meaning=semantic.available(),
        swot_url=reverse("profile:swot", kwargs=kwargs),
        fields_url=reverse("profile:fields", kwargs=kwargs),
    )
    return render(request, "toolbox/workspace/recommendations.html", context)


# --- Tools of a measure (step 4) ------------------------------------------------------------------------


def _get_measure(request, process, measure_pk) -> Measure:
    """The measure ``measure_pk`` of the process's Werkstattplan, looked up through the Kommune, or 404."""
    measure = get_object_or_404(
        Measure.objects.select_related("plan", "field_of_action"),
        plan__process=process,
        municipality=request.municipality,
        pk=measure_pk,
    )
    measure.plan.process = process
    measure.plan.municipality = request.municipality
    return measure


def _measure_tools_url(process, measure, query: str = "") -> str:
    url = reverse(
        "toolbox_process:measure_tools", kwargs={**_step_kwargs(process, Step.PLAN), "measure_pk": measure.pk}
    )
    if query:
        from urllib.parse import urlencode

        url = f"{url}?{urlencode({'q': query})}"
    return url


def _back(request, process, measure, next_url: str) -> str:
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return _measure_tools_url(process, measure)


@municipality_view(EDIT)
@require_GET
def measure_tools(request, pk, step_slug, measure_pk):
    """Search published tools and link them to the measure; the linked ones can be removed here, too."""
    process = step_process(request, pk, step_slug, Step.PLAN)
    measure = _get_measure(request, process, measure_pk)
    form = ToolSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    terms = search.parse_query(query)
    linked = selectors.linked_tools(measure)
    linked_ids = {tool.pk for tool in linked}
    results: list[Tool] = []
    if terms:
        results = list(search.match(selectors.published_tools(), terms).order_by("-rank", "title")[:SEARCH_LIMIT])
        for tool in results:
            tool.title_html = search.highlight(tool.title, terms)
            tool.is_linked = tool.pk in linked_ids
    context = _step_context(
        request,
        process,
        Step.PLAN,
        measure=measure,
        form=form,
        query=query,
        searched=bool(query),
        results=results,
        tools=linked,
        here=request.get_full_path(),
        measure_url=reverse(
            "plans:measure_detail", kwargs={**_step_kwargs(process, Step.PLAN), "measure_pk": measure.pk}
        ),
    )
    return render(request, "toolbox/workspace/measure_tools.html", context)


@municipality_view(EDIT)
@require_POST
def measure_tool_link(request, pk, step_slug, measure_pk):
    process = step_process(request, pk, step_slug, Step.PLAN)
    measure = _get_measure(request, process, measure_pk)
    form = ToolChoiceForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Please choose a tool."))
    tool = get_object_or_404(Tool, pk=form.cleaned_data["tool"])
    try:
        services.measure_tool_link(municipality=request.municipality, measure=measure, tool=tool, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("“%(tool)s” is now linked to the measure “%(measure)s”.")
            % {"tool": tool.title, "measure": measure.title},
        )
    return redirect(_back(request, process, measure, form.cleaned_data["next"]))


@municipality_view(EDIT)
@require_POST
def measure_tool_unlink(request, pk, step_slug, measure_pk, tool_pk):
    process = step_process(request, pk, step_slug, Step.PLAN)
    measure = _get_measure(request, process, measure_pk)
    tool = get_object_or_404(Tool, pk=tool_pk)
    try:
        services.measure_tool_unlink(municipality=request.municipality, measure=measure, tool=tool, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("“%(tool)s” is no longer linked to the measure “%(measure)s”.")
            % {"tool": tool.title, "measure": measure.title},
        )
    return redirect(_back(request, process, measure, request.POST.get("next", "")))


# --- Submissions of the Kommune -------------------------------------------------------------------------


def municipality_submissions(municipality) -> QuerySet:
    """Tools the Kommune submitted itself (not editorial content crediting it), newest first."""
    return (
        Tool.objects.filter(origin_municipality=municipality, is_editorial=False)
        .select_related("submitted_by")
        .order_by("-created_at", "-id")
    )


@municipality_view(VIEW)
@require_GET
def submissions(request):
    context = {
        "municipality": request.municipality,
        "submissions": list(municipality_submissions(request.municipality)),
        "can_edit": request.user.has_perm(EDIT, request.municipality),
    }
    return render(request, "toolbox/workspace/submissions.html", context)


def _returned(request) -> Tool | None:
    """The returned submission named by ``?aus=<id>`` (revising it), None without one; 404 for anything else —
    another Kommune's tool, an editorial tool, one not waiting for revision."""
    raw = request.GET.get("aus", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    tool = services.returned_submission(municipality=request.municipality, pk=int(raw))
    if tool is None:
        raise Http404
    return tool


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def submit(request):
    """Submit best practice, or — with ``?aus=<id>`` — revise a submission the editorial office returned."""
    returned = _returned(request)
    if request.method == "POST":
        form = SubmissionForm(request.POST)
    else:
        form = SubmissionForm(initial=SubmissionForm.initial_for(returned) if returned else None)
    if request.method == "POST" and form.is_valid():
        try:
            if returned is None:
                tool = services.tool_submit_from_municipality(
                    municipality=request.municipality,
                    user=request.user,
                    data=form.service_data(),
                    credit_name=form.cleaned_data["credit_name"],
                )
            else:
                tool = services.submission_resubmit(
                    municipality=request.municipality,
                    user=request.user,
                    tool=returned,
                    data=form.service_data(),
                    version=form.cleaned_data["version"],
                    credit_name=form.cleaned_data["credit_name"],
                )
        except services.EditConflict as conflict:
            form.show_conflict(conflict.current)
            apply_domain_error(form, conflict)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you! “%(title)s” has been sent to the editorial office of the toolbox. "
                    "It will be published after a review."
                )
                % {"title": tool.title},
            )
            return redirect("toolbox_municipality:submissions", municipality_slug=request.municipality.slug)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "toolbox/workspace/submit.html",
        {"municipality": request.municipality, "form": form, "returned": returned},
        status=status,
    )
