"""``{% load comments_tags %}``

* ``{% comment_thread obj %}`` — the comments on ``obj`` with their form (two queries, however many comments);
  works on any page of the Kommune ``obj`` belongs to.
* ``{{ obj|comments_url }}`` — the page of its thread (the page itself when the thread is embedded there).
"""

from django import template
from django.template.loader import render_to_string

from ..registry import get_commentable

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_thread(context, obj):
    request = context.get("request")
    municipality = getattr(request, "municipality", None)
    if obj is None or municipality is None or get_commentable(obj) is None or obj.municipality_id != municipality.pk:
        return ""
    from ..views import THREAD_TEMPLATE, thread_context

    return render_to_string(THREAD_TEMPLATE, thread_context(request, obj, next_url=request.get_full_path()), request)


@register.filter
def comments_url(obj) -> str:
    commentable = get_commentable(obj)
    return commentable.thread_url(obj) if commentable else ""
