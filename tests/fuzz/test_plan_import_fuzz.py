"""Fuzzing the import of measures into the Werkstattplan (XLSX or CSV → column mapping → validation → import).

Tables with the template's German headings (or aliases, or shuffled, or some missing) and cells mixing valid values
(fields of action, dates, amounts, statuses, team e-mails, goals) with mistakes (impossible dates, amounts with many
digits, NaN, percentages, formulas, long texts); written as CSV in several encodings or as a real XLSX workbook
(numbers, dates, booleans, percentage formats), damaged workbooks, random bytes; sometimes a random column mapping.
Property: ``importer.ImportFileError`` for unreadable files, a validation report with German messages, or
``ImportRowsError`` — and then nothing written; otherwise every row becomes a measure the database can hold.
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import event, example, given
from hypothesis import strategies as st

from daks.core.errors import DomainError
from daks.plans import importer
from daks.plans.models import Measure, Milestone, Plan
from daks.strategy import services as strategy_services
from tests.plans.factories import FieldOfActionFactory, GoalFactory

from .strategies import (
    FUZZ,
    assert_clean_message,
    assert_storable,
    cells,
    damaged_zip,
    encoded,
    isolated,
    mildly_encoded,
    mutated_lines,
    raw_bytes,
    row_counts,
)

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::UserWarning")]

HEADINGS = [heading for _key, heading, _required in importer.COLUMNS]
TEAM_EMAIL = "koordination@musterstadt.example"

VALID = {
    "Handlungsfeld": ["Wohnen", "wohnen", "1", "Pflege und Gesundheit", "2"],
    "Titel": ["Wohnberatung", "Seniorentreff", "Ä" * 300],
    "Beschreibung": ["", "Eine **Beratung** für alle.", "<script>alert(1)</script>"],
    "Verantwortliche Stelle": ["", "Sozialamt"],
    "Verantwortliche Person (E-Mail)": ["", TEAM_EMAIL, TEAM_EMAIL.upper()],
    "Beginn": ["", "01.04.2026", "2026-04-01", "1.4.26"],
    "Ende": ["", "31.12.2027", "2027-12-31"],
    "Eigenmittel": ["", "1.234,50", "1000", "0"],
    "Drittmittel": ["", "500", "1,234.50"],
    "Gesichert": ["", "0"],
    "Förderprogramm": ["", "LEADER"],
    "Priorität": ["", "hoch", "mittel", "niedrig", "high"],
    "Status": ["", "Idee", "geplant", "in Umsetzung", "abgeschlossen"],
    "Fortschritt": ["", "0", "50", "100", "50 %"],
    "Zielgruppen": ["", "Senioren", "Kinder, Jugendliche"],
    "Ziele": ["", "Mehr barrierefreie Wohnungen"],
}
MISTAKES = {
    "Handlungsfeld": ["Unbekannt", "", "99"],
    "Titel": ["", "T" * 301],
    "Verantwortliche Person (E-Mail)": ["fremd@example.org"],
    "Beginn": ["31.02.2026", "morgen", "1e400"],
    "Ende": ["01.01.2020"],
    "Eigenmittel": ["-5", "1,2345", "9" * 40, "9" * 40 + ",5", "1e12", "NaN", "Infinity"],
    "Drittmittel": ["9" * 13, "abc"],
    "Gesichert": ["999999", "100"],
    "Priorität": ["dringend"],
    "Status": ["vielleicht"],
    "Fortschritt": ["101", "-1", "50,5", "9" * 40, "NaN"],
    "Zielgruppen": ["Aliens"],
    "Ziele": ["Unbekanntes Ziel"],
}
XLSX_VALUES = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(9999, 1, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(9999, 1, 1)),
)


def column_value(heading):
    valid = st.sampled_from(VALID.get(heading, [""]))
    mistake = st.sampled_from(MISTAKES.get(heading) or [""])
    return st.sampled_from(["valid"] * 8 + ["mistake", "nasty"]).flatmap(
        lambda kind: valid if kind == "valid" else mistake if kind == "mistake" else cells
    )


@st.composite
def plan_tables(draw) -> list[list]:
    header = draw(
        st.one_of(
            st.just(list(HEADINGS)),
            st.just(["Handlungsfeld", "Titel"]),
            st.just(["Themenfeld", "Maßnahme", "Eigenanteil", "Stand", "Prio"]),
            st.permutations(HEADINGS).map(list),
            st.lists(st.sampled_from(HEADINGS), min_size=1, max_size=18),
        )
    )
    rows = []
    for _row in range(draw(st.integers(min_value=0, max_value=4))):
        rows.append([draw(column_value(heading)) for heading in header])
    return [header, *rows]


def _csv_lines(table, separator=";"):
    def quote(cell):
        cell = str(cell)
        return f'"{cell}"' if separator in cell or "\n" in cell else cell

    return [separator.join(quote(cell) for cell in row) for row in table]


@st.composite
def plan_workbooks(draw) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    table = draw(plan_tables())
    workbook = Workbook()
    sheet = workbook.active
    for number, row in enumerate(table):
        values = []
        for cell in row:
            if number and draw(st.integers(min_value=0, max_value=4)) == 0:
                cell = draw(XLSX_VALUES)
            values.append(ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell)
        sheet.append(values)
        if number and draw(st.integers(min_value=0, max_value=5)) == 0:
            sheet.cell(row=number + 1, column=1).number_format = "0.00%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


plan_files = st.one_of(
    plan_tables().map(_csv_lines).flatmap(mildly_encoded).map(lambda data: (data, "massnahmen.csv")),
    plan_tables()
    .map(_csv_lines)
    .flatmap(lambda lines: mutated_lines(lines))
    .flatmap(encoded)
    .map(lambda data: (data, "massnahmen.csv")),
    plan_tables().map(lambda table: _csv_lines(table, ",")).flatmap(encoded).map(lambda data: (data, "m.txt")),
    plan_workbooks().map(lambda data: (data, "massnahmen.xlsx")),
    plan_workbooks().flatmap(damaged_zip).map(lambda data: (data, "massnahmen.xlsx")),
    st.tuples(raw_bytes(), st.sampled_from(["a.csv", "a.xlsx", "a", "a.xls", "a.pdf"])),
)
mappings = st.one_of(
    st.none(),  # the guessed mapping, as the form proposes it
    st.dictionaries(
        st.sampled_from([key for key, _heading, _required in importer.COLUMNS]),
        st.one_of(st.none(), st.integers(min_value=-2, max_value=20)),
    ),
)


@pytest.fixture
def plan(municipality, coordinator):
    coordinator.email = TEAM_EMAIL
    coordinator.save()
    process = strategy_services.process_create(
        actor=coordinator,
        municipality=municipality,
        title="Musterstadt 2040",
        start_date=datetime.date(2026, 3, 1),
        coordinators=[coordinator],
    )
    plan, _created = Plan.objects.get_or_create(process=process, defaults={"municipality": municipality})
    wohnen = FieldOfActionFactory(process=process, title="Wohnen", priority=1)
    FieldOfActionFactory(process=process, title="Pflege und Gesundheit", priority=2)
    GoalFactory(plan=plan, field_of_action=wohnen, title="Mehr barrierefreie Wohnungen")
    return plan


HUGE_AMOUNT = "Handlungsfeld;Titel;Eigenmittel\nWohnen;Wohnberatung;" + "9" * 40 + "\n"


@FUZZ
@given(file=plan_files, mapping=mappings)
@example(file=(HUGE_AMOUNT.encode(), "massnahmen.csv"), mapping=None)
@example(file=(HUGE_AMOUNT.replace("9" * 40, "9" * 40 + ",5").encode(), "massnahmen.csv"), mapping=None)
def test_plan_import_refuses_cleanly_and_writes_nothing(plan, coordinator, file, mapping):
    data, name = file
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    with isolated():
        before = row_counts(Measure, Milestone)
        try:
            table = importer.read_table(upload)
            if mapping is None:
                mapping = importer.guess_mapping([str(cell) for cell in table[0]])
            report = importer.validate_rows(plan=plan, table=table, mapping=mapping)
            if not report.ok:
                for message in [*report.errors, *report.mapping_errors]:
                    assert_clean_message(message)
                raise DomainError("; ".join(report.mapping_errors or report.errors) or "keine Zeilen")
            created = importer.measures_import(plan=plan, user=coordinator, rows=report.rows, filename=name)
        except importer.ImportFileError as error:
            event("file refused")
            assert_clean_message(error.message)
            assert row_counts(Measure, Milestone) == before
        except DomainError as error:  # the report's errors or ImportRowsError
            event("rows refused")
            assert_clean_message(error.message)
            assert row_counts(Measure, Milestone) == before
        else:
            event("imported")
            assert len(created) == Measure.objects.filter(plan=plan).count() - before["plans.Measure"]
            assert_storable(Measure.objects.filter(plan=plan))
