"""The calendar entry (.ics, RFC 5545) of a meeting."""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

BERLIN = ZoneInfo("Europe/Berlin")


def meeting_uid(meeting) -> str:
    domain = urlsplit(settings.DAKS_BASE_URL).hostname or "daks"
    return f"meeting-{meeting.pk}@{domain}"


def meeting_ics(meeting, *, method: str = "PUBLISH") -> str:
    calendar = Calendar()
    calendar.add("prodid", "-//DAKS//Meetings//DE")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(BERLIN))
    event.add("dtend", meeting.ends_at.astimezone(BERLIN))
    event.add("summary", meeting.title)
    location = meeting.place or meeting.online_url
    if location:
        event.add("location", location)
    if meeting.online_url:
        event.add("url", meeting.online_url)
    description = meeting.description
    agenda = list(meeting.agenda.all())
    if agenda:
        lines = [
            " ".join(part for part in (item.time.strftime("%H:%M") if item.time else "", item.title) if part)
            + (f" ({item.owner})" if item.owner else "")
            for item in agenda
        ]
        description = "\n".join([description, "", *lines]).strip()
    if description:
        event.add("description", description)
    event.add("sequence", int(meeting.updated_at.timestamp()) if meeting.updated_at else 0)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()
