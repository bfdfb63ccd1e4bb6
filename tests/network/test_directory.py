"""The directory with filters, sorting and the offline map; the map builder."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from daks.network import mapdata
from daks.network.selectors import DirectoryParams

from .factories import PortraitFactory, public_portrait_with_region

pytestmark = pytest.mark.django_db

URL = reverse("network:directory")


@pytest.fixture
def kommunen(db):
    return {
        "gross": public_portrait_with_region(
            name="Großstadt",
            key="09162000",
            population=1_500_000,
            lat=48.137,
            lon=11.575,
            topics=["wohnen"],
            cluster_label="Großstadt/verdichtet",
        ),
        "klein": public_portrait_with_region(
            name="Kleindorf",
            key="08111001",
            population=3_000,
            lat=48.78,
            lon=9.18,
            state="DE-BW",
            kind="gemeinde",
            topics=["gesundheit-pflege"],
            cluster_label="schrumpfend und alternd",
        ),
        "mittel": public_portrait_with_region(
            name="Mittelstadt",
            key="05315000",
            population=25_000,
            lat=50.94,
            lon=6.96,
            state="DE-NW",
            topics=["wohnen", "gesundheit-pflege"],
        ),
    }


def names(response):
    return [entry.municipality.name for entry in response.context["entries"]]


def test_lists_public_portraits_sorted_by_name(client, kommunen):
    PortraitFactory(is_public=False, municipality__name="Geheimdorf")
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Großstadt", "Kleindorf", "Mittelstadt"]
    assert "Geheimdorf" not in response.content.decode()
    assert "public" in response["Cache-Control"] and "Set-Cookie" not in response


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"land": "DE-BW"}, ["Kleindorf"]),
        ({"art": "gemeinde"}, ["Kleindorf"]),
        ({"groesse": "small"}, ["Kleindorf"]),
        ({"groesse": "medium"}, ["Mittelstadt"]),
        ({"groesse": "large"}, ["Großstadt"]),
        ({"thema": "gesundheit-pflege"}, ["Kleindorf", "Mittelstadt"]),
        ({"typ": "Großstadt/verdichtet"}, ["Großstadt"]),
        ({"thema": "wohnen", "land": "DE-NW"}, ["Mittelstadt"]),
        ({"land": "XX-unbekannt"}, ["Großstadt", "Kleindorf", "Mittelstadt"]),  # unknown values are ignored
    ],
)
def test_filters(client, kommunen, query, expected):
    assert names(client.get(URL, query)) == expected


def test_sorting_by_population(client, kommunen):
    assert names(client.get(URL, {"sortierung": "einwohner"})) == ["Großstadt", "Mittelstadt", "Kleindorf"]
    assert names(client.get(URL, {"sortierung": "einwohner-aufsteigend"})) == ["Kleindorf", "Mittelstadt", "Großstadt"]


def test_filters_are_shareable_get_parameters(kommunen):
    params = DirectoryParams(state="DE-BW", topic="wohnen", sort="einwohner")
    assert params.query() == "land=DE-BW&thema=wohnen&sortierung=einwohner"


def test_map_points_are_named_links_in_germany(client, kommunen):
    response = client.get(URL)
    html = response.content.decode()
    assert html.count('class="network-map__land"') == 16
    assert 'aria-label="Großstadt"' in html
    points = {e.municipality.name: (e.x, e.y) for e in response.context["entries"]}
    width = mapdata.germany_map()["projection"]["width"]
    # Munich lies south-east of Cologne; Stuttgart west of Munich
    assert points["Großstadt"][1] > points["Mittelstadt"][1] and points["Großstadt"][0] > points["Mittelstadt"][0]
    assert points["Kleindorf"][0] < points["Großstadt"][0]
    assert all(0 < x < width for x, _y in points.values())
    assert 'cx="' in html and "," not in html.split('cx="')[1].split('"')[0]  # not localised (German comma)
    assert "GeoBasis-DE / BKG" in html
    assert "http://" not in html.split("<svg")[1].split("</svg>")[0].replace("http://www.w3.org", "")


def test_kommune_without_coordinates_is_placed_in_its_land(client, db):
    PortraitFactory(municipality__name="Ohnekoordinaten", municipality__state="DE-BY", municipality__official_key="")
    entry = client.get(URL).context["entries"][0]
    assert entry.approximate and entry.x is not None


def test_query_count_does_not_grow_with_portraits(client, kommunen, django_assert_num_queries):
    client.get(URL)  # warm up (content types, sessions …)
    with django_assert_num_queries(7):
        client.get(URL)
    public_portrait_with_region(
        name="Noch eine", key="03241001", population=500_000, lat=52.37, lon=9.73, topics=["wohnen"]
    )
    with django_assert_num_queries(7):
        assert len(client.get(URL).context["entries"]) == 4


def test_douglas_peucker_keeps_corners_and_drops_noise():
    line = [(0, 0), (1, 0.01), (2, 0), (3, 5), (4, 0)]
    assert mapdata.douglas_peucker(line, 0.5) == [(0, 0), (2, 0), (3, 5), (4, 0)]


def test_build_network_map_command(tmp_path):
    square = [[5.9, 47.3], [15.0, 47.3], [15.0, 55.0], [5.9, 55.0], [5.9, 47.3]]
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"land": "09", "name": "Bayern", "gf": 9},
                "geometry": {"type": "Polygon", "coordinates": [square]},
            },
            {
                "type": "Feature",
                "properties": {"land": "09", "name": "Bayern", "gf": 4},
                "geometry": {"type": "Polygon", "coordinates": [square]},
            },
        ],
    }
    source, output = tmp_path / "laender.geojson", tmp_path / "map.json"
    source.write_text(json.dumps(geojson))
    call_command("build_network_map", source=str(source), output=str(output))
    data = json.loads(output.read_text())
    assert [land["name"] for land in data["laender"]] == ["Bayern"]  # water areas (gf 4) left out
    assert data["laender"][0]["path"].startswith("M") and data["attribution"] == mapdata.ATTRIBUTION


def test_committed_map_is_small():
    assert mapdata.MAP_FILE.stat().st_size < 16_000
    assert len(mapdata.germany_map()["laender"]) == 16
