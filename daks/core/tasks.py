"""Background tasks of general use (run by `python manage.py db_worker` in production)."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_mail_task(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> int:
    """Send one mail; ``attachments`` are (filename, text content, mimetype) triples (JSON-serialisable)."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or ():
        message.attach(filename, content, mimetype)
    return message.send()
