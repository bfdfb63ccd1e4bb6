"""End to end through the participation link: the coordination shows link, QR code and PIN; an anonymous browser
takes part with the PIN, adds an idea and gives its points until the budget is used; a further point is refused with
a German message; once the coordination closes the link, it refuses everything."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from daks.municipalities.models import Role
from tests.factories import MembershipFactory, MunicipalityFactory

from .helpers import assert_accessible, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

IDEA = "Ein Bürgerbus für die Ortsteile"
OWN_IDEA = "Sitzbänke entlang des Wegs zum Friedhof"


@pytest.fixture
def kommune():
    from daks.strategy import services as strategy_services
    from daks.workshops import participation
    from daks.workshops.models import Phase, VotingScope
    from tests.workshops.factories import IdeaFactory, WorkshopFactory

    coordination = MembershipFactory(
        municipality=MunicipalityFactory(name="Mitmachstadt", slug="mitmachstadt"), role=Role.COORDINATION
    )
    process = strategy_services.process_create(
        actor=coordination.user,
        municipality=coordination.municipality,
        title="Mitmachstadt 2040",
        start_date=dt.date(2026, 3, 1),
        coordinators=[coordination.user],
    )
    workshop = WorkshopFactory(
        process=process,
        current_phase=Phase.REALISATION,
        voting_open=True,
        votes_per_participant=2,
        voting_scope=VotingScope.REALISATION,
    )
    idea = IdeaFactory(workshop=workshop, phase=Phase.REALISATION, text=IDEA)
    now = timezone.now()
    link, token = participation.link_create(
        actor=coordination.user,
        workshop=workshop,
        opens_at=now - dt.timedelta(minutes=5),
        closes_at=now + dt.timedelta(hours=3),
        use_pin=True,
        moderate_ideas=False,
    )
    base = f"/kommunen/mitmachstadt/prozesse/{process.pk}/zukunftswerkstatt/werkstaetten/{workshop.pk}"
    return {"coordinator": coordination.user, "link": link, "token": token, "idea": idea, "base": base}


def navigate(page, action, *, status: int):
    with page.expect_navigation() as navigation:
        action()
    assert navigation.value is not None and navigation.value.status == status, navigation.value.status
    assert_accessible(page)


def test_anonymous_participation_pin_idea_votes_budget_and_closed_link(new_session, kommune):
    from daks.workshops.models import Idea, Vote

    token, link = kommune["token"], kommune["link"]
    url = f"/mitmachen/{token}/"

    # The coordination shows the link: address, QR code (inline SVG) and PIN in large print.
    team = new_session()
    team.login(kommune["coordinator"])
    visit(team.page, f"{kommune['base']}/beteiligung/")
    visit(team.page, f"{kommune['base']}/beteiligung/{link.pk}/")
    assert team.page.locator("#participation-url").inner_text() == f"{team.base_url}{url}"
    assert team.page.locator("#participation-pin").inner_text() == link.pin
    assert team.page.locator("svg.qr-code[role=img]").count() == 1
    visit(team.page, f"{kommune['base']}/beteiligung/{link.pk}/anzeige/")
    visit(team.page, f"{kommune['base']}/abstimmung/")

    # An anonymous browser: privacy notice, then the PIN.
    person = new_session()
    page = person.page
    visit(page, url)
    assert page.get_by_text(re.compile("IP-Adresse|IP address")).count() >= 1
    page.get_by_label("PIN").fill(link.pin)
    submit(page, "#join-form")
    assert_accessible(page, what="board after joining")
    cookie = next(c for c in person.context.cookies() if c["name"] == "daks_mitmachen")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == url

    # An idea of its own (anonymous, no moderation on this link): it is on the board at once.
    page.locator("#idea-form textarea").fill(OWN_IDEA)
    submit(page, "#idea-form")
    assert_accessible(page, what="board after adding an idea")
    assert page.locator(".participation-idea__text", has_text=OWN_IDEA).count() == 1
    assert Idea.objects.filter(text=OWN_IDEA, author_name="", participant__isnull=False).exists()

    # Two points: one on the bus, one (from a second tab) as well; the stale first tab then asks for a third.
    card = page.locator("li.participation-idea", has_text=IDEA)
    give = re.compile("Punkt geben|Give a point")
    navigate(page, lambda: card.get_by_role("button", name=give).click(), status=200)
    assert page.locator("#points-left strong").inner_text() == "1"
    second_tab = person.context.new_page()
    second_tab.goto(url)
    second_tab.locator("li.participation-idea", has_text=IDEA).get_by_role("button", name=give).click()
    second_tab.wait_for_load_state("load")
    second_tab.close()
    assert Vote.objects.count() == 2

    navigate(page, lambda: card.get_by_role("button", name=give).click(), status=409)
    message = page.locator("#participation-error").inner_text()
    assert re.search("bereits alle Ihre Punkte|already used all your points", message), message
    assert Vote.objects.count() == 2
    assert page.locator("#points-left strong").inner_text() == "0"
    assert page.locator("li.participation-idea", has_text=IDEA).get_by_role("button", name=give).count() == 0

    # The coordination closes the link; the participant's next step is refused.
    team.page.goto(f"{kommune['base']}/beteiligung/{link.pk}/")
    assert_accessible(team.page)
    submit(team.page, "#close-form")
    assert_accessible(team.page, what="link page after closing")
    visit(page, url, expect_status=410)
    assert page.get_by_role("alert").count() == 1
    assert Vote.objects.count() == 2 and Idea.objects.count() == 2
