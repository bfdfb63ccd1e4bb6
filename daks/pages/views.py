from django.http import Http404
from django.shortcuts import render

from .defaults import DEFAULT_PAGES
from .models import Page


def _get_page(slug: str) -> Page:
    page = Page.objects.filter(slug=slug).first()
    if page is None:
        if slug not in DEFAULT_PAGES:
            raise Http404
        # A legal page must always exist: recreate it from the default text if it went missing.
        title, body = DEFAULT_PAGES[slug]
        page, _ = Page.objects.get_or_create(slug=slug, defaults={"title": title, "body": body})
    return page


def page(request, slug):
    return render(request, "pages/page.html", {"page": _get_page(slug)})
