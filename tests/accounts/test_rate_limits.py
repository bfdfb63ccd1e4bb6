"""Rate limits of sign-in, registration and password reset (ACCOUNT_RATE_LIMITS, docs/security.md)."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from daks.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Neues-Passwort-fuer-Tests-77"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def signup(client, number):
    return client.post(
        reverse("account_signup"),
        {
            "email": f"person{number}@example.org",
            "name": f"Person {number}",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )


def assert_refused_in_german(response):
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert "Zu viele Anfragen. Bitte warten Sie einige Minuten" in html


def test_every_rate_limit_is_configured_explicitly_and_documented():
    limits = django_settings.ACCOUNT_RATE_LIMITS
    for action in ("login", "login_failed", "signup", "reset_password", "reset_password_from_key", "confirm_email"):
        assert limits.get(action), action
    table = DOCS.read_text()
    for action in limits:
        assert re.search(rf"`{action}`", table), f"{action} is missing in docs/security.md"


def test_registration_beyond_the_limit_is_refused_in_german(client, settings, django_capture_on_commit_callbacks):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(2):
            assert signup(client, number).status_code == 302
            client.logout()
        response = signup(client, 2)
    assert_refused_in_german(response)
    assert not User.objects.filter(email="person2@example.org").exists()
    assert User.objects.count() == 2


def test_registration_from_another_address_is_not_affected(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/m/ip"}
    assert signup(client, 0).status_code == 302
    client.logout()
    assert signup(client, 1).status_code == 429
    response = client.post(
        reverse("account_signup"),
        {"email": "other@example.org", "name": "Other", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        REMOTE_ADDR="198.51.100.9",
    )
    assert response.status_code == 302


def test_password_reset_for_one_address_is_refused_after_three_requests(
    client, user, mailoutbox, django_capture_on_commit_callbacks
):
    """The configured limit itself (3 per address in 5 minutes), not a test override."""
    assert "3/5m/key" in django_settings.ACCOUNT_RATE_LIMITS["reset_password"]
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(3):
            assert client.post(reverse("account_reset_password"), {"email": user.email}).status_code == 302
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert_refused_in_german(response)
    assert len(mailoutbox) == 3
    # Another address is still served.
    other = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("account_reset_password"), {"email": other.email}).status_code == 302
    assert len(mailoutbox) == 4


def test_password_reset_per_ip_address(client, settings, django_capture_on_commit_callbacks):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "2/m/ip"}
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(2):
            client.post(reverse("account_reset_password"), {"email": f"unknown{number}@example.org"})
        response = client.post(reverse("account_reset_password"), {"email": "unknown9@example.org"})
    assert_refused_in_german(response)


def test_failed_sign_ins_per_ip_address_lock_out_other_accounts_too(client, settings, password):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip,5/5m/key"}
    for number in range(3):
        response = client.post(
            reverse("account_login"), {"login": f"guess{number}@example.org", "password": "falsch-falsch-1"}
        )
        assert response.status_code == 200
    victim = UserFactory()
    response = client.post(reverse("account_login"), {"login": victim.email, "password": password})
    assert response.status_code == 200
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_requests_per_ip_address(client, settings, user, password):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    for _attempt in range(2):
        client.post(reverse("account_login"), {"login": "x@example.org", "password": "falsch-falsch-1"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert_refused_in_german(response)
    assert "_auth_user_id" not in client.session
