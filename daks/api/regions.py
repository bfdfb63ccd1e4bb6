"""API router: regions — official statistics of every region, public and without a key (see daks/api/api.py).

Everything is read through the selectors and functions of the public region pages (``daks.demography``), so that
the API shows the same figures as ``/regionen/``. Official figures always come with source and licence
(Datenlizenz Deutschland – Namensnennung 2.0); a Kommune's own data and own scenarios are never shown here.
"""

import math
import re

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate

from daks.demography import comparison, selectors
from daks.demography import views as region_page
from daks.demography.models import (
    BUND_KEY,
    OFFICIAL_LICENCE,
    OFFICIAL_LICENCE_URL,
    OFFICIAL_SOURCE,
    PYRAMID_GROUPS,
    Dataset,
    IndicatorValue,
    Level,
    Projection,
    ProjectionScenario,
    Region,
)
from daks.municipalities.regions import GERMAN_STATES

from .common import Error, Pagination, ValidationErrorOut, set_last_modified
from .schemas_public import (
    CompareParams,
    Comparison,
    IndicatorList,
    Projections,
    RegionDetail,
    RegionFilters,
    RegionListItem,
    Series,
    SimilarList,
    state_of,
)

#: The answers besides 200 (documented in the OpenAPI schema): unknown key or slug, invalid parameters.
INVALID = {422: ValidationErrorOut}
ERRORS = {404: Error, **INVALID}

router = Router(tags=["regions"])

KEY_PATTERN = r"^(DG|[0-9]{2,12})$"
INDICATOR_PATTERN = r"^[a-z0-9_]{1,40}$"
SCENARIO_PATTERN = r"^[a-z0-9-]{1,40}$"
SIMILAR_MAX = 20
#: The observed population (statistical tables), as the time series of the region page shows it.
POPULATION = "population"

# --- Labels and units of the indicators ---------------------------------------------------------------------------

#: Units of the engine's indicators (docs/methods.md, section 2); stable English, not translated.
_UNITS = {
    "total": "persons",
    "male": "persons",
    "female": "persons",
    "population": "persons",
    "projected_population": "persons",
    "change_abs": "persons",
    "natural_balance": "persons",
    "net_migration": "persons",
    "mean_age": "years",
    "median_age": "years",
    "density_per_km2": "inhabitants per km²",
    "youth_dependency_ratio": "per 100 persons aged 20 to 64",
    "old_age_dependency_ratio": "per 100 persons aged 20 to 64",
    "total_dependency_ratio": "per 100 persons aged 20 to 64",
}


def indicator_unit(code: str) -> str:
    if code in _UNITS:
        return _UNITS[code]
    if "per_1000" in code:
        return "‰"
    if code.startswith("share_") or "_pct" in code:
        return "%"
    return ""


def indicator_label(code: str) -> str:
    labels = {name: label for name, label, _unit in comparison.COMPARE_INDICATORS}
    labels.update(region_page.INDICATOR_LABELS)
    labels[POPULATION] = region_page.INDICATOR_LABELS.get("population", code)
    return str(labels.get(code, code))


# --- Helpers ------------------------------------------------------------------------------------------------------


def region_ref(region: Region) -> dict:
    return {"key": region.key, "name": region.name, "level": region.level}


def attribution(*, official: bool, example: bool) -> dict:
    """``source``/``licence`` fields of a response with figures (the constants of the demography app)."""
    parts = ([region_page.ATTRIBUTION] if official else []) + ([region_page.EXAMPLE_ATTRIBUTION] if example else [])
    return {
        "source": OFFICIAL_SOURCE if official else region_page.EXAMPLE_ATTRIBUTION,
        "licence": OFFICIAL_LICENCE if official else "",
        "licence_url": OFFICIAL_LICENCE_URL if official else "",
        "attribution": "; ".join(parts),
        "example_data": example,
    }


def _has_example_basis(texts) -> bool:
    return any("beispieldaten" in (text or "").lower() for text in texts)


def _region_attribution(region: Region, basis_texts=()) -> dict:
    example_region = region_page.is_example_region(region)
    return attribution(official=not example_region, example=example_region or _has_example_basis(basis_texts))


def _region_or_404(key: str) -> Region:
    region = selectors.region_for_page(key)
    if region is None:
        raise HttpError(404, _("There is no region with this key."))
    return region


def _latest(values):
    moments = [value.computed_at for value in values if value.computed_at is not None]
    return max(moments) if moments else None


def _printable(text: str | None) -> str:
    """Free text without control characters (a NUL would make PostgreSQL fail)."""
    return "".join(char for char in (text or "") if char.isprintable()).strip()


_UMLAUTS = (("ae", "ä"), ("oe", "ö"), ("ue", "ü"), ("ss", "ß"))


def name_variants(text: str) -> list[str]:
    """``text`` and its spellings with umlauts: "koeln" also finds "köln", "giessen" "gießen" (at most 16)."""
    variants = [text]
    for plain, umlaut in _UMLAUTS:
        variants += [variant.replace(plain, umlaut) for variant in variants if plain in variant]
    return list(dict.fromkeys(variants))


def search_condition(query: str) -> Q:
    """As ``selectors.search_regions``: digits search the keys (AGS, ARS) by prefix, words the names."""
    if query.isdigit() or query.upper() == BUND_KEY:
        return Q(key__startswith=query.upper()) | Q(ars__startswith=query)
    condition = Q()
    for variant in name_variants(query.lower()):
        condition |= Q(search_name__contains=variant)
    return condition


# --- Endpoints ----------------------------------------------------------------------------------------------------

_LIST_FIELDS = ("key", "ars", "name", "level", "kind", "active", "population", "area_km2", "parent")


@router.get("/regions", response={200: list[RegionListItem], **INVALID}, auth=None, summary="Search regions")
@paginate(Pagination)
def region_list(request, filters: Query[RegionFilters]):
    """Active regions by name or key, ordered by key and level. Without ``q`` all regions (filtered) are listed.

    The “verbandsfreie Gemeinde” entries of the Gemeindeverzeichnis (a Gemeinde repeated at the Verband level)
    are left out, as on the website."""
    regions = Region.objects.filter(active=True).exclude(
        level=Level.GEMEINDEVERBAND, kind_code=selectors.VERBANDSFREI_KIND_CODE
    )
    query = _printable(filters.q)
    if query:
        regions = regions.filter(search_condition(query))
    if filters.level:
        regions = regions.filter(level=filters.level)
    if kind := _printable(filters.kind):
        regions = regions.filter(kind__iexact=kind)
    if filters.state:
        prefix = GERMAN_STATES[filters.state][0] if filters.state in GERMAN_STATES else filters.state
        regions = regions.filter(key__startswith=prefix).exclude(key=BUND_KEY)
    return (
        regions.select_related("parent")
        .only(*_LIST_FIELDS, "parent__key", "parent__name", "parent__level")
        .order_by("key", "level")
    )


@router.get("/regions/{key}", response={200: RegionDetail, **ERRORS}, auth=None, summary="One region")
def region_detail(request, key: str = Path(..., pattern=KEY_PATTERN, description="Official key, e.g. 09162000")):
    """Name, level, parent and Land, area, population and the key indicators as on the public region page, with
    the tables they come from and their source and licence."""
    region = _region_or_404(key)
    data = region_page.region_data(region)
    ancestors = selectors.ancestors(region)
    profile = selectors.region_profile(region.key)
    facts = data["facts"]
    density = next((fact.value for fact in facts if fact.code == "density"), None)
    return {
        **attribution(official=data["official"], example=data["uses_example"]),
        "key": region.key,
        "ars": region.ars,
        "name": region.name,
        "level": region.level,
        "kind": region.kind,
        "seat": region.seat,
        "active": region.active,
        "reference_date": region.reference_date,
        "population": region.population,
        "population_date": region.population_date,
        "area_km2": float(region.area_km2) if region.area_km2 is not None else None,
        "density": density,
        "lat": float(region.lat) if region.lat is not None else None,
        "lon": float(region.lon) if region.lon is not None else None,
        "parent": region_ref(region.parent) if region.parent is not None else None,
        "state": state_of(region.key),
        "ancestors": [region_ref(ancestor) for ancestor in ancestors],
        "demographic_type": profile.cluster_label if profile is not None else "",
        "facts": [_figure(fact) for fact in facts],
        "key_figures": [_figure(figure) for figure in data["figures"]],
        "datasets": [
            {
                "title": dataset.title,
                "table_code": dataset.table_code,
                "source": dataset.source,
                "licence": dataset.licence,
                "data_as_of": dataset.data_as_of,
                "example": dataset.is_example,
            }
            for dataset in data["datasets"]
        ],
        "page_url": request.build_absolute_uri(reverse("demography:region", args=[region.key])),
    }


#: Stable units of the figures of the region page (the page shows them translated).
_FACT_UNITS = {"population": "persons", "area": "km²", "density": "inhabitants per km²"}


def _figure(figure) -> dict:
    spec = next((spec for spec in region_page.KEY_FIGURES if spec.code == figure.code), None)
    unit = indicator_unit(spec.indicators[0]) if spec is not None else _FACT_UNITS.get(figure.code, str(figure.unit))
    return {
        "code": figure.code,
        "label": str(figure.label),
        "value": figure.value,
        "unit": unit,
        "year": figure.year,
        "as_of": figure.as_of,
        "basis": figure.basis or "",
    }


@router.get(
    "/regions/{key}/indicators", response={200: IndicatorList, **ERRORS}, auth=None, summary="Indicators of a region"
)
def region_indicators(request, key: str = Path(..., pattern=KEY_PATTERN)):
    """The newest value of every indicator the engine computed for the region (ordered by code), and
    ``population``, the newest figure of the statistical tables. Each has a time series
    (``/regions/{key}/indicators/{indicator}/series``)."""
    region = _region_or_404(key)
    latest = selectors.latest_indicator_values(region.key)
    indicators = [
        {
            "indicator": code,
            "label": indicator_label(code),
            "unit": indicator_unit(code),
            "year": value.year,
            "value": value.value,
            "basis": value.basis,
        }
        for code, value in latest.items()
    ]
    moments = [moment] if (moment := _latest(latest.values())) else []
    if POPULATION not in latest:
        totals = selectors.population_totals(region.key)
        if totals:
            year, number, dataset_id, _date = totals[-1]
            indicators.append(_population_entry(year, number))
            moments += Dataset.objects.filter(pk=dataset_id).values_list("imported_at", flat=True)
    indicators.sort(key=lambda item: item["indicator"])
    set_last_modified(request, max(moments, default=None))
    return {
        **_region_attribution(region, [value.basis for value in latest.values()]),
        "region": region_ref(region),
        "indicators": indicators,
    }


def _population_entry(year, number) -> dict:
    return {
        "indicator": POPULATION,
        "label": indicator_label(POPULATION),
        "unit": indicator_unit(POPULATION),
        "year": year,
        "value": number,
        "basis": _("Statistical tables (population on 31 December)"),
    }


@router.get(
    "/regions/{key}/indicators/{indicator}/series",
    response={200: Series, **ERRORS},
    auth=None,
    summary="Time series of an indicator",
)
def region_indicator_series(
    request,
    key: str = Path(..., pattern=KEY_PATTERN),
    indicator: str = Path(..., pattern=INDICATOR_PATTERN, description="Code, e.g. median_age or population"),
):
    """All years of one indicator of the region, oldest first. ``population`` is the population of the statistical
    tables (as the time series on the region page), with the reference date where it is not 31 December."""
    region = _region_or_404(key)
    values = list(IndicatorValue.objects.filter(region_key=region.key, indicator=indicator).order_by("year", "pk"))
    points = [{"year": value.year, "value": value.value, "date": None, "basis": value.basis} for value in values]
    if indicator == POPULATION and not values:
        datasets = {}
        totals = selectors.population_totals(region.key)
        if totals:
            datasets = {
                dataset.pk: dataset
                for dataset in selectors.region_datasets(region.key, dataset_ids={row[2] for row in totals})
            }
        points = [
            {
                "year": year,
                "value": number,
                "date": day if day is not None and (day.month, day.day) != (12, 31) else None,
                "basis": _dataset_name(datasets.get(dataset_id)),
            }
            for year, number, dataset_id, day in totals
        ]
        example = any(getattr(dataset, "is_example", False) for dataset in datasets.values())
        official = any(getattr(dataset, "is_official", False) for dataset in datasets.values())
        source = attribution(official=official or not example, example=example)
    else:
        set_last_modified(request, _latest(values))
        source = _region_attribution(region, [value.basis for value in values])
    if not points:
        raise HttpError(404, _("There is no such indicator for this region."))
    return {
        **source,
        "region": region_ref(region),
        "indicator": indicator,
        "label": indicator_label(indicator),
        "unit": indicator_unit(indicator),
        "points": points,
    }


def _dataset_name(dataset) -> str:
    if dataset is None:
        return ""
    if dataset.is_example:
        return region_page.EXAMPLE_ATTRIBUTION
    return f"{dataset.title} ({dataset.table_code})" if dataset.table_code else dataset.title


@router.get(
    "/regions/{key}/projections", response={200: Projections, **ERRORS}, auth=None, summary="Population projection"
)
def region_projections(
    request,
    key: str = Path(..., pattern=KEY_PATTERN),
    scenario: str | None = Query(
        None, pattern=SCENARIO_PATTERN, description="Code of a preset scenario (low, medium, high); empty: all"
    ),
):
    """The population projected for the region under the public preset scenarios, as computed by the projection
    engine: total per year and (for the base and the horizon year at least) by sex and age group."""
    region = _region_or_404(key)
    scenarios = ProjectionScenario.objects.filter(municipality__isnull=True).order_by("code")
    if scenario:
        scenarios = scenarios.filter(code=scenario)
    scenarios = list(scenarios)
    if scenario and not scenarios:
        raise HttpError(404, _("There is no public scenario with this code."))
    projections = list(
        Projection.objects.filter(region_key=region.key, scenario__in=[item.pk for item in scenarios]).order_by(
            "scenario__code", "pk"
        )
    )
    codes = {item.pk: item.code for item in scenarios}
    set_last_modified(request, _latest(projections))
    return {
        **_region_attribution(region, [projection.basis for projection in projections]),
        "region": region_ref(region),
        "age_groups": [f"{low}+" if high is None else f"{low}-{high}" for low, high in PYRAMID_GROUPS],
        "scenarios": [
            {
                "code": item.code,
                "name": item.name,
                "description": item.description,
                "fertility_factor": item.fertility_factor,
                "life_expectancy_shift": item.life_expectancy_shift,
                "migration_factor": item.migration_factor,
            }
            for item in scenarios
        ],
        "projections": [
            {
                "scenario": codes[projection.scenario_id],
                "base_year": projection.base_year,
                "horizon_year": projection.horizon_year,
                "basis": projection.basis,
                "computed_at": projection.computed_at,
                "totals": [
                    {"year": projection.base_year + offset, "population": _finite(total)}
                    for offset, total in enumerate(projection.totals or [])
                ],
                "age_structure": _age_structure(projection.pyramids),
            }
            for projection in projections
        ],
    }


def _finite(value) -> float | None:
    """A number for JSON (which has no NaN or infinity), else None."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _age_structure(pyramids) -> list[dict]:
    rows = []
    for year, groups in (pyramids or {}).items():
        if str(year).isdigit() and isinstance(groups, dict):
            rows.append(
                {
                    "year": int(year),
                    "male": [_finite(value) for value in groups.get("male") or []],
                    "female": [_finite(value) for value in groups.get("female") or []],
                }
            )
    return sorted(rows, key=lambda row: row["year"])


@router.get("/regions/{key}/similar", response={200: SimilarList, **ERRORS}, auth=None, summary="Similar regions")
def region_similar(
    request,
    key: str = Path(..., pattern=KEY_PATTERN),
    limit: int = Query(region_page.SIMILAR_COUNT, ge=1, le=SIMILAR_MAX, description="How many (at most 20)"),
    within: str | None = Query(None, pattern=r"^(land|kreis)$", description="Only in the same Land or Kreis"),
):
    """The regions of the same level most similar in size, development, age structure, births and deaths,
    migration and projection (distance of the standardised profiles), with the reasons, as on the region page.
    Regions without a profile (Bund, Länder) have no similar regions."""
    region = _region_or_404(key)
    items = comparison.similar_regions(region.key, limit, within=within)
    regions = selectors.regions_by_keys([item.region_key for item in items]) if items else {}
    portraits = _portraits_by_key(list(regions))
    similar = [
        {
            "region": region_ref(regions[item.region_key]),
            "distance": item.distance,
            "reasons": [str(reason) for reason in item.reasons],
            "portrait": portraits.get(item.region_key),
        }
        for item in items
        if item.region_key in regions and item.region_key != region.key
    ]
    example_flags = [region_page.is_example_region(other) for other in [region, *regions.values()]]
    return {
        **attribution(official=not all(example_flags), example=any(example_flags)),
        "region": region_ref(region),
        "similar": similar,
    }


def _portraits_by_key(keys: list[str]) -> dict[str, str]:
    """Slugs of the public portraits of the Kommunen with these keys (a Landkreis registers xxxxx000), one query."""
    from daks.network.selectors import visible_portraits

    if not keys:
        return {}
    official = {key: key for key in keys} | {f"{key}000": key for key in keys if len(key) == 5}
    found = {}
    for official_key, slug in (
        visible_portraits()
        .filter(municipality__official_key__in=list(official))
        .values_list("municipality__official_key", "municipality__slug")
    ):
        found.setdefault(official[official_key], slug)
    return found


@router.get("/compare", response={200: Comparison, **ERRORS}, auth=None, summary="Compare regions")
def compare(
    request,
    params: Query[CompareParams],
):
    """The key indicators (newest year each) of the regions side by side, in the order of ``keys``."""
    wanted = list(dict.fromkeys(part for part in re.split(r"\s*,\s*", params.keys.strip()) if part))
    if len(wanted) < 2:
        raise NinjaValidationError(
            [{"loc": ["query", "keys"], "msg": _("Please give at least two different keys."), "type": "value_error"}]
        )
    regions = selectors.regions_by_keys(wanted)
    unknown = [key for key in wanted if key not in regions]
    if unknown:
        raise HttpError(404, _("There is no region with the key %(keys)s.") % {"keys": ", ".join(unknown)})
    rows = comparison.compare_region(wanted[0], wanted[1:])
    position = {key: index for index, key in enumerate(wanted)}
    example_flags = [region_page.is_example_region(regions[key]) for key in wanted]
    return {
        **attribution(official=not all(example_flags), example=any(example_flags)),
        "regions": [region_ref(regions[key]) for key in wanted],
        "rows": [
            {
                "indicator": row.indicator,
                "label": str(row.label),
                "unit": indicator_unit(row.indicator),
                "values": sorted(
                    (
                        {"region_key": cell.region_key, "value": cell.value, "year": cell.year}
                        for cell in row.cells
                        if cell.region_key in position
                    ),
                    key=lambda value: position[value["region_key"]],
                ),
            }
            for row in rows
        ],
    }
