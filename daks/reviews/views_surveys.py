"""Views of the survey builder and the distribution (thin: parse, call one service, render or redirect).

Pages work without JavaScript: every action is a normal form POST followed by a redirect back.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view
from daks.strategy.models import Step, StrategyProcess
from daks.strategy.steps import STEPS, step_process

from . import builder, surveys
from .forms_surveys import InviteForm, SurveyCreateForm, SurveyForm
from .models import Question, Survey, SurveyInvitation, SurveySection

VIEW = "municipalities.view_municipality"
EDIT = "municipalities.edit_content"
OPEN_LINK_SESSION_KEY = "daks_survey_open_link"


def _process(request, pk, step_slug) -> StrategyProcess:
    process = step_process(request, pk, step_slug, Step.REVIEW)
    return process


def _survey(request, process, survey_pk) -> Survey:
    survey = get_object_or_404(Survey.objects.filter(municipality=request.municipality, process=process), pk=survey_pk)
    survey.process = process
    survey.municipality = request.municipality
    return survey


def _section(survey, section_pk) -> SurveySection:
    section = get_object_or_404(SurveySection.objects.filter(survey=survey), pk=section_pk)
    section.survey = survey
    return section


def _question(survey, question_pk) -> Question:
    question = get_object_or_404(Question.objects.filter(survey=survey), pk=question_pk)
    question.survey = survey
    return question


def _kwargs(process, **extra) -> dict:
    return {
        "municipality_slug": process.municipality.slug,
        "pk": process.pk,
        "step_slug": STEPS[Step.REVIEW].slug,
        **extra,
    }


def _url(name: str, process, **extra) -> str:
    return reverse(f"reviews:{name}", kwargs=_kwargs(process, **extra))


def _detail_url(survey, anchor: str = "") -> str:
    url = _url("survey_detail", survey.process, survey_pk=survey.pk)
    return f"{url}#{anchor}" if anchor else url


def _distribution_url(survey) -> str:
    return _url("survey_distribution", survey.process, survey_pk=survey.pk)


def results_url(survey) -> str | None:
    """The results page of rv-results' part (when it is installed)."""
    try:
        return _url("survey_results", survey.process, survey_pk=survey.pk)
    except NoReverseMatch:
        return None


def _base_context(request, process, survey=None) -> dict:
    definition = STEPS[Step.REVIEW]
    context = {
        "municipality": request.municipality,
        "process": process,
        "step": definition,
        "step_pages": definition.page_links(process)[1:],
        "step_url": definition.url(process),
        "surveys_url": _url("surveys", process),
        "can_edit": request.user.has_perm(EDIT, request.municipality),
    }
    if survey is not None:
        state = surveys.survey_state(survey)
        context.update(
            survey=survey,
            state=state,
            state_label=surveys.state_label(state),
            is_closed=state == surveys.State.CLOSED,
            results_url=results_url(survey),
            detail_url=_detail_url(survey),
            distribution_url=_distribution_url(survey),
        )
    return context


# --- Surveys ------------------------------------------------------------------------------------------------


@municipality_view(VIEW)
def survey_list(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    context = _base_context(request, process)
    rows = []
    for survey in surveys.surveys_of(process):
        survey.process, survey.municipality = process, request.municipality
        state = surveys.survey_state(survey)
        rows.append(
            {
                "survey": survey,
                "state_label": surveys.state_label(state),
                "percent": round(100 * survey.answered_count / survey.invited_count) if survey.invited_count else None,
                "url": _detail_url(survey),
            }
        )
    context["rows"] = rows
    return render(request, "reviews/surveys/survey_list.html", context)


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def survey_create(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    if request.method == "GET":
        from .defaults import DEFAULT_INTRODUCTION, DEFAULT_TITLE

        form = SurveyCreateForm(
            initial={
                "title": DEFAULT_TITLE,
                "introduction": DEFAULT_INTRODUCTION,
                "anonymous": True,
                "with_default_questionnaire": True,
            }
        )
    else:
        form = SurveyCreateForm(request.POST)
        if form.is_valid():
            try:
                survey = surveys.survey_create(
                    actor=request.user,
                    process=process,
                    with_default_questionnaire=form.cleaned_data["with_default_questionnaire"],
                    **form.service_kwargs(),
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The survey has been created."))
                return redirect(_detail_url(survey))
    context = _base_context(request, process)
    context.update(form=form, editing=None)
    return render(request, "reviews/surveys/survey_form.html", context, status=400 if form.errors else 200)


@municipality_view(VIEW)
def survey_detail(request, pk, step_slug, survey_pk):
    """The builder: the survey's settings, its sections and questions with the editing controls."""
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    context = _base_context(request, process, survey)
    context.update(builder.builder_context(survey, _builder_url(survey)), rate=surveys.response_rate(survey))
    return render(request, "reviews/surveys/survey_detail.html", context)


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk, step_slug, survey_pk):
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    if request.method == "GET":
        form = SurveyForm(initial=SurveyForm.initial_for(survey))
    else:
        form = SurveyForm(request.POST)
        if form.is_valid():
            try:
                surveys.survey_update(
                    actor=request.user,
                    survey=survey,
                    expected_version=form.cleaned_data["version"],
                    **form.service_kwargs(),
                )
            except surveys.SurveyEditConflict as conflict:
                apply_domain_error(form, conflict)
                form.data = form.data.copy()
                form.data["version"] = conflict.current.version
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The survey has been saved."))
                return redirect(_detail_url(survey))
    context = _base_context(request, process, survey)
    context.update(form=form, editing=survey)
    return render(request, "reviews/surveys/survey_form.html", context, status=400 if form.errors else 200)


@municipality_view(EDIT)
@require_POST
def survey_delete(request, pk, step_slug, survey_pk):
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    surveys.survey_delete(actor=request.user, survey=survey)
    messages.success(request, _("The survey has been deleted."))
    return redirect(_url("surveys", process))


@municipality_view(EDIT)
@require_POST
def survey_close(request, pk, step_slug, survey_pk):
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    try:
        surveys.survey_close(actor=request.user, survey=survey)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The survey has been closed. No more answers are accepted."))
    return redirect(_distribution_url(survey))


# --- Sections and questions (the shared builder views) ---------------------------------------------------


def _builder_url(survey) -> builder.UrlFor:
    names = {"detail": "survey_detail"}

    def url(name: str, **kwargs) -> str:
        return _url(names.get(name, name), survey.process, survey_pk=survey.pk, **kwargs)

    return url


@municipality_view(EDIT)
@require_POST
def section_add(request, pk, step_slug, survey_pk):
    survey = _survey(request, _process(request, pk, step_slug), survey_pk)
    return builder.section_add(request, survey=survey, url=_builder_url(survey))


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def section_edit(request, pk, step_slug, survey_pk, section_pk):
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    return builder.section_edit(
        request,
        survey=survey,
        section=_section(survey, section_pk),
        url=_builder_url(survey),
        template="reviews/surveys/section_form.html",
        context=_base_context(request, process, survey),
    )


@municipality_view(EDIT)
@require_POST
def section_move(request, pk, step_slug, survey_pk, section_pk):
    survey = _survey(request, _process(request, pk, step_slug), survey_pk)
    return builder.section_move(request, survey=survey, section=_section(survey, section_pk), url=_builder_url(survey))


@municipality_view(EDIT)
@require_POST
def section_delete(request, pk, step_slug, survey_pk, section_pk):
    survey = _survey(request, _process(request, pk, step_slug), survey_pk)
    return builder.section_delete(
        request, survey=survey, section=_section(survey, section_pk), url=_builder_url(survey)
    )


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def question_create(request, pk, step_slug, survey_pk):
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    return builder.question_create(
        request,
        survey=survey,
        url=_builder_url(survey),
        template="reviews/surveys/question_form.html",
        context=_base_context(request, process, survey),
    )


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def question_edit(request, pk, step_slug, survey_pk, question_pk):
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    return builder.question_edit(
        request,
        survey=survey,
        question=_question(survey, question_pk),
        url=_builder_url(survey),
        template="reviews/surveys/question_form.html",
        context=_base_context(request, process, survey),
    )


@municipality_view(EDIT)
@require_POST
def question_move(request, pk, step_slug, survey_pk, question_pk):
    survey = _survey(request, _process(request, pk, step_slug), survey_pk)
    return builder.question_move(
        request, survey=survey, question=_question(survey, question_pk), url=_builder_url(survey)
    )


@municipality_view(EDIT)
@require_POST
def question_delete(request, pk, step_slug, survey_pk, question_pk):
    survey = _survey(request, _process(request, pk, step_slug), survey_pk)
    return builder.question_delete(
        request, survey=survey, question=_question(survey, question_pk), url=_builder_url(survey)
    )


# --- Distribution -------------------------------------------------------------------------------------------


def _render_distribution(request, process, survey, *, invite_form=None, status=200):
    context = _base_context(request, process, survey)
    open_links = request.session.get(OPEN_LINK_SESSION_KEY, {})
    new_open_link = open_links.pop(str(survey.pk), None)
    if new_open_link is not None:
        request.session[OPEN_LINK_SESSION_KEY] = open_links
    context.update(
        rate=surveys.response_rate(survey),
        invitations=survey.invitations.select_related("member", "actor").order_by("name", "email"),
        invite_form=invite_form or InviteForm(survey=survey),
        new_open_link=new_open_link,
        has_open_link=bool(survey.open_link_token_hash),
    )
    return render(request, "reviews/surveys/distribution.html", context, status=status)


@municipality_view(VIEW)
def distribution(request, pk, step_slug, survey_pk):
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    return _render_distribution(request, process, survey)


@municipality_view(EDIT)
@require_POST
def invite(request, pk, step_slug, survey_pk):
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    form = InviteForm(request.POST, survey=survey)
    if form.is_valid():
        try:
            count = surveys.invitations_send(
                actor=request.user,
                survey=survey,
                members=form.cleaned_data["members"],
                actors=form.cleaned_data["actors"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d invitation has been sent.", "%(count)d invitations have been sent.", count)
                % {"count": count},
            )
            return redirect(_distribution_url(survey))
    return _render_distribution(request, process, survey, invite_form=form, status=400)


@municipality_view(EDIT)
@require_POST
def remind(request, pk, step_slug, survey_pk):
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    try:
        count = surveys.reminders_send(actor=request.user, survey=survey)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(count)d reminder has been sent.", "%(count)d reminders have been sent.", count)
            % {"count": count},
        )
    return redirect(_distribution_url(survey))


@municipality_view(EDIT)
@require_POST
def invitation_remove(request, pk, step_slug, survey_pk, invitation_pk):
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    invitation = get_object_or_404(SurveyInvitation.objects.filter(survey=survey), pk=invitation_pk)
    invitation.survey = survey
    try:
        surveys.invitation_remove(actor=request.user, invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation has been removed; its link no longer works."))
    return redirect(_distribution_url(survey))


@municipality_view(EDIT)
@require_POST
def open_link(request, pk, step_slug, survey_pk):
    """Create or regenerate the open link; the link is shown once on the next page (kept in the session)."""
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    try:
        token = surveys.open_link_create(actor=request.user, survey=survey)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        open_links = request.session.get(OPEN_LINK_SESSION_KEY, {})
        open_links[str(survey.pk)] = surveys.answer_url(token)
        request.session[OPEN_LINK_SESSION_KEY] = open_links
        messages.success(request, _("The open link has been created. Copy it now: it is shown only once."))
    return redirect(_distribution_url(survey) + "#open-link")


@municipality_view(EDIT)
@require_POST
def open_link_disable(request, pk, step_slug, survey_pk):
    process = _process(request, pk, step_slug)
    survey = _survey(request, process, survey_pk)
    try:
        surveys.open_link_disable(actor=request.user, survey=survey)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The open link has been switched off."))
    return redirect(_distribution_url(survey) + "#open-link")
