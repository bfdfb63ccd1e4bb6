import datetime

from daks.municipalities.models import Role
from daks.plans import selectors
from daks.plans.demo import seed_plan
from daks.plans.models import Goal, Measure, MeasureStatus, Milestone
from tests.factories import MembershipFactory, UserFactory

from .factories import ActorFactory, FieldOfActionFactory


def test_seed_plan_is_complete_and_idempotent(process, coordinator, municipality):
    contributor = UserFactory(email="mitarbeit@beispielstadt.example")
    MembershipFactory(municipality=municipality, user=contributor, role=Role.CONTRIBUTOR)
    ActorFactory(municipality=municipality, name="Seniorenbeirat")
    FieldOfActionFactory(process=process, title="Wohnen", priority=1)
    today = datetime.date(2026, 6, 1)
    plan = seed_plan(municipality, process, coordinator, today=today)
    seed_plan(municipality, process, coordinator, today=today)
    assert process.fields_of_action.count() == 6
    assert Goal.objects.filter(plan=plan).count() == 12
    assert Goal.objects.filter(plan=plan).exclude(indicator_code="").count() >= 4
    assert Measure.objects.filter(plan=plan).count() == 40
    assert set(Measure.objects.values_list("status", flat=True)) == set(MeasureStatus.values)
    assert Measure.objects.filter(responsible_person=contributor).exists()
    assert Measure.objects.filter(partners__name="Seniorenbeirat").exists()
    assert Milestone.objects.filter(done_on__isnull=True, due_date__lt=today).exists()
    assert selectors.measure_table(plan, selectors.MeasureFilter(overdue=True), today=today).exists()
    assert plan.vision
    for measure in Measure.objects.all():
        assert measure.budget_secured <= measure.budget_total
        assert measure.end_date >= measure.start_date
