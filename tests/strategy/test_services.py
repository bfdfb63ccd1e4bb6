import datetime

import pytest

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.strategy import services
from daks.strategy.models import ChecklistItem, ChecklistTick, Step, StepState, StepStatus, StrategyProcess
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_sets_up_steps_and_logs(process, coordinator):
    assert set(process.step_states.values_list("step", flat=True)) == set(Step.values)
    assert list(process.coordinators.all()) == [coordinator]
    entry = AuditLogEntry.objects.get(action="strategy.process.created")
    assert entry.data["process"] == process.pk and entry.actor == coordinator


def test_coordinators_must_be_members(municipality, coordinator, outsider):
    with pytest.raises(DomainError) as error:
        services.process_create(
            actor=coordinator, municipality=municipality, title="X", start_date=datetime.date(2026, 1, 1),
            coordinators=[outsider],
        )  # fmt: skip
    assert error.value.field == "coordinators"
    assert not StrategyProcess.objects.exists()


def test_reader_cannot_create(municipality, reader):
    with pytest.raises(DomainError):
        services.process_create(actor=reader, municipality=municipality, title="X", start_date=datetime.date.today())


def test_title_required_and_region_key_validated(municipality, contributor):
    with pytest.raises(DomainError) as error:
        services.process_create(
            actor=contributor, municipality=municipality, title="  ", start_date=datetime.date.today()
        )
    assert error.value.field == "title"
    with pytest.raises(DomainError) as error:
        services.process_create(
            actor=contributor, municipality=municipality, title="Q", start_date=datetime.date.today(),
            region_key="99999999",
        )  # fmt: skip
    assert error.value.field == "region_key"


def test_region_key_accepted_when_region_exists(municipality, contributor):
    from daks.demography.models import Region

    Region.objects.create(key="09162999", level="gemeinde", name="Musterstadt")
    process = services.process_create(
        actor=contributor, municipality=municipality, title="Q", start_date=datetime.date.today(), region_key="09162999"
    )
    assert process.region_key == "09162999"


def test_update_with_stale_version_raises_conflict_and_keeps_data(process, coordinator, contributor):
    stale = process.version
    services.process_update(actor=contributor, process=process, expected_version=stale, title="Erste Änderung")
    with pytest.raises(services.ProcessEditConflict) as conflict:
        services.process_update(actor=coordinator, process=process, expected_version=stale, title="Zweite Änderung")
    assert conflict.value.current.title == "Erste Änderung"
    process.refresh_from_db()
    assert process.title == "Erste Änderung"
    # saving again with the current version wins
    services.process_update(actor=coordinator, process=process, expected_version=process.version, title="Zweite")
    process.refresh_from_db()
    assert process.title == "Zweite"


def test_update_changes_team_only_with_members(process, coordinator, contributor, outsider):
    services.process_update(actor=coordinator, process=process, coordinators=[coordinator, contributor])
    assert set(process.coordinators.all()) == {coordinator, contributor}
    with pytest.raises(DomainError):
        services.process_update(actor=coordinator, process=process, coordinators=[outsider])
    assert set(process.coordinators.all()) == {coordinator, contributor}
    entry = AuditLogEntry.objects.filter(action="strategy.process.updated").first()
    assert entry.data["fields"] == ["coordinators"]


@pytest.mark.parametrize("role", ["contributor", "advisor", "coordinator"])
def test_editors_start_a_step(request, process, role):
    user = request.getfixturevalue(role)
    state = services.step_set_status(actor=user, process=process, step=Step.KICKOFF, status=StepStatus.IN_PROGRESS)
    assert state.status == StepStatus.IN_PROGRESS


def test_reader_cannot_change_status(process, reader):
    with pytest.raises(DomainError):
        services.step_set_status(actor=reader, process=process, step=Step.KICKOFF, status=StepStatus.IN_PROGRESS)


@pytest.mark.parametrize("role", ["contributor", "advisor"])
def test_only_coordination_marks_done_and_reopens(request, process, coordinator, role):
    user = request.getfixturevalue(role)
    with pytest.raises(DomainError):
        services.step_set_status(actor=user, process=process, step=Step.KICKOFF, status=StepStatus.DONE)
    state = services.step_set_status(actor=coordinator, process=process, step=Step.KICKOFF, status=StepStatus.DONE)
    assert state.done_by == coordinator and state.done_at
    with pytest.raises(DomainError):
        services.step_set_status(actor=user, process=process, step=Step.KICKOFF, status=StepStatus.IN_PROGRESS)
    state = services.step_set_status(actor=coordinator, process=process, step=Step.KICKOFF, status=StepStatus.OPEN)
    assert state.status == StepStatus.OPEN and state.done_at is None
    assert StepState.objects.get(process=process, step=Step.KICKOFF).status == StepStatus.OPEN


def test_tick_and_untick(process, contributor, reader):
    item = ChecklistItem.objects.get(step=Step.PROFILE, code="swot")
    services.checklist_tick(actor=contributor, process=process, step=Step.PROFILE, item_id=item.pk)
    services.checklist_tick(actor=contributor, process=process, step=Step.PROFILE, item_id=item.pk)  # no-op
    assert ChecklistTick.objects.filter(process=process).count() == 1
    assert AuditLogEntry.objects.filter(action="strategy.checklist.ticked").count() == 1
    with pytest.raises(DomainError):
        services.checklist_untick(actor=reader, process=process, step=Step.PROFILE, item_id=item.pk)
    services.checklist_untick(actor=contributor, process=process, step=Step.PROFILE, item_id=item.pk)
    assert not ChecklistTick.objects.exists()


def test_tick_rejects_item_of_other_step(process, contributor):
    item = ChecklistItem.objects.get(step=Step.PROFILE, code="swot")
    with pytest.raises(DomainError):
        services.checklist_tick(actor=contributor, process=process, step=Step.KICKOFF, item_id=item.pk)


def test_delete_only_by_coordination(process, coordinator, contributor):
    with pytest.raises(DomainError):
        services.process_delete(actor=contributor, process=process)
    services.process_delete(actor=coordinator, process=process)
    assert not StrategyProcess.objects.exists()
    assert AuditLogEntry.objects.filter(action="strategy.process.deleted").exists()


def test_non_member_cannot_do_anything(process):
    stranger = UserFactory()
    with pytest.raises(DomainError):
        services.process_update(actor=stranger, process=process, title="Hack")
