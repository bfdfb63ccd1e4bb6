import datetime

import pytest

from daks.municipalities.models import Role
from daks.plans import selectors
from daks.plans.models import MeasureStatus, TargetGroup
from daks.plans.selectors import MeasureFilter, measure_table, number_plan
from tests.factories import MembershipFactory

from .factories import FieldOfActionFactory, GoalFactory, MeasureFactory, MilestoneFactory

TODAY = datetime.date(2026, 6, 15)


def test_number_plan_is_pure_and_per_field():
    numbering = number_plan([10, 20], [(1, 20), (2, 10), (3, 20)], [(7, 20), (8, 20), (9, 10), (11, 99)])
    assert numbering.fields == {10: "1", 20: "2"}
    assert numbering.goals == {2: "1.1.1", 1: "2.1.1", 3: "2.1.2"}
    assert numbering.measures == {9: "1.2.1", 7: "2.2.1", 8: "2.2.2"}  # unknown field: no number


def test_plan_tree_numbers_by_field_ranking(plan):
    second = FieldOfActionFactory(process=plan.process, title="Pflege", priority=2)
    first = FieldOfActionFactory(process=plan.process, title="Wohnen", priority=1)
    goal_b = GoalFactory(plan=plan, field_of_action=second, position=2)
    goal_a = GoalFactory(plan=plan, field_of_action=second, position=1)
    measure = MeasureFactory(plan=plan, field_of_action=second, goals=[goal_b, goal_a], position=1)
    later = MeasureFactory(plan=plan, field_of_action=second, position=2, target_groups=["seniors", "all"])
    MeasureFactory(plan=plan, field_of_action=first, position=5)
    tree = selectors.plan_tree(plan, today=TODAY)
    assert [(node.number, node.field.title) for node in tree] == [("1", "Wohnen"), ("2", "Pflege")]
    node = tree[1]
    assert [(g.number, g.pk) for g in node.goals] == [("2.1.1", goal_a.pk), ("2.1.2", goal_b.pk)]
    assert [(m.number, m.pk) for m in node.measures] == [("2.2.1", measure.pk), ("2.2.2", later.pk)]
    assert node.measures[0].goal_numbers == ["2.1.1", "2.1.2"]
    assert node.measures[1].target_group_labels == [TargetGroup.SENIORS.label, TargetGroup.ALL.label]
    assert tree[0].measures[0].number == "1.2.1"
    assert selectors.plan_numbering(plan).measures[measure.pk] == "2.2.1"


@pytest.fixture
def table(plan, contributor, coordinator):
    housing = FieldOfActionFactory(process=plan.process, title="Wohnen", priority=1)
    care = FieldOfActionFactory(process=plan.process, title="Pflege", priority=2)
    measures = {
        "late": MeasureFactory(
            plan=plan,
            field_of_action=housing,
            title="Beta",
            status=MeasureStatus.IN_PROGRESS,
            responsible_person=contributor,
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2026, 1, 31),
            budget_own=500,
            target_groups=["seniors"],
        ),
        "milestone": MeasureFactory(
            plan=plan,
            field_of_action=care,
            title="alpha",
            status=MeasureStatus.PLANNED,
            responsible_person=coordinator,
            start_date=datetime.date(2027, 1, 1),
            end_date=datetime.date(2028, 12, 31),
            budget_own=100,
            budget_third_party=5000,
            target_groups=["youth", "families"],
        ),
        "done": MeasureFactory(
            plan=plan,
            field_of_action=care,
            title="Gamma",
            status=MeasureStatus.DONE,
            start_date=datetime.date(2023, 1, 1),
            end_date=datetime.date(2024, 12, 31),
            budget_own=0,
        ),
        "undated": MeasureFactory(
            plan=plan, field_of_action=housing, title="Delta", start_date=None, end_date=None, budget_own=50
        ),
    }
    MilestoneFactory(measure=measures["milestone"], due_date=datetime.date(2026, 5, 1))
    MilestoneFactory(measure=measures["milestone"], due_date=datetime.date(2026, 9, 1), title="Später")
    MilestoneFactory(measure=measures["done"], due_date=datetime.date(2024, 5, 1))
    MilestoneFactory(measure=measures["late"], due_date=datetime.date(2025, 5, 1), done_on=datetime.date(2025, 5, 2))
    measures["housing"], measures["care"] = housing, care
    return measures


def _titles(plan, **filters):
    sort = filters.pop("sort", "title")
    return [m.title for m in measure_table(plan, MeasureFilter(**filters), sort=sort, today=TODAY)]


def test_filters(plan, table, contributor):
    assert _titles(plan) == ["alpha", "Beta", "Delta", "Gamma"]
    assert _titles(plan, field=table["care"].pk) == ["alpha", "Gamma"]
    assert _titles(plan, status=MeasureStatus.DONE) == ["Gamma"]
    assert _titles(plan, responsible=contributor.pk) == ["Beta"]
    assert _titles(plan, target_group="families") == ["alpha"]
    assert _titles(plan, target_group="seniors") == ["Beta"]
    assert _titles(plan, year=2026) == ["Beta"]
    assert _titles(plan, year=2024) == ["Beta", "Gamma"]
    assert _titles(plan, year=2028) == ["alpha"]
    assert _titles(plan, overdue=True) == ["alpha", "Beta"]  # milestone overdue / end passed; done excluded


def test_annotations(plan, table):
    rows = {m.title: m for m in measure_table(plan, today=TODAY)}
    alpha = rows["alpha"]
    assert (alpha.milestone_count, alpha.milestones_open) == (2, 2)
    assert alpha.next_milestone_date == datetime.date(2026, 5, 1)
    assert alpha.overdue is True
    assert rows["Beta"].milestones_open == 0 and rows["Beta"].next_milestone_date is None
    assert rows["Gamma"].overdue is False
    assert alpha.budget_total_sum == 5100


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("number", ["Beta", "Delta", "alpha", "Gamma"]),
        ("title", ["alpha", "Beta", "Delta", "Gamma"]),
        ("-title", ["Gamma", "Delta", "Beta", "alpha"]),
        ("-budget", ["alpha", "Beta", "Delta", "Gamma"]),
        ("end", ["Gamma", "Beta", "alpha", "Delta"]),  # no end date last
        ("-end", ["alpha", "Beta", "Gamma", "Delta"]),
        ("status", ["alpha", "Delta", "Beta", "Gamma"]),  # planned (ties by id) < in progress < done
        ("nonsense", ["Beta", "Delta", "alpha", "Gamma"]),
    ],
)
def test_sorting(plan, table, sort, expected):
    assert _titles(plan, sort=sort) == expected


def test_filter_query_parsing():
    parsed = MeasureFilter.from_query(
        {"field": "x", "status": "done", "year": "20260", "overdue": "1", "target_group": "?"}
    )
    assert parsed == MeasureFilter(status="done", overdue=True)
    assert parsed.as_query() == "status=done&overdue=1"
    assert selectors.normalise_filter_query("?sort=title&year=2027") == "year=2027&sort=title"
    assert selectors.normalise_filter_query("sort=number") == ""


def test_my_measures_across_kommunen(plan, other_plan, contributor, other_municipality):
    field = FieldOfActionFactory(process=plan.process)
    other_field = FieldOfActionFactory(process=other_plan.process)
    mine = MeasureFactory(
        plan=plan, field_of_action=field, responsible_person=contributor, end_date=datetime.date(2027, 1, 1)
    )
    MeasureFactory(plan=plan, field_of_action=field, responsible_person=contributor, status=MeasureStatus.DONE)
    MeasureFactory(plan=plan, field_of_action=field)
    elsewhere = MeasureFactory(
        plan=other_plan, field_of_action=other_field, responsible_person=contributor, end_date=datetime.date(2026, 8, 1)
    )
    # Not (or no longer) a member of the other Kommune: its measure is not shown.
    assert list(selectors.my_measures(contributor, today=TODAY)) == [mine]
    MembershipFactory(municipality=other_municipality, user=contributor, role=Role.CONTRIBUTOR)
    assert list(selectors.my_measures(contributor, today=TODAY)) == [elsewhere, mine]
    assert list(selectors.my_measures(contributor, plan=plan, today=TODAY)) == [mine]


def test_plan_criterion(plan, process, contributor):
    assert selectors.plan_criterion(process) == (0, 2)
    field = FieldOfActionFactory(process=process)
    GoalFactory(plan=plan, field_of_action=field)
    measure = MeasureFactory(plan=plan, field_of_action=field, end_date=datetime.date(2027, 1, 1))
    assert selectors.plan_criterion(process) == (1, 2)
    measure.responsible_person = contributor
    measure.save()
    assert selectors.plan_criterion(process) == (2, 2)
    FieldOfActionFactory(process=process)  # a field of action without a goal
    assert selectors.plan_criterion(process) == (1, 2)
