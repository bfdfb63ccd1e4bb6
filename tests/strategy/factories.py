"""Factories of the strategy app (the process and task factories live in test_tasks)."""

import factory

from daks.strategy.models import Actor, WorkingGroup

from .test_tasks import ProcessFactory, TaskFactory

__all__ = ["ActorFactory", "ProcessFactory", "TaskFactory", "WorkingGroupFactory"]


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    municipality = factory.SubFactory("tests.factories.MunicipalityFactory")
    name = factory.Sequence(lambda n: f"Verein {n}")


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    """Pass ``municipality``; the process is created in the same Kommune unless given."""

    class Meta:
        model = WorkingGroup

    municipality = factory.SubFactory("tests.factories.MunicipalityFactory")
    process = factory.SubFactory(ProcessFactory, municipality=factory.SelfAttribute("..municipality"))
    title = factory.Sequence(lambda n: f"AG {n}")
