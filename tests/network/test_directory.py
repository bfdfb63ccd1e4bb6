"""The directory with filters, sorting and the offline map; the map builder."""

import json
import re
from html.parser import HTMLParser

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
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    assert external_references(svg, allow_links=False) == []
    assert svg.count("<a href=") == 3  # the map points link to the portraits (same site)


# --- No third-party requests: the map is drawn from our own data, the page loads nothing from elsewhere -------------

#: Attributes that make the browser fetch something (or point an SVG element at another document).
FETCHING_ATTRIBUTES = {"src", "srcset", "poster", "data", "href", "xlink:href", "action", "formaction", "background"}
#: Namespace declarations are names, not requests.
NAMESPACE_ATTRIBUTES = {"xmlns", "xmlns:xlink", "xmlns:svg"}
_URL_IN_CSS = re.compile(r"url\(\s*['\"]?([^'\")]+)", re.I)
_IMPORT_IN_CSS = re.compile(r"@import\s+['\"]([^'\"]+)", re.I)


def _is_remote(value: str) -> bool:
    value = value.strip().lower()
    return value.startswith(("http:", "https:", "//", "ftp:")) or bool(re.match(r"^[a-z][a-z0-9+.-]*://", value))


class _References(HTMLParser):
    def __init__(self, allow_links: bool):
        super().__init__(convert_charrefs=True)
        self.allow_links = allow_links
        self.found: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        self.in_style = tag == "style"
        for name, value in attrs:
            value = value or ""
            if name in NAMESPACE_ATTRIBUTES:
                continue
            if name == "style":
                self._css(tag, value)
                continue
            if name not in FETCHING_ATTRIBUTES:
                continue
            # A plain hyperlink to another site (e.g. the map's attribution) loads nothing; with allow_links it passes.
            if self.allow_links and tag == "a" and name == "href":
                continue
            candidates = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
            self.found += [f"<{tag} {name}={c!r}>" for c in candidates if _is_remote(c)]

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self._css("style", data)

    def _css(self, tag, css):
        for target in [*_URL_IN_CSS.findall(css), *_IMPORT_IN_CSS.findall(css)]:
            if _is_remote(target):
                self.found.append(f"<{tag}> css {target!r}")


def external_references(markup: str, *, allow_links: bool) -> list[str]:
    """Everything in ``markup`` that would make the browser contact another site."""
    parser = _References(allow_links)
    parser.feed(markup)
    parser.close()
    return parser.found


def test_the_reference_check_finds_every_kind_of_external_reference():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<image href="https://tiles.example.org/1.png"/><image xlink:href="//cdn.example.org/2.png"/>'
        '<path style="fill: url(https://evil.example.org/p.svg#x)"/><style>@import "http://fonts.example.org/f.css";'
        " .a { background: url( 'http://x.example.org/b.png' ) }</style>"
        '<use href="https://sprites.example.org/s.svg#i"/><a href="https://osm.example.org/">Karte</a>'
        '<path style="fill: url(#local)"/><a href="/netzwerk/kommunen/a/">A</a></svg>'
    )
    found = external_references(svg, allow_links=False)
    assert len(found) == 7, found
    assert not any("local" in item or "/netzwerk/" in item for item in found)
    assert len(external_references(svg, allow_links=True)) == 6
    page = '<img srcset="/a.png 1x, https://cdn.example.org/a.png 2x"><script src="https://cdn.example.org/x.js">'
    assert len(external_references(page, allow_links=True)) == 2


def test_directory_page_loads_nothing_from_other_sites(client, kommunen):
    html = client.get(URL).content.decode()
    assert external_references(html, allow_links=True) == []
    # The only links to other sites are the attribution and licence texts, opened without a referrer leak.
    for match in re.finditer(r'<a [^>]*href="(https?:)?//[^"]*"[^>]*>', html):
        assert "noopener" in match.group(0), match.group(0)


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
