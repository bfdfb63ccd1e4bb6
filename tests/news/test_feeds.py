"""RSS 2.0 and Atom feeds: valid XML with the required elements, correct content types, only published news."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from daks.news.models import NewsStatus

from .factories import NewsItemFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def news(municipality):
    now = timezone.now()
    return [
        NewsItemFactory(title="Erste & beste Meldung", teaser="Anreißer <eins>", published_at=now - timedelta(days=2)),
        NewsItemFactory(title="Zweite Meldung", municipality=municipality, published_at=now - timedelta(days=1)),
        NewsItemFactory(title="Entwurf", status=NewsStatus.DRAFT, published_at=None),
    ]


def test_rss_feed_is_valid_rss_2(client, news):
    response = client.get(reverse("news:feed_rss"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert not response.cookies
    root = ET.fromstring(response.content)  # noqa: S314 – our own output
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for element in ("title", "link", "description"):
        assert channel.findtext(element), element
    assert channel.findtext("link") == "http://testserver/aktuelles/"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Zweite Meldung", "Erste & beste Meldung"]
    for item in items:
        assert item.findtext("link").startswith("http://testserver/aktuelles/")
        assert item.findtext("guid") == item.findtext("link")
        assert item.findtext("pubDate")
        assert item.findtext("description")
    assert items[1].findtext("description") == "Anreißer <eins>"
    assert items[0].findtext("{http://purl.org/dc/elements/1.1/}creator") == "Musterstadt"


def test_atom_feed_is_valid_atom_1(client, news):
    response = client.get(reverse("news:feed_atom"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 – our own output
    assert root.tag == f"{ATOM}feed"
    for element in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{element}"), element
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/aktuelles/feed/atom/"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        for element in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{element}"), element
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/aktuelles/")
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None


def test_empty_feeds_are_valid(client, db):
    for name in ("news:feed_rss", "news:feed_atom"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        ET.fromstring(response.content)  # noqa: S314 – our own output
