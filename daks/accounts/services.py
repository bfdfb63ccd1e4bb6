"""Writes concerning user accounts."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.municipalities.models import Membership, Municipality, Role

from .models import User

DELETED_ACCOUNT_LABEL = "gelöschtes Konto"


@dataclass
class DeletionOverview:
    """What deleting an account does to the Kommunen of its owner."""

    deleted: list[Municipality] = field(default_factory=list)  # the user is the only member: deleted with all content
    blocked: list[Municipality] = field(default_factory=list)  # only coordinator of a team with others: hand over first
    left: list[Membership] = field(default_factory=list)  # memberships that simply end

    @property
    def is_blocked(self) -> bool:
        return bool(self.blocked)


def deletion_overview(user, *, for_update: bool = False) -> DeletionOverview:
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
            coordinator_count=Count("memberships", filter=Q(memberships__role=Role.COORDINATION), distinct=True),
        ).values("pk", "member_count", "coordinator_count")
    }
    overview = DeletionOverview()
    for membership in memberships:
        row = counts[membership.municipality_id]
        if row["member_count"] <= 1:
            overview.deleted.append(membership.municipality)
        elif membership.role == Role.COORDINATION and row["coordinator_count"] <= 1:
            overview.blocked.append(membership.municipality)
        else:
            overview.left.append(membership)
    return overview


def blocked_message(blocked: list[Municipality]) -> str:
    return _(
        "You are the only coordinator of %(names)s. Please hand over the coordination to another member "
        "of the team first (on the team page), then you can delete your account."
    ) % {"names": ", ".join(m.name for m in blocked)}


@transaction.atomic
def account_delete(*, user: User, password: str) -> list[str]:
    """Delete ``user``'s account; returns the names of the Kommunen that were deleted with it.

    Memberships end; Kommunen where the user is the only member are deleted with all their content;
    being the only coordinator of a team with other members blocks the deletion (DomainError).
    Content created elsewhere stays with the Kommune. The audit entry contains no e-mail address.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not password or not user.check_password(password):
        raise DomainError(_("The password is not correct."), field="password")
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
        municipality.delete()
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
    user.delete()
    return deleted_names
