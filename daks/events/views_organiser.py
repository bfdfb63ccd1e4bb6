"""Pages of the organisers (editorial office of the network, perm ``network.edit_network``): events, participant
lists and exports, cancellation, material after the event. Anonymous → login, others → 403."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error

from . import exports, selectors, services
from .forms import CancelEventForm, EventForm, MaterialForm
from .models import EventKind, EventStatus

PERM = "network.edit_network"


def organiser_view(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(PERM):
            response = render(request, "events/organiser/forbidden.html", status=403)
        else:
            response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_cache=True, no_store=True)
        return response

    return wrapper


def _event(pk: int):
    event = selectors.event_with_counts(pk)
    if event is None:
        raise Http404("No such event")
    return event


def _manage_url(event) -> str:
    return reverse("events:manage", kwargs={"pk": event.pk})


@organiser_view
@require_GET
def index(request):
    status = request.GET.get("status", "")
    if status not in EventStatus.values:
        status = ""
    return render(
        request,
        "events/organiser/index.html",
        {"events": list(selectors.organiser_events(status=status)), "status": status, "statuses": EventStatus.choices},
    )


@organiser_view
@require_http_methods(["GET", "POST"])
def create(request):
    initial = None
    if request.method == "GET":
        # "Plan a meeting of this group" on a group page: the group and the kind preset.
        group = selectors.group_by_slug(request.GET.get("gruppe", ""))
        if group is not None:
            initial = {"group": group, "kind": EventKind.REGIONAL_MEETING}
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, data=form.service_data())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The event “%(title)s” has been created as a draft.") % {"title": event.title})
            return redirect(_manage_url(event))
    status = 400 if form.is_bound else 200
    return render(request, "events/organiser/event_form.html", {"form": form, "event": None}, status=status)


@organiser_view
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    event = _event(pk)
    if request.method == "POST":
        form = EventForm(request.POST)
        if form.is_valid():
            try:
                services.event_update(
                    actor=request.user, event=event, data=form.service_data(), version=form.cleaned_data["version"]
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The event has been saved."))
                return redirect(_manage_url(event))
        status = 400
    else:
        form, status = EventForm(initial=EventForm.initial_for(event)), 200
    return render(request, "events/organiser/event_form.html", {"form": form, "event": event}, status=status)


def _render_manage(request, event, *, cancel_form=None, material_form=None, error="", status=200):
    return render(
        request,
        "events/organiser/manage.html",
        {
            "event": event,
            "participants": selectors.participants(event),
            "cancel_form": cancel_form or CancelEventForm(),
            "material_form": material_form
            or MaterialForm(
                initial={
                    "recording_url": event.recording_url,
                    "slides_url": event.slides_url,
                    "tools": list(event.tools.all()),
                }
            ),
            "error": error,
        },
        status=status,
    )


@organiser_view
@require_GET
def manage(request, pk):
    return _render_manage(request, _event(pk))


@organiser_view
@require_POST
def publish(request, pk):
    event = _event(pk)
    try:
        services.event_publish(actor=request.user, event=event)
    except DomainError as error:
        return _render_manage(request, event, error=error.message, status=400)
    messages.success(request, _("The event has been published."))
    return redirect(_manage_url(event))


@organiser_view
@require_POST
def cancel(request, pk):
    event = _event(pk)
    form = CancelEventForm(request.POST)
    if not form.is_valid():
        return _render_manage(request, event, cancel_form=form, status=400)
    try:
        count = services.event_cancel(actor=request.user, event=event, message=form.cleaned_data["message"])
    except DomainError as error:
        return _render_manage(request, event, cancel_form=form, error=error.message, status=400)
    messages.success(
        request, _("The event has been cancelled; %(count)s registered people are being informed.") % {"count": count}
    )
    return redirect(_manage_url(event))


@organiser_view
@require_POST
def material(request, pk):
    event = _event(pk)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_manage(request, event, material_form=form, status=400)
    services.event_material_update(
        actor=request.user,
        event=event,
        recording_url=form.cleaned_data["recording_url"],
        slides_url=form.cleaned_data["slides_url"],
        slides_file=form.cleaned_data["slides_file"],
        remove_slides=form.cleaned_data["remove_slides"],
        tools=list(form.cleaned_data["tools"]),
    )
    messages.success(request, _("The material has been saved."))
    return redirect(_manage_url(event) + "#material")


@organiser_view
@require_GET
def export(request, pk, format):
    event = _event(pk)
    exporter = {"csv": exports.participants_csv, "xlsx": exports.participants_xlsx}.get(format)
    if exporter is None:
        raise Http404("Unknown format")
    filename, mimetype, content = exporter(event)
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
