"""Fuzzing the GENESIS parsers (classic CSV and ffcsv), the statistics import and the import of a Kommune's own data.

Mutations of real lines of the samples in shared/data/samples (title, header, data and footer lines; cells replaced
by special signs, huge numbers, non-ASCII digits, broken quotes, keys of every length), wrong encodings, truncated
files, random bytes. Property: the parser raises only ``StatisticsFileError``, the services only
``StatisticsImportError``/``DomainError`` (German messages), and a refused import writes nothing.
"""

import math

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from daks.core.errors import DomainError
from daks.demography.importers.genesis import StatisticsFileError, is_region_key, parse_statistics_file
from daks.demography.models import Dataset, Observation
from daks.demography.statistics import StatisticsImportError, own_data_import, parse_own_data, statistics_import

from .strategies import (
    FUZZ,
    assert_clean_message,
    assert_storable,
    cells,
    encoded,
    isolated,
    mildly_encoded,
    mutated_lines,
    raw_bytes,
    row_counts,
    sample_text,
)

CLASSIC_SAMPLES = ["genesis_classic_12411-01-01-4_cp1252.csv", "genesis_classic_12613-01-01-4_utf8.csv"]
FFCSV_SAMPLES = [
    "ffcsv_12411-01-01-4_de.csv",
    "ffcsv_12411-01-01-4_en.csv",
    "ffcsv_zensus_1000A-2022_de_mit_qualitaet.csv",
]
MISSING = [name for name in CLASSIC_SAMPLES + FFCSV_SAMPLES if sample_text(name) is None]


def _classic_parts(name: str) -> tuple[list[str], list[str], list[str]]:
    """(head: code, title and header lines; data lines; footer lines) of a classic sample."""
    lines = sample_text(name).splitlines()
    footer_at = next(i for i, line in enumerate(lines) if line.startswith("_____"))
    first_data = next(
        i for i, line in enumerate(lines) if any(is_region_key(cell.strip()) for cell in line.split(";")[:2])
    )
    return lines[:first_data], lines[first_data:footer_at], lines[footer_at : footer_at + 12]


@st.composite
def classic_files(draw) -> list[str]:
    head, data, footer = _classic_parts(draw(st.sampled_from(CLASSIC_SAMPLES)))
    chosen = draw(st.lists(st.integers(min_value=0, max_value=len(data) - 1), min_size=0, max_size=8, unique=True))
    body = [data[index] for index in sorted(chosen)]
    if draw(st.booleans()):  # the data lines are where the values are: mutate them more often
        body = draw(mutated_lines(body, max_mutations=3))
    lines = [*head, *body, *(footer if draw(st.booleans()) else [])]
    return draw(mutated_lines(lines, max_mutations=2)) if draw(st.booleans()) else lines


@st.composite
def ffcsv_files(draw) -> list[str]:
    lines = sample_text(draw(st.sampled_from(FFCSV_SAMPLES))).splitlines()
    chosen = draw(st.lists(st.integers(min_value=1, max_value=len(lines) - 1), min_size=0, max_size=8, unique=True))
    body = [lines[index] for index in sorted(chosen)]
    if draw(st.booleans()):
        body = draw(mutated_lines(body, max_mutations=3))
    lines = [lines[0], *body]
    return draw(mutated_lines(lines, max_mutations=2)) if draw(st.booleans()) else lines


statistics_files = st.one_of(
    classic_files().flatmap(mildly_encoded),
    classic_files().flatmap(encoded),
    ffcsv_files().flatmap(mildly_encoded),
    ffcsv_files().flatmap(encoded),
    raw_bytes(),
)

needs_samples = pytest.mark.skipif(
    bool(MISSING), reason=f"GENESIS samples missing in shared/data/samples: {', '.join(MISSING)} (set DAKS_DATA_DIR)"
)

HUGE_CLASSIC = (
    "GENESIS-Tabelle: 12613-01-01-4\nGestorbene (Anzahl);;;;;\n;;;Geschlecht;Geschlecht;Geschlecht\n"
    ";;;Insgesamt;männlich;weiblich\n2015;01001;      Flensburg, Kreisfreie Stadt;" + "9" * 400 + ";1;2\n"
).encode()
HUGE_AGE_HEADER = (
    "GENESIS-Tabelle: 12411-02-03-4\nBevölkerung (Anzahl);;;;\n;;;" + "9" * 5000 + " Jahre;3 bis unter 6 Jahre\n"
    "2015;01001;      Flensburg, Kreisfreie Stadt;1;2\n"
).encode()


@needs_samples
@FUZZ
@given(statistics_files)
@example(HUGE_CLASSIC)
@example(HUGE_AGE_HEADER)
def test_statistics_parser_raises_only_statistics_file_error(data):
    try:
        table = parse_statistics_file(data, filename="12411-01-01-4.csv")
    except StatisticsFileError as error:
        event("refused")
        assert error.errors
        assert_clean_message(error)
    else:
        event("parsed")
        for record in table.records:
            assert record.value is None or (math.isfinite(record.value) and abs(record.value) < 10**15), record


@needs_samples
@pytest.mark.django_db
@FUZZ
@given(data=statistics_files)
@example(data=HUGE_CLASSIC)
def test_statistics_import_refuses_cleanly_and_writes_nothing(data):
    with isolated():
        before = row_counts(Dataset, Observation)
        try:
            summary = statistics_import(source=data, filename="12613-01-01-4.csv")
        except StatisticsImportError as error:
            event("refused")
            assert_clean_message(error.message)
            assert row_counts(Dataset, Observation) == before
        else:
            event("imported")
            assert summary.created and summary.values == Observation.objects.count() - before[Observation._meta.label]
            assert_storable(Observation.objects.filter(dataset=summary.dataset))


OWN_HEADERS = ["alter;geschlecht;anzahl", "alter;geschlecht;anzahl;ortsteil", "age,sex,count,district", "Alter;Anzahl"]
OWN_ROWS = ["0;m;12", "0;w;11", "1;d;1", "75+;insgesamt;300", "0-2;m;1.234", "37;w;5;Altstadt", "3-5;m;7;Nord"]


@st.composite
def own_data_files(draw) -> list[str]:
    header = draw(st.sampled_from(OWN_HEADERS))
    separator = "," if "," in header else ";"
    rows = draw(st.lists(st.sampled_from(OWN_ROWS), max_size=6, unique=True))
    rows = [row.replace(";", separator) for row in rows]
    return draw(mutated_lines([header, *rows], separator=separator))


@pytest.mark.django_db
@FUZZ
@given(data=st.one_of(own_data_files().flatmap(mildly_encoded), own_data_files().flatmap(encoded), raw_bytes()))
@example(data=b"alter;geschlecht;anzahl\n1000 Jahre;m;5\n")
@example(data=b"alter;geschlecht;anzahl\n5;m;" + b"9" * 5000 + b"\n")
@example(data=b"alter;geschlecht;anzahl\n5;m;" + b"9" * 400 + b"\n")
def test_own_data_import_refuses_cleanly_and_writes_nothing(municipality, coordinator, data):
    import datetime

    with isolated():
        before = row_counts(Dataset, Observation)
        try:
            parse_own_data(data)
            summary = own_data_import(
                municipality=municipality,
                user=coordinator,
                file=data,
                title="Melderegister",
                reference_date=datetime.date(2024, 12, 31),
                filename="eigene.csv",
            )
        except DomainError as error:  # StatisticsImportError is one
            event("refused")
            assert_clean_message(error.message)
            assert row_counts(Dataset, Observation) == before
        else:
            event("imported")
            assert summary.values >= 1
            assert_storable(Observation.objects.filter(dataset=summary.dataset))


@FUZZ
@given(cells)
def test_parse_own_data_cell_values(cell):
    """Every single cell value in every column: a clean refusal or a plausible row."""
    for row in (f"{cell};m;5", f"5;{cell};5", f"5;m;{cell}"):
        try:
            rows = parse_own_data(f"alter;geschlecht;anzahl\n{row}\n".encode())
        except StatisticsImportError as error:
            assert_clean_message(error.message)
        else:
            assert all(0 <= count <= 100_000_000 for _district, _age, _sex, count in rows)
