"""End to end through the Werkstattplan: a coordinator sets a goal and a measure that serves it, moves the measure
on the kanban with the keyboard alone, and exports the plan as PDF and the measures as XLSX."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest

from daks.municipalities.models import Role
from tests.factories import MembershipFactory, MunicipalityFactory

from .helpers import assert_accessible, submit, visit
from .test_keyboard import FOCUSED, tab_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

KOMMUNE = "Planstadt"
GOAL = "Mehr Mittagstischplätze für Ältere"
MEASURE = "Mittagstisch im Bürgerhaus"
FIELD = "Leben im Alter"


@pytest.fixture
def kommune():
    from daks.profile.models import FieldOfAction
    from daks.strategy import services as strategy_services

    coordination = MembershipFactory(
        municipality=MunicipalityFactory(name=KOMMUNE, slug="planstadt"),
        role=Role.COORDINATION,
        user__name="Paula Planer",
    )
    municipality = coordination.municipality
    process = strategy_services.process_create(
        actor=coordination.user,
        municipality=municipality,
        title="Demografiestrategie 2040",
        start_date=dt.date(2026, 3, 1),
        coordinators=[coordination.user],
    )
    FieldOfAction.objects.create(process=process, municipality=municipality, title=FIELD, priority=1)
    return {"process": process, "coordinator": coordination.user}


def labelled(scope, text: str):
    """The control whose German label is ``text`` (ignoring the “required” mark after it)."""
    return scope.get_by_label(re.compile(rf"^{re.escape(text)}(?:\s*\*?\s*\(Pflichtfeld\))?$"))


def step_page(page, label: str, *, what: str):
    """Follow a link of the step's page navigation and check the page that opens."""
    with page.expect_navigation():
        page.get_by_role("navigation", name="Seiten des Schritts").get_by_role("link", name=label, exact=True).click()
    assert_accessible(page, what=what)


def download(page, fmt: str, target):
    """Press the export's “Herunterladen” button and save the file that comes back."""
    with page.expect_download() as download_info:
        page.locator(f"main form[action$='/exporte/{fmt}/'] button[type=submit]").click()
    download_info.value.save_as(target)
    return target.read_bytes()


def test_goal_measure_kanban_by_keyboard_and_export(new_session, kommune, tmp_path):
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    from daks.plans.models import Goal, Measure, MeasureStatus

    process = kommune["process"]
    coordinator = new_session()
    coordinator.login(kommune["coordinator"])
    page = coordinator.page

    # 1. A goal with an own indicator, its baseline and its target.
    visit(page, f"/kommunen/planstadt/prozesse/{process.pk}/werkstattplan/ziele/")
    assert "Ziele" in page.locator("h1").inner_text()
    form = page.locator("main form[action$='/ziele/neu/']")
    labelled(form, "Handlungsfeld").select_option(label=FIELD)
    labelled(form, "Ziel").fill(GOAL)
    labelled(form, "Oder eigener Indikator").fill("Mittagstischplätze")
    labelled(form, "Einheit").fill("Plätze")
    labelled(form, "Ausgangswert").fill("40")
    labelled(form, "Ausgangsjahr").fill("2025")
    labelled(form, "Zielwert").fill("120")
    labelled(form, "Zieljahr").fill("2030")
    submit(page, "main form[action$='/ziele/neu/']")
    assert_accessible(page, what="goals page after adding a goal")
    assert page.get_by_text("Das Ziel wurde hinzugefügt.").count() == 1
    goal = Goal.objects.get(plan__process=process)
    assert (goal.title, goal.indicator_name, goal.unit) == (GOAL, "Mittagstischplätze", "Plätze")
    assert (goal.baseline_value, goal.baseline_year, goal.target_value, goal.target_year) == (
        Decimal("40"),
        2025,
        Decimal("120"),
        2030,
    )
    row = page.locator(f"#goal-{goal.pk}")
    assert GOAL in row.inner_text() and "Mittagstischplätze (Plätze)" in row.inner_text()

    # 2. A measure serving the goal, from the measures table's “Neue Maßnahme”; it opens on its own page.
    step_page(page, "Maßnahmen", what="measures table")
    with page.expect_navigation():
        page.get_by_role("link", name="Neue Maßnahme", exact=True).click()
    assert_accessible(page, what="new measure form")
    form = page.locator("main form")
    labelled(form, "Titel").fill(MEASURE)
    labelled(form, "Handlungsfeld").select_option(label=FIELD)
    form.get_by_role("group", name="Unterstützte Ziele").get_by_label(GOAL, exact=False).check()
    labelled(form, "Verantwortliche Person").select_option(label="Paula Planer")
    labelled(form, "Beginn").fill("2026-05-01")  # <input type=date> takes ISO dates whatever the locale
    labelled(form, "Ende").fill("2027-12-31")
    labelled(form, "Eigenmittel (EUR)").fill("1500.00")  # <input type=number>
    labelled(form, "Status").select_option(label="Geplant")
    submit(page, "main form")
    assert_accessible(page, what="measure detail")
    measure = Measure.objects.get(plan__process=process)
    assert page.url.endswith(f"/werkstattplan/massnahmen/{measure.pk}/"), page.url
    assert MEASURE in page.locator("h1").inner_text()
    assert page.get_by_text("Die Maßnahme wurde hinzugefügt.").count() == 1
    assert (measure.status, measure.budget_own) == (MeasureStatus.PLANNED, Decimal("1500.00"))
    assert (measure.start_date, measure.end_date) == (dt.date(2026, 5, 1), dt.date(2027, 12, 31))
    assert measure.responsible_person == kommune["coordinator"]
    assert list(measure.goals.all()) == [goal]
    facts = page.locator(".plan-facts").inner_text()
    assert "Geplant" in facts and "Paula Planer" in facts and "01.05.2026 – 31.12.2027" in facts, facts
    assert "1.500 EUR" in facts, facts
    assert GOAL in page.locator("main").inner_text()

    # 3. On the kanban the card moves from “Geplant” to “In Arbeit” — keys only.
    with page.expect_navigation():
        page.get_by_role("link", name="Alle Maßnahmen", exact=True).click()
    assert_accessible(page, what="measures table with the new measure")
    step_page(page, "Kanban", what="kanban")
    card = f"#card-{measure.pk}"
    assert page.locator(f"section[aria-labelledby='column-planned'] {card}").count() == 1
    page.locator(f"{card} h3 a").focus()
    tab_until(page, lambda el: el["tag"] == "select" and el["id"] == f"move-{measure.pk}", limit=3)
    page.keyboard.press("ArrowDown")  # Geplant → In Arbeit (the next status)
    assert page.locator(f"#move-{measure.pk}").input_value() == MeasureStatus.IN_PROGRESS
    tab_until(page, lambda el: el["tag"] == "button" and el["text"].startswith("Verschieben"), limit=3)
    page.keyboard.press("Enter")
    page.locator(f"section[aria-labelledby='column-in_progress'] {card}").wait_for()
    assert page.locator(f"section[aria-labelledby='column-planned'] {card}").count() == 0
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IN_PROGRESS
    # The swap replaced the board; the focus is back on the moved card (its move button), not on <body>.
    try:
        page.wait_for_function(
            "(id) => document.activeElement && document.getElementById(id).contains(document.activeElement)",
            arg=f"card-{measure.pk}",
            timeout=5_000,
        )
    except PlaywrightTimeoutError:
        pytest.fail(f"after the move the focus is on {page.evaluate(FOCUSED) or '<body>'}, not on the moved card")
    focused = page.evaluate(FOCUSED)
    assert focused is not None and focused["tag"] == "button", focused
    # The visually hidden live region announces the move.
    announced = page.locator("#kanban [role=status]").text_content().strip()
    assert announced == f"„{MEASURE}“ wurde nach „In Arbeit“ verschoben.", announced
    assert_accessible(page, what="kanban after the keyboard move")

    # 4. Export: the plan as PDF and the measures as a spreadsheet.
    step_page(page, "Export", what="export page")
    from pypdf import PdfReader

    pdf = download(page, "pdf", tmp_path / "werkstattplan.pdf")
    assert pdf.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert KOMMUNE in text  # the process is called “Demografiestrategie 2040”: this is the Kommune's name
    assert MEASURE in text
    assert GOAL in text

    from openpyxl import load_workbook

    xlsx = download(page, "xlsx", tmp_path / "massnahmen.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    headers = rows[0]
    assert headers[:3] == ["Nr.", "Handlungsfeld", "Maßnahme"], headers
    (row,) = [r for r in rows[1:] if r[headers.index("Maßnahme")] == MEASURE]
    assert row[headers.index("Status")] == "In Arbeit"
    assert row[headers.index("Verantwortliche Person")] == "Paula Planer"
    assert row[headers.index("Eigenmittel (EUR)")] == 1500
    assert row[headers.index("Beginn")].date() == dt.date(2026, 5, 1)
    assert GOAL in row[headers.index("Ziele")]
