"""Public region pages: search (with htmx typeahead), the region page with charts and tables, CSV downloads.

The figures are official statistics and public: no login is needed. Reads go through ``selectors``; the charts
are built server-side (``charts``). Comparisons and similar regions come from ``comparison`` when that module
provides them; without it (or when it fails) those sections are left out.
"""

from __future__ import annotations

import csv
import importlib
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.numberformat import format as format_number
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from . import charts, selectors
from .models import BUND_KEY, OFFICIAL_LICENCE_URL, OFFICIAL_SOURCE, PYRAMID_GROUPS, Level, Projection, Region

logger = logging.getLogger(__name__)

#: The standard attribution of the official statistics (dl-de/by-2-0), shown wherever the figures appear.
ATTRIBUTION = f"Datenquelle: {OFFICIAL_SOURCE}; dl-de/by-2-0"
EXAMPLE_ATTRIBUTION = "Beispieldaten (erzeugt, keine amtlichen Zahlen)"
AGE_STRUCTURE_2015_NOTE = (
    "Die Altersstruktur beruht auf dem Stand 31.12.2015 (neuere Altersdaten liegen für Gemeinden nicht vor); "
    "sie wird ersetzt, sobald neuere Tabellen importiert werden."
)

SEARCH_LIMIT = 15
#: Years of the time series further apart than this are not joined by a line.
TIME_SERIES_GAP = 2
SIMILAR_COUNT = 5
#: More children than this are listed inside a collapsed <details>.
CHILDREN_OPEN_LIMIT = 20


# --- Key figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureSpec:
    code: str
    label: Any
    indicators: tuple[str, ...]  # accepted IndicatorValue.indicator names, first match wins
    decimals: int = 1
    unit: Any = ""
    signed: bool = False
    help: Any = ""
    age_based: bool = False  # computed from the age structure


PERCENT = "%"
YEARS = gettext_lazy("years")

KEY_FIGURES = [
    FigureSpec("population", gettext_lazy("Population"), ("total", "population"), 0),
    FigureSpec(
        "change_5y",
        gettext_lazy("Change over 5 years"),
        ("change_pct_5y", "change_pct_5_years", "change_5y_pct", "change_pct_5"),
        unit=PERCENT,
        signed=True,
    ),
    FigureSpec(
        "change_10y",
        gettext_lazy("Change over 10 years"),
        ("change_pct_10y", "change_pct_10_years", "change_10y_pct", "change_pct_10"),
        unit=PERCENT,
        signed=True,
    ),
    FigureSpec("share_under_18", gettext_lazy("Share under 18"), ("share_under_18",), unit=PERCENT, age_based=True),
    FigureSpec(
        "share_65_plus", gettext_lazy("Share aged 65 and over"), ("share_65_plus",), unit=PERCENT, age_based=True
    ),
    FigureSpec(
        "share_80_plus", gettext_lazy("Share aged 80 and over"), ("share_80_plus",), unit=PERCENT, age_based=True
    ),
    FigureSpec("median_age", gettext_lazy("Median age"), ("median_age",), unit=YEARS, age_based=True),
    FigureSpec("mean_age", gettext_lazy("Mean age"), ("mean_age",), unit=YEARS, age_based=True),
    FigureSpec(
        "youth_dependency_ratio",
        gettext_lazy("Youth dependency ratio"),
        ("youth_dependency_ratio",),
        help=gettext_lazy("Persons under 20 per 100 persons aged 20 to 64"),
        age_based=True,
    ),
    FigureSpec(
        "old_age_dependency_ratio",
        gettext_lazy("Old-age dependency ratio"),
        ("old_age_dependency_ratio",),
        help=gettext_lazy("Persons aged 65 and over per 100 persons aged 20 to 64"),
        age_based=True,
    ),
    FigureSpec(
        "total_dependency_ratio",
        gettext_lazy("Total dependency ratio"),
        ("total_dependency_ratio",),
        help=gettext_lazy("Persons under 20 and aged 65 and over per 100 persons aged 20 to 64"),
        age_based=True,
    ),
    FigureSpec(
        "natural_balance",
        gettext_lazy("Natural balance per 1,000 inhabitants"),
        ("natural_balance_per_1000",),
        signed=True,
        help=gettext_lazy("Births minus deaths"),
    ),
    FigureSpec(
        "projected_change",
        gettext_lazy("Projected change until the horizon year"),
        ("projected_change_pct",),
        unit=PERCENT,
        signed=True,
        help=gettext_lazy("Medium variant of the projection"),
    ),
    FigureSpec(
        "migration_balance",
        gettext_lazy("Migration balance per 1,000 inhabitants"),
        ("net_migration_per_1000",),
        signed=True,
        help=gettext_lazy("In-migration minus out-migration"),
    ),
]
#: The engine's shares that add up to the share under 18 where the pipeline stores no ``share_under_18``.
UNDER_18_PARTS = ("share_under_3", "share_3_5", "share_6_17")
INDICATOR_LABELS = {name: spec.label for spec in KEY_FIGURES for name in spec.indicators}


@dataclass
class Figure:
    code: str
    label: Any
    value: float | None
    decimals: int = 0
    unit: Any = ""
    year: int | None = None
    basis: str = ""
    signed: bool = False
    help: Any = ""
    age_based: bool = False
    as_of: Any = None  # a date, for the figures of the Gemeindeverzeichnis
    basis_number: int = 0  # the footnote listing ``basis`` on the page

    @property
    def format(self) -> str:
        return f"{self.decimals}g"

    @property
    def plus(self) -> bool:
        return self.signed and self.value is not None and self.value > 0


def key_figures(indicators: Mapping[str, Any]) -> list[Figure]:
    """The key figures whose indicator values exist, in the order of ``KEY_FIGURES``."""
    figures = []
    for spec in KEY_FIGURES:
        value = next((indicators[name] for name in spec.indicators if name in indicators), None)
        if value is not None:
            number, year, basis = value.value, value.year, value.basis
        elif spec.code == "share_under_18" and all(part in indicators for part in UNDER_18_PARTS):
            parts = [indicators[part] for part in UNDER_18_PARTS]
            if len({part.year for part in parts}) != 1:
                continue
            number, year, basis = sum(part.value for part in parts), parts[0].year, parts[0].basis
        else:
            continue
        figures.append(
            Figure(
                spec.code,
                spec.label,
                number,
                spec.decimals,
                spec.unit,
                year,
                basis,
                spec.signed,
                spec.help,
                spec.age_based,
            )
        )
    return figures


def number_bases(figures: list[Figure]) -> list[tuple[int, str]]:
    """Number the distinct bases of ``figures`` (in order of appearance) for footnotes; sets ``basis_number``."""
    numbers: dict[str, int] = {}
    for figure in figures:
        if figure.basis:
            figure.basis_number = numbers.setdefault(figure.basis, len(numbers) + 1)
    return [(number, basis) for basis, number in numbers.items()]


def region_facts(region: Region) -> list[Figure]:
    """Population, area and density as published in the Gemeindeverzeichnis."""
    facts = []
    if region.population is not None:
        facts.append(
            Figure(
                "population", _("Population"), region.population, 0, as_of=region.population_date, basis=region.source
            )
        )
    if region.area_km2 is not None:
        facts.append(Figure("area", _("Area"), float(region.area_km2), 2, "km²", basis=region.source))
        if region.population is not None and region.area_km2 > 0:
            density = region.population / float(region.area_km2)
            facts.append(
                Figure("density", _("Population density"), density, 1, _("inhabitants per km²"), basis=region.source)
            )
    return facts


# --- Tables (shown below each chart and offered as CSV) --------------------------------------------


@dataclass
class Cell:
    value: Any
    decimals: int | None = None  # None: text

    @property
    def is_number(self) -> bool:
        return self.decimals is not None and self.value is not None

    @property
    def format(self) -> str:
        return f"{self.decimals}g"

    @property
    def text(self) -> str:
        return "–" if self.value is None or self.value == "" else str(self.value)

    def csv(self) -> str:
        """German number format without thousands separators (comma decimals), independent of the UI language."""
        if self.is_number:
            return format_number(charts.rounded(self.value, self.decimals), ",", self.decimals, grouping=0)
        return "" if self.value is None else str(self.value)


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)

    @property
    def header_cells(self) -> list[tuple[str, bool]]:
        """``(header, numeric)``: numeric columns are right-aligned."""
        first = self.rows[0] if self.rows else []
        numeric = [index < len(first) and first[index].decimals is not None for index in range(len(self.headers))]
        return list(zip(self.headers, numeric, strict=True))


@dataclass
class Chart:
    slug: str  # the name in the CSV address
    title: str
    svg: SafeString
    table: Table
    csv_url: str = ""
    notes: list[str] = field(default_factory=list)


def _n(value, decimals: int = 0) -> str:
    """A number for the descriptions of the charts (localised)."""
    return charts.localised(value, decimals)


def _medium(projections: Mapping[str, Projection]) -> Projection | None:
    return projections.get("medium")


def pyramid_table(region: Region, projections: Mapping[str, Projection]) -> tuple[Table, dict] | None:
    medium = _medium(projections)
    if medium is None:
        return None
    base = (medium.pyramids or {}).get(str(medium.base_year))
    horizon = (medium.pyramids or {}).get(str(medium.horizon_year))
    n = len(PYRAMID_GROUPS)
    if not base or len(base.get("male", [])) != n or len(base.get("female", [])) != n:
        return None
    if horizon and (len(horizon.get("male", [])) != n or len(horizon.get("female", [])) != n):
        horizon = None
    headers = [
        _("Age group"),
        _("Men %(year)s") % {"year": medium.base_year},
        _("Women %(year)s") % {"year": medium.base_year},
    ]
    if horizon:
        variant = medium.scenario.name
        headers += [
            _("Men %(year)s (%(variant)s)") % {"year": medium.horizon_year, "variant": variant},
            _("Women %(year)s (%(variant)s)") % {"year": medium.horizon_year, "variant": variant},
        ]
    rows = []
    for index, group in enumerate(PYRAMID_GROUPS):
        row = [Cell(charts.group_label(group)), Cell(base["male"][index], 0), Cell(base["female"][index], 0)]
        if horizon:
            row += [Cell(horizon["male"][index], 0), Cell(horizon["female"][index], 0)]
        rows.append(row)
    caption = _("Population by age group and sex, %(name)s") % {"name": region.name}
    return Table(caption, headers, rows), {"medium": medium, "base": base, "horizon": horizon}


def pyramid_chart(region: Region, projections: Mapping[str, Projection]) -> Chart | None:
    built = pyramid_table(region, projections)
    if built is None:
        return None
    table, data = built
    medium, base, horizon = data["medium"], data["base"], data["horizon"]
    title = _("Age structure of %(name)s %(year)s") % {"name": region.name, "year": medium.base_year}
    desc = _(
        "Population pyramid for %(year)s: men on the left, women on the right, from the youngest age group (0–4) "
        "at the bottom to the oldest (90 and over) at the top."
    ) % {"year": medium.base_year}
    overlay_label = ""
    if horizon:
        overlay_label = _("Dashed outline: projection for %(year)s (%(variant)s)") % {
            "year": medium.horizon_year,
            "variant": medium.scenario.name,
        }
        desc = f"{desc} {overlay_label}."
    svg = charts.pyramid_svg(
        PYRAMID_GROUPS,
        base["male"],
        base["female"],
        horizon["male"] if horizon else None,
        horizon["female"] if horizon else None,
        title=title,
        desc=desc,
        chart_id="chart-pyramid",
        base_label=_("Bars: population %(year)s (men, women)") % {"year": medium.base_year},
        overlay_label=overlay_label,
    )
    return Chart("pyramid", title, svg, table)


def time_series_table(region: Region, totals: list[tuple], datasets: Mapping[int, Any]) -> Table | None:
    rows = []
    for year, value, dataset_id, date in totals:
        dataset = datasets.get(dataset_id)
        source = ""
        if dataset is not None:
            source = EXAMPLE_ATTRIBUTION if dataset.is_example else (dataset.table_code or dataset.title)
        if date is not None and (date.month, date.day) != (12, 31):
            source = _("%(source)s, reference date %(date)s") % {
                "source": source,
                "date": date_format(date, "SHORT_DATE_FORMAT"),
            }
        rows.append([Cell(year), Cell(value, 0), Cell(source)])
    if region.population is not None and region.population_date is not None:
        if is_example_region(region):
            source = EXAMPLE_ATTRIBUTION
        else:
            source = _("Gemeindeverzeichnis (GV100AD), as of %(date)s") % {
                "date": date_format(region.population_date, "SHORT_DATE_FORMAT")
            }
        rows.append([Cell(region.population_date.year), Cell(region.population, 0), Cell(source)])
    if len(rows) < 2:
        return None
    rows.sort(key=lambda row: row[0].value)
    caption = _("Population of %(name)s by year (31 December unless stated otherwise)") % {"name": region.name}
    return Table(caption, [_("Year"), _("Population"), _("Source")], rows)


def time_series_chart(region: Region, totals, datasets) -> Chart | None:
    table = time_series_table(region, totals, datasets)
    if table is None:
        return None
    series = []
    if totals:
        example = all(getattr(datasets.get(dataset_id), "is_example", False) for _y, _v, dataset_id, _d in totals)
        label = _("Population (example data)") if example else _("Population (statistical tables)")
        series.append((label, [(year, value) for year, value, *_rest in totals]))
    if region.population is not None and region.population_date is not None:
        label = _("Latest figure") if is_example_region(region) else _("Latest official figure (Gemeindeverzeichnis)")
        series.append((label, [(region.population_date.year, region.population)]))
    first, last = table.rows[0], table.rows[-1]
    title = _("Population of %(name)s over time") % {"name": region.name}
    desc = _("Population %(first_year)s: %(first)s; %(last_year)s: %(last)s.") % {
        "first_year": first[0].value,
        "first": _n(first[1].value),
        "last_year": last[0].value,
        "last": _n(last[1].value),
    }
    svg = charts.line_svg(
        series, title=title, desc=desc, chart_id="chart-zeitreihe", y_label=_("Population"), max_gap=TIME_SERIES_GAP
    )
    notes = [
        _(
            "The censuses of 2011 and 2022 corrected the population figures; jumps in those years are corrections, "
            "not real changes."
        )
    ]
    return Chart("zeitreihe", title, svg, table, notes=notes)


def projection_table(region: Region, projections: Mapping[str, Projection]) -> Table | None:
    medium = _medium(projections)
    if medium is None or not medium.totals:
        return None
    order = [code for code in selectors.PAGE_SCENARIOS if code in projections]
    columns = [projections[code] for code in order]
    rows = []
    for offset, _total in enumerate(medium.totals):
        year = medium.base_year + offset
        row = [Cell(year)]
        for projection in columns:
            index = year - projection.base_year
            value = projection.totals[index] if 0 <= index < len(projection.totals) else None
            row.append(Cell(value, 0))
        rows.append(row)
    caption = _("Projected population of %(name)s by scenario") % {"name": region.name}
    return Table(caption, [_("Year"), *[projection.scenario.name for projection in columns]], rows)


def projection_chart(region: Region, projections: Mapping[str, Projection]) -> Chart | None:
    table = projection_table(region, projections)
    if table is None:
        return None
    medium = projections["medium"]
    points = [(medium.base_year + offset, total) for offset, total in enumerate(medium.totals) if total is not None]
    band = None
    low, high = projections.get("low"), projections.get("high")
    if low is not None and high is not None:
        band_points = []
        for year, _value in points:
            lo_index, hi_index = year - low.base_year, year - high.base_year
            if 0 <= lo_index < len(low.totals) and 0 <= hi_index < len(high.totals):
                lo, hi = low.totals[lo_index], high.totals[hi_index]
                if lo is not None and hi is not None:
                    band_points.append((year, min(lo, hi), max(lo, hi)))
        if band_points:
            band = (
                _("Range: %(low)s to %(high)s") % {"low": low.scenario.name, "high": high.scenario.name},
                band_points,
            )
    title = _("Population projection for %(name)s until %(year)s") % {"name": region.name, "year": medium.horizon_year}
    desc = _("%(variant)s: from %(start)s (%(base_year)s) to %(end)s (%(horizon_year)s).") % {
        "variant": medium.scenario.name,
        "start": _n(points[0][1]),
        "base_year": points[0][0],
        "end": _n(points[-1][1]),
        "horizon_year": points[-1][0],
    }
    if band:
        last_year, lo, hi = band[1][-1]
        desc += " " + _("In %(year)s the other variants give %(low)s to %(high)s.") % {
            "year": last_year,
            "low": _n(lo),
            "high": _n(hi),
        }
    svg = charts.line_svg(
        [(medium.scenario.name, points)],
        band,
        title=title,
        desc=desc,
        chart_id="chart-vorausberechnung",
        y_label=_("Population"),
    )
    notes = [
        _(
            "A projection is a model calculation under assumptions, not a forecast. For small municipalities the "
            "uncertainty is large."
        )
    ]
    return Chart("vorausberechnung", title, svg, table, notes=notes)


def key_figures_table(region: Region, facts: list[Figure], figures: list[Figure]) -> Table | None:
    rows = []
    for figure in [*facts, *figures]:
        when = (
            figure.year
            if figure.year is not None
            else (figure.as_of and date_format(figure.as_of, "SHORT_DATE_FORMAT"))
        )
        rows.append(
            [
                Cell(str(figure.label)),
                Cell(when or ""),
                Cell(figure.value, figure.decimals),
                Cell(str(figure.unit)),
                Cell(figure.basis),
            ]
        )
    if not rows:
        return None
    caption = _("Key figures of %(name)s") % {"name": region.name}
    return Table(caption, [_("Figure"), _("Year / as of"), _("Value"), _("Unit"), _("Basis")], rows)


# --- Comparison and similar regions (from comparison.py, when it exists) ---------------------------


def _comparison_function(name: str) -> Callable | None:
    try:
        module = importlib.import_module("daks.demography.comparison")
    except ImportError:
        return None
    function = getattr(module, name, None)
    return function if callable(function) else None


def _get(item: Any, *names: str, default=None):
    for name in names:
        if isinstance(item, Mapping):
            if name in item:
                return item[name]
        elif hasattr(item, name):
            return getattr(item, name)
    return default


@dataclass
class SimilarRegion:
    region: Region
    reasons: list[str]


def similar_regions(region: Region) -> list[SimilarRegion] | None:
    """Similar regions with the reasons (``comparison.similar_regions``: items with ``region_key`` and
    ``reasons``), or None when that is not available or fails."""
    function = _comparison_function("similar_regions")
    if function is None:
        return None
    try:
        items = [
            (_get(item, "region_key"), list(_get(item, "reasons", default=[]) or []))
            for item in function(region.key, SIMILAR_COUNT)
        ]
    except Exception:
        logger.exception("similar_regions(%s) failed; the section is left out", region.key)
        return None
    regions = selectors.regions_by_keys([key for key, _reasons in items if key]) if items else {}
    return [
        SimilarRegion(regions[key], [str(reason) for reason in reasons])
        for key, reasons in items
        if key in regions and key != region.key
    ]


@dataclass
class ComparisonRow:
    label: str
    unit: str
    year: int | None  # the year of the region's own value
    cells: list[tuple[Cell, int | None]]  # per column: the value and its year when that differs from ``year``


@dataclass
class Comparison:
    columns: list[str]
    rows: list[ComparisonRow]


MAX_EXTRA_COMPARISONS = 5


def parse_comparison_keys(raw: str, region: Region) -> tuple[list[str], list[str]]:
    """Keys of further regions the user wants to compare with (``?vergleich=09162000,05315000``).

    Returns the known keys (at most MAX_EXTRA_COMPARISONS, without the region itself) and the unknown ones.
    """
    known, unknown = [], []
    for key in re.split(r"[\s,;]+", raw or ""):
        if not key or key == region.key or key in known:
            continue
        if selectors.region_by_key(key) is None:
            unknown.append(key[:20])
        elif len(known) < MAX_EXTRA_COMPARISONS:
            known.append(key)
    return known, unknown


def comparison_table(region: Region, extra_keys: list[str] | None = None) -> Comparison | None:
    """Region vs Kreis vs Land vs Deutschland from ``comparison.compare_region``, or None when that is not
    available (or fails, or has no values).

    ``compare_region(key)`` returns rows with ``label``, ``unit``, ``indicator`` and ``cells`` (each with ``name``,
    ``value`` and ``year``), all rows with the same columns.
    """
    function = _comparison_function("compare_region")
    if function is None:
        return None
    try:
        rows = list((function(region.key, extra_keys) if extra_keys else function(region.key)) or [])
        if not rows:
            return None
        columns = [str(_get(cell, "name") or _get(cell, "region_key")) for cell in _get(rows[0], "cells")]
        parsed = []
        for row in rows:
            cells = list(_get(row, "cells"))
            if len(cells) != len(columns):
                raise ValueError("rows differ in their columns")
            values = [_get(cell, "value") for cell in cells]
            if all(value is None for value in values):
                continue
            years = [_get(cell, "year") for cell in cells]
            year = years[0] if years[0] is not None else next((y for y in years if y is not None), None)
            indicator = _get(row, "indicator", default="")
            decimals = 0 if indicator in ("total", "population", "projected_population") else 1
            parsed.append(
                ComparisonRow(
                    label=str(_get(row, "label") or INDICATOR_LABELS.get(indicator) or indicator),
                    unit=str(_get(row, "unit", default="") or ""),
                    year=year,
                    cells=[
                        (Cell(value, decimals), y if value is not None and y != year else None)
                        for value, y in zip(values, years, strict=True)
                    ],
                )
            )
    except Exception:
        logger.exception("compare_region(%s) failed; the comparison is left out", region.key)
        return None
    return Comparison(columns, parsed) if parsed else None


# --- Page data -------------------------------------------------------------------------------------


def _csv_url(region: Region, chart: str) -> str:
    return reverse("demography:region_csv", args=[region.key, chart])


def is_example_region(region: Region) -> bool:
    """Example regions (Beispieldaten, Land 99) come with generated figures, not with the Gemeindeverzeichnis."""
    try:
        from .example_data import EXAMPLE_SOURCE
    except ImportError:
        EXAMPLE_SOURCE = None
    source = region.source or ""
    return bool(EXAMPLE_SOURCE and source == EXAMPLE_SOURCE) or "beispieldaten" in source.lower()


def region_data(region: Region) -> dict:
    """Everything the region page and its CSV downloads show (charts, tables, provenance)."""
    indicators = selectors.latest_indicator_values(region.key)
    projections = selectors.preset_projections(region.key)
    totals = selectors.population_totals(region.key)
    basis_texts = [value.basis for value in indicators.values()] + [p.basis for p in projections.values()]
    datasets = selectors.region_datasets(
        region.key, dataset_ids={dataset_id for _y, _v, dataset_id, _d in totals}, basis_texts=basis_texts
    )
    figures = key_figures(indicators)
    bases = number_bases(figures)
    facts = region_facts(region)
    medium = projections.get("medium")
    age_years = {figure.year for figure in figures if figure.age_based}
    if medium is not None and (medium.pyramids or {}).get(str(medium.base_year)):
        age_years.add(medium.base_year)
    example_region = is_example_region(region)
    uses_example = (
        example_region
        or any(dataset.is_example for dataset in datasets)
        or any("beispieldaten" in (text or "").lower() for text in basis_texts)
    )
    return {
        "indicators": indicators,
        "projections": projections,
        "totals": totals,
        "datasets": datasets,
        "datasets_by_id": {dataset.pk: dataset for dataset in datasets},
        "figures": figures,
        "bases": bases,
        "facts": facts,
        "age_structure_2015": 2015 in age_years,
        "uses_example": uses_example,
        # the Destatis attribution only where official figures appear (not on a page of example regions only)
        "official": not example_region or any(dataset.is_official for dataset in datasets),
    }


def _charts(region: Region, data: dict) -> dict[str, Chart]:
    built = {
        "pyramid": pyramid_chart(region, data["projections"]),
        "zeitreihe": time_series_chart(region, data["totals"], data["datasets_by_id"]),
        "vorausberechnung": projection_chart(region, data["projections"]),
    }
    for slug, chart in built.items():
        if chart is not None:
            chart.csv_url = _csv_url(region, slug)
    return {slug: chart for slug, chart in built.items() if chart is not None}


# --- Views -----------------------------------------------------------------------------------------


def _search_context(request) -> dict:
    query = request.GET.get("q", "").strip()[:100]
    results = selectors.search_regions_with_parents(query, SEARCH_LIMIT) if query else []
    return {"query": query, "results": results, "limit": SEARCH_LIMIT}


@require_GET
def search(request):
    """The search page; with ``?q=`` it lists the matches (the form works without JavaScript)."""
    context = _search_context(request)
    if request.htmx:
        response = render(request, "demography/partials/search_results.html", context)
    else:
        context["laender"] = selectors.laender()
        context["bund"] = selectors.region_by_key(BUND_KEY, level=Level.BUND, active_only=True)
        response = render(request, "demography/search.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def search_results(request):
    """The result list for the typeahead (htmx); a plain request goes to the search page."""
    if not request.htmx:
        url = reverse("demography:search")
        query = request.GET.get("q", "").strip()
        if query:
            url = f"{url}?{urlencode({'q': query})}"
        return redirect(url)
    response = render(request, "demography/partials/search_results.html", _search_context(request))
    patch_vary_headers(response, ["HX-Request"])
    return response


def _region_or_404(key: str) -> Region:
    region = selectors.region_for_page(key)
    if region is None:
        raise Http404("no such region")
    return region


@require_GET
def region(request, key: str):
    region = _region_or_404(key)
    data = region_data(region)
    children = selectors.public_children(region)
    comparison_input = request.GET.get("vergleich", "")[:200]
    extra_keys, unknown_keys = parse_comparison_keys(comparison_input, region)
    context = {
        "comparison_input": comparison_input,
        "unknown_comparison_keys": unknown_keys,
        "region": region,
        "ancestors": list(reversed(selectors.ancestors(region))),
        "facts": data["facts"],
        "figures": data["figures"],
        "bases": data["bases"],
        "charts": _charts(region, data),
        "key_figures_csv_url": _csv_url(region, "kennzahlen") if data["facts"] or data["figures"] else "",
        "projections": [data["projections"][code] for code in selectors.PAGE_SCENARIOS if code in data["projections"]],
        "comparison": comparison_table(region, extra_keys),
        "similar": similar_regions(region),
        "profile": selectors.region_profile(region.key),
        "children": children,
        "children_open": len(children) <= CHILDREN_OPEN_LIMIT,
        "datasets": data["datasets"],
        "uses_example": data["uses_example"],
        "age_structure_2015": data["age_structure_2015"],
        "age_structure_2015_note": AGE_STRUCTURE_2015_NOTE,
        "attribution": ATTRIBUTION if data["official"] else "",
        "licence_url": OFFICIAL_LICENCE_URL,
        "example_attribution": EXAMPLE_ATTRIBUTION,
        "example_region": is_example_region(region),
    }
    return render(request, "demography/region.html", context)


CSV_CHARTS = ("pyramid", "zeitreihe", "vorausberechnung", "kennzahlen")


@require_GET
def region_csv(request, key: str, chart: str):
    """One chart's data (or the key figures) as CSV: semicolons, UTF-8 with BOM, comma decimals, the
    attribution in the last line."""
    if chart not in CSV_CHARTS:
        raise Http404("no such chart")
    region = _region_or_404(key)
    data = region_data(region)
    if chart == "pyramid":
        built = pyramid_table(region, data["projections"])
        table = built[0] if built else None
    elif chart == "zeitreihe":
        table = time_series_table(region, data["totals"], data["datasets_by_id"])
    elif chart == "vorausberechnung":
        table = projection_table(region, data["projections"])
    else:
        table = key_figures_table(region, data["facts"], data["figures"])
    if table is None:
        raise Http404("no data for this chart")

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="region-{region.key}-{chart}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([cell.csv() for cell in row])
    trailer = []
    if chart == "kennzahlen" and region.source:
        trailer.append(region.source)
    if data["uses_example"]:
        trailer.append(EXAMPLE_ATTRIBUTION)
    if data["official"]:
        trailer.append(ATTRIBUTION)  # the last line: source and licence
    for line in trailer:
        writer.writerow([line])
    return response
