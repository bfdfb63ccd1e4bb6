"""Public region pages: search (full page and htmx partial), region page, charts, CSV downloads."""

import csv
import io
import sys

import pytest
from django.urls import reverse
from django.utils import translation

from daks.demography import charts
from daks.demography.models import (
    PYRAMID_GROUPS,
    DatasetFormat,
    Level,
    Projection,
    ProjectionScenario,
    RegionProfile,
)
from tests.factories import MunicipalityFactory

from .factories import DatasetFactory, IndicatorValueFactory, ObservationFactory, RegionFactory

pytestmark = pytest.mark.django_db

ATTRIBUTION = (
    "Datenquelle: Statistisches Bundesamt (Destatis), Statistische Ämter des Bundes und der Länder, "
    "Regionaldatenbank Deutschland; dl-de/by-2-0"
)
AGE_NOTE = "Die Altersstruktur beruht auf dem Stand 31.12.2015"
GV_SOURCE = "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, Gebietsstand 31.08.2025, dl-de/by-2-0"
AGE_BASIS = "Bevölkerung nach Alter 31.12.2015 (Tabelle 12411-02-03-5)"


def de(msgid, **values):
    """The German text of ``msgid`` as the page shows it (the catalogue may not have it yet: then English)."""
    with translation.override("de"):
        text = translation.gettext(msgid)
    return text % values if values else text


def de_plural(singular, plural, count, **values):
    with translation.override("de"):
        return translation.ngettext(singular, plural, count) % {"counter": count, **values}


def scenario(code, name):
    found, _created = ProjectionScenario.objects.get_or_create(
        municipality=None, code=code, defaults={"name": name, "description": f"Annahmen {name}"}
    )
    return found


def pyramid(scale):
    n = len(PYRAMID_GROUPS)
    return {
        "male": [round(scale * (100 + 3 * i), 1) for i in range(n)],
        "female": [round(scale * (110 + 2 * i), 1) for i in range(n)],
    }


def make_projection(key, code, name, factor):
    totals = [round(2900 * (1 + factor * year / 100), 1) for year in range(21)]
    return Projection.objects.create(
        region_key=key,
        scenario=scenario(code, name),
        base_year=2015,
        horizon_year=2035,
        totals=totals,
        pyramids={"2015": pyramid(1.0), "2035": pyramid(0.9 + factor / 10)},
        basis="Basis 31.12.2015; Geburten, Sterbefälle, Wanderungen 2015",
    )


@pytest.fixture
def tree(db):
    return build_region_tree()


def build_region_tree():
    """DG → Land 07 → Kreis 07131 → Gemeinden 07131001 (with figures) and 07131002 (also used by the browser suite)."""
    bund = RegionFactory(level=Level.BUND, key="DG", ars="", name="Deutschland", kind="", population=83577140)
    land = RegionFactory(level=Level.LAND, key="07", name="Rheinland-Pfalz", kind="Land", parent=bund)
    kreis = RegionFactory(level=Level.KREIS, key="07131", name="Ahrweiler", kind="Landkreis", parent=land)
    gemeinde = RegionFactory(
        level=Level.GEMEINDE,
        key="07131001",
        name="Adenau, Stadt",
        kind="Stadt",
        parent=kreis,
        population=2935,
        area_km2="18.56",
        population_date="2024-12-31",
        source=GV_SOURCE,
    )
    other = RegionFactory(level=Level.GEMEINDE, key="07131002", name="Antweiler", parent=kreis, population=512)
    dataset = DatasetFactory(title="Bevölkerung nach Altersgruppen (Gemeinden)", table_code="12411-02-03-5")
    totals_dataset = DatasetFactory(title="Bevölkerungsstand (Gemeinden)", table_code="12411-01-01-5")
    for year, value in [(2008, 3050), (2010, 3001), (2013, 2950), (2015, 2901)]:
        ObservationFactory(dataset=totals_dataset, region_key=gemeinde.key, year=year, value=value)
    for indicator, value in [
        ("total", 2901.0),
        ("change_pct_5y", -3.25),
        ("share_under_3", 2.5),
        ("share_3_5", 2.5),
        ("share_6_17", 7.5),
        ("share_65_plus", 24.5),
        ("share_80_plus", 7.25),
        ("median_age", 48.25),
        ("old_age_dependency_ratio", 41.5),
        ("natural_balance_per_1000", -4.5),
    ]:
        IndicatorValueFactory(region_key=gemeinde.key, indicator=indicator, year=2015, value=value, basis=AGE_BASIS)
    for key in ("07131", "07", "DG"):
        IndicatorValueFactory(region_key=key, indicator="median_age", year=2015, value=45.5, basis=AGE_BASIS)
    make_projection(gemeinde.key, "low", "Niedrige Variante", -1.0)
    make_projection(gemeinde.key, "medium", "Mittlere Variante", -0.5)
    make_projection(gemeinde.key, "high", "Hohe Variante", 0.2)
    vector = [0.1] * 10
    RegionProfile.objects.create(
        region_key=gemeinde.key,
        level=Level.GEMEINDE,
        values={"median_age": 48.25, "share_65_plus": 24.5},
        vector=vector,
        cluster=1,
        cluster_label="schrumpfend, älter",
    )
    RegionProfile.objects.create(
        region_key=other.key,
        level=Level.GEMEINDE,
        values={"median_age": 48.0, "share_65_plus": 24.0},
        vector=[0.12] * 10,
        cluster=1,
        cluster_label="schrumpfend, älter",
    )
    return {"bund": bund, "land": land, "kreis": kreis, "gemeinde": gemeinde, "other": other, "dataset": dataset}


def region_url(key):
    return reverse("demography:region", args=[key])


def csv_url(key, chart):
    return reverse("demography:region_csv", args=[key, chart])


# --- region page -----------------------------------------------------------------------------------


def test_region_page_shows_figures_in_german_formats(client, tree):
    response = client.get(region_url("07131001"), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Adenau, Stadt</h1>" in html
    # breadcrumbs: the parent chain up to Deutschland
    for ancestor in ("Deutschland", "Rheinland-Pfalz", "Ahrweiler"):
        assert f">{ancestor}</a>" in html
    assert "2.935" in html  # population of the Gemeindeverzeichnis, thousands separator
    assert '18,56 <span class="key-figure__unit">km²</span>' in html  # area, comma decimals
    assert "158,1" in html  # density 2935 / 18.56
    assert "31.12.2024" in html  # population date
    percent = ' <span class="key-figure__unit">%</span>'
    assert f"-3,3{percent}" in html  # change over 5 years, rounded half up as floatformat does
    assert f"12,5{percent}" in html  # share under 18 = 2.5 + 2.5 + 7.5
    assert "48,3" in html  # median age 48.25
    assert de("Year: %(year)s", year=2015) in html  # years are not grouped ("2.015")
    assert "2.015" not in html
    assert AGE_BASIS in html
    assert AGE_NOTE in html


def test_region_page_charts_have_role_img_and_data_tables(client, tree):
    html = client.get(region_url("07131001")).text
    assert html.count('role="img"') == 3
    for chart in ("pyramid", "zeitreihe", "vorausberechnung"):
        assert f'aria-labelledby="chart-{chart}-title chart-{chart}-desc"' in html
        assert csv_url("07131001", chart) in html
    assert csv_url("07131001", "kennzahlen") in html
    assert html.count(f"<summary>{de('Data as table')}</summary>") == 3
    assert f'<th scope="col">{de("Age group")}</th>' in html
    assert '<th scope="row">90+</th>' in html
    assert "Mittlere Variante" in html and "Hohe Variante" in html
    assert "style=" not in html  # CSP: no inline styles
    assert "<script>" not in html


def test_region_page_provenance_and_attribution(client, tree):
    html = client.get(region_url("07131001")).text
    assert ATTRIBUTION in html
    assert GV_SOURCE in html
    assert "Datenquelle: Statistisches Bundesamt (Destatis), Statistische Ämter des Bundes und der Länder, " in html
    assert "Tabelle 12411-02-03-5" in html  # the dataset named in the basis of the indicators
    assert "Tabelle 12411-01-01-5" in html  # the dataset of the population time series
    assert "Beispieldaten" not in html


def test_region_page_comparison_similar_regions_and_type(client, tree):
    html = client.get(region_url("07131001")).text
    assert 'id="vergleich-heading"' in html
    assert "45,5" in html  # median age of Kreis, Land and Deutschland in the comparison
    assert "schrumpfend, älter" in html
    assert f'href="{region_url("07131002")}">Antweiler</a>' in html


def test_region_page_without_comparison_module_hides_the_sections(client, tree, monkeypatch):
    monkeypatch.setitem(sys.modules, "daks.demography.comparison", None)
    response = client.get(region_url("07131001"))
    assert response.status_code == 200
    assert 'id="vergleich-heading"' not in response.text
    assert "schrumpfend, älter" in response.text  # the type comes from RegionProfile itself


def test_region_page_children_and_bund(client, tree):
    html = client.get(region_url("07131")).text
    assert "Antweiler" in html and "Adenau, Stadt" in html
    assert html.index("Adenau, Stadt</a></th>") < html.index("Antweiler</a></th>")  # sorted by name
    html = client.get(region_url("DG")).text
    assert "Rheinland-Pfalz" in html


def test_many_children_are_collapsed(client, tree):
    for number in range(25):
        RegionFactory(level=Level.GEMEINDE, key=f"07131{100 + number:03d}", parent=tree["kreis"])
    html = client.get(region_url("07131")).text
    assert '<details class="children-details">' in html
    assert de_plural("Show %(counter)s subdivision", "Show all %(counter)s subdivisions", 27) in html


def test_unknown_region_is_404(client, tree):
    assert client.get(region_url("09999999")).status_code == 404
    assert client.get("/regionen/abc/").status_code == 404
    assert client.get(csv_url("09999999", "pyramid")).status_code == 404
    assert client.get("/regionen/07131001/unbekannt.csv").status_code == 404


def test_region_without_statistics_shows_what_there_is(client, tree):
    response = client.get(region_url("07131002"))
    assert response.status_code == 200
    assert 'role="img"' not in response.text
    assert client.get(csv_url("07131002", "pyramid")).status_code == 404
    assert ATTRIBUTION in response.text


def test_example_data_is_marked(client, tree):
    example = DatasetFactory(
        title="Beispiel-Bevölkerung", table_code="", format=DatasetFormat.EXAMPLE, is_example=True, licence=""
    )
    ObservationFactory(dataset=example, region_key="07131002", year=2015, value=500)
    ObservationFactory(dataset=example, region_key="07131002", year=2010, value=520)
    html = client.get(region_url("07131002")).text
    assert '<span class="badge badge--warning">Beispieldaten</span>' in html
    assert "Beispieldaten (erzeugt, keine amtlichen Zahlen)" in html
    assert "amtliche" not in html.split('id="quellen"')[0].split("<main")[1].replace("keine amtlichen", "")
    content = client.get(csv_url("07131002", "zeitreihe")).content.decode("utf-8-sig")
    assert "Beispieldaten (erzeugt, keine amtlichen Zahlen)" in content


def test_region_page_query_count_is_bounded(client, tree, django_assert_max_num_queries):
    for number in range(30):
        RegionFactory(level=Level.GEMEINDE, key=f"07131{100 + number:03d}", parent=tree["kreis"])
    with django_assert_max_num_queries(14):
        response = client.get(region_url("07131001"))
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        response = client.get(region_url("07131"))
    assert response.status_code == 200


# --- CSV downloads -----------------------------------------------------------------------------------


def read_csv(response):
    """The lines of a CSV download; the last line (the attribution, which contains the delimiter) is unquoted."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    text = response.content.decode("utf-8")[1:]
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert all(len(row) == 1 for row in rows[-1:])
    return [";".join(row) for row in rows]


def test_csv_pyramid(client, tree):
    response = client.get(csv_url("07131001", "pyramid"))
    lines = read_csv(response)
    assert 'filename="region-07131001-pyramid.csv"' in response["Content-Disposition"]
    variant = {"year": 2035, "variant": "Mittlere Variante"}
    assert lines[0].split(";") == [
        de("Age group"),
        de("Men %(year)s", year=2015),
        de("Women %(year)s", year=2015),
        de("Men %(year)s (%(variant)s)", **variant),
        de("Women %(year)s (%(variant)s)", **variant),
    ]
    assert lines[1] == "0–4;100;110;85;94"  # 0.85 × 110 = 93.5, rounded half up like the table on the page
    assert len(lines) == 1 + len(PYRAMID_GROUPS) + 1
    assert lines[-1] == ATTRIBUTION


def test_csv_time_series_and_projection(client, tree):
    lines = read_csv(client.get(csv_url("07131001", "zeitreihe")))
    assert lines[0].split(";") == [de("Year"), de("Population"), de("Source")]
    assert lines[1] == "2008;3050;12411-01-01-5"
    assert lines[-2] == "2024;2935;" + de("Gemeindeverzeichnis (GV100AD), as of %(date)s", date="31.12.2024")
    assert lines[-1] == ATTRIBUTION
    lines = read_csv(client.get(csv_url("07131001", "vorausberechnung")))
    assert lines[0].split(";") == [de("Year"), "Niedrige Variante", "Mittlere Variante", "Hohe Variante"]
    assert lines[1] == "2015;2900;2900;2900"
    assert lines[21] == "2035;2320;2610;3016"
    assert lines[-1] == ATTRIBUTION


def test_csv_key_figures_use_comma_decimals(client, tree):
    lines = read_csv(client.get(csv_url("07131001", "kennzahlen")))
    assert lines[0].split(";") == [de("Figure"), de("Year / as of"), de("Value"), de("Unit"), de("Basis")]
    assert f"{de('Area')};;18,56;km²;{GV_SOURCE}" in lines
    assert f"{de('Share under 18')};2015;12,5;%;{AGE_BASIS}" in lines
    assert f"{de('Population')};31.12.2024;2935;;{GV_SOURCE}" in lines
    assert f"{de('Median age')};2015;48,3;{de('years')};{AGE_BASIS}" in lines
    assert lines[-2] == GV_SOURCE
    assert lines[-1] == ATTRIBUTION


# --- search -----------------------------------------------------------------------------------------


def test_search_page_lists_laender(client, tree):
    response = client.get(reverse("demography:search"))
    assert response.status_code == 200
    html = response.text
    assert f'<label for="region-search-q">{de("Search region")}</label>' in html
    assert 'hx-get="/regionen/suche/"' in html
    assert 'hx-trigger="input changed delay:250ms, search"' in html
    assert 'aria-live="polite"' in html
    assert f'href="{region_url("07")}">Rheinland-Pfalz</a>' in html


def test_search_by_name_full_page(client, tree):
    response = client.get(reverse("demography:search"), {"q": "adenau"})
    html = response.text
    assert response.status_code == 200
    assert "<html" in html
    assert f'href="{region_url("07131001")}">Adenau, Stadt</a>' in html
    assert "Gemeinde (Stadt) · 07131001 · " + de("in %(parent)s", parent="Ahrweiler") in html
    found = de_plural(
        "%(counter)s region found for “%(query)s”.", "%(counter)s regions found for “%(query)s”.", 1, query="adenau"
    )
    assert found in html


def test_search_by_key_prefix_htmx_partial(client, tree):
    response = client.get(reverse("demography:search_results"), {"q": "07131"}, HTTP_HX_REQUEST="true")
    html = response.text
    assert response.status_code == 200
    assert "<html" not in html
    assert "Ahrweiler" in html and "Adenau, Stadt" in html and "Antweiler" in html
    assert "HX-Request" in response["Vary"]
    # the search page answers htmx requests with the partial too
    response = client.get(reverse("demography:search"), {"q": "rheinland"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.text and "Rheinland-Pfalz" in response.text


def test_search_results_without_htmx_redirect_to_the_search_page(client, tree):
    response = client.get(reverse("demography:search_results"), {"q": "Adenau"})
    assert response.status_code == 302
    assert response["Location"] == "/regionen/?q=Adenau"


def test_search_limits_results_and_query_count(client, tree, django_assert_max_num_queries):
    for number in range(20):
        RegionFactory(
            level=Level.GEMEINDE, key=f"07131{200 + number:03d}", name=f"Testdorf {number}", parent=tree["kreis"]
        )
    with django_assert_max_num_queries(3):
        response = client.get(reverse("demography:search_results"), {"q": "testdorf"}, HTTP_HX_REQUEST="true")
    assert response.text.count("<li>") == 15
    assert de("Only the first matches are shown; please refine your search.") in response.text


# --- charts (pure functions) ---------------------------------------------------------------------------


def test_chart_text_is_escaped_and_numbers_localised(settings):
    with translation.override("de"):
        svg = charts.line_svg(
            [("<b>Serie</b>", [(2010, 1000.0), (2020, 123456.0)])],
            ("Band & Co", [(2010, 900.0, 1100.0), (2020, 100000.0, 130000.0)]),
            title="Titel <script>",
            chart_id="c1",
        )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&lt;b&gt;Serie&lt;/b&gt;" in svg and "Band &amp; Co" in svg
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert ">100.000</text>" in svg  # axis label with thousands separator (de)
    assert "style=" not in svg


def test_pyramid_svg_validates_lengths():
    with pytest.raises(ValueError):
        charts.pyramid_svg(PYRAMID_GROUPS, [1, 2], [1, 2], title="x")


# --- the Kommune page links to its region -----------------------------------------------------------


def test_municipality_page_links_to_region(login, tree):
    from daks.municipalities.models import Role
    from tests.factories import MembershipFactory

    municipality = MunicipalityFactory(name="Adenau", slug="adenau", official_key="07131001", state="DE-RP")
    membership = MembershipFactory(municipality=municipality, role=Role.READER)
    html = login(membership.user).get(municipality.get_absolute_url()).text
    assert f'href="{region_url("07131001")}"' in html
    other = MunicipalityFactory(name="Nirgendwo", slug="nirgendwo", official_key="09999999")
    membership = MembershipFactory(municipality=other, role=Role.READER)
    html = login(membership.user).get(other.get_absolute_url()).text
    assert "/regionen/" not in html


def test_verbandsfreie_pseudo_entries_are_left_out(client, tree):
    """The GV100AD repeats a Gemeinde without a real Verband as a Gemeindeverband (Textkennzeichen 50)."""
    RegionFactory(
        level=Level.GEMEINDEVERBAND,
        key="071310007",
        name="Adenau, Stadt",
        kind="Verbandsfreie Gemeinde",
        kind_code="50",
        parent=tree["kreis"],
    )
    html = client.get(reverse("demography:search"), {"q": "adenau"}).text
    assert html.count(">Adenau, Stadt</a>") == 1
    assert "071310007" not in html
    assert "071310007" not in client.get(region_url("07131")).text
    assert client.get(region_url("071310007")).status_code == 200  # the page itself still exists


def test_region_page_compares_with_user_chosen_regions(client, tree):
    IndicatorValueFactory(region_key="07131002", indicator="median_age", year=2015, value=51.75, basis=AGE_BASIS)
    html = client.get(region_url("07131001"), {"vergleich": "07131002, 99999999"}).text
    table = html[html.index('id="vergleich-heading"') : html.index("</table>", html.index('id="vergleich-heading"'))]
    assert "Antweiler" in table
    assert "51,8" in table  # German decimals for the chosen region's median age
    assert "99999999" in html  # unknown key reported next to the field
    assert 'id="id_vergleich_error"' in html
