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
    response = client.post(url, {"title": "Impressum", "slug": "impressum", "body": "## Neu\n\nText"})
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
