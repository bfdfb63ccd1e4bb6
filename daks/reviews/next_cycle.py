"""Next cycle: start a new strategy process that continues from where the old one stands.

``cycle_start`` (Koordination only) creates the new process in one transaction and carries over

* the fields of action (copies with their priorities and descriptions),
* the Kommunalprofil's SWOT entries and the interpretation texts, marked as taken over from the previous cycle
  (the statistics themselves are always read live from the demography engine, so they are refreshed anyway;
  evidence links to the old process's inventory and interviews are not copied, their text is),
* the current plan: a new Werkstattplan whose goals and measures are copied from the newest plan version (or the
  live plan if no version was saved), mapped to the copied fields of action. Dropped measures are not carried
  over; milestones already reached are left behind.

Actors belong to the Kommune, not to a process: the new process simply uses them (partners of measures are
matched by name). The old process keeps everything. One audit entry records the counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.municipalities.models import Role
from daks.municipalities.rules import role_of
from daks.plans.models import Goal, Measure, MeasureStatus, Milestone, Plan, PlanVersion
from daks.profile.models import FieldOfAction, ProfileInterpretation, SwotItem
from daks.strategy.models import Actor, StrategyProcess


def can_start_cycle(user, municipality) -> bool:
    return role_of(user, municipality) == Role.COORDINATION


def default_title(process: StrategyProcess) -> str:
    cycles = StrategyProcess.objects.filter(municipality_id=process.municipality_id, title__startswith=process.title)
    number = max(2, cycles.count() + 1)
    return (_("%(title)s – cycle %(number)s") % {"title": process.title, "number": number})[:200]


@dataclass
class CycleResult:
    process: StrategyProcess
    fields_of_action: int
    swot_items: int
    interpretations: int
    goals: int
    measures: int
    source: str  # the version's name, or "" for the live plan


def _dec(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _marked(text: str, marker: str, max_length: int) -> str:
    text = (text or "").strip()
    combined = f"{text}\n\n{marker}" if text else marker
    return combined if len(combined) <= max_length else text[:max_length]


def _plan_source(process) -> tuple[dict | None, str]:
    """The snapshot to carry over: the newest version's, else the live plan's (None when there is no plan)."""
    from daks.plans.versions import load_snapshot, plan_snapshot

    plan = Plan.objects.filter(process=process).select_related("municipality", "process").first()
    if plan is None:
        return None, ""
    version = PlanVersion.objects.filter(plan=plan).order_by("-date", "-id").first()
    if version is not None:
        return load_snapshot(version.snapshot), version.name
    return plan_snapshot(plan), ""


@transaction.atomic
def cycle_start(*, actor, process: StrategyProcess, title: str = "", start_date: datetime.date) -> CycleResult:
    from daks.strategy.services import process_create

    municipality = process.municipality
    if not can_start_cycle(actor, municipality):
        raise DomainError(_("Only the coordination may start a new cycle."))
    title = " ".join((title or "").split()) or default_title(process)
    if start_date is None:
        raise DomainError(_("Please enter the start date of the new cycle."), field="start_date")
    snapshot, source = _plan_source(process)
    new = process_create(
        actor=actor,
        municipality=municipality,
        title=title,
        start_date=start_date,
        scope=process.scope,
        region_key=process.region_key,
        coordinators=list(process.coordinators.all()),
    )
    marker = _("Taken over from the previous cycle “%(title)s”.") % {"title": process.title}

    # Fields of action (all of the old process, in their order) and the SWOT entries supporting them.
    swot_map: dict[int, SwotItem] = {}
    for item in SwotItem.objects.filter(process=process).order_by("quadrant", "position", "id"):
        swot_map[item.pk] = SwotItem.objects.create(
            process=new,
            municipality=municipality,
            quadrant=item.quadrant,
            text=item.text,
            evidence=_marked(item.evidence, marker, 2000),
            evidence_url=item.evidence_url,
            evidence_indicator=item.evidence_indicator,
            position=item.position,
            author=item.author,
        )
    field_map: dict[int, FieldOfAction] = {}
    for foa in FieldOfAction.objects.filter(process=process).prefetch_related("swot_items").order_by("priority", "id"):
        copy = FieldOfAction.objects.create(
            process=new,
            municipality=municipality,
            title=foa.title,
            description=foa.description,
            priority=foa.priority,
            author=foa.author,
        )
        copy.swot_items.set([swot_map[item.pk] for item in foa.swot_items.all() if item.pk in swot_map])
        field_map[foa.pk] = copy
    interpretations = 0
    for interpretation in ProfileInterpretation.objects.filter(process=process).exclude(text=""):
        ProfileInterpretation.objects.create(
            process=new,
            municipality=municipality,
            section=interpretation.section,
            text=_marked(interpretation.text, marker, 5000),
            updated_by=interpretation.updated_by,
        )
        interpretations += 1

    goals = measures = 0
    if snapshot is not None:
        goals, measures = _copy_plan(snapshot, process=process, new=new, field_map=field_map, actor=actor)

    result = CycleResult(
        process=new,
        fields_of_action=len(field_map),
        swot_items=len(swot_map),
        interpretations=interpretations,
        goals=goals,
        measures=measures,
        source=source,
    )
    log_action(
        "reviews.cycle.started",
        actor=actor,
        municipality=municipality,
        obj=new,
        process=new.pk,
        previous_process=process.pk,
        fields_of_action=result.fields_of_action,
        swot_items=result.swot_items,
        goals=goals,
        measures=measures,
        plan_version=source,
    )
    return result


def _copy_plan(snapshot: dict, *, process, new, field_map: dict, actor) -> tuple[int, int]:
    municipality = new.municipality
    plan = Plan.objects.create(
        process=new,
        municipality=municipality,
        vision=snapshot.get("vision", ""),
        introduction=snapshot.get("introduction", ""),
    )
    actors = {actor_.name: actor_ for actor_ in Actor.objects.filter(municipality=municipality)}
    members = {
        membership.user.email.lower(): membership.user for membership in municipality.memberships.select_related("user")
    }
    next_priority = max((foa.priority for foa in field_map.values()), default=0) + 1
    goal_map: dict[int, Goal] = {}
    measure_count = 0
    for entry in snapshot.get("fields_of_action", []):
        foa = field_map.get(entry["id"])
        if foa is None:  # deleted from the profile since the version was saved: recreate it
            foa = FieldOfAction.objects.create(
                process=new,
                municipality=municipality,
                title=entry["title"][:200],
                description=entry.get("description", ""),
                priority=next_priority,
            )
            next_priority += 1
            field_map[entry["id"]] = foa
        for position, goal in enumerate(entry.get("goals", []), start=1):
            goal_map[goal["id"]] = Goal.objects.create(
                plan=plan,
                municipality=municipality,
                field_of_action=foa,
                title=goal["title"],
                description=goal.get("description", ""),
                indicator_code=goal.get("indicator_code", ""),
                indicator_name=goal.get("indicator_name", ""),
                unit=goal.get("unit", ""),
                baseline_value=_dec(goal.get("baseline_value")),
                baseline_year=goal.get("baseline_year"),
                target_value=_dec(goal.get("target_value")),
                target_year=goal.get("target_year"),
                position=position,
            )
    for entry in snapshot.get("fields_of_action", []):
        foa = field_map[entry["id"]]
        position = 0
        for item in entry.get("measures", []):
            if item.get("status") == MeasureStatus.DROPPED:
                continue
            position += 1
            measure = Measure.objects.create(
                plan=plan,
                municipality=municipality,
                field_of_action=foa,
                title=item["title"],
                description=item.get("description", ""),
                responsible_unit=item.get("responsible_unit", ""),
                responsible_person=members.get((item.get("responsible_person_email") or "").lower()),
                target_groups=list(item.get("target_groups") or []),
                start_date=_date(item.get("start_date")),
                end_date=_date(item.get("end_date")),
                budget_own=_dec(item.get("budget_own")) or Decimal("0"),
                budget_third_party=_dec(item.get("budget_third_party")) or Decimal("0"),
                budget_secured=_dec(item.get("budget_secured")) or Decimal("0"),
                funding_programme=item.get("funding_programme", ""),
                funding_url=item.get("funding_url", ""),
                priority=item.get("priority") or "medium",
                status=item.get("status") or MeasureStatus.IDEA,
                progress=item.get("progress") or 0,
                position=position,
                created_by=actor,
            )
            measure.goals.set([goal_map[pk] for pk in item.get("goal_ids", []) if pk in goal_map])
            measure.partners.set([actors[name] for name in item.get("partners", []) if name in actors])
            Milestone.objects.bulk_create(
                [
                    Milestone(measure=measure, title=milestone["title"], due_date=_date(milestone["due_date"]))
                    for milestone in item.get("milestones", [])
                    if not milestone.get("done_on") and milestone.get("due_date")
                ]
            )
            measure_count += 1
    return len(goal_map), measure_count
