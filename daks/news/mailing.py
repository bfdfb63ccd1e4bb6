"""Rendering a newsletter issue: subject, plain text and sanitised HTML (from Markdown; no images, no pixels).

The same function serves the preview of the editorial office, the public archive and the worker task; only the
mail gets the personal unsubscribe link.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from daks.core.richtext import render_markdown

from .models import NewsletterIssue


@dataclass
class RenderedIssue:
    subject: str
    text: str
    html: str


def issue_news(issue: NewsletterIssue) -> list[dict]:
    """The news of the issue with absolute links (title, teaser, url), in the order of publication."""
    return [
        {"title": item.title, "teaser": item.teaser, "url": f"{settings.DAKS_BASE_URL}{item.get_absolute_url()}"}
        for item in sorted(issue.news_items.all(), key=lambda item: (item.published_at is None, item.published_at))
    ]


def render_issue(
    issue: NewsletterIssue, *, unsubscribe_url: str = "", language: str = "de", news: list[dict] | None = None
) -> RenderedIssue:
    context = {
        "issue": issue,
        "body_html": render_markdown(issue.body),
        "news": issue_news(issue) if news is None else news,
        "unsubscribe_url": unsubscribe_url,
        "archive_url": settings.DAKS_BASE_URL + issue.get_absolute_url() if issue.pk else "",
    }
    with translation.override(language):
        text = render_to_string("news/email/newsletter_issue_message.txt", context)
        html = render_to_string("news/email/newsletter_issue_message.html", context)
    return RenderedIssue(subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + issue.subject, text=text, html=html)
