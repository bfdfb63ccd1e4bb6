import datetime
from decimal import Decimal

import pytest

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.plans import services
from daks.plans.models import Goal, Measure, MeasureStatus, Milestone, SavedFilter
from tests.factories import UserFactory

from .factories import ActorFactory, FieldOfActionFactory, GoalFactory, MeasureFactory, MilestoneFactory


@pytest.fixture
def field(plan):
    return FieldOfActionFactory(process=plan.process, title="Wohnen", priority=1)


def _data(field, **extra):
    return {"field_of_action": field, "title": "Wohnberatung für Ältere", **extra}


def test_measure_create_with_relations_and_audit(plan, field, coordinator, contributor):
    goal = GoalFactory(plan=plan, field_of_action=field)
    actor = ActorFactory(municipality=plan.municipality)
    measure = services.measure_create(
        plan=plan,
        user=coordinator,
        data=_data(
            field,
            goals=[goal],
            partners=[actor],
            target_groups=["seniors", "families", "seniors"],
            responsible_person=contributor,
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2027, 6, 30),
            budget_own="1000",
            budget_third_party=Decimal("2000"),
            budget_secured=Decimal("2500"),
            status=MeasureStatus.PLANNED,
            progress=10,
            milestones=[{"title": "Konzept", "due_date": "2026-05-01"}],
        ),
    )
    assert list(measure.goals.all()) == [goal]
    assert list(measure.partners.all()) == [actor]
    assert measure.target_groups == ["families", "seniors"]
    assert measure.budget_total == Decimal("3000.00")
    assert measure.created_by == coordinator
    assert measure.milestones.get().due_date == datetime.date(2026, 5, 1)
    entry = AuditLogEntry.objects.get(action="plans.measure.created")
    assert entry.data == {"process": plan.process_id, "measure": measure.pk}
    assert entry.municipality == plan.municipality


def test_measures_are_appended_to_their_field(plan, field, coordinator):
    first = services.measure_create(plan=plan, user=coordinator, data=_data(field))
    second = services.measure_create(plan=plan, user=coordinator, data=_data(field, title="Zweite"))
    assert second.position > first.position


@pytest.mark.parametrize(
    ("extra", "field_name"),
    [
        ({"title": "  "}, "title"),
        ({"start_date": datetime.date(2027, 1, 1), "end_date": datetime.date(2026, 1, 1)}, "end_date"),
        ({"progress": 101}, "progress"),
        ({"progress": -1}, "progress"),
        ({"budget_own": "-5"}, "budget_own"),
        ({"budget_own": "abc"}, "budget_own"),
        ({"budget_own": 100, "budget_third_party": 50, "budget_secured": 151}, "budget_secured"),
        ({"target_groups": ["aliens"]}, "target_groups"),
        ({"status": "forgotten"}, "status"),
        ({"priority": "urgent"}, "priority"),
        ({"funding_url": "javascript:alert(1)"}, "funding_url"),
        ({"milestones": [{"title": "Ohne Datum", "due_date": None}]}, "due_date"),
    ],
)
def test_measure_validation(plan, field, coordinator, extra, field_name):
    with pytest.raises(DomainError) as error:
        services.measure_create(plan=plan, user=coordinator, data=_data(field, **extra))
    assert error.value.field == field_name
    assert not Measure.objects.exists()
    assert not AuditLogEntry.objects.filter(action__startswith="plans.").exists()


def test_measure_refuses_objects_of_other_plans_and_kommunen(plan, other_plan, field, coordinator, outsider):
    foreign_field = FieldOfActionFactory(process=other_plan.process)
    foreign_goal = GoalFactory(plan=other_plan, field_of_action=foreign_field)
    foreign_actor = ActorFactory(municipality=other_plan.municipality)
    cases = [
        ({"field_of_action": foreign_field}, "field_of_action"),
        ({"goals": [foreign_goal]}, "goals"),
        ({"partners": [foreign_actor]}, "partners"),
        ({"responsible_person": outsider}, "responsible_person"),
        ({"responsible_person": UserFactory()}, "responsible_person"),
    ]
    for extra, field_name in cases:
        with pytest.raises(DomainError) as error:
            services.measure_create(plan=plan, user=coordinator, data={**_data(field), **extra})
        assert error.value.field == field_name
    assert not Measure.objects.exists()


def test_measure_update_keeps_missing_keys_and_logs_changes(plan, field, coordinator, contributor):
    measure = MeasureFactory(plan=plan, field_of_action=field, responsible_person=contributor, progress=20)
    actor = ActorFactory(municipality=plan.municipality)
    updated = services.measure_update(
        measure=measure,
        user=coordinator,
        data={"title": "Neuer Titel", "partners": [actor]},
        version=measure.version,
    )
    assert updated.title == "Neuer Titel"
    assert updated.responsible_person == contributor
    assert updated.progress == 20
    entry = AuditLogEntry.objects.get(action="plans.measure.updated")
    assert entry.data["measure"] == measure.pk
    assert entry.data["process"] == plan.process_id
    assert set(entry.data["changes"]) == {"title", "partners"}
    assert entry.data["changes"]["partners"] == [[], [actor.name]]


def test_measure_update_conflict(plan, field, coordinator):
    measure = MeasureFactory(plan=plan, field_of_action=field, title="Alt")
    stale = measure.version
    services.measure_update(measure=measure, user=coordinator, data={"title": "Zwischendurch"}, version=stale)
    with pytest.raises(services.MeasureEditConflict) as error:
        services.measure_update(measure=measure, user=coordinator, data={"title": "Meins"}, version=stale)
    assert error.value.current.title == "Zwischendurch"
    measure.refresh_from_db()
    assert measure.title == "Zwischendurch"


def test_measure_update_moving_field_appends(plan, field, coordinator):
    other = FieldOfActionFactory(process=plan.process, priority=2)
    existing = MeasureFactory(plan=plan, field_of_action=other, position=7)
    measure = MeasureFactory(plan=plan, field_of_action=field, position=1)
    services.measure_update(measure=measure, user=coordinator, data={"field_of_action": other}, version=None)
    measure.refresh_from_db()
    assert measure.field_of_action == other
    assert measure.position > existing.position


def test_set_status(plan, field, coordinator):
    measure = MeasureFactory(plan=plan, field_of_action=field, status=MeasureStatus.PLANNED, progress=30)
    version = measure.version
    services.measure_set_status(measure=measure, user=coordinator, status=MeasureStatus.DONE, version=version)
    measure.refresh_from_db()
    assert (measure.status, measure.progress) == (MeasureStatus.DONE, 100)
    entry = AuditLogEntry.objects.get(action="plans.measure.status_changed")
    assert entry.data["changes"]["status"] == ["planned", "done"]
    with pytest.raises(services.MeasureEditConflict):
        services.measure_set_status(measure=measure, user=coordinator, status=MeasureStatus.PAUSED, version=version)
    with pytest.raises(DomainError):
        services.measure_set_status(measure=measure, user=coordinator, status="nonsense")
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.DONE


def test_measure_move_within_field(plan, field, coordinator):
    other_field = FieldOfActionFactory(process=plan.process, priority=2)
    a = MeasureFactory(plan=plan, field_of_action=field, position=1)
    b = MeasureFactory(plan=plan, field_of_action=field, position=2)
    elsewhere = MeasureFactory(plan=plan, field_of_action=other_field, position=1)
    version = b.version
    assert services.measure_move(measure=b, user=coordinator, direction="up") is True
    order = list(Measure.objects.filter(field_of_action=field).order_by("position").values_list("pk", flat=True))
    assert order == [b.pk, a.pk]
    b.refresh_from_db()
    assert b.version == version  # reordering does not conflict with an open edit form
    assert services.measure_move(measure=b, user=coordinator, direction="up") is False
    elsewhere.refresh_from_db()
    assert elsewhere.position == 1
    with pytest.raises(DomainError):
        services.measure_move(measure=b, user=coordinator, direction="sideways")


def test_measure_delete_logs(plan, field, coordinator):
    measure = MeasureFactory(plan=plan, field_of_action=field)
    pk = measure.pk
    services.measure_delete(measure=measure, user=coordinator)
    assert not Measure.objects.filter(pk=pk).exists()
    assert AuditLogEntry.objects.get(action="plans.measure.deleted").data == {"process": plan.process_id, "measure": pk}


# --- Goals --------------------------------------------------------------------------------------


def test_goal_create_with_official_indicator(plan, field, coordinator):
    goal = services.goal_create(
        plan=plan,
        user=coordinator,
        data={
            "field_of_action": field,
            "title": "Mehr barrierearme Wohnungen",
            "indicator_code": "share_65_plus",
            "baseline_value": "22.5",
            "baseline_year": 2024,
            "target_value": "25",
            "target_year": 2030,
        },
    )
    assert goal.baseline_value == Decimal("22.5")
    assert goal.municipality == plan.municipality
    assert AuditLogEntry.objects.get(action="plans.goal.created").data["process"] == plan.process_id


@pytest.mark.parametrize(
    ("extra", "field_name"),
    [
        ({"title": ""}, "title"),
        ({"indicator_code": "invented"}, "indicator_code"),
        ({"indicator_code": "share_65_plus", "indicator_name": "Eigenes"}, "indicator_name"),
        ({"indicator_name": "Plätze in der Tagespflege"}, "unit"),
        ({"indicator_code": "share_65_plus", "baseline_value": 3}, "baseline_year"),
        ({"indicator_code": "share_65_plus", "target_value": 3, "target_year": 2999}, "target_year"),
        (
            {
                "indicator_code": "share_65_plus",
                "baseline_value": 1,
                "baseline_year": 2030,
                "target_value": 2,
                "target_year": 2025,
            },
            "target_year",
        ),
        ({"baseline_value": 1, "baseline_year": 2020}, "indicator_code"),
    ],
)
def test_goal_validation(plan, field, coordinator, extra, field_name):
    with pytest.raises(DomainError) as error:
        services.goal_create(plan=plan, user=coordinator, data={"field_of_action": field, "title": "Ziel", **extra})
    assert error.value.field == field_name
    assert not Goal.objects.exists()


def test_goal_field_of_other_process_refused(plan, other_plan, coordinator):
    foreign = FieldOfActionFactory(process=other_plan.process)
    with pytest.raises(DomainError):
        services.goal_create(plan=plan, user=coordinator, data={"field_of_action": foreign, "title": "Ziel"})


def test_goal_update_conflict_and_move(plan, field, coordinator):
    goal = GoalFactory(plan=plan, field_of_action=field, position=1)
    other = GoalFactory(plan=plan, field_of_action=field, position=2)
    stale = goal.version
    services.goal_update(goal=goal, user=coordinator, data={"title": "Neu"}, version=stale)
    with pytest.raises(services.GoalEditConflict):
        services.goal_update(goal=goal, user=coordinator, data={"title": "Alt"}, version=stale)
    assert services.goal_move(goal=other, user=coordinator, direction="up")
    assert list(Goal.objects.filter(plan=plan).values_list("pk", flat=True)) == [other.pk, goal.pk]
    services.goal_delete(goal=goal, user=coordinator)
    assert list(Goal.objects.values_list("pk", flat=True)) == [other.pk]


# --- Plan text, milestones, saved filters --------------------------------------------------------


def test_plan_get_or_create_and_update(process, coordinator):
    plan = services.plan_get_or_create(process=process)
    assert services.plan_get_or_create(process=process) == plan
    stale = plan.version
    services.plan_update(plan=plan, user=coordinator, vision="# Leitbild", introduction="Text", version=stale)
    with pytest.raises(services.PlanEditConflict):
        services.plan_update(plan=plan, user=coordinator, vision="x", introduction="y", version=stale)
    plan.refresh_from_db()
    assert plan.vision == "# Leitbild"
    assert AuditLogEntry.objects.filter(action="plans.plan.updated").count() == 1


def test_milestones(plan, field, coordinator):
    measure = MeasureFactory(plan=plan, field_of_action=field)
    milestone = services.milestone_add(measure=measure, user=coordinator, title="Start", due_date="2026-02-01")
    today = datetime.date(2026, 3, 1)
    assert services.milestone_toggle_done(milestone=milestone, user=coordinator, today=today).done_on == today
    assert services.milestone_toggle_done(milestone=milestone, user=coordinator).done_on is None
    services.milestone_update(milestone=milestone, user=coordinator, title="Anfang", due_date=datetime.date(2026, 4, 1))
    with pytest.raises(DomainError):
        services.milestone_add(measure=measure, user=coordinator, title="", due_date="2026-02-01")
    with pytest.raises(DomainError):
        services.milestone_add(measure=measure, user=coordinator, title="Kein Datum", due_date="")
    actions = list(
        AuditLogEntry.objects.filter(action__startswith="plans.").order_by("id").values_list("action", flat=True)
    )
    assert actions == [
        "plans.milestone.created",
        "plans.milestone.reached",
        "plans.milestone.reopened",
        "plans.milestone.updated",
    ]
    assert AuditLogEntry.objects.filter(action__startswith="plans.").first().data["measure"] == measure.pk
    services.milestone_delete(milestone=milestone, user=coordinator)
    assert not Milestone.objects.exists()


def test_saved_filters(plan, coordinator):
    saved = services.saved_filter_create(
        plan=plan, user=coordinator, name="Überfällig", query="?overdue=1&bogus=3&status=planned&sort=-end"
    )
    assert saved.query == "status=planned&overdue=1&sort=-end"
    with pytest.raises(DomainError):
        services.saved_filter_create(plan=plan, user=coordinator, name="überfällig", query="overdue=1")
    with pytest.raises(DomainError):
        services.saved_filter_create(plan=plan, user=coordinator, name="Leer", query="bogus=1")
    services.saved_filter_delete(saved_filter=saved, user=coordinator)
    assert not SavedFilter.objects.exists()


def test_milestone_factory_default(plan, field):
    measure = MeasureFactory(plan=plan, field_of_action=field)
    assert MilestoneFactory(measure=measure).measure == measure
