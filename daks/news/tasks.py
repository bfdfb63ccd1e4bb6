"""Sending a newsletter issue in the background (django-tasks; ``python manage.py db_worker`` in production).

``send_issue_batch_task(issue_pk)`` sends at most ``BATCH_SIZE`` mails, stores the progress on the issue
(``sent_count`` of ``recipient_count``) and queues itself again while recipients are left. Each recipient is
*claimed* before its mail goes out (``Delivery`` pending → sending, a conditional UPDATE), so a retried or
duplicated task never sends anybody a second mail. A crash between claiming and handing over leaves that
delivery in "sending": it is not repeated (at most once — a missing newsletter is better than a double one).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Count, Q
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

BATCH_SIZE = 100


def _message(issue, subscriber, news, connection) -> EmailMultiAlternatives:
    from .mailing import render_issue
    from .services import unsubscribe_url

    url = unsubscribe_url(subscriber)
    rendered = render_issue(issue, unsubscribe_url=url, language=subscriber.language or "de", news=news)
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"DAKS Newsletter <newsletter.{settings.DAKS_BASE_URL.split('://', 1)[-1].split('/')[0]}>",
        },
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def _update_progress(issue) -> bool:
    """Store sent_count; mark the issue sent when nobody is pending any more. Returns True when work is left."""
    from .models import DeliveryStatus, IssueStatus, NewsletterIssue

    counts = issue.deliveries.aggregate(
        sent=Count("id", filter=Q(status=DeliveryStatus.SENT)),
        pending=Count("id", filter=Q(status=DeliveryStatus.PENDING)),
    )
    changes = {"sent_count": counts["sent"], "updated_at": timezone.now()}
    if not counts["pending"]:
        changes.update(status=IssueStatus.SENT, sent_at=timezone.now())
    NewsletterIssue.objects.filter(pk=issue.pk).update(**changes)
    return bool(counts["pending"])


@task()
def send_issue_batch_task(issue_pk: int) -> int:
    """Send the next batch of issue ``issue_pk``; returns the number of mails sent by this call."""
    from .mailing import issue_news
    from .models import Delivery, DeliveryStatus, IssueStatus, NewsletterIssue, SubscriberStatus

    issue = NewsletterIssue.objects.filter(pk=issue_pk, status=IssueStatus.SENDING).first()
    if issue is None:
        return 0
    news = issue_news(issue)
    batch = list(
        Delivery.objects.filter(issue=issue, status=DeliveryStatus.PENDING)
        .select_related("subscriber")
        .order_by("id")[:BATCH_SIZE]
    )
    sent = 0
    connection = get_connection()
    try:
        for delivery in batch:
            claimed = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING)
            if delivery.subscriber.status != SubscriberStatus.CONFIRMED:
                claimed.update(status=DeliveryStatus.SKIPPED)
                continue
            if not claimed.update(status=DeliveryStatus.SENDING):
                continue  # another run has it
            try:
                _message(issue, delivery.subscriber, news, connection).send()
            except Exception:
                Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.PENDING)
                logger.exception("Newsletter issue %s: mail to subscriber %s failed", issue.pk, delivery.subscriber_id)
                _update_progress(issue)
                raise
            Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
            sent += 1
    finally:
        connection.close()
    if _update_progress(issue):
        send_issue_batch_task.enqueue(issue.pk)
    return sent
