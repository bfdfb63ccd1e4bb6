"""The acceptance test of the onboarding issue, end to end in Chromium.

Register → verify the e-mail address → create a Kommune → invite a colleague as Mitarbeit → the colleague
registers through the invitation, verifies, accepts and sees the Kommune on the dashboard → a third person
gets the German 404 page for the Kommune's workspace. axe-core checks every page on the way; no request
may leave the loopback interface.
"""

import re

import pytest
from django.core import mail

from daks.municipalities.models import Invitation, Membership, Municipality, Role
from tests.factories import DEFAULT_PASSWORD, UserFactory

from .helpers import assert_accessible, assert_loopback_only, link_from_mail, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONFIRM_LINK = r"/accounts/confirm-email/[^/]+/?$"
INVITATION_LINK = r"/kommunen/einladung/[^/]+/?$"


def register(page, *, name: str, email: str, password: str) -> None:
    """Fill allauth's sign-up form on the current page and submit it."""
    page.locator("#id_name").fill(name)
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    submit(page, "main form:has(#id_password2)")
    assert "/accounts/signup/" not in page.url, f"sign-up was not accepted:\n{page.locator('main').inner_text()}"
    assert_accessible(page, what="page after sign-up")


def verify_email(page, email: str) -> None:
    """Open the confirmation link from the outbox and press the confirm button."""
    visit(page, link_from_mail(email, CONFIRM_LINK))
    submit(page, "main form[action*='/accounts/confirm-email/']")
    assert_accessible(page, what="page after confirming the e-mail address")


def assert_signed_in(page) -> None:
    assert page.locator("form[action='/accounts/logout/']").count() == 1, f"not signed in on {page.url}"


def test_register_create_kommune_invite_colleague_and_isolate(new_session):
    founder = new_session()
    page = founder.page

    # 1. Start page → sign-up.
    visit(page, "/")
    visit(page, "/accounts/signup/")
    register(page, name="Erika Gründer", email="erika@muenchen.example", password="Korrekt-Pferd-Batterie-7")
    assert not page.locator("form[action='/accounts/logout/']").count(), "signed in before verifying the e-mail"

    # 2. Verification mail → confirm → signed in.
    verify_email(page, "erika@muenchen.example")
    assert_signed_in(page)

    # 3. Register the Kommune.
    visit(page, "/kommunen/neu/")
    page.locator("#id_name").fill("München")
    page.locator("#id_kind").select_option("stadt")
    page.locator("#id_country").select_option("DE")
    page.locator("#id_state").select_option("DE-BY")
    page.locator("#id_official_key").fill("09162000")
    page.locator("#id_website").fill("https://www.muenchen.example")
    submit(page, "main form:has(#id_official_key)")
    assert_accessible(page, what="Kommune page after registration")
    municipality = Municipality.objects.get(official_key="09162000")
    assert municipality.name == "München"
    assert Membership.objects.get(municipality=municipality, user__email="erika@muenchen.example").role == (
        Role.COORDINATION
    )
    kommune_path = f"/kommunen/{municipality.slug}/"
    assert page.url.endswith(kommune_path), page.url

    # 4. Team page → invite a colleague as Mitarbeit.
    page.locator(f"a[href='{kommune_path}team/']").first.click()
    page.wait_for_url(f"**{kommune_path}team/")
    assert_accessible(page, what="team page")
    page.locator(f"main a[href='{kommune_path}team/einladen/']").first.click()
    page.wait_for_url(f"**{kommune_path}team/einladen/")
    assert_accessible(page, what="invite page")
    page.locator("#id_email").fill("max@muenchen.example")
    page.locator("#id_role").select_option(Role.CONTRIBUTOR.value)
    assert page.locator("#id_role option:checked").inner_text().strip() == "Mitarbeit"
    submit(page, "main form:has(#id_role)")
    assert_accessible(page, what="page after sending the invitation")
    assert page.url.endswith(f"{kommune_path}team/"), page.url
    assert "max@muenchen.example" in page.locator("main").inner_text()
    invitation = Invitation.objects.get(municipality=municipality, email="max@muenchen.example")
    assert invitation.role == Role.CONTRIBUTOR
    invitation_path = link_from_mail("max@muenchen.example", INVITATION_LINK)

    # 5. Sign out.
    submit(page, "form[action='/accounts/logout/']")
    assert_accessible(page, what="page after signing out")
    assert page.locator("form[action='/accounts/logout/']").count() == 0

    # 6. The colleague opens the invitation (same browser, signed out), registers through it and verifies.
    visit(page, invitation_path)
    assert "München" in page.locator("h1").inner_text()
    page.locator("main a[href^='/accounts/signup/']").click()
    page.wait_for_url("**/accounts/signup/**")
    assert_accessible(page, what="sign-up page from the invitation")
    register(page, name="Max Kollege", email="max@muenchen.example", password="Zweites-Sicheres-Passwort-9")
    verify_email(page, "max@muenchen.example")
    assert_signed_in(page)

    # 7. The adapter brings the colleague back to the invitation: accept it.
    assert page.url.endswith(invitation_path), f"expected the invitation after verifying, got {page.url}"
    submit(page, "main form[method='post']:has(button[type=submit])")
    assert_accessible(page, what="page after accepting the invitation")
    assert Membership.objects.get(municipality=municipality, user__email="max@muenchen.example").role == (
        Role.CONTRIBUTOR
    )

    # 8. The dashboard lists the Kommune.
    visit(page, "/uebersicht/")
    assert page.locator(f"main a[href='{kommune_path}']").first.inner_text().strip() == "München"

    # 9. A third person (member of another Kommune) gets the German 404 page.
    outsider = UserFactory(email="dritte@anderswo.example")
    Membership.objects.create(
        municipality=Municipality.objects.create(
            name="Anderswo", slug="anderswo", kind="gemeinde", country="DE", state="DE-BW", official_key="08111000"
        ),
        user=outsider,
        role=Role.COORDINATION,
    )
    third = new_session()
    third.login(outsider)
    for path in (kommune_path, f"{kommune_path}team/"):
        visit(third.page, path, expect_status=404)
        assert third.page.locator("h1").inner_text().strip() == "Seite nicht gefunden"
        assert third.page.locator("html").get_attribute("lang") == "de"
        assert "München" not in third.page.content()

    # 10. Nothing left the machine.
    assert_loopback_only(founder.requests + third.requests)
    assert len(founder.requests) > 20  # the recording itself works
    assert {m.to[0] for m in mail.outbox} >= {"erika@muenchen.example", "max@muenchen.example"}


def test_signup_form_uses_german_labels(page):
    visit(page, "/accounts/signup/")
    assert page.get_by_label("Ihr Name").count() == 1
    assert page.get_by_label(re.compile("E-Mail")).first.get_attribute("id") == "id_email"
    assert page.locator("#id_password1").get_attribute("type") == "password"
    assert page.locator("#id_email").get_attribute("autocomplete") == "email"


def test_sign_in_with_email_and_password(page):
    """A verified user signs in with e-mail address and password and lands on the dashboard."""
    user = UserFactory(email="anna@example.org")
    visit(page, "/accounts/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    submit(page, "main form:has(#id_password)")
    assert_accessible(page)
    assert page.url.endswith("/uebersicht/"), page.url
