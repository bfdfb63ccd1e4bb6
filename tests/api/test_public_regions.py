"""Public API, regions: search, detail with attribution, indicators and series, projections, similar regions,
comparison — the figures of the public region pages, bounded parameters, HTTP caching and CORS."""

import pytest
from django.core.cache import cache

from daks.demography.models import (
    OFFICIAL_LICENCE,
    OFFICIAL_LICENCE_URL,
    OFFICIAL_SOURCE,
    PYRAMID_GROUPS,
    Level,
    Projection,
    ProjectionScenario,
    RegionProfile,
)
from tests.demography.factories import DatasetFactory, IndicatorValueFactory, ObservationFactory, RegionFactory
from tests.factories import MunicipalityFactory
from tests.network.factories import PortraitFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
GV_SOURCE = "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, Gebietsstand 31.08.2025, dl-de/by-2-0"
BASIS = "Bevölkerung nach Alter 31.12.2015 (Tabelle 12411-02-03-5)"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate-limit windows of earlier tests
    yield
    cache.clear()


def preset(code, name):
    found, _created = ProjectionScenario.objects.get_or_create(
        municipality=None, code=code, defaults={"name": name, "description": f"Annahmen {name}"}
    )
    return found


def pyramid(scale):
    n = len(PYRAMID_GROUPS)
    return {"male": [scale * (100 + i) for i in range(n)], "female": [scale * (110 + i) for i in range(n)]}


def projection(key, scenario, factor):
    return Projection.objects.create(
        region_key=key,
        scenario=scenario,
        base_year=2015,
        horizon_year=2035,
        totals=[round(2900 * (1 + factor * year / 100), 1) for year in range(21)],
        pyramids={"2015": pyramid(1.0), "2035": pyramid(0.9)},
        basis="Basis 31.12.2015",
    )


@pytest.fixture
def tree():
    """DG → Rheinland-Pfalz (07) → Ahrweiler (07131) → Adenau (with figures), Antweiler; Köln in NRW; a pseudo
    Verband and a dissolved Gemeinde that lists leave out."""
    bund = RegionFactory(level=Level.BUND, key="DG", ars="", name="Deutschland", kind="", population=83577140)
    land = RegionFactory(level=Level.LAND, key="07", name="Rheinland-Pfalz", kind="Land", parent=bund)
    kreis = RegionFactory(level=Level.KREIS, key="07131", name="Ahrweiler", kind="Landkreis", parent=land)
    adenau = RegionFactory(
        level=Level.GEMEINDE,
        key="07131001",
        ars="071315001001",
        name="Adenau, Stadt",
        kind="Stadt",
        parent=kreis,
        population=2935,
        area_km2="18.56",
        population_date="2024-12-31",
        source=GV_SOURCE,
    )
    other = RegionFactory(level=Level.GEMEINDE, key="07131002", name="Antweiler", kind="Gemeinde", parent=kreis)
    nrw = RegionFactory(level=Level.LAND, key="05", name="Nordrhein-Westfalen", kind="Land", parent=bund)
    RegionFactory(level=Level.GEMEINDE, key="05315000", name="Köln, Stadt", kind="Stadt", parent=nrw)
    RegionFactory(level=Level.GEMEINDE, key="07131099", name="Aufgelöst", parent=kreis, active=False)
    RegionFactory(
        level=Level.GEMEINDEVERBAND, key="071310001", name="Adenau (verbandsfrei)", kind_code="50", parent=kreis
    )
    totals = DatasetFactory(title="Bevölkerungsstand (Gemeinden)", table_code="12411-01-01-5")
    for year, value in [(2010, 3001), (2013, 2950), (2015, 2901)]:
        ObservationFactory(dataset=totals, region_key=adenau.key, year=year, value=value)
    for indicator, value in [
        ("total", 2901.0),
        ("share_under_3", 2.5),
        ("share_3_5", 2.5),
        ("share_6_17", 7.5),
        ("share_65_plus", 24.5),
        ("median_age", 48.25),
        ("net_migration_per_1000", 3.5),
    ]:
        IndicatorValueFactory(region_key=adenau.key, indicator=indicator, year=2015, value=value, basis=BASIS)
    IndicatorValueFactory(region_key=adenau.key, indicator="median_age", year=2011, value=46.0, basis=BASIS)
    for key, median in (("07131002", 47.0), ("07131", 45.5), ("07", 45.0), ("DG", 44.5)):
        IndicatorValueFactory(region_key=key, indicator="median_age", year=2015, value=median, basis=BASIS)
    for code, name, factor in (("low", "Niedrige Variante", -1.0), ("medium", "Mittlere Variante", -0.5)):
        projection(adenau.key, preset(code, name), factor)
    projection(adenau.key, preset("high", "Hohe Variante"), 0.2)
    for key, vector, values in (
        (adenau.key, [0.1] * 10, {"median_age": 48.25, "share_65_plus": 24.5}),
        (other.key, [0.12] * 10, {"median_age": 47.0, "share_65_plus": 24.0}),
    ):
        RegionProfile.objects.create(
            region_key=key, level=Level.GEMEINDE, values=values, vector=vector, cluster=1, cluster_label="alternd"
        )
    return {"bund": bund, "land": land, "kreis": kreis, "adenau": adenau, "other": other}


def get(client, path, **params):
    return client.get(f"{API}{path}", params)


def keys(response):
    return [item["key"] for item in response.json()["results"]]


# --- Search -------------------------------------------------------------------------------------------------------


def test_region_list_ordered_by_key_without_inactive_and_pseudo_entries(client, tree):
    response = get(client, "/regions")
    assert response.status_code == 200
    body = response.json()
    assert keys(response) == ["05", "05315000", "07", "07131", "07131001", "07131002", "DG"]
    assert body["count"] == 7 and body["page"] == 1 and body["page_size"] == 50
    adenau = body["results"][4]
    assert adenau == {
        "key": "07131001",
        "ars": "071315001001",
        "name": "Adenau, Stadt",
        "level": "gemeinde",
        "kind": "Stadt",
        "active": True,
        "population": 2935,
        "area_km2": 18.56,
        "parent": {"key": "07131", "name": "Ahrweiler", "level": "kreis"},
        "state": {"code": "DE-RP", "key": "07", "name": "Rheinland-Pfalz"},
    }
    assert body["results"][-1]["state"] is None  # the Bund


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "ADENAU"}, ["07131001"]),
        ({"q": "koeln"}, ["05315000"]),  # umlaut-tolerant
        ({"q": "köln"}, ["05315000"]),
        ({"q": "07131"}, ["07131", "07131001", "07131002"]),  # key prefix
        ({"q": "0713150"}, ["07131001"]),  # ARS prefix
        ({"q": "weiler"}, ["07131", "07131002"]),
        ({"level": "land"}, ["05", "07"]),
        ({"state": "DE-RP"}, ["07", "07131", "07131001", "07131002"]),
        ({"state": "05"}, ["05", "05315000"]),
        ({"kind": "landkreis"}, ["07131"]),
        ({"q": "a", "level": "gemeinde", "state": "07"}, ["07131001", "07131002"]),
        ({"q": "nirgendwo"}, []),
    ],
)
def test_region_search_and_filters(client, tree, params, expected):
    response = get(client, "/regions", **params)
    assert response.status_code == 200
    assert keys(response) == expected


def test_region_pages_are_stable_and_do_not_overlap(client, tree):
    seen = []
    for page in (1, 2, 3, 4):
        body = get(client, "/regions", page=page, page_size=2).json()
        assert body["count"] == 7
        seen += [item["key"] for item in body["results"]]
    assert seen == keys(get(client, "/regions"))
    assert get(client, "/regions", page=99, page_size=2).json()["results"] == []


def test_region_list_queries_are_bounded(client, tree, django_assert_max_num_queries):
    for number in range(30):
        RegionFactory(level=Level.GEMEINDE, key=f"07131{number + 100:03d}", parent=tree["kreis"])
    with django_assert_max_num_queries(2):  # count + one page with the parents joined
        response = get(client, "/regions", page_size=100)
    assert response.json()["count"] == 37


@pytest.mark.parametrize(
    "params",
    [
        {"level": "dorf"},
        {"state": "DE-XX"},
        {"q": "x" * 101},
        {"kind": "k" * 101},
        {"page": 0},
        {"page": 10**30},
        {"page_size": 101},
        {"page_size": "viele"},
    ],
)
def test_region_list_refuses_invalid_parameters(client, tree, params):
    assert get(client, "/regions", **params).status_code == 422


# --- Detail -------------------------------------------------------------------------------------------------------


def test_region_detail_has_figures_parent_state_and_attribution(client, tree):
    response = get(client, "/regions/07131001")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Adenau, Stadt" and body["level"] == "gemeinde" and body["kind"] == "Stadt"
    assert body["parent"] == {"key": "07131", "name": "Ahrweiler", "level": "kreis"}
    assert body["state"] == {"code": "DE-RP", "key": "07", "name": "Rheinland-Pfalz"}
    assert [region["key"] for region in body["ancestors"]] == ["07131", "07", "DG"]
    assert body["population"] == 2935 and body["area_km2"] == 18.56
    assert body["density"] == pytest.approx(2935 / 18.56)
    assert body["demographic_type"] == "alternd"
    facts = {fact["code"]: fact for fact in body["facts"]}
    assert facts["population"]["value"] == 2935 and facts["population"]["as_of"] == "2024-12-31"
    assert facts["area"]["unit"] == "km²" and facts["population"]["basis"] == GV_SOURCE
    assert facts["density"]["unit"] == "inhabitants per km²" and facts["population"]["unit"] == "persons"
    figures = {figure["code"]: figure for figure in body["key_figures"]}
    assert figures["share_under_18"]["value"] == pytest.approx(12.5)  # 2.5 + 2.5 + 7.5, as on the page
    median = figures["median_age"]
    assert (median["value"], median["unit"], median["year"], median["basis"]) == (48.25, "years", 2015, BASIS)
    assert median["label"] in ("Medianalter", "Median age")  # German once the catalogue has it
    assert figures["share_under_18"]["unit"] == "%"
    assert body["source"] == OFFICIAL_SOURCE
    assert body["licence"] == OFFICIAL_LICENCE and "Namensnennung" in body["licence"]
    assert body["licence_url"] == OFFICIAL_LICENCE_URL == "https://www.govdata.de/dl-de/by-2-0"
    assert "Statistische Ämter des Bundes und der Länder" in body["attribution"]
    assert body["example_data"] is False
    assert {dataset["table_code"] for dataset in body["datasets"]} >= {"12411-01-01-5"}
    assert body["page_url"].endswith("/regionen/07131001/")


def test_region_detail_of_example_region_names_example_data(client, db):
    RegionFactory(key="99001001", name="Beispielstadt", source="Beispieldaten (erzeugt)")
    body = get(client, "/regions/99001001").json()
    assert body["example_data"] is True
    assert body["licence"] == "" and "Beispieldaten" in body["attribution"]


def test_unknown_region_is_404_and_bad_key_422(client, tree):
    response = get(client, "/regions/09999999")
    assert response.status_code == 404
    assert response.json()["detail"]
    assert get(client, "/regions/abc").status_code == 422
    assert get(client, "/regions/" + "1" * 13).status_code == 422


def test_public_read_allows_any_origin(client, tree):
    response = client.get(f"{API}/regions/07131001", HTTP_ORIGIN="https://statistik.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"]


def test_etag_answers_304_when_unchanged(client, tree):
    first = get(client, "/regions/07131001")
    etag = first["ETag"]
    assert etag
    again = client.get(f"{API}/regions/07131001", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    changed = client.get(f"{API}/regions/07131002", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200


# --- Indicators and series ----------------------------------------------------------------------------------------


def test_indicators_latest_value_unit_year(client, tree):
    response = get(client, "/regions/07131001/indicators")
    assert response.status_code == 200
    body = response.json()
    codes = [item["indicator"] for item in body["indicators"]]
    assert codes == sorted(codes)
    by_code = {item["indicator"]: item for item in body["indicators"]}
    assert by_code["median_age"]["value"] == 48.25 and by_code["median_age"]["year"] == 2015  # newest year
    assert by_code["median_age"]["unit"] == "years"
    assert by_code["share_65_plus"]["unit"] == "%"
    assert by_code["net_migration_per_1000"]["unit"] == "‰"
    assert by_code["population"] == {
        "indicator": "population",
        "label": by_code["population"]["label"],
        "unit": "persons",
        "year": 2015,
        "value": 2901.0,
        "basis": by_code["population"]["basis"],
    }
    assert body["licence_url"] == OFFICIAL_LICENCE_URL and body["source"] == OFFICIAL_SOURCE
    assert response.has_header("Last-Modified")


def test_indicator_series(client, tree):
    body = get(client, "/regions/07131001/indicators/median_age/series").json()
    assert [(point["year"], point["value"]) for point in body["points"]] == [(2011, 46.0), (2015, 48.25)]
    assert body["unit"] == "years" and body["licence"] == OFFICIAL_LICENCE


def test_population_series_comes_from_the_statistical_tables(client, tree):
    body = get(client, "/regions/07131001/indicators/population/series").json()
    assert [(point["year"], point["value"]) for point in body["points"]] == [(2010, 3001), (2013, 2950), (2015, 2901)]
    assert "12411-01-01-5" in body["points"][0]["basis"]
    assert body["source"] == OFFICIAL_SOURCE


def test_unknown_indicator_is_404_and_bad_code_422(client, tree):
    assert get(client, "/regions/07131001/indicators/gibt_es_nicht/series").status_code == 404
    assert get(client, "/regions/07131002/indicators/population/series").status_code == 404
    assert get(client, "/regions/07131001/indicators/Median-Age!/series").status_code == 422
    assert get(client, "/regions/09999999/indicators").status_code == 404


# --- Projections --------------------------------------------------------------------------------------------------


def test_projections_of_all_preset_scenarios(client, tree, municipality):
    own = ProjectionScenario.objects.create(municipality=municipality, code="eigene", name="Eigene Variante")
    projection("07131001", own, 5.0)  # a Kommune's own scenario is never public
    body = get(client, "/regions/07131001/projections").json()
    assert [item["code"] for item in body["scenarios"]] == ["high", "low", "medium"]
    assert [item["scenario"] for item in body["projections"]] == ["high", "low", "medium"]
    medium = body["projections"][2]
    assert medium["base_year"] == 2015 and medium["horizon_year"] == 2035
    assert medium["totals"][0] == {"year": 2015, "population": 2900.0}
    assert medium["totals"][-1]["year"] == 2035 and len(medium["totals"]) == 21
    assert [row["year"] for row in medium["age_structure"]] == [2015, 2035]
    assert len(body["age_groups"]) == len(medium["age_structure"][0]["male"]) == 19
    assert body["age_groups"][0] == "0-4" and body["age_groups"][-1] == "90+"
    assert "eigene" not in str(body)
    assert body["licence"] == OFFICIAL_LICENCE


def test_projection_of_one_scenario_and_unknown_scenario(client, tree, municipality):
    body = get(client, "/regions/07131001/projections", scenario="low").json()
    assert [item["code"] for item in body["scenarios"]] == ["low"]
    assert [item["scenario"] for item in body["projections"]] == ["low"]
    assert get(client, "/regions/07131001/projections", scenario="gibt-es-nicht").status_code == 404
    ProjectionScenario.objects.create(municipality=municipality, code="geheim", name="Geheim")
    assert get(client, "/regions/07131001/projections", scenario="geheim").status_code == 404
    assert get(client, "/regions/07131001/projections", scenario="x" * 41).status_code == 422


# --- Similar and comparison ---------------------------------------------------------------------------------------


def test_similar_regions_with_reasons_and_portrait(client, tree):
    portrait = PortraitFactory(municipality=MunicipalityFactory(slug="antweiler", official_key="07131002"))
    body = get(client, "/regions/07131001/similar").json()
    assert body["region"]["key"] == "07131001"
    assert len(body["similar"]) == 1
    item = body["similar"][0]
    assert item["region"] == {"key": "07131002", "name": "Antweiler", "level": "gemeinde"}
    assert item["reasons"] and item["distance"] > 0
    assert item["portrait"] == portrait.municipality.slug
    assert body["source"] == OFFICIAL_SOURCE
    assert get(client, "/regions/07131001/similar", limit=21).status_code == 422
    assert get(client, "/regions/07131001/similar", within="welt").status_code == 422
    assert get(client, "/regions/07/similar").json()["similar"] == []  # no profile


def test_compare_side_by_side_in_the_order_asked(client, tree):
    response = get(client, "/compare", keys="07131002, 07131001,DG")
    assert response.status_code == 200
    body = response.json()
    assert [region["key"] for region in body["regions"]] == ["07131002", "07131001", "DG"]
    rows = {row["indicator"]: row for row in body["rows"]}
    assert [(value["region_key"], value["value"]) for value in rows["median_age"]["values"]] == [
        ("07131002", 47.0),
        ("07131001", 48.25),
        ("DG", 44.5),
    ]
    assert rows["share_under_18"]["values"][1]["value"] == pytest.approx(12.5)
    assert body["licence"] == OFFICIAL_LICENCE


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("07131001", 422),  # one key
        ("07131001,07131001", 422),  # one distinct key
        (",".join(["07131001"] * 11), 422),  # more than ten
        ("07131001;07131002", 422),
        ("07131001,09999999", 404),
    ],
)
def test_compare_refuses_bad_keys(client, tree, value, status):
    response = get(client, "/compare", keys=value)
    assert response.status_code == status
    if status == 404:
        assert "09999999" in response.json()["detail"]
