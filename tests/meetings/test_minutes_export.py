"""Minutes (Protokoll) of a meeting as PDF and ODT."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from daks.meetings import services
from daks.meetings.models import MeetingInvitation, Rsvp, hash_token

from ..exports.readers import odt_text, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def url(meeting, fmt):
    return reverse(
        "meetings:minutes_export",
        kwargs={"municipality_slug": meeting.municipality.slug, "pk": meeting.pk, "format": fmt},
    )


def guest(meeting, name, *, rsvp=Rsvp.PENDING, attended=False):
    return MeetingInvitation.objects.create(
        meeting=meeting,
        name=name,
        email=f"{name.split()[0].lower()}@example.org",
        token_hash=hash_token(name),
        rsvp=rsvp,
        attended=attended,
    )


@pytest.fixture
def held_meeting(municipality, coordinator, contributor):
    starts = datetime.datetime(2026, 3, 3, 18, 0, tzinfo=BERLIN)
    meeting = services.meeting_create(
        actor=coordinator,
        municipality=municipality,
        title="Auftaktgespräch",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="Rathaus, Saal 1",
    )
    services.agenda_item_add(actor=coordinator, meeting=meeting, title="Begrüßung", owner="Bürgermeisterin")
    services.agenda_item_add(actor=coordinator, meeting=meeting, title="Ziele des Prozesses")
    guest(meeting, "Anna Beispiel", rsvp=Rsvp.YES, attended=True)
    guest(meeting, "Bernd Muster", rsvp=Rsvp.NO)
    guest(meeting, "Carla Ohneantwort")
    services.minutes_save(
        actor=coordinator,
        meeting=meeting,
        minutes="Wir haben über den demografischen Wandel gesprochen.",
        decisions="Eine Steuerungsgruppe wird gebildet.",
        next_steps=f"Jugendrat einladen – {contributor.email} – 31.12.2026\nRaum buchen",
    )
    meeting.refresh_from_db()
    return meeting


def test_pdf_contains_the_minutes(login, reader, held_meeting, contributor):
    response = login(reader).get(url(held_meeting, "pdf"), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="protokoll-auftaktgespraech-2026-03-03.pdf"'
    document = pdf_reader(response.content)
    assert "Auftaktgespräch" in document.metadata.title
    assert document.trailer["/Root"]["/Lang"] == "de"
    text = pdf_text(response.content)
    for expected in (
        "Musterstadt",
        "Auftaktgespräch",
        "3. März 2026, 18:00–20:00",
        "Rathaus, Saal 1",
        "Anna Beispiel",  # present
        "Bernd Muster",  # apologised
        "Begrüßung",
        "Bürgermeisterin",
        "Ziele des Prozesses",
        "Wir haben über den demografischen Wandel gesprochen.",
        "Eine Steuerungsgruppe wird gebildet.",
        "Jugendrat einladen",
        "31.12.2026",
        str(contributor),
        "Raum buchen",
    ):
        assert expected in text, expected
    assert "Carla Ohneantwort" not in text  # neither present nor apologised
    assert "Tagesordnung" in text and "Beschlüsse" in text


def test_odt_contains_the_minutes(login, reader, held_meeting, contributor):
    response = login(reader).get(url(held_meeting, "odt"), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.text"
    assert response["Content-Disposition"].endswith('protokoll-auftaktgespraech-2026-03-03.odt"')
    text = odt_text(response.content)
    for expected in (
        "Musterstadt",
        "3. März 2026, 18:00–20:00",
        "Rathaus, Saal 1",
        "Anna Beispiel",
        "Bernd Muster",
        "Begrüßung",
        "Wir haben über den demografischen Wandel gesprochen.",
        "Eine Steuerungsgruppe wird gebildet.",
        "Jugendrat einladen",
        "31.12.2026",
        str(contributor),
    ):
        assert expected in text, expected
    assert "Carla Ohneantwort" not in text


def test_empty_meeting_exports_too(login, reader, meeting):
    client = login(reader)
    for fmt in ("pdf", "odt"):
        response = client.get(url(meeting, fmt))
        assert response.status_code == 200
    assert "Auftaktgespräch" in pdf_text(client.get(url(meeting, "pdf")).content)


def test_only_the_meetings_own_tasks_are_next_steps(login, reader, held_meeting, coordinator):
    other = services.meeting_create(
        actor=coordinator,
        municipality=held_meeting.municipality,
        title="Zweites Treffen",
        starts_at=held_meeting.starts_at + datetime.timedelta(days=7),
        ends_at=held_meeting.ends_at + datetime.timedelta(days=7),
    )
    services.minutes_save(actor=coordinator, meeting=other, minutes="", decisions="", next_steps="Flyer drucken")
    client = login(reader)
    assert "Flyer drucken" not in odt_text(client.get(url(held_meeting, "odt")).content)
    assert "Flyer drucken" in odt_text(client.get(url(other, "odt")).content)


@pytest.mark.parametrize("role", ["coordinator", "contributor", "advisor", "reader"])
def test_members_may_download(request, role, login, meeting):
    assert login(request.getfixturevalue(role)).get(url(meeting, "odt")).status_code == 200


def test_outsider_anonymous_other_municipality_and_unknown_format_are_404(client, login, outsider, reader, meeting):
    assert client.get(url(meeting, "pdf")).status_code == 404  # anonymous: the tenancy rule hides the workspace
    assert login(outsider).get(url(meeting, "pdf")).status_code == 404
    wrong = reverse(
        "meetings:minutes_export",
        kwargs={"municipality_slug": outsider.memberships.get().municipality.slug, "pk": meeting.pk, "format": "pdf"},
    )
    assert login(outsider).get(wrong).status_code == 404
    assert login(reader).get(url(meeting, "docx")).status_code == 404


def test_detail_page_links_the_downloads(login, reader, meeting):
    response = login(reader).get(
        reverse("meetings:detail", kwargs={"municipality_slug": meeting.municipality.slug, "pk": meeting.pk})
    )
    html = response.content.decode()
    assert url(meeting, "pdf") in html and url(meeting, "odt") in html


def test_minutes_data_queries_are_constant(django_assert_num_queries, held_meeting):
    from daks.meetings.exports import minutes_data

    meeting = held_meeting.municipality.meetings.select_related("process", "municipality").get(pk=held_meeting.pk)
    with django_assert_num_queries(3):  # invitations, tasks with assignees, agenda
        data = minutes_data(meeting)
    assert data.present == ["Anna Beispiel"] and data.apologies == ["Bernd Muster"]
    assert [task.title for task in data.next_steps] == ["Jugendrat einladen", "Raum buchen"]  # undated last
