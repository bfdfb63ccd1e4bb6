"""Every account page renders in our layout, in German, with accessible and CSP-clean markup."""

import time

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse

from .conftest import check_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url_name", "german"),
    [
        ("account_login", "Sie haben noch kein Konto?"),
        ("account_signup", "Ihr Name"),
        ("account_reset_password", "Geben Sie unten Ihre E-Mail-Adresse ein"),
        ("account_reset_password_done", "Passwort"),
        ("account_email_verification_sent", "E-Mail-Adresse"),
        ("account_inactive", "Konto"),
    ],
)
def test_anonymous_account_pages(client, url_name, german):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = check_page(response)
    assert german in html
    assert 'href="/static/daks/css/daks.css"' in html  # our layout


def test_invalid_confirmation_and_reset_links(client):
    response = client.get(reverse("account_confirm_email", args=["ungueltig"]))
    assert response.status_code == 200
    assert "abgelaufen" in check_page(response)
    response = client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "falsch"}))
    assert response.status_code == 200
    check_page(response)


def test_sign_in_page_has_labelled_fields_and_password_reset_link(client):
    html = check_page(client.get(reverse("account_login")))
    assert '<label for="id_login">' in html
    assert '<label for="id_password">' in html
    assert reverse("account_reset_password") in html
    assert 'class="button"' in html


@pytest.mark.parametrize(
    ("url_name", "german"),
    [
        ("account_email", "E-Mail"),
        ("account_change_password", "Passwort ändern"),
        ("account_reauthenticate", "Passwort"),
        ("account_logout", "Möchten Sie sich wirklich abmelden?"),
        ("mfa_index", "Zwei-Faktor-Authentifizierung"),
        ("mfa_activate_totp", "Authenticator-App"),
    ],
)
def test_signed_in_account_pages(client, user, password, url_name, german):
    client.post(reverse("account_login"), {"login": user.email, "password": password})
    client.post(reverse("account_reauthenticate"), {"password": password})
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = check_page(response)
    assert german in html


def test_mfa_pages_after_activation(client, user, password):
    client.post(reverse("account_login"), {"login": user.email, "password": password})
    client.post(reverse("account_reauthenticate"), {"password": password})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post(reverse("mfa_activate_totp"), {"code": code})
    for url_name in ["mfa_index", "mfa_view_recovery_codes", "mfa_generate_recovery_codes", "mfa_deactivate_totp"]:
        response = client.get(reverse(url_name))
        assert response.status_code == 200, url_name
        check_page(response)
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": user.email, "password": password})
    response = client.get(reverse("mfa_authenticate"))
    assert response.status_code == 200
    check_page(response)


def test_email_change_page_with_pending_address_has_no_inline_style(client, user, password):
    client.post(reverse("account_login"), {"login": user.email, "password": password})
    client.post(reverse("account_email"), {"action_add": "", "email": "wechsel@example.org"})
    response = client.get(reverse("account_email"))
    html = check_page(response)
    assert "wechsel@example.org" in html
    assert "<form hidden" in html
