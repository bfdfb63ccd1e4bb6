"""Views of the survey results (thin): results page, moderation of free texts, exports, comparison of two rounds.

Members see the results (readers included); moderating free texts and exporting the raw answers need editing
rights. Non-members get 404 (``municipality_view``); every survey is looked up through the Kommune and process.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from daks.core.errors import DomainError
from daks.core.tenancy import municipality_view
from daks.exports.base import download_response
from daks.strategy.models import Step, StrategyProcess
from daks.strategy.steps import STEPS, step_process

from . import result_exports, results
from .models import Answer, QuestionKind, Survey
from .moderation import answer_set_hidden
from .result_charts import comparison_distribution_svg, comparison_means_svg, distribution_svg

VIEW = "municipalities.view_municipality"
EDIT = "municipalities.edit_content"


def _process(request, pk, step_slug) -> StrategyProcess:
    process = step_process(request, pk, step_slug, Step.REVIEW)
    return process


def _survey(request, process, survey_pk) -> Survey:
    survey = get_object_or_404(Survey.objects.filter(municipality=request.municipality, process=process), pk=survey_pk)
    survey.municipality, survey.process = request.municipality, process
    return survey


def _kwargs(process) -> dict:
    return {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": STEPS[Step.REVIEW].slug}


def results_url(survey) -> str:
    return reverse("reviews:survey_results", kwargs={**_kwargs(survey.process), "survey_pk": survey.pk})


def _base_context(request, process) -> dict:
    definition = STEPS[Step.REVIEW]
    return {
        "municipality": request.municipality,
        "process": process,
        "step": definition,
        "step_pages": definition.page_links(process)[1:],
        "step_url": definition.url(process),
        "can_edit": request.user.has_perm(EDIT, request.municipality),
    }


@municipality_view(VIEW)
def survey_results(request, pk, step_slug, survey_pk):
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    context = _base_context(request, process)
    summary = results.survey_summary(survey, include_hidden=context["can_edit"])
    for stats in summary.questions:
        if not stats.is_text and stats.n:
            stats.chart = distribution_svg(stats, chart_id=f"chart-question-{stats.question.pk}")
    context.update(
        survey=survey,
        summary=summary,
        min_group=results.MIN_GROUP,
        too_few=results.too_few_message(),
        compare_url=reverse("reviews:survey_compare", kwargs=_kwargs(process)) + f"?b={survey.pk}",
    )
    return render(request, "reviews/results/survey_results.html", context)


@require_POST
@municipality_view(EDIT)
def answer_moderate(request, pk, step_slug, survey_pk, answer_pk):
    """Hide (``hidden=1``) or show again (``hidden=0``) a free-text answer."""
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    answer = get_object_or_404(
        Answer.objects.filter(response__survey=survey, question__kind=QuestionKind.TEXT).select_related("question"),
        pk=answer_pk,
    )
    hidden = request.POST.get("hidden") == "1"
    try:
        answer = answer_set_hidden(actor=request.user, answer=answer, hidden=hidden)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(results_url(survey))
    status = _("The answer is hidden.") if answer.hidden else _("The answer is shown again.")
    if getattr(request, "htmx", False):
        item = results.TextAnswer(pk=answer.pk, text=answer.text, hidden=answer.hidden)
        context = {**_base_context(request, process), "survey": survey, "answer": item, "status": status}
        return render(request, "reviews/results/survey_results.html#text_answer", context)
    messages.success(request, status)
    return redirect(f"{results_url(survey)}#question-{answer.question_id}")


@municipality_view(VIEW)
def survey_results_export(request, pk, step_slug, survey_pk, fmt):
    """The aggregated results as CSV or XLSX (without hidden free texts)."""
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    summary = results.survey_summary(survey)
    if fmt == "csv":
        return download_response(result_exports.summary_csv(summary))
    if fmt == "xlsx":
        return download_response(result_exports.summary_xlsx(summary))
    raise Http404("Unknown format")


@municipality_view(EDIT)
def survey_answers_export(request, pk, step_slug, survey_pk, fmt):
    """The raw answers as CSV or XLSX (anonymous surveys: shuffled, without invitation data)."""
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Unknown format")
    try:
        rendered = result_exports.raw_csv(survey) if fmt == "csv" else result_exports.raw_xlsx(survey)
    except result_exports.TooFewResponses:
        messages.error(request, _("The answers of surveys with fewer than 3 responses are not exported."))
        return redirect(results_url(survey))
    return download_response(rendered)


@municipality_view(VIEW)
def survey_compare(request, pk, step_slug):
    """Two survey rounds of the Kommune side by side: ``?a=<earlier>&b=<later>``."""
    process = _process(request, pk, step_slug)
    context = _base_context(request, process)
    surveys = list(results.comparable_surveys(request.municipality))
    by_pk = {str(survey.pk): survey for survey in surveys}
    survey_a, survey_b = by_pk.get(request.GET.get("a", "")), by_pk.get(request.GET.get("b", ""))
    errors = []
    if "a" in request.GET and "b" in request.GET and (survey_a is None or survey_b is None):
        errors.append(_("Please choose two surveys."))
    elif survey_a is not None and survey_a == survey_b:
        errors.append(_("Please choose two different surveys."))
        survey_a = survey_b = None
    comparison = None
    if survey_a is not None and survey_b is not None:
        comparison = results.compare_surveys(survey_a, survey_b)
        if not comparison.suppressed and comparison.likert:
            comparison.chart = comparison_means_svg(comparison)
            for number, row in enumerate(comparison.likert, start=1):
                row.chart = comparison_distribution_svg(row, chart_id=f"chart-compare-{number}")
    context.update(
        surveys=surveys,
        survey_a=survey_a,
        survey_b=survey_b,
        selected_a=request.GET.get("a", ""),
        selected_b=request.GET.get("b", ""),
        comparison=comparison,
        errors=errors,
        too_few=results.too_few_message(),
    )
    return render(request, "reviews/results/survey_compare.html", context)
