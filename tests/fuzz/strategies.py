"""Hypothesis strategies shared by the fuzz tests: nasty cell values, line mutations, encodings, real sample lines.

The fuzz tests are bounded (``FUZZ``: at most 100 examples, derandomised, so CI runs the same examples every time
and a failure is reproducible) and fast. They check one property: any input is either read/saved correctly or
refused with the module's own clean error — never another exception — and a refusal writes nothing.
"""

from __future__ import annotations

import contextlib
import math
import os
from decimal import Decimal
from functools import cache as memoize
from pathlib import Path

from django.core.cache import cache
from django.db import models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

DATA_DIR = Path(os.environ.get("DAKS_DATA_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "data"))
SAMPLES = DATA_DIR / "samples"
GV100AD = DATA_DIR / "raw" / "GV100AD_31082025.txt"

#: Bounded and reproducible: the same examples on every run, no example database, no deadline (CI is busy).
FUZZ = settings(
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # fixtures are set up once; every example is rolled back (isolated)
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


# --- Isolation -----------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def isolated():
    """One example: rate-limit counters and nonces cleared, every write rolled back afterwards."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    cache.clear()


def row_counts(*model_classes) -> dict[str, int]:
    from daks.core.models import AuditLogEntry

    return {model._meta.label: model.objects.count() for model in (*model_classes, AuditLogEntry)}


_INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges


def assert_storable(objects) -> None:
    """What SQLite accepts silently but PostgreSQL refuses (a crash there): too long strings, NUL characters,
    integers out of the column's range, decimals with too many digits, non-finite floats."""
    for obj in objects:
        for field in obj._meta.concrete_fields:
            value = getattr(obj, field.attname)
            if value is None:
                continue
            where = f"{obj._meta.label}.{field.name} = {str(value)[:80]!r}"
            if isinstance(value, str):
                assert "\x00" not in value, where
                if isinstance(field, models.CharField) and field.max_length:
                    assert len(value) <= field.max_length, where
            internal = field.get_internal_type()
            if internal in _INTEGER_RANGES and not isinstance(value, bool):
                low, high = _INTEGER_RANGES[internal]
                assert low <= value <= high, where
            if isinstance(field, models.DecimalField):
                value = Decimal(value)
                assert value.is_finite(), where
                integer_digits = len(str(abs(int(value)))) if abs(value) >= 1 else 0
                assert integer_digits <= field.max_digits - field.decimal_places, where
            if isinstance(field, models.FloatField):
                assert math.isfinite(value), where


def assert_clean_message(message) -> None:
    """A refusal carries a readable message (German in the app), never an empty one or a Python repr."""
    text = str(message)
    assert text.strip(), "empty error message"
    assert "Traceback" not in text and "Exceeds the limit" not in text, text


# --- Values --------------------------------------------------------------------------------------------------------

HUGE_NUMBERS = [
    "9" * 11,
    "99999999999",
    "2147483648",
    "9223372036854775808",
    "9" * 40,
    "9" * 400,
    "9" * 400 + ",5",
    "9" * 400 + ".5",
    "9" * 5000,
    "1" + "0" * 20,
    "-" + "9" * 30,
    "1e308",
    "1e400",
    "NaN",
    "inf",
    "-inf",
]

NASTY_CELLS = [
    "",
    " ",
    "\t",
    "-",
    ".",
    "x",
    "/",
    "...",
    "…",
    "()",
    "(12)",
    "( )",
    "0",
    "-5",
    "1.234",
    "1.234,5",
    "1,5",
    "1,234.50",
    "12 %",
    "١٢٣",  # Arabic-Indic digits: str.isdigit() is True
    "１２３",  # full-width digits
    "²",
    "\x00",
    "\x00abc",
    '"',
    '"offen',
    'a"b',
    "\r",
    "\u2028",
    "\ufeff",
    "DG",
    "01",
    "011",
    "01001",
    "0100100",
    "01001000",
    "0100100000",
    "01001000000",
    "010010000000",
    "0" * 13,
    "31.12.2015",
    "2015",
    "2015-12-31",
    "0000",
    "9999",
    "31.02.2015",
    "99.99.9999",
    "29.02.2023",
    "Insgesamt",
    "insgesamt",
    "männlich",
    "weiblich",
    "divers",
    "d",
    "unter 3 Jahre",
    "3 bis unter 6 Jahre",
    "75 Jahre und mehr",
    "1000 Jahre",
    "9" * 5000 + " Jahre",
    "unter " + "9" * 5000 + " Jahre",
    "ALT060B069",
    "ALT999BXXX",
    "Zuzüge über die Gemeindegrenzen",
    "Fortzüge",
    "Anzahl",
    "GENESIS-Tabelle: 12411-01-01-4",
    "__________",
    "Stand: 10.10.2017",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://example.org")',
    "+49 30 123",
    "@SUM(A1)",
    "Ä" * 300,
    "a" * 5001,
    "ja",
    "nein",
    "Organisation",
    "Person",
    "1",
    "3",
    "5",
    "6",
    "a@b.de",
    "x" * 250 + "@example.org",
    *HUGE_NUMBERS,
]

cells = st.one_of(
    st.sampled_from(NASTY_CELLS),
    st.sampled_from(HUGE_NUMBERS),
    st.text(max_size=12),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
)


# --- Mutations of text lines ----------------------------------------------------------------------------------------

ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le"]


@st.composite
def mutated_lines(draw, lines: list[str], *, separator: str | None = ";", max_mutations: int = 4) -> list[str]:
    """``lines`` with a few mutations: cells replaced/dropped/added, lines truncated, duplicated, dropped, swapped,
    replaced by random text, random text inserted."""
    lines = list(lines)
    for _step in range(draw(st.integers(min_value=0, max_value=max_mutations))):
        if not lines:
            lines.append(draw(st.text(max_size=40)))
            continue
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        line = lines[index]
        kind = draw(
            st.sampled_from(
                ["cell", "cell", "cell", "drop_cell", "add_cell", "truncate", "insert", "dup", "drop", "swap", "text"]
            )
        )
        if kind in ("cell", "drop_cell", "add_cell") and not separator:
            kind = "insert"
        if kind in ("cell", "drop_cell", "add_cell"):
            parts = line.split(separator)
            position = draw(st.integers(min_value=0, max_value=len(parts) - 1))
            if kind == "cell":
                parts[position] = draw(cells)
            elif kind == "drop_cell":
                del parts[position]
            else:
                parts.insert(position, draw(cells))
            lines[index] = separator.join(parts)
        elif kind == "truncate":
            lines[index] = line[: draw(st.integers(min_value=0, max_value=max(len(line) - 1, 0)))]
        elif kind == "insert":
            position = draw(st.integers(min_value=0, max_value=len(line)))
            lines[index] = line[:position] + draw(st.one_of(cells, st.text(max_size=8))) + line[position:]
        elif kind == "dup":
            lines.insert(index, line)
        elif kind == "drop":
            del lines[index]
        elif kind == "swap":
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        else:
            lines[index] = draw(st.text(max_size=60))
    return lines


@st.composite
def encoded(draw, lines: list[str]) -> bytes:
    """Join ``lines`` with some line ending, encode with some encoding (lossy where it must be), and sometimes
    splice in random bytes or cut the file in the middle of a character."""
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = ending.join(lines) + draw(st.sampled_from(["", ending]))
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    how = draw(st.sampled_from(["plain", "plain", "plain", "splice", "cut", "prefix"]))
    if how == "splice" and data:
        position = draw(st.integers(min_value=0, max_value=len(data)))
        data = data[:position] + draw(st.binary(max_size=16)) + data[position:]
    elif how == "cut" and data:
        data = data[: draw(st.integers(min_value=0, max_value=len(data)))]
    elif how == "prefix":
        data = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04", b"\x00"])) + data
    return data


@st.composite
def mildly_encoded(draw, lines: list[str]) -> bytes:
    """Like :func:`encoded`, but only the encodings and line endings real downloads have (so that mutated files
    still get deep into the parser and the import)."""
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return ending.join(lines).encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])), errors="replace")


def raw_bytes():
    """Random bytes, including ones that look like the start of a known file type."""
    magic = st.sampled_from([b"", b"PK\x03\x04", b"%PDF-", b"\xef\xbb\xbf", b"\xff\xfe", b"\x89PNG\r\n\x1a\n"])
    return st.tuples(magic, st.binary(max_size=400)).map(lambda parts: parts[0] + parts[1])


# --- Damaged workbooks -------------------------------------------------------------------------------------------


#: Edits of a worksheet's XML (regex, replacement): impossible cell references, types that do not fit the value,
#: values that are no numbers, references to shared strings that do not exist.
CELL_EDITS = [
    (rb'r="[A-Z]+([0-9]+)"', rb'r="ZZZZZZ\1"'),
    (rb'r="[A-Z]+[0-9]+"', rb'r="1A"'),
    (rb'r="[A-Z]+[0-9]+"', rb'r=""'),
    (rb"<c ", rb'<c t="s" '),
    (rb"<c ", rb'<c t="d" '),
    (rb"<c ", rb'<c t="b" '),
    (rb"<c ", rb'<c t="e" '),
    (rb"<c ", rb'<c t="n" '),
    (rb"<c ", rb'<c s="999" '),
    (rb"<v>[^<]*</v>", rb"<v>abc</v>"),
    (rb"<v>[^<]*</v>", rb"<v>999999</v>"),
    (rb"<v>[^<]*</v>", rb"<v>1e400</v>"),
    (rb"<v>[^<]*</v>", rb"<v></v>"),
    (rb'<row r="[0-9]+"', rb'<row r="9999999999"'),
    (rb'<row r="[0-9]+"', rb'<row r="x"'),
]


@st.composite
def damaged_zip(draw, data: bytes) -> bytes:
    """The ZIP ``data`` (e.g. a real XLSX) with one entry replaced by garbage, cut short or with XML mutations, or
    an entry added or removed — the archive itself stays readable, so the damage is found while parsing."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    names = sorted(entries)
    sheets = [name for name in names if name.startswith("xl/worksheets/")]
    how = draw(st.sampled_from(["cell", "cell", "cell", "garbage", "cut", "splice", "drop", "add"]))
    name = draw(st.sampled_from(sheets if how == "cell" and sheets else names))
    content = entries[name]
    if how == "cell":  # a well-formed sheet with a wrong cell: reference, type or value
        import re

        pattern, replacement = draw(st.sampled_from(CELL_EDITS))
        entries[name] = re.sub(pattern, replacement, content, count=1)
    elif how == "garbage":
        entries[name] = draw(st.binary(max_size=64))
    elif how == "cut":
        entries[name] = content[: draw(st.integers(min_value=0, max_value=len(content)))]
    elif how == "splice":
        position = draw(st.integers(min_value=0, max_value=len(content)))
        insert = draw(st.sampled_from([b"<", b"&", b'<c r="A1" t="s"><v>999</v></c>', b"\x00", b"]]>"]))
        entries[name] = content[:position] + insert + content[position:]
    elif how == "drop":
        del entries[name]
    else:
        entries[draw(st.sampled_from(["xl/vbaProject.bin", "../evil.txt", "xl/sharedStrings.xml"]))] = b"<sst/>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry_name, entry_content in entries.items():
            archive.writestr(entry_name, entry_content)
    return buffer.getvalue()


# --- Real sample lines (skipped with a reason when shared/data is missing) -------------------------------------------


@memoize
def sample_text(name: str) -> str | None:
    path = SAMPLES / name
    if not path.exists():
        return None
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


@memoize
def gv100_sample_lines() -> list[str] | None:
    """A coherent slice of the real GV100AD: Schleswig-Holstein (Land, Kreise, Verbände, Gemeinden) and one
    Region line of Baden-Württemberg; ``None`` when the file is missing."""
    if not GV100AD.exists():
        return None
    with GV100AD.open(encoding="utf-8-sig") as file:
        lines = [line.rstrip("\n") for _number, line in zip(range(8000), file, strict=False)]
    head = lines[:40]
    region = next(line for line in lines if line.startswith("30"))
    return [*head, region]
