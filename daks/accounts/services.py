"""Writes concerning user accounts.

Deleting an account has a grace period (docs/deletion.md): ``account_deletion_request`` checks the password and
schedules the deletion (the account becomes inactive, the owner is signed out and gets an e-mail with a link to
cancel); ``account_deletion_cancel`` restores it; ``purge_due_accounts`` (daily, ``purge_deletions``) deletes the
accounts whose grace period is over, exactly as ``deletion_overview`` describes it.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.core.mail import send_templated_mail
from daks.core.models import AuditLogEntry
from daks.municipalities import deletion as municipality_deletion
from daks.municipalities.models import Membership, Municipality, Role

from .models import User

DELETED_ACCOUNT_LABEL = "gelöschtes Konto"


@dataclass
class DeletionOverview:
    """What deleting an account does to the Kommunen of its owner."""

    deleted: list[Municipality] = field(default_factory=list)  # the user is the only member: deleted with all content
    blocked: list[Municipality] = field(default_factory=list)  # only coordinator of a team with others: hand over first
    left: list[Membership] = field(default_factory=list)  # memberships that simply end
    own_records: list[municipality_deletion.Row] = field(default_factory=list)  # deleted with the account
    kept_content: list[municipality_deletion.Row] = field(default_factory=list)  # stays as "deleted account"

    @property
    def is_blocked(self) -> bool:
        return bool(self.blocked)


def deletion_overview(user, *, for_update: bool = False, with_counts: bool = False) -> DeletionOverview:
    """What deleting ``user``'s account does; ``with_counts`` adds the numbers of their own records."""
    memberships = Membership.objects.filter(user=user).select_related("municipality").order_by("municipality__name")
    municipality_ids = [m.municipality_id for m in memberships]
    municipalities = Municipality.objects.filter(pk__in=municipality_ids)
    if for_update:
        # Serialise with team changes (same lock as the municipality services take).
        list(municipalities.select_for_update().values_list("pk", flat=True))
    counts = {
        row["pk"]: row
        for row in municipalities.annotate(
            member_count=Count("memberships", distinct=True),
            # Other coordinators who can take over: active accounts only (not ones scheduled for deletion).
            other_coordinators=Count(
                "memberships",
                filter=Q(memberships__role=Role.COORDINATION, memberships__user__is_active=True)
                & ~Q(memberships__user=user),
                distinct=True,
            ),
        ).values("pk", "member_count", "other_coordinators")
    }
    overview = DeletionOverview()
    for membership in memberships:
        row = counts[membership.municipality_id]
        if row["member_count"] <= 1:
            overview.deleted.append(membership.municipality)
        elif membership.role == Role.COORDINATION and not row["other_coordinators"]:
            overview.blocked.append(membership.municipality)
        else:
            overview.left.append(membership)
    if with_counts:
        _add_counts(user, overview)
    return overview


# Explained in words on the page already (memberships, activity log) or the account itself.
_NOT_COUNTED = {"accounts.User", "municipalities.Membership", "core.AuditLogEntry", "municipalities.Municipality"}


def _add_counts(user, overview: DeletionOverview) -> None:
    """Own records deleted with the account, and content that stays with its Kommune (author → deleted account)."""
    collector = municipality_deletion._collector([user])
    deleted_ids = {m.pk for m in overview.deleted}

    def outside_deleted(model, queryset):
        if any(f.name == "municipality" for f in model._meta.concrete_fields):
            return queryset.exclude(municipality__in=deleted_ids)
        return queryset

    overview.own_records = [
        municipality_deletion.Row(str(model._meta.verbose_name_plural), count)
        for model, count in municipality_deletion.collected_counts(collector).items()
        if model._meta.label not in _NOT_COUNTED
    ]
    overview.kept_content = [
        municipality_deletion.Row(str(model._meta.verbose_name_plural), count)
        for model, count in municipality_deletion.kept_counts(collector, exclude=outside_deleted).items()
        if model._meta.label not in _NOT_COUNTED
    ]
    overview.own_records.sort(key=municipality_deletion._key)
    overview.kept_content.sort(key=municipality_deletion._key)


def blocked_message(blocked: list[Municipality]) -> str:
    return _(
        "You are the only coordinator of %(names)s. Please hand over the coordination to another member "
        "of the team first (on the team page), then you can delete your account."
    ) % {"names": ", ".join(m.name for m in blocked)}


# --- Request and cancel --------------------------------------------------------------------------------------------

CANCEL_SALT = "daks.accounts.deletion-cancel"


def grace_days() -> int:
    return municipality_deletion.grace_days()


def cancel_token(user: User) -> str:
    """A signed link token for cancelling the scheduled deletion of ``user`` (tied to this very request)."""
    return signing.dumps({"u": user.pk, "r": user.deletion_requested_at.isoformat()}, salt=CANCEL_SALT)


def cancel_url(user: User) -> str:
    return settings.DAKS_BASE_URL + reverse("accounts:deletion_cancel", kwargs={"token": cancel_token(user)})


def _send_scheduled_mail(user: User, *, deleted_names: list[str]) -> None:
    context = {
        "user": user,
        "scheduled_for": user.deletion_scheduled_for,
        "url": cancel_url(user),
        "deleted_names": deleted_names,
    }
    email, language = user.email, user.language or "de"
    transaction.on_commit(
        lambda: send_templated_mail("accounts/email/deletion_scheduled", context, [email], language=language)
    )


@transaction.atomic
def account_deletion_request(*, user: User, password: str, now: datetime | None = None) -> User:
    """Schedule the deletion of ``user``'s account in ``grace_days()`` days.

    The password is checked once more; being the only coordinator of a team with other members blocks the request
    (DomainError). The account becomes inactive at once (signing in is refused until the deletion is cancelled
    through the link in the e-mail).
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not password or not user.check_password(password):
        raise DomainError(_("The password is not correct."), field="password")
    if user.is_scheduled_for_deletion:
        raise DomainError(_("The deletion of your account has already been requested."))
    overview = deletion_overview(user, for_update=True)
    if overview.is_blocked:
        raise DomainError(blocked_message(overview.blocked))
    now = now or timezone.now()
    user.deletion_requested_at = now
    user.deletion_scheduled_for = now + timedelta(days=grace_days())
    user.is_active = False
    user.save(update_fields=["deletion_requested_at", "deletion_scheduled_for", "is_active"])
    deleted_names = [m.name for m in overview.deleted]
    log_action(
        "account.deletion_requested",
        actor=user,
        obj=DELETED_ACCOUNT_LABEL,
        scheduled_for=user.deletion_scheduled_for.isoformat(),
        municipalities_to_delete=deleted_names,
    )
    _send_scheduled_mail(user, deleted_names=deleted_names)
    return user


def account_deletion_resend(*, user: User) -> None:
    """Send the e-mail with the cancel link again (the owner proved the password on the sign-in page)."""
    user = User.objects.get(pk=user.pk)
    if not user.is_scheduled_for_deletion:
        return
    overview = deletion_overview(user)
    _send_scheduled_mail(user, deleted_names=[m.name for m in overview.deleted])


def _user_for_token(token: str, *, now: datetime, lock: bool = False) -> User:
    invalid = _("This link is not valid. Please use the complete link from the e-mail.")
    try:
        data = signing.loads(token, salt=CANCEL_SALT, max_age=timedelta(days=grace_days()))
    except signing.SignatureExpired:
        raise DomainError(_("This link has expired: the grace period is over.")) from None
    except signing.BadSignature:
        raise DomainError(invalid) from None
    users = User.objects.select_for_update() if lock else User.objects.all()
    user = users.filter(pk=data.get("u") if isinstance(data, dict) else None).first()
    if user is None or not user.is_scheduled_for_deletion:
        raise DomainError(_("This account is not scheduled for deletion (any more)."))
    if user.deletion_requested_at.isoformat() != data.get("r"):
        raise DomainError(invalid)
    if user.deletion_scheduled_for <= now:
        raise DomainError(_("This link has expired: the grace period is over."))
    return user


def account_for_cancel_token(token: str, *, now: datetime | None = None) -> User:
    """The account a cancel link belongs to; DomainError with a German message for a forged or expired link."""
    return _user_for_token(token, now=now or timezone.now())


@transaction.atomic
def account_deletion_cancel(*, token: str, now: datetime | None = None) -> User:
    """Keep the account: the link from the e-mail restores it (active again, nothing deleted)."""
    user = _user_for_token(token, now=now or timezone.now(), lock=True)
    scheduled_for = user.deletion_scheduled_for
    user.deletion_requested_at = None
    user.deletion_scheduled_for = None
    user.is_active = True
    user.save(update_fields=["deletion_requested_at", "deletion_scheduled_for", "is_active"])
    log_action(
        "account.deletion_cancelled",
        actor=user,
        obj=DELETED_ACCOUNT_LABEL,
        scheduled_for=scheduled_for.isoformat(),
    )
    return user


# --- Purge --------------------------------------------------------------------------------------------------------


@dataclass
class PurgeResult:
    deleted: list[int] = field(default_factory=list)  # ids of the deleted accounts
    municipalities: list[str] = field(default_factory=list)  # Kommunen deleted with them
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (id, reason): left scheduled, retried next run


def _delete_account(user: User) -> list[str]:
    """Delete ``user`` as ``deletion_overview`` describes it; returns the names of the Kommunen deleted with it.

    Memberships end; Kommunen where the user is the only member are deleted with all their content and files;
    content created elsewhere stays with the Kommune. The audit entry contains no e-mail address.
    """
    overview = deletion_overview(user, for_update=True)
    if overview.is_blocked:
        raise DomainError(blocked_message(overview.blocked))

    deleted_names = [m.name for m in overview.deleted]
    for municipality in overview.deleted:
        log_action(
            "municipality.deleted",
            obj=municipality,
            official_key=municipality.official_key,
            reason="account_deleted",
        )
        municipality_deletion.municipality_destroy(municipality)
    for membership in overview.left:
        log_action(
            "municipality.member.left",
            municipality=membership.municipality,
            obj=DELETED_ACCOUNT_LABEL,
            role=membership.role,
            reason="account_deleted",
        )

    # Earlier audit entries must not keep the e-mail address or the name of the deleted account.
    AuditLogEntry.objects.filter(object_repr__iexact=user.email).update(object_repr=DELETED_ACCOUNT_LABEL)
    if user.name:
        AuditLogEntry.objects.filter(
            Q(actor=user) | Q(municipality__memberships__user=user), object_repr=user.name
        ).update(object_repr=DELETED_ACCOUNT_LABEL)

    log_action("account.deleted", obj=DELETED_ACCOUNT_LABEL, deleted_municipalities=deleted_names)
    email, language = user.email, user.language or "de"
    user.delete()
    transaction.on_commit(
        lambda: send_templated_mail(
            "accounts/email/deleted", {"deleted_names": deleted_names}, [email], language=language
        )
    )
    return deleted_names


@transaction.atomic
def account_purge(*, user: User, now: datetime | None = None) -> list[str] | None:
    """Delete ``user``'s account when its grace period is over (None: not scheduled or not yet due).

    Raises DomainError when the account has meanwhile become the only coordinator of a team with other members
    (the account then stays scheduled; see docs/deletion.md).
    """
    now = now or timezone.now()
    user = User.objects.select_for_update().filter(pk=user.pk).first()
    if user is None or user.deletion_scheduled_for is None or user.deletion_scheduled_for > now:
        return None
    return _delete_account(user)


def due_accounts(*, now: datetime | None = None):
    now = now or timezone.now()
    return User.objects.filter(deletion_scheduled_for__lte=now).order_by("deletion_scheduled_for", "pk")


def purge_due_accounts(*, now: datetime | None = None) -> PurgeResult:
    """Delete every account whose grace period is over (one transaction per account)."""
    now = now or timezone.now()
    result = PurgeResult()
    for user in list(due_accounts(now=now)):
        try:
            names = account_purge(user=user, now=now)
        except DomainError as error:
            result.skipped.append((user.pk, str(error.message)))
            continue
        if names is not None:
            result.deleted.append(user.pk)
            result.municipalities.extend(names)
    return result
