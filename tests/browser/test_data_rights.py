"""Open data, data portability and deletion with a grace period in the browser — every page axe-checked."""

import pytest
from django.core.management import call_command

from daks.accounts.models import User
from daks.municipalities.models import Municipality, Role
from tests.factories import DEFAULT_PASSWORD, MembershipFactory

from .helpers import link_from_mail, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_open_data_pages_before_and_after_the_build(page, tmp_path, settings):
    settings.OPEN_DATA_DIR = tmp_path / "opendata"
    visit(page, "/offene-daten/")
    call_command("build_open_data", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed with the process
    visit(page, "/offene-daten/")
    visit(page, "/offene-daten/datenlexikon/")
    response = page.request.get("/offene-daten/datapackage.json")
    assert response.ok


def test_export_import_and_kommune_deletion(new_session):
    membership = MembershipFactory(role=Role.COORDINATION)
    municipality, user = membership.municipality, membership.user
    session = new_session()
    session.login(user)
    page = session.page
    visit(page, f"/kommunen/{municipality.slug}/datenmitnahme/")
    with page.expect_navigation():
        page.locator(f"form[action$='/kommunen/{municipality.slug}/datenmitnahme/starten/'] button").press("Enter")
    page.wait_for_selector("a[href$='/herunterladen/']")
    visit(page, page.url)
    visit(page, "/kommunen/importieren/")

    visit(page, f"/kommunen/{municipality.slug}/loeschen/")
    page.locator("#id_confirm_name").fill(municipality.name)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    assert Municipality.objects.get(pk=municipality.pk).deletion_scheduled_for is not None
    visit(page, f"/kommunen/{municipality.slug}/")
    visit(page, f"/kommunen/{municipality.slug}/loeschen/")


def test_account_deletion_with_grace_period_and_cancel_link(new_session):
    membership = MembershipFactory(role=Role.CONTRIBUTOR)
    user = membership.user
    session = new_session()
    session.login(user)
    page = session.page
    visit(page, "/konto/loeschen/")
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.locator("#id_confirm").check()
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    assert User.objects.get(pk=user.pk).deletion_scheduled_for is not None
    visit(page, page.url)
    visit(page, link_from_mail(user.email, r"/konto/loeschung-abbrechen/"))
    visit(page, "/konto/loeschung-abbrechen/ungueltig/", expect_status=400)
