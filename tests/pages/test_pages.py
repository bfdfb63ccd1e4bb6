import pytest
from django.urls import resolve, reverse

from daks.core.richtext import render_markdown
from daks.pages.models import Page
from tests.accounts.conftest import check_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("slug", "path", "title", "german"),
    [
        ("impressum", "/impressum/", "Impressum", "Betreiberin dieser Installation"),
        ("datenschutz", "/datenschutz/", "Datenschutzerklärung", "Art. 15"),
        ("barrierefreiheit", "/barrierefreiheit/", "Erklärung zur Barrierefreiheit", "WCAG) 2.1"),
    ],
)
def test_legal_pages_render_in_german(client, slug, path, title, german):
    assert reverse("pages:page", args=[slug]) == path
    response = client.get(path)
    assert response.status_code == 200
    html = check_page(response)
    assert f"<h1>{title}</h1>" in html
    assert german in html
    assert "Muster" in html
    assert "Stand:" in html


def test_privacy_page_describes_what_daks_processes(client):
    html = client.get("/datenschutz/").content.decode()
    for phrase in ["Sitzungs-Cookie", "keine externen Schriftarten", "Server-Protokolle", "Art. 21", "Konto"]:
        assert phrase in html, phrase


def test_accessibility_statement(client):
    html = client.get("/barrierefreiheit/").content.decode()
    for phrase in ["BITV 2.0", "axe-core", "Tastatur", "wird laufend geprüft", "Schlichtungsverfahren"]:
        assert phrase in html, phrase


def test_accessibility_statement_follows_the_bitv_template(client):
    html = client.get("/barrierefreiheit/").content.decode()
    headings = [
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Feedback und Kontaktangaben",
        "Schlichtungsverfahren",
    ]
    positions = [html.index(f"<h2>{heading}</h2>") for heading in headings]
    assert positions == sorted(positions)
    for phrase in [
        "teilweise vereinbar",
        "erstellt und zuletzt am [Datum eintragen] überprüft",
        'href="/barrierefreiheit/barriere-melden/"',
        "Schlichtungsstelle nach § 16 BGG",
        "Mauerstraße 53",
        "10117 Berlin",
        'href="https://www.schlichtungsstelle-bgg.de"',
        'href="/leichte-sprache/"',
    ]:
        assert phrase in html, phrase


def test_page_in_leichte_sprache(client):
    assert reverse("pages:page", args=["leichte-sprache"]) == "/leichte-sprache/"
    response = client.get("/leichte-sprache/")
    assert response.status_code == 200
    html = check_page(response)
    assert "<h1>Leichte Sprache</h1>" in html
    assert 'class="prose prose--easy"' in html and "pages/easy-language.css" in html
    for phrase in ["DAKS ist für Städte und Gemeinden.<br>", "Zukunfts·werkstatt", "Werkzeug·koffer", "Barriere"]:
        assert phrase in html, phrase
    assert 'href="/barrierefreiheit/barriere-melden/"' in html


def test_leichte_sprache_keeps_its_rules():
    """Short sentences, one per line, no abbreviations, no passive voice (as far as a machine can tell)."""
    import re

    from daks.pages.defaults import LEICHTE_SPRACHE

    lines = [line.rstrip("\\").strip() for line in LEICHTE_SPRACHE.splitlines() if line.strip()]
    text_lines = [line for line in lines if not line.startswith("#")]
    for line in text_lines:
        assert len(line.split()) <= 13, f"sentence too long: {line}"
        sentence = line.lstrip("- ")
        assert sentence.count(". ") == 0, f"more than one sentence in a line: {line}"
    words = set(re.findall(r"[\w·-]+\.?", LEICHTE_SPRACHE.lower()))
    assert not words & {"z.", "bzw.", "usw.", "ggf.", "d.", "u.", "ca.", "etc."}
    assert not words & {"wird", "werden", "wurde", "wurden", "worden"}


def test_page_text_language_is_marked_when_the_interface_is_english(client):
    html = client.get("/leichte-sprache/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert '<div class="page-text" lang="de">\n    <h1>Leichte Sprache</h1>' in html
    german = client.get("/leichte-sprache/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<div class="page-text">\n    <h1>Leichte Sprache</h1>' in german


def test_statement_migration_replaces_only_the_untouched_old_default(monkeypatch):
    import importlib

    from django.apps import apps

    from daks.pages.defaults import BARRIEREFREIHEIT

    migration = importlib.import_module("daks.pages.migrations.0004_easy_language_and_statement")
    Page.objects.filter(slug="leichte-sprache").delete()
    page = Page.objects.get(slug="barrierefreiheit")
    page.body = "Von der Betreiberin bearbeitet."
    page.save()
    migration.forwards(apps, None)
    page.refresh_from_db()
    assert page.body == "Von der Betreiberin bearbeitet."
    assert Page.objects.get(slug="leichte-sprache").title == "Leichte Sprache"

    page.body = "Alter Mustertext\r\n"
    page.save()
    monkeypatch.setattr(migration, "OLD_STATEMENT_SHA256", migration._digest("Alter Mustertext"))
    migration.forwards(apps, None)
    page.refresh_from_db()
    assert page.body == BARRIEREFREIHEIT


def test_unknown_page_is_404(client):
    assert client.get("/seiten/gibt-es-nicht/").status_code == 404
    assert client.get("/gibt-es-nicht/").status_code == 404


def test_additional_pages_live_under_seiten(client):
    Page.objects.create(slug="hilfe", title="Hilfe", body="Text")
    assert reverse("pages:page", args=["hilfe"]) == "/seiten/hilfe/"
    assert client.get("/seiten/hilfe/").status_code == 200
    assert client.get("/seiten/impressum/").status_code == 404  # only one address per page


def test_pages_do_not_swallow_other_addresses():
    assert resolve("/uebersicht/").view_name == "core:dashboard"
    assert resolve("/").view_name == "core:home"


def test_markdown_is_rendered_and_sanitised(client):
    Page.objects.create(
        slug="test",
        title="Test",
        body=(
            "# Überschrift\n\nText mit **fett** und [Link](https://example.org).\n\n"
            "<script>alert('x')</script>\n\n<b onclick=\"x()\">roh</b>\n\n[böse](javascript:alert(1))\n"
        ),
    )
    response = client.get("/seiten/test/")
    html = check_page(response)
    assert "<h2>Überschrift</h2>" in html
    assert "<strong>fett</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">Link</a>' in html
    assert "<script>alert" not in html
    assert "<b " not in html  # raw HTML is shown as text, never as markup
    assert 'href="javascript' not in html


def test_render_markdown_allows_only_the_listed_tags():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n> Zitat\n\n`code`\n\n![Bild](https://x/y.png)\n")
    assert '<th scope="col">a</th>' in html
    assert "<blockquote>" in html
    assert "<code>code</code>" in html
    assert "<img" not in html


def test_admin_can_edit_pages(client, staff_user):
    client.force_login(staff_user)
    page = Page.objects.get(slug="impressum")
    url = reverse("admin:pages_page_change", args=[page.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Impressum", "slug": "impressum", "language": "de", "body": "## Neu\n\nText"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.updated_by == staff_user
    assert "Neu" in client.get("/impressum/").content.decode()


def test_missing_legal_page_is_recreated_from_the_default_text(client):
    Page.objects.filter(slug="impressum").delete()
    response = client.get("/impressum/")
    assert response.status_code == 200
    assert "Betreiberin dieser Installation" in response.content.decode()
    assert Page.objects.filter(slug="impressum").exists()
