import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from daks.comments.models import Notification, NotificationKind
from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.exchange import services
from daks.exchange.models import Answer, Follow, Question, Report, ReportResolution
from daks.workshops.participation import RateLimited

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_member_asks_a_question_with_their_kommune(member, municipality, topic):
    question = services.question_create(
        actor=member, topic=topic, title="  Wohnberatung  ", body="Wie?", municipality=municipality
    )
    assert (question.title, question.author, question.municipality) == ("Wohnberatung", member, municipality)
    entry = AuditLogEntry.objects.get(action="exchange.question.created")
    assert entry.data == {"question": question.pk, "topic": topic.pk}


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        ("", "Wie?", "Please enter a title."),
        ("Titel", "  ", "Please describe your question."),
        ("x" * 201, "b", "at most 200"),
    ],
)
def test_bad_question_is_refused(member, topic, title, body, message):
    with pytest.raises(DomainError, match=message):
        services.question_create(actor=member, topic=topic, title=title, body=body)
    assert not Question.objects.exists()
    assert not AuditLogEntry.objects.exists()


def test_question_for_a_foreign_kommune_is_refused(member, other_municipality, topic):
    with pytest.raises(DomainError, match="one of your own municipalities"):
        services.question_create(actor=member, topic=topic, title="T", body="B", municipality=other_municipality)
    assert not Question.objects.exists()


def test_people_without_a_kommune_cannot_post(loner, topic, question):
    with pytest.raises(DomainError, match="Only members of a municipality"):
        services.question_create(actor=loner, topic=topic, title="T", body="B")
    with pytest.raises(DomainError, match="Only members of a municipality"):
        services.answer_create(actor=loner, question=question, body="B")
    assert Question.objects.count() == 1
    assert not Answer.objects.exists()


def test_network_editor_without_kommune_can_post(editor, question):
    answer = services.answer_create(actor=editor, question=question, body="Siehe Werkzeugkoffer.")
    assert answer.author == editor


def test_rate_limit_per_person(settings, member, topic):
    settings.DAKS_PARTICIPATION_RATE_LIMITS = {"exchange_post_user": (2, 3600)}
    for number in range(2):
        services.question_create(actor=member, topic=topic, title=f"Frage {number}", body="B")
    with pytest.raises(RateLimited, match="Too many requests"):
        services.question_create(actor=member, topic=topic, title="Frage 3", body="B")
    assert Question.objects.count() == 2


def test_answer_notifies_the_author_in_app_and_by_mail(django_capture_on_commit_callbacks, question, peer, member):
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.answer_create(actor=peer, question=question, body="Wir haben eine **Sprechstunde**.")
    notification = Notification.objects.get()
    assert notification.recipient == member
    assert notification.kind == NotificationKind.EXCHANGE_ANSWER
    assert notification.municipality == question.municipality
    assert notification.actor == peer
    assert notification.url == f"/austausch/fragen/{question.pk}/#antwort-{answer.pk}"
    assert notification.target_label == "Wohnberatung?"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert "Wohnberatung?" in message.subject
    assert "Sprechstunde" in message.body
    assert f"/austausch/fragen/{question.pk}/#antwort-{answer.pk}" in message.body
    assert not message.alternatives  # plain text only


def test_own_answer_notifies_nobody(django_capture_on_commit_callbacks, question, member):
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_create(actor=member, question=question, body="Nachtrag")
    assert not Notification.objects.exists()
    assert not mail.outbox


def test_followers_are_notified_too(django_capture_on_commit_callbacks, question, peer, member, reader):
    assert services.follow_toggle(actor=reader, question=question) is True
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_create(actor=peer, question=question, body="Antwort")
    assert set(Notification.objects.values_list("recipient", flat=True)) == {member.pk, reader.pk}
    assert sorted(message.to[0] for message in mail.outbox) == sorted([member.email, reader.email])
    assert services.follow_toggle(actor=reader, question=question) is False
    assert not Follow.objects.exists()


def test_hidden_question_cannot_be_answered(question, peer):
    Question.objects.filter(pk=question.pk).update(is_hidden=True)
    with pytest.raises(DomainError, match="hidden by the moderation"):
        services.answer_create(actor=peer, question=question, body="Antwort")
    assert not Answer.objects.exists()


def test_empty_answer_is_refused(question, peer):
    with pytest.raises(DomainError, match=r"Please write an answer\."):
        services.answer_create(actor=peer, question=question, body=" \n ")
    assert not Answer.objects.exists()
    assert not Notification.objects.exists()


def test_author_accepts_and_changes_the_accepted_answer(question, answer, member, reader):
    second = factories.AnswerFactory(question=question, author=reader)
    services.answer_accept(actor=member, question=question, answer=answer)
    question.refresh_from_db()
    assert question.accepted_answer == answer
    services.answer_accept(actor=member, question=question, answer=second)
    question.refresh_from_db()
    assert question.accepted_answer == second
    services.answer_accept(actor=member, question=question, answer=None)
    question.refresh_from_db()
    assert question.accepted_answer is None
    assert AuditLogEntry.objects.filter(action="exchange.answer.accepted").count() == 2


def test_only_the_author_accepts(question, answer, peer):
    with pytest.raises(DomainError, match="Only the author of the question"):
        services.answer_accept(actor=peer, question=question, answer=answer)
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_answer_of_another_question_cannot_be_accepted(question, member, topic, peer):
    other = factories.AnswerFactory(question=factories.QuestionFactory(topic=topic, author=peer), author=peer)
    with pytest.raises(DomainError, match="belongs to another question"):
        services.answer_accept(actor=member, question=question, answer=other)
    question.refresh_from_db()
    assert question.accepted_answer is None
    assert not AuditLogEntry.objects.exists()


def test_author_edits_on_the_same_day_with_optimistic_locking(question, member):
    version = question.version
    services.question_update(actor=member, question=question, title="Neu", body="Neuer Text", expected_version=version)
    with pytest.raises(services.EditConflict):
        services.question_update(actor=member, question=question, title="Alt", body="Alt", expected_version=version)
    question.refresh_from_db()
    assert (question.title, question.body) == ("Neu", "Neuer Text")


def test_edit_is_refused_on_another_day_and_for_others(question, answer, member, peer):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(DomainError, match="only on the day it was written"):
        services.question_update(actor=member, question=question, title="Neu", body="B", today=tomorrow)
    with pytest.raises(DomainError, match="only on the day it was written"):
        services.question_update(actor=peer, question=question, title="Neu", body="B")
    with pytest.raises(DomainError, match="only on the day it was written"):
        services.answer_update(actor=member, answer=answer, body="Fremd")
    question.refresh_from_db()
    answer.refresh_from_db()
    assert question.title == "Wohnberatung?"
    assert answer.body == "Wir haben eine Sprechstunde."


def test_answer_edit_with_conflict(answer, peer):
    version = answer.version
    services.answer_update(actor=peer, answer=answer, body="Zweite Fassung", expected_version=version)
    with pytest.raises(services.EditConflict) as conflict:
        services.answer_update(actor=peer, answer=answer, body="Dritte", expected_version=version)
    assert conflict.value.current.body == "Zweite Fassung"


def test_report_and_hide(question, answer, member, editor):
    report = services.report_create(actor=member, answer=answer, reason="Werbung")
    with pytest.raises(DomainError, match="already reported"):
        services.report_create(actor=member, answer=answer, reason="Nochmal")
    services.answer_accept(actor=member, question=question, answer=answer)
    services.visibility_set(actor=editor, target=answer, hidden=True)
    answer.refresh_from_db()
    report.refresh_from_db()
    question.refresh_from_db()
    assert answer.is_hidden
    assert (report.resolution, report.resolved_by) == (ReportResolution.HIDDEN, editor)
    assert question.accepted_answer is None  # a hidden answer is no accepted answer
    with pytest.raises(DomainError, match="hidden answer cannot be accepted"):
        services.answer_accept(actor=member, question=question, answer=answer)
    services.visibility_set(actor=editor, target=answer, hidden=False)
    answer.refresh_from_db()
    assert not answer.is_hidden
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {"exchange.report.created", "exchange.answer.hidden", "exchange.answer.shown"} <= actions


def test_bad_reports_are_refused(question, member, peer):
    with pytest.raises(DomainError, match=r"Please give a reason\."):
        services.report_create(actor=peer, question=question, reason="  ")
    with pytest.raises(DomainError, match="your own post"):
        services.report_create(actor=member, question=question, reason="Ich")
    assert not Report.objects.exists()


def test_dismiss_and_moderation_rights(question, peer, editor, member):
    report = services.report_create(actor=peer, question=question, reason="Unfreundlich")
    with pytest.raises(DomainError, match="Only the editorial office"):
        services.report_dismiss(actor=member, report=report)
    with pytest.raises(DomainError, match="Only the editorial office"):
        services.visibility_set(actor=member, target=question, hidden=True)
    services.report_dismiss(actor=editor, report=report)
    report.refresh_from_db()
    assert report.resolution == ReportResolution.DISMISSED
    with pytest.raises(DomainError, match="already been dealt with"):
        services.report_dismiss(actor=editor, report=report)
    question.refresh_from_db()
    assert not question.is_hidden
