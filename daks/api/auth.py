"""Authentication and tenancy of the API: personal tokens, the same rules as the web views.

Every workspace endpoint lives under ``/api/v1/municipalities/{slug}/…`` and starts with ``municipality_for``:
the token must belong to that Kommune and its owner must (still) be a member — otherwise 404, exactly as a
non-member gets 404 in the web views. Then the member's role is checked with the same ``rules`` permission as
the web view (``request.user.has_perm(permission, municipality)``) and, for writes, the token's scope — 403.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from daks.municipalities.mfa import second_factor_missing
from daks.municipalities.models import Municipality

from .tokens import token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer daks_…``; sets ``request.user`` to the token's owner and ``request.auth`` to it."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        api_token = token_authenticate(token)
        if api_token is None:
            return None
        request.user = api_token.user
        request.api_token = api_token
        return api_token


token_auth = TokenAuth()


def municipality_for(
    request, slug: str, permission: str = "municipalities.view_municipality", *, write: bool = False
) -> Municipality:
    """The Kommune ``slug`` for this token: 404 unless token and member belong to it, 403 without the role or
    (for writes) without a read-write token."""
    token = request.auth
    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is None or token is None or token.municipality_id != municipality.pk:
        raise Http404
    if second_factor_missing(request.user, municipality):
        raise HttpError(
            403,
            _("%(name)s requires two-factor authentication for the coordination. Set it up first.")
            % {"name": municipality.name},
        )
    if write and not token.can_write:
        raise HttpError(403, _("This token may only read. Create a token with read and write access."))
    if not request.user.has_perm(permission, municipality):
        raise HttpError(403, _("Your role in this Kommune does not allow this."))
    return municipality
