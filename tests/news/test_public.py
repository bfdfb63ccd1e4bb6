"""Public news pages: only published news, filter and pagination, Open Graph, sanitised Markdown, cookie-free."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from daks.news import selectors
from daks.news.models import NewsKind, NewsStatus

from .factories import NewsItemFactory

pytestmark = pytest.mark.django_db


def _assert_cookie_free(response):
    assert not response.cookies
    assert "public" in response["Cache-Control"]


def test_list_shows_only_published_news(client, municipality):
    published = NewsItemFactory(title="Veröffentlicht", municipality=municipality)
    for status in (NewsStatus.DRAFT, NewsStatus.SUBMITTED, NewsStatus.REJECTED):
        NewsItemFactory(title=f"Nicht sichtbar {status}", status=status, published_at=None)
    response = client.get(reverse("news:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert published.title in content and municipality.name in content
    assert "Nicht sichtbar" not in content
    assert 'type="application/rss+xml"' in content and 'type="application/atom+xml"' in content
    _assert_cookie_free(response)


def test_list_filters_by_kind(client):
    NewsItemFactory(title="Eine Nachricht", kind=NewsKind.NEWS)
    NewsItemFactory(title="Eine Publikation", kind=NewsKind.PUBLICATION)
    content = client.get(reverse("news:list"), {"art": "publication"}).content.decode()
    assert "Eine Publikation" in content and "Eine Nachricht" not in content
    # An unknown kind shows everything instead of failing.
    content = client.get(reverse("news:list"), {"art": "<script>"}).content.decode()
    assert "Eine Publikation" in content and "Eine Nachricht" in content


def test_list_is_paginated_with_a_fixed_number_of_queries(client, municipality, django_assert_num_queries):
    now = timezone.now()
    for number in range(25):
        NewsItemFactory(title=f"Meldung Nummer {number:02d}", municipality=municipality,
                        published_at=now - timedelta(hours=number))  # fmt: skip
    with django_assert_num_queries(2):  # count + page (with the Kommune joined)
        response = client.get(reverse("news:list"))
    content = response.content.decode()
    assert "Meldung Nummer 00" in content and "Meldung Nummer 10" not in content
    assert 'rel="next"' in content
    page3 = client.get(reverse("news:list"), {"page": 3}).content.decode()
    assert "Meldung Nummer 24" in page3 and "Meldung Nummer 19" not in page3


def test_detail_has_open_graph_tags_and_sanitised_markdown(client, municipality):
    item = NewsItemFactory(
        title="Generationentreff eröffnet",
        teaser="Ein Treffpunkt für alle.",
        body="## Hallo\n\n<script>alert(1)</script> [Link](javascript:alert(1)) **fett**",
        municipality=municipality,
    )
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert '<meta property="og:title" content="Generationentreff eröffnet">' in content
    assert '<meta property="og:description" content="Ein Treffpunkt für alle.">' in content
    assert '<meta property="og:type" content="article">' in content
    assert f'<meta property="og:url" content="http://testserver{item.get_absolute_url()}">' in content
    assert "article:published_time" in content
    assert "<h2>Hallo</h2>" in content and "<strong>fett</strong>" in content
    assert "<script>alert(1)" not in content and 'href="javascript' not in content
    _assert_cookie_free(response)


@pytest.mark.parametrize("status", [NewsStatus.DRAFT, NewsStatus.SUBMITTED, NewsStatus.REJECTED])
def test_detail_of_unpublished_news_is_404(client, status):
    item = NewsItemFactory(status=status, published_at=None)
    assert client.get(item.get_absolute_url()).status_code == 404


def test_news_of_municipality_for_the_portrait(municipality, other_municipality, django_assert_num_queries):
    now = timezone.now()
    own = [NewsItemFactory(municipality=municipality, published_at=now - timedelta(days=d)) for d in range(4)]
    NewsItemFactory(municipality=municipality, status=NewsStatus.SUBMITTED, published_at=None)
    NewsItemFactory(municipality=other_municipality)
    NewsItemFactory()
    with django_assert_num_queries(1):
        found = selectors.news_of_municipality(municipality, limit=3)
        assert [item.municipality.name for item in found] == [municipality.name] * 3
    assert found == own[:3]


def test_list_filters_by_kommune(client, municipality, other_municipality):
    NewsItemFactory(title="Aus Musterstadt", municipality=municipality)
    NewsItemFactory(title="Aus Anderdorf", municipality=other_municipality)
    content = client.get(reverse("news:list"), {"kommune": municipality.slug}).content.decode()
    assert "Aus Musterstadt" in content and "Aus Anderdorf" not in content
    content = client.get(reverse("news:list"), {"kommune": "gibt-es-nicht"}).content.decode()
    assert "Aus Musterstadt" in content and "Aus Anderdorf" in content
