"""Factories for the Werkstattplan tests (shared by all plan test modules; append, don't rewrite)."""

import datetime
from decimal import Decimal

import factory

from daks.plans.models import Goal, Measure, MeasureStatus, Milestone
from daks.profile.models import FieldOfAction
from daks.strategy.models import Actor


class FieldOfActionFactory(factory.django.DjangoModelFactory):
    """Pass ``process=``; the Kommune follows from it."""

    class Meta:
        model = FieldOfAction

    municipality = factory.LazyAttribute(lambda o: o.process.municipality)
    title = factory.Sequence(lambda n: f"Handlungsfeld {n}")
    priority = factory.Sequence(lambda n: n + 1)


class GoalFactory(factory.django.DjangoModelFactory):
    """Pass ``plan=`` (and optionally ``field_of_action=`` of the same process)."""

    class Meta:
        model = Goal

    municipality = factory.LazyAttribute(lambda o: o.plan.municipality)
    field_of_action = factory.LazyAttribute(lambda o: FieldOfActionFactory(process=o.plan.process))
    title = factory.Sequence(lambda n: f"Ziel {n}")
    position = factory.Sequence(lambda n: n)


class MeasureFactory(factory.django.DjangoModelFactory):
    """Pass ``plan=`` (and optionally ``field_of_action=`` of the same process)."""

    class Meta:
        model = Measure
        skip_postgeneration_save = True

    municipality = factory.LazyAttribute(lambda o: o.plan.municipality)
    field_of_action = factory.LazyAttribute(lambda o: FieldOfActionFactory(process=o.plan.process))
    title = factory.Sequence(lambda n: f"Maßnahme {n}")
    status = MeasureStatus.PLANNED
    start_date = datetime.date(2026, 4, 1)
    end_date = datetime.date(2027, 12, 31)
    budget_own = Decimal("1000.00")
    position = factory.Sequence(lambda n: n)

    @factory.post_generation
    def goals(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.goals.set(extracted)

    @factory.post_generation
    def partners(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.partners.set(extracted)


class MilestoneFactory(factory.django.DjangoModelFactory):
    """Pass ``measure=``."""

    class Meta:
        model = Milestone

    title = factory.Sequence(lambda n: f"Meilenstein {n}")
    due_date = datetime.date(2026, 9, 30)


class ActorFactory(factory.django.DjangoModelFactory):
    """Pass ``municipality=``."""

    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Verein {n}")
