import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core.cache import cache
from django.urls import reverse

from daks.accounts.models import User
from tests.factories import UserFactory

from .conftest import find_link

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Neues-Passwort-fuer-Tests-77"


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def sign_in_for_mfa(client, user, password):
    """Sign in, then confirm the password again: two-factor settings require a recent re-authentication."""
    sign_in(client, user.email, password)
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_signup_sends_german_verification_mail_and_confirm_link_signs_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "Erika@Example.org",
                "name": "Erika Mustermann",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not is_signed_in(client)
    user = User.objects.get(email="erika@example.org")
    assert user.name == "Erika Mustermann"
    assert user.language == "de"

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["erika@example.org"]
    assert mail.subject.startswith("[DAKS] ")
    assert mail.subject == "[DAKS] Bitte bestätigen Sie Ihre E-Mail-Adresse"  # formal "Sie", not allauth's "du"
    assert mail.alternatives == []  # plain text only

    link = find_link(mail.body, "/accounts/confirm-email/")
    response = client.get(link)
    assert response.status_code == 200
    assert "E-Mail-Adresse bestätigen" in response.content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert is_signed_in(client)
    assert EmailAddress.objects.get(user=user).verified


def test_signup_requires_the_name(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "ohne-name@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ihr Name" in html
    assert 'id="id_name_error"' in html
    assert not User.objects.filter(email="ohne-name@example.org").exists()


def test_unverified_account_cannot_sign_in(client, password, mailoutbox):
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = sign_in(client, user.email, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not is_signed_in(client)
    assert len(mailoutbox) == 1  # a fresh verification mail


def test_login_and_logout(client, user, password):
    response = sign_in(client, user.email, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert is_signed_in(client)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not is_signed_in(client)


def test_wrong_password_gives_german_error(client, user):
    response = sign_in(client, user.email, "falsch-falsch-falsch")
    assert response.status_code == 200
    assert "Passwort" in response.content.decode()
    assert not is_signed_in(client)


def test_login_continues_a_pending_invitation(client, user, password):
    session = client.session
    session["daks_invitation_token"] = "abc-token"
    session.save()
    response = sign_in(client, user.email, password)
    assert response["Location"] == reverse("municipalities:invitation", kwargs={"token": "abc-token"})


def test_lockout_after_five_failed_attempts_even_with_correct_password(client, user, password):
    for _ in range(5):
        response = sign_in(client, user.email, "falsches-Passwort-123")
        assert response.status_code == 200
        assert "Zu viele" not in response.content.decode()
    response = sign_in(client, user.email, password)
    assert response.status_code == 200
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
    assert not is_signed_in(client)


def test_lockout_is_per_account(client, password):
    victim, other = UserFactory(), UserFactory()
    for _ in range(5):
        sign_in(client, victim.email, "falsches-Passwort-123")
    response = sign_in(client, other.email, password)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_password_reset_flow(client, user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mailoutbox) == 1
    assert "Passwort" in mailoutbox[0].subject
    assert "Sie erhalten diese E-Mail" in mailoutbox[0].body
    link = find_link(mailoutbox[0].body, "/accounts/password/reset/key/")

    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    assert "Neues Passwort" in response.content.decode() or "Passwort ändern" in response.content.decode()
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 302


def test_password_reset_for_unknown_address_reveals_nothing(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "niemand@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


def test_password_change(client, user, password):
    sign_in(client, user.email, password)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_with_wrong_old_password(client, user, password):
    sign_in(client, user.email, password)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "falsch-falsch", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert 'id="id_oldpassword_error"' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(password)


def test_email_change_flow(client, user, password, mailoutbox, django_capture_on_commit_callbacks):
    sign_in(client, user.email, password)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_email"), {"action_add": "", "email": "neu@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["neu@example.org"]
    page = client.get(reverse("account_email")).content.decode()
    assert "neu@example.org" in page

    link = find_link(mailoutbox[0].body, "/accounts/confirm-email/")
    response = client.post(link)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "neu@example.org"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == ["neu@example.org"]


def test_mail_goes_out_in_the_recipients_language(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email}, HTTP_ACCEPT_LANGUAGE="de")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "[DAKS] Password Reset Email"


def test_totp_activation_recovery_codes_and_login_with_second_factor(client, user, password):
    sign_in(client, user.email, password)
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'src="data:image/svg+xml' in html
    assert 'alt="QR-Code zum Einrichten Ihrer Authenticator-App"' in html
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in html

    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    codes = recovery.wrap().get_unused_codes()
    assert len(codes) == 10

    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200
    assert codes[0] in response.content.decode()
    assert "Wiederherstellungscodes" in client.get(reverse("mfa_index")).content.decode()

    client.post(reverse("account_logout"))
    response = sign_in(client, user.email, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client)
    response = client.get(reverse("mfa_authenticate"))
    assert "Zwei-Faktor-Authentifizierung" in response.content.decode()

    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert response.status_code == 200
    assert not is_signed_in(client)
    cache.clear()  # the activation code counts as used for this time window
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert is_signed_in(client)


def test_login_with_recovery_code(client, user, password):
    sign_in_for_mfa(client, user, password)
    client.get(reverse("mfa_activate_totp"))
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(client.session[SECRET_SESSION_KEY])})
    code = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()[0]
    client.post(reverse("account_logout"))
    sign_in(client, user.email, password)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert is_signed_in(client)


def test_totp_deactivation(client, user, password):
    sign_in_for_mfa(client, user, password)
    client.get(reverse("mfa_activate_totp"))
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(client.session[SECRET_SESSION_KEY])})
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
