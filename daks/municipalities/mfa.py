"""Two-factor authentication required per Kommune for the Koordination (docs/security.md).

When a Kommune switches on ``require_mfa_for_coordination``, its coordinators open the workspace only with an
activated authenticator app (allauth MFA, TOTP; security keys would count as well). The tenancy decorator sends
a coordinator without one to the setup page with an explanation; the API refuses their tokens for that Kommune.
Other roles are not affected.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Role
from .rules import membership_of

#: Authenticators that count as two-factor authentication (recovery codes alone do not).
SECOND_FACTOR_TYPES = ("totp", "webauthn")


def has_second_factor(user) -> bool:
    """Whether ``user`` has an activated authenticator (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = user.__dict__.get("_daks_has_second_factor")
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES).exists()
        user.__dict__["_daks_has_second_factor"] = cached
    return cached


def second_factor_missing(user, municipality, membership=None) -> bool:
    """True when ``municipality`` requires two-factor authentication of its coordinators, ``user`` is one of
    them and has none activated. Costs no query unless the Kommune requires it and the user coordinates."""
    if municipality is None or not municipality.require_mfa_for_coordination:
        return False
    membership = membership if membership is not None else membership_of(user, municipality)
    if membership is None or membership.role != Role.COORDINATION:
        return False
    return not has_second_factor(user)


def second_factor_setup_redirect(request, municipality) -> HttpResponse:
    """To the setup page of the authenticator app, with the reason (htmx requests: the whole page goes there)."""
    messages.warning(
        request,
        _(
            "%(name)s requires two-factor authentication for the coordination. Please set up an authenticator "
            "app now; afterwards you can open the workspace of %(name)s again."
        )
        % {"name": municipality.name},
    )
    url = reverse("mfa_activate_totp")
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
