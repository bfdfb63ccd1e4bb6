"""Public region pages in Chromium: keyboard typeahead on the search page, axe-core on the region page."""

import pytest

from tests.demography.test_region_views import build_region_tree

from .helpers import assert_accessible, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def regions():
    return build_region_tree()


def test_search_typeahead_by_keyboard(page, regions):
    visit(page, "/regionen/")
    field = page.locator("#region-search-q")
    assert page.locator("label[for=region-search-q]").count() == 1
    field.focus()
    page.keyboard.type("Adenau", delay=40)
    result = page.locator("#region-search-results a", has_text="Adenau, Stadt")
    result.wait_for()
    assert page.url.endswith("/regionen/"), "the typeahead must not reload the page"
    assert page.locator("#region-search-results").get_attribute("aria-live") == "polite"
    assert_accessible(page, what="search page with typeahead results")

    for _attempt in range(4):  # the search button comes first, then the results
        page.keyboard.press("Tab")
        if result.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("the first result cannot be reached with the Tab key")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/regionen/07131001/")
    assert_accessible(page)
    assert page.locator("h1").inner_text().strip() == "Adenau, Stadt"


def test_search_without_javascript_results_submit(page, regions):
    """Pressing Enter submits the form: the same results, rendered on the server."""
    visit(page, "/regionen/")
    page.locator("#region-search-q").fill("07131")
    with page.expect_navigation():
        page.locator("#region-search-q").press("Enter")
    assert "q=07131" in page.url
    assert_accessible(page)
    assert page.locator("#region-search-results a", has_text="Ahrweiler").count() == 1


def test_region_page_is_accessible(page, regions):
    visit(page, "/regionen/07131001/")
    assert page.locator("h1").count() == 1
    assert page.locator("svg[role=img]").count() == 3
    # the data tables are inside <details>: open them all and check again (axe skips hidden content)
    page.locator("details").evaluate_all("elements => elements.forEach((element) => { element.open = true; })")
    assert page.locator("table caption").count() >= 4
    assert_accessible(page, what="region page with the data tables open")


def test_kreis_page_with_children_is_accessible(page, regions):
    visit(page, "/regionen/07131/")
    page.locator("details").evaluate_all("elements => elements.forEach((element) => { element.open = true; })")
    assert_accessible(page, what="Kreis page")
