"""Import of measures from XLSX/CSV: template, file checks, mapping, validation report, all-or-nothing."""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from daks.plans import importer
from daks.plans.models import Measure, MeasureStatus, Priority, TargetGroup

from .factories import FieldOfActionFactory, GoalFactory

pytestmark = pytest.mark.django_db

HEADER = [heading for _key, heading, _required in importer.COLUMNS]


@pytest.fixture
def fields(plan):
    return {
        "wohnen": FieldOfActionFactory(process=plan.process, title="Wohnen", priority=1),
        "pflege": FieldOfActionFactory(process=plan.process, title="Pflege und Gesundheit", priority=2),
    }


@pytest.fixture
def goal(plan, fields):
    return GoalFactory(plan=plan, field_of_action=fields["wohnen"], title="Mehr barrierefreie Wohnungen")


def _row(**values):
    defaults = {"Handlungsfeld": "Wohnen", "Titel": "Wohnberatung"}
    merged = {**defaults, **values}
    return [merged.get(heading, "") for heading in HEADER]


def _csv(rows, *, delimiter=";", encoding="cp1252", header=HEADER) -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(f'"{cell}"' if cell else "" for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _xlsx(rows, header=HEADER) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _validate(plan, table):
    return importer.validate_rows(plan=plan, table=table, mapping=importer.guess_mapping(table[0]))


# --- Values -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.234,50", Decimal("1234.50")),
        ("1234,5", Decimal("1234.5")),
        ("1.234", Decimal("1234")),
        ("1.234.567", Decimal("1234567")),
        ("1,234.50", Decimal("1234.50")),
        ("1234.50", Decimal("1234.50")),
        ("12.000 €", Decimal("12000")),
        ("-5", Decimal("-5")),
        ("", None),
        (1500, Decimal("1500")),
        (99.5, Decimal("99.5")),
    ],
)
def test_parse_decimal(raw, expected):
    assert importer.parse_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["zwölf", "1,2,3.4.5x", "1e5", "--3"])
def test_parse_decimal_refuses_nonsense(raw):
    with pytest.raises(ValueError):
        importer.parse_decimal(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("24.11.2026", datetime.date(2026, 11, 24)),
        ("2026-11-24", datetime.date(2026, 11, 24)),
        ("1.2.2026", datetime.date(2026, 2, 1)),
        ("24.11.26", datetime.date(2026, 11, 24)),
        (46350, datetime.date(2026, 11, 24)),
        ("", None),
    ],
)
def test_parse_date(raw, expected):
    assert importer.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["31.02.2026", "2026-13-01", "morgen", 12])
def test_parse_date_refuses_impossible_dates(raw):
    with pytest.raises(ValueError):
        importer.parse_date(raw)


def test_guess_mapping_by_heading():
    mapping = importer.guess_mapping(["Nr.", "Maßnahme", "Handlungsfeld", "Zuständige Stelle", "E-Mail", "Start"])
    assert mapping["title"] == 1
    assert mapping["field_of_action"] == 2
    assert mapping["responsible_unit"] == 3
    assert mapping["responsible_person"] == 4
    assert mapping["start_date"] == 5
    assert mapping["status"] is None
    assert importer.guess_mapping(HEADER) == {key: index for index, (key, _h, _r) in enumerate(importer.COLUMNS)}


# --- Template -----------------------------------------------------------------------------------


def test_templates_have_the_german_headings(plan, fields):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(importer.template_xlsx(plan)))
    assert [cell.value for cell in workbook["Maßnahmen"][1]] == HEADER
    notes = " ".join(str(cell.value) for row in workbook["Hinweise"].iter_rows() for cell in row)
    from django.utils import translation

    with translation.override("de"):
        planned = str(MeasureStatus.PLANNED.label)
    assert "Pflege und Gesundheit" in notes and planned in notes
    csv_text = importer.template_csv().decode("utf-8-sig")
    assert csv_text.strip() == ";".join(HEADER)
    assert HEADER[:5] == [
        "Handlungsfeld",
        "Titel",
        "Beschreibung",
        "Verantwortliche Stelle",
        "Verantwortliche Person (E-Mail)",
    ]


def test_template_defuses_formulas_in_titles(plan):
    from openpyxl import load_workbook

    FieldOfActionFactory(process=plan.process, title='=HYPERLINK("http://evil")', priority=1)
    workbook = load_workbook(io.BytesIO(importer.template_xlsx(plan)))
    cells = [cell for row in workbook["Hinweise"].iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)


def test_template_download(login, reader, plan_url, plan):
    client = login(reader)
    response = client.get(plan_url("plans:import_template", fmt="xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == importer.XLSX_MIME
    assert response.content.startswith(b"PK")
    response = client.get(plan_url("plans:import_template", fmt="csv"))
    assert response.content.decode("utf-8-sig").startswith("Handlungsfeld;Titel")
    assert client.get(plan_url("plans:import_template", fmt="pdf")).status_code == 404


# --- Reading files ------------------------------------------------------------------------------


def test_read_cp1252_semicolon_csv():
    content = _csv([_row(Titel="Begegnungsstätte für Ältere", Eigenmittel="1.234,50")])
    table = importer.read_table(_upload(content, "massnahmen.csv"))
    assert table[0] == HEADER
    assert table[1][1] == "Begegnungsstätte für Ältere"


def test_read_utf8_comma_csv_with_bom():
    content = "\ufeff".encode() + _csv([_row(Titel="Größere Räume")], delimiter=",", encoding="utf-8")
    table = importer.read_table(_upload(content, "massnahmen.csv"))
    assert table[0] == HEADER
    assert table[1][1] == "Größere Räume"


def test_read_xlsx_keeps_numbers_and_dates():
    row = _row(Beginn=datetime.date(2026, 4, 1), Eigenmittel=1234.5, Fortschritt=30)
    table = importer.read_table(_upload(_xlsx([row]), "plan.xlsx"))
    assert table[1][HEADER.index("Beginn")] == "2026-04-01"
    assert table[1][HEADER.index("Eigenmittel")] == 1234.5
    assert table[1][HEADER.index("Fortschritt")] == 30


def _zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x01<<>>", "massnahmen.csv"),  # a PDF named .csv
        (b"Handlungsfeld;Titel\r\nWohnen;Beratung\r\n", "massnahmen.xlsx"),  # text named .xlsx
        (_zip({"word/document.xml": "<w/>", "[Content_Types].xml": "<x/>"}), "massnahmen.xlsx"),  # a DOCX
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "massnahmen.csv"),  # a program
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bild.csv"),
        (b"Handlungsfeld;Titel\r\n", "massnahmen.pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "alt.xls"),
        (b"", "leer.csv"),
    ],
)
def test_disguised_or_unreadable_files_are_refused(content, name):
    with pytest.raises(importer.ImportFileError):
        importer.read_table(_upload(content, name))


def test_oversized_and_overlong_files_are_refused():
    with pytest.raises(importer.ImportFileError):
        importer.read_table(_upload(b"a;b\r\n" + b"x" * (importer.MAX_BYTES + 10), "gross.csv"))
    rows = "\r\n".join(["Handlungsfeld;Titel"] + ["Wohnen;M"] * (importer.MAX_ROWS + 1))
    with pytest.raises(importer.ImportFileError, match=str(importer.MAX_ROWS)):
        importer.read_table(_upload(rows.encode(), "lang.csv"))


# --- Validation ---------------------------------------------------------------------------------


def test_valid_rows_are_converted(plan, fields, goal, contributor):
    table = [
        HEADER,
        _row(
            Titel="Wohnberatung",
            Beschreibung="Beratung im Rathaus",
            **{"Verantwortliche Stelle": "Sozialamt", "Verantwortliche Person (E-Mail)": contributor.email.upper()},
            Beginn="01.04.2026",
            Ende="2027-03-31",
            Eigenmittel="1.234,50",
            Drittmittel="5000",
            Gesichert="1.000",
            Förderprogramm="Altersgerecht Umbauen",
            Priorität="high",
            Status="in_progress",
            Fortschritt="30 %",
            Zielgruppen="seniors, families",
            Ziele="mehr barrierefreie wohnungen",
        ),
        ["", "", ""],  # empty rows are skipped
        _row(Handlungsfeld="2", Titel="Pflegelotsen"),
    ]
    report = _validate(plan, table)
    assert report.ok, report.errors
    first, second = report.rows
    assert first.number == 2 and second.number == 4
    data = first.data
    assert data["field_of_action"] == fields["wohnen"]
    assert data["responsible_person"] == contributor
    assert (data["start_date"], data["end_date"]) == (datetime.date(2026, 4, 1), datetime.date(2027, 3, 31))
    assert (data["budget_own"], data["budget_third_party"], data["budget_secured"]) == (
        Decimal("1234.50"),
        Decimal("5000"),
        Decimal("1000"),
    )
    assert (data["priority"], data["status"], data["progress"]) == (Priority.HIGH, MeasureStatus.IN_PROGRESS, 30)
    assert data["target_groups"] == [TargetGroup.SENIORS, TargetGroup.FAMILIES]
    assert data["goals"] == [goal]
    assert second.data["field_of_action"] == fields["pflege"]
    assert (second.data["status"], second.data["priority"]) == (MeasureStatus.IDEA, Priority.MEDIUM)


def test_choice_labels_are_accepted_in_german(plan, fields):
    from django.utils import translation

    with translation.override("de"):
        status_label, priority_label = str(MeasureStatus.PLANNED.label), str(Priority.LOW.label)
    report = _validate(plan, [HEADER, _row(Status=status_label.upper(), Priorität=priority_label)])
    assert report.ok, report.errors
    assert report.rows[0].data["status"] == MeasureStatus.PLANNED
    assert report.rows[0].data["priority"] == Priority.LOW


def test_validation_report_lists_row_errors(plan, fields, outsider):
    table = [
        HEADER,
        _row(Titel="Gut"),
        _row(Handlungsfeld="Mobilität"),
        _row(Beginn="31.02.2026"),
        _row(Eigenmittel="-500"),
        _row(Status="erledigt irgendwie"),
        _row(**{"Verantwortliche Person (E-Mail)": outsider.email}),
        _row(Fortschritt="150"),
        _row(Titel=""),
        _row(Beginn="01.05.2026", Ende="01.04.2026"),
        _row(Zielgruppen="Katzen"),
        _row(Ziele="Unbekanntes Ziel"),
        _row(Eigenmittel="100", Gesichert="200"),
        _row(Drittmittel="12,345"),
    ]
    report = _validate(plan, table)
    assert not report.ok
    errors = report.errors
    expected_rows = {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}
    assert {int(message.split()[1].rstrip(":")) for message in errors} == expected_rows
    by_row = {int(message.split()[1].rstrip(":")): message for message in errors}
    assert "Mobilität" in by_row[3]
    assert "31.02.2026" in by_row[4]
    assert "erledigt irgendwie" in by_row[6]
    assert outsider.email in by_row[7]


def test_required_columns_must_be_mapped(plan, fields):
    mapping = importer.guess_mapping(HEADER)
    mapping["field_of_action"] = None
    report = importer.validate_rows(plan=plan, table=[HEADER, _row()], mapping=mapping)
    assert report.mapping_errors and not report.ok
    mapping = importer.guess_mapping(HEADER)
    mapping["description"] = mapping["title"]
    assert importer.validate_rows(plan=plan, table=[HEADER, _row()], mapping=mapping).mapping_errors


# --- Import -------------------------------------------------------------------------------------


def test_import_creates_all_measures(plan, fields, goal, contributor):
    report = _validate(
        plan, [HEADER, _row(Titel="A", Ziele=goal.title), _row(Titel="B", Handlungsfeld="Pflege und Gesundheit")]
    )
    created = importer.measures_import(plan=plan, user=contributor, rows=report.rows, filename="liste.csv")
    assert [measure.title for measure in created] == ["A", "B"]
    assert list(created[0].goals.all()) == [goal]
    assert created[0].created_by == contributor
    from daks.core.models import AuditLogEntry

    entry = AuditLogEntry.objects.get(action="plans.measures.imported")
    assert entry.data["count"] == 2 and entry.data["process"] == plan.process_id


def test_import_is_all_or_nothing_when_the_service_refuses_a_row(plan, fields, contributor):
    report = _validate(plan, [HEADER, _row(Titel="A"), _row(Titel="B"), _row(Titel="C")])
    report.rows[2].data["title"] = ""  # the service refuses it
    with pytest.raises(importer.ImportRowsError) as caught:
        importer.measures_import(plan=plan, user=contributor, rows=report.rows)
    assert re.match(r"^(Row|Zeile) 4: ", caught.value.errors[0])
    assert not Measure.objects.exists()


def test_import_refuses_rows_with_errors(plan, fields, contributor):
    report = _validate(plan, [HEADER, _row(Titel="A"), _row(Beginn="31.02.2026")])
    with pytest.raises(importer.ImportRowsError):
        importer.measures_import(plan=plan, user=contributor, rows=report.rows)
    assert not Measure.objects.exists()


# --- Pages --------------------------------------------------------------------------------------


def _upload_via_page(client, plan_url, content, name):
    response = client.post(plan_url("plans:import"), {"file": _upload(content, name)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def _mapping_post(action="preview", header=HEADER):
    mapping = importer.guess_mapping(header)
    data = {key: "" if index is None else str(index) for key, index in mapping.items()}
    return {**data, "action": action}


def test_import_flow_with_cp1252_csv(login, contributor, plan_url, plan, fields):
    client = login(contributor)
    assert client.get(plan_url("plans:import")).status_code == 200
    content = _csv([_row(Titel="Begegnungsstätte", Eigenmittel="1.234,50", Beginn="24.11.2026"), _row(Titel="Zweite")])
    mapping_url = _upload_via_page(client, plan_url, content, "Maßnahmen.csv")
    page = client.get(mapping_url)
    assert page.status_code == 200
    assert 'value="1" selected' in page.content.decode()  # "Titel" guessed for the title
    preview = client.post(mapping_url, _mapping_post("preview"))
    assert preview.status_code == 200
    assert "Begegnungsstätte" in preview.content.decode() and not Measure.objects.exists()
    done = client.post(mapping_url, _mapping_post("import"))
    assert done.status_code == 302 and done["Location"] == plan_url("plans:measures")
    measure = Measure.objects.get(title="Begegnungsstätte")
    assert measure.budget_own == Decimal("1234.50")
    assert measure.start_date == datetime.date(2026, 11, 24)
    assert Measure.objects.count() == 2
    assert client.get(mapping_url).status_code == 302  # the upload is gone after the import


def test_import_flow_with_xlsx(login, coordinator, plan_url, plan, fields):
    client = login(coordinator)
    row = _row(Titel="Aus Excel", Beginn=datetime.datetime(2026, 5, 1), Ende="31.12.2027", Eigenmittel=2500.75)
    mapping_url = _upload_via_page(client, plan_url, _xlsx([row]), "plan.xlsx")
    response = client.post(mapping_url, _mapping_post("import"))
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert (measure.title, measure.start_date, measure.budget_own) == (
        "Aus Excel",
        datetime.date(2026, 5, 1),
        Decimal("2500.75"),
    )


def test_import_page_reports_errors_and_writes_nothing(login, contributor, plan_url, plan, fields):
    client = login(contributor)
    content = _csv([_row(Titel="Gut"), _row(Titel="Schlecht", Beginn="31.02.2026")], delimiter=",", encoding="utf-8")
    mapping_url = _upload_via_page(client, plan_url, content, "liste.csv")
    response = client.post(mapping_url, _mapping_post("import"))
    assert response.status_code == 400
    text = response.content.decode()
    assert re.search(r"(Row|Zeile) 3: .*31\.02\.2026", text)
    assert not Measure.objects.exists()


def test_disguised_upload_is_refused_on_the_page(login, contributor, plan_url, plan):
    response = login(contributor).post(
        plan_url("plans:import"), {"file": _upload(b"%PDF-1.4\n\x00\x01\x02", "liste.csv")}
    )
    assert response.status_code == 400
    assert 'class="field__error"' in response.content.decode()


def test_reader_may_not_import(login, reader, plan_url, plan):
    client = login(reader)
    assert client.get(plan_url("plans:import")).status_code == 403
    assert client.post(plan_url("plans:import"), {"file": _upload(_csv([_row()]), "a.csv")}).status_code == 403


def test_outsider_gets_404(login, outsider, client, plan_url, plan):
    assert client.get(plan_url("plans:import")).status_code == 404
    login(outsider)
    assert client.get(plan_url("plans:import")).status_code == 404
    assert client.get(plan_url("plans:import_template", fmt="csv")).status_code == 404


def test_upload_token_is_bound_to_the_user(login, contributor, coordinator, plan_url, plan, fields, client):
    mapping_url = _upload_via_page(login(contributor), plan_url, _csv([_row()]), "a.csv")
    login(coordinator)
    response = client.post(mapping_url, _mapping_post("import"))
    assert response.status_code == 302 and response["Location"] == plan_url("plans:import")
    assert not Measure.objects.exists()
    assert client.get(plan_url("plans:import_mapping", token="a.b%2Fc")).status_code == 302
