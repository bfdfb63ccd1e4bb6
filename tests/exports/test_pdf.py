import base64
import io

import pytest
from django.utils import translation

from daks.exports.pdf import LocalURLFetcher, RefusedURL, page_number_css, render_pdf

from .readers import pdf_reader, pdf_text


def png_data_uri() -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "#0b5a7a").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def document(body: str, title: str = "Kommunalprofil Musterstadt") -> str:
    return f'<!DOCTYPE html><html lang="de"><head><title>{title}</title></head><body>{body}</body></html>'


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/logo.png",
        "https://example.org/style.css",
        "HTTPS://EXAMPLE.ORG/x.css",
        "ftp://example.org/file",
        "file:///etc/passwd",
        "file:///static/../etc/passwd",
        "file://example.org/static/exports/print.css",
        "//example.org/static/exports/print.css",
    ],
)
def test_fetcher_refuses_everything_outside_the_app(url):
    with pytest.raises(RefusedURL):
        LocalURLFetcher().fetch(url)


def test_fetcher_allows_data_uris_and_own_static_files():
    fetcher = LocalURLFetcher()
    response = fetcher.fetch("data:text/plain;base64,SGFsbG8=")
    assert response.read() == b"Hallo"
    response = fetcher.fetch("file:///static/exports/print.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_no_network_request_is_made_for_remote_resources(monkeypatch):
    """An image or stylesheet on another host is skipped; the document still renders."""
    import socket

    from weasyprint.urls import URLFetcher

    def fail(*args, **kwargs):  # pragma: no cover - must not be called
        raise AssertionError("network access")

    monkeypatch.setattr(URLFetcher, "open", fail)
    monkeypatch.setattr(socket, "create_connection", fail)
    monkeypatch.setattr(socket.socket, "connect", fail)
    html = document(
        '<link rel="stylesheet" href="https://example.org/evil.css">'
        '<img src="http://example.org/tracker.png" alt="">'
        f'<img src="{png_data_uri()}" alt="Punkt">'
        '<img src="/static/exports/missing.png" alt="">'
        "<h1>Musterstadt</h1><p>Größe</p>"
    )
    content = render_pdf(html)
    assert "Musterstadt" in pdf_text(content)


def test_metadata_language_page_numbers_and_running_header():
    html = document(
        '<div class="running-header">Musterstadt</div>'
        '<section class="title-page"><h1>Titelseite</h1><p class="document-date">Stand: 1. März 2026</p></section>'
        "<h2>Kapitel</h2><p>Inhalt</p>"
    )
    with translation.override("de"):
        content = render_pdf(html)
    reader = pdf_reader(content)
    assert reader.metadata.title == "Kommunalprofil Musterstadt"
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert len(reader.pages) == 2
    first, second = (page.extract_text() for page in reader.pages)
    # (“Page … of …” until the German catalogue with the new message is compiled)
    assert "Seite 2 von 2" in second or "Page 2 of 2" in second
    assert "Musterstadt" in second  # running header
    assert "Stand: 1. März 2026" in second  # footer
    # the title page has neither header nor footer
    assert "Musterstadt" not in first and "von 2" not in first and "of 2" not in first
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4


def test_without_title_page_the_first_page_has_header_and_number():
    html = document('<div class="running-header">Musterstadt</div><h1>Protokoll</h1>')
    with translation.override("en"):
        text = pdf_text(render_pdf(html))
    assert "Musterstadt" in text and "Page 1 of 1" in text


def test_page_numbers_follow_the_language():
    with translation.override("en"):
        assert page_number_css() == '@page { @bottom-right { content: "Page " counter(page) " of " counter(pages); } }'


def test_pdf_opens_with_pypdf():
    content = render_pdf(document("<p>Hallo</p>"))
    assert content.startswith(b"%PDF-")
    assert pdf_reader(io.BytesIO(content).getvalue()).pages


def test_page_references_are_cached_until_a_page_is_added():
    import pydyf

    import daks.exports.pdf  # noqa: F401 – installs the cache

    document = pydyf.PDF()
    for _ in range(3):
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    references = document.page_references
    assert references == tuple(f"{number} 0 R".encode() for number in document.pages["Kids"][::3])
    assert document.page_references is references  # no new tuple per access
    document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(document.page_references) == 4 and document.page_references[:3] == references
