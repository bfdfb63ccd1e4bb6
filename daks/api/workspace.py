"""API router: the workspace of one Kommune (see daks/api/api.py), ``/api/v1/municipalities/{slug}/…``.

Every operation needs a personal token (``token_auth``) and starts with ``municipality_for`` and the permission
the web view uses (reading: ``view_municipality``, writing: ``edit_content``), so the same rules apply: a token
of another Kommune gets 404, a member without the role 403, a read-only token 403 on writes. Objects are looked
up *through* the Kommune (and the process), so ids of another Kommune answer 404. Writes call the services of
the apps — the same validation, the same audit log entries as the web — and never touch models directly.

Conventions
    Lists are paginated (``?page=&page_size=``) and ordered by a unique key. Creating answers 201 with the
    object, deleting 204. Updates are partial (PATCH: only the fields sent change); sending the ``version``
    read before refuses the update with 409 when somebody else saved in between. Rule violations answer 400
    with ``{"detail", "field"}`` in the user's language, bodies that do not fit the schema 422.
"""

from typing import Annotated

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from daks.core.errors import DomainError
from daks.plans import selectors as plan_selectors
from daks.plans import services as plan_services
from daks.plans.models import Goal, Measure, MeasureStatus, Milestone, Plan
from daks.profile import services as profile_services
from daks.profile.models import FieldOfAction, Quadrant, SwotItem
from daks.strategy import actor_selectors, actor_services, task_selectors, task_services
from daks.strategy import selectors as strategy_selectors
from daks.strategy import services as strategy_services
from daks.strategy.models import ActorKind, Sector, TaskStatus
from daks.strategy.steps import all_steps

from .auth import municipality_for, token_auth
from .common import Error, Pagination, set_last_modified
from .schemas_workspace import (
    MAX_ID,
    ActorCreate,
    ActorOut,
    ActorUpdate,
    FieldError,
    FieldOfActionCreate,
    FieldOfActionOut,
    FieldOfActionUpdate,
    GoalCreate,
    GoalOut,
    GoalUpdate,
    MeasureCreate,
    MeasureOut,
    MeasureProgressIn,
    MeasureStatusIn,
    MeasureUpdate,
    MemberOut,
    MilestoneCreate,
    MilestoneOut,
    MilestoneUpdate,
    ProcessCreate,
    ProcessDetailOut,
    ProcessOut,
    ProcessUpdate,
    SwotItemCreate,
    SwotItemOut,
    SwotItemUpdate,
    TaskCreate,
    TaskOut,
    TaskStatusIn,
    TaskUpdate,
    Text,
    ValidationErrorOut,
)

router = Router(tags=["workspace"], auth=token_auth)

VIEW = "municipalities.view_municipality"
EDIT = "municipalities.edit_content"

Slug = Annotated[str, Path(max_length=100, pattern=r"^[-a-zA-Z0-9_]+$", description="Slug of the Kommune")]
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
FilterId = Annotated[int | None, Query(None, ge=1, le=MAX_ID)]

READ = {401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}
WRITE = {400: FieldError, 401: Error, 403: Error, 404: Error, 409: FieldError, 422: ValidationErrorOut}
DELETE = {204: None, 401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}


# --- Lookups through the Kommune ------------------------------------------------------------------


def _process(municipality, process_id: int):
    process = get_object_or_404(municipality.processes.all(), pk=process_id)
    process.municipality = municipality
    return process


def _members(municipality, ids, *, field: str, message: str) -> list:
    """The users ``ids``, all members of ``municipality`` — else DomainError (nothing about others revealed)."""
    ids = set(ids or [])
    if not ids:
        return []
    users = list(get_user_model().objects.filter(pk__in=ids, memberships__municipality=municipality))
    if len(users) != len(ids):
        raise DomainError(message, field=field)
    return users


def _member(municipality, user_id, *, field: str, message: str):
    return _members(municipality, [user_id], field=field, message=message)[0] if user_id is not None else None


def _all_of(queryset, ids, *, field: str, message: str) -> list:
    """The objects ``ids`` of ``queryset`` (already scoped to the Kommune or process) — all of them or 400."""
    ids = set(ids or [])
    if not ids:
        return []
    objects = list(queryset.filter(pk__in=ids))
    if len(objects) != len(ids):
        raise DomainError(message, field=field)
    return objects


def _one_of(queryset, pk, *, field: str, message: str):
    return _all_of(queryset, [pk], field=field, message=message)[0] if pk is not None else None


def _check_url(url: str, *, field: str) -> str:
    url = (url or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise DomainError(_("Please enter a complete web address (https://…)."), field=field) from None
    return url


def _changes(payload) -> tuple[dict, str | None]:
    """The fields a PATCH body sets, and its version."""
    data = payload.model_dump(exclude_unset=True)
    return data, data.pop("version", None)


# --- Members --------------------------------------------------------------------------------------


@router.get("/members", response={200: list[MemberOut], **READ}, summary="Members of the Kommune (ids for assignments)")
@paginate(Pagination)
def member_list(request, slug: Slug):
    municipality = municipality_for(request, slug, VIEW)
    return municipality.memberships.select_related("user").order_by("user__name", "user__email", "id")


# --- Processes ------------------------------------------------------------------------------------


def _process_queryset(municipality):
    return strategy_selectors.process_list(municipality=municipality).prefetch_related("coordinators")


def _process_detail(process):
    process.steps = [
        {
            "step": definition.step,
            "slug": definition.slug,
            "number": definition.number,
            "title": str(definition.title),
            "status": definition.status(process),
            "done": progress[0],
            "required": progress[1],
        }
        for definition in all_steps()
        for progress in [definition.progress(process)]
    ]
    return process


@router.get("/processes", response={200: list[ProcessOut], **READ}, summary="Strategy processes")
@paginate(Pagination)
def process_list(request, slug: Slug):
    municipality = municipality_for(request, slug, VIEW)
    return _process_queryset(municipality).order_by("-start_date", "title", "id")


@router.get("/processes/{process_id}", response={200: ProcessDetailOut, **READ}, summary="A process with its steps")
def process_detail(request, slug: Slug, process_id: ObjectId):
    municipality = municipality_for(request, slug, VIEW)
    process = get_object_or_404(_process_queryset(municipality), pk=process_id)
    process.municipality = municipality
    set_last_modified(request, process.updated_at)
    return _process_detail(process)


@router.post("/processes", response={201: ProcessDetailOut, **WRITE}, summary="Start a strategy process")
def process_create(request, slug: Slug, payload: ProcessCreate):
    municipality = municipality_for(request, slug, EDIT, write=True)
    data = payload.model_dump()
    data["coordinators"] = _members(
        municipality,
        data["coordinators"],
        field="coordinators",
        message=_("Only members of the municipality can belong to the coordinating team."),
    )
    process = strategy_services.process_create(actor=request.user, municipality=municipality, **data)
    process = get_object_or_404(_process_queryset(municipality), pk=process.pk)
    process.municipality = municipality
    return Status(201, _process_detail(process))


@router.patch("/processes/{process_id}", response={200: ProcessDetailOut, **WRITE}, summary="Change a process")
def process_update(request, slug: Slug, process_id: ObjectId, payload: ProcessUpdate):
    municipality = municipality_for(request, slug, EDIT, write=True)
    process = _process(municipality, process_id)
    data, version = _changes(payload)
    if "coordinators" in data:
        data["coordinators"] = _members(
            municipality,
            data["coordinators"],
            field="coordinators",
            message=_("Only members of the municipality can belong to the coordinating team."),
        )
    strategy_services.process_update(actor=request.user, process=process, expected_version=version, **data)
    process = get_object_or_404(_process_queryset(municipality), pk=process.pk)
    process.municipality = municipality
    return _process_detail(process)


# --- Actors ---------------------------------------------------------------------------------------


def _actor(municipality, actor_id: int):
    record = get_object_or_404(municipality.actors.all(), pk=actor_id)
    record.municipality = municipality
    return record


@router.get("/actors", response={200: list[ActorOut], **READ}, summary="Actors register (ordered by name)")
@paginate(Pagination)
def actor_list(
    request,
    slug: Slug,
    sector: Sector | None = None,
    kind: ActorKind | None = None,
    search: Annotated[Text(100) | None, Query(None, description="Part of name, organisation or role")] = None,
):
    municipality = municipality_for(request, slug, VIEW)
    return actor_selectors.actors_for_municipality(
        municipality, sector=sector or "", kind=kind or "", search=search or "", sort="name"
    )


@router.get("/actors/{actor_id}", response={200: ActorOut, **READ}, summary="An actor")
def actor_detail(request, slug: Slug, actor_id: ObjectId):
    municipality = municipality_for(request, slug, VIEW)
    record = _actor(municipality, actor_id)
    set_last_modified(request, record.updated_at)
    return record


@router.post("/actors", response={201: ActorOut, **WRITE}, summary="Add an actor")
def actor_create(request, slug: Slug, payload: ActorCreate):
    municipality = municipality_for(request, slug, EDIT, write=True)
    record = actor_services.actor_create(actor=request.user, municipality=municipality, **payload.model_dump())
    return Status(201, record)


@router.patch("/actors/{actor_id}", response={200: ActorOut, **WRITE}, summary="Change an actor")
def actor_update(request, slug: Slug, actor_id: ObjectId, payload: ActorUpdate):
    municipality = municipality_for(request, slug, EDIT, write=True)
    record = _actor(municipality, actor_id)
    data, version = _changes(payload)
    return actor_services.actor_update(actor=request.user, record=record, expected_version=version, **data)


@router.delete("/actors/{actor_id}", response=DELETE, summary="Delete an actor")
def actor_delete(request, slug: Slug, actor_id: ObjectId):
    municipality = municipality_for(request, slug, EDIT, write=True)
    actor_services.actor_delete(actor=request.user, record=_actor(municipality, actor_id))
    return Status(204, None)


# --- SWOT -----------------------------------------------------------------------------------------

QUADRANT_ORDER = Case(
    *(When(quadrant=value, then=Value(rank)) for rank, value in enumerate(Quadrant.values)),
    output_field=IntegerField(),
)


def _swot_item(municipality, process, item_id: int) -> SwotItem:
    item = get_object_or_404(SwotItem.objects.filter(process=process, municipality=municipality), pk=item_id)
    item.process = process
    return item


def _evidence(process, data: dict) -> dict:
    """Ids of cited inventory entries and interviews → the objects of ``process`` (400 for others)."""
    if "evidence_inventory" in data:
        data["evidence_inventory"] = _one_of(
            process.inventory_items.all(),
            data["evidence_inventory"],
            field="evidence_inventory",
            message=_("Please choose an inventory entry of this process."),
        )
    if "evidence_interview" in data:
        data["evidence_interview"] = _one_of(
            process.interviews.all(),
            data["evidence_interview"],
            field="evidence_interview",
            message=_("Please choose an interview of this process."),
        )
    if "evidence_url" in data:
        data["evidence_url"] = _check_url(data["evidence_url"], field="evidence_url")
    return data


@router.get(
    "/processes/{process_id}/swot-items",
    response={200: list[SwotItemOut], **READ},
    summary="SWOT entries of a process (by quadrant and position)",
)
@paginate(Pagination)
def swot_item_list(request, slug: Slug, process_id: ObjectId, quadrant: Quadrant | None = None):
    municipality = municipality_for(request, slug, VIEW)
    process = _process(municipality, process_id)
    items = SwotItem.objects.filter(process=process, municipality=municipality)
    if quadrant:
        items = items.filter(quadrant=quadrant)
    return items.annotate(quadrant_rank=QUADRANT_ORDER).order_by("quadrant_rank", "position", "id")


@router.post("/processes/{process_id}/swot-items", response={201: SwotItemOut, **WRITE}, summary="Add a SWOT entry")
def swot_item_create(request, slug: Slug, process_id: ObjectId, payload: SwotItemCreate):
    municipality = municipality_for(request, slug, EDIT, write=True)
    process = _process(municipality, process_id)
    data = _evidence(process, payload.model_dump())
    item = profile_services.swot_item_create(actor=request.user, municipality=municipality, process=process, **data)
    return Status(201, item)


@router.patch(
    "/processes/{process_id}/swot-items/{item_id}", response={200: SwotItemOut, **WRITE}, summary="Change a SWOT entry"
)
def swot_item_update(request, slug: Slug, process_id: ObjectId, item_id: ObjectId, payload: SwotItemUpdate):
    municipality = municipality_for(request, slug, EDIT, write=True)
    process = _process(municipality, process_id)
    item = _swot_item(municipality, process, item_id)
    data, version = _changes(payload)
    current = {
        "text": item.text,
        "evidence": item.evidence,
        "evidence_url": item.evidence_url,
        "evidence_indicator": item.evidence_indicator,
        "evidence_inventory": item.evidence_inventory,
        "evidence_interview": item.evidence_interview,
    }
    values = {**current, **_evidence(process, data)}
    return profile_services.swot_item_update(
        actor=request.user, municipality=municipality, item=item, expected_version=version, **values
    )


@router.delete("/processes/{process_id}/swot-items/{item_id}", response=DELETE, summary="Delete a SWOT entry")
def swot_item_delete(request, slug: Slug, process_id: ObjectId, item_id: ObjectId):
    municipality = municipality_for(request, slug, EDIT, write=True)
    process = _process(municipality, process_id)
    item = _swot_item(municipality, process, item_id)
    profile_services.swot_item_delete(actor=request.user, municipality=municipality, item=item)
    return Status(204, None)


# --- Fields of action -----------------------------------------------------------------------------


def _field_of_action(municipality, process, field_id: int) -> FieldOfAction:
    field = get_object_or_404(
        FieldOfAction.objects.filter(process=process, municipality=municipality).prefetch_related("swot_items"),
        pk=field_id,
    )
    field.process = process
    return field


def _swot_items_of(process, ids) -> list:
    return _all_of(
        SwotItem.objects.filter(process=process),
        ids,
        field="swot_items",
        message=_("Please choose SWOT entries of this process."),
    )


@router.get(
    "/processes/{process_id}/fields-of-action",
    response={200: list[FieldOfActionOut], **READ},
    summary="Fields of action of a process (by priority)",
)
@paginate(Pagination)
def field_of_action_list(request, slug: Slug, process_id: ObjectId):
    municipality = municipality_for(request, slug, VIEW)
    process = _process(municipality, process_id)
    return (
        FieldOfAction.objects.filter(process=process, municipality=municipality)
        .prefetch_related("swot_items")
        .order_by("priority", "id")
    )


@router.post(
    "/processes/{process_id}/fields-of-action",
    response={201: FieldOfActionOut, **WRITE},
    summary="Add a field of action",
)
def field_of_action_create(request, slug: Slug, process_id: ObjectId, payload: FieldOfActionCreate):
    municipality = municipality_for(request, slug, EDIT, write=True)
    process = _process(municipality, process_id)
    data = payload.model_dump()
    data["swot_items"] = _swot_items_of(process, data["swot_items"])
    field = profile_services.field_of_action_create(
        actor=request.user, municipality=municipality, process=process, **data
    )
    return Status(201, _field_of_action(municipality, process, field.pk))


@router.patch(
    "/processes/{process_id}/fields-of-action/{field_id}",
    response={200: FieldOfActionOut, **WRITE},
    summary="Change a field of action",
)
def field_of_action_update(request, slug: Slug, process_id: ObjectId, field_id: ObjectId, payload: FieldOfActionUpdate):
    municipality = municipality_for(request, slug, EDIT, write=True)
    process = _process(municipality, process_id)
    field = _field_of_action(municipality, process, field_id)
    data, version = _changes(payload)
    values = {
        "title": data.get("title", field.title),
        "description": data.get("description", field.description),
        "swot_items": _swot_items_of(process, data["swot_items"])
        if "swot_items" in data
        else list(field.swot_items.all()),
    }
    profile_services.field_of_action_update(
        actor=request.user, municipality=municipality, field=field, expected_version=version, **values
    )
    return _field_of_action(municipality, process, field.pk)


@router.delete(
    "/processes/{process_id}/fields-of-action/{field_id}", response=DELETE, summary="Delete a field of action"
)
def field_of_action_delete(request, slug: Slug, process_id: ObjectId, field_id: ObjectId):
    municipality = municipality_for(request, slug, EDIT, write=True)
    process = _process(municipality, process_id)
    field = _field_of_action(municipality, process, field_id)
    profile_services.field_of_action_delete(actor=request.user, municipality=municipality, field=field)
    return Status(204, None)


# --- The plan: goals ------------------------------------------------------------------------------


def _existing_plan(process) -> Plan | None:
    """The plan of ``process`` for reading (a GET never creates one)."""
    plan = Plan.objects.filter(process=process).first()
    if plan is not None:
        plan.process = process
        plan.municipality = process.municipality
    return plan


def _plan(process) -> Plan:
    """The plan of ``process`` for writing (created empty on first use, as the plan pages do)."""
    plan = plan_services.plan_get_or_create(process=process)
    plan.process = process
    plan.municipality = process.municipality
    return plan


def _number(request, plan: Plan | None) -> None:
    """Let the schemas show the numbers of the plan document (three id-only queries)."""
    if plan is not None:
        request.daks_plan_numbering = plan_selectors.plan_numbering(plan)


def _plan_objects(model, municipality, process):
    return model.objects.filter(plan__process=process, municipality=municipality)


def _goal(municipality, process, goal_id: int) -> Goal:
    goal = get_object_or_404(_plan_objects(Goal, municipality, process).select_related("plan"), pk=goal_id)
    goal.plan.process = process
    goal.plan.municipality = municipality
    return goal


def _plan_field(process, pk):
    return _one_of(
        process.fields_of_action.all(),
        pk,
        field="field_of_action",
        message=_("Please choose a field of action of this strategy process."),
    )


@router.get(
    "/processes/{process_id}/goals",
    response={200: list[GoalOut], **READ},
    summary="Goals of the plan (in document order)",
)
@paginate(Pagination)
def goal_list(request, slug: Slug, process_id: ObjectId, field_of_action: FilterId = None):
    municipality = municipality_for(request, slug, VIEW)
    process = _process(municipality, process_id)
    plan = _existing_plan(process)
    _number(request, plan)
    goals = _plan_objects(Goal, municipality, process)
    if field_of_action:
        goals = goals.filter(field_of_action_id=field_of_action)
    return goals.order_by("field_of_action__priority", "field_of_action_id", "position", "id")


@router.post("/processes/{process_id}/goals", response={201: GoalOut, **WRITE}, summary="Add a goal")
def goal_create(request, slug: Slug, process_id: ObjectId, payload: GoalCreate):
    municipality = municipality_for(request, slug, EDIT, write=True)
    process = _process(municipality, process_id)
    plan = _plan(process)
    data = payload.model_dump()
    data["field_of_action"] = _plan_field(process, data["field_of_action"])
    goal = plan_services.goal_create(plan=plan, user=request.user, data=data)
    _number(request, plan)
    return Status(201, goal)


@router.patch("/processes/{process_id}/goals/{goal_id}", response={200: GoalOut, **WRITE}, summary="Change a goal")
def goal_update(request, slug: Slug, process_id: ObjectId, goal_id: ObjectId, payload: GoalUpdate):
    municipality = municipality_for(request, slug, EDIT, write=True)
    process = _process(municipality, process_id)
    goal = _goal(municipality, process, goal_id)
    data, version = _changes(payload)
    if "field_of_action" in data:
        data["field_of_action"] = _plan_field(process, data["field_of_action"])
    goal = plan_services.goal_update(goal=goal, user=request.user, data=data, version=version)
    _number(request, goal.plan)
    return goal


@router.delete("/processes/{process_id}/goals/{goal_id}", response=DELETE, summary="Delete a goal")
def goal_delete(request, slug: Slug, process_id: ObjectId, goal_id: ObjectId):
    municipality = municipality_for(request, slug, EDIT, write=True)
    process = _process(municipality, process_id)
    plan_services.goal_delete(goal=_goal(municipality, process, goal_id), user=request.user)
    return Status(204, None)


# --- The plan: measures and milestones ------------------------------------------------------------


def _with_relations(queryset):
    return queryset.prefetch_related(
        "goals", "partners", Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id"))
    )


def _measure(municipality, process, measure_id: int) -> Measure:
    measure = get_object_or_404(
        _with_relations(_plan_objects(Measure, municipality, process).select_related("plan")), pk=measure_id
    )
    measure.plan.process = process
    measure.plan.municipality = municipality
    return measure


def _measure_relations(municipality, plan: Plan, data: dict) -> dict:
    """Ids of the body → objects of this Kommune and plan (400 for any other)."""
    if "field_of_action" in data:
        data["field_of_action"] = _plan_field(plan.process, data["field_of_action"])
    if "goals" in data:
        data["goals"] = _all_of(
            Goal.objects.filter(plan=plan), data["goals"], field="goals", message=_("Please choose goals of this plan.")
        )
    if "partners" in data:
        data["partners"] = _all_of(
            municipality.actors.all(),
            data["partners"],
            field="partners",
            message=_("Please choose partners from your municipality's actors."),
        )
    if "responsible_person" in data:
        data["responsible_person"] = _member(
            municipality,
            data["responsible_person"],
            field="responsible_person",
            message=_("Please choose a member of the municipality's team."),
        )
    if "target_groups" in data:
        data["target_groups"] = [str(group) for group in data["target_groups"]]
    return data


def _measure_out(request, municipality, process, measure_id: int) -> Measure:
    measure = _measure(municipality, process, measure_id)
    _number(request, measure.plan)
    return measure


@router.get(
    "/processes/{process_id}/measures",
    response={200: list[MeasureOut], **READ},
    summary="Measures of the plan (in document order)",
)
@paginate(Pagination)
def measure_list(
    request,
    slug: Slug,
    process_id: ObjectId,
    status: MeasureStatus | None = None,
    field_of_action: FilterId = None,
    responsible_person: FilterId = None,
):
    municipality = municipality_for(request, slug, VIEW)
    process = _process(municipality, process_id)
    plan = _existing_plan(process)
    if plan is None:
        return Measure.objects.none()
    _number(request, plan)
    filters = plan_selectors.MeasureFilter(field=field_of_action, status=status or "", responsible=responsible_person)
    return _with_relations(plan_selectors.measure_table(plan, filters, sort="number", today=timezone.localdate()))


@router.get(
    "/processes/{process_id}/measures/{measure_id}",
    response={200: MeasureOut, **READ},
    summary="A measure with its milestones",
)
def measure_detail(request, slug: Slug, process_id: ObjectId, measure_id: ObjectId):
    municipality = municipality_for(request, slug, VIEW)
    process = _process(municipality, process_id)
    measure = _measure_out(request, municipality, process, measure_id)
    set_last_modified(request, measure.updated_at)
    return measure


@router.post("/processes/{process_id}/measures", response={201: MeasureOut, **WRITE}, summary="Add a measure")
def measure_create(request, slug: Slug, process_id: ObjectId, payload: MeasureCreate):
    municipality = municipality_for(request, slug, EDIT, write=True)
    process = _process(municipality, process_id)
    plan = _plan(process)
    data = _measure_relations(municipality, plan, payload.model_dump())
    measure = plan_services.measure_create(plan=plan, user=request.user, data=data)
    return Status(201, _measure_out(request, municipality, process, measure.pk))


@router.patch(
    "/processes/{process_id}/measures/{measure_id}", response={200: MeasureOut, **WRITE}, summary="Change a measure"
)
def measure_update(request, slug: Slug, process_id: ObjectId, measure_id: ObjectId, payload: MeasureUpdate):
    municipality = municipality_for(request, slug, EDIT, write=True)
    process = _process(municipality, process_id)
    measure = _measure(municipality, process, measure_id)
    data, version = _changes(payload)
    data = _measure_relations(municipality, measure.plan, data)
    plan_services.measure_update(measure=measure, user=request.user, data=data, version=version)
    return _measure_out(request, municipality, process, measure.pk)


@router.patch(
    "/processes/{process_id}/measures/{measure_id}/status",
    response={200: MeasureOut, **WRITE},
    summary="Set the status of a measure (done sets the progress to 100 %)",
)
def measure_status(request, slug: Slug, process_id: ObjectId, measure_id: ObjectId, payload: MeasureStatusIn):
    municipality = municipality_for(request, slug, EDIT, write=True)
    process = _process(municipality, process_id)
    measure = _measure(municipality, process, measure_id)
    plan_services.measure_set_status(measure=measure, user=request.user, status=payload.status, version=payload.version)
    return _measure_out(request, municipality, process, measure.pk)


@router.patch(
    "/processes/{process_id}/measures/{measure_id}/progress",
    response={200: MeasureOut, **WRITE},
    summary="Report the progress of a measure in percent",
)
def measure_progress(request, slug: Slug, process_id: ObjectId, measure_id: ObjectId, payload: MeasureProgressIn):
    municipality = municipality_for(request, slug, EDIT, write=True)
    process = _process(municipality, process_id)
    measure = _measure(municipality, process, measure_id)
    plan_services.measure_update(
        measure=measure, user=request.user, data={"progress": payload.progress}, version=payload.version
    )
    return _measure_out(request, municipality, process, measure.pk)


@router.delete("/processes/{process_id}/measures/{measure_id}", response=DELETE, summary="Delete a measure")
def measure_delete(request, slug: Slug, process_id: ObjectId, measure_id: ObjectId):
    municipality = municipality_for(request, slug, EDIT, write=True)
    process = _process(municipality, process_id)
    plan_services.measure_delete(measure=_measure(municipality, process, measure_id), user=request.user)
    return Status(204, None)


def _milestone(measure: Measure, milestone_id: int) -> Milestone:
    milestone = get_object_or_404(Milestone.objects.filter(measure=measure), pk=milestone_id)
    milestone.measure = measure
    return milestone


@router.post(
    "/processes/{process_id}/measures/{measure_id}/milestones",
    response={201: MilestoneOut, **WRITE},
    summary="Add a milestone to a measure",
)
def milestone_create(request, slug: Slug, process_id: ObjectId, measure_id: ObjectId, payload: MilestoneCreate):
    municipality = municipality_for(request, slug, EDIT, write=True)
    measure = _measure(municipality, _process(municipality, process_id), measure_id)
    milestone = plan_services.milestone_add(measure=measure, user=request.user, **payload.model_dump())
    return Status(201, milestone)


@router.patch(
    "/processes/{process_id}/measures/{measure_id}/milestones/{milestone_id}",
    response={200: MilestoneOut, **WRITE},
    summary="Change a milestone or mark it reached (done_on) or open (done_on null)",
)
def milestone_update(
    request,
    slug: Slug,
    process_id: ObjectId,
    measure_id: ObjectId,
    milestone_id: ObjectId,
    payload: MilestoneUpdate,
):
    municipality = municipality_for(request, slug, EDIT, write=True)
    measure = _measure(municipality, _process(municipality, process_id), measure_id)
    milestone = _milestone(measure, milestone_id)
    data, version = _changes(payload)
    values = {
        "title": data.get("title", milestone.title),
        "due_date": data.get("due_date", milestone.due_date),
        "done_on": data.get("done_on", milestone.done_on),
    }
    return plan_services.milestone_update(milestone=milestone, user=request.user, version=version, **values)


@router.delete(
    "/processes/{process_id}/measures/{measure_id}/milestones/{milestone_id}",
    response=DELETE,
    summary="Delete a milestone",
)
def milestone_delete(request, slug: Slug, process_id: ObjectId, measure_id: ObjectId, milestone_id: ObjectId):
    municipality = municipality_for(request, slug, EDIT, write=True)
    measure = _measure(municipality, _process(municipality, process_id), measure_id)
    plan_services.milestone_delete(milestone=_milestone(measure, milestone_id), user=request.user)
    return Status(204, None)


# --- Tasks ----------------------------------------------------------------------------------------


def _task(municipality, task_id: int):
    task = get_object_or_404(municipality.tasks.all(), pk=task_id)
    task.municipality = municipality
    return task


def _task_relations(municipality, data: dict) -> dict:
    if "process" in data:
        data["process"] = _one_of(
            municipality.processes.all(),
            data["process"],
            field="process",
            message=_("The process does not belong to this municipality."),
        )
    if "working_group" in data:
        data["working_group"] = _one_of(
            municipality.working_groups.all(),
            data["working_group"],
            field="working_group",
            message=_("The working group does not belong to this municipality."),
        )
    if "assignee" in data:
        data["assignee"] = _member(
            municipality,
            data["assignee"],
            field="assignee",
            message=_("Tasks can only be assigned to members of the municipality's team."),
        )
    if "step" in data:
        data["step"] = data["step"] or ""
    return data


@router.get(
    "/tasks",
    response={200: list[TaskOut], **READ},
    summary="Tasks of the team (in progress and open first, then by due date)",
)
@paginate(Pagination)
def task_list(
    request,
    slug: Slug,
    status: TaskStatus | None = None,
    process: FilterId = None,
    assignee: FilterId = None,
    working_group: FilterId = None,
    overdue: bool | None = None,
):
    municipality = municipality_for(request, slug, VIEW)
    return task_selectors.tasks_for_municipality(
        municipality,
        today=timezone.localdate(),
        status=status,
        process=process,
        assignee=assignee,
        working_group=working_group,
        overdue=overdue,
    )


@router.get("/tasks/{task_id}", response={200: TaskOut, **READ}, summary="A task")
def task_detail(request, slug: Slug, task_id: ObjectId):
    municipality = municipality_for(request, slug, VIEW)
    task = _task(municipality, task_id)
    set_last_modified(request, task.updated_at)
    return task


@router.post("/tasks", response={201: TaskOut, **WRITE}, summary="Create a task")
def task_create(request, slug: Slug, payload: TaskCreate):
    municipality = municipality_for(request, slug, EDIT, write=True)
    data = _task_relations(municipality, payload.model_dump())
    task = task_services.task_create(actor=request.user, municipality=municipality, **data)
    return Status(201, task)


@router.patch("/tasks/{task_id}", response={200: TaskOut, **WRITE}, summary="Change a task (also its status)")
def task_update(request, slug: Slug, task_id: ObjectId, payload: TaskUpdate):
    municipality = municipality_for(request, slug, EDIT, write=True)
    task = _task(municipality, task_id)
    data, version = _changes(payload)
    data = _task_relations(municipality, data)
    return task_services.task_update(actor=request.user, task=task, expected_version=version, **data)


@router.patch(
    "/tasks/{task_id}/status",
    response={200: TaskOut, **WRITE},
    summary="Set the status of a task (editors, and the person it is assigned to whatever their role)",
)
def task_status(request, slug: Slug, task_id: ObjectId, payload: TaskStatusIn):
    municipality = municipality_for(request, slug, VIEW, write=True)
    task = _task(municipality, task_id)
    if not (request.user.has_perm(EDIT, municipality) or task.assignee_id == request.user.pk):
        raise HttpError(403, _("Your role in this Kommune does not allow this."))
    return task_services.task_set_status(actor=request.user, task=task, status=payload.status)


@router.delete("/tasks/{task_id}", response=DELETE, summary="Delete a task")
def task_delete(request, slug: Slug, task_id: ObjectId):
    municipality = municipality_for(request, slug, EDIT, write=True)
    task_services.task_delete(actor=request.user, task=_task(municipality, task_id))
    return Status(204, None)
