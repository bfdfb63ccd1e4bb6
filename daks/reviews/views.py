"""Views of the Zwischenbilanz (review): reviews, progress review, barriers and enablers, adjustments,
consolidation, the report and the next cycle.

Thin: look the process and the review up through the Kommune, parse, call one service or selector, render. Every
member reads; members who edit content write (others get 403); starting a new cycle is for the Koordination.
Pages work without JavaScript (POST, then a redirect back).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view
from daks.exports.base import download_response, exporter_for
from daks.plans.models import Goal, Measure
from daks.strategy.models import Step, StrategyProcess
from daks.strategy.steps import STEPS, step_process

from . import next_cycle, report, selectors, services
from .forms import (
    AdjustmentForm,
    ConsolidationForm,
    FactorForm,
    GoalReviewForm,
    MeasureCheckForm,
    NextCycleForm,
    ReviewCreateForm,
    ReviewForm,
    VersionLinkForm,
)
from .models import Adjustment, Factor, FactorKind, GoalReview, MeasureCheck, Review

VIEW = "municipalities.view_municipality"
EDIT = "municipalities.edit_content"


def _process(request, pk, step_slug) -> StrategyProcess:
    process = step_process(request, pk, step_slug, Step.REVIEW)
    return process


def _review(request, pk, step_slug, review_pk) -> tuple[StrategyProcess, Review]:
    process = _process(request, pk, step_slug)
    review = get_object_or_404(
        Review.objects.filter(municipality=request.municipality, process=process).select_related("meeting"),
        pk=review_pk,
    )
    review.process = process
    review.municipality = request.municipality
    return process, review


def _require_edit(request) -> None:
    if not request.user.has_perm(EDIT, request.municipality):
        raise PermissionDenied


def _url(name: str, process, **extra) -> str:
    kwargs = {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": STEPS[Step.REVIEW].slug}
    return reverse(f"reviews:{name}", kwargs={**kwargs, **extra})


def _review_nav(process, review) -> list[tuple[str, str]]:
    return [
        (_("Overview"), _url("review", process, review_pk=review.pk)),
        (_("Progress review"), _url("review_progress", process, review_pk=review.pk)),
        (_("Barriers and enablers"), _url("review_factors", process, review_pk=review.pk)),
        (_("Adjustments"), _url("review_adjustments", process, review_pk=review.pk)),
        (_("Consolidation"), _url("review_consolidation", process, review_pk=review.pk)),
    ]


def _context(request, process, review=None, **extra) -> dict:
    definition = STEPS[Step.REVIEW]
    return {
        "municipality": request.municipality,
        "process": process,
        "review": review,
        "review_nav": _review_nav(process, review) if review else [],
        "step": definition,
        "step_pages": definition.page_links(process)[1:],
        "step_url": definition.url(process),
        "can_edit": request.user.has_perm(EDIT, request.municipality),
        "can_start_cycle": next_cycle.can_start_cycle(request.user, request.municipality),
        **extra,
    }


# --- Reviews -------------------------------------------------------------------------------------------------------


@municipality_view(VIEW)
@require_http_methods(["GET", "POST"])
def review_list(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    surveys = selectors.process_surveys(process)
    form = ReviewCreateForm(surveys=surveys)
    if request.method == "POST":
        _require_edit(request)
        form = ReviewCreateForm(request.POST, surveys=surveys)
        if form.is_valid():
            try:
                review = services.review_create(
                    actor=request.user,
                    municipality=request.municipality,
                    process=process,
                    title=form.cleaned_data["title"],
                    date=form.cleaned_data["date"],
                    surveys=form.cleaned_data["surveys"],
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(
                    request, _("The interim review “%(title)s” has been created.") % {"title": review.title}
                )
                return redirect(_url("review", process, review_pk=review.pk))
    context = _context(request, process, reviews=list(selectors.reviews_of(process)), form=form)
    return render(request, "reviews/review/review_list.html", context, status=400 if form.errors else 200)


@municipality_view(VIEW)
@require_GET
def review_detail(request, pk, step_slug, review_pk):
    process, review = _review(request, pk, step_slug, review_pk)
    progress = selectors.review_progress(review)
    factors = selectors.review_factors(review)
    context = _context(
        request,
        process,
        review,
        progress=progress,
        barriers=factors[FactorKind.BARRIER],
        enablers=factors[FactorKind.ENABLER],
        adjustments=selectors.review_adjustments(review),
        consolidation=selectors.review_consolidation(review),
        surveys=list(review.surveys.order_by("created_at", "id")),
        exporters=report.EXPORTERS,
    )
    return render(request, "reviews/review/review_detail.html", context)


@municipality_view(VIEW)
@require_http_methods(["GET", "POST"])
def review_edit(request, pk, step_slug, review_pk):
    process, review = _review(request, pk, step_slug, review_pk)
    _require_edit(request)
    surveys = selectors.process_surveys(process)
    initial = {
        "title": review.title,
        "date": review.date,
        "summary": review.summary,
        "next_steps": review.next_steps,
        "surveys": list(review.surveys.all()),
        "version": review.version,
    }
    form = ReviewForm(request.POST or None, initial=initial, surveys=surveys)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_update(
                actor=request.user,
                review=review,
                title=data["title"],
                date=data["date"],
                surveys=data["surveys"],
                summary=data["summary"],
                next_steps=data["next_steps"],
                expected_version=data["version"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The interim review has been saved."))
            return redirect(_url("review", process, review_pk=review.pk))
    return render(
        request,
        "reviews/review/review_form.html",
        _context(request, process, review, form=form),
        status=400 if form.errors else 200,
    )


@municipality_view(VIEW)
@require_http_methods(["GET", "POST"])
def review_delete(request, pk, step_slug, review_pk):
    process, review = _review(request, pk, step_slug, review_pk)
    _require_edit(request)
    if request.method == "POST":
        services.review_delete(actor=request.user, review=review)
        messages.success(request, _("The interim review “%(title)s” has been deleted.") % {"title": review.title})
        return redirect(_url("reviews", process))
    return render(request, "reviews/review/review_delete.html", _context(request, process, review))


@municipality_view(VIEW)
@require_POST
def review_meeting(request, pk, step_slug, review_pk):
    process, review = _review(request, pk, step_slug, review_pk)
    _require_edit(request)
    try:
        meeting = services.review_plan_meeting(actor=request.user, review=review)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_url("review", process, review_pk=review.pk))
    messages.success(request, _("The review meeting has been created. Add the agenda and invite the participants."))
    return redirect(reverse("meetings:edit", kwargs={"municipality_slug": request.municipality.slug, "pk": meeting.pk}))


@municipality_view(VIEW)
@require_GET
def review_report(request, pk, step_slug, review_pk, fmt):
    _unused, review = _review(request, pk, step_slug, review_pk)
    exporter = exporter_for(report.EXPORTERS, fmt)
    if exporter is None:
        raise Http404("Unknown format")
    return download_response(exporter.render(report.report_data(review)))


# --- Progress review -----------------------------------------------------------------------------------------------


@municipality_view(VIEW)
@require_GET
def review_progress(request, pk, step_slug, review_pk):
    process, review = _review(request, pk, step_slug, review_pk)
    context = _context(request, process, review, progress=selectors.review_progress(review))
    return render(request, "reviews/review/progress.html", context)


@municipality_view(VIEW)
@require_POST
def review_snapshot(request, pk, step_slug, review_pk):
    process, review = _review(request, pk, step_slug, review_pk)
    _require_edit(request)
    count = services.measure_checks_snapshot(actor=request.user, review=review)
    messages.success(request, _("Status recorded for %(count)s measures.") % {"count": count})
    return redirect(_url("review_progress", process, review_pk=review.pk) + "#measures")


@municipality_view(VIEW)
@require_http_methods(["GET", "POST"])
def goal_review(request, pk, step_slug, review_pk, goal_pk):
    process, review = _review(request, pk, step_slug, review_pk)
    _require_edit(request)
    goal = get_object_or_404(
        Goal.objects.filter(municipality=request.municipality, plan__process=process).select_related(
            "field_of_action", "plan"
        ),
        pk=goal_pk,
    )
    saved = GoalReview.objects.filter(review=review, goal=goal).first()
    row = selectors.goal_row(goal, saved, selectors.engine_rows(process).get(goal.pk))
    if saved is not None:
        initial = {
            "latest_value": saved.latest_value,
            "latest_year": saved.latest_year,
            "source": saved.source,
            "source_date": saved.source_date,
            "assessment": saved.assessment,
            "comment": saved.comment,
            "version": saved.version,
        }
    else:
        initial = {
            "latest_value": row.suggested_value,
            "latest_year": row.suggested_year,
            "source": row.suggested_source,
        }
    form = GoalReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_review_save(
                actor=request.user,
                review=review,
                goal=goal,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The assessment of the goal has been saved."))
            return redirect(_url("review_progress", process, review_pk=review.pk) + f"#goal-{goal.pk}")
    return render(
        request,
        "reviews/review/goal_review.html",
        _context(request, process, review, goal=goal, row=row, form=form),
        status=400 if form.errors else 200,
    )


@municipality_view(VIEW)
@require_http_methods(["GET", "POST"])
def measure_check(request, pk, step_slug, review_pk, measure_pk):
    process, review = _review(request, pk, step_slug, review_pk)
    _require_edit(request)
    measure = get_object_or_404(
        Measure.objects.filter(municipality=request.municipality, plan__process=process).select_related(
            "field_of_action", "plan", "responsible_person"
        ),
        pk=measure_pk,
    )
    saved = MeasureCheck.objects.filter(review=review, measure=measure).first()
    initial = {"assessment": saved.assessment, "comment": saved.comment, "version": saved.version} if saved else {}
    form = MeasureCheckForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_check_save(
                actor=request.user,
                review=review,
                measure=measure,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The check of the measure has been saved."))
            return redirect(_url("review_progress", process, review_pk=review.pk) + f"#measure-{measure.pk}")
    return render(
        request,
        "reviews/review/measure_check.html",
        _context(
            request,
            process,
            review,
            measure=measure,
            saved=saved,
            saved_status=selectors.MeasureRow(measure, saved).status_label if saved else "",
            form=form,
        ),
        status=400 if form.errors else 200,
    )


# --- Barriers and enablers -----------------------------------------------------------------------------------------


def _plan_measures(process):
    return Measure.objects.filter(plan__process=process).order_by("field_of_action__priority", "position", "id")


@municipality_view(VIEW)
@require_http_methods(["GET", "POST"])
def review_factors(request, pk, step_slug, review_pk):
    process, review = _review(request, pk, step_slug, review_pk)
    measures = _plan_measures(process)
    form = FactorForm(measures=measures, initial={"kind": request.GET.get("kind") or FactorKind.BARRIER})
    if request.method == "POST":
        _require_edit(request)
        form = FactorForm(request.POST, measures=measures)
        if form.is_valid():
            try:
                factor = services.factor_create(actor=request.user, review=review, data=form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The entry has been added."))
                return redirect(_url("review_factors", process, review_pk=review.pk) + f"#factor-{factor.pk}")
    factors = selectors.review_factors(review)
    context = _context(
        request,
        process,
        review,
        sections=[
            (FactorKind.BARRIER, _("Barriers"), factors[FactorKind.BARRIER]),
            (FactorKind.ENABLER, _("Enablers"), factors[FactorKind.ENABLER]),
        ],
        form=form,
    )
    return render(request, "reviews/review/factors.html", context, status=400 if form.errors else 200)


@municipality_view(VIEW)
@require_http_methods(["GET", "POST"])
def factor_edit(request, pk, step_slug, review_pk, factor_pk):
    process, review = _review(request, pk, step_slug, review_pk)
    _require_edit(request)
    factor = get_object_or_404(Factor.objects.filter(review=review), pk=factor_pk)
    measures = _plan_measures(process)
    initial = {
        "kind": factor.kind,
        "text": factor.text,
        "source": factor.source,
        "measures": list(factor.measures.all()),
        "version": factor.version,
    }
    form = FactorForm(request.POST or None, initial=initial, measures=measures)
    if request.method == "POST" and form.is_valid():
        try:
            services.factor_update(
                actor=request.user, factor=factor, data=form.cleaned_data, expected_version=form.cleaned_data["version"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The entry has been saved."))
            return redirect(_url("review_factors", process, review_pk=review.pk) + f"#factor-{factor.pk}")
    return render(
        request,
        "reviews/review/factor_form.html",
        _context(request, process, review, factor=factor, form=form),
        status=400 if form.errors else 200,
    )


@municipality_view(VIEW)
@require_POST
def factor_delete(request, pk, step_slug, review_pk, factor_pk):
    process, review = _review(request, pk, step_slug, review_pk)
    _require_edit(request)
    factor = get_object_or_404(Factor.objects.filter(review=review), pk=factor_pk)
    factor.review = review
    services.factor_delete(actor=request.user, factor=factor)
    messages.success(request, _("The entry has been deleted."))
    return redirect(_url("review_factors", process, review_pk=review.pk))


# --- Adjustments ---------------------------------------------------------------------------------------------------


def _adjustment_form(process, data=None):
    goals = Goal.objects.filter(plan__process=process).order_by("field_of_action__priority", "position", "id")
    return AdjustmentForm(data, measures=_plan_measures(process), goals=goals)


@municipality_view(VIEW)
@require_http_methods(["GET", "POST"])
def review_adjustments(request, pk, step_slug, review_pk):
    process, review = _review(request, pk, step_slug, review_pk)
    form = _adjustment_form(process)
    if request.method == "POST":
        _require_edit(request)
        form = _adjustment_form(process, request.POST)
        if form.is_valid():
            try:
                services.adjustment_create(actor=request.user, review=review, data=form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The decision has been recorded."))
                return redirect(_url("review_adjustments", process, review_pk=review.pk))
    adjustments = selectors.review_adjustments(review)
    pending = [item for item in adjustments if item.plan_version_id is None]
    version_form = VersionLinkForm(
        initial={"name": services.default_version_name(review), "date": review.date}, prefix="version"
    )
    context = _context(
        request,
        process,
        review,
        adjustments=[(item, services.can_apply(item)) for item in adjustments],
        pending=pending,
        form=form,
        version_form=version_form,
    )
    return render(request, "reviews/review/adjustments.html", context, status=400 if form.errors else 200)


def _adjustment(review, adjustment_pk) -> Adjustment:
    adjustment = get_object_or_404(
        Adjustment.objects.filter(review=review).select_related("measure", "goal"), pk=adjustment_pk
    )
    adjustment.review = review
    return adjustment


@municipality_view(VIEW)
@require_POST
def adjustment_apply(request, pk, step_slug, review_pk, adjustment_pk):
    process, review = _review(request, pk, step_slug, review_pk)
    _require_edit(request)
    adjustment = _adjustment(review, adjustment_pk)
    try:
        measure = services.adjustment_apply(actor=request.user, adjustment=adjustment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The measure “%(title)s” now has the status “%(status)s”.")
            % {"title": measure.title, "status": measure.get_status_display()},
        )
    return redirect(_url("review_adjustments", process, review_pk=review.pk))


@municipality_view(VIEW)
@require_POST
def adjustment_delete(request, pk, step_slug, review_pk, adjustment_pk):
    process, review = _review(request, pk, step_slug, review_pk)
    _require_edit(request)
    adjustment = _adjustment(review, adjustment_pk)
    try:
        services.adjustment_delete(actor=request.user, adjustment=adjustment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The decision has been deleted."))
    return redirect(_url("review_adjustments", process, review_pk=review.pk))


@municipality_view(VIEW)
@require_POST
def adjustments_version(request, pk, step_slug, review_pk):
    process, review = _review(request, pk, step_slug, review_pk)
    _require_edit(request)
    form = VersionLinkForm(request.POST, prefix="version")
    if not form.is_valid():
        messages.error(request, _("Please enter a name and a date for the new plan version."))
        return redirect(_url("review_adjustments", process, review_pk=review.pk))
    try:
        version = services.adjustments_link_version(
            actor=request.user, review=review, name=form.cleaned_data["name"], date=form.cleaned_data["date"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The plan version “%(name)s” has been saved and linked to the decisions.") % {"name": version.name},
        )
    return redirect(_url("review_adjustments", process, review_pk=review.pk))


# --- Consolidation -------------------------------------------------------------------------------------------------


@municipality_view(VIEW)
@require_http_methods(["GET", "POST"])
def review_consolidation(request, pk, step_slug, review_pk):
    process, review = _review(request, pk, step_slug, review_pk)
    rows = selectors.review_consolidation(review)
    form = ConsolidationForm(rows=rows, initial={"version": selectors.consolidation_version(rows)})
    if request.method == "POST":
        _require_edit(request)
        form = ConsolidationForm(request.POST, rows=rows)
        if form.is_valid():
            try:
                services.consolidation_save(
                    actor=request.user,
                    review=review,
                    items=form.items(),
                    expected_version=form.cleaned_data["version"],
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The consolidation checklist has been saved."))
                return redirect(_url("review_consolidation", process, review_pk=review.pk))
    context = _context(
        request,
        process,
        review,
        rows=[(row, form[f"{row.key}_done"], form[f"{row.key}_note"]) for row in rows],
        form=form,
    )
    return render(request, "reviews/review/consolidation.html", context, status=400 if form.errors else 200)


# --- Next cycle ----------------------------------------------------------------------------------------------------


@municipality_view(VIEW)
@require_http_methods(["GET", "POST"])
def start_cycle(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    if not next_cycle.can_start_cycle(request.user, request.municipality):
        raise PermissionDenied
    form = NextCycleForm(request.POST or None, initial={"title": next_cycle.default_title(process)})
    if request.method == "POST" and form.is_valid():
        try:
            result = next_cycle.cycle_start(
                actor=request.user,
                process=process,
                title=form.cleaned_data["title"],
                start_date=form.cleaned_data["start_date"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "The new cycle “%(title)s” has started with %(fields)s fields of action, %(goals)s goals and "
                    "%(measures)s measures."
                )
                % {
                    "title": result.process.title,
                    "fields": result.fields_of_action,
                    "goals": result.goals,
                    "measures": result.measures,
                },
            )
            return redirect(
                reverse(
                    "strategy:overview",
                    kwargs={"municipality_slug": request.municipality.slug, "pk": result.process.pk},
                )
            )
    return render(
        request,
        "reviews/review/next_cycle.html",
        _context(request, process, form=form),
        status=400 if form.errors else 200,
    )
