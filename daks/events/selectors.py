"""Reads of the events app: public lists, the organisers' overview, participant lists."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Event, EventKind, EventStatus, Registration, RegistrationStatus

PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def _with_counts(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
    )


def public_events(*, kind: str = "") -> QuerySet:
    events = Event.objects.filter(status__in=PUBLIC_STATUSES).defer("description")
    if kind in EventKind.values:
        events = events.filter(kind=kind)
    return _with_counts(events)


def upcoming_events(*, kind: str = "", now: datetime | None = None) -> QuerySet:
    """Published (and cancelled, marked as such) events that have not ended yet, soonest first."""
    now = now or timezone.now()
    return public_events(kind=kind).filter(ends_at__gte=now).order_by("starts_at", "pk")


def past_events(*, kind: str = "", now: datetime | None = None) -> QuerySet:
    """Events that took place (not the cancelled ones), most recent first."""
    now = now or timezone.now()
    return public_events(kind=kind).filter(ends_at__lt=now, status=EventStatus.PUBLISHED).order_by("-starts_at", "-pk")


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
    return _with_counts(events).prefetch_related("tools").first()


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
