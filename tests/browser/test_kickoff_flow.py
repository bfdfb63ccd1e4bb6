"""End to end: a coordinator plans the Kick-Off and invites an actor, who answers through the RSVP link
without an account; a colleague adds SWOT entries with the keyboard alone; the profile is exported as PDF."""

import datetime as dt
import io

import pytest

from daks.municipalities.models import Role
from tests.factories import MembershipFactory, MunicipalityFactory

from .helpers import assert_accessible, link_from_mail, submit, visit
from .test_keyboard import tab_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ACTOR_EMAIL = "beirat@senioren.example"


@pytest.fixture
def kommune():
    from daks.strategy.models import Actor, StrategyProcess

    coordination = MembershipFactory(
        municipality=MunicipalityFactory(name="Auftaktstadt", slug="auftaktstadt"), role=Role.COORDINATION
    )
    municipality = coordination.municipality
    colleague = MembershipFactory(municipality=municipality, role=Role.CONTRIBUTOR)
    process = StrategyProcess.objects.create(
        municipality=municipality, title="Auftaktstadt 2040", start_date=dt.date(2026, 9, 1)
    )
    Actor.objects.create(
        municipality=municipality,
        name="Seniorenbeirat",
        email=ACTOR_EMAIL,
        contact_consent=True,
        consent_date=dt.date(2026, 9, 1),
        influence=2,
        interest=5,
    )
    return {"process": process, "coordinator": coordination.user, "colleague": colleague.user}


def add_swot_entry_by_keyboard(page, quadrant: str, text: str):
    """Open the quadrant's add form from its summary, type the statement and submit — keys only."""
    page.locator(f"#quadrant-{quadrant} summary").focus()
    page.keyboard.press("Enter")
    tab_until(page, lambda el: el["tag"] == "textarea" and el["name"].endswith("-text"), limit=5)
    page.keyboard.type(text)
    tab_until(page, lambda el: el["tag"] == "button" and el["type"] == "submit", limit=15)
    page.keyboard.press("Enter")
    page.locator(f"#quadrant-{quadrant} .swot-item", has_text=text).wait_for()
    # The focus returns to the quadrant's add form (ready for the next entry), never to <body>.
    page.wait_for_function(
        "(q) => document.activeElement && document.getElementById('quadrant-' + q).contains(document.activeElement)",
        arg=quadrant,
    )


def test_kickoff_rsvp_swot_and_export(new_session, kommune, tmp_path):
    from daks.meetings.models import MeetingInvitation, Rsvp
    from daks.profile.models import SwotItem

    process = kommune["process"]
    base = f"/kommunen/auftaktstadt/prozesse/{process.pk}"

    # 1. The coordinator plans the Kick-Off meeting from the step page.
    coordinator = new_session()
    coordinator.login(kommune["coordinator"])
    page = coordinator.page
    visit(page, f"{base}/kick-off/")
    with page.expect_navigation():
        page.get_by_role("link", name="Treffen zu diesem Schritt planen").click()
    assert_accessible(page, what="new meeting form")
    form = page.locator("main form").first
    form.get_by_label("Titel").fill("Auftaktveranstaltung Auftaktstadt 2040")
    form.get_by_label("Beginn").fill("2026-12-10T18:00")
    form.get_by_label("Ende").fill("2026-12-10T20:30")
    form.get_by_label("Ort").fill("Rathaus, Großer Sitzungssaal")
    submit(page, "main form")
    assert_accessible(page, what="meeting detail")
    assert "Auftaktveranstaltung Auftaktstadt 2040" in page.locator("h1").inner_text()

    agenda = page.locator("form[action$='/tagesordnung/']")
    agenda.get_by_label("Tagesordnungspunkt").fill("Begrüßung durch die Bürgermeisterin")
    submit(page, "form[action$='/tagesordnung/']")
    assert_accessible(page, what="meeting with agenda")
    assert page.get_by_text("Begrüßung durch die Bürgermeisterin").count() >= 1

    page.locator("form[action$='/einladen/']").get_by_label("Seniorenbeirat").check()
    submit(page, "form[action$='/einladen/']")
    assert_accessible(page, what="meeting with guest list")
    submit(page, "form[action$='/einladungen/senden/'] >> nth=0")
    assert_accessible(page, what="meeting after sending invitations")

    # 2. The actor answers through the link in the invitation mail — no account, no login.
    rsvp_path = link_from_mail(ACTOR_EMAIL, r"^/zusage/")
    guest = new_session()
    visit(guest.page, rsvp_path)
    with guest.page.expect_navigation():
        guest.page.get_by_role("button", name="Ja, ich nehme teil").click()
    assert_accessible(guest.page, what="RSVP answered")
    invitation = MeetingInvitation.objects.get(email=ACTOR_EMAIL)
    assert invitation.rsvp == Rsvp.YES and invitation.responded_at is not None

    visit(page, page.url.split("#")[0])
    guests = page.locator("#einladungen table")
    assert "ja" in guests.locator("tr", has_text="Seniorenbeirat").locator(".badge").inner_text()

    # 3. A colleague fills the SWOT board with the keyboard alone.
    colleague = new_session()
    colleague.login(kommune["colleague"])
    board = colleague.page
    visit(board, f"{base}/kommunalprofil/swot/")
    add_swot_entry_by_keyboard(board, "strength", "Lebendige Vereinslandschaft")
    add_swot_entry_by_keyboard(board, "threat", "Fachkräftemangel in der Pflege")
    assert_accessible(board, what="SWOT board after adding entries")
    assert set(SwotItem.objects.filter(process=process).values_list("quadrant", "text")) == {
        ("strength", "Lebendige Vereinslandschaft"),
        ("threat", "Fachkräftemangel in der Pflege"),
    }

    # 4. The colleague exports the Kommunalprofil as PDF; the file holds the team's SWOT entries.
    visit(board, f"{base}/kommunalprofil/export/")
    with board.expect_download() as download_info:
        board.locator("main a[href$='.pdf']").first.click()
    target = tmp_path / "kommunalprofil.pdf"
    download_info.value.save_as(target)
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "Auftaktstadt" in text
    assert "Lebendige Vereinslandschaft" in text and "Fachkräftemangel in der Pflege" in text
