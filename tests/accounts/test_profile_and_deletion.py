from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone, translation

from daks.accounts import services
from daks.accounts.models import User
from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.municipalities.models import Membership, Municipality, Role
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory
from tests.municipalities.deletion_factories import de

from .conftest import check_page

pytestmark = pytest.mark.django_db


# --- Profile ------------------------------------------------------------------------------------


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_shows_memberships_and_links(login, coordinator, municipality):
    client = login(coordinator)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    html = check_page(response)
    assert "Musterstadt" in html
    assert "Koordination" in html
    for url_name in ["account_email", "account_change_password", "mfa_index", "accounts:delete"]:
        assert reverse(url_name) in html


def test_profile_update_name_and_language_switch(login, user):
    client = login(user)
    response = client.post(reverse("accounts:profile"), {"name": "  Neuer   Name ", "language": "en"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.name == "Neuer Name"
    assert user.language == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get(reverse("accounts:profile"))
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Your details have been saved." in html
    client.post(reverse("accounts:profile"), {"name": "Neuer Name", "language": "de"})
    html = client.get(reverse("accounts:profile")).content.decode()
    assert '<html lang="de">' in html
    assert "Ihre Angaben wurden gespeichert." in html


def test_profile_rejects_empty_name(login, user):
    client = login(user)
    response = client.post(reverse("accounts:profile"), {"name": "   ", "language": "de"})
    assert response.status_code == 200
    html = check_page(response)
    assert 'id="id_name_error"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html


# --- Deletion -----------------------------------------------------------------------------------


def test_delete_page_explains_consequences(login, user):
    sole = MunicipalityFactory(name="Einsamhausen")
    MembershipFactory(municipality=sole, user=user, role=Role.COORDINATION)
    shared = MunicipalityFactory(name="Gemeinsamstadt")
    MembershipFactory(municipality=shared, user=user, role=Role.CONTRIBUTOR)
    MembershipFactory(municipality=shared, role=Role.COORDINATION)
    client = login(user)
    response = client.get(reverse("accounts:delete"))
    assert response.status_code == 200
    html = check_page(response)
    assert "Einsamhausen" in html
    assert "Gemeinsamstadt" in html
    assert "gelöschtes Konto" in html
    assert "Passwort" in html


def test_delete_account_deletes_sole_member_municipality(
    login, user, password, time_machine, django_capture_on_commit_callbacks
):
    sole = MunicipalityFactory(name="Einsamhausen")
    MembershipFactory(municipality=sole, user=user, role=Role.COORDINATION)
    shared = MunicipalityFactory(name="Gemeinsamstadt")
    MembershipFactory(municipality=shared, user=user, role=Role.CONTRIBUTOR)
    other_member = MembershipFactory(municipality=shared, role=Role.COORDINATION)
    email = user.email
    client = login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:delete"), {"password": password, "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert "_auth_user_id" not in client.session
    # Scheduled, not yet deleted: the grace period runs.
    user.refresh_from_db()
    assert user.deletion_scheduled_for is not None and not user.is_active
    assert Municipality.objects.filter(pk=sole.pk).exists()
    html = client.get(reverse("core:home")).content.decode()
    with translation.override("de"):
        date = formats.date_format(timezone.localtime(user.deletion_scheduled_for), "DATE_FORMAT")
    message = (
        "Your account will be deleted on %(date)s. You have been signed out. We have sent you an "
        "e-mail with a link to cancel the deletion until then."
    )
    assert de(message, date=date) in html

    time_machine.move_to(user.deletion_scheduled_for + timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_deletions", stdout=StringIO())
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Municipality.objects.filter(pk=sole.pk).exists()
    assert Municipality.objects.filter(pk=shared.pk).exists()
    assert list(shared.memberships.all()) == [other_member]

    entry = AuditLogEntry.objects.get(action="account.deleted")
    assert entry.actor is None
    assert entry.data["deleted_municipalities"] == ["Einsamhausen"]
    assert not AuditLogEntry.objects.filter(object_repr__icontains=email).exists()
    assert email not in str(list(AuditLogEntry.objects.values_list("data", flat=True)))


def test_delete_blocked_for_sole_coordinator(login, coordinator, contributor, municipality, password):
    client = login(coordinator)
    response = client.get(reverse("accounts:delete"))
    html = check_page(response)
    assert "Musterstadt" in html
    assert reverse("municipalities:team", kwargs={"municipality_slug": municipality.slug}) in html
    assert 'name="password"' not in html  # no form while blocked

    response = client.post(reverse("accounts:delete"), {"password": password, "confirm": "on"})
    assert response.status_code == 200
    assert "einzige Koordination" in response.content.decode()
    assert User.objects.filter(pk=coordinator.pk).exists()
    assert Membership.objects.filter(user=coordinator, municipality=municipality).exists()


def test_delete_allowed_when_another_coordinator_exists(login, coordinator, municipality, password):
    MembershipFactory(municipality=municipality, role=Role.COORDINATION)
    client = login(coordinator)
    response = client.post(reverse("accounts:delete"), {"password": password, "confirm": "on"})
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.is_scheduled_for_deletion
    services.account_purge(user=coordinator, now=coordinator.deletion_scheduled_for)
    assert Municipality.objects.filter(pk=municipality.pk).exists()
    assert municipality.memberships.count() == 1


def test_delete_with_wrong_password_changes_nothing(login, user):
    sole = MunicipalityFactory(name="Einsamhausen")
    MembershipFactory(municipality=sole, user=user, role=Role.COORDINATION)
    client = login(user)
    response = client.post(reverse("accounts:delete"), {"password": "falsch-falsch", "confirm": "on"})
    assert response.status_code == 200
    html = check_page(response)
    assert "Das Passwort ist nicht korrekt." in html
    assert 'id="id_password_error"' in html
    assert User.objects.filter(pk=user.pk).exists()
    assert Municipality.objects.filter(pk=sole.pk).exists()
    user.refresh_from_db()
    assert user.is_active and not user.is_scheduled_for_deletion
    assert not AuditLogEntry.objects.filter(action__startswith="account.").exists()


def test_delete_requires_confirmation_checkbox(login, user, password):
    client = login(user)
    response = client.post(reverse("accounts:delete"), {"password": password})
    assert response.status_code == 200
    assert "Bitte bestätigen Sie" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_account_delete_service(user, password):
    with pytest.raises(DomainError) as error:
        services.account_deletion_request(user=user, password="falsch")
    assert error.value.field == "password"
    scheduled = services.account_deletion_request(user=user, password=password)
    assert services.account_purge(user=user, now=scheduled.deletion_scheduled_for) == []
    assert not User.objects.filter(pk=user.pk).exists()


def test_account_delete_service_blocked(coordinator, contributor, password):
    with pytest.raises(DomainError) as error:
        services.account_deletion_request(user=coordinator, password=password)
    assert "Musterstadt" in error.value.message
    coordinator.refresh_from_db()
    assert coordinator.is_active and not coordinator.is_scheduled_for_deletion


def test_other_users_audit_entries_stay(coordinator, contributor, municipality, password):
    from daks.core.audit import log_action

    log_action("municipality.member.left", actor=contributor, municipality=municipality, obj=contributor)
    name = contributor.name
    scheduled = services.account_deletion_request(user=contributor, password=password)
    services.account_purge(user=contributor, now=scheduled.deletion_scheduled_for)
    assert not AuditLogEntry.objects.filter(object_repr=name).exists()
    assert AuditLogEntry.objects.filter(action="municipality.member.left", object_repr="gelöschtes Konto").exists()
    assert UserFactory()  # unrelated accounts unaffected
