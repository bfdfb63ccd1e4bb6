"""The portrait in the workspace of a Kommune: editing it (Koordination) and each member's own consent to be a
contact person (``/kommunen/<municipality_slug>/portrait/``)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from daks.core.errors import DomainError, EditConflict
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view

from . import selectors, services
from .forms import PortraitForm

CHANGE_SETTINGS = "municipalities.change_settings"
VIEW = "municipalities.view_municipality"


def _initial(portrait) -> dict:
    if portrait is None:
        return {"version": ""}
    return {
        "version": portrait.version,
        "is_public": portrait.is_public,
        "description": portrait.description,
        "image_alt": portrait.image_alt,
        "topics": list(portrait.topics.all()),
        "share_stage": portrait.share_stage,
        "contacts": list(portrait.contacts.all()),
    }


@municipality_view(CHANGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def edit(request):
    municipality = request.municipality
    portrait = selectors.portrait_of(municipality)
    consenting = selectors.consenting_members(municipality)
    form = PortraitForm(
        request.POST or None,
        request.FILES or None,
        initial=_initial(portrait),
        consenting=consenting,
        has_image=bool(portrait and portrait.image),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.portrait_save(
                municipality=municipality,
                user=request.user,
                version=data["version"],
                is_public=data["is_public"],
                description=data["description"],
                image=data["image"],
                remove_image=data.get("remove_image", False),
                image_alt=data["image_alt"],
                topics=data["topics"],
                share_stage=data["share_stage"],
                contacts=data["contacts"],
            )
        except EditConflict as error:
            conflict = error.current
            apply_domain_error(form, error)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if saved.is_public and not saved.is_visible:
                messages.warning(
                    request,
                    _("The portrait has been saved. It becomes public once your municipality has been verified."),
                )
            else:
                messages.success(request, _("The portrait has been saved."))
            return redirect("network_municipality:edit", municipality_slug=municipality.slug)
    status = 422 if request.method == "POST" else 200
    if conflict is not None:
        status = 409
    context = {
        "municipality": municipality,
        "portrait": portrait,
        "form": form,
        "conflict": conflict,
        "consented": selectors.has_consented(municipality, request.user),
        "no_consenting": not consenting.exists(),
    }
    return render(request, "network/portrait_edit.html", context, status=status)


@municipality_view(VIEW)
@require_http_methods(["GET", "POST"])
def consent(request):
    """Any member: agree (or no longer agree) to be a contact person of the Kommune — only for oneself."""
    municipality = request.municipality
    if request.method == "POST":
        wanted = request.POST.get("consent") == "yes"
        try:
            state = services.contact_consent_set(municipality=municipality, user=request.user, consent=wanted)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("You can now be chosen as a contact person.")
                if state
                else _("You are no longer a contact person of the portrait."),
            )
        return redirect("network_municipality:consent", municipality_slug=municipality.slug)
    portrait = selectors.portrait_of(municipality)
    context = {
        "municipality": municipality,
        "portrait": portrait,
        "consented": selectors.has_consented(municipality, request.user),
        "is_contact": bool(portrait and portrait.contacts.filter(pk=request.user.pk).exists()),
        "can_edit": request.user.has_perm(CHANGE_SETTINGS, municipality),
    }
    return render(request, "network/consent.html", context)
