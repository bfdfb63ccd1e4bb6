"""The presentation mode of a Zukunftswerkstatt on the projector updates by itself: a colleague adds an idea on
the board in another browser (and a participant's idea arrives through the services) — the new cards appear
without a reload, in large type and without overflowing a 1280×720 screen."""

import datetime as dt

import pytest

from daks.municipalities.models import Role
from tests.factories import MembershipFactory, MunicipalityFactory

from .helpers import visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def werkstatt():
    from daks.profile.models import FieldOfAction
    from daks.strategy.models import StrategyProcess
    from daks.workshops import services

    coordination = MembershipFactory(
        municipality=MunicipalityFactory(name="Werkstattdorf", slug="werkstattdorf"), role=Role.COORDINATION
    )
    municipality = coordination.municipality
    colleague = MembershipFactory(municipality=municipality, role=Role.CONTRIBUTOR)
    process = StrategyProcess.objects.create(
        municipality=municipality, title="Werkstattdorf 2040", start_date=dt.date(2026, 9, 1)
    )
    FieldOfAction.objects.create(process=process, municipality=municipality, title="Mobilität", priority=1)
    starts = dt.datetime(2026, 11, 14, 10, 0, tzinfo=dt.UTC)
    workshop = services.workshop_create(
        actor=coordination.user,
        municipality=municipality,
        process=process,
        title="Zukunftswerkstatt Werkstattdorf",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=4),
        place="Dorfgemeinschaftshaus",
    )
    services.idea_create(
        workshop=workshop, phase="critique", text="Der Bus fährt am Wochenende nicht", author=coordination.user
    )
    return {"workshop": workshop, "coordinator": coordination.user, "colleague": colleague.user}


def test_presentation_updates_without_reload(new_session, werkstatt):
    from daks.workshops import services

    workshop = werkstatt["workshop"]
    base = f"/kommunen/werkstattdorf/prozesse/{workshop.process_id}/zukunftswerkstatt/werkstaetten/{workshop.pk}"

    projector = new_session()
    projector.login(werkstatt["coordinator"])
    screen = projector.page
    screen.set_viewport_size({"width": 1280, "height": 720})
    visit(screen, f"{base}/praesentation/")
    screen.get_by_text("Der Bus fährt am Wochenende nicht").wait_for()
    loads = len(projector.visited)

    # Readable on the projector: large type, nothing wider than the screen.
    card_font = screen.locator(".ws-present__card").first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert card_font >= 28
    assert screen.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    # A colleague adds an idea on the board in another browser (htmx form).
    colleague = new_session()
    colleague.login(werkstatt["colleague"])
    board = colleague.page
    visit(board, f"{base}/")
    column = board.locator("#phase-critique")
    column.locator(".ws-add summary").click()
    column.locator("textarea").first.fill("Es fehlt ein Treffpunkt für Jugendliche")
    column.locator(".ws-add button[type=submit]").click()
    column.locator(".ws-card", has_text="Es fehlt ein Treffpunkt für Jugendliche").wait_for()

    # The projector shows it after its next poll (every 5 s) — without navigating.
    screen.get_by_text("Es fehlt ein Treffpunkt für Jugendliche").wait_for(timeout=15_000)

    # An idea written directly through the services (e.g. from the participation link) appears as well.
    services.idea_create(workshop=workshop, phase="critique", text="Zu wenige Sitzbänke am Marktplatz")
    screen.get_by_text("Zu wenige Sitzbänke am Marktplatz").wait_for(timeout=15_000)

    # Switching the phase changes the projector too.
    services.workshop_update(actor=werkstatt["coordinator"], workshop=workshop, current_phase="fantasy")
    screen.locator(".ws-present__empty").wait_for(timeout=15_000)
    assert len(projector.visited) == loads, "the presentation page must not reload"
    assert screen.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_workshop_pages_are_accessible_and_keyboard_operable(new_session, werkstatt):
    from daks.workshops import services
    from daks.workshops.models import Support

    workshop = werkstatt["workshop"]
    coordinator = werkstatt["coordinator"]
    cluster = services.cluster_create(actor=coordinator, workshop=workshop, phase="critique", title="Verkehr")
    idea = workshop.ideas.get()
    services.idea_set_cluster(actor=coordinator, idea=idea, cluster=cluster)
    services.idea_create(workshop=workshop, phase="realisation", text="Bürgerbus am Samstag", author=coordinator)
    services.idea_create(workshop=workshop, phase="fantasy", text="Wartet auf Freigabe", status="pending")
    hidden = services.idea_create(workshop=workshop, phase="fantasy", text="Werbung", status="pending")
    services.idea_moderate(idea=hidden, actor=coordinator, status="hidden", reason="Werbung für ein Geschäft")
    services.workshop_update(actor=coordinator, workshop=workshop, voting_open=True)
    process_base = f"/kommunen/werkstattdorf/prozesse/{workshop.process_id}/zukunftswerkstatt/werkstaetten"
    base = f"{process_base}/{workshop.pk}"

    session = new_session()
    session.login(coordinator)
    page = session.page
    for url in (
        f"{process_base}/",
        f"{process_base}/neu/",
        f"{base}/bearbeiten/",
        f"{base}/moderation/",
        f"{base}/praesentation/?gruppierung=cluster",
        f"{base}/",
    ):
        visit(page, url)

    # +1 with the keyboard: the button toggles aria-pressed and keeps the focus after the htmx swap.
    button = page.locator(f"#support-{idea.pk}")
    button.focus()
    page.keyboard.press("Enter")
    page.locator(f'#support-{idea.pk}[aria-pressed="true"]').wait_for()
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === 'support-{idea.pk}'")
    assert Support.objects.filter(idea=idea, user=coordinator).count() == 1

    # Edit inline: the form opens in the column with the focus in the text field; cancelling keeps the board.
    page.locator(f"#idea-{idea.pk} a[href$='/bearbeiten/']").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'TEXTAREA'")
    from .helpers import assert_accessible

    assert_accessible(page, what="board with an idea being edited")
    page.keyboard.press("Control+A")
    page.keyboard.type("Der Bus fährt sonntags nie")
    page.locator(f"#idea-{idea.pk} button[type=submit]").first.click()
    page.locator(f"#idea-{idea.pk}", has_text="Der Bus fährt sonntags nie").wait_for()
    page.wait_for_function(f"() => document.activeElement && document.activeElement.closest('#idea-{idea.pk}')")
