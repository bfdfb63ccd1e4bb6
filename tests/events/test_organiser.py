"""The organisers' pages (perm network.edit_network): events, cancellation, participants, exports, material."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from daks.events.models import Event, EventStatus, RegistrationStatus
from tests.toolbox.factories import ToolFactory

from .factories import EventFactory, RegistrationFactory
from .helpers import german, ics_attachment

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"events:{name}", kwargs=kwargs)


def form_data(**overrides):
    starts = (timezone.localtime() + timedelta(days=20)).replace(hour=10, minute=0, second=0, microsecond=0)
    return {
        "title": "Regionaltreffen Nord",
        "slug": "",
        "kind": "regional_meeting",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Rathaus Musterstadt",
        "online_url": "",
        "capacity": "20",
        "registration_deadline": "",
        "description": "Austausch der Kommunen.",
        "contact": "Netzwerkbüro",
        "version": "",
        **overrides,
    }


@pytest.mark.parametrize(
    ("name", "kwargs", "method"),
    [
        ("organiser_list", {}, "get"),
        ("create", {}, "get"),
        ("manage", {"pk": 0}, "get"),
        ("edit", {"pk": 0}, "get"),
        ("publish", {"pk": 0}, "post"),
        ("cancel", {"pk": 0}, "post"),
        ("material", {"pk": 0}, "post"),
        ("export", {"pk": 0, "format": "csv"}, "get"),
    ],
)
def test_access(client, login, event, coordinator, staff_user, editor, name, kwargs, method):
    if "pk" in kwargs:
        kwargs["pk"] = event.pk
    target = url(name, **kwargs)
    response = getattr(client, method)(target)
    assert response.status_code == 302 and "/login/" in response["Location"]
    response = getattr(login(coordinator), method)(target)
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    if method == "get":
        assert login(editor).get(target).status_code == 200
        assert login(staff_user).get(target).status_code == 200


def test_create_event_as_draft(login, editor):
    response = login(editor).post(url("create"), form_data())
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.status == EventStatus.DRAFT and event.slug == "regionaltreffen-nord"
    assert event.created_by == editor and event.capacity == 20
    assert timezone.localtime(event.starts_at).hour == 10  # entered in Berlin time
    assert response["Location"] == url("manage", pk=event.pk)
    response = login(editor).post(url("publish", pk=event.pk))
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": "2020-01-01T10:00"}, "The event must end after it starts."),
        ({"place": "", "online_url": ""}, "Please give a place or an online link."),
        ({"slug": "kalender"}, "This address is already taken. Please choose another one."),
    ],
)
def test_bad_event_input(login, editor, overrides, message):
    response = login(editor).post(url("create"), form_data(**overrides))
    assert response.status_code == 400
    assert german(message) in response.content.decode()
    assert not Event.objects.exists()


def test_edit_conflict(login, editor, event):
    client = login(editor)
    stale = event.version
    event.title = "Von jemand anderem geändert"
    event.save()
    response = client.post(url("edit", pk=event.pk), form_data(version=stale, slug=event.slug))
    assert response.status_code == 400
    message = german("Somebody else has changed this event in the meantime. Please check the current version.")
    assert message[:30] in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Von jemand anderem geändert"
    response = client.post(url("edit", pk=event.pk), form_data(version=event.version, slug=event.slug))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Regionaltreffen Nord"


def test_cancel_event_mails_everybody_registered(login, editor, event, mailoutbox, django_capture_on_commit_callbacks):
    RegistrationFactory(event=event, email="a@example.org")
    RegistrationFactory(event=event, email="b@example.org", status=RegistrationStatus.WAITING)
    RegistrationFactory(event=event, email="c@example.org", status=RegistrationStatus.CANCELLED)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(editor).post(url("cancel", pk=event.pk), {"message": "Die Referentin ist erkrankt."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED and event.cancelled_at
    assert sorted(mail.to[0] for mail in mailoutbox) == ["a@example.org", "b@example.org"]
    assert "Die Referentin ist erkrankt." in mailoutbox[0].body
    assert "STATUS:CANCELLED" in ics_attachment(mailoutbox[0])
    # Cancelling twice is refused with a German message; nothing more is sent.
    response = login(editor).post(url("cancel", pk=event.pk), {"message": ""})
    assert response.status_code == 400
    assert german("The event has already been cancelled.") in response.content.decode()
    assert len(mailoutbox) == 2


def test_participant_list_and_exports(login, editor, event, django_assert_max_num_queries):
    RegistrationFactory(event=event, name="Anna", email="anna@example.org", organisation="=HYPERLINK(1)")
    RegistrationFactory(event=event, name="Bernd", email="bernd@example.org", status=RegistrationStatus.WAITING)
    RegistrationFactory(event=event, name="Clara", email="clara@example.org", status=RegistrationStatus.WAITING)
    client = login(editor)
    page = client.get(url("manage", pk=event.pk)).content.decode()
    assert "anna@example.org" in page and "bernd@example.org" in page
    response = client.get(url("export", pk=event.pk, format="csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][:3] == ["Anna", "anna@example.org", "'=HYPERLINK(1)"]
    assert [row[0] for row in rows[1:]] == ["Anna", "Bernd", "Clara"]
    assert rows[3][4] == "2"  # Clara is second on the waiting list
    response = client.get(url("export", pk=event.pk, format="xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert [row[0] for row in values] == ["Anna", "Bernd", "Clara"]
    assert values[2][4] == 2
    assert client.get(url("export", pk=event.pk, format="pdf")).status_code == 404


def test_organiser_list_query_count(login, editor, django_assert_num_queries):
    for index in range(5):
        event = EventFactory(title=f"Veranstaltung {index}")
        RegistrationFactory(event=event)
    client = login(editor)
    client.get(url("organiser_list"))  # warm up (session, user)
    # session, user, groups, events with counts; the layout: unread notifications, user and group permissions
    with django_assert_num_queries(7):
        response = client.get(url("organiser_list"))
    assert "Veranstaltung 4" in response.content.decode()
    for index in range(5, 10):
        RegistrationFactory(event=EventFactory(title=f"Veranstaltung {index}"))
    with django_assert_num_queries(7):
        client.get(url("organiser_list"))


def test_material_is_shown_after_the_event(client, login, editor):
    past = EventFactory(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(days=3, hours=-2)
    )
    tools = [ToolFactory(title="Zukunftswerkstatt"), ToolFactory(title="Generationendialog")]
    slides = SimpleUploadedFile("folien.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = login(editor).post(
        url("material", pk=past.pk),
        {
            "recording_url": "https://video.example.org/aufzeichnung",
            "slides_url": "",
            "slides_file": slides,
            "tools": [tool.pk for tool in tools],
        },
    )
    assert response.status_code == 302
    past.refresh_from_db()
    assert set(past.tools.all()) == set(tools) and past.slides_file
    client.logout()
    content = client.get(past.get_absolute_url()).content.decode()
    assert german("Material") in content
    assert "Zukunftswerkstatt" in content and tools[1].get_absolute_url() in content
    assert "https://video.example.org/aufzeichnung" in content
    download = client.get(url("slides", slug=past.slug))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"


def test_material_is_not_shown_before_the_event(client, event):
    event.tools.set([ToolFactory(title="Zukunftswerkstatt")])
    event.recording_url = "https://video.example.org/aufzeichnung"
    event.save()
    content = client.get(event.get_absolute_url()).content.decode()
    assert "https://video.example.org/aufzeichnung" not in content


def test_bad_slides_file_is_refused(login, editor, event):
    upload = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = login(editor).post(url("material", pk=event.pk), {"slides_file": upload, "recording_url": ""})
    assert response.status_code == 400
    assert german("Please upload a PDF, PowerPoint or OpenDocument presentation.") in response.content.decode()
    event.refresh_from_db()
    assert not event.slides_file
