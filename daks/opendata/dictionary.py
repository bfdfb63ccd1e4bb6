"""The data dictionary (Datenlexikon) of the open data: files, columns, units, indicators and the licence.

One source for everything that describes the downloads: the build writes the column order from here, the HTML
page and ``datapackage.json`` render it. Indicator labels and short explanations are taken from the demography
app (``views.KEY_FIGURES``, ``comparison.COMPARE_INDICATORS``) where it has them; only the indicators the region
pages do not show get their label here. The formulas are those of docs/methods.md ("Indicators").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from daks.demography.engine.indicators import SHARE_BANDS, TOP_GROUP_MEAN_AGE
from daks.demography.models import (
    OFFICIAL_LICENCE,
    OFFICIAL_LICENCE_URL,
    OFFICIAL_SOURCE,
    PYRAMID_GROUPS,
    Level,
    Sex,
)

# --- licence ------------------------------------------------------------------------------------------------------

LICENCE_ID = "dl-de/by-2-0"
LICENCE_TITLE = "Datenlizenz Deutschland – Namensnennung – Version 2.0"
LICENCE_URL = OFFICIAL_LICENCE_URL
#: The attribution the licence requires (the copyright line of the Regionaldatenbank and GENESIS tables).
COPYRIGHT = "© Statistische Ämter des Bundes und der Länder"
#: The Gemeindeverzeichnis (regions, areas, population of the territorial status).
REGIONS_COPYRIGHT = "© Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD"
#: dl-de/by-2-0 asks to mark changed data: indicators and projections are computed by DAKS.
MODIFIED_NOTE = "Kennzahlen und Vorausberechnungen: eigene Berechnungen von DAKS auf Grundlage der amtlichen Daten"
EXAMPLE_NOTE = (
    "Enthält Beispieldaten (von DAKS erzeugte, erfundene Zahlen) für das fiktive Land 99; "
    "diese Zeilen sind keine amtlichen Zahlen."
)

__all__ = [
    "COPYRIGHT",
    "LICENCE_ID",
    "LICENCE_TITLE",
    "LICENCE_URL",
    "OFFICIAL_LICENCE",
    "OFFICIAL_SOURCE",
]


def attribution(tables: list[str] | None = None) -> str:
    """The attribution line (German) for the downloads: copyright, tables, licence with its address, changes."""
    parts = [COPYRIGHT]
    if tables:
        parts.append(("Tabelle " if len(tables) == 1 else "Tabellen ") + ", ".join(tables))
    parts.append(REGIONS_COPYRIGHT)
    parts.append(f"{LICENCE_TITLE} ({LICENCE_ID}, {LICENCE_URL})")
    parts.append(MODIFIED_NOTE)
    return "; ".join(parts)


# --- units --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    code: str  # what the files contain (language-independent)
    label: Any  # lazy


UNITS = [
    Unit("persons", _("persons")),
    Unit("percent", _("per cent (%)")),
    Unit("years", _("years")),
    Unit("per_100_aged_20_64", _("per 100 persons aged 20 to 64")),
    Unit("per_1000_inhabitants", _("per 1,000 inhabitants (‰)")),
    Unit("per_1000_women_15_44", _("per 1,000 women aged 15 to 44")),
    Unit("inhabitants_per_km2", _("inhabitants per km²")),
    Unit("km2", _("square kilometres")),
    Unit("degrees", _("degrees (WGS84)")),
]
UNIT_LABELS = {unit.code: unit.label for unit in UNITS}


# --- indicators ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    code: str
    label: Any
    unit: str  # a code of UNITS
    definition: Any
    group: str  # "population", "age", "change", "movement", "projection"

    @property
    def unit_label(self):
        return UNIT_LABELS.get(self.unit, self.unit)


def _demography_labels() -> tuple[dict[str, Any], dict[str, Any]]:
    """Labels and explanations the demography app already has, by indicator code."""
    from daks.demography.comparison import COMPARE_INDICATORS
    from daks.demography.views import KEY_FIGURES

    labels: dict[str, Any] = {code: label for code, label, _unit in COMPARE_INDICATORS}
    helps: dict[str, Any] = {}
    for spec in KEY_FIGURES:
        for name in spec.indicators:
            labels[name] = spec.label
            if spec.help:
                helps[name] = spec.help
    return labels, helps


def _format_lazy(text, **values):
    return lazy(lambda: str(text) % values, str)()


def _share_definition(lo: int, hi: int | None):
    if hi is None:
        return _format_lazy(_("Persons aged %(lo)s and over per 100 inhabitants"), lo=lo)
    return _format_lazy(_("Persons aged %(lo)s to under %(hi)s per 100 inhabitants"), lo=lo, hi=hi)


def _share_label(lo: int, hi: int | None):
    if lo == 0:
        return _format_lazy(_("Share under %(hi)s"), hi=hi)
    if hi is None:
        return _format_lazy(_("Share aged %(lo)s and over"), lo=lo)
    return _format_lazy(_("Share aged %(lo)s to %(last)s"), lo=lo, last=hi - 1)


def _registry() -> list[Indicator]:
    labels, helps = _demography_labels()

    def item(code, label, unit, definition, group):
        return Indicator(code, labels.get(code, label), unit, helps.get(code, definition), group)

    per_1000 = "per_1000_inhabitants"
    items = [
        item("total", _("Population"), "persons", _("Inhabitants on 31 December (sum over all ages)"), "population"),
        item("male", _("Population (male)"), "persons", _("Male inhabitants on 31 December"), "population"),
        item("female", _("Population (female)"), "persons", _("Female inhabitants on 31 December"), "population"),
        item(
            "density_per_km2",
            _("Inhabitants per km²"),
            "inhabitants_per_km2",
            _("Newest official population divided by the area of the Gemeindeverzeichnis"),
            "population",
        ),
    ]
    for code, (lo, hi) in SHARE_BANDS.items():
        items.append(item(code, _share_label(lo, hi), "percent", _share_definition(lo, hi), "age"))
    items += [
        item(
            "youth_dependency_ratio",
            "",
            "per_100_aged_20_64",
            _("Persons under 20 per 100 persons aged 20 to 64"),
            "age",
        ),
        item(
            "old_age_dependency_ratio",
            "",
            "per_100_aged_20_64",
            _("Persons aged 65 and over per 100 persons aged 20 to 64"),
            "age",
        ),
        item(
            "total_dependency_ratio",
            "",
            "per_100_aged_20_64",
            _("Persons under 20 and aged 65 and over per 100 persons aged 20 to 64"),
            "age",
        ),
        item(
            "mean_age",
            _("Mean age"),
            "years",
            _format_lazy(
                _("Average age, each year of age counted at its middle, the group 100 and over at %(age)s years"),
                age=TOP_GROUP_MEAN_AGE,
            ),
            "age",
        ),
        item(
            "median_age",
            _("Median age"),
            "years",
            _("Age that divides the population into two halves of equal size (interpolated within the year of age)"),
            "age",
        ),
        item(
            "change_pct_5y",
            _("Change over 5 years"),
            "percent",
            _("Change of the population compared with 31 December five years earlier"),
            "change",
        ),
        item(
            "change_pct_10y",
            _("Change over 10 years"),
            "percent",
            _("Change of the population compared with 31 December ten years earlier"),
            "change",
        ),
        item("change_abs", _("Change (persons)"), "persons", _("Population minus that of the earlier year"), "change"),
        item("change_pct", _("Change (per cent)"), "percent", _("Change compared with the earlier year"), "change"),
        item(
            "change_pct_per_year",
            _("Average annual change"),
            "percent",
            _("Geometric mean of the annual rate of change between the two years"),
            "change",
        ),
        item("natural_balance", _("Natural balance"), "persons", _("Live births minus deaths in the year"), "movement"),
        item("natural_balance_per_1000", "", per_1000, _("Live births minus deaths"), "movement"),
        item(
            "births_per_1000_women_15_44",
            _("General fertility rate"),
            "per_1000_women_15_44",
            _("Live births of the year per 1,000 women aged 15 to 44"),
            "movement",
        ),
        item(
            "net_migration",
            _("Migration balance"),
            "persons",
            _("In-migration minus out-migration across the borders of the region in the year"),
            "movement",
        ),
        item("net_migration_per_1000", "", per_1000, _("In-migration minus out-migration"), "movement"),
        item(
            "projected_population",
            _("Projected population in the horizon year"),
            "persons",
            _("Population in the horizon year, medium variant of the DAKS projection"),
            "projection",
        ),
        item("projected_change_pct", "", "percent", _("Medium variant of the projection"), "projection"),
    ]
    return items


def indicators() -> list[Indicator]:
    """Every indicator the demography pipeline stores (and the optional ones of the engine), in a fixed order."""
    return _registry()


def indicator_units() -> dict[str, str]:
    return {indicator.code: indicator.unit for indicator in indicators()}


# --- files and columns ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless Table Schema type: string, integer, number, date, boolean
    description: Any
    unit: str = ""  # a code of UNITS, "" = none or given per row
    values: tuple[str, ...] = ()  # allowed values (enum), if fixed


LEVELS = tuple(Level.values)
AGE_GROUPS = tuple(f"{lo}-{hi}" if hi is not None else f"{lo}+" for lo, hi in PYRAMID_GROUPS)
SEXES = tuple(Sex.values)

REGION_KEY = Column(
    "region_key",
    "string",
    _("Official key: DG (Germany), 2 digits Land, 3 Regierungsbezirk, 5 Kreis, 9 Gemeindeverband, 8 Gemeinde (AGS)"),
)

REGION_COLUMNS = [
    REGION_KEY,
    Column("ars", "string", _("Amtlicher Regionalschlüssel (12 digits for Gemeinden; empty for Germany)")),
    Column("name", "string", _("Official name")),
    Column("level", "string", _("Administrative level"), values=LEVELS),
    Column("parent_key", "string", _("Official key of the next higher region (empty for Germany)")),
    Column("kind", "string", _("Type of region as in the Gemeindeverzeichnis (e.g. Stadt, Landkreis)")),
    Column("area_km2", "number", _("Area"), unit="km2"),
    Column("population", "integer", _("Population of the Gemeindeverzeichnis"), unit="persons"),
    Column("population_date", "date", _("Reference date of the population (ISO 8601)")),
    Column("reference_date", "date", _("Territorial status (Gebietsstand, ISO 8601)")),
    Column("lat", "number", _("Latitude of the geographic centre"), unit="degrees"),
    Column("lon", "number", _("Longitude of the geographic centre"), unit="degrees"),
    Column("active", "boolean", _("false for regions that no longer exist (merged or dissolved)")),
]

INDICATOR_COLUMNS = [
    REGION_KEY,
    Column("region_name", "string", _("Official name (empty for historical keys no longer in the register)")),
    Column("level", "string", _("Administrative level"), values=LEVELS),
    Column("indicator", "string", _("Code of the indicator; see the list of indicators")),
    Column("year", "integer", _("Year (reference date 31 December, or the horizon year of a projection)")),
    Column("value", "number", _("Value, full precision; empty if it cannot be computed")),
    Column("unit", "string", _("Code of the unit; see the list of units")),
    Column("basis", "string", _("Which official data the value was computed from")),
]

PROJECTION_COLUMNS = [
    REGION_KEY,
    Column("scenario", "string", _("Code of the scenario (variant); see the list of scenarios")),
    Column("year", "integer", _("Year (31 December); the first year is the base year")),
    Column("sex", "string", _("total, male or female"), values=SEXES),
    Column("age_group", "string", _("Age group in years (0-4 … 90+), or total"), values=("total", *AGE_GROUPS)),
    Column("value", "number", _("Projected population (rounded to 0.1)"), unit="persons"),
]


@dataclass(frozen=True)
class FileSpec:
    name: str  # the file name, also the last part of the download address
    dataset: str  # "regions", "indicators", "projections", "licence"
    format: str  # "csv", "json", "txt"
    media_type: str


FILES = [
    FileSpec("regionen.csv", "regions", "csv", "text/csv; charset=utf-8; header=present"),
    FileSpec("regionen.json", "regions", "json", "application/json"),
    FileSpec("indikatoren.csv", "indicators", "csv", "text/csv; charset=utf-8; header=present"),
    FileSpec("indikatoren.json", "indicators", "json", "application/json"),
    FileSpec("prognosen.csv", "projections", "csv", "text/csv; charset=utf-8; header=present"),
    FileSpec("prognosen.json", "projections", "json", "application/json"),
    FileSpec("LIZENZ.txt", "licence", "txt", "text/plain; charset=utf-8"),
]
FILES_BY_NAME = {spec.name: spec for spec in FILES}


@dataclass(frozen=True)
class DatasetSpec:
    code: str
    title: Any
    description: Any
    columns: list[Column]


DATASETS = [
    DatasetSpec(
        "regions",
        _("Regions"),
        _(
            "All regions of the Gemeindeverzeichnis: Germany, Länder, Regierungsbezirke, Kreise, Gemeindeverbände and "
            "Gemeinden, with key, name, level, parent, area, population and centre point."
        ),
        REGION_COLUMNS,
    ),
    DatasetSpec(
        "indicators",
        _("Indicators"),
        _(
            "Every computed indicator of every region and year: population, age structure, dependency ratios, "
            "natural balance, migration, change and the projected change. One row per region, indicator and year."
        ),
        INDICATOR_COLUMNS,
    ),
    DatasetSpec(
        "projections",
        _("Population projections"),
        _(
            "The population projection of every region for the preset scenarios (low, medium, high variant): the "
            "total for every year from the base year to the horizon year, and by sex and age group for the base "
            "year, the horizon year and the year of re-basing. Projections of the Kommunen's own scenarios are not "
            "published."
        ),
        PROJECTION_COLUMNS,
    ),
]
DATASETS_BY_CODE = {spec.code: spec for spec in DATASETS}
