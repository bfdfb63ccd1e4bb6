"""Who may do what in a Kommune: named predicates, the single authorisation layer of DAKS.

Views and (later) the API ask ``user.has_perm("municipalities.<perm>", municipality)``.
"""

import rules

from .models import Role

EDITING_ROLES = {Role.COORDINATION, Role.CONTRIBUTOR, Role.ADVISOR}


def membership_of(user, municipality):
    """The user's membership in ``municipality`` or None (cached on the user object per request)."""
    if not getattr(user, "is_authenticated", False) or municipality is None:
        return None
    cache = user.__dict__.setdefault("_daks_memberships", {})
    if municipality.pk not in cache:
        cache[municipality.pk] = municipality.memberships.filter(user=user).first()
    return cache[municipality.pk]


def role_of(user, municipality):
    membership = membership_of(user, municipality)
    return membership.role if membership else None


@rules.predicate
def is_member(user, municipality):
    return membership_of(user, municipality) is not None


@rules.predicate
def is_coordinator(user, municipality):
    return role_of(user, municipality) == Role.COORDINATION


@rules.predicate
def is_editor(user, municipality):
    return role_of(user, municipality) in EDITING_ROLES


@rules.predicate
def is_editorial_staff(user, municipality=None):
    return bool(getattr(user, "is_staff", False))


rules.add_perm("municipalities.view_municipality", is_member)
rules.add_perm("municipalities.edit_content", is_editor)
rules.add_perm("municipalities.manage_team", is_coordinator)
rules.add_perm("municipalities.change_settings", is_coordinator)
rules.add_perm("municipalities.delete_municipality", is_coordinator)
rules.add_perm("municipalities.view_audit_log", is_coordinator)
rules.add_perm("municipalities.leave_municipality", is_member)
rules.add_perm("municipalities.verify_municipality", is_editorial_staff)
