"""Answering without an account: token rules, validation, anonymity, the open link."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from daks.reviews import surveys
from daks.reviews.models import Answer, Response, SurveyInvitation

from .factories import InvitationFactory, SurveyFactory

pytestmark = pytest.mark.django_db
TOKEN = "persoenlicher-token-0123456789abcdefghijklmnop"


def de(msgid: str) -> str:
    with translation.override("de"):
        return escape(translation.gettext(msgid))


def url(token: str) -> str:
    return reverse("survey_public:answer", kwargs={"token": token})


def _answers(survey, **overrides):
    questions = {q.key or q.text: q for q in survey.questions.all()}
    data = {
        f"q{questions['coop'].pk}": "4",
        f"q{questions['info'].pk}": "2",
        f"q{questions['Reicht das Personal?'].pk}": "1",
        f"q{questions['Was fehlt?'].pk}": ["0", "2"],
        f"q{questions['Was hilft? Was hindert?'].pk}": "Mehr Zeit für Abstimmung.",
    }
    data.update(overrides)
    return data


def test_answer_with_personal_link_stores_answers(client, survey):
    invitation = InvitationFactory(survey=survey, token=TOKEN)
    page = client.get(url(TOKEN))
    assert page.status_code == 200
    assert "Wir arbeiten gut zusammen." in page.text and "<legend>Zusammenarbeit</legend>" in page.text
    assert page["Referrer-Policy"] == "same-origin"
    response = client.post(url(TOKEN), _answers(survey))
    assert response.status_code == 302
    stored = Response.objects.get(survey=survey)
    values = {answer.question.key or answer.question.text: answer for answer in stored.answers.all()}
    assert values["coop"].number == 4 and values["info"].number == 2
    assert values["Reicht das Personal?"].number == 1
    assert values["Was fehlt?"].choices == [0, 2]
    assert values["Was hilft? Was hindert?"].text == "Mehr Zeit für Abstimmung."
    invitation.refresh_from_db()
    assert invitation.responded_at is not None


def test_second_submit_with_same_token_is_refused(client, survey):
    InvitationFactory(survey=survey, token=TOKEN)
    client.post(url(TOKEN), _answers(survey))
    second = client.post(url(TOKEN), _answers(survey))
    assert second.status_code == 409
    assert de("You have already answered this survey. Thank you!") in second.text
    assert Response.objects.count() == 1 and Answer.objects.count() == 5
    assert client.get(url(TOKEN)).status_code == 409


def test_service_refuses_second_response(survey):
    InvitationFactory(survey=survey, token=TOKEN)
    values = {survey.questions.get(key="coop").pk: 3}
    surveys.response_submit(token=TOKEN, values=values)
    with pytest.raises(surveys.AlreadyAnswered):
        surveys.response_submit(token=TOKEN, values=values)
    assert Response.objects.count() == 1


def test_missing_required_answer_shows_linked_message_and_writes_nothing(client, survey):
    invitation = InvitationFactory(survey=survey, token=TOKEN)
    coop = survey.questions.get(key="coop")
    response = client.post(url(TOKEN), _answers(survey, **{f"q{coop.pk}": ""}))
    assert response.status_code == 400
    assert de("Please answer this question.") in response.text
    assert f'href="#id_q{coop.pk}_0"' in response.text
    assert f'aria-describedby="id_q{coop.pk}_error"' in response.text
    assert not Response.objects.exists() and not Answer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.responded_at is None


def test_out_of_range_value_is_refused(client, survey):
    InvitationFactory(survey=survey, token=TOKEN)
    coop = survey.questions.get(key="coop")
    response = client.post(url(TOKEN), _answers(survey, **{f"q{coop.pk}": "7"}))
    assert response.status_code == 400
    assert not Response.objects.exists()
    with pytest.raises(surveys.AnswersInvalid):
        surveys.response_submit(token=TOKEN, values={coop.pk: 9})
    assert not Response.objects.exists()


def test_tampered_token_gives_german_404(client, survey):
    InvitationFactory(survey=survey, token=TOKEN)
    response = client.get(url(TOKEN[:-1] + "X"))
    assert response.status_code == 404
    assert de("This survey link is not valid. Please check that you copied the whole link from the e-mail.") in (
        response.text
    )
    assert client.post(url(TOKEN + "x"), _answers(survey)).status_code == 404
    assert not Response.objects.exists()


def test_closed_survey_refuses_answers(client, survey, coordinator):
    invitation = InvitationFactory(survey=survey, token=TOKEN)
    page = client.get(url(TOKEN))
    assert page.status_code == 200
    surveys.survey_close(actor=coordinator, survey=survey)
    # The form was opened before the survey closed; the answers arrive after.
    response = client.post(url(TOKEN), _answers(survey))
    assert response.status_code == 410
    assert de("This survey is closed. Answers can no longer be submitted.") in response.text
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert invitation.responded_at is None


def test_expired_and_not_yet_open_surveys(client, survey):
    InvitationFactory(survey=survey, token=TOKEN)
    survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    survey.save()
    assert client.post(url(TOKEN), _answers(survey)).status_code == 410
    survey.closes_at = None
    survey.opens_at = timezone.now() + datetime.timedelta(days=2)
    survey.save()
    assert client.get(url(TOKEN)).status_code == 404
    assert client.post(url(TOKEN), _answers(survey)).status_code == 404
    assert not Response.objects.exists()


def test_anonymous_response_is_not_linked_and_day_rounded(client, survey):
    invitation = InvitationFactory(survey=survey, token=TOKEN)
    client.post(url(TOKEN), _answers(survey))
    response = Response.objects.get()
    assert response.invitation_id is None
    assert not Response.objects.filter(invitation__isnull=False).exists()
    local = timezone.localtime(response.submitted_at)
    assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)
    invitation.refresh_from_db()
    assert invitation.responded_at == response.submitted_at  # the day only, on both sides
    assert not hasattr(invitation, "response") or SurveyInvitation.objects.filter(response__isnull=False).count() == 0


def test_non_anonymous_response_is_linked(client, process):
    from .factories import QuestionFactory

    named = SurveyFactory(process=process, anonymous=False)
    question = QuestionFactory(survey=named, key="coop")
    invitation = InvitationFactory(survey=named, token=TOKEN)
    client.post(url(TOKEN), {f"q{question.pk}": "5"})
    response = Response.objects.get()
    assert response.invitation == invitation
    assert response.submitted_at.second != 0 or response.submitted_at.microsecond != 0


def test_empty_submission_is_refused(client, survey):
    InvitationFactory(survey=survey, token=TOKEN)
    coop = survey.questions.get(key="coop")
    coop.required = False
    coop.save()
    response = client.post(url(TOKEN), {})
    assert response.status_code == 400
    assert de("Please answer at least one question.") in response.text
    assert not Response.objects.exists()


# --- Open link ------------------------------------------------------------------------------------------------


def _nonce(page) -> str:
    return page.text.split('name="nonce" value="')[1].split('"')[0]


def test_open_link_accepts_many_responses_but_not_a_double_submit(client, survey, coordinator):
    token = surveys.open_link_create(actor=coordinator, survey=survey)
    first = client.get(url(token))
    assert first.status_code == 200
    data = _answers(survey, nonce=_nonce(first))
    assert client.post(url(token), data).status_code == 302
    again = client.post(url(token), data)
    assert again.status_code == 409
    assert Response.objects.count() == 1
    second = client.get(url(token))
    assert client.post(url(token), _answers(survey, nonce=_nonce(second))).status_code == 302
    assert Response.objects.filter(via_open_link=True, invitation__isnull=True).count() == 2


def test_open_link_without_valid_nonce_is_refused(client, survey, coordinator):
    token = surveys.open_link_create(actor=coordinator, survey=survey)
    response = client.post(url(token), _answers(survey, nonce="forged"))
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_open_link_rate_limit(client, survey, coordinator, settings):
    from django.core.cache import cache

    cache.clear()
    settings.DAKS_SURVEY_RATE_LIMIT = (2, 3600)
    token = surveys.open_link_create(actor=coordinator, survey=survey)
    statuses = [
        client.post(url(token), _answers(survey, nonce=_nonce(client.get(url(token))))).status_code for _ in range(3)
    ]
    assert statuses == [302, 302, 400]
    assert Response.objects.count() == 2


def test_disabled_open_link_no_longer_works(client, survey, coordinator):
    token = surveys.open_link_create(actor=coordinator, survey=survey)
    surveys.open_link_disable(actor=coordinator, survey=survey)
    assert client.get(url(token)).status_code == 404


def test_thanks_page(client):
    assert client.get(reverse("survey_public:thanks")).status_code == 200
