"""``{% load activity_tags %}``: ``{{ entry|activity_text }}`` and ``{{ entry|activity_actor }}`` for audit entries."""

from django import template

from .. import activity

register = template.Library()


@register.filter
def activity_text(entry) -> str:
    return activity.describe(entry)


@register.filter
def activity_actor(entry) -> str:
    return activity.actor_name(entry)
