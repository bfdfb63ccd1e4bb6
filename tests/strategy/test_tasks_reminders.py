"""Reminder mails for tasks due soon or overdue: once per due date, in the assignee's language."""

import datetime

import pytest
from django.core.management import call_command

from daks.core.models import AuditLogEntry
from daks.strategy import tasks as strategy_jobs
from daks.strategy.models import TaskStatus

from ..factories import MembershipFactory, UserFactory
from .test_tasks import TaskFactory

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def member(municipality):
    return MembershipFactory(municipality=municipality, user=UserFactory(language="de")).user


def run(today=TODAY, *args):
    from io import StringIO

    out = StringIO()
    call_command("send_task_reminders", f"--today={today.isoformat()}", *args, stdout=out)
    return out.getvalue()


def test_reminds_of_due_soon_and_overdue_tasks_only(municipality, member, mailoutbox):
    days = datetime.timedelta
    due_soon = TaskFactory(municipality=municipality, assignee=member, due_date=TODAY + days(2), title="Bald")
    overdue = TaskFactory(municipality=municipality, assignee=member, due_date=TODAY - days(4), title="Spät")
    TaskFactory(municipality=municipality, assignee=member, due_date=TODAY + days(3), title="Später")
    TaskFactory(municipality=municipality, assignee=member, due_date=TODAY, status=TaskStatus.DONE)
    TaskFactory(municipality=municipality, assignee=member, title="Ohne Datum")
    TaskFactory(municipality=municipality, due_date=TODAY, title="Niemandem zugewiesen")
    assert "2 task reminder(s) queued." in run()
    titles = sorted(
        next(t for t in ("Bald", "Spät") if t in m.subject)
        for m in mailoutbox
        if "Bald" in m.subject or "Spät" in m.subject
    )
    assert len(mailoutbox) == 2 and titles == ["Bald", "Spät"]
    assert {m.to[0] for m in mailoutbox} == {member.email}
    assert all(not m.alternatives for m in mailoutbox)  # plain text
    for task in (due_soon, overdue):
        task.refresh_from_db()
        assert task.reminder_sent_for == task.due_date
    assert AuditLogEntry.objects.filter(action="strategy.task.reminder_sent").count() == 2


def test_days_option(municipality, member, mailoutbox):
    TaskFactory(municipality=municipality, assignee=member, due_date=TODAY + datetime.timedelta(5))
    assert "0 task reminder(s)" in run(TODAY, "--days=2")
    assert "1 task reminder(s)" in run(TODAY, "--days=5")


def test_once_per_due_date_and_again_after_a_change(municipality, member, mailoutbox):
    task = TaskFactory(municipality=municipality, assignee=member, due_date=TODAY + datetime.timedelta(1))
    run()
    run()
    run(TODAY + datetime.timedelta(days=3))  # now overdue: still the same due date, no second mail
    assert len(mailoutbox) == 1
    task.due_date = TODAY + datetime.timedelta(days=2)
    task.save()
    run()
    assert len(mailoutbox) == 2
    task.refresh_from_db()
    assert task.reminder_sent_for == TODAY + datetime.timedelta(days=2)


def test_no_reminder_for_a_former_member(municipality, member, mailoutbox):
    TaskFactory(municipality=municipality, assignee=member, due_date=TODAY)
    municipality.memberships.filter(user=member).delete()
    assert "0 task reminder(s)" in run()
    assert mailoutbox == []


def test_mail_in_the_recipients_language(municipality, mailoutbox):
    english = MembershipFactory(municipality=municipality, user=UserFactory(language="en")).user
    german = MembershipFactory(municipality=municipality, user=UserFactory(language="de")).user
    due = datetime.date(2026, 11, 28)
    TaskFactory(municipality=municipality, assignee=english, due_date=due, title="Task EN")
    TaskFactory(municipality=municipality, assignee=german, due_date=due, title="Aufgabe DE")
    run()
    mails = {m.to[0]: m for m in mailoutbox}
    assert "Task due soon: Task EN" in mails[english.email].subject
    assert "is due on 11/28/2026" in mails[english.email].body
    # German date format (the German wording comes with the catalogue the lead merges)
    assert "28.11.2026" in mails[german.email].body
    assert "Task EN" not in mails[german.email].body


def test_overdue_wording(municipality, member, mailoutbox, settings):
    member.language = "en"
    member.save()
    TaskFactory(municipality=municipality, assignee=member, due_date=TODAY - datetime.timedelta(1), title="Alt")
    run()
    assert "Overdue task: Alt" in mailoutbox[0].subject
    assert "was due on" in mailoutbox[0].body


def test_background_job_uses_the_given_date(municipality, member, mailoutbox):
    TaskFactory(municipality=municipality, assignee=member, due_date=TODAY)
    result = strategy_jobs.send_due_reminders.enqueue(TODAY.isoformat())
    assert result.return_value == 1
    assert len(mailoutbox) == 1


def test_invalid_today_is_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_task_reminders", "--today=27.11.2026")
