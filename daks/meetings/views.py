"""Views of the meetings: thin — forms parse, services write."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view
from daks.strategy.group_forms import initial_for_group
from daks.strategy.models import Step

from . import services
from .forms import AgendaItemForm, InviteForm, MeetingFilterForm, MeetingForm, MinutesForm
from .ics import meeting_ics
from .models import Rsvp

VIEW = "municipalities.view_municipality"
EDIT = "municipalities.edit_content"


def _meeting(request, pk):
    return get_object_or_404(request.municipality.meetings.select_related("process", "working_group"), pk=pk)


def _detail_url(meeting) -> str:
    return services.meeting_url(meeting)


def _render_detail(request, meeting, status=200, **forms):
    can_edit = request.user.has_perm(EDIT, request.municipality)
    context = {
        "municipality": request.municipality,
        "meeting": meeting,
        "agenda": meeting.agenda.all(),
        "invitations": meeting.invitations.select_related("member", "actor"),
        "can_edit": can_edit,
        "is_past": meeting.ends_at < timezone.now(),
    }
    if can_edit:
        context.update(
            agenda_form=forms.get("agenda_form") or AgendaItemForm(),
            invite_form=forms.get("invite_form") or InviteForm(meeting=meeting),
            minutes_form=forms.get("minutes_form")
            or MinutesForm(
                initial={"minutes": meeting.minutes, "decisions": meeting.decisions, "version": meeting.version}
            ),
        )
    return render(request, "meetings/meeting_detail.html", context, status=status)


@municipality_view(VIEW)
@require_http_methods(["GET", "HEAD"])
def meeting_list(request):
    filter_form = MeetingFilterForm(request.GET or None, municipality=request.municipality)
    working_group = filter_form.selected_group()
    meetings = request.municipality.meetings.select_related("process", "working_group")
    if working_group is not None:
        meetings = meetings.filter(working_group=working_group)
    now = timezone.now()
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "municipality": request.municipality,
            "filter_form": filter_form,
            "working_group": working_group,
            "upcoming": meetings.filter(ends_at__gte=now).order_by("starts_at"),
            "past": meetings.filter(ends_at__lt=now),
            "can_edit": request.user.has_perm(EDIT, request.municipality),
        },
    )


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    initial = {}
    process_pk = request.GET.get("prozess", "")
    if process_pk.isdigit():
        initial["process"] = request.municipality.processes.filter(pk=process_pk).first()
    if request.GET.get("schritt") in Step.values:
        initial["step"] = request.GET["schritt"]
    initial.update(initial_for_group(request.municipality, request.GET.get("working_group")))
    form = MeetingForm(request.POST or None, municipality=request.municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user, municipality=request.municipality, **form.service_kwargs()
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The meeting “%(title)s” has been created.") % {"title": meeting.title})
            return redirect(_detail_url(meeting))
    return render(request, "meetings/meeting_form.html", {"municipality": request.municipality, "form": form})


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = _meeting(request, pk)
    form = MeetingForm(
        request.POST or None, municipality=request.municipality, initial=MeetingForm.initial_for(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_update(
                actor=request.user,
                meeting=meeting,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except services.MeetingEditConflict as error:
            apply_domain_error(form, error)
            data = form.data.copy()
            data["version"] = error.current.version
            form.data = data
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The meeting has been saved."))
            return redirect(_detail_url(meeting))
    return render(
        request, "meetings/meeting_form.html", {"municipality": request.municipality, "form": form, "meeting": meeting}
    )


@municipality_view(EDIT)
@require_POST
def meeting_delete(request, pk):
    meeting = _meeting(request, pk)
    services.meeting_delete(actor=request.user, meeting=meeting)
    messages.success(request, _("The meeting has been deleted."))
    return redirect("meetings:list", municipality_slug=request.municipality.slug)


@municipality_view(VIEW)
@require_http_methods(["GET", "HEAD"])
def meeting_detail(request, pk):
    return _render_detail(request, _meeting(request, pk))


@municipality_view(VIEW)
@require_http_methods(["GET", "HEAD"])
def meeting_ics_download(request, pk):
    meeting = _meeting(request, pk)
    response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="termin.ics"'
    return response


@municipality_view(EDIT)
@require_POST
def agenda_add(request, pk):
    meeting = _meeting(request, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The agenda item has been added."))
            return redirect(_detail_url(meeting) + "#tagesordnung")
    return _render_detail(request, meeting, status=400, agenda_form=form)


@municipality_view(EDIT)
@require_POST
def agenda_remove(request, pk, item_pk):
    meeting = _meeting(request, pk)
    services.agenda_item_remove(actor=request.user, item=get_object_or_404(meeting.agenda, pk=item_pk))
    messages.success(request, _("The agenda item has been removed."))
    return redirect(_detail_url(meeting) + "#tagesordnung")


@municipality_view(EDIT)
@require_POST
def agenda_move(request, pk, item_pk):
    meeting = _meeting(request, pk)
    item = get_object_or_404(meeting.agenda, pk=item_pk)
    try:
        services.agenda_item_move(actor=request.user, item=item, direction=request.POST.get("direction", ""))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(_detail_url(meeting) + "#tagesordnung")


@municipality_view(EDIT)
@require_POST
def invite(request, pk):
    meeting = _meeting(request, pk)
    form = InviteForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            created = services.invite(
                actor=request.user,
                meeting=meeting,
                members=form.cleaned_data["members"],
                actors=form.cleaned_data["actors"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, _("%(count)s people have been added to the guest list.") % {"count": len(created)}
            )
            return redirect(_detail_url(meeting) + "#einladungen")
    return _render_detail(request, meeting, status=400, invite_form=form)


@municipality_view(EDIT)
@require_POST
def invitation_remove(request, pk, invitation_pk):
    meeting = _meeting(request, pk)
    services.invitation_remove(actor=request.user, invitation=get_object_or_404(meeting.invitations, pk=invitation_pk))
    messages.success(request, _("The person has been removed from the guest list."))
    return redirect(_detail_url(meeting) + "#einladungen")


@municipality_view(EDIT)
@require_POST
def invitations_send(request, pk):
    meeting = _meeting(request, pk)
    try:
        count = services.send_invitations(
            actor=request.user, meeting=meeting, only_unsent=request.POST.get("all") != "1"
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)s invitations have been sent.") % {"count": count})
    return redirect(_detail_url(meeting) + "#einladungen")


@municipality_view(EDIT)
@require_POST
def attendance(request, pk):
    meeting = _meeting(request, pk)
    ids = [value for value in request.POST.getlist("attended") if value.isdigit()]
    services.attendance_save(actor=request.user, meeting=meeting, attended_ids=ids)
    messages.success(request, _("The attendance has been saved."))
    return redirect(_detail_url(meeting) + "#einladungen")


@municipality_view(EDIT)
@require_POST
def minutes(request, pk):
    meeting = _meeting(request, pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            tasks = services.minutes_save(
                actor=request.user,
                meeting=meeting,
                minutes=form.cleaned_data["minutes"],
                decisions=form.cleaned_data["decisions"],
                next_steps=form.cleaned_data["next_steps"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("The minutes have been saved; %(count)s tasks have been created.") % {"count": len(tasks)},
            )
            return redirect(_detail_url(meeting) + "#protokoll")
    return _render_detail(request, meeting, status=400, minutes_form=form)


@require_http_methods(["GET", "HEAD", "POST"])
def rsvp(request, token):
    """Public page of a personal invitation link: answer yes, no or maybe without logging in."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404("Unknown or expired invitation link")
    if request.method == "POST":
        try:
            invitation = services.rsvp(token=token, answer=request.POST.get("answer", ""))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you, your answer has been saved."))
            return redirect(reverse("meetings_public:rsvp", kwargs={"token": token}))
    meeting = invitation.meeting
    response = render(
        request,
        "meetings/rsvp.html",
        {
            "invitation": invitation,
            "meeting": meeting,
            "agenda": meeting.agenda.all(),
            "answers": [
                (Rsvp.YES, _("Yes, I will attend")),
                (Rsvp.MAYBE, _("Maybe")),
                (Rsvp.NO, _("No, I cannot attend")),
            ],
        },
    )
    # Keep the token away from other sites; "no-referrer" would make browsers send "Origin: null" with the
    # answer form, which Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response
