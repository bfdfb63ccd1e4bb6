"""Fuzzing the import of the actors register (CSV and XLSX, the type decided by the content).

Tables with the German headers (some missing, shuffled, doubled) and cells from realistic values mixed with nasty
ones (formulas, control characters, huge numbers, long texts, broken quotes), written as CSV in several encodings
or as a real XLSX workbook (with numbers, dates, booleans, NaN); plus random bytes and ZIP archives that are no
workbook. Property: ``actor_io.ImportFileError`` or ``ActorImportError`` (a DomainError), nothing written — or all
rows saved, with values the database columns hold.
"""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import event, example, given
from hypothesis import strategies as st

from daks.core.errors import DomainError
from daks.strategy import actor_io, actor_services
from daks.strategy.models import Actor

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
)
from .strategies import row_counts as _row_counts

pytestmark = pytest.mark.django_db

#: Per column: values the import accepts, and realistic mistakes.
VALID = {
    "name": ["Seniorenbeirat", "Frau Beispiel", "Sportverein 1920 e. V.", "Ä" * 200],
    "art": ["Organisation", "Person", "organisation", ""],
    "organisation": ["Stadtverwaltung", ""],
    "sektor": ["Verwaltung", "Zivilgesellschaft", "Wirtschaft", ""],
    "rolle": ["Beirat", "", "z" * 1500],
    "einfluss": ["1", "3", "5"],
    "interesse": ["1", "4", "5"],
    "email": ["", "info@example.org"],
    "telefon": ["", "+49 30 1234-56", "'+49 30 1234"],
    "einwilligung": ["ja", "nein", "", "x", "1"],
}
MISTAKES = {
    "name": ["=1+1", "", "x" * 201],
    "art": ["Verein"],
    "organisation": ["y" * 201],
    "sektor": ["Unbekannt", "other", "administration"],
    "einfluss": ["0", "6", "2.5", "drei", ""],
    "interesse": ["-1", "10", ""],
    "email": ["kein-at", "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".de"],
    "telefon": ["abc"],
    "einwilligung": ["vielleicht"],
}


def column_value(column):
    """Mostly a valid value (so that whole files get imported), sometimes a mistake or any nasty cell."""
    valid = st.sampled_from(VALID.get(column, [""]))
    mistake = st.sampled_from(MISTAKES.get(column) or [""])
    return st.sampled_from(["valid"] * 8 + ["mistake", "nasty"]).flatmap(
        lambda kind: valid if kind == "valid" else mistake if kind == "mistake" else cells
    )


@st.composite
def actor_tables(draw) -> list[list]:
    header = draw(
        st.one_of(
            st.just(list(actor_io.HEADERS)),
            st.just(["name", "einfluss", "interesse"]),
            st.lists(st.sampled_from(actor_io.HEADERS), min_size=1, max_size=12),
            st.permutations(actor_io.HEADERS).map(list),
        )
    )
    rows = []
    for _row in range(draw(st.integers(min_value=0, max_value=4))):
        row = [draw(column_value(column)) for column in header]
        if draw(st.integers(min_value=0, max_value=7)) == 0:
            row = row[: draw(st.integers(min_value=0, max_value=len(row)))] + draw(st.lists(cells, max_size=2))
        rows.append(row)
    return [header, *rows]


def _csv_lines(table, separator=";"):
    return [separator.join(str(cell) for cell in row) for row in table]


XLSX_EXTRA = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(9999, 1, 1)),
)


def xlsx_bytes(table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook()
    sheet = workbook.active
    for row in table:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def xlsx_tables(draw) -> bytes:
    table = draw(actor_tables())
    for row in table[1:]:
        for index in range(len(row)):
            if draw(st.integers(min_value=0, max_value=4)) == 0:
                row[index] = draw(XLSX_EXTRA)
    return xlsx_bytes(table)


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


fake_workbooks = st.builds(
    lambda workbook, extra: zip_bytes({"xl/workbook.xml": workbook, **extra}),
    st.sampled_from([b"", b"<workbook/>", b"\x00\x01", b"<?xml version='1.0'?><workbook><sheets/></workbook>"]),
    st.dictionaries(
        st.sampled_from(["[Content_Types].xml", "xl/worksheets/sheet1.xml", "a.txt"]), st.binary(max_size=40)
    ),
)

actor_files = st.one_of(
    xlsx_tables().flatmap(damaged_zip),
    actor_tables().map(_csv_lines).flatmap(mildly_encoded),
    actor_tables().map(_csv_lines).flatmap(lambda lines: mutated_lines(lines)).flatmap(encoded),
    actor_tables().map(lambda table: _csv_lines(table, ",")).flatmap(encoded),
    xlsx_tables(),
    fake_workbooks,
    raw_bytes(),
)

VALID_CSV = "\ufeffname;einfluss;interesse;einwilligung;email\nSeniorenbeirat;3;4;ja;info@example.org\n".encode()
#: 311 characters: valid for Django's validator (at most 320), too long for the column (254).
LONG_EMAIL = (
    "name;einfluss;interesse;einwilligung;email\nSeniorenbeirat;3;4;ja;"
    + "a" * 64
    + "@"
    + ".".join(["b" * 60] * 4)
    + ".de\n"
).encode()


def row_counts():
    return _row_counts(Actor)


@FUZZ
@given(data=actor_files, name=st.sampled_from(["akteure.csv", "akteure.xlsx", "akteure.txt", "akteure", "a.pdf"]))
@example(data=VALID_CSV, name="akteure.csv")
@example(data=LONG_EMAIL, name="akteure.csv")
def test_actor_import_refuses_cleanly_and_writes_nothing(municipality, coordinator, data, name):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    with isolated():
        before = row_counts()
        try:
            rows, errors = actor_io.read_import_file(upload)
            if errors:
                raise actor_services.ActorImportError(errors)
            created = actor_services.actor_import(actor=coordinator, municipality=municipality, rows=rows, source=name)
        except actor_io.ImportFileError as error:
            event("file refused")
            assert_clean_message(error.message)
            assert row_counts() == before
        except actor_services.ActorImportError as error:
            event("rows refused")
            assert_clean_message(error.message)
            for message in error.errors:
                assert_clean_message(message)
            assert row_counts() == before
        except DomainError as error:  # any other refusal of the service
            event("refused")
            assert_clean_message(error.message)
            assert row_counts() == before
        else:
            event("imported")
            assert created and Actor.objects.filter(municipality=municipality).count() == len(created)
            assert_storable(Actor.objects.filter(municipality=municipality))
