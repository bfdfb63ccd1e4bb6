"""Zwischenbilanz pages: every role, tenancy (incl. forged ids), the overview's traffic lights and its query count."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from daks.meetings.models import Meeting
from daks.plans.models import MeasureStatus, Plan
from daks.reviews.models import Adjustment, Assessment, Factor, GoalReview, MeasureCheck, Review
from tests.plans.factories import FieldOfActionFactory, GoalFactory, MeasureFactory

from .factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(process):
    plan, _ = Plan.objects.get_or_create(process=process, defaults={"municipality": process.municipality})
    return plan


@pytest.fixture
def review(process):
    return ReviewFactory(process=process, title="Zwischenbilanz Herbst")


@pytest.fixture
def filled(plan, review):
    """Goals (one assessed off track), measures (one checked), a factor and an adjustment."""
    field = FieldOfActionFactory(process=plan.process, title="Wohnen", priority=1)
    goal = GoalFactory(
        plan=plan, field_of_action=field, title="Mehr Plätze", indicator_name="Plätze", unit="Plätze",
        baseline_value=Decimal("10"), baseline_year=2020, target_value=Decimal("30"), target_year=2030,
    )  # fmt: skip
    GoalFactory(plan=plan, field_of_action=field, title="Ohne Werte")
    GoalReview.objects.create(review=review, goal=goal, assessment=Assessment.OFF_TRACK, comment="Stockt")
    measure = MeasureFactory(plan=plan, field_of_action=field, title="Wohnberatung")
    MeasureFactory(plan=plan, field_of_action=field, title="Mietspiegel")
    MeasureCheck.objects.create(review=review, measure=measure, status="planned", assessment=Assessment.AT_RISK)
    factor = Factor.objects.create(review=review, kind="barrier", text="Zu wenig Personal")
    factor.measures.set([measure])
    Adjustment.objects.create(
        review=review, kind="pause", measure=measure, description="Ruht", reason="Personal",
        decided_on=datetime.date(2026, 10, 1),
    )  # fmt: skip
    return review


def url(process, name, **extra):
    kwargs = {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": "zwischenbilanz"}
    return reverse(f"reviews:{name}", kwargs={**kwargs, **extra})


@pytest.mark.parametrize("role", ["coordinator", "contributor", "reader", "advisor"])
def test_members_read_every_page(request, login, process, filled, role):
    client = login(request.getfixturevalue(role))
    for name in ("review_progress", "review_factors", "review_adjustments", "review_consolidation", "review"):
        response = client.get(url(process, name, review_pk=filled.pk))
        assert response.status_code == 200, name
    assert client.get(url(process, "reviews")).status_code == 200


def test_overview_shows_traffic_lights_as_text_and_icon(login, coordinator, process, filled):
    html = (
        login(coordinator).get(url(process, "review", review_pk=filled.pk), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert 'class="light light--off_track"' in html
    assert "light__icon" in html and "✗" in html
    assert "Zwischenbilanz Herbst" in html and "<caption" in html


def test_reader_cannot_write(login, reader, process, plan, filled):
    client = login(reader)
    goal = plan.goals.first()
    measure = plan.measures.first()
    factor = filled.factors.first()
    adjustment = filled.adjustments.first()
    posts = [
        url(process, "reviews"),
        url(process, "review_edit", review_pk=filled.pk),
        url(process, "review_delete", review_pk=filled.pk),
        url(process, "review_meeting", review_pk=filled.pk),
        url(process, "review_snapshot", review_pk=filled.pk),
        url(process, "goal_review", review_pk=filled.pk, goal_pk=goal.pk),
        url(process, "measure_check", review_pk=filled.pk, measure_pk=measure.pk),
        url(process, "review_factors", review_pk=filled.pk),
        url(process, "factor_edit", review_pk=filled.pk, factor_pk=factor.pk),
        url(process, "factor_delete", review_pk=filled.pk, factor_pk=factor.pk),
        url(process, "review_adjustments", review_pk=filled.pk),
        url(process, "adjustment_apply", review_pk=filled.pk, adjustment_pk=adjustment.pk),
        url(process, "adjustment_delete", review_pk=filled.pk, adjustment_pk=adjustment.pk),
        url(process, "adjustments_version", review_pk=filled.pk),
        url(process, "review_consolidation", review_pk=filled.pk),
        url(process, "next_cycle"),
    ]
    for target in posts:
        assert client.post(target, {"title": "X", "date": "2026-10-01"}).status_code == 403, target
    assert Review.objects.count() == 1 and Factor.objects.count() == 1 and Adjustment.objects.count() == 1
    assert not Meeting.objects.exists()


def test_outsider_and_anonymous_get_404(client, login, outsider, process, filled):
    target = url(process, "review", review_pk=filled.pk)
    assert client.get(target).status_code in (302, 404)
    assert login(outsider).get(target).status_code == 404
    assert login(outsider).post(url(process, "reviews"), {"title": "X", "date": "2026-10-01"}).status_code == 404


def test_forged_ids_are_404(login, coordinator, process, plan, filled, other_process, outsider):
    other_review = ReviewFactory(process=other_process)
    other_plan = Plan.objects.create(process=other_process, municipality=other_process.municipality)
    other_goal = GoalFactory(plan=other_plan)
    client = login(coordinator)
    assert client.get(url(process, "review", review_pk=other_review.pk)).status_code == 404
    forged = url(process, "goal_review", review_pk=filled.pk, goal_pk=other_goal.pk)
    assert client.post(forged, {"assessment": "on_track"}).status_code == 404
    other_kommune = reverse(
        "reviews:review", args=[process.municipality.slug, other_process.pk, "zwischenbilanz", other_review.pk]
    )
    assert client.get(other_kommune).status_code == 404
    wrong_step = reverse("reviews:review", args=[process.municipality.slug, process.pk, "werkstattplan", filled.pk])
    assert client.get(wrong_step).status_code == 404


def test_contributor_creates_a_review_and_plans_the_meeting(login, contributor, process):
    client = login(contributor)
    response = client.post(url(process, "reviews"), {"title": "Bilanz 2026", "date": "2026-10-15"})
    review = Review.objects.get()
    assert response.status_code == 302 and response.url == url(process, "review", review_pk=review.pk)
    response = client.post(url(process, "review_meeting", review_pk=review.pk))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and str(meeting.pk) in response.url
    assert meeting.step == "review"


def test_create_with_bad_input_shows_german_message(login, coordinator, process):
    response = login(coordinator).post(url(process, "reviews"), {"title": "", "date": ""}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert not Review.objects.exists()


def test_goal_review_form_prefills_and_saves(login, coordinator, process, plan, review):
    field = FieldOfActionFactory(process=process)
    goal = GoalFactory(
        plan=plan, field_of_action=field, indicator_name="Plätze", unit="Plätze",
        baseline_value=Decimal("100"), baseline_year=2020, target_value=Decimal("200"), target_year=2030,
    )  # fmt: skip
    client = login(coordinator)
    target = url(process, "goal_review", review_pk=review.pk, goal_pk=goal.pk)
    assert client.get(target).status_code == 200
    response = client.post(
        target, {"latest_value": "110", "latest_year": "2025", "source": "Zählung", "assessment": "", "comment": "x"}
    )
    assert response.status_code == 302
    assert GoalReview.objects.get().assessment == Assessment.OFF_TRACK
    response = client.post(target, {"latest_value": "110", "assessment": ""})  # year missing
    assert response.status_code == 400


def test_adjustment_flow_via_pages(login, coordinator, process, plan, review):
    field = FieldOfActionFactory(process=process)
    measure = MeasureFactory(plan=plan, field_of_action=field, status=MeasureStatus.IN_PROGRESS)
    client = login(coordinator)
    response = client.post(
        url(process, "review_adjustments", review_pk=review.pk),
        {
            "kind": "drop",
            "measure": measure.pk,
            "description": "Entfällt",
            "reason": "Doppelt",
            "decided_on": "2026-10-20",
        },
    )
    assert response.status_code == 302
    adjustment = Adjustment.objects.get()
    client.post(url(process, "adjustment_apply", review_pk=review.pk, adjustment_pk=adjustment.pk))
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DROPPED
    client.post(
        url(process, "adjustments_version", review_pk=review.pk),
        {"version-name": "Anpassung nach Zwischenbilanz 10/2026", "version-date": "2026-10-21"},
    )
    adjustment.refresh_from_db()
    assert adjustment.plan_version.name == "Anpassung nach Zwischenbilanz 10/2026"


def test_consolidation_page_saves(login, contributor, process, review):
    client = login(contributor)
    target = url(process, "review_consolidation", review_pk=review.pk)
    assert client.get(target).status_code == 200
    response = client.post(target, {"budget_done": "on", "budget_note": "HH 2027", "network_done": "on"})
    assert response.status_code == 302
    assert set(review.consolidation.filter(done=True).values_list("key", flat=True)) == {"budget", "network"}


PINNED_QUERIES = 19


def test_overview_query_count_is_pinned(login, coordinator, process, plan, filled, django_assert_num_queries):
    client = login(coordinator)
    target = url(process, "review", review_pk=filled.pk)
    client.get(target)
    with django_assert_num_queries(PINNED_QUERIES):
        assert client.get(target).status_code == 200
    field = FieldOfActionFactory(process=process)
    for index in range(4):
        goal = GoalFactory(plan=plan, field_of_action=field)
        measure = MeasureFactory(plan=plan, field_of_action=field)
        GoalReview.objects.create(review=filled, goal=goal, assessment=Assessment.ON_TRACK)
        MeasureCheck.objects.create(review=filled, measure=measure, status="planned")
        Factor.objects.create(review=filled, kind="enabler", text=f"Hilft {index}").measures.set([measure])
    with django_assert_num_queries(PINNED_QUERIES):
        assert client.get(target).status_code == 200
