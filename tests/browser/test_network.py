"""The Netzwerk of the demo in the browser: portraits, directory with the offline map (reached by keyboard),
groups, the network office, network surveys, news and newsletter, events, the exchange — every page axe-checked."""

import pytest
from django.core.management import call_command

from .helpers import assert_accessible, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: The computed look of a map point (its link's outline, its circle's stroke and fill), as a JS function.
POINT_STYLE = """a => {
  const link = getComputedStyle(a), circle = getComputedStyle(a.querySelector('circle'));
  return {outline: `${link.outlineStyle} ${link.outlineWidth} ${link.outlineColor}`, stroke: circle.stroke,
          strokeWidth: circle.strokeWidth, fill: circle.fill};
}"""


def test_network_pages_of_the_demo(new_session):
    from daks.accounts.models import User
    from daks.events.models import Event
    from daks.exchange.models import Question
    from daks.news.models import NewsItem, NewsletterIssue
    from daks.reviews.models import NetworkSurvey
    from daks.strategy.models import StrategyProcess

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed with the process
    process = StrategyProcess.objects.get(municipality__slug="beispielstadt")
    news = NewsItem.objects.filter(status="published").order_by("-published_at").first()
    submission = NewsItem.objects.filter(status="submitted").first()
    issue = NewsletterIssue.objects.order_by("pk").first()
    event = Event.objects.order_by("pk").first()
    question = Question.objects.filter(accepted_answer__isnull=False).first()
    network_survey = NetworkSurvey.objects.first()

    visitor = new_session()
    page = visitor.page
    visit(page, "/netzwerk/")
    # The map: every point is a link with an accessible name, reachable with the Tab key.
    point = page.locator("svg a").first
    assert point.get_attribute("aria-label") or point.locator("title").count()
    unfocused = page.evaluate(f"() => [...document.querySelectorAll('svg a')].map(a => ({POINT_STYLE})(a))")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('svg')"):
            break
    else:
        pytest.fail("no point of the map can be reached with the Tab key")
    # The focused point shows a visible focus indicator: its outline or its circle differs from the unfocused look.
    index = page.evaluate("() => [...document.querySelectorAll('svg a')].indexOf(document.activeElement)")
    focused = page.evaluate(f"() => ({POINT_STYLE})(document.activeElement)")
    assert focused != unfocused[index], (focused, unfocused[index])
    changed = {key for key in focused if focused[key] != unfocused[index][key]}
    assert changed & {"outline", "stroke", "strokeWidth"}, changed  # not only a colour inside the point
    # Enter follows the point's link to the portrait.
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert href.startswith("/netzwerk/kommunen/")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(href)
    assert page.locator("h1").inner_text().strip() != ""
    for path in [
        "/netzwerk/gruppen/cluster-sued-beispiel/",
        "/veranstaltungen/?gruppe=cluster-sued-beispiel",
        "/veranstaltungen/regionaltreffen-sued-beispieldaten/",
        "/netzwerk/?land=DE-BY&sortierung=einwohner",
        "/netzwerk/kommunen/beispielstadt/",
        "/netzwerk/kommunen/beispielkreis/",
        "/netzwerk/kommunen/beispielstadt/kontakt/",
        "/netzwerk/gruppen/",
        "/netzwerk/gruppen/modellkommunen-2026/",
        "/aktuelles/",
        "/aktuelles/?art=publication",
        news.get_absolute_url(),
        "/newsletter/",
        "/newsletter/archiv/",
        f"/newsletter/archiv/{issue.pk}/",
        "/veranstaltungen/",
        "/veranstaltungen/jahreskonferenz-demografie-beispieldaten/",
        "/veranstaltungen/online-seminar-wohnen-im-alter-beispieldaten/",
        "/veranstaltungen/anmeldung/beispiel-anmeldung-bestaetigt/",
        "/veranstaltungen/anmeldung/beispiel-anmeldung-warteliste/",
    ]:
        visit(page, path)
    visit(page, "/veranstaltungen/anmeldung/ungueltig/", expect_status=404)

    editor = new_session()
    editor.login(User.objects.get(email="redaktion@daks.example"))
    for path in [
        "/netzwerk/netzwerkbuero/",
        "/netzwerk/gruppen/neu/",
        "/netzwerk/gruppen/modellkommunen-2026/bearbeiten/",
        "/netzwerk/umfragen/",
        f"/netzwerk/umfragen/{network_survey.pk}/",
        "/aktuelles/redaktion/",
        "/aktuelles/redaktion/neu/",
        f"/aktuelles/redaktion/{submission.pk}/",
        "/newsletter/redaktion/",
        "/newsletter/redaktion/neu/",
        f"/newsletter/redaktion/{issue.pk}/",
        "/veranstaltungen/verwaltung/",
        "/veranstaltungen/verwaltung/neu/",
        f"/veranstaltungen/verwaltung/{event.pk}/",
        f"/veranstaltungen/verwaltung/{event.pk}/bearbeiten/",
        "/austausch/moderation/",
    ]:
        visit(editor.page, path)

    member = new_session()
    member.login(User.objects.get(email="koordination@beispielstadt.example"))
    base = f"/kommunen/beispielstadt/prozesse/{process.pk}/zwischenbilanz"
    for path in [
        "/kommunen/beispielstadt/",
        "/kommunen/beispielstadt/portrait/",
        "/kommunen/beispielstadt/portrait/kontaktperson/",
        f"{base}/netzwerkumfragen/",
        "/aktuelles/kommunen/beispielstadt/einreichen/",
        "/aktuelles/kommunen/beispielstadt/",
        "/austausch/",
        "/austausch/?q=Wohn",
        "/austausch/wohnen/",
        "/austausch/wohnen/neue-frage/",
        f"/austausch/fragen/{question.pk}/",
        f"/austausch/fragen/{question.pk}/melden/",
        "/benachrichtigungen/",
    ]:
        visit(member.page, path)
    assert_accessible(member.page)
