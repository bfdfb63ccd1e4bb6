"""Reads of the Zwischenbilanz: the reviews of a process, the progress overview (goals and measures with traffic
lights), barriers and enablers, adjustments and the consolidation checklist. A constant number of queries each.

The latest value of a goal with an official indicator is suggested from the demography engine exactly as the plan's
monitoring reads it (``plans.monitoring.goal_indicators``); the suggested assessment is the monitoring's traffic-light
rule (``plans.monitoring.assess``). What the team saved in a ``GoalReview`` always wins over the suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from daks.plans.models import Goal, Measure, MeasureStatus

from .models import (
    Adjustment,
    Assessment,
    ConsolidationItem,
    ConsolidationKey,
    Factor,
    FactorKind,
    GoalReview,
    MeasureCheck,
    Review,
)

ICONS = {
    Assessment.ON_TRACK: "✓",
    Assessment.AT_RISK: "!",
    Assessment.OFF_TRACK: "✗",
    Assessment.NOT_ASSESSABLE: "?",
}
#: CSS modifier of ``plans/monitoring.css`` (``light--…``) per assessment.
CSS = {
    Assessment.ON_TRACK: "on_track",
    Assessment.AT_RISK: "at_risk",
    Assessment.OFF_TRACK: "off_track",
    Assessment.NOT_ASSESSABLE: "unknown",
}

EXPLANATIONS = {
    ConsolidationKey.RESPONSIBILITY: _(
        "A unit or position in the administration is permanently responsible for the demography strategy – written "
        "into the organisation chart or the distribution of tasks, not tied to one person or a project."
    ),
    ConsolidationKey.BUDGET: _(
        "The budget has its own line for the strategy's work (staff time, measures, participation), so that it does "
        "not depend on funding programmes alone."
    ),
    ConsolidationKey.COUNCIL: _(
        "The council has decided on the plan and its continuation; the decision gives the work a mandate beyond "
        "the current term."
    ),
    ConsolidationKey.REPORTING: _(
        "The administration reports regularly (e.g. once a year) to the council and the public on goals, measures "
        "and indicators."
    ),
    ConsolidationKey.NETWORK: _(
        "The actors of the process keep meeting (e.g. a steering group or round table) and take on measures of "
        "their own."
    ),
}


@dataclass(frozen=True)
class Light:
    """An assessment as text and icon; ``css`` only repeats it in colour."""

    key: str

    @property
    def label(self):
        return Assessment(self.key).label

    @property
    def icon(self) -> str:
        return ICONS[self.key]

    @property
    def css(self) -> str:
        return CSS[self.key]


def light(key: str) -> Light:
    return Light(key if key in Assessment.values else Assessment.NOT_ASSESSABLE)


def light_counts(keys) -> list[tuple[Light, int]]:
    counts = dict.fromkeys(Assessment.values, 0)
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return [(light(key), counts[key]) for key in Assessment.values]


# --- Reviews -------------------------------------------------------------------------------------------------------


def reviews_of(process):
    """The reviews of ``process``, newest first, with their counts (one query)."""
    return (
        Review.objects.filter(process=process)
        .select_related("meeting")
        .annotate(
            goal_count=Count("goal_reviews", distinct=True),
            check_count=Count("measure_checks", distinct=True),
            factor_count=Count("factors", distinct=True),
            adjustment_count=Count("adjustments", distinct=True),
            consolidated=Count("consolidation", filter=Q(consolidation__done=True), distinct=True),
            survey_count=Count("surveys", distinct=True),
        )
        .order_by("-date", "-id")
    )


def review_for(process, pk) -> Review:
    """The review ``pk`` of ``process`` (raises ``Review.DoesNotExist``)."""
    return Review.objects.select_related("meeting", "process", "municipality").get(process=process, pk=pk)


# --- Progress review -----------------------------------------------------------------------------------------------


@dataclass
class GoalRow:
    goal: Goal
    review: GoalReview | None
    indicator: str
    unit: str
    official: bool
    suggested_value: Decimal | None  # from the engine (official indicators only)
    suggested_year: int | None
    suggested_source: str
    licence: str
    licence_url: str
    latest: Decimal | None  # what counts: the saved value, else the engine's
    latest_year: int | None
    source: str
    source_date: Any
    light: Light  # the saved assessment, else the rule's suggestion
    suggestion: Light  # the rule's suggestion for ``latest``
    expected: Decimal | None = None

    @property
    def assessed(self) -> bool:
        return self.review is not None

    @property
    def from_engine(self) -> bool:
        return (
            self.latest is not None
            and self.latest == self.suggested_value
            and (self.review is None or self.review.source == self.suggested_source)
        )


@dataclass
class MeasureRow:
    measure: Measure
    check: MeasureCheck | None

    @property
    def light(self) -> Light:
        return light(self.check.assessment if self.check else Assessment.NOT_ASSESSABLE)

    @property
    def status_label(self) -> str:
        status = self.check.status if self.check and self.check.status else self.measure.status
        try:
            return str(MeasureStatus(status).label)
        except ValueError:
            return status


@dataclass
class Progress:
    goals: list[GoalRow] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)

    @property
    def goal_counts(self):
        return light_counts(row.light.key for row in self.goals)

    @property
    def measure_counts(self):
        return light_counts(row.light.key for row in self.measures if row.check)

    @property
    def goals_assessed(self) -> int:
        return sum(row.assessed for row in self.goals)

    @property
    def measures_checked(self) -> int:
        return sum(row.check is not None for row in self.measures)


def engine_rows(process) -> dict[int, Any]:
    """``{goal id: plans.monitoring.IndicatorRow}`` for the goals of the process's plan (two queries at most)."""
    from daks.plans.models import Plan
    from daks.plans.monitoring import goal_indicators, region_key_of

    plan = Plan.objects.filter(process=process).first()
    if plan is None:
        return {}
    plan.process = process
    return {row.goal.pk: row for row in goal_indicators(plan=plan, region_key=region_key_of(process))}


def goal_row(goal: Goal, saved: GoalReview | None, engine) -> GoalRow:
    from daks.plans.monitoring import assess

    suggested_value = engine.latest if engine is not None else None
    suggested_year = engine.latest_year if engine is not None else None
    if saved is not None and saved.latest_value is not None:
        latest, year, source, source_date = saved.latest_value, saved.latest_year, saved.source, saved.source_date
    else:
        latest, year, source, source_date = suggested_value, suggested_year, engine.source if engine else "", None
    rule = assess(
        baseline=goal.baseline_value,
        baseline_year=goal.baseline_year,
        target=goal.target_value,
        target_year=goal.target_year,
        latest=latest,
        latest_year=year,
    )
    suggestion = light(Assessment.NOT_ASSESSABLE if rule.light == "unknown" else rule.light)
    return GoalRow(
        goal=goal,
        review=saved,
        indicator=engine.indicator if engine is not None else (goal.indicator_name or goal.indicator_code),
        unit=engine.unit if engine is not None else goal.unit,
        official=bool(engine.official) if engine is not None else False,
        suggested_value=suggested_value,
        suggested_year=suggested_year,
        suggested_source=engine.source if engine is not None else "",
        licence=engine.licence if engine is not None else "",
        licence_url=engine.licence_url if engine is not None else "",
        latest=latest,
        latest_year=year,
        source=source,
        source_date=source_date,
        light=light(saved.assessment) if saved is not None else suggestion,
        suggestion=suggestion,
        expected=rule.expected,
    )


def review_progress(review: Review) -> Progress:
    """Every goal and measure of the plan with its saved review/check (or the suggestion): six queries."""
    goals = list(
        Goal.objects.filter(plan__process_id=review.process_id)
        .select_related("field_of_action")
        .order_by("field_of_action__priority", "field_of_action_id", "position", "id")
    )
    saved_goals = {item.goal_id: item for item in GoalReview.objects.filter(review=review)}
    engine = engine_rows(review.process) if goals else {}
    measures = list(
        Measure.objects.filter(plan__process_id=review.process_id)
        .select_related("field_of_action")
        .order_by("field_of_action__priority", "field_of_action_id", "position", "id")
    )
    checks = {item.measure_id: item for item in MeasureCheck.objects.filter(review=review)}
    return Progress(
        goals=[goal_row(goal, saved_goals.get(goal.pk), engine.get(goal.pk)) for goal in goals],
        measures=[MeasureRow(measure, checks.get(measure.pk)) for measure in measures],
    )


# --- Barriers and enablers, adjustments, consolidation -------------------------------------------------------------


def review_factors(review: Review) -> dict[str, list[Factor]]:
    """``{"barrier": [...], "enabler": [...]}`` with the linked measures (two queries)."""
    factors = Factor.objects.filter(review=review).prefetch_related(
        Prefetch("measures", queryset=Measure.objects.only("id", "title", "status").order_by("title"))
    )
    grouped: dict[str, list[Factor]] = {kind: [] for kind in FactorKind.values}
    for factor in factors:
        grouped[factor.kind].append(factor)
    return grouped


def review_adjustments(review: Review) -> list[Adjustment]:
    return list(
        Adjustment.objects.filter(review=review)
        .select_related("measure", "goal", "plan_version")
        .order_by("decided_on", "id")
    )


@dataclass
class ConsolidationRow:
    key: str
    label: Any
    explanation: Any
    item: ConsolidationItem | None

    @property
    def done(self) -> bool:
        return bool(self.item and self.item.done)

    @property
    def note(self) -> str:
        return self.item.note if self.item else ""


def review_consolidation(review: Review) -> list[ConsolidationRow]:
    items = {item.key: item for item in ConsolidationItem.objects.filter(review=review)}
    return [ConsolidationRow(key, label, EXPLANATIONS[key], items.get(key)) for key, label in ConsolidationKey.choices]


def consolidation_version(rows: list[ConsolidationRow]) -> str:
    return max((row.item.version for row in rows if row.item), default="")


def process_surveys(process):
    from .models import Survey

    return Survey.objects.filter(process=process).order_by("-created_at", "id")
