"""Reads of the Werkzeugkoffer: faceted search, tool pages, recommendations for the workspace."""

import uuid
from dataclasses import dataclass, field

import numpy as np
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from daks.strategy.models import Step

from . import search, semantic
from .models import (
    MeasureTool,
    SizeClass,
    Tool,
    ToolAttachment,
    ToolEmbedding,
    ToolSize,
    ToolStatus,
    ToolStep,
    ToolType,
    TopicField,
)

PER_PAGE = 20

SORTS = {
    "relevance": (_("Relevance"), ["-rank", "title"]),
    "title": (_("Title A–Z"), ["title", "id"]),
    "newest": (_("Newest first"), ["-published_at", "-id"]),
    "reviewed": (_("Recently reviewed"), ["-last_reviewed", "title"]),
}

FACETS = ("topic", "type", "step", "size")

#: The shareable URL parameter of the meaning mode (``?q=…&bedeutung=1``).
MEANING_PARAM = "bedeutung"


@dataclass
class SearchParams:
    query: str = ""
    topic: list[str] = field(default_factory=list)
    type: list[str] = field(default_factory=list)
    step: list[str] = field(default_factory=list)
    size: list[str] = field(default_factory=list)
    sort: str = "relevance"
    page: int = 1
    mode: str = "words"

    @classmethod
    def from_querydict(cls, data) -> "SearchParams":
        """Read the shareable URL parameters (``?q=…&topic=wohnen&type=method&sort=title&page=2``, ``bedeutung=1``
        for the meaning mode); unknown values are ignored, never an error."""
        topics = set(TopicField.objects.values_list("slug", flat=True)) if data.getlist("topic") else set()
        try:
            page = max(1, int(data.get("page", 1)))
        except (TypeError, ValueError):
            page = 1
        sort = data.get("sort") or "relevance"
        return cls(
            query=(data.get("q") or "").strip()[:200],
            topic=[value for value in data.getlist("topic") if value in topics],
            type=[value for value in data.getlist("type") if value in ToolType.values],
            step=[value for value in data.getlist("step") if value in Step.values],
            size=[value for value in data.getlist("size") if value in SizeClass.values],
            sort=sort if sort in SORTS else "relevance",
            page=page,
            mode="meaning" if data.get(MEANING_PARAM) in ("1", "on", "true") else "words",
        )

    @property
    def is_empty(self) -> bool:
        return not (self.query or self.topic or self.type or self.step or self.size)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class ListedTopic:
    """A topic field as a result list shows it (from the facet index, without a query per page)."""

    slug: str
    name: str


@dataclass
class SearchResult:
    params: SearchParams
    terms: list
    page: object  # django.core.paginator.Page of Tool
    total: int
    facets: dict[str, list[FacetValue]]
    #: The mode actually used: "meaning" only with a query and the semantic search available.
    mode: str = "words"
    #: Meaning was asked for but this instance cannot search by meaning: the words were searched instead.
    meaning_unavailable: bool = False


def published_tools() -> QuerySet:
    return Tool.objects.filter(status=ToolStatus.PUBLISHED)


class FacetIndex:
    """The facet memberships of all published tools as numpy masks, in title order, and the topic fields and
    steps of each tool for the result list.

    Built once per process and rebuilt when the tools or topic fields change (``search.index_tools`` drops it and
    changes the shared ``INDEX_VERSION_KEY``, which other processes check). Filtering, counting all facet values,
    sorting and paging then cost microseconds; the database is asked only for the full-text matches and for the
    20 tools of the page.
    """

    def __init__(self, key):
        self.key = key
        rows = list(
            published_tools().order_by("title", "id").values_list("id", "tool_type", "published_at", "last_reviewed")
        )
        self.ids = np.array([row[0] for row in rows], dtype=np.int64)
        size = len(rows)
        self.position = {tool_id: position for position, tool_id in enumerate(self.ids.tolist())}
        self.sorted_ids = np.sort(self.ids)
        self.sorted_positions = np.argsort(self.ids, kind="stable")
        newest = sorted(
            range(size), key=lambda i: (rows[i][2] is None, -(rows[i][2].timestamp() if rows[i][2] else 0), -rows[i][0])
        )
        reviewed = sorted(
            range(size), key=lambda i: (rows[i][3] is None, -(rows[i][3].toordinal() if rows[i][3] else 0), i)
        )
        self.order = {
            "title": np.arange(size),
            "newest": np.array(newest, dtype=np.int64),
            "reviewed": np.array(reviewed, dtype=np.int64),
        }
        self.masks: dict[str, dict[str, np.ndarray]] = {name: {} for name in FACETS}
        self.topic_choices = [ListedTopic(slug, name) for slug, name in TopicField.objects.values_list("slug", "name")]
        topic_order = {topic.slug: number for number, topic in enumerate(self.topic_choices)}
        topic_by_slug = {topic.slug: topic for topic in self.topic_choices}
        self.topics_of: dict[int, list[ListedTopic]] = {}
        self.steps_of: dict[int, list[str]] = {}

        def mark(name, value, tool_id):
            position = self.position.get(tool_id)
            if position is not None:
                self.masks[name].setdefault(value, np.zeros(size, dtype=bool))[position] = True

        for row in rows:
            mark("type", row[1], row[0])
        for tool_id, slug in Tool.topics.through.objects.values_list("tool_id", "topicfield__slug"):
            mark("topic", slug, tool_id)
            self.topics_of.setdefault(tool_id, []).append(topic_by_slug[slug])
        for topics in self.topics_of.values():
            topics.sort(key=lambda topic: topic_order[topic.slug])
        for tool_id, step in ToolStep.objects.values_list("tool_id", "step"):
            mark("step", step, tool_id)
            self.steps_of.setdefault(tool_id, []).append(step)
        for steps in self.steps_of.values():
            steps.sort()
        for tool_id, size_value in ToolSize.objects.values_list("tool_id", "size"):
            mark("size", size_value, tool_id)
        self.empty = np.zeros(size, dtype=bool)

    def positions_of(self, tool_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the given tool ids (ids of unpublished tools are dropped) and which ids were kept."""
        found = np.searchsorted(self.sorted_ids, tool_ids)
        found = np.clip(found, 0, max(len(self.sorted_ids) - 1, 0))
        valid = (self.sorted_ids[found] == tool_ids) if len(self.sorted_ids) else np.zeros(len(tool_ids), bool)
        return self.sorted_positions[found[valid]], valid

    def selection(self, name: str, values: list[str]) -> np.ndarray | None:
        if not values:
            return None
        mask = self.empty.copy()
        for value in values:
            mask |= self.masks[name].get(value, self.empty)
        return mask


_facet_index: FacetIndex | None = None

#: Changes whenever tools change (in the shared cache, written in the same transaction as the tools with the
#: database cache), so every process notices that its facet index is stale with one cheap lookup.
INDEX_VERSION_KEY = "daks:toolbox:index-version"


def drop_facet_index() -> None:
    """Called by every write to the search index: this process rebuilds at once, the others on their next search."""
    global _facet_index
    _facet_index = None
    cache.set(INDEX_VERSION_KEY, uuid.uuid4().hex, None)


def facet_index() -> FacetIndex:
    global _facet_index
    version = cache.get(INDEX_VERSION_KEY)
    if version is None:  # first use, or the cache was cleared: start a new version (all processes rebuild once)
        cache.add(INDEX_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(INDEX_VERSION_KEY)
    if _facet_index is None or _facet_index.key != version:
        _facet_index = FacetIndex(version)
    return _facet_index


class SemanticIndex:
    """The stored vectors of all published tools as one matrix (rows in the order of ``ids``), for the meaning
    mode: one matrix-vector product scores every tool. Kept per process like the FacetIndex and rebuilt with it
    (same version key: ``services.embed_tools`` changes it after writing vectors)."""

    def __init__(self, key):
        self.key = key
        rows = list(
            ToolEmbedding.objects.filter(tool__status=ToolStatus.PUBLISHED, model=semantic.MODEL_NAME)
            .order_by("tool_id")
            .values_list("tool_id", "vector")
        )
        self.ids = np.array([row[0] for row in rows], dtype=np.int64)
        self.matrix = (
            np.vstack([semantic.from_bytes(row[1]) for row in rows])
            if rows
            else np.zeros((0, semantic.DIMENSIONS), dtype=np.float32)
        )

    def similar(self, text: str, *, limit: int = semantic.MAX_RESULTS) -> tuple[np.ndarray, np.ndarray]:
        """(tool ids, cosine similarities) of the tools similar in meaning to ``text``, best first."""
        if not len(self.ids):
            return self.ids, np.zeros(0)
        scores = self.matrix @ semantic.embed_query(text)
        chosen = semantic.similar(scores, limit=limit)
        return self.ids[chosen], scores[chosen].astype(float)


_semantic_index: SemanticIndex | None = None


def semantic_index(key=None) -> SemanticIndex:
    """The SemanticIndex of the current version (``key``: that of the facet index, if just read)."""
    global _semantic_index
    key = key if key is not None else facet_index().key
    if _semantic_index is None or _semantic_index.key != key:
        _semantic_index = SemanticIndex(key)
    return _semantic_index


def search_tools(params: SearchParams, *, per_page: int = PER_PAGE) -> SearchResult:
    """Published tools matching the words (German stemming, prefixes, AND) and the facet choices (OR within a
    facet, AND across facets), sorted, one page, with the counts of every facet value — three queries on either
    database (index check, full-text matches, the page's tools). Each tool of the page carries ``listed_topics``
    and ``listed_steps`` from the facet index.

    In the meaning mode (``params.mode == "meaning"``, when ``semantic.available()``) the tools similar in meaning
    to the query replace the word matches (``semantic.similar``: at most 30, ranked by cosine similarity); no
    words are highlighted then. Without the semantic search the words are searched and the result says so."""
    meaning = params.mode == "meaning" and bool(params.query)
    unavailable = meaning and not semantic.available()
    meaning = meaning and not unavailable
    terms = [] if meaning else search.parse_query(params.query)
    index = facet_index()
    size = len(index.ids)
    rank = np.zeros(size)
    ranked = meaning or bool(terms)
    if ranked:
        ids, ranks = semantic_index(index.key).similar(params.query) if meaning else search.match_ranks(terms)
        positions, valid = index.positions_of(ids)
        base = index.empty.copy()
        base[positions] = True
        rank[positions] = ranks[valid]
    else:
        base = ~index.empty
    selections = {name: index.selection(name, getattr(params, name)) for name in FACETS}

    def combined(skip: str | None = None) -> np.ndarray:
        mask = base.copy()
        for name, selection in selections.items():
            if selection is not None and name != skip:
                mask &= selection
        return mask

    final = combined()
    chosen = np.flatnonzero(final)
    if params.sort == "relevance":
        chosen = chosen[np.lexsort((chosen, -rank[chosen]))] if ranked else chosen
    else:
        order = index.order[params.sort]
        chosen = order[final[order]]
    paginator = Paginator(index.ids[chosen].tolist(), per_page)
    page = paginator.get_page(params.page)
    tools = Tool.objects.filter(pk__in=list(page.object_list)).defer("body", "keywords", "search_vector", "search_head")
    by_id = {tool.pk: tool for tool in tools}
    page.object_list = [by_id[tool_id] for tool_id in page.object_list if tool_id in by_id]
    for tool in page.object_list:
        tool.title_html = search.highlight(tool.title, terms)
        tool.teaser_html = search.highlight(tool.teaser, terms)
        tool.listed_topics = index.topics_of.get(tool.pk, [])
        tool.listed_steps = index.steps_of.get(tool.pk, [])
    facets = {}
    for name in FACETS:
        within = combined(skip=name)
        counts = {value: int(np.count_nonzero(within & mask)) for value, mask in index.masks[name].items()}
        choices = (
            [(topic.slug, topic.name) for topic in index.topic_choices]
            if name == "topic"
            else {"type": ToolType.choices, "step": Step.choices, "size": SizeClass.choices}[name]
        )
        facets[name] = [
            FacetValue(value, label, counts.get(value, 0), value in getattr(params, name)) for value, label in choices
        ]
    return SearchResult(
        params=params,
        terms=terms,
        page=page,
        total=paginator.count,
        facets=facets,
        mode="meaning" if meaning else "words",
        meaning_unavailable=unavailable,
    )


def tool_detail(slug: str, *, include_unpublished: bool = False) -> Tool:
    """The tool with everything its page shows; raises Tool.DoesNotExist."""
    queryset = Tool.objects.all() if include_unpublished else published_tools()
    return (
        queryset.select_related("origin_municipality")
        .prefetch_related(
            "topics",
            "step_links",
            "size_links",
            Prefetch("attachments", queryset=ToolAttachment.objects.order_by("title")),
            Prefetch("related", queryset=published_tools().order_by("title")),
        )
        .get(slug=slug)
    )


def used_by_count(tool: Tool) -> int:
    """How many Kommunen use the tool in a measure of their published Werkstattplan."""
    return (
        MeasureTool.objects.filter(tool=tool, measure__plan__published_version__isnull=False)
        .values("municipality_id")
        .distinct()
        .count()
    )


def origin_url(tool: Tool) -> str:
    """Where the originating Kommune of ``tool`` is presented: its public portrait in the network, else the
    statistics of its region, else nowhere ("")."""
    municipality = tool.origin_municipality
    if municipality is None:
        return ""
    from daks.network.selectors import visible_portrait

    portrait = visible_portrait(municipality.slug)
    if portrait is not None:
        return portrait.get_absolute_url()
    if municipality.official_key:
        return reverse("demography:region", args=[municipality.official_key])
    return ""


def events_with_material(tool: Tool) -> list:
    """Past published events of the network that point to ``tool``, newest first, with their recording and
    slides: the material of an online seminar or workshop meeting, linked back from the tool."""
    from daks.events.models import Event, EventStatus

    return list(
        Event.objects.filter(tools=tool, status=EventStatus.PUBLISHED, ends_at__lt=timezone.now())
        .only("slug", "title", "starts_at", "recording_url", "slides_url", "slides_file")
        .order_by("-starts_at")[:10]
    )


def tools_for_step(step: str, *, limit: int = 6) -> tuple[list[Tool], int]:
    """Published tools serving ``step`` (first ``limit`` by title) and how many there are in all."""
    queryset = published_tools().filter(step_links__step=step)
    return list(queryset.order_by("title")[:limit]), queryset.count()


def linked_tools(measure) -> list[Tool]:
    """The tools linked to ``measure`` — archived ones too, so that they can still be removed."""
    return list(
        Tool.objects.filter(
            measure_links__measure=measure, status__in=[ToolStatus.PUBLISHED, ToolStatus.ARCHIVED]
        ).order_by("title")
    )


@dataclass
class Recommendation:
    tool: Tool
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def recommend_for_process(process, *, limit: int = 8, per_source: int = 3) -> list[Recommendation]:
    """Tools matching the weaknesses and threats of the team's SWOT analysis and its fields of action.

    Each statement or field is searched by meaning when the semantic search is available (its ``per_source`` most
    similar published tools, by the rule of ``semantic.similar``), else with its meaningful words combined by OR;
    a tool collects the scores of every statement it matches and names them as reasons. One query per source
    with words (at most 16 sources), one for all sources by meaning.
    """
    from daks.profile.models import FieldOfAction, Quadrant, SwotItem

    sources: list[tuple[str, str]] = []
    for item in SwotItem.objects.filter(process=process, quadrant__in=[Quadrant.WEAKNESS, Quadrant.THREAT]).order_by(
        "quadrant", "position", "id"
    )[:10]:
        label = _("weakness") if item.quadrant == Quadrant.WEAKNESS else _("threat")
        sources.append((f"{label} „{item.text[:80]}“", item.text))
    for field_of_action in FieldOfAction.objects.filter(process=process).order_by("priority", "id")[:6]:
        sources.append(
            (
                f"{_('field of action')} „{field_of_action.title}“",
                f"{field_of_action.title} {field_of_action.description[:300]}",
            )
        )
    found: dict[int, Recommendation] = {}
    if semantic.available():
        index = semantic_index()
        matches = [(reason, *index.similar(text, limit=per_source)) for reason, text in sources if text.strip()]
        tools = published_tools().in_bulk({int(tool_id) for _reason, ids, _scores in matches for tool_id in ids})
        for reason, ids, scores in matches:
            for tool_id, score in zip(ids.tolist(), scores.tolist(), strict=True):
                if tool_id in tools:
                    entry = found.setdefault(tool_id, Recommendation(tool=tools[tool_id]))
                    entry.score += score
                    entry.reasons.append(reason)
    else:
        for reason, text in sources:
            terms = search.parse_query(text)
            if not terms:
                continue
            for tool in search.match(published_tools(), terms, any_term=True).order_by("-rank", "title")[:per_source]:
                entry = found.setdefault(tool.pk, Recommendation(tool=tool))
                entry.score += float(tool.rank or 0) or 1.0
                entry.reasons.append(reason)
    ranked = sorted(found.values(), key=lambda entry: (-len(entry.reasons), -entry.score, entry.tool.title))
    return ranked[:limit]


def editorial_tools(status: str | None = None) -> QuerySet:
    queryset = Tool.objects.select_related("origin_municipality", "submitted_by").annotate(
        attachment_count=Count("attachments", distinct=True)
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-updated_at")


def status_counts() -> dict[str, int]:
    return dict(Tool.objects.values_list("status").annotate(n=Count("id")).order_by())


def tool_history(tool: Tool) -> QuerySet:
    return tool.revisions.select_related("author")


def topic_fields_with_counts() -> QuerySet:
    return TopicField.objects.annotate(
        tool_count=Count("tools", distinct=True),
        published_count=Count("tools", filter=Q(tools__status=ToolStatus.PUBLISHED), distinct=True),
    )
