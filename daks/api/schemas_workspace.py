"""Schemas of the workspace endpoints (daks/api/workspace.py).

Bodies carry the limits of the models and forms (lengths, ranges, digits, choices), so invalid input is refused
with 422 before a service runs and no input can make the database fail. The services check the rules beyond
that (German messages, 400). Related objects are given by id under the name the service uses (``process``,
``field_of_action``, ``goals`` …); outputs use the same names, so an object read can be sent back.

Updates are partial (PATCH): only the fields sent are changed. Every editable object is returned with its
``version``; an update that sends the ``version`` it was based on is refused with 409 when somebody else has
saved in between (nothing is written then).
"""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict
from pydantic_core import PydanticCustomError

from daks.municipalities.models import Role
from daks.plans.models import MeasureStatus, Priority, TargetGroup
from daks.profile.models import Quadrant
from daks.strategy.models import ActorKind, Sector, Step, StepStatus, TaskStatus

from .common import FieldError, ValidationErrorOut, german_validation_errors  # noqa: F401 — re-exported

MAX_ID = 2_147_483_647
MAX_RELATED = 500  # ids in one list (goals, partners, SWOT entries, coordinators)
MIN_DATE, MAX_DATE = datetime.date(1950, 1, 1), datetime.date(2100, 12, 31)
MIN_YEAR, MAX_YEAR = 1950, 2100


def plain_text(value: str) -> str:
    """Text the database can store: no NUL characters (pydantic already refuses lone surrogates)."""
    if "\x00" in value:
        raise PydanticCustomError("text_nul", _("The text must not contain NUL characters."))
    return value


def Text(max_length: int, *, required: bool = False) -> Any:
    """A string of at most ``max_length`` characters (at least one non-blank for ``required``)."""
    return Annotated[
        str,
        Field(max_length=max_length, min_length=1 if required else 0, pattern=r"\S" if required else None),
        AfterValidator(plain_text),
    ]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Ids = Annotated[list[Id], Field(max_length=MAX_RELATED)]
Day = Annotated[datetime.date, Field(ge=MIN_DATE, le=MAX_DATE)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Score = Annotated[int, Field(ge=1, le=5)]
Percent = Annotated[int, Field(ge=0, le=100)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2, allow_inf_nan=False)]
IndicatorValue = Annotated[Decimal, Field(max_digits=14, decimal_places=3, allow_inf_nan=False)]
Version = Annotated[
    str,
    Field(
        max_length=64,
        description="The `version` of the object the change is based on; a stale version is refused with 409.",
    ),
    AfterValidator(plain_text),
]


class Body(Schema):
    """Request bodies: unknown fields are refused (a misspelt field would otherwise be ignored silently)."""

    model_config = ConfigDict(extra="forbid")


# --- Members --------------------------------------------------------------------------------------


class MemberOut(Schema):
    id: int = Field(alias="user_id")
    name: str
    role: Role

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.user.name or obj.user.email


# --- Processes ------------------------------------------------------------------------------------


class StepOut(Schema):
    step: Step
    slug: str
    number: int
    title: str
    status: StepStatus
    done: int = Field(description="Required checklist items and criteria fulfilled")
    required: int


class ProcessOut(Schema):
    id: int
    title: str
    scope: str
    region_key: str
    start_date: datetime.date
    coordinators: list[int]
    steps_done: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: str

    @staticmethod
    def resolve_coordinators(obj) -> list[int]:
        return sorted(user.pk for user in obj.coordinators.all())

    @staticmethod
    def resolve_steps_done(obj) -> int:
        annotated = getattr(obj, "steps_done", None)
        if annotated is not None:
            return annotated
        return sum(1 for state in obj.step_states.all() if state.status == StepStatus.DONE)


class ProcessDetailOut(ProcessOut):
    steps: list[StepOut]


class ProcessCreate(Body):
    title: Text(200, required=True)
    scope: Text(2000) = ""
    region_key: Text(12) = Field("", description="Official key of the region (empty: the Kommune's own)")
    start_date: Day
    coordinators: Ids = Field(default_factory=list, description="User ids of members (see /members)")


class ProcessUpdate(Body):
    title: Text(200, required=True) = None
    scope: Text(2000) = None
    region_key: Text(12) = None
    start_date: Day = None
    coordinators: Ids = None
    version: Version | None = None


# --- Actors ---------------------------------------------------------------------------------------


class ActorOut(Schema):
    id: int
    kind: ActorKind
    name: str
    organisation: str
    sector: Sector
    role_in_process: str
    email: str
    phone: str
    contact_consent: bool
    consent_date: datetime.date | None
    influence: int
    interest: int
    notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: str


class ActorCreate(Body):
    kind: ActorKind = ActorKind.ORGANISATION
    name: Text(200, required=True)
    organisation: Text(200) = ""
    sector: Sector = Sector.OTHER
    role_in_process: Text(2000) = ""
    email: Text(254) = Field("", description="Only with contact_consent")
    phone: Text(40) = Field("", description="Only with contact_consent")
    contact_consent: bool = False
    consent_date: Day | None = None
    influence: Score = 3
    interest: Score = 3
    notes: Text(5000) = ""


class ActorUpdate(Body):
    kind: ActorKind = None
    name: Text(200, required=True) = None
    organisation: Text(200) = None
    sector: Sector = None
    role_in_process: Text(2000) = None
    email: Text(254) = None
    phone: Text(40) = None
    contact_consent: bool = None
    consent_date: Day | None = None
    influence: Score = None
    interest: Score = None
    notes: Text(5000) = None
    version: Version | None = None


# --- SWOT -----------------------------------------------------------------------------------------


class SwotItemOut(Schema):
    id: int
    process: int = Field(alias="process_id")
    quadrant: Quadrant
    text: str
    evidence: str
    evidence_url: str
    evidence_indicator: str
    evidence_inventory: int | None = Field(alias="evidence_inventory_id")
    evidence_interview: int | None = Field(alias="evidence_interview_id")
    position: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: str


class SwotItemCreate(Body):
    quadrant: Quadrant
    text: Text(1000, required=True)
    evidence: Text(2000) = ""
    evidence_url: Text(500) = ""
    evidence_indicator: Text(60) = Field("", description="Code of an indicator of the key figures")
    evidence_inventory: Id | None = Field(None, description="Id of an inventory entry of the process")
    evidence_interview: Id | None = Field(None, description="Id of an interview of the process")


class SwotItemUpdate(Body):
    text: Text(1000, required=True) = None
    evidence: Text(2000) = None
    evidence_url: Text(500) = None
    evidence_indicator: Text(60) = None
    evidence_inventory: Id | None = None
    evidence_interview: Id | None = None
    version: Version | None = None


# --- Fields of action -----------------------------------------------------------------------------


class FieldOfActionOut(Schema):
    id: int
    process: int = Field(alias="process_id")
    title: str
    description: str
    priority: int
    swot_items: list[int]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: str

    @staticmethod
    def resolve_swot_items(obj) -> list[int]:
        return sorted(item.pk for item in obj.swot_items.all())


class FieldOfActionCreate(Body):
    title: Text(200, required=True)
    description: Text(5000) = ""
    swot_items: Ids = Field(default_factory=list, description="Ids of supporting SWOT entries of the process")


class FieldOfActionUpdate(Body):
    title: Text(200, required=True) = None
    description: Text(5000) = None
    swot_items: Ids = None
    version: Version | None = None


def _number(context, kind: str, pk: int) -> str:
    """The number in the plan document; the endpoint puts the plan's numbering on the request."""
    numbering = getattr((context or {}).get("request"), "daks_plan_numbering", None)
    return getattr(numbering, kind, {}).get(pk, "") if numbering is not None else ""


# --- Goals ----------------------------------------------------------------------------------------


class GoalOut(Schema):
    id: int
    number: str = Field(description="Number in the plan document, e.g. 2.1.1")
    field_of_action: int = Field(alias="field_of_action_id")
    title: str
    description: str
    indicator_code: str
    indicator_name: str
    unit: str
    baseline_value: Decimal | None
    baseline_year: int | None
    target_value: Decimal | None
    target_year: int | None
    position: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: str

    @staticmethod
    def resolve_number(obj, context) -> str:
        return _number(context, "goals", obj.pk)


class GoalCreate(Body):
    field_of_action: Id
    title: Text(300, required=True)
    description: Text(5000) = ""
    indicator_code: Text(60) = Field("", description="Code of an official indicator (or indicator_name)")
    indicator_name: Text(200) = ""
    unit: Text(40) = ""
    baseline_value: IndicatorValue | None = None
    baseline_year: Year | None = None
    target_value: IndicatorValue | None = None
    target_year: Year | None = None


class GoalUpdate(Body):
    field_of_action: Id = None
    title: Text(300, required=True) = None
    description: Text(5000) = None
    indicator_code: Text(60) = None
    indicator_name: Text(200) = None
    unit: Text(40) = None
    baseline_value: IndicatorValue | None = None
    baseline_year: Year | None = None
    target_value: IndicatorValue | None = None
    target_year: Year | None = None
    version: Version | None = None


# --- Measures and milestones ----------------------------------------------------------------------


class MilestoneOut(Schema):
    id: int
    title: str
    due_date: datetime.date
    done_on: datetime.date | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: str


class MilestoneCreate(Body):
    title: Text(300, required=True)
    due_date: Day


class MilestoneUpdate(Body):
    title: Text(300, required=True) = None
    due_date: Day = None
    done_on: Day | None = Field(None, description="The day the milestone was reached; null: open")
    version: Version | None = None


class MeasureOut(Schema):
    id: int
    number: str = Field(description="Number in the plan document, e.g. 2.2.3")
    field_of_action: int = Field(alias="field_of_action_id")
    goals: list[int]
    title: str
    description: str
    responsible_unit: str
    responsible_person: int | None = Field(alias="responsible_person_id")
    partners: list[int]
    target_groups: list[str]
    start_date: datetime.date | None
    end_date: datetime.date | None
    budget_own: Decimal
    budget_third_party: Decimal
    budget_secured: Decimal
    funding_programme: str
    funding_url: str
    priority: Priority
    status: MeasureStatus
    progress: int
    position: int
    milestones: list[MilestoneOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: str

    @staticmethod
    def resolve_number(obj, context) -> str:
        return _number(context, "measures", obj.pk)

    @staticmethod
    def resolve_goals(obj) -> list[int]:
        return sorted(goal.pk for goal in obj.goals.all())

    @staticmethod
    def resolve_partners(obj) -> list[int]:
        return sorted(actor.pk for actor in obj.partners.all())

    @staticmethod
    def resolve_milestones(obj) -> list:
        return sorted(obj.milestones.all(), key=lambda item: (item.due_date, item.pk))


class MeasureCreate(Body):
    field_of_action: Id
    title: Text(300, required=True)
    description: Text(20000) = Field("", description="Markdown")
    responsible_unit: Text(200) = ""
    responsible_person: Id | None = Field(None, description="User id of a member (see /members)")
    partners: Ids = Field(default_factory=list, description="Ids of actors of the Kommune")
    goals: Ids = Field(default_factory=list, description="Ids of goals of the plan")
    target_groups: Annotated[list[TargetGroup], Field(max_length=len(TargetGroup.values))] = Field(default_factory=list)
    start_date: Day | None = None
    end_date: Day | None = None
    budget_own: Amount = Decimal("0")
    budget_third_party: Amount = Decimal("0")
    budget_secured: Amount = Field(Decimal("0"), description="At most own funds plus third-party funding")
    funding_programme: Text(300) = ""
    funding_url: Text(500) = ""
    priority: Priority = Priority.MEDIUM
    status: MeasureStatus = MeasureStatus.IDEA
    progress: Percent = 0
    milestones: Annotated[list[MilestoneCreate], Field(max_length=50)] = Field(default_factory=list)


class MeasureUpdate(Body):
    field_of_action: Id = None
    title: Text(300, required=True) = None
    description: Text(20000) = None
    responsible_unit: Text(200) = None
    responsible_person: Id | None = None
    partners: Ids = None
    goals: Ids = None
    target_groups: Annotated[list[TargetGroup], Field(max_length=len(TargetGroup.values))] = None
    start_date: Day | None = None
    end_date: Day | None = None
    budget_own: Amount = None
    budget_third_party: Amount = None
    budget_secured: Amount = None
    funding_programme: Text(300) = None
    funding_url: Text(500) = None
    priority: Priority = None
    status: MeasureStatus = None
    progress: Percent = None
    version: Version | None = None


class MeasureStatusIn(Body):
    status: MeasureStatus = Field(description="Done sets the progress to 100 %")
    version: Version | None = None


class MeasureProgressIn(Body):
    progress: Percent = Field(description="Progress in percent (0–100)")
    version: Version | None = None


# --- Tasks ----------------------------------------------------------------------------------------


class TaskOut(Schema):
    id: int
    title: str
    description: str
    process: int | None = Field(alias="process_id")
    step: Step | None
    working_group: int | None = Field(alias="working_group_id")
    assignee: int | None = Field(alias="assignee_id")
    due_date: datetime.date | None
    status: TaskStatus
    completed_at: datetime.datetime | None
    is_overdue: bool
    link_url: str
    link_label: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: str

    @staticmethod
    def resolve_step(obj) -> str | None:
        return obj.step or None

    @staticmethod
    def resolve_is_overdue(obj) -> bool:
        annotated = getattr(obj, "is_overdue", None)
        if annotated is not None:
            return bool(annotated)
        return bool(obj.due_date and obj.status != TaskStatus.DONE and obj.due_date < timezone.localdate())


class TaskCreate(Body):
    title: Text(200, required=True)
    description: Text(5000) = ""
    process: Id | None = None
    step: Step | None = None
    working_group: Id | None = Field(None, description="Without a process the task belongs to the group's process")
    assignee: Id | None = Field(None, description="User id of a member (see /members); they receive an e-mail")
    due_date: Day | None = None
    link_url: Text(300) = Field("", description="Path of a page inside DAKS, e.g. /kommunen/…")
    link_label: Text(200) = ""


class TaskUpdate(Body):
    title: Text(200, required=True) = None
    description: Text(5000) = None
    process: Id | None = None
    step: Step | None = None
    working_group: Id | None = None
    assignee: Id | None = None
    due_date: Day | None = None
    status: TaskStatus = None
    link_url: Text(300) = None
    link_label: Text(200) = None
    version: Version | None = None


class TaskStatusIn(Body):
    status: TaskStatus
