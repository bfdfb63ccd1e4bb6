"""Services and selectors of personal API tokens (create shown once, revoke, authenticate)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.municipalities.rules import membership_of

from .models import ApiToken, TokenScope

TOKEN_PREFIX = "daks_"  # noqa: S105 — the visible start of every token, not a secret
#: ``last_used_at`` is written at most this often per token (a write per request would serialise readers).
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_TOKENS_PER_USER = 20


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def tokens_of(user):
    """The user's tokens, newest first, with their Kommune."""
    return ApiToken.objects.filter(user=user).select_related("municipality")


@transaction.atomic
def token_create(
    *, user, municipality, name: str, scope: str = TokenScope.READ, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token of ``user`` for ``municipality``; returns it and the raw token, which is never stored."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Please give the token a name."), field="name")
    if membership_of(user, municipality) is None:
        raise DomainError(_("You can only create tokens for a Kommune you are a member of."), field="municipality")
    if scope not in TokenScope.values:
        raise DomainError(_("Please choose whether the token may only read or also write."), field="scope")
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(_("The expiry date must lie in the future."), field="expires_at")
    if ApiToken.objects.active().filter(user=user).count() >= MAX_TOKENS_PER_USER:
        raise DomainError(
            _("You already have %(count)s active tokens. Please revoke one you no longer need.")
            % {"count": MAX_TOKENS_PER_USER}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        municipality=municipality,
        name=name[:100],
        scope=scope,
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(raw),
        expires_at=expires_at,
    )
    log_action("api.token.created", actor=user, municipality=municipality, obj=token, scope=scope)
    return token, raw


@transaction.atomic
def token_revoke(*, user, token: ApiToken) -> ApiToken:
    """Revoke ``token`` at once (idempotent); only its owner may."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action("api.token.revoked", actor=user, municipality=token.municipality, obj=token)
    return token


def token_authenticate(raw: str, *, now: datetime | None = None) -> ApiToken | None:
    """The active token for ``raw`` whose owner is active and still a member of its Kommune; else None."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    now = now or timezone.now()
    token = (
        ApiToken.objects.active(now=now)
        .select_related("user", "municipality")
        .filter(token_hash=hash_token(raw))
        .first()
    )
    if token is None or not token.user.is_active or membership_of(token.user, token.municipality) is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
