"""Versions (Fassungen) of the Werkstattplan: frozen JSON snapshots, their comparison and the change history.

A version freezes the whole plan as it was on a day, e.g. "Beschluss Stadtrat 03/2026". Later edits of the
plan never change a version; comparing two versions (or a version with the current plan) shows which goals and
measures were added, removed or changed, field by field. Measures and goals are matched by their database id,
which the snapshot keeps.

Snapshot schema (``PlanVersion.snapshot``, ``"schema": 1``)::

    {
      "schema": 1,
      "generated_at": "2026-03-12T09:30:00+00:00",     # when the snapshot was taken
      "municipality": "Musterstadt", "process": "Musterstadt 2040",
      "vision": "…Markdown…", "introduction": "…Markdown…",
      "fields_of_action": [                              # in the order of the plan (priority)
        {
          "id": 4, "number": "1", "title": "Wohnen im Alter", "description": "…",
          "goals": [
            {"id": 7, "number": "1.1.1", "title": "…", "description": "…",
             "indicator_code": "", "indicator_name": "Plätze", "unit": "Plätze",
             "baseline_value": "120.000", "baseline_year": 2024,         # decimals as strings, or null
             "target_value": "160.000", "target_year": 2030}
          ],
          "measures": [
            {"id": 12, "number": "1.2.2", "position": 1, "title": "…", "description": "…Markdown…",
             "responsible_unit": "Sozialamt", "responsible_person": "Erika Muster",    # name ("" if none)
             "responsible_person_email": "erika@…",
             "partners": ["Seniorenbeirat", "…"],                         # actor names, sorted
             "target_groups": ["seniors"],                                # TargetGroup codes
             "start_date": "2026-04-01", "end_date": "2027-12-31",        # ISO dates or null
             "budget_own": "1000.00", "budget_third_party": "0.00", "budget_secured": "500.00",
             "funding_programme": "…", "funding_url": "https://…",
             "priority": "medium", "status": "planned", "progress": 30,  # codes as in models.py
             "goals": ["…title…"], "goal_ids": [7], "goal_numbers": ["1.1.1"],
             "milestones": [{"id": 3, "title": "…", "due_date": "2026-09-30", "done_on": null}]}
          ]
        }
      ],
      "totals": {"goals": 12, "measures": 40, "budget_own": "…", "budget_third_party": "…", "budget_secured": "…"}
    }

Numbering as everywhere in the plan (``selectors.number_plan``): field of action ``F``, goal ``F.1.g``, measure
``F.2.m``.
A new schema version must come with an upgrade step in ``load_snapshot`` so that old versions stay readable.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry

from .models import Goal, Measure, MeasureStatus, Milestone, Plan, PlanVersion, Priority, TargetGroup

SCHEMA = 1
EMPTY = "—"


# --- Snapshot -----------------------------------------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _dec(value) -> str | None:
    return None if value is None else str(value)


def plan_snapshot(plan: Plan) -> dict:
    """The complete content of ``plan`` as JSON-serialisable data (see the module docstring for the schema).

    Built from ``selectors.plan_tree`` (a constant number of queries), so versions are numbered like the live plan.
    """
    from .selectors import plan_tree

    snapshot_fields = []
    totals = {"goals": 0, "measures": 0, "own": Decimal("0"), "third": Decimal("0"), "secured": Decimal("0")}
    for node in plan_tree(plan):
        foa = node.field
        goals = [
            {
                "id": goal.pk,
                "number": goal.number,
                "title": goal.title,
                "description": goal.description,
                "indicator_code": goal.indicator_code,
                "indicator_name": goal.indicator_name,
                "unit": goal.unit,
                "baseline_value": _dec(goal.baseline_value),
                "baseline_year": goal.baseline_year,
                "target_value": _dec(goal.target_value),
                "target_year": goal.target_year,
            }
            for goal in node.goals
        ]
        numbers = {goal["id"]: goal["number"] for goal in goals}
        measures = []
        for measure in node.measures:
            person = measure.responsible_person
            measure_goals = sorted(measure.goals.all(), key=lambda goal: (_number_key(numbers, goal), goal.pk))
            measures.append(
                {
                    "id": measure.pk,
                    "number": measure.number,
                    "position": measure.position,
                    "title": measure.title,
                    "description": measure.description,
                    "responsible_unit": measure.responsible_unit,
                    "responsible_person": str(person) if person else "",
                    "responsible_person_email": person.email if person else "",
                    "partners": sorted(partner.name for partner in measure.partners.all()),
                    "target_groups": list(measure.target_groups or []),
                    "start_date": _iso(measure.start_date),
                    "end_date": _iso(measure.end_date),
                    "budget_own": _dec(measure.budget_own),
                    "budget_third_party": _dec(measure.budget_third_party),
                    "budget_secured": _dec(measure.budget_secured),
                    "funding_programme": measure.funding_programme,
                    "funding_url": measure.funding_url,
                    "priority": measure.priority,
                    "status": measure.status,
                    "progress": measure.progress,
                    "goals": [goal.title for goal in measure_goals],
                    "goal_ids": [goal.pk for goal in measure_goals],
                    "goal_numbers": [_goal_number(plan, goal, numbers) for goal in measure_goals],
                    "milestones": [
                        {
                            "id": milestone.pk,
                            "title": milestone.title,
                            "due_date": _iso(milestone.due_date),
                            "done_on": _iso(milestone.done_on),
                        }
                        for milestone in measure.milestones.all()
                    ],
                }
            )
            totals["own"] += measure.budget_own or 0
            totals["third"] += measure.budget_third_party or 0
            totals["secured"] += measure.budget_secured or 0
        totals["goals"] += len(goals)
        totals["measures"] += len(measures)
        snapshot_fields.append(
            {
                "id": foa.pk,
                "number": node.number,
                "title": foa.title,
                "description": foa.description,
                "goals": goals,
                "measures": measures,
            }
        )
    return {
        "schema": SCHEMA,
        "generated_at": timezone.now().isoformat(),
        "municipality": plan.municipality.name,
        "process": plan.process.title,
        "vision": plan.vision,
        "introduction": plan.introduction,
        "fields_of_action": snapshot_fields,
        "totals": {
            "goals": totals["goals"],
            "measures": totals["measures"],
            "budget_own": str(totals["own"]),
            "budget_third_party": str(totals["third"]),
            "budget_secured": str(totals["secured"]),
        },
    }


def _goal_number(plan, goal, numbers: dict) -> str:
    """The number of a goal a measure serves (goals of other fields of action are numbered too)."""
    if goal.pk not in numbers:
        numbers.update(_all_goal_numbers(plan))
    return numbers.get(goal.pk, "")


def _all_goal_numbers(plan) -> dict:
    cache = plan.__dict__.setdefault("_version_goal_numbers", None)
    if cache is None:
        from .selectors import plan_numbering

        cache = plan.__dict__["_version_goal_numbers"] = plan_numbering(plan).goals
    return cache


def _number_key(numbers: dict, goal) -> tuple:
    number = numbers.get(goal.pk, "")
    return tuple(int(part) for part in number.split(".") if part.isdigit()) or (10**9,)


def load_snapshot(snapshot: dict) -> dict:
    """``snapshot`` in the current schema (older schemas are upgraded here); raises for unknown schemas."""
    schema = (snapshot or {}).get("schema")
    if schema != SCHEMA:
        raise DomainError(_("This version was saved in an unknown format and cannot be shown."))
    return snapshot


# --- Services -----------------------------------------------------------------------------------------------------


@transaction.atomic
def version_create(*, plan: Plan, actor, name: str, date: datetime.date) -> PlanVersion:
    """Freeze the current state of ``plan`` as a version named ``name`` (e.g. "Beschluss Stadtrat 03/2026")."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Please enter a name for the version."), field="name")
    if len(name) > 200:
        raise DomainError(_("The name may have at most 200 characters."), field="name")
    if date is None:
        raise DomainError(_("Please enter the date of the version."), field="date")
    if PlanVersion.objects.filter(plan=plan, name=name, date=date).exists():
        raise DomainError(_("A version with this name and date already exists."), field="name")
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one snapshot at a time per plan
    snapshot = plan_snapshot(plan)
    version = PlanVersion.objects.create(
        plan=plan, name=name, date=date, snapshot=snapshot, created_by=actor if actor.is_authenticated else None
    )
    log_action(
        "plans.version.created",
        actor=actor,
        municipality=plan.municipality,
        obj=version,
        process=plan.process_id,
        plan=plan.pk,
        version=version.pk,
        measures=snapshot["totals"]["measures"],
    )
    return version


# --- Selectors ----------------------------------------------------------------------------------------------------


def plan_versions(plan: Plan):
    """The versions of ``plan``, newest first (without their snapshots)."""
    return PlanVersion.objects.filter(plan=plan).select_related("created_by").defer("snapshot").order_by("-date", "-id")


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError):
        return None


def _choice_label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _indicator_label(goal: dict) -> str:
    if goal.get("indicator_code"):
        from daks.profile.selectors import indicator_label

        return str(indicator_label(goal["indicator_code"]))
    return goal.get("indicator_name") or ""


def snapshot_document(snapshot: dict) -> dict:
    """A snapshot prepared for the read-only document: dates, decimals and choice labels ready for templates."""
    snapshot = load_snapshot(snapshot)
    fields = []
    for entry in snapshot["fields_of_action"]:
        goals = [
            {
                **goal,
                "baseline_value": _decimal(goal["baseline_value"]),
                "target_value": _decimal(goal["target_value"]),
                "indicator_label": _indicator_label(goal),
            }
            for goal in entry["goals"]
        ]
        measures = []
        for measure in entry["measures"]:
            measures.append(
                {
                    **measure,
                    "start_date": _date(measure["start_date"]),
                    "end_date": _date(measure["end_date"]),
                    "budget_own": _decimal(measure["budget_own"]) or Decimal("0"),
                    "budget_third_party": _decimal(measure["budget_third_party"]) or Decimal("0"),
                    "budget_secured": _decimal(measure["budget_secured"]) or Decimal("0"),
                    "budget_total": (_decimal(measure["budget_own"]) or Decimal("0"))
                    + (_decimal(measure["budget_third_party"]) or Decimal("0")),
                    "status_label": _choice_label(MeasureStatus, measure["status"]),
                    "priority_label": _choice_label(Priority, measure["priority"]),
                    "target_group_labels": [_choice_label(TargetGroup, code) for code in measure["target_groups"]],
                    "goal_refs": [
                        " ".join(part for part in (number, title) if part)
                        for number, title in zip(
                            measure.get("goal_numbers") or [""] * len(measure["goals"]), measure["goals"], strict=False
                        )
                    ],
                    "milestones": [
                        {**milestone, "due_date": _date(milestone["due_date"]), "done_on": _date(milestone["done_on"])}
                        for milestone in measure["milestones"]
                    ],
                }
            )
        fields.append({**entry, "goals": goals, "measures": measures})
    totals = snapshot["totals"]
    return {
        **snapshot,
        "fields_of_action": fields,
        "totals": {
            **totals,
            "budget_own": _decimal(totals["budget_own"]),
            "budget_third_party": _decimal(totals["budget_third_party"]),
            "budget_secured": _decimal(totals["budget_secured"]),
        },
    }


# --- Comparison ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    old: str
    new: str


@dataclass
class ItemChange:
    """A goal or measure that was added, removed or changed between two versions."""

    id: int
    number: str
    title: str
    field_of_action: str
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class VersionDiff:
    plan_changes: list[FieldChange] = field(default_factory=list)
    added_goals: list[ItemChange] = field(default_factory=list)
    removed_goals: list[ItemChange] = field(default_factory=list)
    changed_goals: list[ItemChange] = field(default_factory=list)
    added_measures: list[ItemChange] = field(default_factory=list)
    removed_measures: list[ItemChange] = field(default_factory=list)
    changed_measures: list[ItemChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.plan_changes,
                self.added_goals,
                self.removed_goals,
                self.changed_goals,
                self.added_measures,
                self.removed_measures,
                self.changed_measures,
            )
        )


def _verbose(model, name) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))


def _text(value) -> str:
    value = "" if value is None else str(value)
    return value if value.strip() else EMPTY


def _fmt_date(value) -> str:
    parsed = _date(value)
    return formats.date_format(parsed, "SHORT_DATE_FORMAT") if parsed else EMPTY


def _fmt_money(value) -> str:
    parsed = _decimal(value)
    if parsed is None:
        return EMPTY
    return f"{formats.number_format(parsed, 2, use_l10n=True, force_grouping=True)} €"


def _fmt_number(value) -> str:
    parsed = _decimal(value)
    if parsed is None:
        return EMPTY
    parsed = parsed.normalize() if parsed == parsed.to_integral_value() else parsed
    return formats.number_format(parsed, use_l10n=True, force_grouping=True)


def _fmt_list(values) -> str:
    return "; ".join(str(value) for value in values) if values else EMPTY


def _fmt_milestones(milestones) -> str:
    parts = []
    for milestone in milestones or []:
        text = f"{milestone['title']} ({_fmt_date(milestone['due_date'])})"
        if milestone.get("done_on"):
            text += " ✓ " + _fmt_date(milestone["done_on"])
        parts.append(text)
    return _fmt_list(parts)


def _measure_fields():
    """(key, label, formatter) of the compared fields of a measure, in the order of the measure form."""
    return [
        ("title", _verbose(Measure, "title"), _text),
        ("field_of_action", _verbose(Measure, "field_of_action"), _text),
        ("description", _verbose(Measure, "description"), _text),
        ("responsible_unit", _verbose(Measure, "responsible_unit"), _text),
        ("responsible_person", _verbose(Measure, "responsible_person"), _text),
        ("partners", _verbose(Measure, "partners"), _fmt_list),
        (
            "target_groups",
            _verbose(Measure, "target_groups"),
            lambda codes: _fmt_list([_choice_label(TargetGroup, code) for code in codes or []]),
        ),
        ("start_date", _verbose(Measure, "start_date"), _fmt_date),
        ("end_date", _verbose(Measure, "end_date"), _fmt_date),
        ("budget_own", _verbose(Measure, "budget_own"), _fmt_money),
        ("budget_third_party", _verbose(Measure, "budget_third_party"), _fmt_money),
        ("budget_secured", _verbose(Measure, "budget_secured"), _fmt_money),
        ("funding_programme", _verbose(Measure, "funding_programme"), _text),
        ("funding_url", _verbose(Measure, "funding_url"), _text),
        ("priority", _verbose(Measure, "priority"), lambda value: _choice_label(Priority, value) or EMPTY),
        ("status", _verbose(Measure, "status"), lambda value: _choice_label(MeasureStatus, value) or EMPTY),
        ("progress", _verbose(Measure, "progress"), lambda value: EMPTY if value is None else f"{value} %"),
        ("goals", _verbose(Measure, "goals"), _fmt_list),
        ("milestones", str(capfirst(gettext_lazy("milestones"))), _fmt_milestones),
    ]


def _goal_fields():
    return [
        ("title", _verbose(Goal, "title"), _text),
        ("field_of_action", _verbose(Goal, "field_of_action"), _text),
        ("description", _verbose(Goal, "description"), _text),
        ("indicator_code", _verbose(Goal, "indicator_code"), _text),
        ("indicator_name", _verbose(Goal, "indicator_name"), _text),
        ("unit", _verbose(Goal, "unit"), _text),
        ("baseline_value", _verbose(Goal, "baseline_value"), _fmt_number),
        ("baseline_year", _verbose(Goal, "baseline_year"), _text),
        ("target_value", _verbose(Goal, "target_value"), _fmt_number),
        ("target_year", _verbose(Goal, "target_year"), _text),
    ]


def _items(snapshot: dict, kind: str) -> dict[int, dict]:
    """``{id: item}`` of the goals or measures of a snapshot, each with its field of action's title."""
    items = {}
    for entry in snapshot["fields_of_action"]:
        for item in entry[kind]:
            items[item["id"]] = {**item, "field_of_action": entry["title"]}
    return items


def _comparable(item: dict, key: str):
    value = item.get(key)
    if key == "milestones":
        return [(m.get("title"), m.get("due_date"), m.get("done_on")) for m in value or []]
    if key in ("budget_own", "budget_third_party", "budget_secured", "baseline_value", "target_value"):
        return _decimal(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _compare(old: dict, new: dict, kind: str, spec, diff_added, diff_removed, diff_changed) -> None:
    old_items, new_items = _items(old, kind), _items(new, kind)

    def change(item, changes=None):
        return ItemChange(
            id=item["id"],
            number=item.get("number", ""),
            title=item["title"],
            field_of_action=item["field_of_action"],
            changes=changes or [],
        )

    for pk, item in new_items.items():
        before = old_items.get(pk)
        if before is None:
            diff_added.append(change(item))
            continue
        changes = [
            FieldChange(key=key, label=label, old=formatter(before.get(key)), new=formatter(item.get(key)))
            for key, label, formatter in spec
            if _comparable(before, key) != _comparable(item, key)
        ]
        if changes:
            diff_changed.append(change(item, changes))
    for pk, item in old_items.items():
        if pk not in new_items:
            diff_removed.append(change(item))


def version_diff(old: dict, new: dict) -> VersionDiff:
    """What changed from snapshot ``old`` to snapshot ``new``: goals and measures matched by id.

    Values are formatted for display in the active language (dates, amounts in EUR, choice labels).
    """
    old, new = load_snapshot(old), load_snapshot(new)
    diff = VersionDiff()
    for key, label in (("vision", _verbose(Plan, "vision")), ("introduction", _verbose(Plan, "introduction"))):
        if (old.get(key) or "").strip() != (new.get(key) or "").strip():
            change = FieldChange(key=key, label=label, old=_text(old.get(key)), new=_text(new.get(key)))
            diff.plan_changes.append(change)
    _compare(old, new, "goals", _goal_fields(), diff.added_goals, diff.removed_goals, diff.changed_goals)
    _compare(old, new, "measures", _measure_fields(), diff.added_measures, diff.removed_measures, diff.changed_measures)
    return diff


# --- Change history of a measure (audit trail) --------------------------------------------------------------------

#: Wording of the audit actions about a measure (unknown actions fall back to "Measure changed").
ACTION_LABELS = {
    "plans.measure.created": gettext_lazy("Measure created"),
    "plans.measure.updated": gettext_lazy("Measure changed"),
    "plans.measure.deleted": gettext_lazy("Measure deleted"),
    "plans.measure.moved": gettext_lazy("Measure moved within its field of action"),
    "plans.measure.status_changed": gettext_lazy("Status changed"),
    "plans.milestone.created": gettext_lazy("Milestone added"),
    "plans.milestone.updated": gettext_lazy("Milestone changed"),
    "plans.milestone.deleted": gettext_lazy("Milestone removed"),
    "plans.milestone.reached": gettext_lazy("Milestone reached"),
    "plans.milestone.reopened": gettext_lazy("Milestone marked as open again"),
}


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    what: str
    subject: str
    changes: list[FieldChange]


def _milestone_fields():
    return [
        ("title", _verbose(Milestone, "title"), _text),
        ("due_date", _verbose(Milestone, "due_date"), _fmt_date),
        ("done_on", _verbose(Milestone, "done_on"), _fmt_date),
    ]


def _history_changes(data: dict, *, milestone: bool = False) -> list[FieldChange]:
    """Changed fields recorded by the services: ``changes`` as ``{field: [old, new]}`` or ``fields`` as names."""
    spec = _milestone_fields() if milestone else _measure_fields()
    labels = {key: label for key, label, _formatter in spec}
    formatters = {key: formatter for key, _label, formatter in spec}
    changes = []
    raw = data.get("changes")
    if isinstance(raw, dict):
        for key, values in raw.items():
            old, new = [*values, None, None][:2] if isinstance(values, list) else (None, values)
            formatter = formatters.get(key, _text)
            try:
                old_text, new_text = formatter(old), formatter(new)
            except (TypeError, ValueError, KeyError, AttributeError):
                old_text, new_text = _text(old), _text(new)
            changes.append(FieldChange(key=key, label=labels.get(key, key), old=old_text, new=new_text))
    elif isinstance(data.get("fields"), list):
        for key in data["fields"]:
            changes.append(FieldChange(key=key, label=labels.get(key, key), old="", new=""))
    return changes


def measure_history(measure: Measure) -> list[HistoryEntry]:
    """The audit trail of ``measure`` (entries with ``data.measure == measure.pk``), newest first."""
    entries = (
        AuditLogEntry.objects.filter(municipality_id=measure.municipality_id, data__measure=measure.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
    history = []
    for entry in entries:
        data = entry.data or {}
        history.append(
            HistoryEntry(
                when=entry.created_at,
                who=str(entry.actor) if entry.actor else _("DAKS (automatic)"),
                what=str(ACTION_LABELS.get(entry.action, ACTION_LABELS["plans.measure.updated"])),
                subject=entry.object_repr if entry.action.startswith("plans.milestone.") else "",
                changes=_history_changes(data, milestone=entry.action.startswith("plans.milestone.")),
            )
        )
    return history
