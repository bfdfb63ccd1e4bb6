"""The public pages of the Werkzeugkoffer: search, tool page, downloads — cookie-free and cacheable."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from daks.toolbox.models import ToolAttachment, ToolStatus

from .factories import ToolFactory

pytestmark = pytest.mark.django_db


def test_search_page_lists_highlights_and_keeps_filters_in_links(client):
    ToolFactory(title="Pflegekraft gewinnen", topics=["gesundheit-pflege"], steps=["plan"])
    ToolFactory(title="Wohnen im Alter", topics=["wohnen"])
    response = client.get(reverse("toolbox:search"), {"q": "Pflegekräfte", "topic": "gesundheit-pflege"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Pflegekraft</mark> gewinnen" in html
    assert "Wohnen im Alter" not in html
    assert 'value="gesundheit-pflege" checked' in html
    assert "?q=Pflegekr%C3%A4fte" in html  # the "remove filter" link keeps the query


def test_no_results_page_helps(client):
    ToolFactory(title="Wohnen im Alter", topics=["wohnen"])
    html = client.get(reverse("toolbox:search"), {"q": "Raumfahrt"}).content.decode()
    assert "Kein Werkzeug passt zu Ihrer Suche." in html
    assert "?topic=wohnen" in html


def test_public_pages_set_no_cookie_and_are_cacheable(client):
    tool = ToolFactory(title="Wohnen im Alter")
    for url in (reverse("toolbox:search") + "?q=wohnen", tool.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies, url
        assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
        assert "csrfmiddlewaretoken" not in response.content.decode()


def test_signed_in_users_get_private_pages(client, user, login):
    login(user)
    response = client.get(reverse("toolbox:search"))
    assert "private" in response["Cache-Control"]


def test_tool_page_has_open_graph_metadata_and_sanitised_body(client):
    tool = ToolFactory(
        title="Zukunftswerkstatt & Co.",
        teaser="Drei Phasen.",
        body="## Ablauf\n\nText <script>alert('x')</script> [Link](javascript:alert(1)) <img src=x onerror=alert(1)>",
    )
    html = client.get(tool.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Zukunftswerkstatt &amp; Co.">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'content="http://testserver/werkzeugkoffer/{tool.slug}/"' in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert 'href="javascript' not in html and "<img src=x" not in html
    assert "<h2>Ablauf</h2>" in html


def test_unpublished_tools_are_not_public(client):
    for status in (ToolStatus.DRAFT, ToolStatus.REVIEW, ToolStatus.ARCHIVED):
        tool = ToolFactory(status=status)
        assert client.get(tool.get_absolute_url()).status_code == 404


def test_external_video_needs_an_explicit_click(client):
    tool = ToolFactory(video_url="https://www.youtube.com/watch?v=abcDEF12345")
    html = client.get(tool.get_absolute_url()).content.decode()
    assert "<iframe" not in html
    assert 'data-embed-url="https://www.youtube-nocookie.com/embed/abcDEF12345"' in html
    assert "YouTube" in html


def test_attachment_download_only_of_published_tools(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tool = ToolFactory()
    item = ToolAttachment(tool=tool, title="Vorlage", content_type="application/pdf", size=9)
    item.file.save("vorlage.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    url = reverse("toolbox:attachment", args=[tool.slug, item.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n"
    assert "attachment" in response["Content-Disposition"]
    tool.status = ToolStatus.DRAFT
    tool.save()
    assert client.get(url).status_code == 404


def test_used_by_count_shows_only_published_plans(client):
    tool = ToolFactory()
    html = client.get(tool.get_absolute_url()).content.decode()
    assert "veröffentlichten Plan" not in html


def test_originating_kommune_links_to_its_public_portrait_else_its_statistics(client):
    from django.utils import timezone

    from tests.factories import MunicipalityFactory
    from tests.network.factories import PortraitFactory

    town = MunicipalityFactory(name="Musterhausen", official_key="09162000", verified_at=timezone.now())
    tool = ToolFactory(origin_municipality=town)
    html = client.get(tool.get_absolute_url()).content.decode()
    assert reverse("demography:region", args=["09162000"]) in html

    portrait = PortraitFactory(municipality=town)
    html = client.get(tool.get_absolute_url()).content.decode()
    assert f'href="{portrait.get_absolute_url()}">Musterhausen</a>' in html

    portrait.is_public = False
    portrait.save()
    town.official_key = ""
    town.save()
    html = client.get(tool.get_absolute_url()).content.decode()
    assert portrait.get_absolute_url() not in html and "Musterhausen" in html


def test_tool_page_links_the_recordings_and_slides_of_past_events(client):
    from datetime import timedelta

    from django.utils import timezone

    from daks.events.models import EventStatus
    from tests.events.factories import EventFactory

    tool = ToolFactory()
    past = timezone.now() - timedelta(days=30)
    seminar = EventFactory(
        title="Online-Seminar Pflege vor Ort", starts_at=past, recording_url="https://video.example.org/aufzeichnung"
    )
    seminar.tools.add(tool)
    upcoming = EventFactory(title="Kommendes Seminar")
    upcoming.tools.add(tool)
    draft = EventFactory(title="Entwurf eines Seminars", starts_at=past, status=EventStatus.DRAFT)
    draft.tools.add(tool)

    html = client.get(tool.get_absolute_url()).content.decode()
    assert "Aus Veranstaltungen des Netzwerks" in html
    assert "Online-Seminar Pflege vor Ort" in html and "https://video.example.org/aufzeichnung" in html
    assert reverse("events:detail", args=[seminar.slug]) + "#material" in html
    assert "Kommendes Seminar" not in html and "Entwurf eines Seminars" not in html


def test_tool_page_without_events_has_no_event_section(client):
    html = client.get(ToolFactory().get_absolute_url()).content.decode()
    assert "Aus Veranstaltungen des Netzwerks" not in html
