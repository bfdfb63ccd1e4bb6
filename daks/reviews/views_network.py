"""Network surveys: the network office's pages (start, edit the questionnaire with the survey builder, follow,
aggregated results) and the Kommune's page in its Zwischenbilanz (take part)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view

from . import builder, network_surveys
from .forms_surveys import NetworkSurveyForm
from .models import NetworkSurvey, Question, SurveySection
from .result_charts import Bar, bars_svg
from .results import LIKERT_LABELS
from .views_surveys import EDIT, VIEW, _base_context, _detail_url, _process, _url


def _require_network_editor(request) -> None:
    if not request.user.has_perm("network.edit_network"):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def office(request):
    """List and start network surveys (network office)."""
    _require_network_editor(request)
    form = NetworkSurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = network_surveys.network_survey_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "The network survey has been started. Check the questionnaire now: municipalities that take "
                    "part get a copy of it as it is at that moment."
                ),
            )
            return redirect("network_surveys:questionnaire", pk=survey.pk)
    surveys = NetworkSurvey.objects.order_by("-created_at").prefetch_related("copies")
    return render(
        request,
        "reviews/network/office.html",
        {"form": form, "surveys": surveys},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def detail(request, pk):
    _require_network_editor(request)
    survey = get_object_or_404(NetworkSurvey, pk=pk)
    results = network_surveys.network_results(survey)
    likert = results.likert
    rows = [(question.text, [Bar("", question.mean or 0, question.mean_display)]) for question in likert]
    chart = bars_svg(
        rows,
        maximum=5,
        chart_id="network-means",
        title=_("Mean per statement across the municipalities (scale 1 to 5)"),
        desc="; ".join(f"{question.text}: {question.mean_display}" for question in likert),
    )
    return render(
        request,
        "reviews/network/detail.html",
        {
            "survey": survey,
            "results": results,
            "chart": chart,
            "scale": LIKERT_LABELS,
            "is_open": network_surveys.is_open(survey),
            "min_group": network_surveys.MIN_GROUP,
        },
    )


@login_required
@require_POST
def close(request, pk):
    _require_network_editor(request)
    survey = get_object_or_404(NetworkSurvey, pk=pk)
    network_surveys.network_survey_close(actor=request.user, network_survey=survey)
    messages.success(request, _("The network survey is closed."))
    return redirect("network_surveys:detail", pk=survey.pk)


# --- The questionnaire (the survey builder of step 5) --------------------------------------------------------


def _template(request, pk):
    _require_network_editor(request)
    network_survey = get_object_or_404(NetworkSurvey, pk=pk)
    template = network_surveys.template_of(network_survey)
    template.questionnaire_of = network_survey
    return network_survey, template


def _builder_url(network_survey) -> builder.UrlFor:
    names = {"detail": "questionnaire"}

    def url(name: str, **kwargs) -> str:
        return reverse(f"network_surveys:{names.get(name, name)}", kwargs={"pk": network_survey.pk, **kwargs})

    return url


def _page_context(network_survey, template) -> dict:
    return {
        "network_survey": network_survey,
        "survey": template,
        "can_edit": True,
        "detail_url": reverse("network_surveys:detail", args=[network_survey.pk]),
        "questionnaire_url": reverse("network_surveys:questionnaire", args=[network_survey.pk]),
    }


def _section(template, section_pk) -> SurveySection:
    section = get_object_or_404(SurveySection.objects.filter(survey=template), pk=section_pk)
    section.survey = template
    return section


def _question(template, question_pk) -> Question:
    question = get_object_or_404(Question.objects.filter(survey=template), pk=question_pk)
    question.survey = template
    return question


@login_required
def questionnaire(request, pk):
    network_survey, template = _template(request, pk)
    context = _page_context(network_survey, template)
    context.update(
        builder.builder_context(template, _builder_url(network_survey)),
        copies=network_survey.copies.count(),
    )
    return render(request, "reviews/network/questionnaire.html", context)


@login_required
@require_POST
def section_add(request, pk):
    network_survey, template = _template(request, pk)
    return builder.section_add(request, survey=template, url=_builder_url(network_survey))


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk, section_pk):
    network_survey, template = _template(request, pk)
    return builder.section_edit(
        request,
        survey=template,
        section=_section(template, section_pk),
        url=_builder_url(network_survey),
        template="reviews/network/section_form.html",
        context=_page_context(network_survey, template),
    )


@login_required
@require_POST
def section_move(request, pk, section_pk):
    network_survey, template = _template(request, pk)
    return builder.section_move(
        request, survey=template, section=_section(template, section_pk), url=_builder_url(network_survey)
    )


@login_required
@require_POST
def section_delete(request, pk, section_pk):
    network_survey, template = _template(request, pk)
    return builder.section_delete(
        request, survey=template, section=_section(template, section_pk), url=_builder_url(network_survey)
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_create(request, pk):
    network_survey, template = _template(request, pk)
    return builder.question_create(
        request,
        survey=template,
        url=_builder_url(network_survey),
        template="reviews/network/question_form.html",
        context=_page_context(network_survey, template),
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk, question_pk):
    network_survey, template = _template(request, pk)
    return builder.question_edit(
        request,
        survey=template,
        question=_question(template, question_pk),
        url=_builder_url(network_survey),
        template="reviews/network/question_form.html",
        context=_page_context(network_survey, template),
    )


@login_required
@require_POST
def question_move(request, pk, question_pk):
    network_survey, template = _template(request, pk)
    return builder.question_move(
        request, survey=template, question=_question(template, question_pk), url=_builder_url(network_survey)
    )


@login_required
@require_POST
def question_delete(request, pk, question_pk):
    network_survey, template = _template(request, pk)
    return builder.question_delete(
        request, survey=template, question=_question(template, question_pk), url=_builder_url(network_survey)
    )


# --- The Kommune's side (step 5) ----------------------------------------------------------------------------


@municipality_view(VIEW)
def municipality_list(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    context = _base_context(request, process)
    offered = network_surveys.open_network_surveys(request.municipality)
    for survey in offered:
        if survey.copy is not None:
            survey.copy_url = _detail_url(survey.copy)
    context["offered"] = offered
    return render(request, "reviews/network/municipality_list.html", context)


@municipality_view(EDIT)
@require_POST
def municipality_join(request, pk, step_slug, network_pk):
    process = _process(request, pk, step_slug)
    network_survey = get_object_or_404(NetworkSurvey, pk=network_pk)
    try:
        survey = network_surveys.network_survey_join(actor=request.user, process=process, network_survey=network_survey)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_url("network_surveys", process))
    messages.success(
        request,
        _("Your municipality takes part. Invite your team and actors to your copy of the survey as usual."),
    )
    return redirect(reverse("reviews:survey_distribution", kwargs=_url_kwargs(survey)))


def _url_kwargs(survey) -> dict:
    from .views_surveys import _kwargs

    return _kwargs(survey.process, survey_pk=survey.pk)
