"""Tasks (Aufgaben): services, selectors, views per role, dashboard."""

import datetime

import factory
import pytest
from django.urls import reverse
from django.utils import translation

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.municipalities.models import Role
from daks.strategy import task_selectors, task_services
from daks.strategy.models import Step, StrategyProcess, Task, TaskStatus

from ..factories import MembershipFactory, MunicipalityFactory

TODAY = datetime.date(2026, 11, 27)


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyProcess

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Gesamtstadt {n}")
    start_date = datetime.date(2026, 1, 1)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Aufgabe {n}")
    status = TaskStatus.OPEN


def url(name, municipality, **kwargs):
    return reverse(f"strategy:{name}", kwargs={"municipality_slug": municipality.slug, **kwargs})


# --- services -------------------------------------------------------------------------------------


def test_create_task_with_process_and_member_writes_audit_and_mails_assignee(
    municipality, coordinator, contributor, mailoutbox, django_capture_on_commit_callbacks
):
    process = ProcessFactory(municipality=municipality)
    with django_capture_on_commit_callbacks(execute=True):
        task = task_services.task_create(
            actor=coordinator,
            municipality=municipality,
            title="  Kick-off   vorbereiten ",
            process=process,
            step=Step.KICKOFF,
            assignee=contributor,
            due_date=TODAY,
        )
    assert task.title == "Kick-off vorbereiten"
    assert task.created_by == coordinator
    entry = AuditLogEntry.objects.get(action="strategy.task.created")
    assert entry.data["process_id"] == process.pk
    assert entry.data["task_id"] == task.pk
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [contributor.email]
    assert "Kick-off vorbereiten" in mail.subject
    assert url("task_edit", municipality, pk=task.pk) in mail.body
    assert not mail.alternatives  # plain text only


def test_no_mail_when_assigning_yourself(municipality, coordinator, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task_services.task_create(actor=coordinator, municipality=municipality, title="Selbst", assignee=coordinator)
    assert mailoutbox == []


def test_assignee_must_be_member(municipality, coordinator, outsider):
    with translation.override("en"), pytest.raises(DomainError) as error:
        task_services.task_create(actor=coordinator, municipality=municipality, title="X", assignee=outsider)
    assert error.value.field == "assignee"
    assert "members of the municipality" in str(error.value.message)
    assert not Task.objects.exists()


def test_process_must_belong_to_the_municipality(municipality, coordinator, other_municipality):
    foreign = ProcessFactory(municipality=other_municipality)
    with pytest.raises(DomainError) as error:
        task_services.task_create(actor=coordinator, municipality=municipality, title="X", process=foreign)
    assert error.value.field == "process"


@pytest.mark.parametrize("link", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_link_must_stay_inside_daks(municipality, coordinator, link):
    with pytest.raises(DomainError):
        task_services.task_create(actor=coordinator, municipality=municipality, title="X", link_url=link)


def test_update_detects_conflict_and_overwrites_nothing(municipality, coordinator, contributor):
    task = TaskFactory(municipality=municipality, title="Alt")
    stale = task.version
    task_services.task_update(actor=contributor, task=task, expected_version=stale, title="Von Mitarbeit")
    with pytest.raises(task_services.TaskEditConflict) as conflict:
        task_services.task_update(actor=coordinator, task=task, expected_version=stale, title="Von Koordination")
    assert conflict.value.current.title == "Von Mitarbeit"
    task.refresh_from_db()
    assert task.title == "Von Mitarbeit"
    # with the current version the second save goes through
    task_services.task_update(actor=coordinator, task=task, expected_version=task.version, title="Endgültig")
    task.refresh_from_db()
    assert task.title == "Endgültig"


def test_reassignment_mails_the_new_assignee_only(
    municipality, coordinator, contributor, advisor, mailoutbox, django_capture_on_commit_callbacks
):
    task = TaskFactory(municipality=municipality, assignee=contributor)
    with django_capture_on_commit_callbacks(execute=True):
        task_services.task_update(actor=coordinator, task=task, title="Neu betitelt")
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        task_services.task_update(actor=coordinator, task=task, assignee=advisor)
    assert [m.to for m in mailoutbox] == [[advisor.email]]
    assert AuditLogEntry.objects.filter(action="strategy.task.updated").order_by("pk").last().data["fields"] == [
        "assignee"
    ]


def test_status_done_sets_and_reopen_clears_completed_at(municipality, coordinator):
    task = TaskFactory(municipality=municipality)
    now = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)
    task = task_services.task_set_status(actor=coordinator, task=task, status=TaskStatus.DONE, now=now)
    assert task.completed_at == now
    task = task_services.task_set_status(actor=coordinator, task=task, status=TaskStatus.IN_PROGRESS)
    assert task.completed_at is None
    actions = list(AuditLogEntry.objects.order_by("pk").values_list("action", "data__new"))
    assert actions == [("strategy.task.status_changed", "done"), ("strategy.task.status_changed", "in_progress")]


def test_invalid_status_is_refused(municipality, coordinator):
    task = TaskFactory(municipality=municipality)
    with pytest.raises(DomainError):
        task_services.task_set_status(actor=coordinator, task=task, status="vergessen")


def test_delete_is_audited(municipality, coordinator):
    process = ProcessFactory(municipality=municipality)
    task = TaskFactory(municipality=municipality, process=process)
    task_services.task_delete(actor=coordinator, task=task)
    assert not Task.objects.exists()
    entry = AuditLogEntry.objects.get(action="strategy.task.deleted")
    assert entry.data["process_id"] == process.pk


# --- selectors ------------------------------------------------------------------------------------


def test_tasks_for_municipality_filters(municipality, contributor, advisor, other_municipality):
    process = ProcessFactory(municipality=municipality)
    late = TaskFactory(municipality=municipality, assignee=contributor, due_date=TODAY - datetime.timedelta(days=1))
    soon = TaskFactory(municipality=municipality, assignee=advisor, due_date=TODAY, process=process)
    done = TaskFactory(municipality=municipality, status=TaskStatus.DONE, due_date=TODAY - datetime.timedelta(days=9))
    TaskFactory(municipality=other_municipality)

    def pks(**kwargs):
        return [t.pk for t in task_selectors.tasks_for_municipality(municipality, today=TODAY, **kwargs)]

    assert pks() == [late.pk, soon.pk, done.pk]
    assert pks(overdue=True) == [late.pk]  # done tasks are never overdue
    assert pks(overdue=False) == [soon.pk, done.pk]
    assert pks(assignee=advisor) == [soon.pk]
    assert pks(process=process) == [soon.pk]
    assert pks(status=TaskStatus.DONE) == [done.pk]


def test_open_tasks_for_user_across_municipalities(municipality, contributor, other_municipality):
    MembershipFactory(municipality=other_municipality, user=contributor, role=Role.READER)
    no_date = TaskFactory(municipality=municipality, assignee=contributor)
    late = TaskFactory(municipality=other_municipality, assignee=contributor, due_date=TODAY - datetime.timedelta(1))
    later = TaskFactory(municipality=municipality, assignee=contributor, due_date=TODAY + datetime.timedelta(5))
    TaskFactory(municipality=municipality, assignee=contributor, status=TaskStatus.DONE)
    TaskFactory(municipality=municipality)  # somebody else's
    left = MunicipalityFactory()  # assigned there, but no longer a member
    TaskFactory(municipality=left, assignee=contributor)
    tasks = list(task_selectors.open_tasks_for_user(contributor, today=TODAY))
    assert [t.pk for t in tasks] == [late.pk, later.pk, no_date.pk]
    assert [t.is_overdue for t in tasks] == [True, False, False]
