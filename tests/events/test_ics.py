"""Calendar files: the .ics of one event and the feed of all events, parsed back with icalendar."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from daks.events.ics import event_uid
from daks.events.models import EventStatus

from .factories import EventFactory

pytestmark = pytest.mark.django_db


def _parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def _utc(value):
    return value.astimezone(UTC)


def test_event_ics(client):
    starts = datetime(2031, 3, 4, 9, 30, tzinfo=UTC)  # 10:30 in Berlin
    event = EventFactory(title="Seminar Wohnen", starts_at=starts, ends_at=starts + timedelta(hours=2), place="Rathaus")
    response = client.get(reverse("events:ics", kwargs={"slug": event.slug}))
    calendar = _parse(response)
    assert "public" in response["Cache-Control"]
    (component,) = calendar.walk("VEVENT")
    assert str(component["UID"]) == event_uid(event)
    assert str(component["SUMMARY"]) == "Seminar Wohnen"
    dtstart = component.decoded("DTSTART")
    assert component["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert dtstart.hour == 10 and _utc(dtstart) == starts
    assert _utc(component.decoded("DTEND")) == starts + timedelta(hours=2)
    assert str(component["LOCATION"]) == "Rathaus"
    assert str(component["STATUS"]) == "CONFIRMED"
    assert event.get_absolute_url() in str(component["URL"])
    assert calendar.walk("VTIMEZONE")
    # The public file never contains the online link.
    assert event.online_url.encode() not in response.content
    # The UID is stable across downloads and edits.
    event.title = "Seminar Wohnen (neu)"
    event.save()
    again = _parse(client.get(reverse("events:ics", kwargs={"slug": event.slug})))
    assert str(again.walk("VEVENT")[0]["UID"]) == event_uid(event)


def test_feed_lists_published_and_cancelled_events_only(client):
    published = EventFactory(title="Öffentlich")
    cancelled = EventFactory(title="Abgesagt", status=EventStatus.CANCELLED)
    EventFactory(title="Entwurf", status=EventStatus.DRAFT)
    calendar = _parse(client.get(reverse("events:feed")))
    components = {str(c["UID"]): c for c in calendar.walk("VEVENT")}
    assert set(components) == {event_uid(published), event_uid(cancelled)}
    assert str(components[event_uid(cancelled)]["STATUS"]) == "CANCELLED"
    assert str(components[event_uid(published)]["SUMMARY"]) == "Öffentlich"
    expected = published.starts_at.astimezone(UTC).replace(microsecond=0)
    assert _utc(components[event_uid(published)].decoded("DTSTART")) == expected
    assert published.online_url not in client.get(reverse("events:feed")).content.decode()


def test_unknown_event_ics_is_404(client):
    assert client.get(reverse("events:ics", kwargs={"slug": "gibt-es-nicht"})).status_code == 404
