"""Reads of the network: public portraits, the directory with its map, similar Kommunen, process stages,
the synopsis of a group. Every list loads its data in a constant number of queries."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Avg, Prefetch, QuerySet
from django.db.models.functions import Substr
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.demography.models import IndicatorValue, Level, Projection, Region, RegionProfile
from daks.municipalities.models import Membership, Municipality, MunicipalityKind
from daks.municipalities.regions import GERMAN_STATES, state_name
from daks.strategy.models import STEP_ORDER, Step, StepState, StepStatus, StrategyProcess
from daks.toolbox.models import SizeClass, TopicField

from . import mapdata
from .models import ContactConsent, MunicipalityGroup, Portrait

# --- Portraits ----------------------------------------------------------------------------------------------------


def visible_portraits() -> QuerySet[Portrait]:
    """Portraits shown publicly: opted in by the Koordination, Kommune verified."""
    return Portrait.objects.filter(is_public=True, municipality__verified_at__isnull=False).select_related(
        "municipality"
    )


def portrait_of(municipality: Municipality) -> Portrait | None:
    return Portrait.objects.filter(municipality=municipality).select_related("municipality").first()


def visible_portrait(municipality_slug: str) -> Portrait | None:
    return (
        visible_portraits()
        .filter(municipality__slug=municipality_slug)
        .prefetch_related(Prefetch("topics", queryset=TopicField.objects.order_by("position", "name")))
        .first()
    )


def consenting_members(municipality: Municipality) -> QuerySet:
    """Members of ``municipality`` who agreed to be a contact person (ordered by name)."""
    from django.contrib.auth import get_user_model

    consenting = ContactConsent.objects.filter(municipality=municipality).values("user_id")
    members = Membership.objects.filter(municipality=municipality).values("user_id")
    return get_user_model().objects.filter(pk__in=consenting, is_active=True).filter(pk__in=members).order_by("name")


def contact_persons(portrait: Portrait) -> list:
    """The contact persons shown (names only) and written to: chosen, still consenting, still members."""
    return list(portrait.contacts.filter(pk__in=consenting_members(portrait.municipality).values("pk")))


def has_consented(municipality: Municipality, user) -> bool:
    return ContactConsent.objects.filter(municipality=municipality, user=user).exists()


# --- Statistics key and figures -----------------------------------------------------------------------------------


def statistics_key(municipality: Municipality, process: StrategyProcess | None = None) -> str:
    """The official key the figures are about: the region of the newest process, else the Kommune's own key
    (a Landkreis registers xxxxx000, the statistics know it as xxxxx) — as the Kommunalprofil does."""
    if process is not None and (process.region_key or "").strip():
        return process.region_key.strip()
    key = (municipality.official_key or "").strip()
    if municipality.kind == MunicipalityKind.DISTRICT and len(key) == 8 and key.endswith("000"):
        return key[:5]
    return key


def newest_processes(municipality_ids) -> dict[int, StrategyProcess]:
    """The newest strategy process of each Kommune (one query)."""
    newest: dict[int, StrategyProcess] = {}
    for process in StrategyProcess.objects.filter(municipality_id__in=set(municipality_ids)).order_by(
        "municipality_id", "-start_date", "-pk"
    ):
        newest.setdefault(process.municipality_id, process)
    return newest


@dataclass
class Headline:
    """The projection headline: population in the horizon year of the medium variant and the change."""

    base_year: int
    horizon_year: int
    base: float
    horizon: float

    @property
    def change_pct(self) -> float:
        return (self.horizon - self.base) / self.base * 100 if self.base else 0.0


def projection_headline(region_key: str) -> Headline | None:
    projection = (
        Projection.objects.filter(region_key=region_key, scenario__municipality__isnull=True, scenario__code="medium")
        .only("base_year", "horizon_year", "totals")
        .first()
    )
    if projection is None or len(projection.totals or []) < 2 or not projection.totals[0]:
        return None
    return Headline(projection.base_year, projection.horizon_year, projection.totals[0], projection.totals[-1])


#: Figures of the portrait (codes of daks.demography.views.KEY_FIGURES), in this order.
PORTRAIT_FIGURES = ("change_5y", "median_age", "share_65_plus", "old_age_dependency_ratio", "projected_change")


#: Figures that describe a change over a period ending in their year: code -> length of the period in years.
CHANGE_PERIODS = {"change_5y": 5, "change_10y": 10}
_PERIOD_IN_BASIS = re.compile(r"(\d{4})\s*[–-]\s*(\d{4})")


@dataclass
class KeyFigure:
    """A key figure of the portrait with the date, year or period its value refers to (German, for the page).

    The figures of a portrait come from different sources (the population from the newest Gemeindeverzeichnis,
    the age structure and the changes from the newest population statistics, the projection from its base year),
    so each one names its own reference instead of one year for all."""

    figure: Any  # daks.demography.views.Figure
    reference: str  # e.g. "Stand 31.12.2024", "Zeitraum 2010–2015", "Jahr 2015", "Vorausberechnung 2015–2040"
    data_year: int | None  # the (last) year of the data the value is computed from


def _key_figure(figure, headline: Headline | None) -> KeyFigure:
    if figure.as_of is not None:
        return KeyFigure(
            figure, _("as of %(date)s") % {"date": date_format(figure.as_of, "SHORT_DATE_FORMAT")}, figure.as_of.year
        )
    if figure.year is None:
        return KeyFigure(figure, "", None)
    if figure.code in CHANGE_PERIODS:
        start = figure.year - CHANGE_PERIODS[figure.code]
        return KeyFigure(figure, _("period %(start)s–%(end)s") % {"start": start, "end": figure.year}, figure.year)
    if figure.code == "projected_change":
        base = None
        if headline is not None and headline.horizon_year == figure.year:
            base = headline.base_year
        elif (match := _PERIOD_IN_BASIS.search(figure.basis or "")) and int(match.group(2)) == figure.year:
            base = int(match.group(1))
        if base is not None:
            reference = _("projection %(base)s–%(horizon)s") % {"base": base, "horizon": figure.year}
            return KeyFigure(figure, reference, base)
        return KeyFigure(figure, _("projection until %(year)s") % {"year": figure.year}, None)
    return KeyFigure(figure, _("Year: %(year)s") % {"year": figure.year}, figure.year)


@dataclass
class PortraitFigures:
    region: Region
    figures: list[KeyFigure]
    headline: Headline | None
    profile: RegionProfile | None
    example: bool  # generated example data (Beispieldaten), not official figures

    @property
    def attribution(self) -> str:
        from daks.demography.views import ATTRIBUTION, EXAMPLE_ATTRIBUTION

        return EXAMPLE_ATTRIBUTION if self.example else ATTRIBUTION

    @property
    def data_years(self) -> tuple[int, int] | None:
        """(first, last) year of the data behind the figures and the projection, when they differ; else None."""
        years = {item.data_year for item in self.figures if item.data_year is not None}
        if self.headline is not None:
            years.add(self.headline.base_year)
        return (min(years), max(years)) if len(years) > 1 else None


def portrait_figures(key: str) -> PortraitFigures | None:
    """The key figures of the region ``key`` with the functions of the public region page (few queries)."""
    from daks.demography import selectors as demography
    from daks.demography import views as region_page

    region = demography.region_by_key(key) if key else None
    if region is None:
        return None
    indicators = demography.latest_indicator_values(region.key)
    by_code = {figure.code: figure for figure in region_page.key_figures(indicators)}
    figures = [*region_page.region_facts(region)[:1], *(by_code[code] for code in PORTRAIT_FIGURES if code in by_code)]
    example = region_page.is_example_region(region) or any(
        "beispieldaten" in (value.basis or "").lower() for value in indicators.values()
    )
    headline = projection_headline(region.key)
    return PortraitFigures(
        region=region,
        figures=[_key_figure(figure, headline) for figure in figures],
        headline=headline,
        profile=demography.region_profile(region.key),
        example=example,
    )


def is_example_municipality(municipality: Municipality) -> bool:
    """An invented Kommune of the demo: its description carries the marker "Beispieldaten" (as example figures
    carry it in their basis)."""
    return "beispieldaten" in (municipality.description or "").casefold()


class NoFigures:
    """Why a portrait shows no key figures (see ``no_figures_reason``)."""

    NO_KEY = "no_key"  # the Kommune has not given an official key
    EXAMPLE = "example"  # an invented demo Kommune: its key belongs to no real region
    UNKNOWN_KEY = "unknown_key"  # the key is not in the Gemeindeverzeichnis that is loaded
    NOT_LOADED = "not_loaded"  # no statistics are loaded at all


def no_figures_reason(municipality: Municipality, key: str) -> str:
    """Why ``portrait_figures(key)`` found nothing, so the page can say so instead of showing dashes."""
    if is_example_municipality(municipality):
        return NoFigures.EXAMPLE
    if not key:
        return NoFigures.NO_KEY
    return NoFigures.UNKNOWN_KEY if Region.objects.exists() else NoFigures.NOT_LOADED


# --- Process stage ------------------------------------------------------------------------------------------------


@dataclass
class Stage:
    """Where a Kommune's newest process stands: the first step not yet done (number 1–5), 6 = all done,
    0 = no process yet."""

    number: int
    label: str
    process: StrategyProcess | None = None


NO_PROCESS = gettext_lazy("no strategy process yet")
COMPLETED = gettext_lazy("all five steps done")


def stages(municipality_ids) -> dict[int, Stage]:
    """The stage of each Kommune (two queries)."""
    processes = newest_processes(municipality_ids)
    done: dict[int, set] = defaultdict(set)
    for process_id, step in StepState.objects.filter(
        process__in=[p.pk for p in processes.values()], status=StepStatus.DONE
    ).values_list("process_id", "step"):
        done[process_id].add(step)
    result = {}
    for municipality_id in municipality_ids:
        process = processes.get(municipality_id)
        if process is None:
            result[municipality_id] = Stage(0, str(NO_PROCESS))
            continue
        current = next((step for step in Step if step.value not in done[process.pk]), None)
        if current is None:
            result[municipality_id] = Stage(len(STEP_ORDER) + 1, str(COMPLETED), process)
        else:
            label = _("Step %(number)d: %(title)s") % {"number": STEP_ORDER[current], "title": current.label}
            result[municipality_id] = Stage(STEP_ORDER[current], label, process)
    return result


def stage_overview() -> tuple[list[tuple[Stage, list[Municipality]]], int]:
    """For the network office: the Kommunen that share their stage, grouped by stage (all stages listed, with
    empty ones), and their total."""
    municipalities = list(
        Municipality.objects.filter(portrait__share_stage=True).order_by("name").only("name", "slug", "state")
    )
    by_municipality = stages([m.pk for m in municipalities])
    groups: dict[int, list[Municipality]] = defaultdict(list)
    for municipality in municipalities:
        groups[by_municipality[municipality.pk].number].append(municipality)
    rows = [(Stage(0, str(NO_PROCESS)), groups[0])]
    for step in Step:
        number = STEP_ORDER[step]
        label = _("Step %(number)d: %(title)s") % {"number": number, "title": step.label}
        rows.append((Stage(number, label), groups[number]))
    rows.append((Stage(len(STEP_ORDER) + 1, str(COMPLETED)), groups[len(STEP_ORDER) + 1]))
    return rows, len(municipalities)


# --- Directory ----------------------------------------------------------------------------------------------------

SIZE_LIMITS = ((SizeClass.SMALL, 10_000), (SizeClass.MEDIUM, 50_000), (SizeClass.LARGE, None))
#: Distance (map units) between Kommunen placed in the middle of their Land.
APPROXIMATE_STEP = 12
DISTRICT_KINDS = {MunicipalityKind.DISTRICT, MunicipalityKind.ASSOCIATION_OF_MUNICIPALITIES, MunicipalityKind.REGION}


def size_class(municipality: Municipality, population: int | None) -> str:
    """The size class (toolbox SizeClass) by population; districts and associations form their own class."""
    if municipality.kind in DISTRICT_KINDS:
        return SizeClass.DISTRICT
    if population is None:
        return ""
    for value, limit in SIZE_LIMITS:
        if limit is None or population < limit:
            return value
    return ""


@dataclass
class Entry:
    portrait: Portrait
    municipality: Municipality
    region: Region | None
    population: int | None
    cluster_label: str
    size: str
    topics: list
    x: float | None = None
    y: float | None = None
    approximate: bool = False  # placed at the middle of its Land (no coordinates of its own)

    @property
    def state_name(self) -> str:
        return state_name(self.municipality.state)


@dataclass
class DirectoryParams:
    state: str = ""
    kind: str = ""
    size: str = ""
    topic: str = ""
    type: str = ""
    sort: str = "name"

    def query(self, **changes) -> str:
        values = {**self.as_get(), **changes}
        return urlencode({key: value for key, value in values.items() if value})

    def as_get(self) -> dict[str, str]:
        return {
            "land": self.state,
            "art": self.kind,
            "groesse": self.size,
            "thema": self.topic,
            "typ": self.type,
            "sortierung": "" if self.sort == "name" else self.sort,
        }

    @property
    def active(self) -> bool:
        return any((self.state, self.kind, self.size, self.topic, self.type))


SORTS = {
    "name": gettext_lazy("Name"),
    "einwohner": gettext_lazy("Population (largest first)"),
    "einwohner-aufsteigend": gettext_lazy("Population (smallest first)"),
}


def directory_params(get) -> DirectoryParams:
    """Filters and sorting from the query string; unknown values are ignored (a shared link never breaks)."""
    params = DirectoryParams(
        state=get.get("land", "") if get.get("land", "") in GERMAN_STATES else "",
        kind=get.get("art", "") if get.get("art", "") in MunicipalityKind.values else "",
        size=get.get("groesse", "") if get.get("groesse", "") in SizeClass.values else "",
        topic=(get.get("thema", "") or "")[:60],
        type=(get.get("typ", "") or "")[:100],
        sort=get.get("sortierung", "") if get.get("sortierung", "") in SORTS else "name",
    )
    return params


def _coordinates(regions: dict[str, Region]) -> dict[str, tuple[float, float]]:
    """(lat, lon) per key: the region's own, else (Kreise) the mean of its Gemeinden — one query at most."""
    found = {key: (float(r.lat), float(r.lon)) for key, r in regions.items() if r.lat is not None and r.lon is not None}
    kreise = [key for key in regions if key not in found and len(key) == 5]
    if kreise:
        rows = (
            Region.objects.filter(level=Level.GEMEINDE, lat__isnull=False, lon__isnull=False)
            .annotate(kreis=Substr("key", 1, 5))
            .filter(kreis__in=kreise)
            .values("kreis")
            .annotate(mean_lat=Avg("lat"), mean_lon=Avg("lon"))
        )
        for row in rows:
            found[row["kreis"]] = (float(row["mean_lat"]), float(row["mean_lon"]))
    return found


def _place(entries: list[Entry], coordinates: dict[str, tuple[float, float]], keys: dict[int, str]) -> None:
    germany = mapdata.germany_map()
    if germany is None:
        return
    projector = germany["projector"]
    labels = {land["land"]: land["label"] for land in germany["laender"]}
    placed_in_land: dict[str, int] = {}
    for entry in entries:
        lat_lon = coordinates.get(keys.get(entry.municipality.pk, ""))
        if lat_lon is not None:
            x, y = projector.project(lat_lon[1], lat_lon[0])
            if projector.contains(x, y):
                entry.x, entry.y = round(x, 1), round(y, 1)
                continue
        land = GERMAN_STATES.get(entry.municipality.state, ("", ""))[0]
        if land in labels:
            # Several Kommunen of one Land without coordinates: side by side, not on top of each other.
            index = placed_in_land[land] = placed_in_land.get(land, -1) + 1
            x, y = labels[land]
            entry.x = round(x + APPROXIMATE_STEP * (index % 4), 1)
            entry.y = round(y + APPROXIMATE_STEP * (index // 4), 1)
            entry.approximate = True


def directory(params: DirectoryParams) -> list[Entry]:
    """The visible portraits matching ``params``, sorted, each with population, type and map position.

    Queries: portraits, topics, newest processes, regions, profiles (and Kreis centroids when needed) — a constant
    number, whatever the number of portraits.
    """
    portraits = list(
        visible_portraits().prefetch_related(Prefetch("topics", queryset=TopicField.objects.order_by("position")))
    )
    processes = newest_processes([p.municipality_id for p in portraits])
    keys = {p.municipality_id: statistics_key(p.municipality, processes.get(p.municipality_id)) for p in portraits}
    from daks.demography.selectors import regions_by_keys

    regions = regions_by_keys([key for key in keys.values() if key])
    labels = dict(RegionProfile.objects.filter(region_key__in=list(regions)).values_list("region_key", "cluster_label"))
    entries = []
    for portrait in portraits:
        municipality = portrait.municipality
        key = keys[municipality.pk]
        region = regions.get(key)
        population = region.population if region is not None else None
        entries.append(
            Entry(
                portrait=portrait,
                municipality=municipality,
                region=region,
                population=population,
                cluster_label=labels.get(key, ""),
                size=size_class(municipality, population),
                topics=list(portrait.topics.all()),
            )
        )
    entries = [entry for entry in entries if _matches(entry, params)]
    if params.sort == "name":
        entries.sort(key=lambda e: e.municipality.name.casefold())
    else:
        largest = params.sort == "einwohner"
        # Kommunen without a population figure always come last.
        sign = -1 if largest else 1
        entries.sort(key=lambda e: (e.population is None, sign * (e.population or 0), e.municipality.name.casefold()))
    _place(entries, _coordinates(regions), keys)
    return entries


def _matches(entry: Entry, params: DirectoryParams) -> bool:
    return (
        (not params.state or entry.municipality.state == params.state)
        and (not params.kind or entry.municipality.kind == params.kind)
        and (not params.size or entry.size == params.size)
        and (not params.topic or any(topic.slug == params.topic for topic in entry.topics))
        and (not params.type or entry.cluster_label == params.type)
    )


def demographic_types() -> list[str]:
    """The labels of the demographic typology (Gemeinden), for the filter."""
    return sorted(
        set(
            RegionProfile.objects.filter(level=Level.GEMEINDE)
            .exclude(cluster_label="")
            .values_list("cluster_label", flat=True)
            .distinct()
        )
    )


# --- Similar Kommunen ---------------------------------------------------------------------------------------------

SIMILAR_COUNT = 5
#: Each shared topic field shortens the distance by this share (at most three count).
TOPIC_BONUS = 0.1


@dataclass
class SimilarPortrait:
    portrait: Portrait
    reasons: list[str]
    distance: float | None  # None: no comparable statistics, similar by topics only
    shared_topics: list[str] = field(default_factory=list)


def _fields_of_action(municipality_ids) -> dict[int, dict[str, str]]:
    """Titles of the fields of action of each Kommune (normalised → as written), one query."""
    from daks.profile.models import FieldOfAction

    found: dict[int, dict[str, str]] = defaultdict(dict)
    for municipality_id, title in FieldOfAction.objects.filter(municipality_id__in=set(municipality_ids)).values_list(
        "municipality_id", "title"
    ):
        found[municipality_id].setdefault(" ".join(title.casefold().split()), title)
    return found


def similar_portraits(portrait: Portrait, *, key: str, count: int = SIMILAR_COUNT) -> list[SimilarPortrait]:
    """The visible portraits most similar to ``portrait``: the distance of the standardised profiles
    (``daks.demography.comparison.similar_regions``), shortened for shared topic fields; reasons in German.

    Portraits without comparable statistics follow, when they share topic fields or fields of action.
    """
    from daks.demography.comparison import similar_regions

    others = list(
        visible_portraits()
        .exclude(pk=portrait.pk)
        .prefetch_related(Prefetch("topics", queryset=TopicField.objects.order_by("position")))
    )
    if not others:
        return []
    processes = newest_processes([portrait.municipality_id, *(o.municipality_id for o in others)])
    other_keys = {o.pk: statistics_key(o.municipality, processes.get(o.municipality_id)) for o in others}
    by_key: dict[str, list[Portrait]] = defaultdict(list)
    for other in others:
        if other_keys[other.pk]:
            by_key[other_keys[other.pk]].append(other)
    distances = {}
    if key:
        for item in similar_regions(key, k=len(by_key) or 1, candidates=list(by_key)):
            distances[item.region_key] = item
    own_topics = {topic.pk: topic.name for topic in portrait.topics.all()}
    fields = _fields_of_action([portrait.municipality_id, *(o.municipality_id for o in others)])
    own_fields = fields.get(portrait.municipality_id, {})
    results = []
    for other in others:
        shared = [name for pk, name in own_topics.items() if pk in {t.pk for t in other.topics.all()}]
        shared_fields = [title for norm, title in own_fields.items() if norm in fields.get(other.municipality_id, {})]
        item = distances.get(other_keys[other.pk])
        reasons = list(item.reasons) if item is not None else []
        reasons += [f"ebenfalls Themenfeld {name}" for name in shared[:2]]
        reasons += [f"ebenfalls Handlungsfeld {title}" for title in shared_fields[:2]]
        if item is None and not shared and not shared_fields:
            continue
        distance = None
        if item is not None:
            distance = item.distance * (1 - TOPIC_BONUS * min(len(shared), 3))
        results.append(SimilarPortrait(other, reasons, distance, shared))
    results.sort(
        key=lambda s: (
            s.distance is None,
            s.distance if s.distance is not None else -len(s.reasons),
            s.portrait.municipality.name,
        )
    )
    return results[:count]


# --- Groups -------------------------------------------------------------------------------------------------------


def groups() -> QuerySet[MunicipalityGroup]:
    from django.db.models import Count

    return MunicipalityGroup.objects.annotate(member_count=Count("members")).order_by("name")


#: The indicators of the synopsis: (indicator, label, decimals, unit, signed).
SYNOPSIS_INDICATORS = [
    ("change_pct_5y", gettext_lazy("Change over 5 years"), 1, "%", True),
    ("median_age", gettext_lazy("Median age"), 1, gettext_lazy("years"), False),
    ("share_65_plus", gettext_lazy("Share aged 65 and over"), 1, "%", False),
    ("old_age_dependency_ratio", gettext_lazy("Old-age dependency ratio"), 1, "", False),
    ("projected_change_pct", gettext_lazy("Projected change until the horizon year"), 1, "%", True),
]


@dataclass
class SynopsisColumn:
    municipality: Municipality
    portrait_url: str
    region: Region | None
    population: int | None
    values: dict[str, tuple[int, float] | None]  # indicator -> (year, value)
    cluster_label: str
    stage: Stage | None  # None: the Kommune does not share its stage
    example_municipality: bool = False  # an invented demo Kommune (no official figures exist)


@dataclass
class Synopsis:
    group: MunicipalityGroup
    columns: list[SynopsisColumn]
    example: bool  # some figures are example data (Beispieldaten)

    def rows(self):
        """``(label, unit, decimals, signed, [(value, year) or None per column], common year or None)`` of the
        indicators; the common year is set when all columns with a value share it (else each cell names its own)."""
        for indicator, label, decimals, unit, signed in SYNOPSIS_INDICATORS:
            values = [column.values.get(indicator) for column in self.columns]
            years = {v[0] for v in values if v}
            common = next(iter(years)) if len(years) == 1 else None
            yield str(label), str(unit), decimals, signed, [(v[1], v[0]) if v else None for v in values], common

    @property
    def population_date(self):
        """The date of the population figures when all columns share it (else each cell names its own)."""
        dates = {c.region.population_date for c in self.columns if c.region is not None and c.population is not None}
        return next(iter(dates)) if len(dates) == 1 else None


def synopsis(group: MunicipalityGroup) -> Synopsis:
    """Key indicators and (where shared) the process stage of all members side by side (constant queries)."""
    from daks.demography import views as region_page
    from daks.demography.selectors import regions_by_keys

    members = list(group.members.select_related("portrait").order_by("name"))
    processes = newest_processes([m.pk for m in members])
    keys = {m.pk: statistics_key(m, processes.get(m.pk)) for m in members}
    regions = regions_by_keys([key for key in keys.values() if key])
    wanted = [indicator for indicator, *_rest in SYNOPSIS_INDICATORS]
    latest: dict[tuple[str, str], tuple[int, float]] = {}
    example = False
    for key, indicator, year, value, basis in IndicatorValue.objects.filter(
        region_key__in=list(regions), indicator__in=wanted, value__isnull=False
    ).values_list("region_key", "indicator", "year", "value", "basis"):
        if (key, indicator) not in latest or year > latest[(key, indicator)][0]:
            latest[(key, indicator)] = (year, value)
        example = example or "beispieldaten" in (basis or "").lower()
    labels = dict(RegionProfile.objects.filter(region_key__in=list(regions)).values_list("region_key", "cluster_label"))
    sharing = [m.pk for m in members if _portrait(m) is not None and _portrait(m).share_stage]
    stage_by = stages(sharing) if sharing else {}
    columns = []
    for member in members:
        key = keys[member.pk]
        region = regions.get(key)
        example = example or (region is not None and region_page.is_example_region(region))
        portrait = _portrait(member)
        columns.append(
            SynopsisColumn(
                municipality=member,
                portrait_url=portrait.get_absolute_url() if portrait is not None and portrait.is_visible else "",
                region=region,
                population=region.population if region is not None else None,
                values={indicator: latest.get((key, indicator)) for indicator in wanted},
                cluster_label=labels.get(key, ""),
                stage=stage_by.get(member.pk),
                example_municipality=is_example_municipality(member),
            )
        )
    return Synopsis(group=group, columns=columns, example=example)


def _portrait(municipality: Municipality) -> Portrait | None:
    try:
        return municipality.portrait
    except Portrait.DoesNotExist:
        return None
