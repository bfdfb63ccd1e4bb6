"""Views of the Werkstattplan (step 4): the plan document, goals, measures table, measure pages, kanban.

Thin: parse, call one service, render. Writes work with htmx (a partial is returned and the focus kept) and
without JavaScript (normal POST, then a redirect). Every object is looked up through the Kommune and the plan.
"""

import datetime

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.richtext import render_markdown
from daks.core.tenancy import municipality_view
from daks.strategy.models import Step, StrategyProcess
from daks.strategy.steps import STEPS, step_process

from . import presentation, selectors, services
from .forms import (
    GoalForm,
    MeasureForm,
    MilestoneForm,
    MilestoneFormSet,
    MoveForm,
    PlanTextForm,
    SavedFilterForm,
    StatusForm,
)
from .models import Measure, MeasureStatus, Plan

VIEW = "municipalities.view_municipality"
EDIT = "municipalities.edit_content"


def _plan(request, pk, step_slug) -> tuple[StrategyProcess, Plan]:
    process = step_process(request, pk, step_slug, Step.PLAN)
    plan = services.plan_get_or_create(process=process)
    plan.process = process
    plan.municipality = request.municipality
    return process, plan


def _kwargs(process) -> dict:
    return {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": STEPS[Step.PLAN].slug}


def _url(name: str, process, **extra) -> str:
    return reverse(f"plans:{name}", kwargs={**_kwargs(process), **extra})


def _context(request, process, plan, **extra) -> dict:
    definition = STEPS[Step.PLAN]
    return {
        "municipality": request.municipality,
        "process": process,
        "plan": plan,
        "step": definition,
        "step_pages": definition.page_links(process)[1:],
        "step_url": definition.url(process),
        "can_edit": request.user.has_perm(EDIT, request.municipality),
        **extra,
    }


def _measure(request, plan, measure_pk) -> Measure:
    measure = get_object_or_404(
        Measure.objects.filter(plan=plan, municipality=request.municipality).select_related(
            "field_of_action", "responsible_person"
        ),
        pk=measure_pk,
    )
    measure.plan = plan
    return measure


def _today() -> datetime.date:
    return datetime.date.today()


# --- The plan document --------------------------------------------------------------------------


def _render_document(request, process, plan, *, field_pk=None, focus="", status=""):
    tree = presentation.document_chapters(selectors.document_tree(plan, today=_today()), url_kwargs=_kwargs(process))
    context = _context(
        request,
        process,
        plan,
        tree=tree,
        new_measure_url=_url("measure_create", process),
        vision_html=render_markdown(plan.vision),
        introduction_html=render_markdown(plan.introduction),
        focus=focus,
        status=status,
    )
    if getattr(request, "htmx", False) and field_pk:
        node = next((node for node in tree if node["field"].pk == field_pk), None)
        if node is not None:
            context["node"] = node
            return render(request, "plans/document.html#chapter", context)
    return render(request, "plans/document.html", context)


@municipality_view(VIEW)
@require_GET
def document(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    return _render_document(request, process, plan)


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def text_edit(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    if request.method == "GET":
        form = PlanTextForm(initial={"vision": plan.vision, "introduction": plan.introduction, "version": plan.version})
    else:
        form = PlanTextForm(request.POST)
        if form.is_valid():
            try:
                services.plan_update(
                    plan=plan,
                    user=request.user,
                    vision=form.cleaned_data["vision"],
                    introduction=form.cleaned_data["introduction"],
                    version=form.cleaned_data["version"],
                )
            except services.PlanEditConflict as conflict:
                form.show_conflict(conflict.current)
                apply_domain_error(form, conflict)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The plan text has been saved."))
                return redirect(_url("document", process))
    return render(request, "plans/text_form.html", _context(request, process, plan, form=form))


# --- Goals --------------------------------------------------------------------------------------


def _goal(request, plan, goal_pk):
    goal = get_object_or_404(plan.goals.filter(municipality=request.municipality), pk=goal_pk)
    goal.plan = plan
    return goal


def _render_goals(request, process, plan, *, form=None, status_code=200):
    goals = selectors.goals_of_plan(plan)
    context = _context(
        request,
        process,
        plan,
        goals=goals,
        form=form or GoalForm(plan=plan),
        fields_url=reverse("profile:fields", kwargs={**_kwargs(process), "step_slug": STEPS[Step.PROFILE].slug}),
    )
    return render(request, "plans/goals.html", context, status=status_code)


@municipality_view(VIEW)
@require_GET
def goals(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    return _render_goals(request, process, plan)


@municipality_view(EDIT)
@require_POST
def goal_create(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    form = GoalForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            goal = services.goal_create(plan=plan, user=request.user, data=form.service_data())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The goal has been added."))
            return redirect(f"{_url('goals', process)}#goal-{goal.pk}")
    return _render_goals(request, process, plan, form=form, status_code=422)


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def goal_edit(request, pk, step_slug, goal_pk):
    process, plan = _plan(request, pk, step_slug)
    goal = _goal(request, plan, goal_pk)
    if request.method == "GET":
        form = GoalForm(plan=plan, initial=GoalForm.initial_for(goal))
    else:
        form = GoalForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                services.goal_update(
                    goal=goal, user=request.user, data=form.service_data(), version=form.cleaned_data["version"]
                )
            except services.GoalEditConflict as conflict:
                conflict.current.indicator_label = selectors.goal_indicator_label(conflict.current)
                form.show_conflict(conflict.current)
                apply_domain_error(form, conflict)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The goal has been saved."))
                return redirect(f"{_url('goals', process)}#goal-{goal.pk}")
    return render(request, "plans/goal_form.html", _context(request, process, plan, form=form, goal=goal))


@municipality_view(EDIT)
@require_POST
def goal_delete(request, pk, step_slug, goal_pk):
    process, plan = _plan(request, pk, step_slug)
    goal = _goal(request, plan, goal_pk)
    services.goal_delete(goal=goal, user=request.user)
    messages.success(request, _("The goal has been deleted."))
    return redirect(_url("goals", process))


@municipality_view(EDIT)
@require_POST
def goal_move(request, pk, step_slug, goal_pk):
    process, plan = _plan(request, pk, step_slug)
    goal = _goal(request, plan, goal_pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    direction = form.cleaned_data["direction"]
    services.goal_move(goal=goal, user=request.user, direction=direction)
    if request.htmx:
        return _render_document(
            request,
            process,
            plan,
            field_pk=goal.field_of_action_id,
            focus=f"goal-{direction}-{goal.pk}",
            status=_("Goal moved."),
        )
    return redirect(f"{_url('document', process)}#goal-{goal.pk}")


# --- Measures table -------------------------------------------------------------------------------


def _columns(request, current_sort: str):
    from django.utils.translation import gettext_lazy

    labels = [
        ("number", gettext_lazy("No.")),
        ("title", gettext_lazy("Measure")),
        ("status", gettext_lazy("Status")),
        ("responsible", gettext_lazy("Responsible")),
        ("end", gettext_lazy("Period")),
        ("milestone", gettext_lazy("Next milestone")),
        ("progress", gettext_lazy("Progress")),
        ("budget", gettext_lazy("Budget (EUR)")),
    ]
    params = request.GET.copy()
    columns = []
    for key, label in labels:
        if current_sort == key:
            aria, next_sort = "ascending", f"-{key}"
        elif current_sort == f"-{key}":
            aria, next_sort = "descending", key
        else:
            aria, next_sort = "", key
        params["sort"] = next_sort
        columns.append({"key": key, "label": label, "aria_sort": aria, "url": f"?{params.urlencode()}"})
    return columns


@municipality_view(VIEW)
@require_GET
def measures(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    filters = selectors.MeasureFilter.from_query(request.GET)
    sort = request.GET.get("sort", "number")
    if sort.lstrip("-") not in selectors.SORTS:
        sort = "number"
    rows = presentation.table_rows(
        selectors.measure_table(plan, filters, sort=sort, today=_today()).values(*presentation.TABLE_FIELDS),
        numbers=selectors.measure_numbers(plan),
        detail_url=presentation.url_maker("plans:measure_detail", _kwargs(process), "measure_pk"),
    )
    query = selectors.normalise_filter_query(request.GET.urlencode())
    context = _context(
        request,
        process,
        plan,
        rows=rows,
        filters=filters,
        choices=selectors.filter_choices(plan),
        columns=_columns(request, sort),
        saved_filters=list(selectors.saved_filters(plan)),
        current_query=query,
        filter_form=SavedFilterForm(initial={"query": query}),
        total=Measure.objects.filter(plan=plan).count() if filters.active else len(rows),
    )
    return render(request, "plans/measures.html", context)


@municipality_view(EDIT)
@require_POST
def saved_filter_create(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    form = SavedFilterForm(request.POST)
    query = request.POST.get("query", "")
    if form.is_valid():
        try:
            saved = services.saved_filter_create(
                plan=plan, user=request.user, name=form.cleaned_data["name"], query=query
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The filter has been saved for the team."))
            return redirect(f"{_url('measures', process)}?{saved.query}")
    else:
        messages.error(request, _("Please name the filter."))
    normalised = selectors.normalise_filter_query(query)
    return redirect(f"{_url('measures', process)}?{normalised}" if normalised else _url("measures", process))


@municipality_view(EDIT)
@require_POST
def saved_filter_delete(request, pk, step_slug, filter_pk):
    process, plan = _plan(request, pk, step_slug)
    saved = get_object_or_404(plan.saved_filters.all(), pk=filter_pk)
    saved.plan = plan
    services.saved_filter_delete(saved_filter=saved, user=request.user)
    messages.success(request, _("The saved filter has been deleted."))
    return redirect(_url("measures", process))


# --- Measure pages ----------------------------------------------------------------------------------


def _measure_form(plan, *args, **kwargs) -> MeasureForm:
    return MeasureForm(*args, plan=plan, goals=selectors.goals_of_plan(plan), **kwargs)


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def measure_create(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    initial = {}
    field = request.GET.get("field")
    if field and field.isdigit():
        initial["field_of_action"] = int(field)
    if request.method == "GET":
        form = _measure_form(plan, initial=initial)
        milestones = MilestoneFormSet(prefix="milestones")
    else:
        form = _measure_form(plan, request.POST)
        milestones = MilestoneFormSet(request.POST, prefix="milestones")
        if form.is_valid() and milestones.is_valid():
            data = form.service_data()
            data["milestones"] = [row for row in milestones.cleaned_data if row.get("title")]
            try:
                measure = services.measure_create(plan=plan, user=request.user, data=data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The measure has been added."))
                return redirect(_url("measure_detail", process, measure_pk=measure.pk))
    context = _context(request, process, plan, form=form, milestone_formset=milestones, measure=None)
    return render(request, "plans/measure_form.html", context, status=422 if request.method == "POST" else 200)


def _milestones_context(request, process, plan, measure, *, form=None, focus="", status=""):
    today = _today()
    items = list(measure.milestones.order_by("due_date", "id"))
    for item in items:
        item.is_overdue = item.done_on is None and item.due_date < today
    back = request.POST.get("next", "") if request.method == "POST" else request.path
    if not back or not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = _url("measure_detail", process, measure_pk=measure.pk)
    return {
        "measure": measure,
        "milestones_next": back,
        "milestones": items,
        "milestone_form": form or MilestoneForm(prefix="milestone"),
        "milestone_focus": focus,
        "milestone_status": status,
    }


@municipality_view(VIEW)
@require_GET
def measure_detail(request, pk, step_slug, measure_pk):
    process, plan = _plan(request, pk, step_slug)
    measure = _measure(request, plan, measure_pk)
    numbering = selectors.plan_numbering(plan)
    measure.number = numbering.measures.get(measure.pk, "")
    goals = list(measure.goals.select_related("field_of_action"))
    for goal in goals:
        goal.number = numbering.goals.get(goal.pk, "")
    goals.sort(key=lambda goal: selectors._number_key(goal.number))
    context = _context(
        request,
        process,
        plan,
        goals=goals,
        partners=list(measure.partners.order_by("name")),
        description_html=render_markdown(measure.description),
        target_group_labels=_target_group_labels(measure),
        tools=selectors.linked_tools(measure),
        ideas=selectors.linked_ideas(measure),
        **_milestones_context(request, process, plan, measure),
    )
    context["measure"].is_overdue = selectors.measure_is_overdue(measure, _today())
    return render(request, "plans/measure_detail.html", context)


def _target_group_labels(measure) -> list[str]:
    from .models import TargetGroup

    return [label for value, label in TargetGroup.choices if value in set(measure.target_groups or [])]


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def measure_edit(request, pk, step_slug, measure_pk):
    process, plan = _plan(request, pk, step_slug)
    measure = _measure(request, plan, measure_pk)
    if request.method == "GET":
        form = _measure_form(plan, initial=MeasureForm.initial_for(measure))
    else:
        form = _measure_form(plan, request.POST)
        if form.is_valid():
            try:
                services.measure_update(
                    measure=measure, user=request.user, data=form.service_data(), version=form.cleaned_data["version"]
                )
            except services.MeasureEditConflict as conflict:
                form.show_conflict(conflict.current)
                apply_domain_error(form, conflict)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The measure has been saved."))
                return redirect(_url("measure_detail", process, measure_pk=measure.pk))
    context = _context(request, process, plan, form=form, **_milestones_context(request, process, plan, measure))
    return render(request, "plans/measure_form.html", context, status=422 if request.method == "POST" else 200)


@municipality_view(EDIT)
@require_POST
def measure_delete(request, pk, step_slug, measure_pk):
    process, plan = _plan(request, pk, step_slug)
    measure = _measure(request, plan, measure_pk)
    services.measure_delete(measure=measure, user=request.user)
    messages.success(request, _("The measure has been deleted."))
    return redirect(_url("measures", process))


@municipality_view(EDIT)
@require_POST
def measure_move(request, pk, step_slug, measure_pk):
    process, plan = _plan(request, pk, step_slug)
    measure = _measure(request, plan, measure_pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    direction = form.cleaned_data["direction"]
    services.measure_move(measure=measure, user=request.user, direction=direction)
    if request.htmx:
        return _render_document(
            request,
            process,
            plan,
            field_pk=measure.field_of_action_id,
            focus=f"measure-{direction}-{measure.pk}",
            status=_("Measure moved."),
        )
    return redirect(f"{_url('document', process)}#measure-{measure.pk}")


# --- Milestones -----------------------------------------------------------------------------------


def _render_milestones(request, process, plan, measure, **kwargs):
    context = _context(request, process, plan, **_milestones_context(request, process, plan, measure, **kwargs))
    return render(request, "plans/includes/milestones.html", context)


def _back_to_milestones(request, process, measure):
    target = request.POST.get("next", "")
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = _url("measure_detail", process, measure_pk=measure.pk)
    return redirect(f"{target}#milestones")


@municipality_view(EDIT)
@require_POST
def milestone_add(request, pk, step_slug, measure_pk):
    process, plan = _plan(request, pk, step_slug)
    measure = _measure(request, plan, measure_pk)
    form = MilestoneForm(request.POST, prefix="milestone")
    if form.is_valid():
        try:
            services.milestone_add(measure=measure, user=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if request.htmx:
                return _render_milestones(request, process, plan, measure, focus="add", status=_("Milestone added."))
            messages.success(request, _("The milestone has been added."))
            return _back_to_milestones(request, process, measure)
    if request.htmx:
        return _render_milestones(request, process, plan, measure, form=form, focus="add")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return _back_to_milestones(request, process, measure)


def _milestone(measure, milestone_pk):
    milestone = get_object_or_404(measure.milestones.all(), pk=milestone_pk)
    milestone.measure = measure
    return milestone


@municipality_view(EDIT)
@require_POST
def milestone_toggle(request, pk, step_slug, measure_pk, milestone_pk):
    process, plan = _plan(request, pk, step_slug)
    measure = _measure(request, plan, measure_pk)
    milestone = services.milestone_toggle_done(
        milestone=_milestone(measure, milestone_pk), user=request.user, today=_today()
    )
    status = _("Milestone marked as reached.") if milestone.done_on else _("Milestone marked as open.")
    if request.htmx:
        return _render_milestones(request, process, plan, measure, focus=f"toggle-{milestone.pk}", status=status)
    messages.success(request, status)
    return _back_to_milestones(request, process, measure)


@municipality_view(EDIT)
@require_POST
def milestone_delete(request, pk, step_slug, measure_pk, milestone_pk):
    process, plan = _plan(request, pk, step_slug)
    measure = _measure(request, plan, measure_pk)
    services.milestone_delete(milestone=_milestone(measure, milestone_pk), user=request.user)
    if request.htmx:
        return _render_milestones(request, process, plan, measure, focus="heading", status=_("Milestone deleted."))
    messages.success(request, _("The milestone has been deleted."))
    return _back_to_milestones(request, process, measure)


# --- Kanban ---------------------------------------------------------------------------------------


def _render_kanban(request, process, plan, *, focus="", status="", error=""):
    context = _context(
        request,
        process,
        plan,
        columns=selectors.kanban_columns(plan, today=_today()),
        statuses=MeasureStatus.choices,
        focus=focus,
        status=status,
        error=error,
    )
    if getattr(request, "htmx", False):
        return render(request, "plans/kanban.html#board", context)
    return render(request, "plans/kanban.html", context)


@municipality_view(VIEW)
@require_GET
def kanban(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    return _render_kanban(request, process, plan)


@municipality_view(EDIT)
@require_POST
def measure_status(request, pk, step_slug, measure_pk):
    """The kanban move: set the status (optimistic locking with the card's version)."""
    process, plan = _plan(request, pk, step_slug)
    measure = _measure(request, plan, measure_pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    status = form.cleaned_data["status"]
    try:
        services.measure_set_status(
            measure=measure, user=request.user, status=status, version=form.cleaned_data["version"]
        )
    except DomainError as error:
        if request.htmx:
            return _render_kanban(request, process, plan, focus=f"card-{measure.pk}", error=error.message)
        messages.error(request, error.message)
        return redirect(f"{_url('kanban', process)}#card-{measure.pk}")
    message = _("“%(title)s” moved to “%(status)s”.") % {
        "title": measure.title,
        "status": MeasureStatus(status).label,
    }
    if request.htmx:
        return _render_kanban(request, process, plan, focus=f"card-{measure.pk}", status=message)
    messages.success(request, message)
    return redirect(f"{_url('kanban', process)}#card-{measure.pk}")


# --- My measures ----------------------------------------------------------------------------------


@municipality_view(VIEW)
@require_GET
def my_measures(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    rows = selectors.number_rows(plan, selectors.my_measures(request.user, plan=plan, today=_today()))
    return render(request, "plans/my_measures.html", _context(request, process, plan, rows=rows))
