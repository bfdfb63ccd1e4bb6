"""Reads of the Werkstattplan: the numbered plan tree, the filtered measures table, "my measures".

Numbering (the same everywhere: document, table, kanban, exports, versions)
----------------------------------------------------------------------------
The plan is a document with one chapter per field of action, in the ranking of the Kommunalprofil
(``FieldOfAction.priority``, then id). Every chapter has two sections: ``F.1`` goals and ``F.2`` measures.

- field of action: ``F`` — its rank among the fields of action of the process (1, 2, …);
- goal: ``F.1.g`` — ``g`` = its place among the goals of the field (``Goal.position``, then id);
- measure: ``F.2.m`` — ``m`` = its place among the measures of the field (``Measure.position``, then id).

So "Maßnahme 2.2.3" is the third measure of the second field of action and "Ziel 2.1.1" its first goal.
Measures are numbered within their field (not under a goal) because a measure may serve several goals,
and a number must not change when goals are linked. ``number_plan`` works on plain ids, so exports and
frozen versions (JSON snapshots) number the same way as the live pages.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Lower

from daks.profile.models import FieldOfAction

from .models import Goal, Measure, MeasureStatus, Milestone, Plan, SavedFilter, TargetGroup

GOALS_SECTION = 1
MEASURES_SECTION = 2
CLOSED_STATUSES = (MeasureStatus.DONE, MeasureStatus.DROPPED)


@dataclass
class Numbering:
    fields: dict[int, str] = field(default_factory=dict)
    goals: dict[int, str] = field(default_factory=dict)
    measures: dict[int, str] = field(default_factory=dict)


def number_plan(field_ids, goals, measures) -> Numbering:
    """Number a plan (see the module docstring).

    ``field_ids``: ids of the fields of action in ranking order; ``goals`` / ``measures``: ``(id, field_id)``
    pairs, each in document order (position, id). Items of an unknown field get no number.
    """
    numbering = Numbering(fields={pk: str(rank) for rank, pk in enumerate(field_ids, start=1)})
    counters: dict[tuple[int, int], int] = {}
    for section, items, target in (
        (GOALS_SECTION, goals, numbering.goals),
        (MEASURES_SECTION, measures, numbering.measures),
    ):
        for pk, field_id in items:
            if field_id not in numbering.fields:
                continue
            counters[(section, field_id)] = counters.get((section, field_id), 0) + 1
            target[pk] = f"{numbering.fields[field_id]}.{section}.{counters[(section, field_id)]}"
    return numbering


def fields_of_action(plan: Plan):
    return FieldOfAction.objects.filter(process_id=plan.process_id).order_by("priority", "id")


def plan_numbering(plan: Plan) -> Numbering:
    """The numbering of the live plan (three small queries on ids)."""
    return number_plan(
        list(fields_of_action(plan).values_list("id", flat=True)),
        list(Goal.objects.filter(plan=plan).order_by("position", "id").values_list("id", "field_of_action_id")),
        list(Measure.objects.filter(plan=plan).order_by("position", "id").values_list("id", "field_of_action_id")),
    )


def measure_numbers(plan: Plan) -> dict[int, str]:
    """The numbers of the live plan's measures (two small queries on ids; goals are not needed for them)."""
    return number_plan(
        list(fields_of_action(plan).values_list("id", flat=True)),
        [],
        list(Measure.objects.filter(plan=plan).order_by("position", "id").values_list("id", "field_of_action_id")),
    ).measures


def goals_of_plan(plan: Plan) -> list[Goal]:
    """The goals in document order (by field of action ranking), numbered (``goal.number``)."""
    goals = list(
        Goal.objects.filter(plan=plan)
        .select_related("field_of_action")
        .order_by("field_of_action__priority", "field_of_action_id", "position", "id")
    )
    numbering = plan_numbering(plan)
    for goal in goals:
        goal.number = numbering.goals.get(goal.pk, "")
        goal.indicator_label = goal_indicator_label(goal)
    return goals


def goal_indicator_label(goal: Goal) -> str:
    """The official indicator's label, or the name of the own indicator."""
    if goal.indicator_code:
        from daks.profile.selectors import indicator_label

        return str(indicator_label(goal.indicator_code))
    return goal.indicator_name


# --- The plan tree (document) -------------------------------------------------------------------


@dataclass
class FieldNode:
    field: FieldOfAction
    number: str
    goals: list = field(default_factory=list)
    measures: list = field(default_factory=list)


def _milestone_prefetch():
    return Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id"))


def plan_tree(plan: Plan, *, today: datetime.date | None = None) -> list[FieldNode]:
    """Fields of action → goals and measures, numbered; measures with goals, partners and milestones.

    A constant number of queries whatever the size of the plan. ``goal.number``, ``measure.number``,
    ``measure.goal_numbers`` (the numbers of the goals it serves) and ``measure.is_overdue`` are set.
    """
    today = today or datetime.date.today()
    fields = list(fields_of_action(plan))
    goals = list(Goal.objects.filter(plan=plan).order_by("position", "id"))
    measures = list(
        Measure.objects.filter(plan=plan)
        .select_related("responsible_person")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.only("id", "title", "field_of_action_id")),
            Prefetch("partners", queryset=_partner_queryset()),
            _milestone_prefetch(),
        )
        .order_by("position", "id")
    )
    numbering = number_plan(
        [f.pk for f in fields],
        [(g.pk, g.field_of_action_id) for g in goals],
        [(m.pk, m.field_of_action_id) for m in measures],
    )
    nodes = {f.pk: FieldNode(field=f, number=numbering.fields[f.pk]) for f in fields}
    group_labels = dict(TargetGroup.choices)
    for goal in goals:
        goal.number = numbering.goals.get(goal.pk, "")
        goal.indicator_label = goal_indicator_label(goal)
        if goal.field_of_action_id in nodes:
            nodes[goal.field_of_action_id].goals.append(goal)
    for measure in measures:
        measure.number = numbering.measures.get(measure.pk, "")
        measure.goal_numbers = sorted(
            (numbering.goals.get(goal.pk, "") for goal in measure.goals.all()), key=_number_key
        )
        measure.is_overdue = measure_is_overdue(measure, today)
        measure.target_group_labels = [
            group_labels[g] for g in TargetGroup.values if g in (measure.target_groups or [])
        ]
        if measure.field_of_action_id in nodes:
            nodes[measure.field_of_action_id].measures.append(measure)
    return list(nodes.values())


#: The columns of a measure on the document page (``document_tree``).
DOCUMENT_FIELDS = (
    "id", "field_of_action_id", "title", "status", "progress", "responsible_person_id", "responsible_person__name",
    "responsible_unit", "start_date", "end_date", "budget_own", "budget_third_party", "budget_secured",
    "funding_programme", "funding_url", "target_groups",
)  # fmt: skip


def document_tree(plan: Plan, *, today: datetime.date | None = None) -> list[dict]:
    """The plan tree of the document page as plain data: no model instance per measure, six queries.

    ``[{"field": FieldOfAction, "number": "2", "goals": [Goal, …], "measures": [dict, …]}, …]`` — goals as in
    ``plan_tree`` (numbered, ``indicator_label``); measures are dicts of ``DOCUMENT_FIELDS`` plus ``number``,
    ``goal_numbers``, ``partners`` (names), ``milestones`` (dicts: title, due_date, done_on), ``target_group_labels``
    and ``is_overdue``. ``plan_tree`` (models, all fields) serves the exports and the versions.
    """
    today = today or datetime.date.today()
    fields = list(fields_of_action(plan))
    goals = list(Goal.objects.filter(plan=plan).order_by("position", "id"))
    measures = list(Measure.objects.filter(plan=plan).order_by("position", "id").values(*DOCUMENT_FIELDS))
    numbering = number_plan(
        [f.pk for f in fields],
        [(g.pk, g.field_of_action_id) for g in goals],
        [(m["id"], m["field_of_action_id"]) for m in measures],
    )
    by_measure = {m["id"]: m for m in measures}
    for m in measures:
        m["number"] = numbering.measures.get(m["id"], "")
        m["goal_numbers"], m["partners"], m["milestones"] = [], [], []
    links = Measure.goals.through.objects.filter(measure__plan=plan).values_list("measure_id", "goal_id")
    for measure_id, goal_id in links:
        by_measure[measure_id]["goal_numbers"].append(numbering.goals.get(goal_id, ""))
    partners = (
        Measure.partners.through.objects.filter(measure__plan=plan)
        .order_by("actor__name", "actor_id")
        .values_list("measure_id", "actor__name")
    )
    for measure_id, name in partners:
        by_measure[measure_id]["partners"].append(name)
    milestones = (
        Milestone.objects.filter(measure__plan=plan)
        .order_by("due_date", "id")
        .values_list("measure_id", "title", "due_date", "done_on")
    )
    for measure_id, title, due_date, done_on in milestones:
        by_measure[measure_id]["milestones"].append({"title": title, "due_date": due_date, "done_on": done_on})
    nodes = {f.pk: {"field": f, "number": numbering.fields[f.pk], "goals": [], "measures": []} for f in fields}
    group_labels = [(value, str(label)) for value, label in TargetGroup.choices]
    for goal in goals:
        goal.number = numbering.goals.get(goal.pk, "")
        goal.indicator_label = goal_indicator_label(goal)
        if goal.field_of_action_id in nodes:
            nodes[goal.field_of_action_id]["goals"].append(goal)
    for m in measures:
        m["goal_numbers"].sort(key=_number_key)
        m["is_overdue"] = _overdue(m["status"], m["end_date"], m["milestones"], today)
        chosen = m["target_groups"] or []
        m["target_group_labels"] = [label for value, label in group_labels if value in chosen]
        if m["field_of_action_id"] in nodes:
            nodes[m["field_of_action_id"]]["measures"].append(m)
    return list(nodes.values())


def _overdue(status: str, end_date, milestones, today: datetime.date) -> bool:
    if status in CLOSED_STATUSES:
        return False
    if end_date and end_date < today:
        return True
    return any(m["done_on"] is None and m["due_date"] < today for m in milestones)


def _partner_queryset():
    from daks.strategy.models import Actor

    return Actor.objects.only("id", "name", "municipality_id").order_by("name")


def _number_key(number: str):
    return tuple(int(part) for part in number.split(".") if part.isdigit())


def measure_is_overdue(measure: Measure, today: datetime.date) -> bool:
    """End date passed (or a milestone overdue) and the measure is neither done nor dropped."""
    if measure.status in CLOSED_STATUSES:
        return False
    if measure.end_date and measure.end_date < today:
        return True
    return any(m.done_on is None and m.due_date < today for m in measure.milestones.all())


# --- The measures table ---------------------------------------------------------------------------

#: ``?sort=`` keys → order_by expressions (prefix ``-`` for descending). "number" is the document order.
SORTS = {
    "number": ("field_of_action__priority", "field_of_action_id", "position", "id"),
    "title": (Lower("title"), "id"),
    "status": ("status_rank", "id"),
    "responsible": (Lower("responsible_person__name"), "responsible_unit", "id"),
    "start": ("start_date", "id"),
    "end": ("end_date", "id"),
    "progress": ("progress", "id"),
    "budget": ("budget_total_sum", "id"),
    "milestone": ("next_milestone_date", "id"),
}
FILTER_KEYS = ("field", "status", "responsible", "target_group", "year", "overdue")


@dataclass
class MeasureFilter:
    field: int | None = None
    status: str = ""
    responsible: int | None = None
    target_group: str = ""
    year: int | None = None
    overdue: bool = False

    @classmethod
    def from_query(cls, params) -> "MeasureFilter":
        """Parse ``request.GET`` leniently: unknown or malformed values are ignored."""

        def integer(key, low=1, high=10**9):
            try:
                number = int(params.get(key, ""))
            except (TypeError, ValueError):
                return None
            return number if low <= number <= high else None

        status = params.get("status", "")
        target_group = params.get("target_group", "")
        return cls(
            field=integer("field"),
            status=status if status in MeasureStatus.values else "",
            responsible=integer("responsible"),
            target_group=target_group if target_group in TargetGroup.values else "",
            year=integer("year", 1950, 2100),
            overdue=params.get("overdue") in ("1", "on", "true"),
        )

    def as_query(self) -> str:
        values = {
            "field": self.field or "",
            "status": self.status,
            "responsible": self.responsible or "",
            "target_group": self.target_group,
            "year": self.year or "",
            "overdue": "1" if self.overdue else "",
        }
        return urlencode({key: value for key, value in values.items() if value})

    @property
    def active(self) -> bool:
        return bool(self.as_query())


def normalise_filter_query(query: str) -> str:
    """The canonical filter query string (only known filters, plus a valid sort) of ``query``."""
    from django.http import QueryDict

    params = QueryDict(query.lstrip("?"))
    filters = MeasureFilter.from_query(params).as_query()
    sort = params.get("sort", "")
    if sort.lstrip("-") in SORTS and sort != "number":
        return f"{filters}&sort={sort}" if filters else f"sort={sort}"
    return filters


def overdue_q(today: datetime.date) -> Q:
    late_milestone = Milestone.objects.filter(measure=OuterRef("pk"), done_on__isnull=True, due_date__lt=today)
    return ~Q(status__in=CLOSED_STATUSES) & (Q(end_date__lt=today) | Q(Exists(late_milestone)))


def measure_table(plan: Plan, filters: MeasureFilter | None = None, *, sort: str = "number", today=None):
    """The measures of ``plan`` filtered, sorted (whitelist ``SORTS``) and annotated.

    Annotations: ``milestone_count``, ``milestones_open``, ``next_milestone_date``, ``next_milestone_title``,
    ``overdue`` (bool), ``budget_total_sum``. One query; numbering is added by ``number_rows``.
    """
    today = today or datetime.date.today()
    filters = filters or MeasureFilter()
    open_milestones = Milestone.objects.filter(measure=OuterRef("pk"), done_on__isnull=True).order_by("due_date", "id")
    status_rank = {value: index for index, value in enumerate(MeasureStatus.values)}
    queryset = (
        Measure.objects.filter(plan=plan)
        .select_related("field_of_action", "responsible_person")
        .annotate(
            milestone_count=Count("milestones", distinct=True),
            milestones_open=Count("milestones", filter=Q(milestones__done_on__isnull=True), distinct=True),
            next_milestone_date=Subquery(open_milestones.values("due_date")[:1]),
            next_milestone_title=Subquery(open_milestones.values("title")[:1]),
            overdue=ExpressionWrapper(overdue_q(today), output_field=BooleanField()),
            budget_total_sum=F("budget_own") + F("budget_third_party"),
            status_rank=Case(
                *(When(status=value, then=Value(rank)) for value, rank in status_rank.items()),
                output_field=IntegerField(),
            ),
        )
    )
    if filters.field:
        queryset = queryset.filter(field_of_action_id=filters.field)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.responsible:
        queryset = queryset.filter(responsible_person_id=filters.responsible)
    if filters.target_group:
        # JSON list of plain strings: the quoted value is a unique substring (works on SQLite and PostgreSQL).
        queryset = queryset.filter(target_groups__icontains=f'"{filters.target_group}"')
    if filters.year:
        start, end = datetime.date(filters.year, 1, 1), datetime.date(filters.year, 12, 31)
        queryset = queryset.filter(
            Q(start_date__isnull=False) | Q(end_date__isnull=False),
            Q(start_date__isnull=True) | Q(start_date__lte=end),
            Q(end_date__isnull=True) | Q(end_date__gte=start),
        )
    if filters.overdue:
        queryset = queryset.filter(overdue_q(today))
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    order = SORTS.get(key, SORTS["number"])
    if descending and key in SORTS:
        order = tuple(
            (expression.desc(nulls_last=True) if hasattr(expression, "desc") else F(expression).desc(nulls_last=True))
            for expression in order
        )
    else:
        order = tuple(
            (expression.asc(nulls_last=True) if hasattr(expression, "asc") else F(expression).asc(nulls_last=True))
            for expression in order
        )
    return queryset.order_by(*order)


def number_rows(plan: Plan, measures) -> list:
    """Evaluate ``measures`` and set ``measure.number`` (three id-only queries)."""
    rows = list(measures)
    numbering = plan_numbering(plan)
    for measure in rows:
        measure.number = numbering.measures.get(measure.pk, "")
    return rows


def filter_choices(plan: Plan) -> dict:
    """Choices of the table filters: fields of action and the responsible persons (the team)."""
    from daks.accounts.models import User

    return {
        "fields": list(fields_of_action(plan).only("id", "title", "priority")),
        "people": list(
            User.objects.filter(memberships__municipality_id=plan.municipality_id).order_by("name", "id").distinct()
        ),
        "statuses": MeasureStatus.choices,
        "target_groups": TargetGroup.choices,
    }


def saved_filters(plan: Plan):
    return SavedFilter.objects.filter(plan=plan).select_related("created_by").order_by("name")


# --- Kanban ---------------------------------------------------------------------------------------


def kanban_columns(plan: Plan, *, today=None) -> list[tuple[str, str, list[Measure]]]:
    """``(status, label, measures)`` per status; measures numbered, in document order (two + three queries)."""
    measures = number_rows(
        plan,
        measure_table(plan, today=today),
    )
    columns = {value: [] for value in MeasureStatus.values}
    for measure in measures:
        columns[measure.status].append(measure)
    return [(value, label, columns[value]) for value, label in MeasureStatus.choices]


# --- My measures ----------------------------------------------------------------------------------


def my_measures(user, *, plan: Plan | None = None, today=None):
    """Measures ``user`` is responsible for, in the Kommunen they are a member of (optionally one plan)."""
    if not getattr(user, "is_authenticated", False):
        return Measure.objects.none()
    today = today or datetime.date.today()
    open_milestones = Milestone.objects.filter(measure=OuterRef("pk"), done_on__isnull=True).order_by("due_date", "id")
    queryset = (
        Measure.objects.filter(responsible_person=user, municipality__memberships__user=user)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("municipality", "plan__process", "field_of_action")
        .annotate(
            next_milestone_date=Subquery(open_milestones.values("due_date")[:1]),
            next_milestone_title=Subquery(open_milestones.values("title")[:1]),
            overdue=ExpressionWrapper(overdue_q(today), output_field=BooleanField()),
        )
        .order_by(F("end_date").asc(nulls_last=True), "id")
    )
    if plan is not None:
        queryset = queryset.filter(plan=plan)
    return queryset


# --- Progress criterion ---------------------------------------------------------------------------


def plan_criterion(process) -> tuple[int, int]:
    """Progress of step 4 (two queries): every field of action has a goal; there are measures, each with a
    responsible person and an end date."""
    fields = FieldOfAction.objects.filter(process=process).aggregate(
        total=Count("id", distinct=True), without_goal=Count("id", filter=Q(goals__isnull=True), distinct=True)
    )
    measures = Measure.objects.filter(plan__process=process).aggregate(
        total=Count("id"),
        incomplete=Count("id", filter=Q(responsible_person__isnull=True) | Q(end_date__isnull=True)),
    )
    goals_done = int(fields["total"] > 0 and fields["without_goal"] == 0)
    measures_done = int(measures["total"] > 0 and measures["incomplete"] == 0)
    return goals_done + measures_done, 2


# --- Extension points -----------------------------------------------------------------------------


def linked_tools(measure: Measure) -> list:
    """Published tools of the Werkzeugkoffer linked to ``measure`` (one query, by title)."""
    from daks.toolbox.selectors import linked_tools as toolbox_linked_tools

    return toolbox_linked_tools(measure)


def linked_ideas(measure: Measure) -> list:
    """Ideas of the Zukunftswerkstatt the measure was developed from, with ``vote_count``, ``workshop`` and
    ``board_url`` (see ``daks.workshops.to_plan.ideas_of_measure``). The measure page shows its "From the future
    workshop" section only when the list is non-empty.
    """
    from daks.workshops.to_plan import ideas_of_measure

    return ideas_of_measure(measure)
