"""``GET /api/v1/me``: whom a token belongs to, for which Kommune, with which role and scope."""

from datetime import datetime

from ninja import Router, Schema

from daks.municipalities.rules import membership_of

from .auth import token_auth
from .common import Error

router = Router(tags=["token"])


class Me(Schema):
    name: str
    municipality: str
    municipality_slug: str
    role: str
    scope: str
    expires_at: datetime | None


@router.get("/me", response={200: Me, 401: Error}, auth=token_auth, summary="The owner and rights of this token")
def me(request):
    token = request.auth
    membership = membership_of(request.user, token.municipality)
    return {
        "name": request.user.get_full_name() or request.user.email,
        "municipality": token.municipality.name,
        "municipality_slug": token.municipality.slug,
        "role": membership.role,
        "scope": token.scope,
        "expires_at": token.expires_at,
    }
