"""Similar Kommunen: nearest profiles among the public portraits, shared topics, German reasons."""

import pytest
from django.urls import reverse

from daks.demography.comparison import FEATURE_NAMES
from daks.network.selectors import similar_portraits

from .factories import PortraitFactory, public_portrait_with_region

pytestmark = pytest.mark.django_db

VALUES = dict.fromkeys(FEATURE_NAMES, 1.0)


def kommune(name, key, vector, topics=None, values=None):
    return public_portrait_with_region(name=name, key=key, vector=vector, values=values or VALUES, topics=topics)


@pytest.fixture
def network(db):
    return {
        "ziel": kommune("Zielstadt", "09100001", [0.0] * 10, topics=["gesundheit-pflege", "wohnen"]),
        "nah": kommune("Nahdorf", "09100002", [0.3] * 10),
        "alter": kommune("Altersgleich", "09100003", [2, 2, 2, 0, 0, 2, 2, 2, 2, 2], topics=["gesundheit-pflege"]),
        "mittel": kommune("Mittelweit", "09100004", [1.0] * 10),
        "thema": kommune("Themenfreund", "09100005", [1.1] * 10, topics=["wohnen"]),
        "fern": kommune("Fernhausen", "09100006", [4.0] * 10),
    }


def names(items):
    return [item.portrait.municipality.name for item in items]


def test_nearest_first_and_stable(network):
    first = similar_portraits(network["ziel"], key="09100001", count=6)
    assert names(first) == ["Nahdorf", "Themenfreund", "Mittelweit", "Altersgleich", "Fernhausen"]
    assert names(similar_portraits(network["ziel"], key="09100001", count=6)) == names(first)
    assert "Zielstadt" not in names(first)


def test_shared_topic_moves_a_kommune_up(network):
    network["thema"].topics.clear()
    assert names(similar_portraits(network["ziel"], key="09100001", count=3)) == [
        "Nahdorf",
        "Mittelweit",
        "Themenfreund",
    ]


def test_reasons_in_german_from_the_profile_differences(network):
    items = {item.portrait.municipality.name: item for item in similar_portraits(network["ziel"], key="09100001")}
    reasons = items["Altersgleich"].reasons
    assert reasons[:2] == ["ähnliche Altersstruktur", "ähnlicher Altenquotient"]
    assert "ebenfalls Themenfeld Gesundheit und Pflege" in reasons
    assert "ebenfalls Themenfeld Wohnen" in items["Themenfreund"].reasons


def test_trend_reason_for_two_shrinking_kommunen(db):
    shrinking = {**VALUES, "change_pct_5y": -4.0}
    ziel = kommune("Schrumpfstadt", "09200001", [0.0] * 10, values=shrinking)
    kommune("Schrumpfdorf", "09200002", [0.0, 0.0] + [3.0] * 8, values=shrinking)
    assert similar_portraits(ziel, key="09200001")[0].reasons[:2] == ["ähnliche Größe", "ebenfalls schrumpfend"]


def test_portraits_without_statistics_by_shared_topics_only(network):
    ohne = PortraitFactory(municipality__name="Ohnezahlen", municipality__official_key="", topics=["wohnen"])
    PortraitFactory(municipality__name="Ganzanders", municipality__official_key="", topics=["integration"])
    found = similar_portraits(network["ziel"], key="09100001", count=10)
    assert names(found)[-1] == "Ohnezahlen" and "Ganzanders" not in names(found)
    assert found[-1].distance is None and found[-1].reasons == ["ebenfalls Themenfeld Wohnen"]
    assert ohne.pk


def test_private_portraits_are_never_suggested(network):
    network["nah"].is_public = False
    network["nah"].save()
    assert "Nahdorf" not in names(similar_portraits(network["ziel"], key="09100001", count=10))


def test_portrait_page_shows_similar_with_reasons(client, network):
    html = client.get(reverse("network:portrait", kwargs={"municipality_slug": network["ziel"].municipality.slug}))
    html = html.content.decode()
    assert "Nahdorf" in html and "ähnliche Altersstruktur" in html
    assert "stabil, mittleres Alter" in html  # the demographic type
