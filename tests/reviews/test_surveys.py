"""Survey builder (roles, tenancy, locking, rules once responses exist), default questionnaire, distribution."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.html import escape

from daks.core.audit import AuditLogEntry
from daks.reviews import surveys
from daks.reviews.defaults import DEFAULT_SECTIONS
from daks.reviews.models import Question, QuestionKind, Survey, SurveyInvitation, SurveySection
from daks.strategy.models import Actor

from .factories import InvitationFactory, QuestionFactory, ResponseFactory, SurveyFactory

pytestmark = pytest.mark.django_db


def de(msgid: str, **params) -> str:
    """The German text of ``msgid`` as the page shows it (HTML-escaped); the msgid while catalogues are not
    compiled yet."""
    with translation.override("de"):
        return escape(translation.gettext(msgid) % params if params else translation.gettext(msgid))


def _create_payload(**extra):
    return {"title": "Umfrage 2026", "introduction": "", "anonymous": "on", **extra}


# --- Pages and roles ------------------------------------------------------------------------------------------


def test_list_and_builder_pages_for_readers(login, reader, survey, survey_url):
    client = login(reader)
    response = client.get(survey_url("reviews:surveys"))
    assert response.status_code == 200
    assert "Zwischenbilanz 2026" in response.text
    detail = client.get(survey_url("reviews:survey_detail", survey_pk=survey.pk))
    assert detail.status_code == 200
    assert "Wir arbeiten gut zusammen." in detail.text
    assert "question_edit" not in detail.text and "/bearbeiten/" not in detail.text
    assert client.get(survey_url("reviews:survey_distribution", survey_pk=survey.pk)).status_code == 200


@pytest.mark.parametrize(
    "name,method",
    [
        ("reviews:survey_create", "get"),
        ("reviews:survey_edit", "get"),
        ("reviews:survey_close", "post"),
        ("reviews:section_add", "post"),
        ("reviews:question_create", "get"),
        ("reviews:survey_invite", "post"),
        ("reviews:survey_remind", "post"),
        ("reviews:survey_open_link", "post"),
        ("reviews:survey_delete", "post"),
    ],
)
def test_readers_cannot_write(login, reader, survey, survey_url, name, method):
    kwargs = {} if name == "reviews:survey_create" else {"survey_pk": survey.pk}
    response = getattr(login(reader), method)(survey_url(name, **kwargs))
    assert response.status_code == 403
    assert Survey.objects.get(pk=survey.pk).closed_at is None
    assert survey.sections.count() == 2


def test_outsiders_and_forged_ids_get_404(login, outsider, coordinator, survey, survey_url, other_process):
    assert login(outsider).get(survey_url("reviews:surveys")).status_code == 404
    # A survey of another Kommune addressed through this Kommune's URL.
    foreign = SurveyFactory(process=other_process)
    client = login(coordinator)
    assert client.get(survey_url("reviews:survey_detail", survey_pk=foreign.pk)).status_code == 404
    assert client.post(survey_url("reviews:survey_close", survey_pk=foreign.pk)).status_code == 404
    # A question of another survey addressed through this survey.
    foreign_question = QuestionFactory(survey=foreign)
    url = survey_url("reviews:question_delete", survey_pk=survey.pk, question_pk=foreign_question.pk)
    assert client.post(url).status_code == 404
    assert Question.objects.filter(pk=foreign_question.pk).exists()
    # Another step's slug.
    from django.urls import reverse

    wrong = reverse(
        "reviews:surveys",
        kwargs={"municipality_slug": "musterstadt", "pk": survey.process.pk, "step_slug": "werkstattplan"},
    )
    assert client.get(wrong).status_code == 404


def test_anonymous_visitor_is_not_let_in(client, survey, survey_url):
    assert client.get(survey_url("reviews:surveys")).status_code == 404


# --- Builder --------------------------------------------------------------------------------------------------


def test_contributor_creates_survey_with_default_questionnaire(login, contributor, process, survey_url):
    client = login(contributor)
    assert client.get(survey_url("reviews:survey_create")).status_code == 200
    response = client.post(survey_url("reviews:survey_create"), _create_payload(with_default_questionnaire="on"))
    survey = Survey.objects.get(process=process)
    assert response.status_code == 302
    assert survey.anonymous and survey.created_by == contributor
    titles = list(survey.sections.values_list("title", flat=True))
    assert titles == [title for _key, title, _questions in DEFAULT_SECTIONS]
    assert "Zusammenarbeit in der Verwaltung" in titles and "Daten" in titles
    for section in survey.sections.all():
        kinds = list(section.questions.values_list("kind", flat=True))
        assert kinds[-1] == QuestionKind.TEXT
        assert 2 <= kinds.count(QuestionKind.LIKERT) <= 3
        assert section.questions.last().text == "Was hilft? Was hindert?"
    keys = list(survey.questions.values_list("key", flat=True))
    assert all(keys) and len(set(keys)) == len(keys)
    assert AuditLogEntry.objects.filter(action="reviews.survey.created", data__process=process.pk).exists()


def test_default_keys_are_stable_between_rounds(process, coordinator):
    first = surveys.survey_create(actor=coordinator, process=process, title="2026", with_default_questionnaire=True)
    second = surveys.survey_create(actor=coordinator, process=process, title="2028", with_default_questionnaire=True)
    assert list(first.questions.values_list("key", flat=True)) == list(second.questions.values_list("key", flat=True))


def test_create_without_title_shows_german_message(login, coordinator, process, survey_url):
    response = login(coordinator).post(survey_url("reviews:survey_create"), _create_payload(title=" "))
    assert response.status_code == 400
    assert de("Please enter a title for the survey.") in response.text or "field--error" in response.text
    assert not Survey.objects.exists()


def test_end_before_start_is_refused(login, coordinator, process, survey_url):
    payload = _create_payload(opens_at="2026-05-10T10:00", closes_at="2026-05-01T10:00")
    response = login(coordinator).post(survey_url("reviews:survey_create"), payload)
    assert response.status_code == 400
    assert not Survey.objects.exists()


def test_edit_conflict(login, coordinator, survey, survey_url):
    url = survey_url("reviews:survey_edit", survey_pk=survey.pk)
    stale = survey.version
    surveys.survey_update(actor=coordinator, survey=survey, title="Neu von jemand anderem")
    payload = {"title": "Mein Titel", "introduction": "", "anonymous": "on", "version": stale}
    response = login(coordinator).post(url, payload)
    assert response.status_code == 400
    assert Survey.objects.get(pk=survey.pk).title == "Neu von jemand anderem"


def test_anonymity_cannot_change_once_responses_exist(coordinator, survey):
    ResponseFactory(survey=survey)
    with pytest.raises(surveys.DomainError):
        surveys.survey_update(actor=coordinator, survey=survey, anonymous=False)
    assert Survey.objects.get(pk=survey.pk).anonymous


def test_add_sections_and_questions_and_reorder(login, coordinator, survey, survey_url):
    client = login(coordinator)
    client.post(survey_url("reviews:section_add", survey_pk=survey.pk), {"title": "Daten"})
    section = survey.sections.get(title="Daten")
    response = client.post(
        survey_url("reviews:question_create", survey_pk=survey.pk),
        {
            "text": "Was nutzen Sie?",
            "kind": "multiple",
            "options": "Statistik\nUmfragen\n\nStatistik",
            "section": section.pk,
        },
    )
    assert response.status_code == 302
    question = survey.questions.get(text="Was nutzen Sie?")
    assert question.options == ["Statistik", "Umfragen"] and question.section == section
    # Single choice with fewer than two options: German message, nothing written.
    response = client.post(
        survey_url("reviews:question_create", survey_pk=survey.pk),
        {"text": "Nur eine?", "kind": "single", "options": "Ja", "section": section.pk},
    )
    assert response.status_code == 400
    assert de("Please enter at least two answer options, one per line.") in response.text
    assert not survey.questions.filter(text="Nur eine?").exists()
    # Move the section up, then a question down within its section.
    client.post(survey_url("reviews:section_move", survey_pk=survey.pk, section_pk=section.pk), {"direction": "up"})
    assert list(survey.sections.values_list("title", flat=True)) == ["Zusammenarbeit", "Daten", "Ressourcen"]
    first = survey.questions.get(key="coop")
    client.post(survey_url("reviews:question_move", survey_pk=survey.pk, question_pk=first.pk), {"direction": "down"})
    section_one = survey.sections.get(title="Zusammenarbeit")
    assert list(section_one.questions.values_list("key", flat=True)) == ["info", "coop"]


def test_question_edit_conflict_and_delete(login, coordinator, survey, survey_url):
    question = survey.questions.get(key="info")
    version = surveys.question_version(question)
    surveys.question_update(actor=coordinator, question=question, text="Geändert")
    client = login(coordinator)
    url = survey_url("reviews:question_edit", survey_pk=survey.pk, question_pk=question.pk)
    response = client.post(url, {"text": "Meins", "kind": "likert", "version": version})
    assert response.status_code == 400
    assert Question.objects.get(pk=question.pk).text == "Geändert"
    client.post(survey_url("reviews:question_delete", survey_pk=survey.pk, question_pk=question.pk))
    assert not Question.objects.filter(pk=question.pk).exists()


def test_questions_locked_once_responses_exist(login, coordinator, survey, survey_url):
    ResponseFactory(survey=survey)
    question = survey.questions.get(key="info")
    client = login(coordinator)
    response = client.post(
        survey_url("reviews:question_delete", survey_pk=survey.pk, question_pk=question.pk), follow=True
    )
    assert de("The survey already has responses: questions can no longer be deleted.") in response.text
    assert Question.objects.filter(pk=question.pk).exists()
    url = survey_url("reviews:question_edit", survey_pk=survey.pk, question_pk=question.pk)
    response = client.post(url, {"text": "Anders", "kind": "text", "version": surveys.question_version(question)})
    assert response.status_code == 400
    assert Question.objects.get(pk=question.pk).kind == QuestionKind.LIKERT
    # Rewording is still allowed.
    response = client.post(url, {"text": "Anders", "kind": "likert", "version": surveys.question_version(question)})
    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).text == "Anders"


def test_section_with_questions_cannot_be_deleted(coordinator, survey):
    section = survey.sections.first()
    with pytest.raises(surveys.DomainError):
        surveys.section_delete(actor=coordinator, section=section)
    assert SurveySection.objects.filter(pk=section.pk).exists()


def test_list_query_count_is_constant(login, coordinator, process, survey_url, django_assert_num_queries):
    for _ in range(3):
        SurveyFactory(process=process)
    client = login(coordinator)
    client.get(survey_url("reviews:surveys"))
    with django_assert_num_queries(8):
        client.get(survey_url("reviews:surveys"))
    for _ in range(5):
        SurveyFactory(process=process)
    with django_assert_num_queries(8):
        assert client.get(survey_url("reviews:surveys")).status_code == 200


# --- Distribution ---------------------------------------------------------------------------------------------


def test_invitations_mailed_in_recipients_language_with_link(
    login, coordinator, contributor, survey, survey_url, django_capture_on_commit_callbacks
):
    contributor.language = "en"
    contributor.save()
    actor = Actor.objects.create(
        municipality=survey.municipality, name="Seniorenbeirat", email="beirat@example.org", contact_consent=True
    )
    client = login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            survey_url("reviews:survey_invite", survey_pk=survey.pk),
            {"members": [contributor.pk], "actors": [actor.pk]},
        )
    assert response.status_code == 302
    assert SurveyInvitation.objects.filter(survey=survey).count() == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    english = by_recipient[contributor.email]
    german = by_recipient["beirat@example.org"]
    assert english.subject.endswith("Survey: Zwischenbilanz 2026 (Musterstadt)") and "/umfrage/" in english.body
    with translation.override("de"):
        subject = translation.gettext("Survey: %(title)s (%(municipality)s)")
    assert german.subject.endswith(subject % {"title": "Zwischenbilanz 2026", "municipality": "Musterstadt"})
    # The link works and only its hash is stored.
    token = german.body.split("/umfrage/")[1].split("/")[0]
    assert SurveyInvitation.objects.filter(token_hash=surveys.hash_token(token)).exists()
    assert not SurveyInvitation.objects.filter(token_hash=token).exists()
    assert surveys.resolve_token(token).invitation.email == "beirat@example.org"


def test_actor_without_consent_is_not_offered_and_refused(coordinator, survey):
    actor = Actor.objects.create(municipality=survey.municipality, name="Verein ohne Einwilligung")
    assert actor not in surveys.invitable_actors(survey)
    with pytest.raises(surveys.DomainError):
        surveys.invitations_send(actor=coordinator, survey=survey, actors=[actor])
    assert not survey.invitations.exists()


def test_reminders_only_to_non_respondents(login, coordinator, survey, survey_url, django_capture_on_commit_callbacks):
    answered = InvitationFactory(survey=survey, responded_at=timezone.now())
    pending = InvitationFactory(survey=survey)
    old_hash = pending.token_hash
    with django_capture_on_commit_callbacks(execute=True):
        response = login(coordinator).post(survey_url("reviews:survey_remind", survey_pk=survey.pk))
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[pending.email]]
    with translation.override("de"):
        assert translation.gettext("Reminder: survey “%(title)s”") % {"title": survey.title} in mail.outbox[0].subject
    pending.refresh_from_db()
    answered.refresh_from_db()
    assert pending.reminded_at and pending.token_hash != old_hash
    assert answered.reminded_at is None


def test_reminder_command_waits_between_mails(survey, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    sent = timezone.now() - datetime.timedelta(days=1)
    InvitationFactory(survey=survey, sent_at=sent)
    InvitationFactory(survey=survey, sent_at=sent - datetime.timedelta(days=5))
    InvitationFactory(survey=survey, sent_at=sent - datetime.timedelta(days=5), responded_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_survey_reminders", "--days", "3")
    assert len(mail.outbox) == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_survey_reminders", "--days", "3")
    assert mail.outbox == []


def test_no_reminders_for_closed_survey(coordinator, survey, django_capture_on_commit_callbacks):
    InvitationFactory(survey=survey, sent_at=timezone.now() - datetime.timedelta(days=10))
    surveys.survey_close(actor=coordinator, survey=survey)
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys.send_due_reminders() == 0
    assert mail.outbox == []


def test_open_link_shown_once_and_regenerated(login, coordinator, survey, survey_url):
    client = login(coordinator)
    url = survey_url("reviews:survey_distribution", survey_pk=survey.pk)
    client.post(survey_url("reviews:survey_open_link", survey_pk=survey.pk))
    first_page = client.get(url).text
    assert "/umfrage/" in first_page
    link = first_page.split('id="open-link-url">')[1].split("<")[0]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert surveys.resolve_token(token).is_open_link
    assert "/umfrage/" + token not in client.get(url).text
    client.post(survey_url("reviews:survey_open_link", survey_pk=survey.pk))
    with pytest.raises(surveys.SurveyUnavailable):
        surveys.resolve_token(token)


def test_response_rate_and_close(login, coordinator, survey, survey_url):
    InvitationFactory(survey=survey, responded_at=timezone.now())
    InvitationFactory(survey=survey)
    InvitationFactory(survey=survey)
    InvitationFactory(survey=survey)
    client = login(coordinator)
    page = client.get(survey_url("reviews:survey_distribution", survey_pk=survey.pk))
    assert (
        de(
            "%(answered)s of %(invited)s invited people have answered (%(percent)s %%).",
            answered=1,
            invited=4,
            percent=25,
        )
        in page.text
    )
    client.post(survey_url("reviews:survey_close", survey_pk=survey.pk))
    assert Survey.objects.get(pk=survey.pk).closed_at is not None
    assert surveys.survey_state(Survey.objects.get(pk=survey.pk)) == surveys.State.CLOSED
