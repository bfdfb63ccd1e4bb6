"""Public pages of the events: list, event page with registration, personal registration page, calendar files."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from daks.core.caching import public_page
from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.richtext import render_markdown
from daks.network.rules import is_network_editor
from daks.workshops.participation import RateLimited, address_key, rate_limit

from . import selectors, services
from .forms import RegistrationForm
from .ics import event_ics, feed_ics
from .models import EventKind, EventStatus, RegistrationStatus

RATE_LIMIT = "event_registration_ip"
PAST_PER_PAGE = 20


def _private(response, *, no_store: bool = False):
    patch_cache_control(response, private=True, no_cache=True, **({"no_store": True} if no_store else {}))
    return response


@public_page(max_age=300)
@require_GET
def event_list(request):
    kind = request.GET.get("kind", "")
    if kind not in EventKind.values:
        kind = ""
    # ?gruppe=<slug>: the meetings of one group of Kommunen; an unknown group is ignored (shared links never break).
    group = selectors.group_by_slug(request.GET.get("gruppe", ""))
    now = timezone.now()
    upcoming = list(selectors.upcoming_events(kind=kind, group=group, now=now))
    past = Paginator(selectors.past_events(kind=kind, group=group, now=now), PAST_PER_PAGE).get_page(
        request.GET.get("page")
    )
    groups = list(selectors.event_groups())
    if group is not None and group not in groups:
        groups = sorted([*groups, group], key=lambda g: g.name.casefold())
    filters = urlencode({name: value for name, value in (("kind", kind), ("gruppe", group and group.slug)) if value})
    return render(
        request,
        "events/event_list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "kind": kind,
            "kinds": EventKind.choices,
            "group": group,
            "groups": groups,
            "filters": filters,
            "now": now,
        },
    )


def _places(event) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - event.confirmed, 0)


def _render_detail(request, event, *, form=None, error="", status=200):
    now = timezone.now()
    try:
        services.check_registration_open(event, now=now)
        closed_reason = ""
    except DomainError as closed:
        closed_reason = closed.message
    response = render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "description": render_markdown(event.description),
            "form": form or RegistrationForm(),
            "error": error,
            "closed_reason": closed_reason,
            "free_places": _places(event),
            "is_past": event.ends_at < now,
            "tools": [tool for tool in event.tools.all() if tool.status == "published"],
            "is_draft": event.status == EventStatus.DRAFT,
        },
        status=status,
    )
    return _private(response)


def _event_for_page(request, slug):
    event = selectors.public_event(slug, include_drafts=is_network_editor(request.user))
    if event is None:
        raise Http404("No such event")
    return event


@require_http_methods(["GET", "HEAD", "POST"])
def event_detail(request, slug):
    """The event page; the registration form POSTs here (so the page carries a CSRF token and is not cached)."""
    event = _event_for_page(request, slug)
    if request.method != "POST":
        return _render_detail(request, event)
    form = RegistrationForm(request.POST)
    if form.is_spam:
        return _render_detail(
            request,
            event,
            form=form,
            error=_("Your registration was not saved. Please leave the last field empty."),
            status=400,
        )
    try:
        rate_limit(RATE_LIMIT, address_key(request))
    except RateLimited as limited:
        return _render_detail(request, event, form=form, error=limited.message, status=429)
    if not form.is_valid():
        return _render_detail(request, event, form=form, status=400)
    try:
        registration, _token = services.registration_create(
            event=event,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            organisation=form.cleaned_data["organisation"],
            consent=form.cleaned_data["consent"],
            language=translation.get_language() or "de",
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return _render_detail(request, event, form=form, status=400)
    if registration.status == RegistrationStatus.CONFIRMED:
        messages.success(
            request,
            _("Thank you, you are registered. We have sent a confirmation with your personal link to %(email)s.")
            % {"email": registration.email},
        )
    else:
        messages.warning(
            request,
            _(
                "All places are taken, so you are on the waiting list (position %(position)s). We have sent an "
                "e-mail to %(email)s and will write again when a place becomes free."
            )
            % {"position": services.waiting_position(registration), "email": registration.email},
        )
    return redirect(event.get_absolute_url() + "#anmeldung")


def _token_response(response):
    # Keep the token away from other sites; "no-referrer" would make browsers send "Origin: null" with the
    # cancellation form, which Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return _private(response, no_store=True)


@require_http_methods(["GET", "HEAD", "POST"])
def registration(request, token):
    """The personal page of a registration: details (the online link once confirmed), position, cancellation."""
    found = services.registration_for_token(token)
    if found is None:
        return _token_response(render(request, "events/registration_invalid.html", status=404))
    error = ""
    status = 200
    if request.method == "POST":
        try:
            services.registration_cancel(token=token)
        except DomainError as domain_error:
            error, status = domain_error.message, 400
        else:
            messages.success(request, _("Your registration has been cancelled. Thank you for letting us know."))
            return redirect(reverse("events:registration", kwargs={"token": token}))
    found.refresh_from_db()
    event = found.event
    now = timezone.now()
    return _token_response(
        render(
            request,
            "events/registration.html",
            {
                "registration": found,
                "event": event,
                "position": services.waiting_position(found),
                "show_online_link": (
                    found.status == RegistrationStatus.CONFIRMED
                    and event.status == EventStatus.PUBLISHED
                    and bool(event.online_url)
                ),
                "can_cancel": found.status != RegistrationStatus.CANCELLED and event.ends_at >= now,
                "is_past": event.ends_at < now,
                "error": error,
            },
            status=status,
        )
    )


def _ics_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public_page(max_age=900)
@require_GET
def event_ics_download(request, slug):
    event = selectors.public_event(slug)
    if event is None:
        raise Http404("No such event")
    return _ics_response(event_ics(event), f"{event.slug}.ics")


@public_page(max_age=900)
@require_GET
def feed(request):
    content = feed_ics(selectors.feed_events(), name=_("DAKS events"))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kalender.ics"'
    return response


@public_page(max_age=3600)
@require_GET
def slides(request, slug):
    event = selectors.public_event(slug)
    if event is None or not event.slides_file:
        raise Http404("No slides")
    extension = event.slides_file.name.rsplit(".", 1)[-1].lower()
    return FileResponse(event.slides_file.open("rb"), as_attachment=True, filename=f"{event.slug}-folien.{extension}")
