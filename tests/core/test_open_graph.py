"""Open Graph metadata: every shareable public page names title, type, url and an image with absolute URLs."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from daks.core.templatetags.daks_meta import SHARE_IMAGE, SHARE_IMAGE_SIZE
from tests.events.factories import EventFactory
from tests.network.factories import GroupFactory, PortraitFactory, image_bytes
from tests.news.factories import NewsItemFactory
from tests.toolbox.factories import ToolFactory

pytestmark = pytest.mark.django_db

META = re.compile(r'<meta property="(og:[a-z:_]+)" content="([^"]*)">')


def open_graph(client, url) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    properties = dict(META.findall(response.content.decode()))
    for required in ("og:title", "og:type", "og:url", "og:image"):
        assert properties.get(required), (url, required)
    assert properties["og:url"].startswith("http://testserver/")
    assert properties["og:image"].startswith("http://testserver/")
    return properties


def test_share_image_has_the_announced_size():
    path = Path(settings.BASE_DIR) / "daks/core/static" / SHARE_IMAGE
    with Image.open(path) as image:
        assert image.size == SHARE_IMAGE_SIZE
        assert image.format == "PNG"


def test_pages_without_an_image_of_their_own_show_the_share_image(client):
    tool = ToolFactory(title="Zukunftswerkstatt & Co.", teaser="Drei Phasen.")
    event = EventFactory(title="Seminar Wohnen")
    group = GroupFactory(name="Cluster Süd", description="Kommunen aus dem **Süden**.")
    for url in (
        reverse("toolbox:search") + "?q=Zukunft",
        tool.get_absolute_url(),
        reverse("news:list"),
        reverse("events:list"),
        reverse("events:detail", kwargs={"slug": event.slug}),
        reverse("network:directory"),
        reverse("network:group", kwargs={"slug": group.slug}),
    ):
        properties = open_graph(client, url)
        assert properties["og:image"].endswith(".png"), url
        assert (properties["og:image:width"], properties["og:image:height"]) == ("1200", "630")
        assert properties["og:image:alt"].startswith("DAKS")
        assert properties["og:locale"] == "de_DE"

    properties = open_graph(client, tool.get_absolute_url())
    assert (properties["og:title"], properties["og:description"]) == ("Zukunftswerkstatt &amp; Co.", "Drei Phasen.")
    assert properties["og:type"] == "article"
    assert properties["og:url"] == f"http://testserver{tool.get_absolute_url()}"
    assert open_graph(client, reverse("toolbox:search") + "?q=Zukunft")["og:url"].endswith("?q=Zukunft")
    group_properties = open_graph(client, reverse("network:group", kwargs={"slug": group.slug}))
    assert group_properties["og:description"] == "Kommunen aus dem Süden."


def test_description_is_stated_once_for_search_engines_and_previews(client):
    tool = ToolFactory(teaser="Drei Phasen.")
    event = EventFactory(title="Seminar Wohnen")
    for url, description in (
        (tool.get_absolute_url(), "Drei Phasen."),
        (reverse("events:detail", kwargs={"slug": event.slug}), "Online-Seminar: Seminar Wohnen, "),
        (reverse("toolbox:search"), "Methoden, Konzepte"),
    ):
        html = client.get(url).content.decode()
        assert html.count('<meta name="description"') == 1, url
        assert f'<meta name="description" content="{description}' in html, url
        assert f'<meta property="og:description" content="{description}' in html, url


def test_own_images_replace_the_share_image(client, municipality):
    portrait = PortraitFactory(municipality=municipality, image_alt="Das Rathaus am Markt")
    portrait.image.save("rathaus.png", ContentFile(image_bytes("PNG")))
    properties = open_graph(client, portrait.get_absolute_url())
    image_url = reverse("network:portrait_image", kwargs={"municipality_slug": municipality.slug})
    assert properties["og:image"] == f"http://testserver{image_url}"
    assert properties["og:image:alt"] == "Das Rathaus am Markt"
    assert "og:image:width" not in properties
    assert properties["og:description"] == "Wir gestalten den demografischen Wandel."

    item = NewsItemFactory(image_alt="Titelbild")
    item.image.save("titel.png", ContentFile(image_bytes("PNG")))
    properties = open_graph(client, item.get_absolute_url())
    assert properties["og:image"] == f"http://testserver{item.image.url}"
    assert properties["og:image:alt"] == "Titelbild"


def test_english_pages_announce_their_locale(client):
    properties = open_graph(client, reverse("toolbox:search"))
    assert properties["og:locale"] == "de_DE"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert open_graph(client, reverse("toolbox:search"))["og:locale"] == "en_GB"
