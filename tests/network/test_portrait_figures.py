"""The key figures of a portrait name the date, year or period of their own values (they come from different
sources and years), and a portrait without figures says why instead of showing dashes."""

import re
from datetime import date

import pytest
from django.urls import reverse

from daks.demography.models import Projection, ProjectionScenario, Region
from daks.network import selectors
from daks.strategy.models import StrategyProcess

from .factories import GroupFactory, PortraitFactory, indicator, public_portrait_with_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_years(db):
    """Population of the Gemeindeverzeichnis as of 31.12.2024; age structure and change from 2015; projection
    2015–2040 (the situation of the official data: the population statistics by age end in 2015)."""
    portrait = public_portrait_with_region(name="Alphastadt", key="09100001", population=24_350)
    Region.objects.filter(key="09100001").update(population_date=date(2024, 12, 31))
    indicator("09100001", "change_pct_5y", 2.25, year=2015, basis="Bevölkerungsstand 31.12.2010 und 31.12.2015")
    indicator("09100001", "median_age", 44.5, year=2015)
    indicator("09100001", "median_age", 43.0, year=2011)  # older value: not shown
    indicator("09100001", "share_65_plus", 21.0, year=2015)
    indicator("09100001", "old_age_dependency_ratio", 35.2, year=2015)
    indicator("09100001", "projected_change_pct", -5.0, year=2040, basis="Vorausberechnung mittlere Variante 2015–2040")
    scenario = ProjectionScenario.objects.get(code="medium", municipality__isnull=True)
    Projection.objects.create(
        region_key="09100001", scenario=scenario, base_year=2015, horizon_year=2040, totals=[24_000, 23_000, 22_800]
    )
    return portrait


def portrait_html(client, municipality) -> str:
    return client.get(reverse("network:portrait", kwargs={"municipality_slug": municipality.slug})).content.decode()


def figure_references(html: str) -> dict[str, str]:
    """{label: reference} of the key figures on the page."""
    section = html[html.index('id="kennzahlen"') :]
    found = re.findall(
        r'<dt>([^<]+)</dt>\s*<dd class="key-figure__value">.*?</dd>\s*<dd class="key-figure__meta">([^<]+)</dd>',
        section,
        re.S,
    )
    return {label.strip(): reference.strip() for label, reference in found}


def test_selector_gives_each_figure_the_year_of_its_own_value(mixed_years):
    figures = selectors.portrait_figures("09100001")
    by_code = {item.figure.code: item for item in figures.figures}
    assert by_code["population"].data_year == 2024
    assert by_code["change_5y"].data_year == 2015
    assert by_code["median_age"].data_year == 2015 and by_code["median_age"].figure.value == 44.5
    assert by_code["projected_change"].data_year == 2015  # the base year of the projection
    assert figures.data_years == (2015, 2024)


def test_page_shows_each_figures_own_date_year_or_period(client, mixed_years):
    html = portrait_html(client, mixed_years.municipality)
    references = figure_references(html)
    assert references == {
        "Bevölkerung": "Stand 31.12.2024",
        "Veränderung in 5 Jahren": "Zeitraum 2010–2015",
        "Medianalter": "Jahr: 2015",
        "Anteil 65 Jahre und älter": "Jahr: 2015",
        "Altenquotient": "Jahr: 2015",
        "Vorausberechnete Veränderung bis zum Zieljahr": "Vorausberechnung 2015–2040",
    }
    assert "Die Kennzahlen beziehen sich auf verschiedene Jahre (2015 bis 2024)" in html
    # The projection sentence says that 2015 is the base year of the projection, not the year of the population.
    assert "vom Basisjahr 2015 aus" in html and "gegenüber dem Basisjahr 2015" in html


def test_figures_of_one_year_need_no_note(client):
    portrait = public_portrait_with_region(name="Betadorf", key="09100002", population=3_180)
    Region.objects.filter(key="09100002").update(population_date=date(2023, 12, 31))
    indicator("09100002", "median_age", 51.2, year=2023)
    html = portrait_html(client, portrait.municipality)
    assert set(figure_references(html).values()) == {"Stand 31.12.2023", "Jahr: 2023"}
    assert "verschiedene Jahre" not in html


def test_figures_of_the_process_region_name_that_region(client, mixed_years):
    other = public_portrait_with_region(name="Gammaheim", key="09100003")
    StrategyProcess.objects.create(
        municipality=other.municipality, title="Strategie", start_date="2026-01-01", region_key="09100001"
    )
    html = portrait_html(client, other.municipality)
    assert "Das sind die Zahlen von Alphastadt (Gebietsschlüssel 09100001)" in html
    assert "Das sind die Zahlen von" not in portrait_html(client, mixed_years.municipality)


def test_example_municipality_without_statistics_says_so(client, municipality):
    Region.objects.create(key="09100009", ars="09100009", level="gemeinde", name="Irgendwo", search_name="irgendwo")
    municipality.official_key = "09998000"
    municipality.description = "Beispieldaten: Diese Kommune ist erfunden und dient nur der Vorführung von DAKS."
    municipality.save()
    PortraitFactory(municipality=municipality)
    html = portrait_html(client, municipality)
    assert "Für diese Beispielkommune gibt es keine amtlichen Zahlen" in html
    group = GroupFactory(members=[municipality])
    html = client.get(group.get_absolute_url()).content.decode()
    assert "keine amtlichen Zahlen (erfundene Beispielkommune)" in html


def test_real_municipality_with_an_unknown_key_says_why(client, municipality):
    Region.objects.create(key="09100009", ars="09100009", level="gemeinde", name="Irgendwo", search_name="irgendwo")
    municipality.official_key = "09100777"
    municipality.save()
    PortraitFactory(municipality=municipality)
    html = portrait_html(client, municipality)
    assert "Ihr Gebietsschlüssel 09100777 steht nicht im Gemeindeverzeichnis" in html
    assert "Beispielkommune" not in html
