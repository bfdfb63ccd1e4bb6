import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PERMISSIONS = [
    "view_municipality",
    "edit_content",
    "manage_team",
    "change_settings",
    "delete_municipality",
    "leave_municipality",
    "verify_municipality",
    "view_audit_log",
]

EXPECTED = {
    "coordinator": {
        "view_municipality",
        "edit_content",
        "manage_team",
        "change_settings",
        "delete_municipality",
        "leave_municipality",
        "view_audit_log",
    },
    "contributor": {"view_municipality", "edit_content", "leave_municipality"},
    "advisor": {"view_municipality", "edit_content", "leave_municipality"},
    "reader": {"view_municipality", "leave_municipality"},
    "outsider": set(),
    "anonymous": set(),
    # The editorial office verifies Kommunen but has no access to their workspace.
    "staff": {"verify_municipality"},
}


@pytest.fixture
def staff(db):
    """Editorial staff without superuser status (superusers pass every has_perm check by Django's design)."""
    return UserFactory(is_staff=True)


@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize("permission", PERMISSIONS)
def test_permissions_per_role(request, municipality, who, permission):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    expected = permission in EXPECTED[who]
    assert user.has_perm(f"municipalities.{permission}", municipality) is expected


def test_permissions_are_per_municipality(municipality, other_municipality, coordinator, outsider):
    assert outsider.has_perm("municipalities.manage_team", other_municipality)
    assert not outsider.has_perm("municipalities.view_municipality", municipality)
    assert not coordinator.has_perm("municipalities.view_municipality", other_municipality)
