"""Writes of the Werkstattplan: vision and introduction, goals, measures, milestones, saved filters.

Every function is keyword-only, runs in one transaction, raises ``DomainError`` with a German message when a
rule is violated (nothing is written then) and records an audit log entry ``plans.<entity>.<verb>`` whose data
carries ``process`` (so it appears in the process activity feed) and, for measures and milestones, ``measure``
(the change history of a measure is read from these entries; updates list the changed fields under ``changes``).

Measures are written from a ``data`` dict whose keys are the model field names plus ``goals`` (goals of the same
plan), ``partners`` (actors of the same Kommune), ``target_groups`` (``TargetGroup`` values) and, on creation,
optionally ``milestones`` (dicts with ``title``, ``due_date`` and optionally ``done_on``). The importer calls
``measure_create`` with the same dict. On update, keys missing from ``data`` keep their stored value.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.core.errors import EditConflict as BaseEditConflict

from .models import Goal, Measure, MeasureStatus, Milestone, Plan, Priority, SavedFilter, TargetGroup

#: Fields of a measure that ``data`` may set (besides the relations goals, partners and milestones).
MEASURE_FIELDS = (
    "field_of_action",
    "title",
    "description",
    "responsible_unit",
    "responsible_person",
    "target_groups",
    "start_date",
    "end_date",
    "budget_own",
    "budget_third_party",
    "budget_secured",
    "funding_programme",
    "funding_url",
    "priority",
    "status",
    "progress",
)
GOAL_FIELDS = (
    "field_of_action",
    "title",
    "description",
    "indicator_code",
    "indicator_name",
    "unit",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
)
MIN_YEAR, MAX_YEAR = 1950, 2100
MAX_AMOUNT = Decimal("999999999999.99")


class PlanEditConflict(BaseEditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed the plan text in the meantime. The saved version is shown next to your "
        "input; check it and save again to keep your version."
    )


class GoalEditConflict(BaseEditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed this goal in the meantime. The saved version is shown next to your input; "
        "check it and save again to keep your version."
    )


class MeasureEditConflict(BaseEditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed this measure in the meantime. The saved version is shown next to your input; "
        "check it and save again to keep your version."
    )


class MilestoneEditConflict(BaseEditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed this milestone in the meantime. Check it and save again to keep your version."
    )


def _log(action: str, *, user, plan: Plan, obj=None, **data) -> None:
    log_action(action, actor=user, municipality=plan.municipality, obj=obj, process=plan.process_id, **data)


def _move(queryset, obj, *, direction: str) -> bool:
    """Swap ``obj`` with its neighbour in ``queryset`` (renumbered 1…n first). False at the edge."""
    if direction not in ("up", "down"):
        raise DomainError(_("Please choose a valid direction."))
    ids = list(queryset.select_for_update().order_by("position", "id").values_list("id", flat=True))
    index = ids.index(obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(ids):
        return False
    ids[index], ids[other] = ids[other], ids[index]
    for number, pk in enumerate(ids, start=1):
        # .update() keeps updated_at (the version): reordering does not conflict with an open edit form.
        queryset.filter(pk=pk).update(position=number)
    return True


def _next_position(queryset) -> int:
    return (queryset.select_for_update().order_by("-position").values_list("position", flat=True).first() or 0) + 1


def _text(value, *, field: str, max_length: int, required_message=None) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required_message and not value:
        raise DomainError(required_message, field=field)
    if len(value) > max_length:
        raise DomainError(
            _("Please shorten this text to at most %(count)d characters.") % {"count": max_length}, field=field
        )
    return value


def _decimal(value, *, field: str, allow_none: bool) -> Decimal | None:
    if value is None or value == "":
        if allow_none:
            return None
        return Decimal("0")
    try:
        number = Decimal(str(value).strip().replace(" ", ""))
    except InvalidOperation:
        raise DomainError(_("Please enter a number."), field=field) from None
    if not number.is_finite() or abs(number) > MAX_AMOUNT:
        raise DomainError(_("Please enter a smaller number."), field=field)
    return number


def _year(value, *, field: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise DomainError(_("Please enter a year such as 2026."), field=field) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(
            _("Please enter a year between %(start)d and %(end)d.") % {"start": MIN_YEAR, "end": MAX_YEAR},
            field=field,
        )
    return year


def _date(value, *, field: str) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError(_("Please enter a valid date."), field=field) from None


def _check_field_of_action(plan: Plan, field_of_action, *, field: str = "field_of_action"):
    if field_of_action is None:
        raise DomainError(_("Please choose a field of action."), field=field)
    if field_of_action.process_id != plan.process_id or field_of_action.municipality_id != plan.municipality_id:
        raise DomainError(_("Please choose a field of action of this strategy process."), field=field)
    return field_of_action


def _jsonable(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal | datetime.date):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    if hasattr(value, "pk"):
        return str(value)
    return str(value)


# --- Plan ---------------------------------------------------------------------------------------


def plan_get_or_create(*, process) -> Plan:
    """The plan of ``process`` (created empty on first use).

    Every plan page calls this: the usual case is one read, without a transaction (on SQLite a transaction here
    would take the write lock for a page view)."""
    plan = Plan.objects.filter(process=process).first()
    return plan if plan is not None else _plan_create(process)


@transaction.atomic
def _plan_create(process) -> Plan:
    plan, _created = Plan.objects.get_or_create(process=process, defaults={"municipality_id": process.municipality_id})
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, user, vision: str, introduction: str, version: str | None = None) -> Plan:
    """Save the guiding statement (vision) and the introduction (Markdown, rendered sanitised)."""
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    if version and version != current.version:
        raise PlanEditConflict(current)
    current.vision = _text(vision, field="vision", max_length=10000)
    current.introduction = _text(introduction, field="introduction", max_length=20000)
    current.save(update_fields=["vision", "introduction", "updated_at"])
    _log("plans.plan.updated", user=user, plan=current, obj=current)
    return current


# --- Goals --------------------------------------------------------------------------------------


def _clean_goal(plan: Plan, data: dict, current: Goal | None = None) -> dict:
    from daks.profile.selectors import evidence_indicators

    def value(key):
        if key in data:
            return data[key]
        return getattr(current, key) if current is not None else None

    cleaned = {
        "field_of_action": _check_field_of_action(plan, value("field_of_action")),
        "title": _text(value("title"), field="title", max_length=300, required_message=_("Please name the goal.")),
        "description": _text(value("description"), field="description", max_length=5000),
        "indicator_code": _text(value("indicator_code"), field="indicator_code", max_length=60),
        "indicator_name": _text(value("indicator_name"), field="indicator_name", max_length=200),
        "unit": _text(value("unit"), field="unit", max_length=40),
        "baseline_value": _decimal(value("baseline_value"), field="baseline_value", allow_none=True),
        "baseline_year": _year(value("baseline_year"), field="baseline_year"),
        "target_value": _decimal(value("target_value"), field="target_value", allow_none=True),
        "target_year": _year(value("target_year"), field="target_year"),
    }
    if cleaned["indicator_code"]:
        if cleaned["indicator_code"] not in dict(evidence_indicators()):
            raise DomainError(_("Please choose one of the listed indicators."), field="indicator_code")
        if cleaned["indicator_name"]:
            raise DomainError(
                _("Please choose either an official indicator or an own indicator, not both."), field="indicator_name"
            )
    if cleaned["indicator_name"] and not cleaned["unit"]:
        raise DomainError(_("Please give the unit of your own indicator (e.g. places, %, persons)."), field="unit")
    for kind in ("baseline", "target"):
        if (cleaned[f"{kind}_value"] is None) != (cleaned[f"{kind}_year"] is None):
            raise DomainError(_("Please give the value together with its year."), field=f"{kind}_year")
    if (cleaned["baseline_value"] is not None or cleaned["target_value"] is not None) and not (
        cleaned["indicator_code"] or cleaned["indicator_name"]
    ):
        raise DomainError(_("Please choose the indicator the values refer to."), field="indicator_code")
    if cleaned["baseline_year"] and cleaned["target_year"] and cleaned["target_year"] < cleaned["baseline_year"]:
        raise DomainError(_("The target year must not be before the baseline year."), field="target_year")
    return cleaned


@transaction.atomic
def goal_create(*, plan: Plan, user, data: dict) -> Goal:
    cleaned = _clean_goal(plan, data)
    siblings = Goal.objects.filter(plan=plan, field_of_action=cleaned["field_of_action"])
    goal = Goal.objects.create(
        plan=plan, municipality_id=plan.municipality_id, position=_next_position(siblings), **cleaned
    )
    _log("plans.goal.created", user=user, plan=plan, obj=goal, goal=goal.pk)
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, user, data: dict, version: str | None = None) -> Goal:
    current = Goal.objects.select_for_update().filter(pk=goal.pk).select_related("plan").first()
    if current is None:
        raise DomainError(_("This goal has been deleted in the meantime."))
    if version and version != current.version:
        raise GoalEditConflict(current)
    cleaned = _clean_goal(current.plan, data, current)
    if cleaned["field_of_action"].pk != current.field_of_action_id:
        siblings = Goal.objects.filter(plan=current.plan, field_of_action=cleaned["field_of_action"])
        current.position = _next_position(siblings)
    changes = {
        key: [_jsonable(getattr(current, key)), _jsonable(new)]
        for key, new in cleaned.items()
        if getattr(current, key) != new
    }
    for key, new in cleaned.items():
        setattr(current, key, new)
    current.save()
    _log("plans.goal.updated", user=user, plan=current.plan, obj=current, goal=current.pk, changes=changes)
    return current


@transaction.atomic
def goal_delete(*, goal: Goal, user) -> None:
    _log("plans.goal.deleted", user=user, plan=goal.plan, obj=goal, goal=goal.pk)
    goal.delete()


@transaction.atomic
def goal_move(*, goal: Goal, user, direction: str) -> bool:
    """Move ``goal`` up or down among the goals of its field of action."""
    siblings = Goal.objects.filter(plan_id=goal.plan_id, field_of_action_id=goal.field_of_action_id)
    moved = _move(siblings, goal, direction=direction)
    if moved:
        _log("plans.goal.moved", user=user, plan=goal.plan, obj=goal, goal=goal.pk, direction=direction)
    return moved


# --- Measures -----------------------------------------------------------------------------------


def _check_person(plan: Plan, person):
    if person is None:
        return None
    if not plan.municipality.memberships.filter(user_id=person.pk).exists():
        raise DomainError(_("Please choose a member of the municipality's team."), field="responsible_person")
    return person


def _clean_measure(plan: Plan, data: dict, current: Measure | None = None) -> dict:
    def value(key):
        if key in data:
            return data[key]
        return getattr(current, key) if current is not None else None

    cleaned = {
        "field_of_action": _check_field_of_action(plan, value("field_of_action")),
        "title": _text(
            value("title"), field="title", max_length=300, required_message=_("Please give the measure a title.")
        ),
        "description": _text(value("description"), field="description", max_length=20000),
        "responsible_unit": _text(value("responsible_unit"), field="responsible_unit", max_length=200),
        "responsible_person": _check_person(plan, value("responsible_person")),
        "funding_programme": _text(value("funding_programme"), field="funding_programme", max_length=300),
        "funding_url": _text(value("funding_url"), field="funding_url", max_length=500),
        "start_date": _date(value("start_date"), field="start_date"),
        "end_date": _date(value("end_date"), field="end_date"),
    }
    if cleaned["funding_url"]:
        try:
            URLValidator(schemes=["http", "https"])(cleaned["funding_url"])
        except ValidationError:
            raise DomainError(_("Please enter a complete web address (https://…)."), field="funding_url") from None
    if cleaned["start_date"] and cleaned["end_date"] and cleaned["end_date"] < cleaned["start_date"]:
        raise DomainError(_("The end must not be before the start."), field="end_date")

    target_groups = value("target_groups") or []
    if isinstance(target_groups, str):
        target_groups = [target_groups]
    unknown = [group for group in target_groups if group not in TargetGroup.values]
    if unknown:
        raise DomainError(_("Please choose target groups from the list."), field="target_groups")
    cleaned["target_groups"] = [group for group in TargetGroup.values if group in set(target_groups)]

    priority = value("priority") or Priority.MEDIUM
    if priority not in Priority.values:
        raise DomainError(_("Please choose a valid priority."), field="priority")
    cleaned["priority"] = priority
    status = value("status") or MeasureStatus.IDEA
    if status not in MeasureStatus.values:
        raise DomainError(_("Please choose a valid status."), field="status")
    cleaned["status"] = status

    progress = value("progress")
    try:
        progress = int(progress or 0)
    except (TypeError, ValueError):
        raise DomainError(_("Please enter the progress as a whole number from 0 to 100."), field="progress") from None
    if not 0 <= progress <= 100:
        raise DomainError(_("Please enter the progress as a whole number from 0 to 100."), field="progress")
    cleaned["progress"] = progress

    for key in ("budget_own", "budget_third_party", "budget_secured"):
        amount = _decimal(value(key), field=key, allow_none=False).quantize(Decimal("0.01"))
        if amount < 0:
            raise DomainError(_("Amounts must not be negative."), field=key)
        cleaned[key] = amount
    if cleaned["budget_secured"] > cleaned["budget_own"] + cleaned["budget_third_party"]:
        raise DomainError(
            _("The secured amount must not exceed own funds plus third-party funding."), field="budget_secured"
        )
    return cleaned


def _clean_relations(plan: Plan, data: dict) -> dict:
    relations = {}
    if "goals" in data:
        goals = list(data["goals"] or [])
        if any(goal.plan_id != plan.pk for goal in goals):
            raise DomainError(_("Please choose goals of this plan."), field="goals")
        relations["goals"] = goals
    if "partners" in data:
        partners = list(data["partners"] or [])
        if any(actor.municipality_id != plan.municipality_id for actor in partners):
            raise DomainError(_("Please choose partners from your municipality's actors."), field="partners")
        relations["partners"] = partners
    return relations


def _clean_milestone(title, due_date, done_on=None) -> dict:
    return {
        "title": _text(title, field="title", max_length=300, required_message=_("Please name the milestone.")),
        "due_date": _date(due_date, field="due_date") or _raise(_("Please enter the due date."), "due_date"),
        "done_on": _date(done_on, field="done_on"),
    }


def _raise(message, field):
    raise DomainError(message, field=field)


@transaction.atomic
def measure_create(*, plan: Plan, user, data: dict) -> Measure:
    """Create a measure at the end of its field of action (see the module docstring for ``data``)."""
    cleaned = _clean_measure(plan, data)
    relations = _clean_relations(plan, data)
    milestones = [
        _clean_milestone(item.get("title"), item.get("due_date"), item.get("done_on"))
        for item in data.get("milestones") or []
    ]
    siblings = Measure.objects.filter(plan=plan, field_of_action=cleaned["field_of_action"])
    measure = Measure.objects.create(
        plan=plan,
        municipality_id=plan.municipality_id,
        position=_next_position(siblings),
        created_by=user if getattr(user, "is_authenticated", False) else None,
        **cleaned,
    )
    if relations.get("goals"):
        measure.goals.set(relations["goals"])
    if relations.get("partners"):
        measure.partners.set(relations["partners"])
    Milestone.objects.bulk_create([Milestone(measure=measure, **item) for item in milestones])
    _log("plans.measure.created", user=user, plan=plan, obj=measure, measure=measure.pk)
    return measure


def _locked_measure(measure: Measure) -> Measure:
    current = Measure.objects.select_for_update().filter(pk=measure.pk).select_related("plan__municipality").first()
    if current is None:
        raise DomainError(_("This measure has been deleted in the meantime."))
    return current


@transaction.atomic
def measure_update(*, measure: Measure, user, data: dict, version: str | None) -> Measure:
    """Change a measure; keys missing from ``data`` keep their value. ``version`` as shown in the form."""
    current = _locked_measure(measure)
    if version and version != current.version:
        raise MeasureEditConflict(current)
    plan = current.plan
    cleaned = _clean_measure(plan, data, current)
    relations = _clean_relations(plan, data)
    changes = {
        key: [_jsonable(getattr(current, key)), _jsonable(new)]
        for key, new in cleaned.items()
        if getattr(current, key) != new
    }
    for key, items in relations.items():
        before = set(getattr(current, key).values_list("pk", flat=True))
        if before != {item.pk for item in items}:
            old = [str(item) for item in getattr(current, key).all()]
            changes[key] = [sorted(old), sorted(str(item) for item in items)]
    if cleaned["field_of_action"].pk != current.field_of_action_id:
        siblings = Measure.objects.filter(plan=plan, field_of_action=cleaned["field_of_action"])
        current.position = _next_position(siblings)
    for key, new in cleaned.items():
        setattr(current, key, new)
    current.save()
    for key, items in relations.items():
        getattr(current, key).set(items)
    _log("plans.measure.updated", user=user, plan=plan, obj=current, measure=current.pk, changes=changes)
    return current


@transaction.atomic
def measure_delete(*, measure: Measure, user) -> None:
    _log("plans.measure.deleted", user=user, plan=measure.plan, obj=measure, measure=measure.pk)
    measure.delete()


@transaction.atomic
def measure_move(*, measure: Measure, user, direction: str) -> bool:
    """Move ``measure`` up or down within its field of action (the order of the document)."""
    siblings = Measure.objects.filter(plan_id=measure.plan_id, field_of_action_id=measure.field_of_action_id)
    moved = _move(siblings, measure, direction=direction)
    if moved:
        _log("plans.measure.moved", user=user, plan=measure.plan, obj=measure, measure=measure.pk, direction=direction)
    return moved


@transaction.atomic
def measure_set_status(*, measure: Measure, user, status: str, version: str | None = None) -> Measure:
    """Set the status (the kanban move). Done sets the progress to 100 %."""
    if status not in MeasureStatus.values:
        raise DomainError(_("Please choose a valid status."), field="status")
    current = _locked_measure(measure)
    if version and version != current.version:
        raise MeasureEditConflict(current)
    old = current.status
    if old == status:
        return current
    current.status = status
    fields = ["status", "updated_at"]
    changes = {"status": [old, status]}
    if status == MeasureStatus.DONE and current.progress != 100:
        changes["progress"] = [current.progress, 100]
        current.progress = 100
        fields.append("progress")
    current.save(update_fields=fields)
    _log("plans.measure.status_changed", user=user, plan=current.plan, obj=current, measure=current.pk, changes=changes)
    return current


# --- Milestones ---------------------------------------------------------------------------------


@transaction.atomic
def milestone_add(*, measure: Measure, user, title: str, due_date) -> Milestone:
    cleaned = _clean_milestone(title, due_date)
    milestone = Milestone.objects.create(measure=measure, **cleaned)
    _log(
        "plans.milestone.created",
        user=user,
        plan=measure.plan,
        obj=milestone,
        measure=measure.pk,
        milestone=milestone.pk,
    )
    return milestone


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, user, title: str, due_date, done_on=None, version: str | None = None
) -> Milestone:
    current = Milestone.objects.select_for_update().filter(pk=milestone.pk).select_related("measure__plan").first()
    if current is None:
        raise DomainError(_("This milestone has been deleted in the meantime."))
    if version and version != current.version:
        raise MilestoneEditConflict(current)
    cleaned = _clean_milestone(title, due_date, done_on)
    changes = {
        key: [_jsonable(getattr(current, key)), _jsonable(new)]
        for key, new in cleaned.items()
        if getattr(current, key) != new
    }
    for key, new in cleaned.items():
        setattr(current, key, new)
    current.save()
    measure = current.measure
    _log(
        "plans.milestone.updated",
        user=user,
        plan=measure.plan,
        obj=current,
        measure=measure.pk,
        milestone=current.pk,
        changes=changes,
    )
    return current


@transaction.atomic
def milestone_delete(*, milestone: Milestone, user) -> None:
    measure = milestone.measure
    _log(
        "plans.milestone.deleted",
        user=user,
        plan=measure.plan,
        obj=milestone,
        measure=measure.pk,
        milestone=milestone.pk,
    )
    milestone.delete()


@transaction.atomic
def milestone_toggle_done(*, milestone: Milestone, user, today: datetime.date | None = None) -> Milestone:
    """Mark a milestone as reached today, or as open again."""
    current = Milestone.objects.select_for_update().select_related("measure__plan").get(pk=milestone.pk)
    current.done_on = None if current.done_on else (today or datetime.date.today())
    current.save(update_fields=["done_on", "updated_at"])
    measure = current.measure
    _log(
        "plans.milestone.reached" if current.done_on else "plans.milestone.reopened",
        user=user,
        plan=measure.plan,
        obj=current,
        measure=measure.pk,
        milestone=current.pk,
    )
    return current


# --- Saved filters ------------------------------------------------------------------------------


@transaction.atomic
def saved_filter_create(*, plan: Plan, user, name: str, query: str) -> SavedFilter:
    """Save the query string of the measures table under ``name`` for the team."""
    from .selectors import normalise_filter_query

    name = _text(name, field="name", max_length=100, required_message=_("Please name the filter."))
    query = normalise_filter_query(query or "")
    if not query:
        raise DomainError(_("Please set at least one filter before saving it."), field="name")
    existing = SavedFilter.objects.select_for_update().filter(plan=plan).values_list("name", flat=True)
    if any(other.casefold() == name.casefold() for other in existing):
        raise DomainError(_("A saved filter with this name already exists."), field="name")
    saved = SavedFilter.objects.create(plan=plan, name=name, query=query, created_by=user)
    _log("plans.filter.created", user=user, plan=plan, obj=saved)
    return saved


@transaction.atomic
def saved_filter_delete(*, saved_filter: SavedFilter, user) -> None:
    _log("plans.filter.deleted", user=user, plan=saved_filter.plan, obj=saved_filter)
    saved_filter.delete()
