"""Reads of the events app: public lists, the organisers' overview, participant lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from daks.network.models import MunicipalityGroup

from .models import Event, EventKind, EventStatus, Registration, RegistrationStatus

PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def _with_counts(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
    )


def public_events(*, kind: str = "", group: MunicipalityGroup | None = None) -> QuerySet:
    events = Event.objects.filter(status__in=PUBLIC_STATUSES).defer("description").select_related("group")
    if kind in EventKind.values:
        events = events.filter(kind=kind)
    if group is not None:
        events = events.filter(group=group)
    return _with_counts(events)


def upcoming_events(*, kind: str = "", group: MunicipalityGroup | None = None, now: datetime | None = None) -> QuerySet:
    """Published (and cancelled, marked as such) events that have not ended yet, soonest first."""
    now = now or timezone.now()
    return public_events(kind=kind, group=group).filter(ends_at__gte=now).order_by("starts_at", "pk")


def past_events(*, kind: str = "", group: MunicipalityGroup | None = None, now: datetime | None = None) -> QuerySet:
    """Events that took place (not the cancelled ones), most recent first."""
    now = now or timezone.now()
    return (
        public_events(kind=kind, group=group)
        .filter(ends_at__lt=now, status=EventStatus.PUBLISHED)
        .order_by("-starts_at", "-pk")
    )


def event_groups() -> QuerySet:
    """The groups with at least one public event, for the filter of the events list (by name)."""
    return MunicipalityGroup.objects.filter(events__status__in=PUBLIC_STATUSES).distinct().order_by("name")


def group_by_slug(slug: str) -> MunicipalityGroup | None:
    """The group of the filter parameter; None for an empty or unknown value (a shared link never breaks)."""
    slug = (slug or "").strip()[:80]
    return MunicipalityGroup.objects.filter(slug=slug).first() if slug else None


def feed_events(*, now: datetime | None = None) -> QuerySet:
    """The iCal feed: published and cancelled events of the last year and the future."""
    now = now or timezone.now()
    return Event.objects.filter(status__in=PUBLIC_STATUSES, ends_at__gte=now - timedelta(days=365)).order_by(
        "starts_at", "pk"
    )


def public_event(slug: str, *, include_drafts: bool = False) -> Event | None:
    """The event of a public page (drafts only for organisers' previews), with counts and material tools."""
    events = Event.objects.filter(slug=slug)
    if not include_drafts:
        events = events.filter(status__in=PUBLIC_STATUSES)
    return _with_counts(events.select_related("group")).prefetch_related("tools").first()


def organiser_events(*, status: str = "") -> QuerySet:
    events = Event.objects.all().defer("description")
    if status in EventStatus.values:
        events = events.filter(status=status)
    return _with_counts(events).order_by("-starts_at", "-pk")


def event_with_counts(pk: int) -> Event | None:
    return _with_counts(Event.objects.filter(pk=pk)).prefetch_related("tools").first()


def participants(event: Event) -> list[Registration]:
    """All registrations of ``event`` (confirmed, waiting in order, cancelled), waiting ones with their position."""
    registrations = list(Registration.objects.filter(event=event).order_by("pk"))
    position = 0
    for registration in registrations:
        if registration.status == RegistrationStatus.WAITING:
            position += 1
            registration.position = position
        else:
            registration.position = None
    order = {RegistrationStatus.CONFIRMED: 0, RegistrationStatus.WAITING: 1, RegistrationStatus.CANCELLED: 2}
    return sorted(registrations, key=lambda r: (order.get(r.status, 3), r.pk))


def registration_state(event: Event, *, now: datetime | None = None) -> str:
    """The state of registration in a few words (German), for lists: open, fully booked, closed, cancelled.
    ``event`` carries the ``confirmed`` count of ``_with_counts``."""
    now = now or timezone.now()
    if event.status == EventStatus.CANCELLED:
        return _("cancelled")
    if event.ends_at < now:
        return _("took place")
    if event.status != EventStatus.PUBLISHED or event.starts_at <= now or event.deadline <= now:
        return _("registration closed")
    if event.capacity is not None and event.confirmed >= event.capacity:
        return _("Fully booked – waiting list open")
    if event.capacity is None:
        return _("registration open")
    return _("registration open, %(count)s of %(capacity)s places free") % {
        "count": event.capacity - event.confirmed,
        "capacity": event.capacity,
    }


@dataclass
class GroupMeetings:
    upcoming: list[Event]
    past: list[Event]


def group_meetings(group: MunicipalityGroup, *, now: datetime | None = None, past_limit: int = 10) -> GroupMeetings:
    """The public events (regional workshop meetings) of ``group``: upcoming ones soonest first, past ones most
    recent first (at most ``past_limit``), each with ``registration_state`` set. Two queries."""
    now = now or timezone.now()
    upcoming = list(upcoming_events(group=group, now=now))
    past = list(past_events(group=group, now=now)[:past_limit])
    for event in (*upcoming, *past):
        event.registration_state = registration_state(event, now=now)
    return GroupMeetings(upcoming=upcoming, past=past)
