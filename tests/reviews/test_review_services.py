"""Zwischenbilanz services: reviews, goal reviews (engine prefill, traffic lights), measure checks, factors,
adjustments (apply, link to a new plan version) and the consolidation checklist."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.demography.models import IndicatorValue
from daks.meetings.models import Meeting
from daks.plans.models import MeasureStatus, Plan, PlanVersion
from daks.reviews import selectors, services
from daks.reviews.models import (
    Adjustment,
    AdjustmentKind,
    Assessment,
    ConsolidationItem,
    ConsolidationKey,
    FactorKind,
    GoalReview,
    MeasureCheck,
    Review,
)
from tests.plans.factories import FieldOfActionFactory, GoalFactory, MeasureFactory

from .factories import ReviewFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(process):
    plan, _ = Plan.objects.get_or_create(process=process, defaults={"municipality": process.municipality})
    return plan


@pytest.fixture
def review(process):
    return ReviewFactory(process=process)


@pytest.fixture
def field(plan):
    return FieldOfActionFactory(process=plan.process, title="Wohnen", priority=1)


def test_review_create_with_surveys_and_checklist(coordinator, municipality, process):
    survey = SurveyFactory(process=process)
    review = services.review_create(
        actor=coordinator,
        municipality=municipality,
        process=process,
        title="  Zwischenbilanz   Herbst ",
        date=datetime.date(2026, 10, 1),
        surveys=[survey],
    )
    assert review.title == "Zwischenbilanz Herbst"
    assert list(review.surveys.all()) == [survey]
    assert set(review.consolidation.values_list("key", flat=True)) == set(ConsolidationKey.values)
    entry = AuditLogEntry.objects.get(action="reviews.review.created")
    assert entry.data["process"] == process.pk and entry.data["review"] == review.pk


def test_review_create_rejects_bad_input(coordinator, municipality, process, other_process):
    with pytest.raises(DomainError) as error:
        services.review_create(actor=coordinator, municipality=municipality, process=process, title=" ", date=None)
    assert error.value.field == "title"
    with pytest.raises(DomainError):
        services.review_create(
            actor=coordinator, municipality=municipality, process=other_process, title="X", date=datetime.date.today()
        )
    foreign = SurveyFactory(process=other_process)
    with pytest.raises(DomainError) as error:
        services.review_create(
            actor=coordinator,
            municipality=municipality,
            process=process,
            title="X",
            date=datetime.date.today(),
            surveys=[foreign],
        )
    assert error.value.field == "surveys"
    assert not Review.objects.exists()


def test_review_update_detects_edit_conflict(coordinator, review):
    stale = review.version
    services.review_update(actor=coordinator, review=review, title="Neu", date=review.date, expected_version=stale)
    with pytest.raises(services.ReviewEditConflict):
        services.review_update(actor=coordinator, review=review, title="Alt", date=review.date, expected_version=stale)
    review.refresh_from_db()
    assert review.title == "Neu"


def test_plan_meeting_creates_review_step_meeting(coordinator, review):
    meeting = services.review_plan_meeting(actor=coordinator, review=review)
    review.refresh_from_db()
    assert review.meeting == meeting
    assert meeting.step == "review" and meeting.process_id == review.process_id
    with pytest.raises(DomainError):
        services.review_plan_meeting(actor=coordinator, review=review)
    assert Meeting.objects.count() == 1


def test_goal_row_prefills_engine_value_and_suggests_the_light(plan, field, review):
    IndicatorValue.objects.create(
        region_key="09162999", indicator="share_65_plus", year=2024, value=23.4, basis="Tabelle 12411"
    )
    goal = GoalFactory(
        plan=plan, field_of_action=field, indicator_code="share_65_plus",
        baseline_value=Decimal("25"), baseline_year=2020, target_value=Decimal("22"), target_year=2030,
    )  # fmt: skip
    own = GoalFactory(plan=plan, field_of_action=field, indicator_name="Plätze", unit="Plätze")
    progress = selectors.review_progress(review)
    rows = {row.goal.pk: row for row in progress.goals}
    row = rows[goal.pk]
    assert (row.suggested_value, row.suggested_year, row.official) == (Decimal("23.4"), 2024, True)
    assert "Destatis" in row.suggested_source and row.licence
    assert row.light.key == Assessment.ON_TRACK and not row.assessed
    assert rows[own.pk].latest is None and rows[own.pk].light.key == Assessment.NOT_ASSESSABLE


@pytest.mark.parametrize(
    ("latest", "year", "expected"),
    [
        ("150", 2025, Assessment.ON_TRACK),
        ("140", 2025, Assessment.AT_RISK),
        ("110", 2025, Assessment.OFF_TRACK),
    ],
)
def test_goal_review_takes_the_rules_suggestion(coordinator, plan, field, review, latest, year, expected):
    goal = GoalFactory(
        plan=plan, field_of_action=field, indicator_name="Plätze", unit="Plätze",
        baseline_value=Decimal("100"), baseline_year=2020, target_value=Decimal("200"), target_year=2030,
    )  # fmt: skip
    saved = services.goal_review_save(
        actor=coordinator,
        review=review,
        goal=goal,
        data={"latest_value": latest, "latest_year": year, "source": "Eigene Zählung", "assessment": ""},
    )
    assert saved.assessment == expected
    assert saved.latest_value == Decimal(latest)


def test_goal_review_manual_assessment_wins_and_conflicts(coordinator, plan, field, review):
    goal = GoalFactory(plan=plan, field_of_action=field)
    first = services.goal_review_save(
        actor=coordinator, review=review, goal=goal, data={"assessment": Assessment.AT_RISK, "comment": "Knapp"}
    )
    row = selectors.review_progress(review).goals[0]
    assert row.light.key == Assessment.AT_RISK and row.assessed
    stale = first.version
    services.goal_review_save(
        actor=coordinator, review=review, goal=goal, data={"assessment": "on_track"}, expected_version=stale
    )
    with pytest.raises(services.GoalReviewEditConflict):
        services.goal_review_save(
            actor=coordinator, review=review, goal=goal, data={"assessment": "off_track"}, expected_version=stale
        )
    assert GoalReview.objects.get().assessment == Assessment.ON_TRACK


@pytest.mark.parametrize(
    ("data", "field_name"),
    [
        ({"latest_value": "12", "source": "x"}, "latest_year"),
        ({"latest_value": "12", "latest_year": 2025}, "source"),
        ({"latest_value": "zwölf", "latest_year": 2025, "source": "x"}, "latest_value"),
        ({"assessment": "great"}, "assessment"),
    ],
)
def test_goal_review_bad_input_writes_nothing(coordinator, plan, field, review, data, field_name):
    goal = GoalFactory(plan=plan, field_of_action=field)
    with pytest.raises(DomainError) as error:
        services.goal_review_save(actor=coordinator, review=review, goal=goal, data=data)
    assert error.value.field == field_name
    assert not GoalReview.objects.exists()


def test_goal_of_another_process_is_refused(coordinator, review, other_process):
    other_plan = Plan.objects.create(process=other_process, municipality=other_process.municipality)
    goal = GoalFactory(plan=other_plan)
    with pytest.raises(DomainError):
        services.goal_review_save(actor=coordinator, review=review, goal=goal, data={})


def test_measure_check_snapshots_the_status(coordinator, plan, field, review):
    measure = MeasureFactory(plan=plan, field_of_action=field, status=MeasureStatus.IN_PROGRESS)
    other = MeasureFactory(plan=plan, field_of_action=field, status=MeasureStatus.DONE)
    check = services.measure_check_save(
        actor=coordinator, review=review, measure=measure, data={"assessment": "at_risk", "comment": "Verzug"}
    )
    assert (check.status, check.assessment) == ("in_progress", "at_risk")
    assert services.measure_checks_snapshot(actor=coordinator, review=review) == 1
    assert MeasureCheck.objects.get(measure=other).status == "done"
    progress = selectors.review_progress(review)
    assert progress.measures_checked == 2
    counts = {light.key: count for light, count in progress.measure_counts}
    assert counts == {"on_track": 0, "at_risk": 1, "off_track": 0, "not_assessable": 1}


def test_factors_link_measures_of_the_plan_only(coordinator, plan, field, review, other_process):
    measure = MeasureFactory(plan=plan, field_of_action=field)
    factor = services.factor_create(
        actor=coordinator,
        review=review,
        data={"kind": FactorKind.BARRIER, "text": "Zu wenig Personal", "source": "survey", "measures": [measure]},
    )
    assert list(factor.measures.all()) == [measure]
    grouped = selectors.review_factors(review)
    assert grouped["barrier"] == [factor] and grouped["enabler"] == []
    foreign = MeasureFactory(plan=Plan.objects.create(process=other_process, municipality=other_process.municipality))
    with pytest.raises(DomainError):
        services.factor_create(
            actor=coordinator, review=review, data={"kind": "enabler", "text": "x", "measures": [foreign]}
        )
    with pytest.raises(DomainError) as error:
        services.factor_create(actor=coordinator, review=review, data={"kind": "enabler", "text": " "})
    assert error.value.field == "text"
    assert review.factors.count() == 1


def test_adjustment_apply_and_link_to_new_version(coordinator, plan, field, review):
    measure = MeasureFactory(plan=plan, field_of_action=field, status=MeasureStatus.IN_PROGRESS)
    goal = GoalFactory(plan=plan, field_of_action=field)
    pause = services.adjustment_create(
        actor=coordinator,
        review=review,
        data={
            "kind": AdjustmentKind.PAUSE,
            "measure": measure,
            "description": "Ruht bis 2027",
            "reason": "Kein Personal",
            "decided_on": datetime.date(2026, 10, 20),
        },
    )
    services.adjustment_create(
        actor=coordinator,
        review=review,
        data={
            "kind": AdjustmentKind.CHANGE,
            "goal": goal,
            "description": "Ziel angepasst",
            "reason": "Neue Daten",
            "decided_on": datetime.date(2026, 10, 20),
        },
    )
    assert services.can_apply(pause)
    services.adjustment_apply(actor=coordinator, adjustment=pause)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PAUSED
    version = services.adjustments_link_version(
        actor=coordinator, review=review, name=services.default_version_name(review), date=datetime.date(2026, 10, 21)
    )
    with translation.override("en"):
        assert services.default_version_name(review) == "Adjustment after interim review 10/2026"
    assert version.name == services.default_version_name(review)
    assert set(Adjustment.objects.values_list("plan_version", flat=True)) == {version.pk}
    snapshot_status = version.snapshot["fields_of_action"][0]["measures"][0]["status"]
    assert snapshot_status == "paused"  # the version records the applied decision
    with pytest.raises(DomainError):  # nothing left to link
        services.adjustments_link_version(
            actor=coordinator, review=review, name="Noch eine", date=datetime.date.today()
        )
    with pytest.raises(DomainError):  # linked decisions are kept
        services.adjustment_delete(actor=coordinator, adjustment=pause)
    assert PlanVersion.objects.count() == 1


def test_adjustment_bad_input(coordinator, plan, field, review):
    base = {"description": "x", "reason": "y", "decided_on": datetime.date(2026, 10, 1)}
    with pytest.raises(DomainError) as error:
        services.adjustment_create(actor=coordinator, review=review, data={**base, "kind": "drop"})
    assert error.value.field == "measure"
    with pytest.raises(DomainError) as error:
        services.adjustment_create(actor=coordinator, review=review, data={**base, "kind": "add", "reason": ""})
    assert error.value.field == "reason"
    with pytest.raises(DomainError):
        services.adjustment_create(actor=coordinator, review=review, data={**base, "kind": "explode"})
    assert services.adjustment_create(actor=coordinator, review=review, data={**base, "kind": "add"}).measure is None
    assert Adjustment.objects.count() == 1


def test_consolidation_checklist(coordinator, municipality, process):
    review = services.review_create(
        actor=coordinator, municipality=municipality, process=process, title="Z", date=datetime.date(2026, 10, 1)
    )
    rows = selectors.review_consolidation(review)
    assert [row.key for row in rows] == ConsolidationKey.values and all(row.explanation for row in rows)
    stale = selectors.consolidation_version(rows)
    services.consolidation_save(
        actor=coordinator,
        review=review,
        items={"budget": {"done": True, "note": "Haushaltsstelle 1.2"}, "council": {"done": True}},
        expected_version=stale,
    )
    done = dict(ConsolidationItem.objects.values_list("key", "done"))
    assert done == {"responsibility": False, "budget": True, "council": True, "reporting": False, "network": False}
    with pytest.raises(services.ConsolidationEditConflict):
        services.consolidation_save(actor=coordinator, review=review, items={}, expected_version=stale)
    assert ConsolidationItem.objects.get(key="budget").note == "Haushaltsstelle 1.2"


def test_demo_review_is_complete_and_idempotent(municipality, process, coordinator):
    from daks.plans.demo import seed_plan
    from daks.reviews.demo import TITLE, VERSION_NAME, seed_review

    seed_plan(municipality, process, coordinator)
    survey = SurveyFactory(process=process, title="Befragung Hemmnisse 2026 (Beispieldaten)")
    review = seed_review(municipality, process, coordinator)
    assert review.title == TITLE and list(review.surveys.all()) == [survey]
    assert review.goal_reviews.count() == Plan.objects.get(process=process).goals.count()
    assert review.measure_checks.count() == 10
    assert review.factors.filter(kind="barrier").count() == 3 and review.factors.filter(kind="enabler").count() == 3
    assert all(factor.measures.exists() for factor in review.factors.all())
    assert review.adjustments.count() == 2
    assert set(review.adjustments.values_list("plan_version__name", flat=True)) == {VERSION_NAME}
    assert review.consolidation.filter(done=True).count() == 2
    assert seed_review(municipality, process, coordinator) == review
    assert Review.objects.count() == 1 and PlanVersion.objects.filter(name=VERSION_NAME).count() == 1
