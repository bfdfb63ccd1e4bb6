"""Background tasks of general use (run by `python manage.py db_worker` in production)."""

import datetime
import logging
import smtplib

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

#: Waits (seconds) before the 2nd, 3rd, … attempt when the mail server cannot be reached: about two days in all.
MAIL_RETRY_DELAYS = (60, 5 * 60, 15 * 60, 60 * 60, 3 * 60 * 60, 6 * 60 * 60, 12 * 60 * 60, 24 * 60 * 60)


def _worth_retrying(error: Exception) -> bool:
    """Network and server trouble (SMTP errors, refused connections, timeouts) passes; a permanent refusal of every
    recipient (5xx) will not change by waiting."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return not all(code >= 500 for code, _message in error.recipients.values())
    return isinstance(error, OSError)  # smtplib.SMTPException, ConnectionError and TimeoutError are OSErrors


@task()
def send_mail_task(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
    attempt: int = 1,
) -> int:
    """Send one mail; ``attachments`` are (filename, text content, mimetype) triples (JSON-serialisable).

    When the mail server is down, the task queues itself again with a growing delay (``MAIL_RETRY_DELAYS``, the
    database backend's ``run_after``) and returns 0; after the last attempt it fails, and the failed task with all
    its arguments stays in the task table (admin: "Task results") for a manual retry. Backends that cannot defer
    (the immediate backend of development) fail at once.
    """
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or ():
        message.attach(filename, content, mimetype)
    try:
        return message.send()
    except Exception as error:
        backend = send_mail_task.get_backend()
        if attempt > len(MAIL_RETRY_DELAYS) or not backend.supports_defer or not _worth_retrying(error):
            logger.error("Mail %r (%d recipient(s)) failed for good after %d attempt(s)", subject, len(to), attempt)
            raise
        delay = MAIL_RETRY_DELAYS[attempt - 1]
        send_mail_task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue(
            subject=subject, body=body, to=to, html=html, attachments=attachments, attempt=attempt + 1
        )
        logger.warning("Mail %r not sent (attempt %d: %s); next attempt in %d s", subject, attempt, error, delay)
        return 0
