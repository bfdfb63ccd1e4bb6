import pytest

from daks.core.audit import log_action
from daks.core.models import AuditLogEntry
from daks.municipalities.models import VerificationMethod
from tests.factories import InvitationFactory, JoinRequestFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_admin_pages_load(login, staff_user, municipality, coordinator):
    InvitationFactory(municipality=municipality)
    JoinRequestFactory(municipality=municipality)
    client = login(staff_user)
    for url in [
        "/admin/municipalities/municipality/",
        f"/admin/municipalities/municipality/{municipality.pk}/change/",
        "/admin/municipalities/municipality/?verified=no&kind=stadt",
        "/admin/municipalities/municipality/?q=09162999",
        "/admin/municipalities/membership/",
        "/admin/municipalities/invitation/",
        "/admin/municipalities/joinrequest/",
        "/admin/core/auditlogentry/",
    ]:
        assert client.get(url).status_code == 200, url


def test_invitation_admin_never_shows_the_token_hash(login, staff_user, municipality):
    invitation = InvitationFactory(municipality=municipality)
    client = login(staff_user)
    content = client.get(f"/admin/municipalities/invitation/{invitation.pk}/change/").content.decode()
    assert invitation.email in content
    assert invitation.token_hash not in content
    assert client.get("/admin/municipalities/invitation/add/").status_code == 403


def test_verify_actions(login, staff_user, municipality):
    municipality.verified_at = None
    municipality.verification_method = ""
    municipality.save()
    client = login(staff_user)
    url = "/admin/municipalities/municipality/"
    response = client.post(url, {"action": "mark_verified", "_selected_action": [municipality.pk]}, follow=True)
    assert "als bestätigt markiert" in response.content.decode()
    municipality.refresh_from_db()
    assert municipality.verification_method == VerificationMethod.EDITORIAL
    assert AuditLogEntry.objects.filter(action="municipality.verified", actor=staff_user).exists()
    client.post(url, {"action": "mark_unverified", "_selected_action": [municipality.pk]})
    municipality.refresh_from_db()
    assert not municipality.is_verified


def test_audit_log_is_read_only(login, staff_user, municipality):
    entry = log_action("test.thing", actor=staff_user, municipality=municipality, obj="x")
    client = login(staff_user)
    assert client.get("/admin/core/auditlogentry/add/").status_code == 403
    assert client.get(f"/admin/core/auditlogentry/{entry.pk}/change/").status_code == 200
    assert client.post(f"/admin/core/auditlogentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditLogEntry.objects.filter(pk=entry.pk).exists()


def test_membership_inline_is_listed(login, staff_user, municipality):
    member = MembershipFactory(municipality=municipality).user
    content = login(staff_user).get(f"/admin/municipalities/municipality/{municipality.pk}/change/").content.decode()
    assert str(member) in content


def test_models_and_migrations_agree():
    """Translated labels (e.g. the country groups of the states) must not leak into migrations."""
    from django.core.management import call_command

    call_command("makemigrations", "municipalities", "core", "--check", "--dry-run", verbosity=0)
