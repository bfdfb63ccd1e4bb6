"""Development e-mail backend: prints each mail and keeps a copy in the file outbox (var/mail/)."""

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class ConsoleAndFileBackend(BaseEmailBackend):
    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        settings.EMAIL_OUTBOX_DIR.mkdir(parents=True, exist_ok=True)
        self.console = ConsoleBackend(fail_silently=fail_silently, **kwargs)
        self.file = FileBackend(fail_silently=fail_silently, file_path=str(settings.EMAIL_OUTBOX_DIR), **kwargs)

    def send_messages(self, email_messages):
        self.file.send_messages(email_messages)
        return self.console.send_messages(email_messages)


def send_templated_mail(
    template_prefix: str,
    context: dict,
    to: list[str],
    *,
    language: str = "de",
    attachments: list[tuple[str, str, str]] | None = None,
) -> None:
    """Render ``<prefix>_subject.txt`` and ``<prefix>_message.txt`` in ``language`` and queue the mail.

    Mails are plain text only: no user-provided HTML ever ends up in a mail. ``attachments`` are
    (filename, text content, mimetype) triples, e.g. an .ics calendar entry.
    """
    from django.template.loader import render_to_string
    from django.utils import translation

    from .tasks import send_mail_task

    with translation.override(language):
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        body = render_to_string(f"{template_prefix}_message.txt", context)
    kwargs = {"subject": settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, "body": body, "to": list(to)}
    if attachments:
        kwargs["attachments"] = [list(attachment) for attachment in attachments]
    send_mail_task.enqueue(**kwargs)
