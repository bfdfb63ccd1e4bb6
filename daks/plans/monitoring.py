"""Reads of the monitoring dashboard of a Werkstattplan: measures by status, overdue work, budgets, goal indicators.

Everything is computed from a handful of aggregate queries (no query per measure or goal); ``plan_monitoring``
returns one ``Monitoring`` object that the page, its tables and its SVG charts are built from.

Overdue
    A milestone is overdue when it is not reached (``done_on`` empty) and its due date lies before ``today``; a
    measure is overdue when its end date lies before ``today``. Done and dropped measures (and their milestones)
    are never overdue.

Budget
    Planned = own funds + third-party funding, secured = ``budget_secured``, summed per field of action. Dropped
    measures do not count.

Traffic light of a goal (``assess``)
    A goal is assessed when it has a baseline value and year, a target value and year and a latest value (for an
    official indicator: the newest value of the demography engine for the Kommune's region). The planned path is
    the straight line from the baseline (baseline year) to the target (target year). At the year of the latest value
    the path expects the share ``expected = (year - baseline year) / (target year - baseline year)`` (0…1) of the
    planned change; the share reached is ``reached = (latest - baseline) / (target - baseline)``. The gap
    ``expected - reached`` (in percentage points of the planned change) decides:

    * on track: the gap is at most 5 points (the goal is on or ahead of the path);
    * at risk: the gap is more than 5 and at most 25 points;
    * off track: the gap is more than 25 points, or the value moved away from the target (more than 5 points of
      the planned change on the wrong side of the baseline).

    A goal to *hold* a value (target = baseline) is on track within ±5 % of the target, at risk within ±25 %, else
    off track. Without the figures the goal is "not assessable". Lights are always shown as text and icon.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .models import Goal, Measure, MeasureStatus, Milestone
from .selectors import CLOSED_STATUSES  # done and dropped measures: never overdue

ON_TRACK_GAP = Decimal("0.05")
AT_RISK_GAP = Decimal("0.25")
ZERO = Decimal("0")


def euro(value) -> str:
    """``12.500,00 €`` in German (the active language's number format, always with two decimals)."""
    return f"{number_format(Decimal(value or 0), 2, force_grouping=True)}\u00a0€"


class Light:
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    UNKNOWN = "unknown"

    LABELS = {
        ON_TRACK: _("On track"),
        AT_RISK: _("At risk"),
        OFF_TRACK: _("Off track"),
        UNKNOWN: _("Not assessable"),
    }
    #: A text symbol beside the label (the label itself carries the meaning; colour only repeats it).
    ICONS = {ON_TRACK: "✓", AT_RISK: "!", OFF_TRACK: "✗", UNKNOWN: "?"}


# --- Figures -------------------------------------------------------------------------------------------------------


@dataclass
class StatusCount:
    status: str
    label: Any
    count: int
    share: float  # 0…1 of all measures


@dataclass
class OverdueMilestone:
    milestone: Milestone
    measure: Measure
    days: int


@dataclass
class OverdueMeasure:
    measure: Measure
    days: int


@dataclass
class FieldBudget:
    field_id: int
    title: str
    planned: Decimal
    secured: Decimal

    @property
    def share_secured(self) -> float:
        return float(self.secured / self.planned) if self.planned else 0.0

    @property
    def planned_display(self) -> str:
        return euro(self.planned)

    @property
    def secured_display(self) -> str:
        return euro(self.secured)

    @property
    def open(self) -> Decimal:
        return max(self.planned - self.secured, ZERO)

    @property
    def open_display(self) -> str:
        return euro(self.open)


@dataclass
class Assessment:
    light: str
    expected: Decimal | None = None  # the value the linear path expects in the year of the latest value
    gap: Decimal | None = None  # expected − reached share of the planned change (0.1 = 10 points behind)

    @property
    def label(self):
        return Light.LABELS[self.light]

    @property
    def icon(self) -> str:
        return Light.ICONS[self.light]


@dataclass
class IndicatorRow:
    goal: Goal
    indicator: str  # the indicator's name
    unit: str
    official: bool
    baseline: Decimal | None
    baseline_year: int | None
    latest: Decimal | None
    latest_year: int | None
    target: Decimal | None
    target_year: int | None
    assessment: Assessment
    source: str = ""
    licence: str = ""
    licence_url: str = ""


@dataclass
class Monitoring:
    today: datetime.date
    total: int
    statuses: list[StatusCount]
    overdue_milestones: list[OverdueMilestone]
    overdue_measures: list[OverdueMeasure]
    budgets: list[FieldBudget]
    indicators: list[IndicatorRow] = field(default_factory=list)
    region_key: str = ""

    @property
    def planned_total(self) -> Decimal:
        return sum((row.planned for row in self.budgets), ZERO)

    @property
    def secured_total(self) -> Decimal:
        return sum((row.secured for row in self.budgets), ZERO)

    @property
    def planned_total_display(self) -> str:
        return euro(self.planned_total)

    @property
    def secured_total_display(self) -> str:
        return euro(self.secured_total)

    @property
    def open_total_display(self) -> str:
        return euro(max(self.planned_total - self.secured_total, ZERO))

    def light_counts(self) -> list[tuple[str, Any, str, int]]:
        """``(light, label, icon, count)`` for the summary above the indicator table."""
        counts = dict.fromkeys(Light.LABELS, 0)
        for row in self.indicators:
            counts[row.assessment.light] += 1
        return [(key, Light.LABELS[key], Light.ICONS[key], counts[key]) for key in Light.LABELS]


# --- The rule ------------------------------------------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def assess(
    *,
    baseline,
    baseline_year: int | None,
    target,
    target_year: int | None,
    latest,
    latest_year: int | None,
) -> Assessment:
    """The traffic light of a goal (the rule is described in the module docstring)."""
    baseline, target, latest = _decimal(baseline), _decimal(target), _decimal(latest)
    if None in (baseline, target, latest) or None in (baseline_year, target_year, latest_year):
        return Assessment(Light.UNKNOWN)
    if target_year <= baseline_year:
        expected_share = Decimal(1)
    else:
        expected_share = Decimal(latest_year - baseline_year) / Decimal(target_year - baseline_year)
        expected_share = min(max(expected_share, ZERO), Decimal(1))
    change = target - baseline
    expected = baseline + change * expected_share
    if change == 0:
        scale = abs(target) or Decimal(1)
        gap = abs(latest - target) / scale
    else:
        reached = (latest - baseline) / change
        gap = expected_share - reached
    moving_away = change != 0 and (latest - baseline) / change < -ON_TRACK_GAP
    if moving_away:
        light = Light.OFF_TRACK
    elif gap <= ON_TRACK_GAP:
        light = Light.ON_TRACK
    elif gap <= AT_RISK_GAP:
        light = Light.AT_RISK
    else:
        light = Light.OFF_TRACK
    return Assessment(light, expected=expected, gap=gap)


# --- Selectors -----------------------------------------------------------------------------------------------------


def status_counts(*, plan) -> tuple[int, list[StatusCount]]:
    """All statuses in their workflow order with their number of measures (one query)."""
    counts = dict(Measure.objects.filter(plan=plan).values_list("status").annotate(n=Count("id")).order_by())
    total = sum(counts.values())
    rows = [
        StatusCount(status, label, counts.get(status, 0), counts.get(status, 0) / total if total else 0.0)
        for status, label in MeasureStatus.choices
    ]
    return total, rows


def overdue_milestones(*, plan, today: datetime.date) -> list[OverdueMilestone]:
    milestones = (
        Milestone.objects.filter(measure__plan=plan, done_on__isnull=True, due_date__lt=today)
        .exclude(measure__status__in=CLOSED_STATUSES)
        .select_related("measure", "measure__responsible_person", "measure__field_of_action")
        .order_by("due_date", "measure__title", "id")
    )
    return [OverdueMilestone(m, m.measure, (today - m.due_date).days) for m in milestones]


def overdue_measures(*, plan, today: datetime.date) -> list[OverdueMeasure]:
    measures = (
        Measure.objects.filter(plan=plan, end_date__lt=today)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("responsible_person", "field_of_action")
        .order_by("end_date", "title", "id")
    )
    return [OverdueMeasure(m, (today - m.end_date).days) for m in measures]


def field_budgets(*, plan) -> list[FieldBudget]:
    """Planned and secured funds per field of action, in the order of the fields (one query)."""
    money = DecimalField(max_digits=16, decimal_places=2)
    rows = (
        Measure.objects.filter(plan=plan)
        .exclude(status=MeasureStatus.DROPPED)
        .values("field_of_action", "field_of_action__title", "field_of_action__priority")
        .annotate(
            planned=Coalesce(Sum(F("budget_own") + F("budget_third_party")), Value(ZERO), output_field=money),
            secured=Coalesce(Sum("budget_secured"), Value(ZERO), output_field=money),
        )
        .order_by("field_of_action__priority", "field_of_action")
    )
    return [
        FieldBudget(
            row["field_of_action"],
            row["field_of_action__title"],
            _decimal(row["planned"]) or ZERO,
            _decimal(row["secured"]) or ZERO,
        )
        for row in rows
    ]


def official_indicators() -> dict[str, Any]:
    """The official indicators a goal may name: code → the demography engine's figure spec."""
    from daks.demography.views import KEY_FIGURES

    specs = {}
    for spec in KEY_FIGURES:
        for name in (spec.code, *spec.indicators):
            specs.setdefault(name, spec)
    return specs


def _attribution(basis: str) -> tuple[str, str, str]:
    """``(source, licence, licence_url)`` of an engine value computed from ``basis``."""
    from daks.demography.models import OFFICIAL_LICENCE, OFFICIAL_LICENCE_URL, OFFICIAL_SOURCE
    from daks.demography.views import EXAMPLE_ATTRIBUTION

    if "beispieldaten" in (basis or "").lower():
        return EXAMPLE_ATTRIBUTION, "", ""
    source = OFFICIAL_SOURCE if not basis else f"{OFFICIAL_SOURCE} ({basis})"
    return source, OFFICIAL_LICENCE, OFFICIAL_LICENCE_URL


def _population(region_key: str, cache: dict) -> tuple:
    """The newest official population figure of the region (population is not stored as an indicator value)."""
    from daks.demography.selectors import population_totals

    if "rows" not in cache:
        cache["rows"] = population_totals(region_key)
    if not cache["rows"]:
        return None, None, "", "", ""
    year, value, _dataset, _date = cache["rows"][-1]
    return (Decimal(str(round(value))), year, *_attribution(""))


def goal_indicators(*, plan, region_key: str) -> list[IndicatorRow]:
    """Every goal with an indicator, its figures and traffic light (two queries: goals, engine values)."""
    from daks.demography.selectors import latest_indicator_values

    goals = list(
        Goal.objects.filter(plan=plan)
        .filter(~Q(indicator_code="") | ~Q(indicator_name="") | Q(target_value__isnull=False))
        .select_related("field_of_action")
    )
    specs = official_indicators()
    values = {}
    if region_key and any(goal.indicator_code in specs for goal in goals):
        values = latest_indicator_values(region_key)
    rows = []
    totals: dict = {}  # population figures, read once if a goal needs them
    for goal in goals:
        spec = specs.get(goal.indicator_code) if goal.indicator_code else None
        latest = latest_year = None
        source = licence = licence_url = ""
        if spec is not None:
            value = next((values[name] for name in (goal.indicator_code, *spec.indicators) if name in values), None)
            if value is not None:
                latest = Decimal(str(round(value.value, 3)))
                latest_year = value.year
                source, licence, licence_url = _attribution(value.basis)
            elif spec.code == "population" and region_key:
                latest, latest_year, source, licence, licence_url = _population(region_key, totals)
            name, unit = str(spec.label), goal.unit or str(spec.unit or "")
        else:
            name, unit = goal.indicator_name or goal.indicator_code, goal.unit
        assessment = assess(
            baseline=goal.baseline_value,
            baseline_year=goal.baseline_year,
            target=goal.target_value,
            target_year=goal.target_year,
            latest=latest,
            latest_year=latest_year,
        )
        rows.append(
            IndicatorRow(
                goal=goal,
                indicator=name,
                unit=unit,
                official=spec is not None,
                baseline=goal.baseline_value,
                baseline_year=goal.baseline_year,
                latest=latest,
                latest_year=latest_year,
                target=goal.target_value,
                target_year=goal.target_year,
                assessment=assessment,
                source=source,
                licence=licence,
                licence_url=licence_url,
            )
        )
    return rows


def region_key_of(process) -> str:
    """The official key the engine's values are read for (the process's region, else the Kommune's)."""
    from daks.profile.selectors import statistics_key

    return statistics_key(process)


def plan_monitoring(*, plan, today: datetime.date) -> Monitoring:
    """The whole dashboard of ``plan`` (``plan.process.municipality`` must be loaded): six queries at most."""
    total, statuses = status_counts(plan=plan)
    region_key = region_key_of(plan.process)
    return Monitoring(
        today=today,
        total=total,
        statuses=statuses,
        overdue_milestones=overdue_milestones(plan=plan, today=today),
        overdue_measures=overdue_measures(plan=plan, today=today),
        budgets=field_budgets(plan=plan),
        indicators=goal_indicators(plan=plan, region_key=region_key),
        region_key=region_key,
    )
