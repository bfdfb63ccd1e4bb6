"""Factories of the Zukunftswerkstatt (pass ``workshop``; Kommune and process are taken from it)."""

import datetime
import hashlib

import factory
from django.utils import timezone

from daks.meetings.models import Meeting
from daks.strategy.models import Step
from daks.workshops.models import Cluster, Idea, IdeaStatus, Participant, ParticipationLink, Phase, Workshop


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _start():
    return (timezone.now() + datetime.timedelta(days=7)).replace(second=0, microsecond=0)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A workshop meeting; pass ``process``."""

    class Meta:
        model = Meeting

    process = None
    municipality = factory.SelfAttribute("process.municipality")
    step = Step.WORKSHOP
    title = factory.Sequence(lambda n: f"Zukunftswerkstatt {n}")
    starts_at = factory.LazyFunction(_start)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=4))
    place = "Bürgerhaus, großer Saal"


class WorkshopFactory(factory.django.DjangoModelFactory):
    """``WorkshopFactory(process=process)`` — creates the meeting too."""

    class Meta:
        model = Workshop

    process = None
    municipality = factory.SelfAttribute("process.municipality")
    meeting = factory.SubFactory(MeetingFactory, process=factory.SelfAttribute("..process"))


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    workshop = None
    phase = Phase.CRITIQUE
    title = factory.Sequence(lambda n: f"Cluster {n}")
    position = factory.Sequence(lambda n: n)


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    workshop = None
    municipality = factory.SelfAttribute("workshop.municipality")
    phase = Phase.CRITIQUE
    text = factory.Sequence(lambda n: f"Idee Nummer {n}")
    status = IdeaStatus.VISIBLE
    position = factory.Sequence(lambda n: n)


class ParticipationLinkFactory(factory.django.DjangoModelFactory):
    """Pass ``token="…"`` to know the link's token; only its SHA-256 hash is stored."""

    class Meta:
        model = ParticipationLink
        exclude = ["token"]

    workshop = None
    token = factory.Sequence(lambda n: f"link-{n}-abcdefghijklmnopqrstuvwxyz0123456789")
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=3))


class ParticipantFactory(factory.django.DjangoModelFactory):
    """Pass ``link``; ``token="…"`` to know the participant's cookie token."""

    class Meta:
        model = Participant
        exclude = ["token"]

    link = None
    token = factory.Sequence(lambda n: f"participant-{n}-abcdefghijklmnopqrstuvwxyz")
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
