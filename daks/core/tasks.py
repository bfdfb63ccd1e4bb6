"""Background tasks of general use (run by `python manage.py db_worker` in production)."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_mail_task(*, subject: str, body: str, to: list[str], html: str | None = None) -> int:
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
