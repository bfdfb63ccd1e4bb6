"""Next cycle: a new process that carries over fields of action, profile, actors and the current plan version."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.plans.models import Goal, Measure, MeasureStatus, Plan
from daks.plans.versions import version_create
from daks.profile.models import FieldOfAction, ProfileInterpretation, SwotItem
from daks.reviews import next_cycle
from daks.strategy.models import StrategyProcess
from tests.plans.factories import ActorFactory, FieldOfActionFactory, GoalFactory, MeasureFactory, MilestoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def old(process, coordinator):
    """Two fields of action with SWOT entries, an interpretation, a plan with a frozen version and later edits."""
    plan = Plan.objects.create(process=process, municipality=process.municipality)
    swot = SwotItem.objects.create(
        process=process, municipality=process.municipality, quadrant="strength", text="Starkes Ehrenamt",
        evidence="Befragung 2025",
    )  # fmt: skip
    housing = FieldOfActionFactory(process=process, title="Wohnen", priority=1)
    housing.swot_items.set([swot])
    care = FieldOfActionFactory(process=process, title="Pflege", priority=2)
    ProfileInterpretation.objects.create(
        process=process, municipality=process.municipality, section="figures", text="Wir altern."
    )
    partner = ActorFactory(municipality=process.municipality, name="Seniorenbeirat")
    goal = GoalFactory(
        plan=plan, field_of_action=housing, title="Mehr barrierefreie Wohnungen", indicator_name="Wohnungen",
        unit="Wohnungen", baseline_value=Decimal("10"), baseline_year=2024, target_value=Decimal("50"),
        target_year=2030,
    )  # fmt: skip
    advice = MeasureFactory(
        plan=plan, field_of_action=housing, title="Wohnberatung", goals=[goal], partners=[partner],
        responsible_person=coordinator, status=MeasureStatus.IN_PROGRESS,
    )  # fmt: skip
    MilestoneFactory(measure=advice, title="Offen", due_date=datetime.date(2027, 1, 1))
    MilestoneFactory(
        measure=advice, title="Erreicht", due_date=datetime.date(2026, 1, 1), done_on=datetime.date(2026, 1, 2)
    )
    MeasureFactory(plan=plan, field_of_action=care, title="Pflegestützpunkt")
    MeasureFactory(plan=plan, field_of_action=care, title="Verworfen", status=MeasureStatus.DROPPED)
    version_create(plan=plan, actor=coordinator, name="Beschluss", date=datetime.date(2026, 5, 1))
    MeasureFactory(plan=plan, field_of_action=care, title="Nach der Fassung")  # not in the version
    return process


def test_cycle_copies_profile_fields_and_the_plan_version(coordinator, old):
    result = next_cycle.cycle_start(actor=coordinator, process=old, title="", start_date=datetime.date(2027, 1, 1))
    new = result.process
    assert new.pk != old.pk and new.title.startswith("Musterstadt 2040")
    assert list(new.coordinators.all()) == [coordinator]
    assert (result.fields_of_action, result.swot_items, result.interpretations) == (2, 1, 1)
    assert (result.goals, result.measures, result.source) == (1, 2, "Beschluss")
    fields = {foa.title: foa for foa in FieldOfAction.objects.filter(process=new)}
    assert [(foa.title, foa.priority) for foa in sorted(fields.values(), key=lambda f: f.priority)] == [
        ("Wohnen", 1),
        ("Pflege", 2),
    ]
    swot = SwotItem.objects.get(process=new)
    assert swot.text == "Starkes Ehrenamt" and "Musterstadt 2040" in swot.evidence
    assert list(fields["Wohnen"].swot_items.all()) == [swot]
    assert "Wir altern." in ProfileInterpretation.objects.get(process=new).text
    measures = {m.title: m for m in Measure.objects.filter(plan__process=new)}
    assert set(measures) == {"Wohnberatung", "Pflegestützpunkt"}  # dropped and later measures stay behind
    advice = measures["Wohnberatung"]
    assert advice.field_of_action == fields["Wohnen"] and advice.status == MeasureStatus.IN_PROGRESS
    goal = Goal.objects.get(plan__process=new)
    assert list(advice.goals.all()) == [goal] and goal.field_of_action == fields["Wohnen"]
    assert [p.name for p in advice.partners.all()] == ["Seniorenbeirat"]
    assert advice.responsible_person == coordinator
    assert [m.title for m in advice.milestones.all()] == ["Offen"]
    # The old process keeps everything.
    assert Measure.objects.filter(plan__process=old).count() == 4
    assert FieldOfAction.objects.filter(process=old).count() == 2
    entry = AuditLogEntry.objects.get(action="reviews.cycle.started")
    assert entry.data["process"] == new.pk and entry.data["previous_process"] == old.pk


def test_cycle_without_version_uses_the_live_plan(coordinator, process):
    plan = Plan.objects.create(process=process, municipality=process.municipality)
    field = FieldOfActionFactory(process=process)
    MeasureFactory(plan=plan, field_of_action=field, title="Live")
    result = next_cycle.cycle_start(
        actor=coordinator, process=process, title="Zyklus 2", start_date=datetime.date(2027, 1, 1)
    )
    assert result.process.title == "Zyklus 2" and result.source == ""
    assert [m.title for m in Measure.objects.filter(plan__process=result.process)] == ["Live"]


def test_only_coordination_starts_a_cycle(contributor, process):
    with pytest.raises(DomainError):
        next_cycle.cycle_start(actor=contributor, process=process, title="X", start_date=datetime.date(2027, 1, 1))
    assert StrategyProcess.objects.count() == 1


@pytest.mark.parametrize(("role", "status"), [("coordinator", 200), ("contributor", 403), ("reader", 403)])
def test_next_cycle_page_roles(request, login, process, role, status):
    target = reverse("reviews:next_cycle", args=[process.municipality.slug, process.pk, "zwischenbilanz"])
    assert login(request.getfixturevalue(role)).get(target).status_code == status


def test_next_cycle_page_starts_the_cycle(login, coordinator, old):
    target = reverse("reviews:next_cycle", args=[old.municipality.slug, old.pk, "zwischenbilanz"])
    response = login(coordinator).post(target, {"title": "Musterstadt 2045", "start_date": "2027-01-01"})
    new = StrategyProcess.objects.get(title="Musterstadt 2045")
    assert response.status_code == 302 and str(new.pk) in response.url
    assert login(coordinator).post(target, {"title": "X", "start_date": ""}).status_code == 400
