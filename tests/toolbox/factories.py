"""Factories for the Werkzeugkoffer tests (shared by all toolbox test modules; append, don't rewrite)."""

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from daks.toolbox import search
from daks.toolbox.models import Tool, ToolSize, ToolStatus, ToolStep, ToolType, TopicField
from daks.toolbox.rules import EDITOR_GROUP, REVIEWER_GROUP


class ToolFactory(factory.django.DjangoModelFactory):
    """A published tool, indexed for search. ``topics=["wohnen"]``, ``steps=["plan"]``, ``sizes=["small"]`` take
    slugs/values; ``status=`` another state."""

    class Meta:
        model = Tool
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"werkzeug-{n}")
    title = factory.Sequence(lambda n: f"Werkzeug {n}")
    teaser = "Ein praktisches Werkzeug für Kommunen im demografischen Wandel."
    body = "## Worum es geht\n\nEin Beispieltext mit mehreren Absätzen.\n\n## So gehen Sie vor\n\n1. Erster Schritt"
    tool_type = ToolType.METHOD
    status = ToolStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    is_editorial = True

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        slugs = extracted if extracted is not None else ["demografiestrategie"]
        self.topics.set(TopicField.objects.filter(slug__in=slugs))

    @factory.post_generation
    def steps(self, create, extracted, **kwargs):
        for step in extracted if extracted is not None else ["profile"]:
            ToolStep.objects.create(tool=self, step=step)

    @factory.post_generation
    def sizes(self, create, extracted, **kwargs):
        for size in extracted if extracted is not None else ["small", "medium"]:
            ToolSize.objects.create(tool=self, size=size)

    @factory.post_generation
    def index(self, create, extracted, **kwargs):
        search.index_tools(Tool.objects.filter(pk=self.pk).prefetch_related("topics"))


def make_editor(user):
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    user.__dict__.pop("_daks_groups", None)
    return user


def make_reviewer(user):
    user.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    user.__dict__.pop("_daks_groups", None)
    return user
