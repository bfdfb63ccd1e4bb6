import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from daks.meetings import services
from daks.meetings.models import Meeting, Rsvp
from daks.strategy.models import Task


def _url(name, meeting, **kwargs):
    return reverse(
        f"meetings:{name}", kwargs={"municipality_slug": meeting.municipality.slug, "pk": meeting.pk, **kwargs}
    )


@pytest.mark.parametrize(
    ("role", "list_status", "create_status"),
    [("coordinator", 200, 200), ("contributor", 200, 200), ("reader", 200, 403), ("outsider", 404, 404)],
)
def test_tenancy_per_role(request, login, meeting, role, list_status, create_status):
    client = login(request.getfixturevalue(role))
    slug = meeting.municipality.slug
    assert client.get(reverse("meetings:list", kwargs={"municipality_slug": slug})).status_code == list_status
    assert client.get(_url("detail", meeting)).status_code == list_status
    assert client.get(_url("ics", meeting)).status_code == list_status
    assert client.get(reverse("meetings:create", kwargs={"municipality_slug": slug})).status_code == create_status
    assert client.get(_url("edit", meeting)).status_code == create_status
    assert client.post(_url("agenda_add", meeting), {"title": "X"}).status_code in (
        {302} if create_status == 200 else {create_status}
    )


def test_anonymous_gets_404(client, meeting):
    assert client.get(_url("detail", meeting)).status_code == 404


def test_other_municipality_meeting_is_404(login, meeting, other_municipality):
    from daks.municipalities.models import Role
    from tests.factories import MembershipFactory

    other_coordinator = MembershipFactory(municipality=other_municipality, role=Role.COORDINATION).user
    client = login(other_coordinator)
    url = reverse("meetings:detail", kwargs={"municipality_slug": other_municipality.slug, "pk": meeting.pk})
    assert client.get(url).status_code == 404


def test_create_and_edit_with_conflict(login, municipality, contributor, coordinator):
    client = login(contributor)
    response = client.post(
        reverse("meetings:create", kwargs={"municipality_slug": municipality.slug}),
        {"title": "Werkstatt", "starts_at": "2030-05-04T18:00", "ends_at": "2030-05-04T20:00", "place": "Schule"},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("detail", meeting)
    old_version = meeting.version
    services.meeting_update(actor=coordinator, meeting=meeting, place="Rathaus")
    response = client.post(
        _url("edit", meeting),
        {
            "title": "Werkstatt",
            "starts_at": "2030-05-04T18:00",
            "ends_at": "2030-05-04T20:00",
            "place": "Turnhalle",
            "version": old_version,
        },
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    assert "inzwischen" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.place == "Rathaus"


def test_detail_shows_agenda_and_invitations(login, meeting, coordinator, contributor, stakeholder):
    services.agenda_item_add(actor=coordinator, meeting=meeting, title="Begrüßung", owner="Bürgermeisterin")
    services.invite(actor=coordinator, meeting=meeting, members=[contributor], actors=[stakeholder])
    response = login(coordinator).get(_url("detail", meeting))
    content = response.content.decode()
    assert "Begrüßung" in content and "Seniorenbeirat" in content
    assert 'name="attended"' in content


def test_ics_download(login, meeting, reader):
    response = login(reader).get(_url("ics", meeting))
    assert response["Content-Type"].startswith("text/calendar")
    assert "termin.ics" in response["Content-Disposition"]
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert str(event["SUMMARY"]) == meeting.title


def test_invite_send_attendance_minutes_views(
    login, meeting, coordinator, contributor, stakeholder, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(coordinator)
    response = client.post(_url("invite", meeting), {"members": [contributor.pk], "actors": [stakeholder.pk]})
    assert response.status_code == 302
    assert meeting.invitations.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url("invitations_send", meeting)).status_code == 302
    assert len(mailoutbox) == 2 and mailoutbox[0].attachments
    invitation = meeting.invitations.get(actor=stakeholder)
    assert client.post(_url("attendance", meeting), {"attended": [invitation.pk]}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.attended
    response = client.post(
        _url("minutes", meeting),
        {
            "minutes": "Protokoll",
            "decisions": "Beschluss",
            "next_steps": f"Flyer drucken – {contributor.email} – 2030-01-31",
            "version": Meeting.objects.get().version,
        },
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.assignee == contributor and task.due_date == datetime.date(2030, 1, 31)


def test_minutes_bad_line_shows_german_error(login, meeting, coordinator):
    response = login(coordinator).post(
        _url("minutes", meeting),
        {"minutes": "x", "decisions": "", "next_steps": "Aufgabe – niemand@example.org"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    assert "kein Mitglied" in response.content.decode()


def _send_and_get_token(meeting, coordinator, stakeholder, mailoutbox, capture):
    services.invite(actor=coordinator, meeting=meeting, actors=[stakeholder])
    with capture(execute=True):
        services.send_invitations(actor=coordinator, meeting=meeting)
    [mail] = [mail for mail in mailoutbox if mail.to == [stakeholder.email]]  # the actor's own invitation
    return mail.body.split("/zusage/")[1].split("/")[0]


@pytest.mark.parametrize("answer", [Rsvp.YES, Rsvp.NO, Rsvp.MAYBE])
def test_rsvp_without_login(
    client, meeting, coordinator, contributor, stakeholder, answer, mailoutbox, django_capture_on_commit_callbacks
):
    services.invite(actor=coordinator, meeting=meeting, members=[contributor])
    token = _send_and_get_token(meeting, coordinator, stakeholder, mailoutbox, django_capture_on_commit_callbacks)
    url = reverse("meetings_public:rsvp", kwargs={"token": token})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 200
    content = page.content.decode()
    assert meeting.title in content and "Rathaus, Saal 1" in content
    assert contributor.email not in content and contributor.name not in content  # nobody else's data
    response = client.post(url, {"answer": answer})
    assert response.status_code == 302
    invitation = meeting.invitations.get(actor=stakeholder)
    assert invitation.rsvp == answer


def test_rsvp_bad_token_is_german_404(client, db):
    response = client.get(reverse("meetings_public:rsvp", kwargs={"token": "unbekannt"}), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    assert (
        response.client.post(
            reverse("meetings_public:rsvp", kwargs={"token": "unbekannt"}), {"answer": "yes"}
        ).status_code
        == 404
    )


def test_rsvp_after_meeting_is_404(
    client, meeting, coordinator, stakeholder, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    token = _send_and_get_token(meeting, coordinator, stakeholder, mailoutbox, django_capture_on_commit_callbacks)
    time_machine.move_to(meeting.ends_at + datetime.timedelta(days=1))
    assert client.get(reverse("meetings_public:rsvp", kwargs={"token": token})).status_code == 404
