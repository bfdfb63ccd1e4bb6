"""Writes concerning Kommunen, teams, invitations and join requests.

Every function is keyword-only, runs in one transaction, raises DomainError with a German message
when a rule is violated (nothing is written then) and records an audit log entry.
"""

import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.core.errors import EditConflict as BaseEditConflict
from daks.core.mail import send_templated_mail
from daks.core.text import german_slugify

from .models import (
    KEY_OPTIONAL_KINDS,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Municipality,
    Role,
    VerificationMethod,
    hash_token,
)
from .regions import normalize_official_key, state_country

RESERVED_SLUGS = {"neu", "beitreten", "suche", "einladung", "importieren", "api", "admin"}


class DuplicateMunicipality(DomainError):
    """A Kommune with the same official key exists already: the user may ask to join it."""

    def __init__(self, existing: Municipality):
        super().__init__(
            _("%(name)s is already registered in DAKS. You can ask its coordination to let you join.")
            % {"name": existing.name},
            field="official_key",
        )
        self.existing = existing


class EditConflict(BaseEditConflict):
    """The object was changed by somebody else since the form was opened."""

    conflict_message = gettext_lazy(
        "Somebody else has changed these settings in the meantime. The current values are shown "
        "next to your input; check them and save again to keep your version."
    )


def _unique_slug(name: str, *, exclude_pk=None) -> str:
    base = german_slugify(name) or "kommune"
    slug, n = base, 1
    qs = Municipality.objects.exclude(pk=exclude_pk) if exclude_pk else Municipality.objects.all()
    while slug in RESERVED_SLUGS or qs.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def email_matches_website(email: str, website: str) -> bool:
    """True when the e-mail's domain is the website's domain or a subdomain of it."""
    if not email or not website or "@" not in email:
        return False
    host = (urlsplit(website if "://" in website else f"https://{website}").hostname or "").lower()
    host = host.removeprefix("www.")
    domain = email.rsplit("@", 1)[1].lower()
    return bool(host) and "." in host and (domain == host or domain.endswith("." + host))


def _clean_identity(
    *, name: str, kind: str, country: str, state: str, official_key: str, previous_key: str | None = None
) -> tuple[str, str]:
    """Normalise and validate the identity fields; a key that did not change is not re-checked against
    the Gemeindeverzeichnis (a later merger must not block editing the description)."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Please enter the name of the municipality."), field="name")
    if state_country(state) != country:
        raise DomainError(_("The selected state does not belong to the selected country."), field="state")
    key = normalize_official_key(country=country, state=state, kind=kind, key=official_key or "")
    if not key and kind not in KEY_OPTIONAL_KINDS:
        raise DomainError(
            _(
                "Please enter the official key (in Germany the AGS); only neighbourhoods, regions and "
                "associations may leave it empty."
            ),
            field="official_key",
        )
    if key and country == "DE" and key != previous_key:
        _check_against_directory(kind=kind, key=key)
    return name, key


def _check_against_directory(*, kind: str, key: str) -> None:
    """When the Gemeindeverzeichnis is loaded, a German key must name an existing unit of it."""
    from daks.demography.models import Level, Region

    if not Region.objects.filter(level=Level.GEMEINDE, source__startswith="Statistisches Bundesamt").exists():
        return  # no official directory imported (yet): the format check above is all we can do
    if kind == "landkreis":
        level, region_key = Level.KREIS, key[:5]
    elif len(key) == 9:
        level, region_key = Level.GEMEINDEVERBAND, key
    else:
        level, region_key = Level.GEMEINDE, key
    if not Region.objects.filter(level=level, key=region_key, active=True).exists():
        raise DomainError(
            _("The key %(key)s does not exist in the official directory of municipalities (Gemeindeverzeichnis).")
            % {"key": key},
            field="official_key",
        )


@transaction.atomic
def municipality_create(
    *,
    user,
    name: str,
    kind: str,
    country: str,
    state: str,
    official_key: str = "",
    website: str = "",
    description: str = "",
    logo=None,
) -> Municipality:
    name, key = _clean_identity(name=name, kind=kind, country=country, state=state, official_key=official_key)
    if key:
        existing = Municipality.objects.filter(country=country, official_key=key).first()
        if existing:
            raise DuplicateMunicipality(existing)
    verified = email_matches_website(user.email, website)
    municipality = Municipality(
        name=name,
        slug=_unique_slug(name),
        kind=kind,
        country=country,
        state=state,
        official_key=key,
        website=website,
        description=description,
        created_by=user,
        verified_at=timezone.now() if verified else None,
        verification_method=VerificationMethod.EMAIL_DOMAIN if verified else "",
    )
    if logo:
        municipality.logo = logo
    try:
        with transaction.atomic():
            municipality.save()
    except IntegrityError:  # a concurrent registration of the same key won the race
        existing = Municipality.objects.filter(country=country, official_key=key).first() if key else None
        if existing is None:
            raise
        raise DuplicateMunicipality(existing) from None
    Membership.objects.create(municipality=municipality, user=user, role=Role.COORDINATION)
    log_action("municipality.created", actor=user, municipality=municipality, obj=municipality, verified=verified)
    return municipality


@transaction.atomic
def municipality_update(
    *, actor, municipality: Municipality, expected_version: str | None = None, **fields
) -> Municipality:
    """Change a Kommune's settings.

    ``expected_version`` is the ``version`` the editor's form was based on; when somebody else saved
    in between, EditConflict is raised instead of silently overwriting their change.
    """
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    if expected_version and expected_version != municipality.version:
        raise EditConflict(municipality)
    if fields.get("require_mfa_for_coordination") and not municipality.require_mfa_for_coordination:
        from .mfa import has_second_factor

        if not has_second_factor(actor):
            raise DomainError(
                _(
                    "Set up two-factor authentication for your own account first (My account → Two-factor "
                    "authentication); otherwise you would lock yourself out of the workspace."
                ),
                field="require_mfa_for_coordination",
            )
    identity = {
        k: fields.get(k, getattr(municipality, k)) for k in ("name", "kind", "country", "state", "official_key")
    }
    name, key = _clean_identity(**identity, previous_key=municipality.official_key)
    if (
        key
        and Municipality.objects.filter(country=identity["country"], official_key=key)
        .exclude(pk=municipality.pk)
        .exists()
    ):
        raise DomainError(_("Another municipality with this official key is already registered."), field="official_key")
    identity_changed = (name, key, identity["country"]) != (
        municipality.name,
        municipality.official_key,
        municipality.country,
    )
    changed = []
    for field, value in {**fields, "name": name, "official_key": key}.items():
        if getattr(municipality, field) != value:
            setattr(municipality, field, value)
            changed.append(field)
    if identity_changed and municipality.verification_method == VerificationMethod.EDITORIAL:
        # A confirmed identity no longer holds once name or key change: the editorial office checks again.
        municipality.verified_at = None
        municipality.verification_method = ""
    if not municipality.is_verified and email_matches_website(actor.email, municipality.website):
        municipality.verified_at = timezone.now()
        municipality.verification_method = VerificationMethod.EMAIL_DOMAIN
    municipality.save()
    log_action(
        "municipality.updated",
        actor=actor,
        municipality=municipality,
        obj=municipality,
        fields=sorted(f for f in changed if f != "logo") + (["logo"] if "logo" in changed else []),
    )
    return municipality


@transaction.atomic
def municipality_verify(*, actor, municipality: Municipality) -> Municipality:
    if not actor.is_staff:
        raise DomainError(_("Only the editorial office can verify municipalities."))
    municipality.verified_at = timezone.now()
    municipality.verification_method = VerificationMethod.EDITORIAL
    municipality.save(update_fields=["verified_at", "verification_method", "updated_at"])
    log_action("municipality.verified", actor=actor, municipality=municipality, obj=municipality)
    return municipality


@transaction.atomic
def municipality_unverify(*, actor, municipality: Municipality) -> Municipality:
    """Withdraw the verification (editorial office): the Kommune can no longer publish."""
    if not actor.is_staff:
        raise DomainError(_("Only the editorial office can verify municipalities."))
    municipality.verified_at = None
    municipality.verification_method = ""
    municipality.save(update_fields=["verified_at", "verification_method", "updated_at"])
    log_action("municipality.unverified", actor=actor, municipality=municipality, obj=municipality)
    return municipality


# --- Team -------------------------------------------------------------------------------------


def _coordinator_count(municipality: Municipality) -> int:
    return municipality.memberships.filter(role=Role.COORDINATION).count()


def _lock_memberships(municipality: Municipality) -> None:
    """Serialise team changes of one Kommune so two coordinators cannot demote each other at once."""
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()


@transaction.atomic
def membership_change_role(*, actor, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise DomainError(_("Please choose a valid role."), field="role")
    _lock_memberships(membership.municipality)
    membership = Membership.objects.get(pk=membership.pk)
    if membership.role == role:
        return membership
    if membership.role == Role.COORDINATION and _coordinator_count(membership.municipality) == 1:
        raise DomainError(
            _("%(name)s is the only coordinator. Make another member coordinator first.") % {"name": membership.user}
        )
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    log_action(
        "municipality.member.role_changed",
        actor=actor,
        municipality=membership.municipality,
        obj=membership.user,
        old=old,
        new=role,
    )
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    if membership.user_id == actor.pk:
        raise DomainError(_("To leave the team yourself, use “Leave municipality”."))
    _lock_memberships(membership.municipality)
    if membership.role == Role.COORDINATION and _coordinator_count(membership.municipality) == 1:
        raise DomainError(_("The only coordinator cannot be removed."))
    log_action(
        "municipality.member.removed",
        actor=actor,
        municipality=membership.municipality,
        obj=membership.user,
        role=membership.role,
    )
    membership.delete()


@transaction.atomic
def membership_leave(*, user, municipality: Municipality) -> None:
    _lock_memberships(municipality)
    membership = municipality.memberships.filter(user=user).first()
    if membership is None:
        raise DomainError(_("You are not a member of this municipality."))
    if municipality.memberships.count() == 1:
        raise DomainError(
            _("You are the only member. Delete the municipality instead, or invite someone to take over first.")
        )
    if membership.role == Role.COORDINATION and _coordinator_count(municipality) == 1:
        raise DomainError(_("You are the only coordinator. Hand over the coordination before you leave."))
    log_action("municipality.member.left", actor=user, municipality=municipality, obj=user)
    membership.delete()


@transaction.atomic
def coordination_hand_over(*, actor, municipality: Municipality, new_coordinator: Membership) -> None:
    """Make ``new_coordinator`` the coordinator; the actor continues as contributor."""
    _lock_memberships(municipality)
    own = municipality.memberships.filter(user=actor, role=Role.COORDINATION).first()
    if own is None:
        raise DomainError(_("Only a coordinator can hand over the coordination."))
    if new_coordinator.municipality_id != municipality.pk or new_coordinator.pk == own.pk:
        raise DomainError(_("Please choose another member of the team."), field="member")
    new_coordinator.role = Role.COORDINATION
    new_coordinator.save(update_fields=["role", "updated_at"])
    own.role = Role.CONTRIBUTOR
    own.save(update_fields=["role", "updated_at"])
    log_action(
        "municipality.coordination.handed_over", actor=actor, municipality=municipality, obj=new_coordinator.user
    )


# --- Invitations ------------------------------------------------------------------------------


def _invitation_url(token: str) -> str:
    return settings.DAKS_BASE_URL + reverse("municipalities:invitation", kwargs={"token": token})


def _send_invitation(invitation: Invitation, token: str) -> None:
    send_templated_mail(
        "municipalities/email/invitation",
        {
            "invitation": invitation,
            "municipality": invitation.municipality,
            "role": invitation.get_role_display(),
            "inviter": invitation.invited_by,
            "url": _invitation_url(token),
            "expires_at": invitation.expires_at,
        },
        [invitation.email],
        language=getattr(invitation.invited_by, "language", "de") or "de",
    )


@transaction.atomic
def invitation_create(
    *, actor, municipality: Municipality, email: str, role: str, message: str = "", now: datetime | None = None
) -> tuple[Invitation, str]:
    """Invite ``email`` with ``role``; returns the invitation and its token (only ever in the mail)."""
    now = now or timezone.now()
    email = (email or "").strip().lower()
    if not email or "@" not in email:
        raise DomainError(_("Please enter a valid e-mail address."), field="email")
    if role not in Role.values:
        raise DomainError(_("Please choose a valid role."), field="role")
    if municipality.memberships.filter(user__email__iexact=email).exists():
        raise DomainError(_("%(email)s is already a member of the team.") % {"email": email}, field="email")
    if municipality.invitations.pending(now=now).filter(email__iexact=email).exists():
        raise DomainError(
            _("%(email)s has already been invited. You can send the invitation again from the list.")
            % {"email": email},
            field="email",
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        municipality=municipality,
        email=email,
        role=role,
        message=message.strip(),
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=now + timedelta(days=settings.DAKS_INVITATION_VALID_DAYS),
    )
    log_action("municipality.invitation.created", actor=actor, municipality=municipality, obj=email, role=role)
    transaction.on_commit(lambda: _send_invitation(invitation, token))
    return invitation, token


@transaction.atomic
def invitation_resend(*, actor, invitation: Invitation, now: datetime | None = None) -> str:
    """Send the invitation again with a fresh link (the old link stops working) and a new expiry."""
    now = now or timezone.now()
    if invitation.accepted_at or invitation.revoked_at:
        raise DomainError(_("This invitation has already been accepted or revoked."))
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    invitation.expires_at = now + timedelta(days=settings.DAKS_INVITATION_VALID_DAYS)
    invitation.sent_count += 1
    invitation.invited_by = actor
    invitation.save()
    log_action(
        "municipality.invitation.resent", actor=actor, municipality=invitation.municipality, obj=invitation.email
    )
    transaction.on_commit(lambda: _send_invitation(invitation, token))
    return token


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation, now: datetime | None = None) -> None:
    if invitation.accepted_at:
        raise DomainError(_("This invitation has already been accepted."))
    if invitation.revoked_at:
        return
    invitation.revoked_at = now or timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    log_action(
        "municipality.invitation.revoked", actor=actor, municipality=invitation.municipality, obj=invitation.email
    )


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("municipality", "invited_by")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )


def invitation_problem(invitation: Invitation | None, *, now: datetime | None = None) -> str | None:
    """Why an invitation cannot be accepted (German message), or None."""
    now = now or timezone.now()
    if invitation is None:
        return _("This invitation link is not valid. Perhaps it was replaced by a newer invitation.")
    if invitation.accepted_at:
        return _("This invitation has already been used.")
    if invitation.revoked_at:
        return _("This invitation has been withdrawn.")
    if invitation.expires_at <= now:
        return _("This invitation has expired. Please ask %(name)s for a new one.") % {
            "name": invitation.invited_by or invitation.municipality
        }
    return None


@transaction.atomic
def invitation_accept(*, user, token: str, now: datetime | None = None) -> Membership:
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().filter(token_hash=hash_token(token or "")).first()
    problem = invitation_problem(invitation, now=now)
    if problem:
        raise DomainError(problem)
    if user.email.lower() != invitation.email.lower():
        raise DomainError(
            _("This invitation was sent to %(email)s. Please sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    municipality = invitation.municipality
    if municipality.memberships.filter(user=user).exists():
        raise DomainError(_("You are already a member of %(name)s.") % {"name": municipality})
    membership = Membership.objects.create(municipality=municipality, user=user, role=invitation.role)
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    JoinRequest.objects.filter(municipality=municipality, user=user, status=JoinRequestStatus.PENDING).update(
        status=JoinRequestStatus.APPROVED, decided_at=now
    )
    log_action(
        "municipality.invitation.accepted", actor=user, municipality=municipality, obj=user, role=invitation.role
    )
    return membership


# --- Join requests ----------------------------------------------------------------------------


@transaction.atomic
def join_request_create(*, user, municipality: Municipality, message: str = "") -> JoinRequest:
    if municipality.memberships.filter(user=user).exists():
        raise DomainError(_("You are already a member of %(name)s.") % {"name": municipality})
    if municipality.join_requests.filter(user=user, status=JoinRequestStatus.PENDING).exists():
        raise DomainError(
            _("You have already asked to join %(name)s. The coordination will decide soon.") % {"name": municipality}
        )
    join_request = JoinRequest.objects.create(municipality=municipality, user=user, message=message.strip())
    log_action("municipality.join_request.created", actor=user, municipality=municipality, obj=user)
    coordinators = list(
        municipality.memberships.filter(role=Role.COORDINATION)
        .select_related("user")
        .values_list("user__email", "user__language")
    )
    url = settings.DAKS_BASE_URL + reverse("municipalities:team", kwargs={"municipality_slug": municipality.slug})

    def notify():
        for email, language in coordinators:
            send_templated_mail(
                "municipalities/email/join_request",
                {"join_request": join_request, "municipality": municipality, "applicant": user, "url": url},
                [email],
                language=language or "de",
            )

    transaction.on_commit(notify)
    return join_request


@transaction.atomic
def join_request_decide(
    *, actor, join_request: JoinRequest, approve: bool, role: str = Role.CONTRIBUTOR, now: datetime | None = None
) -> JoinRequest:
    now = now or timezone.now()
    join_request = (
        JoinRequest.objects.select_for_update().select_related("municipality", "user").get(pk=join_request.pk)
    )
    if join_request.status != JoinRequestStatus.PENDING:
        raise DomainError(_("This request has already been decided."))
    if approve:
        if role not in Role.values:
            raise DomainError(_("Please choose a valid role."), field="role")
        Membership.objects.get_or_create(
            municipality=join_request.municipality, user=join_request.user, defaults={"role": role}
        )
    join_request.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
    join_request.decided_by = actor
    join_request.decided_at = now
    join_request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    log_action(
        "municipality.join_request.approved" if approve else "municipality.join_request.declined",
        actor=actor,
        municipality=join_request.municipality,
        obj=join_request.user,
        role=role if approve else "",
    )
    applicant = join_request.user
    transaction.on_commit(
        lambda: send_templated_mail(
            "municipalities/email/join_request_decided",
            {
                "join_request": join_request,
                "municipality": join_request.municipality,
                "approved": approve,
                "url": settings.DAKS_BASE_URL + reverse("core:dashboard"),
            },
            [applicant.email],
            language=applicant.language or "de",
        )
    )
    return join_request
