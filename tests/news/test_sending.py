"""Sending an issue: only confirmed subscribers, batches, progress on the issue, never twice; the archive."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from daks.core.errors import DomainError
from daks.news import services, tasks
from daks.news.models import Delivery, DeliveryStatus, IssueStatus, SubscriberStatus

from .factories import IssueFactory, NewsItemFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of two; returns the list of batches run (one entry per progress update)."""
    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    batches = []
    original = tasks._update_progress

    def counting(issue):
        batches.append(issue.pk)
        return original(issue)

    monkeypatch.setattr(tasks, "_update_progress", counting)
    return batches


def _start(issue, actor, capture):
    with capture(execute=True):
        return services.issue_send_start(actor=actor, issue=issue)


def test_only_confirmed_subscribers_receive_the_issue_in_batches(
    staff_user, django_capture_on_commit_callbacks, small_batches
):
    confirmed = [SubscriberFactory() for _ in range(5)]
    SubscriberFactory(status=SubscriberStatus.PENDING)
    SubscriberFactory(status=SubscriberStatus.UNSUBSCRIBED)
    news = NewsItemFactory(title="Netzwerktreffen")
    issue = IssueFactory()
    issue.news_items.add(news)
    _start(issue, staff_user, django_capture_on_commit_callbacks)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT and issue.sent_at
    assert (issue.sent_count, issue.recipient_count) == (5, 5)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(s.email for s in confirmed)
    bodies = {message.to[0]: message.body for message in mail.outbox}
    for subscriber in confirmed:  # every mail has its own unsubscribe link
        assert services.unsubscribe_url(subscriber) in bodies[subscriber.email]
    assert "Netzwerktreffen" in mail.outbox[0].body
    assert Delivery.objects.filter(issue=issue, status=DeliveryStatus.SENT).count() == 5
    assert small_batches == [issue.pk] * 3  # 2 + 2 + 1


def test_a_retry_never_sends_twice(staff_user, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    subscribers = [SubscriberFactory() for _ in range(5)]
    issue = IssueFactory()
    sent = []
    original_send = tasks.EmailMultiAlternatives.send

    def flaky_send(self, *args, **kwargs):
        if len(sent) == 3:
            raise ConnectionError("SMTP server gone")
        sent.append(self.to[0])
        return original_send(self, *args, **kwargs)

    with mock.patch.object(tasks.EmailMultiAlternatives, "send", flaky_send):
        _start(issue, staff_user, django_capture_on_commit_callbacks)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENDING
    assert (issue.sent_count, issue.recipient_count) == (3, 5)
    assert len(mail.outbox) == 3

    # Duplicate runs of the task and a resume send only the two missing mails, once.
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send_resume(actor=staff_user, issue=issue)
    tasks.send_issue_batch_task.call(issue.pk)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT and issue.sent_count == 5
    recipients = [message.to[0] for message in mail.outbox]
    assert sorted(recipients) == sorted(s.email for s in subscribers)
    with pytest.raises(DomainError):
        services.issue_send_resume(actor=staff_user, issue=issue)


def test_a_claimed_delivery_is_not_repeated(staff_user, django_capture_on_commit_callbacks, monkeypatch):
    """A delivery another worker has claimed (pending → sending) is skipped by a second run."""
    first, second = SubscriberFactory(), SubscriberFactory()
    issue = IssueFactory()
    with mock.patch.object(services, "_enqueue"):
        services.issue_send_start(actor=staff_user, issue=issue)
    Delivery.objects.filter(subscriber=first).update(status=DeliveryStatus.SENDING)
    tasks.send_issue_batch_task.call(issue.pk)
    assert [message.to[0] for message in mail.outbox] == [second.email]


def test_who_unsubscribes_meanwhile_is_skipped(staff_user):
    first, second = SubscriberFactory(), SubscriberFactory()
    issue = IssueFactory()
    with mock.patch.object(services, "_enqueue"):
        services.issue_send_start(actor=staff_user, issue=issue)
    services.subscriber_unsubscribe(token=services.unsubscribe_token(first))
    tasks.send_issue_batch_task.call(issue.pk)
    issue.refresh_from_db()
    assert [message.to[0] for message in mail.outbox] == [second.email]
    assert issue.status == IssueStatus.SENT and (issue.sent_count, issue.recipient_count) == (1, 2)
    assert Delivery.objects.get(subscriber=first).status == DeliveryStatus.SKIPPED


def test_send_refused_without_subscribers_and_twice(staff_user, django_capture_on_commit_callbacks):
    issue = IssueFactory()
    with pytest.raises(DomainError) as error, translation.override("de"):
        services.issue_send_start(actor=staff_user, issue=issue)
    with translation.override("de"):
        assert error.value.message == gettext("There are no confirmed subscribers yet.")
    assert not Delivery.objects.exists()
    SubscriberFactory()
    _start(issue, staff_user, django_capture_on_commit_callbacks)
    with pytest.raises(DomainError):
        services.issue_send_start(actor=staff_user, issue=issue)
    assert len(mail.outbox) == 1


def test_only_editors_may_send(user, reader):
    SubscriberFactory()
    issue = IssueFactory()
    for person in (user, reader):
        with pytest.raises(DomainError):
            services.issue_send_start(actor=person, issue=issue)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT and not Delivery.objects.exists()


def test_archive_lists_only_sent_issues_cookie_free(client, staff_user, django_capture_on_commit_callbacks,
                                                   django_assert_num_queries):  # fmt: skip
    SubscriberFactory()
    sent = IssueFactory(subject="Ausgabe Frühling", body="Viel **Neues**")
    _start(sent, staff_user, django_capture_on_commit_callbacks)
    draft = IssueFactory(subject="Ausgabe Entwurf")
    with django_assert_num_queries(2):
        response = client.get(reverse("newsletter:archive"))
    content = response.content.decode()
    assert "Ausgabe Frühling" in content and "Ausgabe Entwurf" not in content
    assert not response.cookies and "public" in response["Cache-Control"]
    detail = client.get(reverse("newsletter:archive_detail", kwargs={"pk": sent.pk}))
    assert detail.status_code == 200 and "<strong>Neues</strong>" in detail.content.decode()
    assert "@example.org" not in detail.content.decode()
    assert client.get(reverse("newsletter:archive_detail", kwargs={"pk": draft.pk})).status_code == 404
