"""A keyboard-only walk through the seeded demo as the Koordination of Beispielstadt: from the dashboard to the
Kommune, its processes and the five steps of the process, the Werkzeugkoffer search, the network directory and a
portrait, the page in Leichte Sprache and the feedback form of the accessibility statement — Tab, Shift+Tab, typing
and Enter only, the focus visible on every element that is activated, axe-core on every page."""

import re

import pytest
from django.core.management import call_command

from .helpers import assert_accessible, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    return {tag: el.tagName.toLowerCase(), id: el.id || '', name: el.getAttribute('name') || '',
            type: el.getAttribute('type') || '', href: el.getAttribute('href') || '',
            text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 80)};
}"""

# The focused element shows a focus indicator (outline or box shadow) and lies inside the viewport.
FOCUS_VISIBLE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'nothing focused';
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    if (!outline && style.boxShadow === 'none') return 'no focus indicator on ' + el.outerHTML.slice(0, 120);
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return 'focused element has no size: ' + el.outerHTML.slice(0, 120);
    if (box.bottom < 0 || box.top > window.innerHeight) return 'focused element is off screen';
    return '';
}"""


def tab_until(page, predicate, *, limit: int = 80, backwards: bool = False) -> list[dict]:
    """Press Tab (Shift+Tab) until ``predicate(focused)`` holds; fails with the focus path after ``limit`` presses."""
    key = "Shift+Tab" if backwards else "Tab"
    path = []
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        path.append(focused)
        if focused and predicate(focused):
            problem = page.evaluate(FOCUS_VISIBLE)
            assert not problem, f"focus not visible on {page.url}: {problem}"
            return path
    pytest.fail(f"{page.url}: not reached with {limit} × {key}; focus path: {[(f and f['href']) or f for f in path]}")


def follow(page, predicate, *, expect_path: str, backwards: bool = False, limit: int = 80, what: str = ""):
    """Tab to the link matching ``predicate``, press Enter, check the new address and run axe-core on it."""
    tab_until(page, predicate, backwards=backwards, limit=limit)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(expect_path, page.url), f"{what}: expected {expect_path}, got {page.url}"
    assert_accessible(page, what=what)


def href(value: str):
    return lambda el: el["tag"] == "a" and el["href"] == value


def test_keyboard_walk_through_the_demo(new_session):
    from daks.accounts.models import User
    from daks.strategy.models import StrategyProcess
    from daks.strategy.steps import STEPS

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed with the process
    process = StrategyProcess.objects.filter(municipality__slug="beispielstadt").order_by("pk").first()
    session = new_session()
    session.login(User.objects.get(email="koordination@beispielstadt.example"))
    page = session.page
    visit(page, "/uebersicht/")

    # The dashboard → the Kommune → its processes → the process.
    follow(page, href("/kommunen/beispielstadt/"), expect_path=r"/kommunen/beispielstadt/$", what="Kommune")
    processes = "/kommunen/beispielstadt/prozesse/"
    follow(page, href(processes), expect_path=re.escape(processes) + "$", what="processes")
    base = f"{processes}{process.pk}/"
    follow(page, href(base), expect_path=re.escape(base) + "$", what="process overview", limit=120)

    # The five steps, each reached from the previous page by keyboard.
    for number, definition in enumerate(STEPS.values(), start=1):
        step_path = f"{base}{definition.slug}/"
        follow(page, href(step_path), expect_path=re.escape(step_path) + "$", what=f"step {number}", limit=120)
        assert f"Schritt {number}" in page.locator("h1").inner_text()

    # The Werkzeugkoffer: main navigation, search by typing and Enter, a tool from the results.
    follow(page, href("/werkzeugkoffer/"), expect_path=r"/werkzeugkoffer/$", what="toolbox")
    tab_until(page, lambda el: el["id"] == "toolbox-q")
    page.keyboard.type("Pflege")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=Pflege" in page.url, page.url
    assert_accessible(page, what="toolbox search results")
    follow(
        page,
        lambda el: el["tag"] == "a" and re.fullmatch(r"/werkzeugkoffer/(?!redaktion/)[a-z0-9-]+/", el["href"]),
        expect_path=r"/werkzeugkoffer/[a-z0-9-]+/$",
        what="tool from the search",
        limit=150,
    )

    # The network: directory from the main navigation, then a portrait.
    follow(page, href("/netzwerk/"), expect_path=r"/netzwerk/$", what="network directory")
    follow(
        page,
        lambda el: el["tag"] == "a" and re.fullmatch(r"/netzwerk/kommunen/[a-z0-9-]+/", el["href"]),
        expect_path=r"/netzwerk/kommunen/[a-z0-9-]+/$",
        what="portrait",
        limit=150,
    )

    # Leichte Sprache and the accessibility statement from the footer (Shift+Tab from the top of the page).
    follow(page, href("/leichte-sprache/"), expect_path=r"/leichte-sprache/$", what="Leichte Sprache", backwards=True)
    follow(
        page,
        lambda el: el["tag"] == "a" and el["href"].startswith("/barrierefreiheit/barriere-melden/?seite="),
        expect_path=r"/barrierefreiheit/barriere-melden/\?seite=",
        what="report a barrier",
        backwards=True,
    )
    assert page.locator("#id_page_url").input_value() == "/leichte-sprache/"
    tab_until(page, lambda el: el["id"] == "id_description")
    page.keyboard.type("Der Zeilenabstand ist mir zu klein.")
    path = tab_until(page, lambda el: el["tag"] == "button" and el["type"] == "submit", limit=10)
    assert all(el and el["name"] != "homepage" for el in path), "the honeypot must not be reachable by Tab"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/barrierefreiheit/barriere-melden/danke/"), page.url
    assert_accessible(page, what="confirmation of the report")
    follow(page, href("/barrierefreiheit/"), expect_path=r"/barrierefreiheit/$", what="accessibility statement")

    from daks.pages.models import BarrierReport

    report = BarrierReport.objects.get()
    assert report.page_url == "/leichte-sprache/" and "Zeilenabstand" in report.description
