"""HTML → PDF with WeasyPrint, without any request to the network.

``render_pdf`` lays out an HTML document with the print stylesheet ``exports/print.css`` (A4, running header,
"Seite X von Y"). Resources are fetched by ``LocalURLFetcher``: ``data:`` URIs and the app's own static files
(resolved from disk by the staticfiles finders) are allowed; every other URL — http(s), ftp, arbitrary files — is
refused, so a text a user typed can never make the server fetch a third-party address.
"""

from __future__ import annotations

import logging
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)


def _cache_page_references() -> None:
    """Make ``pydyf.PDF.page_references`` O(1) per access instead of O(pages).

    The property builds the tuple of all page references on every access, and WeasyPrint's PDF tagging reads it once
    per tagged element: quadratic in the size of the document (a 150-page plan: five million generator steps, about
    a tenth of the export time). The references only change when a page is added (``Kids`` grows), so they are
    cached per length of ``Kids``. Does nothing if pydyf no longer has the property.
    """
    original = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(original, property) or getattr(original.fget, "daks_cached", False):
        return

    def page_references(pdf):
        kids = pdf.pages["Kids"]
        cached = pdf.__dict__.get("_daks_page_references")
        if cached is None or cached[0] != len(kids):
            cached = pdf.__dict__["_daks_page_references"] = (len(kids), original.fget(pdf))
        return cached[1]

    page_references.daks_cached = True
    pydyf.PDF.page_references = property(page_references)


_cache_page_references()

#: The base URL documents are laid out against: ``/static/…`` becomes ``file:///static/…`` and is served by the
#: fetcher from the staticfiles finders (never from that path on disk).
LOCAL_BASE_URL = "file:///"
PRINT_CSS = "exports/print.css"


class RefusedURL(ValueError):
    """A URL the PDF renderer does not fetch."""


def _static_path(url: str) -> str | None:
    """The staticfiles path of ``url`` (``"exports/print.css"``), or None when it is not one of the app's."""
    static_url = settings.STATIC_URL or "/static/"
    parts = urlsplit(url)
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        path = unquote(parts.path)
        prefix = urlsplit(static_url).path or "/static/"
    elif "://" in static_url and url.startswith(static_url):
        path, prefix = unquote(parts.path), urlsplit(static_url).path
    else:
        return None
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix) :]
    if not relative or relative.startswith("/") or ".." in relative.split("/"):
        return None
    return relative


class LocalURLFetcher(URLFetcher):
    """Fetches ``data:`` URIs and the app's static files; refuses everything else."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, **kwargs)

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        relative = _static_path(url)
        found = finders.find(relative) if relative else None
        if not found:
            logger.warning("PDF export: refused to fetch %s", url[:200])
            raise RefusedURL(f"not fetched (only data: URIs and the app's static files): {url[:200]}")
        path = Path(found)
        mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mimetype})


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _css_content(label: str, values: dict[str, str]) -> str:
    """``"Seite {page} von {pages}"`` → ``"Seite " counter(page) " von " counter(pages)``."""
    tokens = []
    pattern = "|".join(re.escape(name) for name in values)
    for index, piece in enumerate(re.split(r"\{(%s)\}" % pattern, label)):  # noqa: UP031
        if index % 2:
            tokens.append(values[piece])
        elif piece:
            tokens.append(_css_string(piece))
    return " ".join(tokens)


def page_number_css() -> str:
    """The page numbers in the active language: ``"Seite " counter(page) " von " counter(pages)``."""
    page = _css_content(_("Page {page} of {pages}"), {"page": "counter(page)", "pages": "counter(pages)"})
    return f"@page {{ @bottom-right {{ content: {page}; }} }}"


def print_stylesheets(fetcher: URLFetcher) -> list[CSS]:
    path = finders.find(PRINT_CSS)
    return [
        CSS(string=Path(path).read_text(encoding="utf-8"), base_url=LOCAL_BASE_URL, url_fetcher=fetcher),
        CSS(string=page_number_css(), url_fetcher=fetcher),
    ]


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of ``html`` (a complete document with ``<html lang>`` and ``<title>``, which become the PDF's
    language and title), laid out with the print stylesheet. No URL outside the app is fetched."""
    fetcher = LocalURLFetcher()
    document = HTML(string=html, base_url=base_url or LOCAL_BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=print_stylesheets(fetcher), pdf_tags=True)
