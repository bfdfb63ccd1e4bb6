"""Factories for the events tests."""

import secrets
from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from daks.events.models import Event, EventKind, EventStatus, Registration, RegistrationStatus
from daks.network.rules import NETWORK_EDITOR_GROUP
from daks.workshops.participation import hash_token


def make_network_editor(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get_or_create(name=NETWORK_EDITOR_GROUP)[0])
    user.__dict__.pop("_daks_groups", None)
    return user


class EventFactory(factory.django.DjangoModelFactory):
    """A published online seminar in ten days with 3 places."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Online-Seminar {n}")
    slug = factory.Sequence(lambda n: f"seminar-{n}")
    kind = EventKind.ONLINE_SEMINAR
    description = "Ein **Seminar** über Demografie."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    online_url = "https://video.example.org/geheimer-raum"
    capacity = 3
    status = EventStatus.PUBLISHED
    contact = "Netzwerkbüro, netzwerk@example.org"


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"teilnahme{n}@example.org")
    status = RegistrationStatus.CONFIRMED
    token_hash = factory.LazyFunction(lambda: hash_token(secrets.token_urlsafe(32)))
    consent_at = factory.LazyFunction(timezone.now)
