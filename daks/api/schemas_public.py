"""Schemas of the public read endpoints (routers ``regions`` and ``content``): explicit fields, stable English keys.

Labels (``label``) follow the request's language (``Accept-Language``); codes, keys and units do not.
"""

import datetime as dt
from typing import Annotated, Literal

from django.urls import reverse
from ninja import Field, Schema

from daks.demography.models import Level
from daks.events.models import EventKind
from daks.municipalities.models import MunicipalityKind
from daks.municipalities.regions import GERMAN_STATES
from daks.strategy.models import Step
from daks.toolbox.models import SizeClass, ToolType

LevelCode = Literal[tuple(Level.values)]
#: A Bundesland: its ISO 3166-2 code (``DE-BY``) or the two digits its keys start with (``09``).
StateCode = Literal[(*GERMAN_STATES, *(prefix for prefix, _name in GERMAN_STATES.values()))]
IsoStateCode = Literal[tuple(GERMAN_STATES)]
MunicipalityKindCode = Literal[tuple(MunicipalityKind.values)]
ToolTypeCode = Literal[tuple(ToolType.values)]
StepCode = Literal[tuple(Step.values)]
SizeCode = Literal[tuple(SizeClass.values)]
EventKindCode = Literal[tuple(EventKind.values)]
ToolSort = Literal["relevance", "title", "newest", "reviewed"]
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


_STATES_BY_PREFIX = {prefix: (code, name) for code, (prefix, name) in GERMAN_STATES.items()}


def state_of(key: str) -> dict | None:
    """The German Land of a region key (none for the Bund "DG" and for unknown prefixes)."""
    found = _STATES_BY_PREFIX.get(key[:2]) if key and key != "DG" else None
    if found is None:
        return None
    return {"code": found[0], "key": key[:2], "name": found[1]}


# --- Shared -------------------------------------------------------------------------------------------------------


class Attributed(Schema):
    """Source and licence of official statistics: to be named wherever the figures are shown."""

    source: str = Field(description="Source of the figures (the statistical offices, or “Beispieldaten”)")
    licence: str = Field(description="Licence of the official figures (empty for generated example data)")
    licence_url: str = Field(description="Text of the licence")
    attribution: str = Field(description="Attribution to show with the figures, as on the website")
    example_data: bool = Field(description="Some figures are generated example data (Beispieldaten), not official")


class RegionRef(Schema):
    key: str = Field(description="Official key: DG (Germany), Land 2 digits, Kreis 5, Gemeinde 8 (AGS), Verband 9")
    name: str
    level: str = Field(description="Administrative level: " + ", ".join(Level.values))


class StateRef(Schema):
    code: str = Field(description="ISO 3166-2 code, e.g. DE-BY")
    key: str = Field(description="The two digits the keys of the Land start with")
    name: str


class TopicRef(Schema):
    slug: str
    name: str


class MunicipalityRef(Schema):
    slug: str = Field(description="Short name of the Kommune in DAKS (its portrait is /portraits/{slug})")
    name: str
    kind: str = Field(description="Kind of the Kommune: " + ", ".join(MunicipalityKind.values))
    state: str = Field(description="State (ISO 3166-2, e.g. DE-BY)")
    official_key: str = Field(description="AGS (Germany), Gemeindekennziffer (Austria) or BFS number (Switzerland)")


# --- Regions ------------------------------------------------------------------------------------------------------


class RegionFilters(Schema):
    q: str | None = Field(
        None,
        max_length=100,
        description="Name (case-insensitive, “ae/oe/ue/ss” also find “ä/ö/ü/ß”) or the beginning of the official "
        "key or of the regional key (ARS)",
    )
    level: LevelCode | None = Field(None, description="Only regions of this administrative level")
    kind: str | None = Field(None, max_length=100, description="Only regions of this type, e.g. “Stadt”, “Landkreis”")
    state: StateCode | None = Field(None, description="Only regions in this Land: ISO code (DE-BY) or key (09)")


class RegionListItem(Schema):
    key: str = Field(description="Official key (unique together with the level)")
    ars: str = Field(description="Amtlicher Regionalschlüssel (12 digits for Gemeinden)")
    name: str
    level: str
    kind: str = Field(description="Type as in the Gemeindeverzeichnis, e.g. Stadt, Markt, Landkreis")
    active: bool = Field(description="False for regions that no longer exist (dissolved, merged)")
    population: int | None = Field(description="Population as in the Gemeindeverzeichnis")
    area_km2: float | None
    parent: RegionRef | None
    state: StateRef | None

    @staticmethod
    def resolve_state(obj) -> dict | None:
        return state_of(obj.key)


class Figure(Schema):
    code: str = Field(description="Code of the figure (stable)")
    label: str
    value: float | None
    unit: str
    year: int | None = Field(description="Year the value refers to (31 December)")
    as_of: dt.date | None = Field(description="Reference date (figures of the Gemeindeverzeichnis)")
    basis: str = Field(description="The data the value was computed from")


class DatasetOut(Schema):
    title: str
    table_code: str = Field(description="Code of the statistical table (GENESIS)")
    source: str
    licence: str
    data_as_of: str
    example: bool = Field(description="Generated example data, not official figures")


class RegionDetail(Attributed):
    key: str
    ars: str
    name: str
    level: str
    kind: str
    seat: str = Field(description="Seat of the administration")
    active: bool
    reference_date: dt.date | None = Field(description="Territorial status (Gebietsstand)")
    population: int | None = Field(description="Population as in the Gemeindeverzeichnis")
    population_date: dt.date | None
    area_km2: float | None
    density: float | None = Field(description="Inhabitants per km²")
    lat: float | None
    lon: float | None
    parent: RegionRef | None
    state: StateRef | None
    ancestors: list[RegionRef] = Field(description="From the parent up to Germany")
    demographic_type: str = Field(description="Demographic type of the typology (Gemeinden)")
    facts: list[Figure] = Field(description="Population, area and density as in the Gemeindeverzeichnis")
    key_figures: list[Figure] = Field(description="The key indicators as the public region page shows them")
    datasets: list[DatasetOut] = Field(description="The statistical tables behind the figures")
    page_url: str = Field(description="The public page of the region")


class IndicatorOut(Schema):
    indicator: str = Field(description="Code of the indicator (path segment of its time series)")
    label: str
    unit: str
    year: int
    value: float | None
    basis: str


class IndicatorList(Attributed):
    region: RegionRef
    indicators: list[IndicatorOut] = Field(description="The newest value of every indicator, ordered by code")


class SeriesPoint(Schema):
    year: int
    value: float | None
    date: dt.date | None = Field(description="Reference date when it is not 31 December")
    basis: str


class Series(Attributed):
    region: RegionRef
    indicator: str
    label: str
    unit: str
    points: list[SeriesPoint] = Field(description="One value per year, oldest first")


class ScenarioOut(Schema):
    code: str
    name: str
    description: str
    fertility_factor: float = Field(description="Factor on the birth rates")
    life_expectancy_shift: float = Field(description="Gain in life expectancy until the horizon (years)")
    migration_factor: float = Field(description="Factor on the migration balance")


class ProjectionTotal(Schema):
    year: int
    population: float | None


class AgeStructure(Schema):
    year: int
    male: list[float | None] = Field(description="Persons per age group (see age_groups)")
    female: list[float | None]


class ProjectionOut(Schema):
    scenario: str = Field(description="Code of the scenario")
    base_year: int
    horizon_year: int
    basis: str
    computed_at: dt.datetime
    totals: list[ProjectionTotal] = Field(description="Total population per year, base year to horizon")
    age_structure: list[AgeStructure] = Field(description="Population by sex and age group for some years")


class Projections(Attributed):
    region: RegionRef
    age_groups: list[str] = Field(description="Age groups of age_structure, e.g. 0-4 … 90+")
    scenarios: list[ScenarioOut] = Field(description="The public preset scenarios (all, or the one asked for)")
    projections: list[ProjectionOut] = Field(description="One projection per scenario computed for the region")


class SimilarRegion(Schema):
    region: RegionRef
    distance: float = Field(description="Distance of the standardised profiles (smaller is more similar)")
    reasons: list[str] = Field(description="What the regions have in common (German)")
    portrait: str | None = Field(description="Slug of the public portrait of the Kommune, if there is one")


class SimilarList(Attributed):
    region: RegionRef
    similar: list[SimilarRegion] = Field(description="Most similar first")


_KEY = r"(?:DG|[0-9]{2,12})"


class CompareParams(Schema):
    # A query parameter named "keys" must live in a schema: ninja's parameter model would hide its keys() method.
    keys: str = Field(
        ...,
        max_length=140,
        pattern=rf"^\s*{_KEY}(?:\s*,\s*{_KEY}){{1,9}}\s*$",
        description="2 to 10 official keys, comma-separated, e.g. 09162000,09564000",
    )


class CompareValue(Schema):
    region_key: str
    value: float | None
    year: int | None


class CompareRow(Schema):
    indicator: str
    label: str
    unit: str
    values: list[CompareValue] = Field(description="In the order of the keys asked for")


class Comparison(Attributed):
    regions: list[RegionRef] = Field(description="In the order of the keys asked for")
    rows: list[CompareRow]


# --- Plans --------------------------------------------------------------------------------------------------------


class PlanFilters(Schema):
    municipality: str | None = Field(
        None, max_length=80, pattern=SLUG_PATTERN, description="Only plans of this Kommune (its slug)"
    )
    state: IsoStateCode | None = Field(None, description="Only plans of Kommunen in this state (ISO 3166-2)")


class VersionRef(Schema):
    name: str = Field(description="Name of the published version, e.g. “Beschluss Stadtrat 03/2026”")
    date: dt.date


class PlanListItem(Schema):
    id: int
    municipality: MunicipalityRef
    process: str = Field(description="Title of the strategy process")
    version: VersionRef
    published_at: dt.datetime
    page_url: str = Field(description="The public page of the plan")

    @staticmethod
    def resolve_process(obj) -> str:
        return obj.process.title

    @staticmethod
    def resolve_version(obj) -> dict:
        return {"name": obj.published_version.name, "date": obj.published_version.date}

    @staticmethod
    def resolve_page_url(obj, context) -> str:
        path = reverse(
            "plans_public:plan", kwargs={"municipality_slug": obj.municipality.slug, "process_pk": obj.process_id}
        )
        return context["request"].build_absolute_uri(path)


class PlanLicence(Schema):
    id: str
    name: str
    url: str
    attribution: str = Field(description="Name to attribute")


class PlanMunicipality(Schema):
    name: str
    official_key: str
    country: str


class PlanVersion(Schema):
    name: str
    date: str = Field(description="ISO date")


class IndicatorRefOut(Schema):
    code: str = Field(description="Code of an official indicator (empty for the Kommune's own)")
    name: str
    unit: str


class ValueYear(Schema):
    value: float | None
    year: int | None


class PlanGoal(Schema):
    number: str
    title: str
    description: str
    indicator: IndicatorRefOut
    baseline: ValueYear
    target: ValueYear


class Budget(Schema):
    own_funds: float
    third_party_funding: float
    secured: float


class FundingProgramme(Schema):
    name: str
    url: str


class PlanMilestone(Schema):
    title: str
    due_date: str | None = Field(description="ISO date")
    reached_on: str | None = Field(description="ISO date")


class PlanMeasure(Schema):
    number: str
    title: str
    description: str = Field(description="Markdown")
    responsible_unit: str
    partners: list[str]
    target_groups: list[str]
    start_date: str | None = Field(description="ISO date")
    end_date: str | None = Field(description="ISO date")
    status: str
    progress_percent: int | float
    priority: str
    budget_eur: Budget
    funding_programme: FundingProgramme
    goals: list[str] = Field(description="Numbers of the goals the measure serves")
    milestones: list[PlanMilestone]


class PlanField(Schema):
    number: str
    title: str
    description: str
    goals: list[PlanGoal]
    measures: list[PlanMeasure]


class PlanDocument(Schema):
    """The published version of a Werkstattplan, the same document as the plan's open data (``daks.plan/1``)."""

    id: int
    data_schema: str = Field(alias="schema", description="Format of this document: daks.plan/1")
    municipality: PlanMunicipality
    process: str
    version: PlanVersion
    published_at: str | None = Field(description="ISO date and time")
    page: str = Field(description="The public page of the plan")
    licence: PlanLicence
    vision: str = Field(description="Markdown")
    introduction: str = Field(description="Markdown")
    fields_of_action: list[PlanField]


# --- Tools --------------------------------------------------------------------------------------------------------


class ToolFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Words to search for (all must match; prefixes count)")
    topic: list[Annotated[str, Field(max_length=60, pattern=SLUG_PATTERN)]] = Field(
        [], max_length=20, description="Topic fields (slugs); repeat the parameter for several"
    )
    type: list[ToolTypeCode] = Field([], max_length=len(ToolType.values), description="Types of tool")
    step: list[StepCode] = Field([], max_length=len(Step.values), description="Process steps")
    size: list[SizeCode] = Field([], max_length=len(SizeClass.values), description="Sizes of Kommune")
    sort: ToolSort = Field("relevance", description="relevance (title without q), title, newest or reviewed")


class ToolListItem(Schema):
    slug: str
    title: str
    teaser: str
    type: str = Field(description="Type: " + ", ".join(ToolType.values))
    topics: list[TopicRef]
    steps: list[str] = Field(description="Process steps the tool serves: " + ", ".join(Step.values))
    published_at: dt.datetime | None
    last_reviewed: dt.date | None
    page_url: str


class FacetValueOut(Schema):
    value: str
    label: str
    count: int = Field(description="Matching tools with this value (given the other filters)")


class ToolFacets(Schema):
    topic: list[FacetValueOut]
    type: list[FacetValueOut]
    step: list[FacetValueOut]
    size: list[FacetValueOut]


class ToolPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ToolListItem]
    facets: ToolFacets = Field(description="Counts of every filter value, as the search page shows them")


class AttachmentOut(Schema):
    title: str
    url: str
    size: int = Field(description="Bytes")
    content_type: str


class ToolRef(Schema):
    slug: str
    title: str


class ToolDetail(ToolListItem):
    body: str = Field(description="Markdown")
    sizes: list[str] = Field(description="Sizes of Kommune the tool fits: " + ", ".join(SizeClass.values))
    effort: str
    cost: str
    target_groups: list[str]
    origin_municipality: MunicipalityRef | None
    credit: str
    contact: str
    video_url: str
    attachments: list[AttachmentOut]
    related: list[ToolRef]
    updated_at: dt.datetime


# --- Events -------------------------------------------------------------------------------------------------------


class EventFilters(Schema):
    past: bool = Field(False, description="Past events (most recent first) instead of upcoming ones (soonest first)")
    kind: EventKindCode | None = Field(None, description="Only events of this kind")


class EventListItem(Schema):
    id: int
    slug: str
    title: str
    kind: str
    status: str = Field(description="published or cancelled")
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    online: bool = Field(description="Held online (the link is sent to confirmed participants only)")
    capacity: int | None = Field(description="Places (empty: no limit)")
    free_places: int | None = Field(description="Places still free (empty: no limit)")
    registration_deadline: dt.datetime = Field(description="End of registration")
    registration_open: bool
    page_url: str = Field(description="The public page (registration)")
    ical_url: str

    @staticmethod
    def resolve_online(obj) -> bool:
        return bool(obj.online_url)

    @staticmethod
    def resolve_free_places(obj) -> int | None:
        return None if obj.capacity is None else max(obj.capacity - obj.confirmed, 0)

    @staticmethod
    def resolve_registration_deadline(obj):
        return obj.deadline

    @staticmethod
    def resolve_registration_open(obj) -> bool:
        from daks.core.errors import DomainError
        from daks.events.services import check_registration_open

        try:
            check_registration_open(obj)
        except DomainError:
            return False
        return True

    @staticmethod
    def resolve_page_url(obj, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_ical_url(obj, context) -> str:
        return context["request"].build_absolute_uri(reverse("events:ics", kwargs={"slug": obj.slug}))


class EventDetail(EventListItem):
    description: str = Field(description="Markdown")
    recording_url: str
    slides_url: str = Field(description="Slides: a link, or the download of the slides file")
    tools: list[ToolRef] = Field(description="Published tools of the toolbox presented at the event")

    @staticmethod
    def resolve_slides_url(obj, context) -> str:
        if obj.slides_url:
            return obj.slides_url
        if obj.slides_file:
            return context["request"].build_absolute_uri(reverse("events:slides", kwargs={"slug": obj.slug}))
        return ""

    @staticmethod
    def resolve_tools(obj) -> list[dict]:
        return [{"slug": tool.slug, "title": tool.title} for tool in obj.tools.all()]


# --- Portraits ----------------------------------------------------------------------------------------------------


class PortraitFilters(Schema):
    state: IsoStateCode | None = Field(None, description="Only Kommunen in this state (ISO 3166-2)")
    kind: MunicipalityKindCode | None = Field(None, description="Only Kommunen of this kind")
    topic: str | None = Field(
        None, max_length=60, pattern=SLUG_PATTERN, description="Only portraits with this topic field (slug)"
    )


class PortraitListItem(Schema):
    slug: str = Field(description="Short name of the Kommune")
    name: str
    kind: str
    state: str = Field(description="ISO 3166-2")
    state_name: str
    official_key: str
    topics: list[TopicRef]
    has_image: bool
    published_at: dt.datetime | None
    page_url: str

    @staticmethod
    def resolve_slug(obj) -> str:
        return obj.municipality.slug

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.municipality.name

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.municipality.kind

    @staticmethod
    def resolve_state(obj) -> str:
        return obj.municipality.state

    @staticmethod
    def resolve_state_name(obj) -> str:
        from daks.municipalities.regions import state_name

        return state_name(obj.municipality.state)

    @staticmethod
    def resolve_official_key(obj) -> str:
        return obj.municipality.official_key

    @staticmethod
    def resolve_topics(obj) -> list[dict]:
        return [{"slug": topic.slug, "name": topic.name} for topic in obj.topics.all()]

    @staticmethod
    def resolve_has_image(obj) -> bool:
        return bool(obj.image)

    @staticmethod
    def resolve_page_url(obj, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class PlanRef(Schema):
    id: int = Field(description="See /plans/{id}")
    process: str
    version: str


class PortraitDetail(PortraitListItem):
    description: str = Field(description="Markdown")
    image_url: str = Field(description="Photo or logo (empty if none)")
    image_alt: str
    region_key: str = Field(description="Key of the region its figures refer to (see /regions/{key}); may be empty")
    fields_of_action: list[str] = Field(description="Fields of action of its newest strategy process")
    plans: list[PlanRef] = Field(description="Published Werkstattpläne")
    tools: list[ToolRef] = Field(description="Its published contributions to the toolbox")
    groups: list[str] = Field(description="Groups of Kommunen it belongs to")
    contact_url: str = Field(description="Contact form (addresses of contact persons are never published)")
    updated_at: dt.datetime

    @staticmethod
    def resolve_image_url(obj, context) -> str:
        if not obj.image:
            return ""
        path = reverse("network:portrait_image", kwargs={"municipality_slug": obj.municipality.slug})
        return context["request"].build_absolute_uri(path)

    @staticmethod
    def resolve_plans(obj) -> list[dict]:
        return obj.plan_refs

    @staticmethod
    def resolve_tools(obj) -> list[dict]:
        return obj.tool_refs

    @staticmethod
    def resolve_groups(obj) -> list[str]:
        return obj.group_names

    @staticmethod
    def resolve_contact_url(obj, context) -> str:
        path = reverse("network:contact", kwargs={"municipality_slug": obj.municipality.slug})
        return context["request"].build_absolute_uri(path)
