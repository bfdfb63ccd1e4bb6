"""Writes of the events app: events (create, edit, publish, cancel, material) and registrations.

Capacity and waiting list
    Every write that changes who holds a place locks the event row first (``SELECT … FOR UPDATE`` on
    PostgreSQL; on SQLite every transaction starts with ``BEGIN IMMEDIATE``, see ``config/settings.py``), then
    counts the confirmed registrations. So concurrent registrations are serialised per event and never exceed
    the capacity. A registration is confirmed while places are free and goes to the waiting list otherwise;
    when a place becomes free (a cancellation, a higher capacity) the first of the waiting list moves up and
    gets an e-mail.

Personal links
    A registration's link ``/veranstaltungen/anmeldung/<token>/`` carries a random token; only its SHA-256 hash
    is stored. The token exists only in the mails: moving up from the waiting list sends a *new* link (the old
    one stops working), because the stored hash cannot be turned back into a link.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError, EditConflict
from daks.core.mail import send_templated_mail
from daks.workshops.participation import hash_token

from .ics import event_ics
from .models import Event, EventStatus, Registration, RegistrationStatus

#: Slugs that would collide with the app's own addresses.
RESERVED_SLUGS = {"kalender", "verwaltung", "anmeldung"}
EVENT_FIELDS = (
    "title",
    "kind",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "capacity",
    "registration_deadline",
    "contact",
    "group",
)


class EventEditConflict(EditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed this event in the meantime. Please check the current version."
    )


# --- Helpers ------------------------------------------------------------------------------------------------


def registration_url(token: str) -> str:
    return f"{settings.DAKS_BASE_URL}{reverse('events:registration', kwargs={'token': token})}"


def event_url(event: Event) -> str:
    return f"{settings.DAKS_BASE_URL}{event.get_absolute_url()}"


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _unique_slug(title: str, *, exclude: int | None = None) -> str:
    base = (slugify(title) or "veranstaltung")[:100].strip("-") or "veranstaltung"
    if base in RESERVED_SLUGS:
        base = f"{base}-veranstaltung"
    taken = set(Event.objects.filter(slug__startswith=base).exclude(pk=exclude).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_times(data: dict) -> None:
    if data["ends_at"] <= data["starts_at"]:
        raise DomainError(_("The event must end after it starts."), field="ends_at")
    deadline = data.get("registration_deadline")
    if deadline and deadline > data["starts_at"]:
        raise DomainError(_("The registration deadline must not be after the start."), field="registration_deadline")
    if not (data.get("place") or data.get("online_url")):
        raise DomainError(_("Please give a place or an online link."), field="place")


def confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def waiting_position(registration: Registration) -> int | None:
    """1 for the first of the waiting list; None when the registration is not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    return (
        Registration.objects.filter(
            event_id=registration.event_id, status=RegistrationStatus.WAITING, pk__lt=registration.pk
        ).count()
        + 1
    )


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def _mail(prefix: str, registration: Registration, event: Event, *, token: str = "", ics: str = "", **extra):
    context = {
        "event": event,
        "registration": registration,
        "registration_url": registration_url(token) if token else "",
        "event_url": event_url(event),
        **extra,
    }
    attachments = [("veranstaltung.ics", ics, "text/calendar")] if ics else None
    send_templated_mail(
        f"events/email/{prefix}",
        context,
        [registration.email],
        language=registration.language or "de",
        attachments=attachments,
    )


def _fill_places(event: Event, *, now: datetime) -> list[tuple[Registration, str]]:
    """Move people up from the waiting list while places are free (event locked by the caller).

    Returns (registration, new token) pairs; the caller mails them after the commit."""
    if event.status != EventStatus.PUBLISHED or event.ends_at < now:
        return []
    waiting = event.registrations.filter(status=RegistrationStatus.WAITING).order_by("pk")
    if event.capacity is not None:
        free = event.capacity - confirmed_count(event)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = []
    for registration in waiting:
        token, token_hash = _new_token()
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        registration.token_hash = token_hash
        registration.save(update_fields=["status", "promoted_at", "token_hash", "updated_at"])
        log_action("events.registration.promoted", obj=event, event=event.pk, registration=registration.pk)
        promoted.append((registration, token))
    return promoted


def _mail_promoted(event: Event, promoted: list[tuple[Registration, str]]) -> None:
    if not promoted:
        return
    ics = event_ics(event, with_online_link=True)

    def send():
        for registration, token in promoted:
            _mail("promoted", registration, event, token=token, ics=ics)

    transaction.on_commit(send)


# --- Events -----------------------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, actor, data: dict) -> Event:
    """A new event as a draft; ``data`` holds ``EVENT_FIELDS`` (and optionally ``slug``)."""
    _check_times(data)
    slug = data.get("slug") or ""
    if slug and (slug in RESERVED_SLUGS or Event.objects.filter(slug=slug).exists()):
        raise DomainError(_("This address is already taken. Please choose another one."), field="slug")
    event = Event.objects.create(
        slug=slug or _unique_slug(data["title"]),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        status=EventStatus.DRAFT,
        **{field: data.get(field) for field in EVENT_FIELDS if field in data},
    )
    log_action("events.event.created", actor=actor, obj=event, event=event.pk)
    return event


@transaction.atomic
def event_update(*, actor, event: Event, data: dict, version: str, now: datetime | None = None) -> Event:
    """Save the organiser's changes; a higher capacity moves people up from the waiting list."""
    now = now or timezone.now()
    event = _lock(event)
    if version != event.version:
        raise EventEditConflict(event)
    _check_times(data)
    slug = data.get("slug") or event.slug
    if slug != event.slug and (slug in RESERVED_SLUGS or Event.objects.filter(slug=slug).exclude(pk=event.pk).exists()):
        raise DomainError(_("This address is already taken. Please choose another one."), field="slug")
    capacity = data.get("capacity")
    if capacity is not None:
        confirmed = confirmed_count(event)
        if capacity < confirmed:
            raise DomainError(
                _("The number of places cannot be lower than the number of confirmed participants (%(count)s).")
                % {"count": confirmed},
                field="capacity",
            )
    for field in EVENT_FIELDS:
        if field in data:
            setattr(event, field, data[field])
    event.slug = slug
    event.save()
    promoted = _fill_places(event, now=now)
    _mail_promoted(event, promoted)
    log_action("events.event.updated", actor=actor, obj=event, event=event.pk, promoted=len(promoted))
    return event


@transaction.atomic
def event_publish(*, actor, event: Event) -> Event:
    event = _lock(event)
    if event.status != EventStatus.DRAFT:
        raise DomainError(_("Only drafts can be published."))
    event.status = EventStatus.PUBLISHED
    event.save(update_fields=["status", "updated_at"])
    log_action("events.event.published", actor=actor, obj=event, event=event.pk)
    return event


@transaction.atomic
def event_cancel(*, actor, event: Event, message: str = "", now: datetime | None = None) -> int:
    """Cancel the event and mail everybody registered (confirmed and waiting). Returns the number of mails."""
    now = now or timezone.now()
    event = _lock(event)
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("The event has already been cancelled."))
    if event.ends_at < now:
        raise DomainError(_("The event is already over and cannot be cancelled any more."))
    was_published = event.status == EventStatus.PUBLISHED
    event.status = EventStatus.CANCELLED
    event.cancelled_at = now
    event.save(update_fields=["status", "cancelled_at", "updated_at"])
    recipients = (
        list(event.registrations.exclude(status=RegistrationStatus.CANCELLED).order_by("pk")) if was_published else []
    )
    ics = event_ics(event)

    def send():
        for registration in recipients:
            _mail("event_cancelled", registration, event, ics=ics, message=message)

    if recipients:
        transaction.on_commit(send)
    log_action("events.event.cancelled", actor=actor, obj=event, event=event.pk, mails=len(recipients))
    return len(recipients)


@transaction.atomic
def event_material_update(
    *, actor, event: Event, recording_url: str, slides_url: str, tools, slides_file=None, remove_slides=False
) -> Event:
    event = _lock(event)
    event.recording_url = recording_url
    event.slides_url = slides_url
    if remove_slides and event.slides_file:
        event.slides_file.delete(save=False)
        event.slides_file = ""
    if slides_file is not None:
        if event.slides_file:
            event.slides_file.delete(save=False)
        event.slides_file = slides_file
    event.save()
    event.tools.set(tools)
    log_action("events.event.material_updated", actor=actor, obj=event, event=event.pk, tools=[t.pk for t in tools])
    return event


# --- Registrations ----------------------------------------------------------------------------------------


def check_registration_open(event: Event, *, now: datetime | None = None) -> None:
    """Raise a ``DomainError`` (German) when nobody may register for ``event`` now."""
    now = now or timezone.now()
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("This event has been cancelled. Registration is not possible."))
    if event.status != EventStatus.PUBLISHED:
        raise DomainError(_("This event is not open for registration."))
    if event.starts_at <= now:
        raise DomainError(_("This event has already started or is over. Registration is not possible any more."))
    if event.deadline <= now:
        raise DomainError(_("The registration deadline has passed."))


@transaction.atomic
def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    organisation: str = "",
    consent: bool,
    language: str = "de",
    now: datetime | None = None,
) -> tuple[Registration, str]:
    """Register for ``event``: confirmed while places are free, else on the waiting list.

    Returns the registration and its token (only for the mail). Nothing is written when a rule is violated."""
    now = now or timezone.now()
    if not consent:
        raise DomainError(_("Please agree to the processing of your data."), field="consent")
    email = email.strip().lower()
    event = _lock(event)
    check_registration_open(event, now=now)
    if event.registrations.filter(email=email).exclude(status=RegistrationStatus.CANCELLED).exists():
        raise DomainError(
            _(
                "This e-mail address is already registered for this event. Please use the personal link from your "
                "confirmation e-mail to see or cancel your registration."
            ),
            field="email",
        )
    full = event.capacity is not None and confirmed_count(event) >= event.capacity
    token, token_hash = _new_token()
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event,
                name=name.strip(),
                email=email,
                organisation=organisation.strip(),
                status=RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED,
                token_hash=token_hash,
                language=(language or "de")[:10],
                consent_at=now,
            )
    except IntegrityError as error:  # the unique constraint, should the check above ever be bypassed
        raise DomainError(_("This e-mail address is already registered for this event."), field="email") from error
    position = waiting_position(registration)
    if full:
        transaction.on_commit(lambda: _mail("waiting", registration, event, token=token, position=position))
    else:
        ics = event_ics(event, with_online_link=True)
        transaction.on_commit(lambda: _mail("confirmed", registration, event, token=token, ics=ics))
    log_action(
        "events.registration.created",
        obj=event,
        event=event.pk,
        registration=registration.pk,
        status=registration.status,
    )
    return registration, token


def registration_for_token(token: str) -> Registration | None:
    """The registration of a personal link, or None (unknown or forged token)."""
    if not token or len(token) > 100:
        return None
    return Registration.objects.select_related("event").filter(token_hash=hash_token(token)).first()


@transaction.atomic
def registration_cancel(*, token: str, now: datetime | None = None) -> Registration:
    """Cancel the registration of ``token``; a freed place goes to the first of the waiting list (mailed)."""
    now = now or timezone.now()
    registration = registration_for_token(token)
    if registration is None:
        raise DomainError(_("This link is not valid. Please use the link from your most recent e-mail."))
    event = _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise DomainError(_("This registration has already been cancelled."))
    if event.ends_at < now:
        raise DomainError(_("The event is over; the registration cannot be cancelled any more."))
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    log_action("events.registration.cancelled", obj=event, event=event.pk, registration=registration.pk)
    if was_confirmed:
        _mail_promoted(event, _fill_places(event, now=now))
    registration.event = event
    return registration
