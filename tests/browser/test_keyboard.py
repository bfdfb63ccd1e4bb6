"""Signing in works with the keyboard alone, starting with the skip link."""

import pytest

from tests.factories import DEFAULT_PASSWORD, UserFactory

from .helpers import assert_accessible, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    return {tag: el.tagName.toLowerCase(), id: el.id, type: el.type || '', name: el.name || '',
            href: el.getAttribute('href') || '', text: (el.innerText || el.value || '').trim()};
}"""


def tab_until(page, predicate, *, limit: int = 40) -> list[dict]:
    """Press Tab until ``predicate(focused)`` holds; return the focus path (fails after ``limit`` presses)."""
    path = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        path.append(focused)
        if focused and predicate(focused):
            return path
    pytest.fail(f"did not reach the element with {limit} Tab presses; focus path: {path}")


def test_keyboard_only_sign_in(page):
    user = UserFactory(email="tastatur@example.org", name="Tara Tastatur")
    visit(page, "/accounts/login/")

    # The first Tab from the start of the page reaches the skip link.
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first is not None and first["href"] == "#main", f"first Tab focused {first}"
    assert first["text"] in {"Zum Inhalt springen", "Skip to content"}, first
    assert page.locator("a.skip-link").is_visible(), "the skip link must become visible when focused"

    # On to the e-mail field, the password field and the submit button – the keyboard only.
    tab_until(page, lambda el: el["id"] == "id_login")
    page.keyboard.type(user.email)
    tab_until(page, lambda el: el["id"] == "id_password", limit=5)
    page.keyboard.type(DEFAULT_PASSWORD)
    tab_until(page, lambda el: el["tag"] == "button" and el["type"] == "submit", limit=10)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/uebersicht/"), page.url
    assert_accessible(page, what="dashboard after keyboard sign-in")
    assert "Tara Tastatur" in page.locator("h1").inner_text()


def test_enter_in_password_field_submits(page):
    user = UserFactory(email="enter@example.org")
    visit(page, "/accounts/login/")
    page.locator("#id_login").focus()
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["id"] == "id_password"
    page.keyboard.type(DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/uebersicht/"), page.url
    assert_accessible(page)


def test_skip_link_moves_focus_to_main(page):
    visit(page, "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement && document.activeElement.id") == "main"
