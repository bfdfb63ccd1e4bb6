"""Views of the Kommunen app: thin — forms parse, services write, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view

from . import selectors, services
from .forms import (
    HandOverForm,
    InvitationForm,
    JoinRequestForm,
    MunicipalityForm,
    MunicipalitySettingsForm,
)
from .models import ROLE_HELP, JoinRequestStatus, Municipality, Role
from .rules import membership_of

INVITATION_SESSION_KEY = "daks_invitation_token"


def _role_help():
    return [(label, ROLE_HELP[Role(value)]) for value, label in Role.choices]


def _team_url(municipality: Municipality) -> str:
    return reverse("municipalities:team", kwargs={"municipality_slug": municipality.slug})


# --- Kommune ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def municipality_create(request):
    form = MunicipalityForm(request.POST or None, request.FILES or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            municipality = services.municipality_create(user=request.user, **form.service_kwargs())
        except services.DuplicateMunicipality as error:
            duplicate = error.existing
            apply_domain_error(form, error)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("%(name)s has been registered. Welcome!") % {"name": municipality.name})
            return redirect(municipality)
    return render(request, "municipalities/municipality_form.html", {"form": form, "duplicate": duplicate})


@login_required
@require_http_methods(["GET", "POST"])
def join_request_create(request, municipality_slug):
    municipality = get_object_or_404(Municipality, slug=municipality_slug)
    if membership_of(request.user, municipality) is not None:
        messages.info(request, _("You are already a member of %(name)s.") % {"name": municipality.name})
        return redirect(municipality)
    pending = municipality.join_requests.filter(user=request.user, status=JoinRequestStatus.PENDING).exists()
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(
                user=request.user, municipality=municipality, message=form.cleaned_data["message"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Your request has been sent to the coordination of %(name)s. You will receive an e-mail.")
                % {"name": municipality.name},
            )
            return redirect("core:dashboard")
    return render(
        request,
        "municipalities/join_request_form.html",
        {"municipality": municipality, "form": form, "pending": pending},
    )


@municipality_view("municipalities.view_municipality")
def municipality_detail(request):
    municipality = request.municipality
    return render(
        request,
        "municipalities/municipality_detail.html",
        {
            "municipality": municipality,
            "membership": request.membership,
            "member_count": municipality.memberships.count(),
        },
    )


@municipality_view("municipalities.change_settings")
@require_http_methods(["GET", "POST"])
def municipality_settings(request):
    municipality = request.municipality
    form = MunicipalitySettingsForm(
        request.POST or None, request.FILES or None, initial=MunicipalitySettingsForm.initial_for(municipality)
    )
    if request.method == "POST" and form.is_valid():
        old_logo = municipality.logo.name
        try:
            updated = services.municipality_update(
                actor=request.user,
                municipality=municipality,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except services.EditConflict as conflict:
            form.show_conflict(conflict.current)
            apply_domain_error(form, conflict)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if old_logo and updated.logo.name != old_logo:
                default_storage.delete(old_logo)
            messages.success(request, _("The settings have been saved."))
            return redirect(updated)
    return render(request, "municipalities/municipality_settings.html", {"municipality": municipality, "form": form})


@municipality_view("municipalities.leave_municipality")
@require_http_methods(["GET", "POST"])
def membership_leave(request):
    municipality = request.municipality
    error = None
    if request.method == "POST":
        try:
            services.membership_leave(user=request.user, municipality=municipality)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("You have left %(name)s.") % {"name": municipality.name})
            return redirect("core:dashboard")
    return render(
        request,
        "municipalities/membership_leave.html",
        {"municipality": municipality, "membership": request.membership, "error": error},
    )


# --- Team -------------------------------------------------------------------------------------


@municipality_view("municipalities.view_municipality")
def team(request):
    municipality = request.municipality
    can_manage = request.user.has_perm("municipalities.manage_team", municipality)
    context = {
        "municipality": municipality,
        "membership": request.membership,
        "members": list(selectors.team_members(municipality)),
        "can_manage": can_manage,
        "role_choices": Role.choices,
        "role_help": _role_help(),
    }
    if can_manage:
        context["invitations"] = list(selectors.pending_invitations(municipality))
        context["join_requests"] = list(selectors.pending_join_requests(municipality))
    return render(request, "municipalities/team.html", context)


@municipality_view("municipalities.manage_team")
@require_http_methods(["GET", "POST"])
def invitation_create(request):
    municipality = request.municipality
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                actor=request.user,
                municipality=municipality,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect(_team_url(municipality))
    return render(
        request,
        "municipalities/invitation_form.html",
        {"municipality": municipality, "form": form, "role_help": _role_help()},
    )


@municipality_view("municipalities.manage_team")
@require_http_methods(["GET", "POST"])
def coordination_hand_over(request):
    municipality = request.municipality
    form = HandOverForm(request.POST or None, municipality=municipality, exclude_user=request.user)
    if request.method == "POST" and form.is_valid():
        new = form.cleaned_data["member"]
        try:
            services.coordination_hand_over(actor=request.user, municipality=municipality, new_coordinator=new)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now coordinator. You continue as contributor.") % {"name": new.user},
            )
            return redirect(_team_url(municipality))
    return render(request, "municipalities/hand_over.html", {"municipality": municipality, "form": form})


def _team_action(request, action, success_message):
    """Run ``action()``; report success or the DomainError as a message and go back to the team page."""
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success_message)
    return redirect(_team_url(request.municipality))


@municipality_view("municipalities.manage_team")
@require_POST
def invitation_resend(request, pk):
    invitation = get_object_or_404(request.municipality.invitations, pk=pk)
    return _team_action(
        request,
        lambda: services.invitation_resend(actor=request.user, invitation=invitation),
        _("The invitation to %(email)s has been sent again with a new link.") % {"email": invitation.email},
    )


@municipality_view("municipalities.manage_team")
@require_POST
def invitation_revoke(request, pk):
    invitation = get_object_or_404(request.municipality.invitations, pk=pk)
    return _team_action(
        request,
        lambda: services.invitation_revoke(actor=request.user, invitation=invitation),
        _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email},
    )


@municipality_view("municipalities.manage_team")
@require_POST
def membership_change_role(request, pk):
    membership = get_object_or_404(request.municipality.memberships.select_related("user"), pk=pk)
    role = request.POST.get("role", "")
    label = dict(Role.choices).get(role, role)
    return _team_action(
        request,
        lambda: services.membership_change_role(actor=request.user, membership=membership, role=role),
        _("%(name)s now has the role %(role)s.") % {"name": membership.user, "role": label},
    )


@municipality_view("municipalities.manage_team")
@require_POST
def membership_remove(request, pk):
    membership = get_object_or_404(request.municipality.memberships.select_related("user"), pk=pk)
    return _team_action(
        request,
        lambda: services.membership_remove(actor=request.user, membership=membership),
        _("%(name)s has been removed from the team.") % {"name": membership.user},
    )


@municipality_view("municipalities.manage_team")
@require_POST
def join_request_decide(request, pk):
    join_request = get_object_or_404(request.municipality.join_requests.select_related("user"), pk=pk)
    decision = request.POST.get("decision")
    if decision not in {"approve", "decline"}:
        messages.error(request, _("Please choose whether to approve or decline the request."))
        return redirect(_team_url(request.municipality))
    approve = decision == "approve"
    role = request.POST.get("role", Role.CONTRIBUTOR)
    if approve:
        message = _("%(name)s has joined the team.") % {"name": join_request.user}
    else:
        message = _("The request of %(name)s has been declined.") % {"name": join_request.user}
    return _team_action(
        request,
        lambda: services.join_request_decide(actor=request.user, join_request=join_request, approve=approve, role=role),
        message,
    )


# --- Invitation landing page ------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = services.invitation_for_token(token)
    problem = services.invitation_problem(invitation)
    context = {"invitation": invitation, "problem": problem, "token": token}
    if problem:
        request.session.pop(INVITATION_SESSION_KEY, None)
        response = render(request, "municipalities/invitation.html", context, status=404 if invitation is None else 410)
    elif not request.user.is_authenticated:
        request.session[INVITATION_SESSION_KEY] = token
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        response = render(request, "municipalities/invitation.html", context)
    else:
        if request.method == "POST":
            try:
                membership = services.invitation_accept(user=request.user, token=token)
            except DomainError as error:
                context["error"] = error.message
            else:
                request.session.pop(INVITATION_SESSION_KEY, None)
                messages.success(
                    request,
                    _("Welcome to the team of %(name)s! Your role: %(role)s.")
                    % {"name": membership.municipality.name, "role": membership.get_role_display()},
                )
                return redirect(membership.municipality)
        context["email_mismatch"] = request.user.email.lower() != invitation.email.lower()
        context["already_member"] = membership_of(request.user, invitation.municipality) is not None
        response = render(request, "municipalities/invitation.html", context)
    # The token is a secret: never pass this address on to other sites. ("no-referrer" would make browsers
    # send "Origin: null" with the accept form, which Django's CSRF check rightly refuses.)
    response["Referrer-Policy"] = "same-origin"
    return response
