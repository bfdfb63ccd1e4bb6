"""Exports of the plan: each format opened and checked; direct and background (worker) paths; roles and tenancy."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from daks.plans import export_tasks, exports

from .factories import FieldOfActionFactory, GoalFactory, MeasureFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def content(plan, coordinator):
    plan.vision = "Musterstadt bleibt lebendig."
    plan.introduction = "Der demografische Wandel."
    plan.save()
    housing = FieldOfActionFactory(process=plan.process, title="Wohnen im Alter", priority=1)
    care = FieldOfActionFactory(process=plan.process, title="Pflege", priority=2)
    goal = GoalFactory(
        plan=plan, field_of_action=housing, title="Mehr barrierefreie Wohnungen", indicator_name="Wohnungen",
        unit="Wohnungen", baseline_value=Decimal("120"), baseline_year=2024, target_value=Decimal("200"),
        target_year=2030,
    )  # fmt: skip
    measure = MeasureFactory(
        plan=plan, field_of_action=housing, title="Wohnberatung einrichten", description="Im Rathaus.",
        responsible_unit="Sozialamt", responsible_person=coordinator, target_groups=["seniors"],
        start_date=datetime.date(2026, 4, 1), end_date=datetime.date(2027, 3, 31),
        budget_own=Decimal("1234.50"), budget_third_party=Decimal("5000"), budget_secured=Decimal("1000"),
        progress=30, goals=[goal],
    )  # fmt: skip
    MilestoneFactory(measure=measure, title="Konzept fertig", due_date=datetime.date(2026, 9, 30))
    MeasureFactory(plan=plan, field_of_action=care, title="Pflegestützpunkt", budget_own=Decimal("0"))
    plan.process.municipality = plan.municipality
    plan.process = plan.process
    return plan


def _document(plan):
    plan = type(plan).objects.select_related("municipality", "process").get(pk=plan.pk)
    return exports.plan_document(plan=plan, today=datetime.date(2026, 6, 1))


def test_document_is_numbered(content):
    document = _document(content)
    assert [(m["number"], m["title"]) for m in document.measures] == [
        ("1.2.1", "Wohnberatung einrichten"),
        ("2.2.1", "Pflegestützpunkt"),
    ]
    assert document.goals[0]["number"] == "1.1.1"
    assert document.measures[0]["goal_refs"] == ["1.1.1 Mehr barrierefreie Wohnungen"]


def test_pdf(content, municipality):
    from pypdf import PdfReader

    municipality.logo.save("logo.png", io.BytesIO(PNG))
    with translation.override("de"):
        filename, mimetype, data = exports.PlanPdfExporter().render(_document(content))
    assert mimetype == "application/pdf" and filename.endswith(".pdf") and filename.startswith("werkstattplan-")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("Musterstadt 2040", "Wohnberatung einrichten", "1.2.1", "2.2.1 Pflegestützpunkt",
                     "Mehr barrierefreie Wohnungen", "Konzept fertig", "Sozialamt", "1.234,50"):  # fmt: skip
        assert expected in text, expected
    assert len(reader.pages) >= 4  # cover, contents, chapters, timeline
    html = exports.PlanPdfExporter().html(_document(content))
    assert "data:image/png;base64," in html  # the logo is embedded, never fetched
    assert 'role="img"' in html  # the timeline chart


def test_odt(content):
    from odf.opendocument import load

    with translation.override("de"):
        filename, mimetype, data = exports.PlanOdtExporter().render(_document(content))
    assert filename.endswith(".odt") and mimetype == "application/vnd.oasis.opendocument.text"
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    text = str(load(io.BytesIO(data)).text)
    for expected in ("Wohnberatung einrichten", "1.2.1", "Konzept fertig", "Pflegestützpunkt", "2.2.1"):
        assert expected in text, expected


def test_docx(content):
    import docx

    with translation.override("de"):
        filename, mimetype, data = exports.PlanDocxExporter().render(_document(content))
    assert filename.endswith(".docx") and "wordprocessingml" in mimetype
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "1.2.1 Wohnberatung einrichten" in text and "2.2.1 Pflegestützpunkt" in text
    assert "Konzept fertig" in text and "1.1.1" in cells and "Mehr barrierefreie Wohnungen" in cells
    assert any(p.style.name.startswith("Heading") for p in document.paragraphs)


def test_xlsx(content):
    from openpyxl import load_workbook

    with translation.override("de"):
        filename, _mimetype, data = exports.MeasuresXlsxExporter().render(_document(content))
        headers = exports.measure_headers()
    assert filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == headers
    row = {headers[index]: cell for index, cell in enumerate(sheet[2])}
    assert row[headers[0]].value == "1.2.1"
    assert row[headers[2]].value == "Wohnberatung einrichten"
    own = sheet.cell(row=2, column=exports.MONEY_COLUMNS[0] + 1)
    assert own.value == 1234.5 and own.number_format == '#,##0.00 "€"'
    start = sheet.cell(row=2, column=exports.DATE_COLUMNS[0] + 1)
    assert start.value.date() == datetime.date(2026, 4, 1) and start.number_format == "DD.MM.YYYY"
    assert sheet.cell(row=2, column=exports.PROGRESS_COLUMN + 1).value == 30
    assert sheet.max_row == 3


def test_csv(content):
    with translation.override("de"):
        filename, mimetype, data = exports.MeasuresCsvExporter().render(_document(content))
        headers = exports.measure_headers()
    assert filename.endswith(".csv") and mimetype.startswith("text/csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == headers and len(rows) == 3
    assert rows[1][0] == "1.2.1" and rows[1][9] == "01.04.2026" and rows[1][14] == "1234,50"
    assert rows[1][16] == "6234,50"


# --- Views ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "contributor", "reader"])
def test_members_export_small_plans_directly(request, login, content, plan_url, role):
    client = login(request.getfixturevalue(role))
    assert client.get(plan_url("plans:export")).status_code == 200
    response = client.post(plan_url("plans:export_start", fmt="csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="massnahmen-')
    assert "Wohnberatung einrichten" in response.content.decode("utf-8-sig")


def test_unknown_format_is_404(login, coordinator, content, plan_url):
    assert login(coordinator).post(plan_url("plans:export_start", fmt="exe")).status_code == 404


def test_export_start_needs_post(login, coordinator, content, plan_url):
    assert login(coordinator).get(plan_url("plans:export_start", fmt="csv")).status_code == 405


def test_large_plans_are_exported_by_the_worker(login, reader, content, plan_url, monkeypatch):
    monkeypatch.setattr(exports, "LARGE_PLAN", 1)
    client = login(reader)
    assert 'class="notice"' in client.get(plan_url("plans:export")).content.decode()  # "prepared in the background"
    response = client.post(plan_url("plans:export_start", fmt="xlsx"))
    assert response.status_code == 302
    token = response.url.rstrip("/").split("/")[-1]
    job = export_tasks.job_status(token)
    assert job["status"] == export_tasks.DONE and job["percent"] == 100  # the test backend runs tasks at once
    page = client.get(response.url)
    html = page.content.decode()
    download = plan_url("plans:export_download", token=token)
    assert download in html and "hx-trigger" not in html  # finished: no more polling
    file_response = client.get(download)
    assert file_response.status_code == 200 and file_response["Content-Disposition"].endswith('.xlsx"')


def test_progress_page_polls_while_running(login, coordinator, content, plan_url, monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # the worker has not run
    plan = content
    token = export_tasks.export_start(plan=plan, user=coordinator, identifier="pdf")
    client = login(coordinator)
    url = plan_url("plans:export_job", token=token)
    html = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in html and 'http-equiv="refresh"' in html and "<progress" in html
    assert client.get(plan_url("plans:export_download", token=token)).status_code == 404  # not ready
    progress = []
    original = export_tasks._update

    def record(job_token, **changes):
        progress.append(changes.get("percent"))
        original(job_token, **changes)

    monkeypatch.setattr(export_tasks, "_update", record)
    export_tasks.export_plan_task.call(token)
    assert progress[0] == 5 and progress[-1] == 100 and progress == sorted(p for p in progress if p is not None)
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and plan_url("plans:export_download", token=token) in partial


def test_jobs_belong_to_their_kommune_and_plan(login, coordinator, outsider, content, other_plan, plan_url):
    token = export_tasks.export_start(plan=other_plan, user=outsider, identifier="csv")
    client = login(coordinator)
    assert client.get(plan_url("plans:export_job", token=token)).status_code == 404
    assert client.get(plan_url("plans:export_download", token=token)).status_code == 404
    assert client.get(plan_url("plans:export_job", token="nichtda")).status_code == 404


def test_tenancy(client, login, outsider, coordinator, content, plan_url, municipality, other_plan):
    assert client.get(plan_url("plans:export")).status_code in (302, 404)
    assert login(outsider).get(plan_url("plans:export")).status_code == 404
    assert login(outsider).post(plan_url("plans:export_start", fmt="csv")).status_code == 404
    url = reverse("plans:export", args=[municipality.slug, other_plan.process_id, "werkstattplan"])
    assert login(coordinator).get(url).status_code == 404
