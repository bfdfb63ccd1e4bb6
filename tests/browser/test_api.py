"""The API pages in the browser: overview, interactive documentation (Swagger UI from local files) and the
personal tokens, created with the keyboard — every page axe-checked."""

import pytest

from daks.api.models import ApiToken
from daks.municipalities.models import Role
from tests.factories import MembershipFactory

from .helpers import assert_accessible, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_api_overview_and_interactive_docs(page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    visit_docs = page.goto("/api/v1/docs")
    assert visit_docs.status == 200
    page.wait_for_selector(".opblock", timeout=15000)
    assert_accessible(page, what="Swagger UI")
    assert all(url.startswith(page.url.split("/api/")[0]) or url.startswith("data:") for url in requests), requests
    visit(page, "/api/")


def test_create_and_revoke_a_token_with_the_keyboard(new_session):
    membership = MembershipFactory(role=Role.COORDINATION)
    session = new_session()
    session.login(membership.user)
    page = session.page
    visit(page, "/konto/api-tokens/")
    page.locator("#id_name").focus()
    page.keyboard.type("Statistikstelle")
    page.locator("#id_scope").select_option("write")
    page.locator("#id_name").press("Enter")
    page.wait_for_selector("#new-token-value")
    assert page.locator("#new-token-value").input_value().startswith("daks_")
    assert_accessible(page, what="new token")
    with page.expect_navigation():
        page.locator("form[action$='/widerrufen/'] button").press("Enter")
    assert_accessible(page, what="revoked token")
    assert ApiToken.objects.get().revoked_at is not None
