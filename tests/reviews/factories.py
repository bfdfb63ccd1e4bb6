"""Factories for the Zwischenbilanz tests (shared by all review test modules; append, don't rewrite)."""

import hashlib

import factory
from django.utils import timezone

from daks.reviews.models import Answer, Question, QuestionKind, Response, Survey, SurveyInvitation, SurveySection


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SurveyFactory(factory.django.DjangoModelFactory):
    """Pass ``process=``; the Kommune follows from it."""

    class Meta:
        model = Survey

    municipality = factory.LazyAttribute(lambda o: o.process.municipality)
    title = factory.Sequence(lambda n: f"Umfrage {n}")
    introduction = "Wie läuft unsere Strategie?"
    anonymous = True


class SurveySectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveySection

    title = factory.Sequence(lambda n: f"Abschnitt {n}")
    position = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    """Pass ``survey=`` (and optionally ``section=``, ``kind=``, ``options=``)."""

    class Meta:
        model = Question

    kind = QuestionKind.LIKERT
    text = factory.Sequence(lambda n: f"Aussage {n}")
    position = factory.Sequence(lambda n: n)
    options = factory.LazyAttribute(
        lambda o: ["Ja", "Nein", "Weiß nicht"] if o.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else []
    )


class InvitationFactory(factory.django.DjangoModelFactory):
    """Pass ``survey=``; pass ``token="…"`` to know the link's token (only its hash is stored)."""

    class Meta:
        model = SurveyInvitation
        exclude = ["token"]

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"befragt{n}@example.org")
    token = factory.Sequence(lambda n: f"survey-token-{n}-abcdefghijklmnopqrstuvwxyz")
    token_hash = factory.LazyAttribute(lambda o: _hash(o.token))
    sent_at = factory.LazyFunction(timezone.now)


class ResponseFactory(factory.django.DjangoModelFactory):
    """Pass ``survey=``; ``invitation=`` only for surveys that are not anonymous."""

    class Meta:
        model = Response

    submitted_at = factory.LazyFunction(timezone.now)


class AnswerFactory(factory.django.DjangoModelFactory):
    """Pass ``response=`` and ``question=`` plus ``number=``/``choices=``/``text=``."""

    class Meta:
        model = Answer


class ReviewFactory(factory.django.DjangoModelFactory):
    """A Zwischenbilanz. Pass ``process=``; the Kommune follows from it."""

    class Meta:
        model = "reviews.Review"

    municipality = factory.LazyAttribute(lambda o: o.process.municipality)
    title = factory.Sequence(lambda n: f"Zwischenbilanz {n}")
    date = factory.LazyFunction(lambda: __import__("datetime").date(2026, 10, 15))
