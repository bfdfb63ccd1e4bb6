"""Reads of the demography app."""

from datetime import date

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When, prefetch_related_objects

from .models import (
    LEVEL_ORDER,
    Dataset,
    IndicatorValue,
    Level,
    Observation,
    Projection,
    Region,
    RegionProfile,
    Sex,
    Variable,
)


def region_by_key(key: str, *, level: str | None = None, active_only: bool = False) -> Region | None:
    """The region with this official key, or None.

    Keys are unique per level; a 9-digit Gemeindeverband key or an 8-digit AGS is unique anyway. If several
    levels share a key (not the case with GV100AD keys), the highest level wins unless ``level`` is given.
    """
    regions = Region.objects.filter(key=key.strip())
    if level:
        regions = regions.filter(level=level)
    if active_only:
        regions = regions.filter(active=True)
    return min(regions, key=lambda region: LEVEL_ORDER[region.level], default=None)


def search_regions(query: str, limit: int = 20, *, active_only: bool = True) -> list[Region]:
    """Regions whose name starts with or contains ``query`` (case-insensitive) or whose key starts with it.

    ``search_name`` (the lower-cased name, filled by the import) makes this case-insensitive for umlauts on
    SQLite too, whose LIKE folds only ASCII. Name prefix matches come first, then other name matches;
    within those, higher levels and larger populations first.
    Umlauts are matched as written ("Köln" finds Köln, "Koeln" does not).
    """
    query = query.strip()
    if not query:
        return []
    if query.isdigit() or query.upper() == "DG":
        condition = Q(key__startswith=query.upper()) | Q(ars__startswith=query)
    else:
        condition = Q(search_name__contains=query.lower())
    regions = Region.objects.filter(condition)
    if active_only:
        regions = regions.filter(active=True)
    regions = regions.annotate(
        prefix=Case(
            When(search_name__startswith=query.lower(), then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        level_rank=Case(
            *[When(level=level, then=Value(rank)) for level, rank in LEVEL_ORDER.items()],
            output_field=IntegerField(),
        ),
    ).order_by("prefix", "level_rank", "-population", "name")
    return list(regions[:limit])


def children(region: Region, *, active_only: bool = True) -> QuerySet[Region]:
    regions = region.children.all()
    if active_only:
        regions = regions.filter(active=True)
    return regions.order_by("name")


def ancestors(region: Region) -> list[Region]:
    """The parent chain from the direct parent up to the Bund (at most five queries)."""
    chain = []
    current = region.parent
    while current is not None and len(chain) < len(LEVEL_ORDER):
        chain.append(current)
        current = current.parent
    return chain


# --- Public region pages ------------------------------------------------------------------------

#: The preset scenarios shown on the region pages (band low–high around the medium line).
PAGE_SCENARIOS = ("low", "medium", "high")

_PARENT_CHAIN = "__".join(["parent"] * (len(LEVEL_ORDER) - 1))  # parent__parent__… (five levels up)


def region_for_page(key: str) -> Region | None:
    """The region with this key (as ``region_by_key``, inactive ones included) with its whole parent chain
    loaded in the same query, so that ``ancestors`` needs no further queries."""
    regions = Region.objects.filter(key=key.strip()).select_related(_PARENT_CHAIN)
    return min(regions, key=lambda region: LEVEL_ORDER[region.level], default=None)


def laender() -> QuerySet[Region]:
    return Region.objects.filter(level=Level.LAND, active=True).order_by("name")


#: Textkennzeichen of the GV100AD "verbandsfreie Gemeinde" pseudo-entries at the Gemeindeverband level: they repeat
#: a Gemeinde that belongs to no real Verband and are nobody's parent, so the public pages leave them out.
VERBANDSFREI_KIND_CODE = "50"
_PSEUDO_VERBAND = Q(level=Level.GEMEINDEVERBAND, kind_code=VERBANDSFREI_KIND_CODE)


def _is_pseudo_verband(region: Region) -> bool:
    return region.level == Level.GEMEINDEVERBAND and region.kind_code == VERBANDSFREI_KIND_CODE


def search_regions_with_parents(query: str, limit: int = 15) -> list[Region]:
    """``search_regions`` without the "verbandsfreie Gemeinde" pseudo-entries, each region with its parent
    loaded (one more query, not one per result)."""
    regions = [region for region in search_regions(query, 2 * limit) if not _is_pseudo_verband(region)][:limit]
    prefetch_related_objects(regions, "parent")
    return regions


def public_children(region: Region) -> list[Region]:
    """``children`` without the "verbandsfreie Gemeinde" pseudo-entries (their Gemeinde is listed itself)."""
    return list(children(region).exclude(_PSEUDO_VERBAND))


def regions_by_keys(keys) -> dict[str, Region]:
    """Active regions by key (the highest level wins where levels share a key), with their parents."""
    found: dict[str, Region] = {}
    for region in Region.objects.filter(key__in=set(keys), active=True).select_related("parent"):
        current = found.get(region.key)
        if current is None or LEVEL_ORDER[region.level] < LEVEL_ORDER[current.level]:
            found[region.key] = region
    return found


def latest_indicator_values(region_key: str) -> dict[str, IndicatorValue]:
    """The newest value of each indicator of the region (indicators without a value are skipped)."""
    latest: dict[str, IndicatorValue] = {}
    values = IndicatorValue.objects.filter(region_key=region_key, value__isnull=False).order_by("indicator", "-year")
    for value in values:
        latest.setdefault(value.indicator, value)
    return latest


def preset_projections(region_key: str) -> dict[str, Projection]:
    """The region's projections under the preset scenarios, by scenario code (``low``, ``medium``, ``high``)."""
    projections = Projection.objects.filter(
        region_key=region_key, scenario__municipality__isnull=True, scenario__code__in=PAGE_SCENARIOS
    ).select_related("scenario")
    return {projection.scenario.code: projection for projection in projections}


def population_totals(region_key: str) -> list[tuple[int, float, int, date | None]]:
    """``(year, population, dataset_id, date)`` from the official tables (no Kommune's own data), one per year.

    Where several tables give the same year, official figures win over example data and the later reference
    date over the earlier one.
    """
    # A kreisfreie Stadt is published as Kreis (5 digits) in some tables and as Gemeinde (xxxxx000) in others:
    # the Kreis page falls back to the Gemeinde's figures for the years its own key has none.
    keys = [region_key, region_key + "000"] if len(region_key) == 5 and region_key.isdigit() else [region_key]
    rows = (
        Observation.objects.filter(
            region_key__in=keys,
            variable=Variable.POPULATION,
            sex=Sex.TOTAL,
            age_group="total",
            value__isnull=False,
            dataset__municipality__isnull=True,
        )
        .order_by("year", "dataset__is_example", F("date").desc(nulls_last=True), "-dataset_id")
        .values_list("region_key", "year", "value", "dataset_id", "date")
    )
    by_year: dict[int, tuple[int, float, int, date | None]] = {}
    fallback: dict[int, tuple[int, float, int, date | None]] = {}
    for key, year, value, dataset_id, day in rows:
        (by_year if key == region_key else fallback).setdefault(year, (year, value, dataset_id, day))
    for year, row in fallback.items():
        by_year.setdefault(year, row)
    return [by_year[year] for year in sorted(by_year)]


def region_datasets(region_key: str, *, dataset_ids=(), basis_texts=()) -> list[Dataset]:
    """The datasets (official or example, never a Kommune's own) whose values appear on the region's page.

    These are the datasets with observations of the region, the ``dataset_ids`` given, and those whose table
    code or title is named in one of ``basis_texts`` (the ``basis`` of indicator values and projections,
    which are computed from the tables).
    """
    ids = set(dataset_ids)
    ids |= set(Observation.objects.filter(region_key=region_key).values_list("dataset_id", flat=True).distinct())
    basis = " ".join(text for text in basis_texts if text)
    found = []
    for dataset in Dataset.objects.filter(municipality__isnull=True).order_by("table_code", "title"):
        named = bool(basis) and (
            (dataset.table_code and dataset.table_code in basis) or (dataset.title and dataset.title in basis)
        )
        if dataset.pk in ids or named:
            found.append(dataset)
    return found


def region_profile(region_key: str) -> RegionProfile | None:
    return RegionProfile.objects.filter(region_key=region_key).first()
