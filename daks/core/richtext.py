"""Markdown for editorial texts: CommonMark without raw HTML, sanitised with nh3."""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "em", "code", "pre",
    "blockquote", "br", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


_HEADING_TAGS = {"h1": "h2", "h5": "h4", "h6": "h4"}


def render_markdown(text: str) -> SafeString:
    """Render Markdown ``text`` to sanitised HTML.

    The page has its own ``<h1>``: Markdown headings ``#`` become ``<h2>``, levels below ``<h4>`` become ``<h4>``.
    Table header cells get ``scope="col"``.
    """
    tokens = _markdown.parse(text or "")
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = _HEADING_TAGS.get(token.tag, token.tag)
        elif token.type == "th_open":
            token.attrSet("scope", "col")
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 – sanitised by nh3 above
