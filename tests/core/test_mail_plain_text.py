"""No user HTML in e-mails: every mail of DAKS is plain text; the one HTML mail (the newsletter) is sanitised.

Every mail template is sent once with a hostile payload in every variable it uses (a stand-in object that is the
payload as text and has every attribute and item), and one mail goes through a public form end to end.
"""

from pathlib import Path

import pytest
from django.core import mail
from django.template.utils import get_app_template_dirs

from daks.core.mail import send_templated_mail

from .test_sanitising import ROOT, assert_sanitised

PAYLOAD = '<script>alert("x")</script> & <b onmouseover="x()">Müller & Söhne</b>'

#: The only mail template that produces HTML (an alternative part next to the text): the newsletter.
HTML_MAIL_TEMPLATES = {"news/email/newsletter_issue_message.html"}


class Anything(str):
    """The payload as text; any attribute or item is the payload again; iterates over two of them; counts as 2."""

    def __new__(cls):
        return super().__new__(cls, PAYLOAD)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _value(name)

    def __getitem__(self, key):  # templates look up items before attributes
        return _value(key) if isinstance(key, str) else Anything()

    def __iter__(self):
        return iter([Anything(), Anything()])

    def __int__(self):
        return 2


def _value(name: str):
    """Dates where a template formats a date (``|date`` needs one), the payload everywhere else."""
    if name.endswith(("_at", "_on", "_for", "date", "deadline", "_until", "due")) or name in ("starts", "ends"):
        from django.utils import timezone

        return timezone.now()
    return Anything()


class AnythingContext(dict):
    """A template context that has every variable (counters are numbers, flags are true)."""

    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        if key in ("count", "counter", "days", "number", "total", "remaining"):
            return 2
        return dict.get(self, key, _value(key))


def mail_templates():
    """{template prefix: path of its message template} of all mails sent through send_templated_mail."""
    found = {}
    for folder in map(Path, get_app_template_dirs("templates")):
        if ROOT not in folder.resolve().parents or ".venv" in folder.parts:
            continue
        for path in folder.rglob("*_message.*"):
            if "email" in path.parts:
                found[path.relative_to(folder).as_posix()] = path
    return found


def test_mail_templates_are_plain_text():
    templates = mail_templates()
    assert len(templates) > 20
    html = {name for name in templates if not name.endswith(".txt")}
    assert html == HTML_MAIL_TEMPLATES, "A new HTML mail: mails are plain text (see daks.core.mail)."


#: Every mail sent through send_templated_mail (the newsletter issue is rendered by daks.news.mailing: text plus
#: sanitised HTML, see its own test below).
PREFIXES = sorted(
    name.removesuffix("_message.txt")
    for name in mail_templates()
    if name.endswith("_message.txt") and name != "news/email/newsletter_issue_message.txt"
)


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_mail_is_plain_text_with_the_payload_verbatim(prefix, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_mail(prefix, AnythingContext(), ["empfaenger@example.org"])
    [message] = mail.outbox
    assert message.content_subtype == "plain"
    assert not getattr(message, "alternatives", None)
    assert "\n" not in message.subject and "\r" not in message.subject
    # Plain text: the user's text as it is — not HTML-escaped into "&lt;" or "&amp;" (which a mail client shows)
    for part in (message.subject, message.body):
        assert "&lt;" not in part and "&amp;" not in part and "&quot;" not in part, part[:300]
    assert "{{" not in message.body and "{%" not in message.body


@pytest.mark.django_db
def test_newsletter_html_is_sanitised_and_text_is_plain():
    from daks.news.mailing import render_issue
    from daks.news.models import NewsletterIssue

    body = f"# Neu\n\n{PAYLOAD}\n\n[Link](javascript:alert(1)) <iframe src=//evil.example></iframe>"
    issue = NewsletterIssue(subject=PAYLOAD, body=body)
    news = [{"title": PAYLOAD, "teaser": PAYLOAD, "url": "https://daks.example/neuigkeiten/x/"}]
    rendered = render_issue(issue, unsubscribe_url="https://daks.example/abmelden/x/", news=news)
    assert "<script" not in rendered.html and "<iframe" not in rendered.html and "<b " not in rendered.html
    assert 'href="javascript' not in rendered.html.lower()
    body_start = rendered.html.index("</h1>") + len("</h1>")
    assert_sanitised(rendered.html[body_start : rendered.html.index("<hr>")])
    assert "&lt;script&gt;" in rendered.html  # the subject, escaped in the HTML part
    assert PAYLOAD in rendered.text and "&lt;" not in rendered.text  # and verbatim in the text part


@pytest.mark.django_db
def test_public_contact_form_mail_is_plain_text(client, municipality, django_capture_on_commit_callbacks):
    """End to end: a message through a Kommune's public portrait reaches its contact person as plain text."""
    from django.urls import reverse

    from tests.network.factories import PortraitFactory, consenting_contact

    portrait = PortraitFactory(municipality=municipality)
    portrait.contacts.add(consenting_contact(municipality, user__email="kontakt@example.org"))
    url = reverse("network:contact", kwargs={"municipality_slug": municipality.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"name": PAYLOAD[:100], "email": "absender@example.org", "message": PAYLOAD, "privacy": "on"}
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["kontakt@example.org"]
    assert message.content_subtype == "plain" and not getattr(message, "alternatives", None)
    assert PAYLOAD in message.body and "&lt;" not in message.body and "&amp;" not in message.body
