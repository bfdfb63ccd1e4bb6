"""API router: content — published Werkstattpläne, toolbox tools, events and portraits (see daks/api/api.py).

Only what the website shows publicly, by the same rules and selectors: a plan's published version (never the
live draft), published tools, published (and cancelled) events without anything about their participants, and
the portraits a Kommune opted in to, without the addresses of its contact persons. Anything else is 404.
"""

from typing import Literal

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from daks.core.errors import DomainError
from daks.events import selectors as event_selectors
from daks.network import selectors as network_selectors
from daks.plans import publishing
from daks.plans.models import Plan
from daks.toolbox import selectors as tool_selectors
from daks.toolbox.models import Tool, ToolStatus, TopicField

from .common import MAX_PAGE, MAX_PAGE_SIZE, Error, Pagination, ValidationErrorOut, set_last_modified
from .schemas_public import (
    EventDetail,
    EventFilters,
    EventListItem,
    PlanDocument,
    PlanFilters,
    PlanListItem,
    PortraitDetail,
    PortraitFilters,
    PortraitListItem,
    ToolDetail,
    ToolFilters,
    ToolPage,
)

#: The answers besides 200 (documented in the OpenAPI schema): unknown key or slug, invalid parameters.
INVALID = {422: ValidationErrorOut}
ERRORS = {404: Error, **INVALID}

router = Router(tags=["content"])

#: Ids are database integers: larger numbers cannot exist (and would overflow SQLite).
MAX_ID = 2_147_483_647
SLUG_PATTERN = r"^[-a-zA-Z0-9_]{1,120}$"


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


# --- Plans --------------------------------------------------------------------------------------------------------


def _published_plans():
    """Plans with a published version of a verified Kommune (as the public plan pages)."""
    return Plan.objects.filter(published_version__isnull=False, municipality__verified_at__isnull=False)


@router.get("/plans", response={200: list[PlanListItem], **INVALID}, auth=None, summary="Published Werkstattpläne")
@paginate(Pagination)
def plan_list(request, filters: Query[PlanFilters]):
    """The published Werkstattpläne, most recently published first. Each is the version the Kommune published;
    its content is at ``/plans/{id}``."""
    plans = _published_plans()
    if filters.municipality:
        plans = plans.filter(municipality__slug=filters.municipality)
    if filters.state:
        plans = plans.filter(municipality__state=filters.state)
    return (
        plans.select_related("municipality", "process", "published_version")
        .defer("vision", "introduction", "published_version__snapshot")
        .order_by("-published_at", "-id")
    )


@router.get(
    "/plans/{id}",
    response={200: PlanDocument, **ERRORS},
    by_alias=True,
    auth=None,
    summary="A published Werkstattplan",
)
def plan_detail(request, id: int = Path(..., ge=1, le=MAX_ID, description="Id of the plan (see /plans)")):
    """The published version of the plan: vision, fields of action with goals and measures, as the plan's open
    data (``daks.plan/1``, the same document as the JSON download of its public page), with its licence."""
    plan = _published_plans().filter(pk=id).select_related("municipality", "process", "published_version").first()
    if plan is None:
        raise HttpError(404, _("There is no published plan with this id."))
    try:
        data = publishing.open_data(plan, request=request)
    except DomainError:
        raise HttpError(404, _("There is no published plan with this id.")) from None
    set_last_modified(request, plan.published_at)
    return {"id": plan.pk, **data}


# --- Tools --------------------------------------------------------------------------------------------------------


def _tool_item(request, tool, topics, steps) -> dict:
    return {
        "slug": tool.slug,
        "title": tool.title,
        "teaser": tool.teaser,
        "type": tool.tool_type,
        "topics": [{"slug": topic.slug, "name": topic.name} for topic in topics],
        "steps": sorted(steps),
        "published_at": tool.published_at,
        "last_reviewed": tool.last_reviewed,
        "page_url": _absolute(request, tool.get_absolute_url()),
    }


@router.get("/tools", response={200: ToolPage, **INVALID}, auth=None, summary="Search the toolbox")
def tool_list(
    request,
    filters: Query[ToolFilters],
    page: int = Query(1, ge=1, le=MAX_PAGE, description="Page number, from 1"),
    page_size: int = Query(tool_selectors.PER_PAGE, ge=1, le=MAX_PAGE_SIZE, description="Items per page"),
    mode: Literal["words", "meaning"] = Query(
        "words",
        description=(
            "How q is searched: words (German full-text search) or meaning (the tools most similar in meaning, "
            "at most 30; where the instance has no semantic search, the words are searched)"
        ),
    ),
):
    """Published tools, searched and filtered exactly as on the toolbox page (German full-text search with
    stemming, or by meaning with ``mode=meaning``; several values of one filter are combined with OR, different
    filters with AND; an unknown topic matches nothing). Ordered by relevance (with ``q``) or title, ties by a
    unique position."""
    params = tool_selectors.SearchParams(
        query=" ".join((filters.q or "").split())[:200],
        topic=list(filters.topic),
        type=list(filters.type),
        step=list(filters.step),
        size=list(filters.size),
        sort=filters.sort,
        page=page,
        mode=mode,
    )
    result = tool_selectors.search_tools(params, per_page=page_size)
    beyond = result.page.number != page  # Django's paginator shows the last page instead; the API shows none
    return {
        "count": result.total,
        "page": page,
        "page_size": page_size,
        "results": []
        if beyond
        else [_tool_item(request, tool, tool.listed_topics, tool.listed_steps) for tool in result.page.object_list],
        "facets": {
            name: [{"value": value.value, "label": str(value.label), "count": value.count} for value in values]
            for name, values in result.facets.items()
        },
    }


@router.get("/tools/{slug}", response={200: ToolDetail, **ERRORS}, auth=None, summary="A tool")
def tool_detail(request, slug: str = Path(..., pattern=SLUG_PATTERN, description="Address of the tool")):
    """A published tool with its text (Markdown), downloads and related tools."""
    try:
        tool = tool_selectors.tool_detail(slug)
    except Tool.DoesNotExist:
        raise HttpError(404, _("There is no published tool with this address.")) from None
    attachments = list(tool.attachments.all())
    related = list(tool.related.all())
    origin = tool.origin_municipality
    video_url = tool.video_url or (_absolute(request, tool.video_file.url) if tool.video_file else "")
    set_last_modified(
        request, max([tool.updated_at, *(item.updated_at for item in attachments), *(r.updated_at for r in related)])
    )
    return {
        **_tool_item(request, tool, tool.topics.all(), [link.step for link in tool.step_links.all()]),
        "body": tool.body,
        "sizes": sorted(link.size for link in tool.size_links.all()),
        "effort": tool.effort,
        "cost": tool.cost,
        "target_groups": [str(group) for group in tool.target_groups or []],
        "origin_municipality": _municipality(origin) if origin is not None else None,
        "credit": tool.credit,
        "contact": tool.contact,
        "video_url": video_url,
        "attachments": [
            {
                "title": item.title,
                "url": _absolute(request, reverse("toolbox:attachment", args=[tool.slug, item.pk])),
                "size": item.size,
                "content_type": item.content_type,
            }
            for item in attachments
        ],
        "related": [{"slug": other.slug, "title": other.title} for other in related],
        "updated_at": tool.updated_at,
    }


def _municipality(municipality) -> dict:
    return {
        "slug": municipality.slug,
        "name": municipality.name,
        "kind": municipality.kind,
        "state": municipality.state,
        "official_key": municipality.official_key,
    }


# --- Events -------------------------------------------------------------------------------------------------------


@router.get("/events", response={200: list[EventListItem], **INVALID}, auth=None, summary="Events of the network")
@paginate(Pagination)
def event_list(request, filters: Query[EventFilters]):
    """Upcoming events (not ended yet, soonest first; cancelled ones marked by their status), or with
    ``past=true`` the events that took place (most recent first). Nothing about participants but the free places."""
    kind = filters.kind or ""
    now = timezone.now()
    if filters.past:
        return event_selectors.past_events(kind=kind, now=now)
    return event_selectors.upcoming_events(kind=kind, now=now)


@router.get("/events/{id}", response={200: EventDetail, **ERRORS}, auth=None, summary="An event")
def event_detail(request, id: int = Path(..., ge=1, le=MAX_ID, description="Id of the event (see /events)")):
    """A published (or cancelled) event with its description, material and the tools presented."""
    event = (
        event_selectors.public_events()
        .filter(pk=id)
        .defer(None)
        .prefetch_related(
            Prefetch("tools", queryset=Tool.objects.filter(status=ToolStatus.PUBLISHED).order_by("title", "id"))
        )
        .first()
    )
    if event is None:
        raise HttpError(404, _("There is no published event with this id."))
    return event


# --- Portraits ----------------------------------------------------------------------------------------------------


@router.get("/portraits", response={200: list[PortraitListItem], **INVALID}, auth=None, summary="Portraits of Kommunen")
@paginate(Pagination)
def portrait_list(request, filters: Query[PortraitFilters]):
    """The Kommunen that show a public portrait in the network (opted in, verified), ordered by their slug."""
    portraits = network_selectors.visible_portraits()
    if filters.state:
        portraits = portraits.filter(municipality__state=filters.state)
    if filters.kind:
        portraits = portraits.filter(municipality__kind=filters.kind)
    if filters.topic:
        portraits = portraits.filter(topics__slug=filters.topic)
    return portraits.prefetch_related(
        Prefetch("topics", queryset=TopicField.objects.order_by("position", "name"))
    ).order_by("municipality__slug")


@router.get("/portraits/{slug}", response={200: PortraitDetail, **ERRORS}, auth=None, summary="A portrait")
def portrait_detail(request, slug: str = Path(..., pattern=SLUG_PATTERN, description="Short name of the Kommune")):
    """The public portrait of a Kommune: description, topics, fields of action, published plans and tools.
    Contact persons are reached through the contact form only; their addresses are never published."""
    portrait = network_selectors.visible_portrait(slug)
    if portrait is None:
        raise HttpError(404, _("There is no public portrait with this address."))
    municipality = portrait.municipality
    process = network_selectors.newest_processes([municipality.pk]).get(municipality.pk)
    fields_of_action = []
    if process is not None:
        fields_of_action = list(process.fields_of_action.order_by("priority", "title").values_list("title", flat=True))
    plans = (
        Plan.objects.filter(municipality=municipality, published_version__isnull=False)
        .select_related("process", "published_version")
        .defer("vision", "introduction", "published_version__snapshot")
        .order_by("-published_at", "-id")
    )
    tools = Tool.objects.filter(origin_municipality=municipality, status=ToolStatus.PUBLISHED).order_by("title", "id")
    portrait.region_key = network_selectors.statistics_key(municipality, process)
    portrait.fields_of_action = fields_of_action
    portrait.plan_refs = [
        {"id": plan.pk, "process": plan.process.title, "version": plan.published_version.name} for plan in plans
    ]
    portrait.tool_refs = [{"slug": tool.slug, "title": tool.title} for tool in tools.only("slug", "title")]
    portrait.group_names = list(municipality.network_groups.order_by("name").values_list("name", flat=True))
    return portrait
