"""The weekly digest: due milestones and overdue measures, per person and Kommune, once per ISO week."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from daks.core.models import AuditLogEntry
from daks.municipalities.models import Role
from daks.plans import digest
from daks.plans import tasks as plan_jobs
from daks.plans.models import MeasureStatus

from ..factories import MembershipFactory, UserFactory
from .factories import MeasureFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)  # ISO week 2026-W48
days = datetime.timedelta


@pytest.fixture
def person(municipality):
    return MembershipFactory(municipality=municipality, role=Role.CONTRIBUTOR, user=UserFactory(language="de")).user


@pytest.fixture
def english_person(municipality):
    return MembershipFactory(municipality=municipality, role=Role.READER, user=UserFactory(language="en")).user


@pytest.fixture
def situation(plan, person, english_person):
    measure = MeasureFactory(plan=plan, title="Wohnberatung", responsible_person=person, end_date=MONDAY + days(90))
    MilestoneFactory(measure=measure, title="Räume gefunden", due_date=MONDAY + days(2))
    MilestoneFactory(measure=measure, title="Zu spät", due_date=MONDAY - days(20))
    MilestoneFactory(measure=measure, title="Erledigt", due_date=MONDAY - days(3), done_on=MONDAY - days(4))
    MilestoneFactory(measure=measure, title="Nächsten Monat", due_date=MONDAY + days(7))
    MeasureFactory(plan=plan, title="Überfällige Maßnahme", responsible_person=person, end_date=MONDAY - days(1))
    done = MeasureFactory(
        plan=plan,
        title="Abgeschlossen",
        responsible_person=person,
        status=MeasureStatus.DONE,
        end_date=MONDAY - days(9),
    )
    MilestoneFactory(measure=done, title="Alter Meilenstein", due_date=MONDAY + days(1))
    MeasureFactory(
        plan=plan, title="Aufgegeben", responsible_person=person, status=MeasureStatus.DROPPED, end_date=MONDAY
    )
    english = MeasureFactory(plan=plan, title="Stadtteilcafé", responsible_person=english_person)
    MilestoneFactory(measure=english, title="Eröffnung", due_date=MONDAY + days(6))
    MeasureFactory(plan=plan, title="Niemandem", end_date=MONDAY - days(5))
    return {"measure": measure, "english": english}


def _send(django_capture_on_commit_callbacks, today=MONDAY):
    with django_capture_on_commit_callbacks(execute=True):
        return digest.send_plan_digests(today=today)


def test_collects_due_and_overdue_items_per_person(situation, person, english_person):
    digests = {d.user: d for d in digest.collect_digests(today=MONDAY)}
    assert set(digests) == {person, english_person}
    mine = digests[person]
    assert [item.title for item in mine.due_milestones] == ["Räume gefunden"]
    assert [item.title for item in mine.overdue_milestones] == ["Zu spät"]
    assert [item.title for item in mine.overdue_measures] == ["Überfällige Maßnahme"]
    assert [item.title for item in digests[english_person].due_milestones] == ["Eröffnung"]


def test_mail_content_recipients_and_language(
    situation, person, english_person, mailoutbox, django_capture_on_commit_callbacks
):
    assert _send(django_capture_on_commit_callbacks) == 2
    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert set(mails) == {person.email, english_person.email}
    german = mails[person.email]
    assert "Musterstadt" in german.subject
    for text in ("Räume gefunden", "25.11.2026", "Zu spät", "Überfällige Maßnahme", "22.11.2026", "/werkstattplan/"):
        assert text in german.body
    for text in ("Erledigt", "Nächsten Monat", "Abgeschlossen", "Alter Meilenstein", "Aufgegeben", "Stadtteilcafé"):
        assert text not in german.body
    assert not german.alternatives  # plain text only
    english = mails[english_person.email]
    assert english.subject.endswith("Workshop plan of Musterstadt: your weekly overview")
    assert "Eröffnung" in english.body and "11/29/2026" in english.body and "Wohnberatung" not in english.body


def test_once_per_iso_week(situation, mailoutbox, django_capture_on_commit_callbacks):
    assert _send(django_capture_on_commit_callbacks) == 2
    assert _send(django_capture_on_commit_callbacks, MONDAY + days(4)) == 0  # Friday of the same week
    assert len(mailoutbox) == 2
    entries = AuditLogEntry.objects.filter(action=digest.DIGEST_ACTION)
    assert {entry.data["week"] for entry in entries} == {"2026-W48"}
    assert _send(django_capture_on_commit_callbacks, MONDAY + days(7)) == 2  # the next week
    assert len(mailoutbox) == 4


def test_former_members_and_inactive_users_get_nothing(
    plan, person, municipality, mailoutbox, django_capture_on_commit_callbacks
):
    MeasureFactory(plan=plan, responsible_person=person, end_date=MONDAY - days(3))
    inactive = MembershipFactory(municipality=municipality, user=UserFactory(is_active=False)).user
    MeasureFactory(plan=plan, responsible_person=inactive, end_date=MONDAY - days(3))
    municipality.memberships.filter(user=person).delete()
    assert _send(django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_one_mail_per_kommune(
    plan, other_plan, person, other_municipality, mailoutbox, django_capture_on_commit_callbacks
):
    MembershipFactory(municipality=other_municipality, user=person, role=Role.CONTRIBUTOR)
    MeasureFactory(plan=plan, title="Hier", responsible_person=person, end_date=MONDAY - days(3))
    MeasureFactory(plan=other_plan, title="Dort", responsible_person=person, end_date=MONDAY - days(3))
    assert _send(django_capture_on_commit_callbacks) == 2
    bodies = {("Musterstadt" in mail.subject): mail.body for mail in mailoutbox}
    assert "Hier" in bodies[True] and "Dort" not in bodies[True]
    assert "Dort" in bodies[False] and "Hier" not in bodies[False]


def test_command_and_task(situation, mailoutbox, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_plan_digest", f"--today={MONDAY.isoformat()}", stdout=out)
    assert "2 plan digest(s) queued for week 2026-W48." in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        result = plan_jobs.send_plan_digest.enqueue(MONDAY.isoformat())
    assert result.return_value == 0
    with pytest.raises(CommandError):
        call_command("send_plan_digest", "--today=24.11.2026", stdout=StringIO())
