"""Public survey pages (no login): answer a questionnaire through a personal or the open link."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from daks.core.errors import DomainError

from . import surveys
from .forms_surveys import AnswerForm


def _private(response):
    # Keep the token away from other sites; "no-referrer" would make browsers send "Origin: null" with the
    # form, which Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _unavailable(request, message: str, status: int):
    return _private(render(request, "reviews/public/unavailable.html", {"message": message}, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    try:
        link = surveys.resolve_token(token)
    except surveys.SurveyUnavailable as error:
        return _unavailable(request, error.message, error.status)
    survey = link.survey
    if link.invitation is not None and link.invitation.responded_at:
        return _unavailable(request, _("You have already answered this survey. Thank you!"), 409)
    blocks = surveys.questionnaire(survey)
    questions = [question for block in blocks for question in block.questions]
    status = 200
    if request.method == "POST":
        form = AnswerForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                surveys.response_submit(
                    token=token,
                    values=form.values(),
                    nonce=form.cleaned_data.get("nonce", ""),
                    address=surveys.address_key(request),
                )
            except surveys.SurveyUnavailable as error:
                return _unavailable(request, error.message, error.status)
            except surveys.AlreadyAnswered as error:
                return _unavailable(request, error.message, 409)
            except surveys.AnswersInvalid as error:
                form.add_answer_errors(error.errors)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return redirect(reverse("survey_public:thanks"))
        status = 400
    else:
        form = AnswerForm(
            questions=questions, initial={"nonce": surveys.make_nonce(survey) if link.is_open_link else ""}
        )
    fields = {question.pk: form[AnswerForm.name_of(question)] for question in questions}
    sections = [
        {"section": block.section, "fields": [(question, fields[question.pk]) for question in block.questions]}
        for block in blocks
    ]
    context = {
        "survey": survey,
        "municipality": survey.municipality,
        "form": form,
        "sections": sections,
        "error_fields": [fields[question.pk] for question in questions if fields[question.pk].errors],
        "personal": link.invitation is not None,
        "has_required": any(question.required for question in questions),
    }
    return _private(render(request, "reviews/public/answer.html", context, status=status))


def thanks(request):
    return _private(render(request, "reviews/public/thanks.html"))
