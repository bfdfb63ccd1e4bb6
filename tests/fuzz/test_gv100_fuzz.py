"""Fuzzing the GV100AD parser (fixed width, 220 characters) and the regions import built on it.

Mutations of real lines of the Gemeindeverzeichnis (shared/data/raw/GV100AD_31082025.txt) field by field (values
of the right width in the wrong form, numbers too large, non-ASCII digits, impossible dates), lines cut or
lengthened, wrong encodings, random bytes. Property: only ``GV100Error`` (parser) / ``ImportValidationError``
(service) come out, and a refused import leaves the regions untouched.
"""

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from daks.demography.importers import gv100, gvisys
from daks.demography.models import Region, RegionKeyChange
from daks.demography.services import ImportValidationError, regions_import

from .strategies import (
    FUZZ,
    assert_clean_message,
    assert_storable,
    cells,
    damaged_zip,
    encoded,
    gv100_sample_lines,
    isolated,
    mildly_encoded,
    mutated_lines,
    raw_bytes,
    row_counts,
)

SAMPLE = gv100_sample_lines()
needs_sample = pytest.mark.skipif(
    SAMPLE is None, reason="real GV100AD file not found in shared/data/raw (set DAKS_DATA_DIR to shared/data)"
)

#: The fields of the layout (0-based slices), see the docstring of daks.demography.importers.gv100.
FIELDS = [
    (0, 2),  # Satzart
    (2, 10),  # Gebietsstand
    (10, 12),  # Land
    (12, 13),  # RB
    (13, 15),  # Kreis
    (15, 18),  # Gemeinde
    (18, 22),  # Verband
    (22, 72),  # Name
    (72, 122),  # Sitz
    (122, 124),  # Textkennzeichen
    (128, 139),  # Fläche
    (139, 150),  # Einwohner
    (150, 161),  # männlich
    (165, 170),  # PLZ
]
FIELD_VALUES = st.one_of(
    cells,
    st.integers(min_value=0, max_value=10**11).map(str),
    st.sampled_from(
        ["10", "20", "30", "40", "50", "60", "99", "  ", "20250230", "00000000", "99999999", "2025083", "٢٠٢٥"]
    ),
    st.sampled_from(["9" * 11, "0" * 11, "   12345678", "1234567890a", "-0000000001", "00000099999"]),
)


@st.composite
def field_mutations(draw, lines):
    """Lines with single fields overwritten by values of the field's width (so the line keeps its 220 characters
    and the parser gets to the fields), plus the generic line mutations."""
    lines = list(lines)
    for _step in range(draw(st.sampled_from([0, 1, 1, 2, 3])) if lines else 0):
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        start, end = draw(st.sampled_from(FIELDS))
        width = end - start
        value = draw(FIELD_VALUES)
        value = value.rjust(width, "0")[-width:] if draw(st.booleans()) else value.ljust(width)[:width]
        line = lines[index].ljust(gv100.LINE_LENGTH)
        lines[index] = line[:start] + value + line[end:]
    if draw(st.booleans()):
        lines = draw(mutated_lines(lines, separator=None, max_mutations=2))
    return lines


def sample_prefixes():
    """The first lines of the sample: a coherent file (Land, then each Kreis with its Verbände and Gemeinden)."""
    return st.integers(min_value=1, max_value=len(SAMPLE or [""])).map(lambda count: SAMPLE[:count])


def sample_subsets():
    """Some lines of the sample, in their order (indexes keep the strategy's repr short)."""
    indexes = st.lists(st.integers(min_value=0, max_value=len(SAMPLE or [""]) - 1), max_size=12, unique=True)
    return indexes.map(lambda chosen: [SAMPLE[index] for index in sorted(chosen)])


gv100_files = st.one_of(
    sample_prefixes().flatmap(field_mutations).flatmap(mildly_encoded),
    sample_subsets().flatmap(field_mutations).flatmap(encoded),
    st.builds(lambda: list(SAMPLE or [])).flatmap(field_mutations).flatmap(encoded),
    raw_bytes(),
)


def _huge_population() -> bytes:
    """Land, Kreis, Verband and Gemeinde Flensburg with 99,999,999,999 inhabitants (fits the 11 characters of the
    field, not the database column)."""
    if SAMPLE is None:
        return b""
    gemeinde = SAMPLE[3]
    return "\n".join([*SAMPLE[:3], gemeinde[:139] + "99999999999" + gemeinde[150:]]).encode()


HUGE_POPULATION = _huge_population()


@needs_sample
@FUZZ
@given(gv100_files)
def test_gv100_parser_raises_only_gv100_error(data):
    lines = gv100.decode(data).split("\n")
    records, errors = gv100.load_gv100ad(lines)
    for error in errors:
        assert isinstance(error, gv100.GV100Error)
        assert_clean_message(error)
    for record in records:
        assert len(record.key) in (2, 3, 4, 5, 8, 9) and record.key.isascii() and record.key.isdigit()
        if record.satzart == gv100.SATZART_GEMEINDE:
            assert 0 <= record.population_male <= record.population
    try:
        list(gv100.parse_gv100ad(lines))
    except gv100.GV100Error as error:
        assert_clean_message(error)


@needs_sample
@pytest.mark.django_db
@FUZZ
@given(data=gv100_files)
@example(data=HUGE_POPULATION)
def test_regions_import_refuses_cleanly_and_writes_nothing(tmp_path, data):
    path = tmp_path / "GV100AD.txt"
    path.write_bytes(data)
    with isolated():
        before = row_counts(Region, RegionKeyChange)
        try:
            summary = regions_import(path=path)
        except ImportValidationError as error:
            event("refused")
            assert_clean_message(error.message)
            assert row_counts(Region, RegionKeyChange) == before
        else:
            event("imported")
            assert summary.total >= 1
            assert_storable(Region.objects.all())


# --- GV-ISys (the Excel extract, imported through the same service) -------------------------------------------------

GVISYS_VALUES = st.one_of(
    cells,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 1, 1)),
)


@st.composite
def gvisys_workbooks(draw, tmp_path) -> bytes:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from tests.demography.test_gvisys import data_rows, write

    rows = data_rows()
    for _step in range(draw(st.sampled_from([0, 1, 1, 2, 3]))):
        row = draw(st.sampled_from(rows))
        column = draw(st.integers(min_value=0, max_value=len(row) - 1))
        value = draw(GVISYS_VALUES)
        row[column] = ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
    data = Path(write(tmp_path, rows)).read_bytes()
    return draw(damaged_zip(data)) if draw(st.booleans()) else data


@pytest.mark.django_db
@FUZZ
@given(data=st.data())
def test_gvisys_import_refuses_cleanly_and_writes_nothing(tmp_path, data):
    workbook = data.draw(gvisys_workbooks(tmp_path), label="workbook")
    path = tmp_path / "AuszugGV2QAktuell.xlsx"
    path.write_bytes(workbook)
    with isolated():
        before = row_counts(Region, RegionKeyChange)
        try:
            regions_import(path=path)
        except ImportValidationError as error:
            event("refused")
            assert_clean_message(error.message)
            assert row_counts(Region, RegionKeyChange) == before
        else:
            event("imported")
            assert_storable(Region.objects.all())


def test_gvisys_sheet_claiming_billions_of_rows_is_refused_quickly(tmp_path):
    """Found by fuzzing: ``<row r="9999999999">`` made read-only openpyxl yield every empty row in between (a hang)."""
    import io
    import re
    import zipfile

    from tests.demography.test_gvisys import write

    data = Path(write(tmp_path)).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = "xl/worksheets/sheet2.xml"  # the data sheet after the cover sheet
    entries[sheet] = re.sub(rb'<row r="7"', b'<row r="9999999999"', entries[sheet], count=1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    path = tmp_path / "AuszugGV2QAktuell.xlsx"
    path.write_bytes(buffer.getvalue())
    records, errors = gvisys.load_gvisys(path)
    assert not records and "mehr als 100.000 Zeilen" in str(errors[-1])
