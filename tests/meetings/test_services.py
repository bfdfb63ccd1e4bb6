import datetime

import pytest
from icalendar import Calendar

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.meetings import services
from daks.meetings.ics import meeting_ics
from daks.meetings.models import MeetingInvitation, Rsvp
from daks.strategy.models import Task


def test_create_rejects_end_before_start(municipality, coordinator, starts_at):
    with pytest.raises(DomainError) as error:
        services.meeting_create(
            actor=coordinator, municipality=municipality, title="X", starts_at=starts_at, ends_at=starts_at
        )
    assert error.value.field == "ends_at"


def test_update_with_stale_version_is_refused(meeting, coordinator, contributor):
    version = meeting.version
    services.meeting_update(actor=contributor, meeting=meeting, expected_version=version, place="Bürgerhaus")
    with pytest.raises(services.MeetingEditConflict) as error:
        services.meeting_update(actor=coordinator, meeting=meeting, expected_version=version, place="Schule")
    assert "inzwischen" in str(error.value.message) or "meantime" in str(error.value.message)
    meeting.refresh_from_db()
    assert meeting.place == "Bürgerhaus"
    assert AuditLogEntry.objects.filter(action="meetings.meeting.updated").count() == 1


def test_agenda_add_move_remove(meeting, coordinator):
    first = services.agenda_item_add(actor=coordinator, meeting=meeting, title="Begrüßung", time=datetime.time(18))
    second = services.agenda_item_add(actor=coordinator, meeting=meeting, title="Akteure", owner="Frau Berg")
    services.agenda_item_move(actor=coordinator, item=second, direction="up")
    assert [item.title for item in meeting.agenda.all()] == ["Akteure", "Begrüßung"]
    services.agenda_item_remove(actor=coordinator, item=second)
    assert [(item.title, item.position) for item in meeting.agenda.all()] == [("Begrüßung", 1)]
    with pytest.raises(DomainError):
        services.agenda_item_add(actor=coordinator, meeting=meeting, title="  ")
    assert first.pk


def test_invite_members_and_actors_and_refuse_duplicates(meeting, coordinator, contributor, stakeholder):
    created = services.invite(actor=coordinator, meeting=meeting, members=[contributor], actors=[stakeholder])
    assert {inv.email for inv in created} == {contributor.email, "beirat@example.org"}
    with pytest.raises(DomainError) as error:
        services.invite(actor=coordinator, meeting=meeting, members=[contributor])
    assert error.value.field == "members"
    assert meeting.invitations.count() == 2


def test_invite_refuses_actor_without_consent_and_outsider(meeting, coordinator, actor_without_consent, outsider):
    with pytest.raises(DomainError):
        services.invite(actor=coordinator, meeting=meeting, actors=[actor_without_consent])
    with pytest.raises(DomainError):
        services.invite(actor=coordinator, meeting=meeting, members=[outsider])
    assert not meeting.invitations.exists()


def test_ics_content(meeting, coordinator, settings):
    settings.DAKS_BASE_URL = "https://daks.example.org"
    services.agenda_item_add(actor=coordinator, meeting=meeting, title="Begrüßung", time=datetime.time(18))
    calendar = Calendar.from_ical(meeting_ics(meeting))
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["UID"]) == f"meeting-{meeting.pk}@daks.example.org"
    assert str(event["SUMMARY"]) == "Auftaktgespräch"
    assert str(event["LOCATION"]) == "Rathaus, Saal 1"
    assert "Begrüßung" in str(event["DESCRIPTION"])
    start = event.decoded("DTSTART")
    assert start == meeting.starts_at
    assert str(start.tzinfo) == "Europe/Berlin"
    assert event.decoded("DTEND") == meeting.ends_at


def test_ics_online_meeting_has_url(municipality, coordinator, starts_at):
    meeting = services.meeting_create(
        actor=coordinator,
        municipality=municipality,
        title="Online",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
        online_url="https://meet.example.org/daks",
    )
    event = next(iter(Calendar.from_ical(meeting_ics(meeting)).walk("VEVENT")))
    assert str(event["URL"]) == "https://meet.example.org/daks"
    assert str(event["LOCATION"]) == "https://meet.example.org/daks"


def test_send_invitations_mails_ics_in_recipient_language(
    meeting, coordinator, contributor, stakeholder, mailoutbox, django_capture_on_commit_callbacks
):
    contributor.language = "en"
    contributor.save()
    services.invite(actor=coordinator, meeting=meeting, members=[contributor], actors=[stakeholder])
    with django_capture_on_commit_callbacks(execute=True):
        count = services.send_invitations(actor=coordinator, meeting=meeting)
    assert count == 2
    assert len(mailoutbox) == 2
    by_recipient = {mail.to[0]: mail for mail in mailoutbox}
    english = by_recipient[contributor.email]
    german = by_recipient["beirat@example.org"]
    assert "Invitation" in english.subject
    assert "Einladung" in german.subject
    assert "/zusage/" in german.body
    filename, content, mimetype = german.attachments[0]
    assert filename == "termin.ics"
    assert mimetype.startswith("text/calendar")
    event = next(iter(Calendar.from_ical(content).walk("VEVENT")))
    assert str(event["SUMMARY"]) == "Auftaktgespräch"
    # Nothing left to send the second time.
    with pytest.raises(DomainError):
        services.send_invitations(actor=coordinator, meeting=meeting)


def _token_from(mail) -> str:
    return mail.body.split("/zusage/")[1].split("/")[0]


def test_rsvp_by_token(meeting, coordinator, stakeholder, mailoutbox, django_capture_on_commit_callbacks):
    services.invite(actor=coordinator, meeting=meeting, actors=[stakeholder])
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(actor=coordinator, meeting=meeting)
    token = _token_from(mailoutbox[0])
    invitation = services.rsvp(token=token, answer=Rsvp.MAYBE)
    assert invitation.rsvp == Rsvp.MAYBE and invitation.responded_at
    with pytest.raises(DomainError):
        services.rsvp(token="falsch", answer=Rsvp.YES)
    with pytest.raises(DomainError):
        services.rsvp(token=token, answer="vielleicht")


def test_attendance(meeting, coordinator, contributor, stakeholder):
    created = services.invite(actor=coordinator, meeting=meeting, members=[contributor], actors=[stakeholder])
    services.attendance_save(actor=coordinator, meeting=meeting, attended_ids=[created[0].pk])
    assert set(MeetingInvitation.objects.filter(attended=True)) == {created[0]}
    services.attendance_save(actor=coordinator, meeting=meeting, attended_ids=[])
    assert not MeetingInvitation.objects.filter(attended=True).exists()


def test_minutes_next_steps_become_tasks(meeting, coordinator, contributor):
    tasks = services.minutes_save(
        actor=coordinator,
        meeting=meeting,
        minutes="Wir haben gesprochen.",
        decisions="Werkstatt im Mai.",
        next_steps=(
            f"Jugendrat einladen – {contributor.email} – 31.12.2026\n"
            "\n"
            "- Raum buchen\n"
            f"Presse informieren – {coordinator.email.upper()}\n"
        ),
        expected_version=meeting.version,
    )
    assert [task.title for task in tasks] == ["Jugendrat einladen", "Raum buchen", "Presse informieren"]
    assert tasks[0].assignee == contributor and tasks[0].due_date == datetime.date(2026, 12, 31)
    assert tasks[1].assignee is None and tasks[1].due_date is None
    assert tasks[2].assignee == coordinator
    assert tasks[0].link_url == services.meeting_url(meeting)
    meeting.refresh_from_db()
    assert meeting.decisions == "Werkstatt im Mai."


@pytest.mark.parametrize("line", ["Aufgabe – fremd@example.org", "Aufgabe – 31.13.2026", " – 31.12.2026"])
def test_minutes_bad_next_step_writes_nothing(meeting, coordinator, line):
    with pytest.raises(DomainError) as error:
        services.minutes_save(actor=coordinator, meeting=meeting, minutes="Neu", decisions="", next_steps=line)
    assert error.value.field == "next_steps"
    meeting.refresh_from_db()
    assert meeting.minutes == ""
    assert not Task.objects.exists()


def test_minutes_stale_version_refused(meeting, coordinator):
    version = meeting.version
    services.minutes_save(actor=coordinator, meeting=meeting, minutes="A", decisions="", expected_version=version)
    with pytest.raises(services.MeetingEditConflict):
        services.minutes_save(actor=coordinator, meeting=meeting, minutes="B", decisions="", expected_version=version)
