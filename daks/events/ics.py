"""Calendar entries (.ics, RFC 5545) of events: one event, and the feed of all published events.

The public files never contain the online link; only the entry attached to a confirmation e-mail does
(``with_online_link=True``). UIDs are stable (``event-<pk>@<host>``) so calendars update an entry instead of
duplicating it; times carry the TZID Europe/Berlin (the VTIMEZONE is included).
"""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .models import EventStatus

BERLIN = ZoneInfo("Europe/Berlin")


def event_uid(event) -> str:
    domain = urlsplit(settings.DAKS_BASE_URL).hostname or "daks"
    return f"event-{event.pk}@{domain}"


def _calendar(name: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//DAKS//Veranstaltungen//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/Berlin")
    return calendar


def _component(event, *, with_online_link: bool = False, now=None) -> CalendarEvent:
    component = CalendarEvent()
    component.add("uid", event_uid(event))
    component.add("dtstamp", now or timezone.now())
    component.add("dtstart", event.starts_at.astimezone(BERLIN))
    component.add("dtend", event.ends_at.astimezone(BERLIN))
    component.add("summary", event.title)
    url = f"{settings.DAKS_BASE_URL}{event.get_absolute_url()}"
    location = event.place or (event.online_url if with_online_link else "")
    if event.place and with_online_link and event.online_url:
        location = f"{event.place} / {event.online_url}"
    if location:
        component.add("location", location)
    component.add("url", event.online_url if with_online_link and event.online_url else url)
    description = "\n\n".join(part for part in (event.description.strip(), url) if part)
    component.add("description", description)
    component.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    component.add("sequence", int(event.updated_at.timestamp()) if event.updated_at else 0)
    return component


def event_ics(event, *, with_online_link: bool = False) -> str:
    calendar = _calendar()
    calendar.add_component(_component(event, with_online_link=with_online_link))
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def feed_ics(events, *, name: str) -> str:
    calendar = _calendar(name)
    now = timezone.now()
    for event in events:
        calendar.add_component(_component(event, now=now))
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()
