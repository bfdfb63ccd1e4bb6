"""Factories for the exchange tests."""

import factory
from django.contrib.auth.models import Group

from daks.exchange.models import Answer, Question, Report
from daks.network.rules import NETWORK_EDITOR_GROUP
from daks.toolbox.models import TopicField


def topic(slug: str = "wohnen") -> TopicField:
    """One of the 13 topic fields the toolbox migration creates."""
    return TopicField.objects.get(slug=slug)


def make_network_editor(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get(name=NETWORK_EDITOR_GROUP))
    user.__dict__.pop("_daks_groups", None)
    return user


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    topic = factory.LazyFunction(topic)
    title = factory.Sequence(lambda n: f"Frage {n}: Wie machen Sie das?")
    body = "Wir suchen **Erfahrungen** anderer Kommunen."


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory)
    body = factory.Sequence(lambda n: f"Antwort {n}: So haben wir es gemacht.")


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    reason = "Werbung"
