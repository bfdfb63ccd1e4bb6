"""Account deletion with a grace period: summary, scheduling, blocked sign-in, cancel link, purge (docs/deletion.md)."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core import mail, signing
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone, translation

from daks.accounts import services
from daks.accounts.models import User
from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.municipalities.models import Membership, Municipality, Role
from tests.factories import InvitationFactory, JoinRequestFactory, MembershipFactory, MunicipalityFactory
from tests.municipalities.deletion_factories import PNG, de

from .conftest import check_page, find_link

pytestmark = pytest.mark.django_db


def _schedule(client, password, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("accounts:delete"), {"password": password, "confirm": "on"})


def _cancel_path() -> str:
    return find_link(mail.outbox[-1].body, "/konto/loeschung-abbrechen/")


@pytest.fixture
def scheduled(login, user, password, django_capture_on_commit_callbacks):
    """``user`` requested the deletion through the page; returns the client (signed out by then)."""
    client = login(user)
    response = _schedule(client, password, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    user.refresh_from_db()
    return client


# --- Summary --------------------------------------------------------------------------------------------------------


def test_summary_names_kommunen_and_counts_own_records(login, user):
    sole = MunicipalityFactory(name="Einsamhausen")
    MembershipFactory(municipality=sole, user=user, role=Role.COORDINATION)
    shared = MunicipalityFactory(name="Gemeinsamstadt")
    MembershipFactory(municipality=shared, user=user, role=Role.CONTRIBUTOR)
    MembershipFactory(municipality=shared, role=Role.COORDINATION)
    InvitationFactory(municipality=shared, invited_by=user)  # stays, inviter emptied
    InvitationFactory(municipality=sole, invited_by=user)  # deleted with Einsamhausen: not counted as staying
    JoinRequestFactory(municipality=MunicipalityFactory(), user=user)  # deleted with the account

    overview = services.deletion_overview(user, with_counts=True)
    assert [m.name for m in overview.deleted] == ["Einsamhausen"]
    assert [m.municipality.name for m in overview.left] == ["Gemeinsamstadt"]
    own = {row.label: row.count for row in overview.own_records}
    assert own["Beitrittsanfragen"] == 1
    kept = {row.label: row.count for row in overview.kept_content}
    assert kept == {"Einladungen": 1}

    html = check_page(login(user).get(reverse("accounts:delete")))
    assert "Einsamhausen" in html and "Gemeinsamstadt" in html
    assert "Beitrittsanfragen" in html and "Einladungen" in html
    assert de("stays, author shown as “deleted account”") in html
    assert de("Schedule the deletion of my account") in html


# --- Scheduling -----------------------------------------------------------------------------------------------------


def test_request_schedules_signs_out_and_sends_mail(scheduled, user, password):
    assert not user.is_active
    assert user.deletion_scheduled_for - user.deletion_requested_at == timedelta(days=30)
    assert "_auth_user_id" not in scheduled.session
    assert User.objects.filter(pk=user.pk).exists()

    (message,) = mail.outbox
    assert message.to == [user.email]
    with translation.override("de"):
        date = formats.date_format(timezone.localtime(user.deletion_scheduled_for), "DATE_FORMAT")
    assert date in message.body
    assert "/konto/loeschung-abbrechen/" in message.body
    entry = AuditLogEntry.objects.get(action="account.deletion_requested")
    assert entry.actor == user and user.email not in str(entry.data) and user.email not in entry.object_repr


def test_grace_days_setting(settings, user, password):
    settings.DAKS_DELETION_GRACE_DAYS = 3
    now = timezone.now()
    scheduled = services.account_deletion_request(user=user, password=password, now=now)
    assert scheduled.deletion_scheduled_for == now + timedelta(days=3)


def test_second_request_refused(user, password):
    services.account_deletion_request(user=user, password=password)
    with pytest.raises(DomainError) as error:
        services.account_deletion_request(user=user, password=password)
    assert error.value.message == de("The deletion of your account has already been requested.")


def test_blocking_rule_counts_only_active_coordinators(coordinator, municipality, contributor, password):
    second = MembershipFactory(municipality=municipality, role=Role.COORDINATION).user
    services.account_deletion_request(user=second, password=password)
    with pytest.raises(DomainError) as error:  # the other coordinator is leaving: hand over first
        services.account_deletion_request(user=coordinator, password=password)
    assert "Musterstadt" in error.value.message
    coordinator.refresh_from_db()
    assert coordinator.is_active


# --- Sign-in blocked ------------------------------------------------------------------------------------------------


def test_sign_in_is_refused_and_explains_the_date(
    scheduled, client, user, password, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:deletion_scheduled")
    assert "_auth_user_id" not in client.session
    html = check_page(client.get(response["Location"]))
    with translation.override("de"):
        assert formats.date_format(timezone.localtime(user.deletion_scheduled_for), "DATE_FORMAT") in html
    # The cancel link can be sent again, to the account's own address only.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:deletion_scheduled"))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert client.get(reverse("core:dashboard")).status_code == 302  # still signed out


def test_wrong_password_does_not_reveal_the_scheduled_deletion(scheduled, client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": "falsch-falsch"})
    assert response.status_code == 200
    html = check_page(client.get(reverse("accounts:deletion_scheduled")))
    assert (
        de("If your account is scheduled for deletion, you cannot sign in until the deletion has been cancelled.")
        in html
    )
    assert 'method="post"' not in html.split("<main", 1)[-1].split("</main>")[0]
    assert client.post(reverse("accounts:deletion_scheduled")).status_code == 200
    assert len(mail.outbox) == 1  # only the first mail


# --- Cancel ---------------------------------------------------------------------------------------------------------


def test_cancel_link_restores_the_account(scheduled, client, user, password):
    path = _cancel_path()
    response = client.get(path)  # opening the link changes nothing (mail scanners)
    assert response.status_code == 200
    check_page(response)
    user.refresh_from_db()
    assert user.is_scheduled_for_deletion

    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    user.refresh_from_db()
    assert user.is_active and user.deletion_scheduled_for is None and user.deletion_requested_at is None
    assert AuditLogEntry.objects.filter(action="account.deletion_cancelled", actor=user).exists()

    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    # Nothing is purged later, and the old link is used up.
    assert services.purge_due_accounts(now=timezone.now() + timedelta(days=60)).deleted == []
    client.logout()
    response = client.post(path)
    assert response.status_code == 400
    assert de("This account is not scheduled for deletion (any more).") in response.content.decode()


def test_forged_token_is_refused(scheduled, client, user):
    path = _cancel_path()
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = signing.dumps({"u": user.pk, "r": user.deletion_requested_at.isoformat()}, salt="some-other-salt")
    for bad in [token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "kaputt"]:
        url = reverse("accounts:deletion_cancel", kwargs={"token": bad})
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 400
            html = check_page(response)
            assert de("This link is not valid. Please use the complete link from the e-mail.") in html
    user.refresh_from_db()
    assert user.is_scheduled_for_deletion and not user.is_active
    assert not AuditLogEntry.objects.filter(action="account.deletion_cancelled").exists()


def test_link_of_an_earlier_request_is_refused(user, password, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        services.account_deletion_request(user=user, password=password)
    first = _cancel_path()
    client.post(first)
    user.refresh_from_db()
    services.account_deletion_request(user=user, password=password, now=timezone.now() + timedelta(seconds=5))
    response = client.post(first)
    assert response.status_code == 400
    assert de("This link is not valid. Please use the complete link from the e-mail.") in response.content.decode()
    user.refresh_from_db()
    assert user.is_scheduled_for_deletion


def test_expired_token_is_refused(scheduled, client, user, time_machine):
    path = _cancel_path()
    time_machine.move_to(user.deletion_scheduled_for + timedelta(minutes=1))
    response = client.post(path)
    assert response.status_code == 400
    assert de("This link has expired: the grace period is over.") in check_page(response)
    user.refresh_from_db()
    assert user.is_scheduled_for_deletion and not user.is_active


# --- Purge ----------------------------------------------------------------------------------------------------------


def test_purge_only_after_the_grace_date(
    user, password, time_machine, django_capture_on_commit_callbacks, other_municipality, outsider
):
    sole = MunicipalityFactory(name="Einsamhausen")
    MembershipFactory(municipality=sole, user=user, role=Role.COORDINATION)
    sole.logo.save("logo.png", ContentFile(PNG))
    logo = (sole.logo.storage, sole.logo.name)
    other_municipality.logo.save("anderdorf.png", ContentFile(PNG))
    scheduled = services.account_deletion_request(user=user, password=password)

    time_machine.move_to(scheduled.deletion_scheduled_for - timedelta(minutes=1))
    out = StringIO()
    call_command("purge_deletions", stdout=out)
    assert out.getvalue().strip() == "Nothing to purge."
    assert User.objects.filter(pk=user.pk).exists()

    time_machine.move_to(scheduled.deletion_scheduled_for + timedelta(minutes=1))
    mail.outbox.clear()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_deletions", stdout=out)
    assert f"Deleted account #{user.pk}." in out.getvalue()
    assert user.email not in out.getvalue()
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email=user.email).exists()
    assert not Municipality.objects.filter(pk=sole.pk).exists()
    assert not logo[0].exists(logo[1])
    assert [m.to for m in mail.outbox] == [[user.email]]  # the confirmation of the deletion
    assert "Einsamhausen" in mail.outbox[0].body
    # Other Kommunen and accounts are untouched.
    assert other_municipality.logo.storage.exists(other_municipality.logo.name)
    assert Membership.objects.filter(user=outsider, municipality=other_municipality).exists()

    out = StringIO()
    call_command("purge_deletions", stdout=out)
    assert out.getvalue().strip() == "Nothing to purge."


def test_purge_skips_an_account_that_became_the_only_coordinator(coordinator, municipality, contributor, password):
    second = MembershipFactory(municipality=municipality, role=Role.COORDINATION)
    scheduled = services.account_deletion_request(user=coordinator, password=password)
    second.delete()  # the other coordinator left meanwhile
    result = services.purge_due_accounts(now=scheduled.deletion_scheduled_for)
    assert result.deleted == [] and [pk for pk, _reason in result.skipped] == [coordinator.pk]
    assert User.objects.filter(pk=coordinator.pk, is_active=False).exists()
    out = StringIO()
    call_command("purge_deletions", stdout=out)  # not due yet at the real "now"
    assert "Nothing to purge." in out.getvalue()


def test_purge_task(user, password):
    from daks.accounts.tasks import purge_deletions

    services.account_deletion_request(user=user, password=password, now=timezone.now() - timedelta(days=31))
    result = purge_deletions.enqueue()
    assert result.return_value["accounts"] == [user.pk]
    assert not User.objects.filter(pk=user.pk).exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("accounts:delete"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_wordings_registered():
    from daks.strategy.activity import ACTIONS

    assert {"account.deletion_requested", "account.deletion_cancelled", "account.deleted"} <= set(ACTIONS)
