"""Which objects can be commented on, and where their comments are shown.

Apps register their models (``CommentsConfig.ready()`` does it for the known ones)::

    register_commentable(
        Meeting,
        url=lambda meeting: reverse("meetings:detail", args=[meeting.municipality.slug, meeting.pk]),
        label=_("meeting"),
    )

* ``url(obj)`` is the page of the object. With ``embedded=True`` (the default) that page shows the
  thread itself (``{% comment_thread obj %}``); with ``embedded=False`` (e.g. SWOT entries, which live on a
  board) the thread lives on its own page (``comments:thread``) and ``url`` is the "back" link from there.
* ``label`` names the kind of object ("meeting"), for notifications and the activity feed.
* ``process(obj)`` returns the id of the strategy process the object belongs to (or None); the default takes
  ``obj.process_id`` (or the pk of a StrategyProcess). Comment audit entries carry it as ``data["process"]``.

A registered model must have a ``municipality`` foreign key: objects are always looked up through the
Kommune of the URL, and unregistered models cannot be commented on (404).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models.signals import post_delete
from django.urls import reverse


@dataclass(frozen=True)
class Commentable:
    model: type[models.Model]
    url: Callable[[models.Model], str]
    label: str
    embedded: bool = True
    process: Callable[[models.Model], int | None] | None = None

    @property
    def key(self) -> str:
        """``app_label.modelname``, used in the thread URLs (stable across databases, unlike content type ids)."""
        return self.model._meta.label_lower

    def process_id(self, obj) -> int | None:
        if self.process is not None:
            return self.process(obj)
        if obj._meta.label_lower == "strategy.strategyprocess":
            return obj.pk
        return getattr(obj, "process_id", None)

    def thread_url(self, obj) -> str:
        """Where the thread of ``obj`` is shown (the object's page with an anchor, or the thread page)."""
        if self.embedded:
            return f"{self.url(obj)}#{anchor(obj)}"
        return standalone_url(obj)


_REGISTRY: dict[str, Commentable] = {}


def register_commentable(
    model,
    *,
    url: Callable[[models.Model], str],
    label,
    embedded: bool = True,
    process: Callable[[models.Model], int | None] | None = None,
) -> Commentable:
    entry = Commentable(model=model, url=url, label=label, embedded=embedded, process=process)
    _REGISTRY[entry.key] = entry
    post_delete.connect(_delete_thread, sender=model, dispatch_uid=f"comments-thread-{entry.key}")
    return entry


def _delete_thread(sender, instance, **kwargs) -> None:
    """The comments (and their notifications) go with the object — like a cascade, which a generic relation lacks."""
    from django.contrib.contenttypes.models import ContentType

    from .models import Comment, Notification

    comments = Comment.objects.filter(content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk)
    Notification.objects.filter(comment__in=comments).delete()
    comments.delete()


def get_commentable(key_or_model) -> Commentable | None:
    """The registration of a model (class, instance or ``"app_label.modelname"``), or None."""
    if isinstance(key_or_model, str):
        return _REGISTRY.get(key_or_model.lower())
    return _REGISTRY.get(key_or_model._meta.label_lower)


def registered() -> list[Commentable]:
    return list(_REGISTRY.values())


def anchor(obj) -> str:
    """The HTML id of the thread of ``obj`` (unique on any page)."""
    return f"comments-{obj._meta.app_label}-{obj._meta.model_name}-{obj.pk}"


def standalone_url(obj) -> str:
    return reverse(
        "comments:thread",
        kwargs={
            "municipality_slug": obj.municipality.slug,
            "model": obj._meta.label_lower,
            "object_pk": obj.pk,
        },
    )


# --- The known commentable models -------------------------------------------------------------


def _step_kwargs(obj) -> dict:
    from daks.strategy.models import Step
    from daks.strategy.steps import STEPS

    return {"municipality_slug": obj.municipality.slug, "pk": obj.process_id, "step_slug": STEPS[Step.PROFILE].slug}


def register_defaults() -> None:
    """Register the commentable models of DAKS (called from ``CommentsConfig.ready()``).

    Models of optional/other apps are registered only when they exist, so adding one here is one entry.
    """
    from django.apps import apps
    from django.utils.translation import gettext_lazy as _

    def optional(label: str):
        app_label, model_name = label.split(".")
        if not apps.is_installed(f"daks.{app_label}"):
            return None
        try:
            return apps.get_model(app_label, model_name)
        except LookupError:
            return None

    candidates = [
        (
            "strategy.StrategyProcess",
            {
                "url": lambda obj: reverse("strategy:overview", args=[obj.municipality.slug, obj.pk]),
                "label": _("strategy process"),
            },
        ),
        (
            "strategy.Task",
            {
                "url": lambda obj: reverse("strategy:task_edit", args=[obj.municipality.slug, obj.pk]),
                "label": _("task"),
            },
        ),
        (
            "meetings.Meeting",
            {
                "url": lambda obj: reverse("meetings:detail", args=[obj.municipality.slug, obj.pk]),
                "label": _("meeting"),
            },
        ),
        (
            "profile.SwotItem",
            {
                "url": lambda obj: reverse("profile:swot", kwargs=_step_kwargs(obj)) + f"#quadrant-{obj.quadrant}",
                "label": _("SWOT entry"),
                "embedded": False,
            },
        ),
        (
            "profile.FieldOfAction",
            {
                "url": lambda obj: reverse("profile:fields", kwargs=_step_kwargs(obj)),
                "label": _("field of action"),
                "embedded": False,
            },
        ),
        (
            "profile.InventoryItem",
            {
                "url": lambda obj: reverse("profile:inventory_detail", kwargs={**_step_kwargs(obj), "item_pk": obj.pk}),
                "label": _("inventory entry"),
            },
        ),
        (
            "profile.Interview",
            {
                "url": lambda obj: reverse("profile:interviews", kwargs=_step_kwargs(obj)),
                "label": _("interview"),
                "embedded": False,
            },
        ),
        (
            "workshops.Idea",
            {
                "url": lambda obj: (
                    reverse(
                        "workshops:board",
                        kwargs={
                            "municipality_slug": obj.municipality.slug,
                            "pk": obj.workshop.process_id,
                            "step_slug": "zukunftswerkstatt",
                            "workshop_pk": obj.workshop_id,
                        },
                    )
                    + f"#idea-{obj.pk}"
                ),
                "label": _("idea"),
                "embedded": False,
                "process": lambda obj: obj.workshop.process_id,
            },
        ),
        (
            "strategy.WorkingGroup",
            {
                "url": lambda obj: reverse("strategy:group_detail", args=[obj.municipality.slug, obj.pk]),
                "label": _("working group"),
            },
        ),
    ]
    for label, options in candidates:
        model = optional(label)
        if model is not None:
            register_commentable(model, **options)
