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


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a text template with autoescaping off (for plain-text mails; never for HTML)."""
    from django.template import Context
    from django.template.loader import get_template

    return get_template(template_name).template.render(Context(context, autoescape=False))


def send_templated_mail(
    template_prefix: str,
    context: dict,
    to: list[str],
    *,
    language: str = "de",
    attachments: list[tuple[str, str, str]] | None = None,
) -> None:
    """Render ``<prefix>_subject.txt`` and ``<prefix>_message.txt`` in ``language`` and queue the mail.

    Mails are plain text only: no user-provided HTML ever ends up in a mail. The templates are rendered without
    HTML escaping (whether or not they say ``{% autoescape off %}``): "Müller & Söhne" stays as it is instead of
    becoming "Müller &amp; Söhne" in a subject. ``attachments`` are (filename, text content, mimetype) triples,
    e.g. an .ics calendar entry.
    """
    from django.utils import translation

    from .tasks import send_mail_task

    with translation.override(language):
        subject = " ".join(render_plain_text(f"{template_prefix}_subject.txt", context).split())
        body = render_plain_text(f"{template_prefix}_message.txt", context)
    kwargs = {"subject": settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, "body": body, "to": list(to)}
    if attachments:
        kwargs["attachments"] = [list(attachment) for attachment in attachments]
    send_mail_task.enqueue(**kwargs)
