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


# --- Through the real path: indicator values → raw features → standardised vectors → nearest portraits ----------

#: Known indicator values (as the pipeline stores them): population and area, then the indicators.
#: Zielstadt and Zwillingsdorf are alike: an old, shrinking small town and village with the same change over five
#: years and the same age structure (share 65+, old-age dependency ratio, median age identical), close in the rest.
INDICATORS = (
    "change_pct_5y",
    "share_65_plus",
    "old_age_dependency_ratio",
    "median_age",
    "net_migration_per_1000",
    "natural_balance_per_1000",
    "projected_change_pct",
    "share_6_17",
)
#: name: (key, population, area km², values of INDICATORS in that order)
KNOWN = {
    "Zielstadt": ("09300001", 12_000, 40, (-3.0, 28.0, 45.0, 49.0, -2.0, -6.0, -8.0, 10.0)),
    "Zwillingsdorf": ("09300002", 11_000, 42, (-3.0, 28.0, 45.0, 49.0, -1.6, -5.5, -7.0, 10.3)),
    "Speckgürtel": ("09300003", 30_000, 35, (6.0, 15.0, 24.0, 38.0, 8.0, 2.0, 10.0, 14.0)),
    "Großstadt": ("09300004", 250_000, 120, (3.0, 19.0, 28.0, 42.0, 5.0, 0.5, 4.0, 11.0)),
    "Bergweiler": ("09300005", 1_500, 60, (-9.0, 34.0, 62.0, 55.0, -7.0, -11.0, -18.0, 8.0)),
    "Mittelhausen": ("09300006", 20_000, 50, (0.5, 22.0, 34.0, 45.0, 1.0, -2.5, -1.0, 11.5)),
}


def _features_from_indicators(keys: list[str]) -> dict:
    """The pipeline's profile features of ``keys`` from their stored indicator values and regions (same mapping as
    ``daks.demography.pipeline``: share under 18 from its three parts, density from population and area)."""
    import numpy as np

    from daks.demography.models import IndicatorValue, Region

    values = {(row.region_key, row.indicator): row.value for row in IndicatorValue.objects.filter(region_key__in=keys)}
    regions = {region.key: region for region in Region.objects.filter(key__in=keys)}

    def column(name):
        return np.array([values.get((key, name), np.nan) for key in keys], dtype=float)

    return {
        "population": np.array([regions[key].population for key in keys], dtype=float),
        "change_pct_5y": column("change_pct_5y"),
        "share_under_18": column("share_under_3") + column("share_3_5") + column("share_6_17"),
        "share_65_plus": column("share_65_plus"),
        "old_age_dependency_ratio": column("old_age_dependency_ratio"),
        "median_age": column("median_age"),
        "net_migration_per_1000": column("net_migration_per_1000"),
        "natural_balance_per_1000": column("natural_balance_per_1000"),
        "projected_change_pct": column("projected_change_pct"),
        "density": np.array([regions[key].population / float(regions[key].area_km2) for key in keys], dtype=float),
    }


@pytest.fixture
def known_network(db):
    from daks.demography.comparison import build_profiles, store_profiles
    from daks.demography.models import Level
    from tests.demography.factories import IndicatorValueFactory, RegionFactory
    from tests.factories import MunicipalityFactory

    portraits = {}
    for name, (key, population, area, indicators) in KNOWN.items():
        RegionFactory(key=key, name=name, population=population, area_km2=area)
        values = {**dict(zip(INDICATORS, indicators, strict=True)), "share_under_3": 2.5, "share_3_5": 2.5}
        for indicator_name, value in values.items():
            IndicatorValueFactory(region_key=key, indicator=indicator_name, year=2015, value=value)
        portraits[name] = PortraitFactory(municipality=MunicipalityFactory(name=name, official_key=key))
    keys = [key for key, *_rest in KNOWN.values()]
    store_profiles(build_profiles(keys, [Level.GEMEINDE] * len(keys), _features_from_indicators(keys)))
    return portraits


def test_nearest_neighbour_from_indicator_values_is_the_alike_one(known_network):
    from daks.demography.models import RegionProfile

    vectors = dict(RegionProfile.objects.values_list("region_key", "vector"))
    assert len(vectors) == len(KNOWN) and all(any(abs(v) > 0.1 for v in vector) for vector in vectors.values())
    found = similar_portraits(known_network["Zielstadt"], key="09300001", count=5)
    assert names(found)[0] == "Zwillingsdorf"
    assert names(found)[-1] in {"Großstadt", "Speckgürtel"}  # the least alike: growing, young or big
    # The reasons name the traits they share (the identical ones, in the profile's order): both shrink, the same
    # age structure — and nothing they do not share (size, migration, projection differ more).
    assert found[0].reasons == ["ebenfalls schrumpfend", "ähnliche Altersstruktur", "ähnlicher Altenquotient"]
    assert found[0].distance < found[1].distance / 2
