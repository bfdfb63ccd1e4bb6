"""Monitoring dashboard: figures of a known plan, the traffic-light rule, engine values, roles, tenancy, queries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from daks.demography.models import IndicatorValue
from daks.plans import monitoring
from daks.plans.models import MeasureStatus
from daks.plans.monitoring import Light, assess
from daks.plans.monitoring_charts import budget_chart_svg, status_chart_svg

from .factories import FieldOfActionFactory, GoalFactory, MeasureFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def known_plan(plan):
    """Two fields of action; four measures in different states; milestones late and on time."""
    housing = FieldOfActionFactory(process=plan.process, title="Wohnen", priority=1)
    care = FieldOfActionFactory(process=plan.process, title="Pflege", priority=2)
    late = MeasureFactory(
        plan=plan, field_of_action=housing, title="Wohnberatung", status=MeasureStatus.PLANNED,
        start_date=datetime.date(2025, 6, 1), end_date=datetime.date(2026, 1, 31),
        budget_own=Decimal("1000"), budget_third_party=Decimal("500.50"),
        budget_secured=Decimal("800"),
    )  # fmt: skip
    finished = MeasureFactory(
        plan=plan, field_of_action=housing, title="Mietspiegel", status=MeasureStatus.DONE,
        start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2025, 12, 31), budget_own=Decimal("200"),
    )  # fmt: skip
    running = MeasureFactory(
        plan=plan, field_of_action=care, title="Pflegestützpunkt", status=MeasureStatus.IN_PROGRESS,
        end_date=datetime.date(2027, 12, 31), budget_own=Decimal("2000"), budget_secured=Decimal("0"),
    )  # fmt: skip
    MeasureFactory(
        plan=plan, field_of_action=care, title="Verworfen", status=MeasureStatus.DROPPED,
        start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2025, 1, 31), budget_own=Decimal("5000"),
    )  # fmt: skip
    MilestoneFactory(measure=late, title="Konzept", due_date=datetime.date(2026, 3, 1))
    MilestoneFactory(measure=late, title="Start", due_date=datetime.date(2026, 3, 1), done_on=datetime.date(2026, 3, 2))
    MilestoneFactory(measure=finished, title="Beschluss", due_date=datetime.date(2025, 6, 1))  # closed measure
    MilestoneFactory(measure=running, title="Eröffnung", due_date=datetime.date(2026, 9, 1))  # not yet due
    return plan


def test_figures_of_a_known_plan(known_plan):
    figures = monitoring.plan_monitoring(plan=known_plan, today=TODAY)
    assert figures.total == 4
    counts = {row.status: row.count for row in figures.statuses}
    assert counts == {"idea": 0, "planned": 1, "in_progress": 1, "done": 1, "paused": 0, "dropped": 1}
    assert [(row.milestone.title, row.days) for row in figures.overdue_milestones] == [("Konzept", 92)]
    assert [(row.measure.title, row.days) for row in figures.overdue_measures] == [("Wohnberatung", 121)]
    budgets = [(row.title, row.planned, row.secured) for row in figures.budgets]
    assert budgets == [("Wohnen", Decimal("1700.50"), Decimal("800")), ("Pflege", Decimal("2000"), Decimal("0"))]
    assert figures.planned_total == Decimal("3700.50")
    with translation.override("de"):
        assert figures.planned_total_display == "3.700,50\u00a0€"
        assert figures.budgets[0].open_display == "900,50\u00a0€"


@pytest.mark.parametrize(
    ("latest", "year", "light"),
    [
        (150, 2025, Light.ON_TRACK),  # exactly on the path
        (170, 2025, Light.ON_TRACK),  # ahead
        (146, 2025, Light.ON_TRACK),  # 4 points behind: within the tolerance
        (140, 2025, Light.AT_RISK),  # 10 points behind
        (126, 2025, Light.AT_RISK),  # 24 points behind
        (110, 2025, Light.OFF_TRACK),  # 40 points behind
        (90, 2021, Light.OFF_TRACK),  # moving away from the target
        (195, 2035, Light.ON_TRACK),  # after the target year: the target itself is expected
        (180, 2035, Light.AT_RISK),
    ],
)
def test_traffic_light_rule_increasing_goal(latest, year, light):
    result = assess(baseline=100, baseline_year=2020, target=200, target_year=2030, latest=latest, latest_year=year)
    assert result.light == light


def test_traffic_light_rule_decreasing_and_hold_goals():
    # decreasing: 30 → 20 by 2030; in 2025 the path expects 25
    assert assess(baseline=30, baseline_year=2020, target=20, target_year=2030, latest=24, latest_year=2025).light == (
        Light.ON_TRACK
    )
    assert assess(baseline=30, baseline_year=2020, target=20, target_year=2030, latest=29, latest_year=2025).light == (
        Light.OFF_TRACK
    )
    assert assess(
        baseline=30, baseline_year=2020, target=20, target_year=2030, latest=25, latest_year=2025
    ).expected == (Decimal("25"))
    # hold 50: ±5 % on track, ±25 % at risk
    hold = {"baseline": 50, "baseline_year": 2020, "target": 50, "target_year": 2030, "latest_year": 2024}
    assert assess(latest=52, **hold).light == Light.ON_TRACK
    assert assess(latest=40, **hold).light == Light.AT_RISK
    assert assess(latest=70, **hold).light == Light.OFF_TRACK


def test_traffic_light_needs_all_figures():
    assert assess(baseline=None, baseline_year=2020, target=5, target_year=2030, latest=3, latest_year=2024).light == (
        Light.UNKNOWN
    )
    assert assess(baseline=1, baseline_year=2020, target=5, target_year=2030, latest=None, latest_year=None).light == (
        Light.UNKNOWN
    )
    assert Light.LABELS[Light.UNKNOWN] and Light.ICONS[Light.OFF_TRACK] == "✗"


def test_latest_value_comes_from_the_engine_for_official_indicators(plan):
    IndicatorValue.objects.create(region_key="09162999", indicator="share_65_plus", year=2023, value=24.0)
    IndicatorValue.objects.create(
        region_key="09162999", indicator="share_65_plus", year=2024, value=23.4, basis="Tabelle 12411-02-03-4"
    )
    IndicatorValue.objects.create(region_key="08111999", indicator="share_65_plus", year=2025, value=10.0)  # other
    field = FieldOfActionFactory(process=plan.process)
    official = GoalFactory(
        plan=plan, field_of_action=field, title="Weniger Ältere", indicator_code="share_65_plus",
        baseline_value=Decimal("25"), baseline_year=2020, target_value=Decimal("22"), target_year=2030,
    )  # fmt: skip
    own = GoalFactory(
        plan=plan, field_of_action=field, title="Mehr Plätze", indicator_name="Tagespflegeplätze", unit="Plätze",
        baseline_value=Decimal("10"), baseline_year=2024, target_value=Decimal("30"), target_year=2030,
    )  # fmt: skip
    GoalFactory(plan=plan, field_of_action=field, title="Ohne Kennzahl")  # not listed
    rows = {row.goal.pk: row for row in monitoring.plan_monitoring(plan=plan, today=TODAY).indicators}
    assert set(rows) == {official.pk, own.pk}
    row = rows[official.pk]
    assert (row.latest, row.latest_year, row.official) == (Decimal("23.4"), 2024, True)
    assert "Destatis" in row.source and "12411-02-03-4" in row.source
    assert "dl-de/by-2-0" in row.licence
    assert row.assessment.light == Light.ON_TRACK  # 53 % of the change reached, 40 % expected
    assert rows[own.pk].latest is None and rows[own.pk].assessment.light == Light.UNKNOWN


def test_charts_are_accessible_images(known_plan):
    figures = monitoring.plan_monitoring(plan=known_plan, today=TODAY)
    svg = status_chart_svg(figures.statuses)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    budget = budget_chart_svg(figures.budgets)
    assert 'role="img"' in budget and "Wohnen" in budget and "Pflege" in budget


# --- The page ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "contributor", "reader", "advisor"])
def test_members_see_the_dashboard(request, login, known_plan, plan_url, role, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, 0))
    client = login(request.getfixturevalue(role))
    with translation.override("de"):
        response = client.get(plan_url("plans:monitoring"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Konzept" in html and "Wohnberatung" in html
    assert 'role="img"' in html and "<caption" in html


def test_traffic_light_shown_as_text_and_icon(login, coordinator, plan, plan_url):
    field = FieldOfActionFactory(process=plan.process)
    GoalFactory(
        plan=plan, field_of_action=field, title="Ziel A", indicator_name="Plätze",
        baseline_value=Decimal("1"), baseline_year=2020, target_value=Decimal("2"), target_year=2030,
    )  # fmt: skip
    response = login(coordinator).get(plan_url("plans:monitoring"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert 'class="light light--unknown"' in html
    assert "Not assessable" in html or "Nicht bewertbar" in html


def test_outsider_and_anonymous_get_404(client, login, outsider, plan, plan_url):
    assert client.get(plan_url("plans:monitoring")).status_code in (302, 404)
    assert login(outsider).get(plan_url("plans:monitoring")).status_code == 404


def test_other_step_slug_is_404(login, coordinator, process):
    from django.urls import reverse

    url = reverse("plans:monitoring", args=[process.municipality.slug, process.pk, "kommunalprofil"])
    assert login(coordinator).get(url).status_code == 404


def test_other_kommunes_process_is_404(login, coordinator, municipality, other_plan):
    from django.urls import reverse

    url = reverse("plans:monitoring", args=[municipality.slug, other_plan.process_id, "werkstattplan"])
    assert login(coordinator).get(url).status_code == 404


def test_query_count_is_pinned(login, coordinator, known_plan, plan_url, django_assert_num_queries):
    client = login(coordinator)
    url = plan_url("plans:monitoring")
    client.get(url)  # warm caches (session, site)
    with django_assert_num_queries(PINNED_QUERIES):
        assert client.get(url).status_code == 200
    # more measures, milestones and goals: the same number of queries
    field = known_plan.process.fields_of_action.first()
    for index in range(5):
        measure = MeasureFactory(
            plan=known_plan,
            field_of_action=field,
            start_date=datetime.date(2019, 1, 1),
            end_date=datetime.date(2020, 1, index + 1),
        )
        MilestoneFactory(measure=measure, due_date=datetime.date(2020, 1, 1))
        GoalFactory(plan=known_plan, field_of_action=field, indicator_name="X", target_value=Decimal(index))
    with django_assert_num_queries(PINNED_QUERIES):
        assert client.get(url).status_code == 200


PINNED_QUERIES = 13
