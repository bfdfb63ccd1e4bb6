"""Parsers for statistics downloads from regionalstatistik.de / GENESIS-Online.

Pure Python (no Django), so it can run in a task, a management command or a test.

Two download formats are supported (see ``shared/data/SOURCES.md`` §4):

* **classic** – the "CSV" table export: ``GENESIS-Tabelle: <code>`` line, title lines, one or more
  column-header lines that start with ``;``, data lines ``[time;]key;name;[dimension;]values…``
  (names indented by hierarchy level), footer from ``__________`` on (footnotes, ©, ``Stand:``).
  Encoding Windows-1252/Latin-1 (regionalstatistik) or UTF-8 with/without BOM.
* **ffcsv** – the flat-file CSV of GENESIS-Online / the REST API (``format=ffcsv``): UTF-8 with BOM,
  one header row, one value per row (``statistics_code; time; 1_variable_attribute_code; …; value; value_q``).

Both are turned into the same shape: :class:`ParsedTable` with a flat list of :class:`Record`.

Known tables (``KNOWN_TABLES``; the variable is used for ``Record.variable``).
Codes marked * were checked against real files (samples or the datenguide raw downloads), the others
are listed in SOURCES.md. Unknown tables of the statistics 12411/12612/12613/12711/1000A fall back to
the variable of their statistic (``STATISTIC_VARIABLES``); anything else keeps the raw column label.

=================  ==============================================================  ==========================
table code         contents                                                        variable
=================  ==============================================================  ==========================
12411-01-01-4 *    population by sex, Kreise (31.12.)                              population
12411-01-01-5      population by sex, Gemeinden (31.12.)                           population
12411-02-03-4      population by sex and 17 age groups, Kreise                     population
12411-02-03-5 *    population by sex and 17 age groups, Gemeinden                  population
12411-04-02-4      population by sex and single years of age, Kreise               population
12612-01-01-4      live births by sex, Kreise (year)                               births
12612-02-01-4      live births by age of mother, Kreise                            births
12613-01-01-4 *    deaths by sex, Kreise (year)                                    deaths
12613-02-02-4      deaths by sex and age group, Kreise                             deaths
12711-01-03-5 *    in-/out-migration across Gemeinde borders, Gemeinden            in_/out_migration
12711-02-02-4      in-/out-migration (total/abroad) by age group, Kreise           in_/out_migration
12411 (ffcsv) *    Fortschreibung des Bevölkerungsstandes                          population
1000A (ffcsv) *    Zensus 2022 "Bevölkerung kompakt"                               population
=================  ==============================================================  ==========================

For migration tables the column header decides: "Zuzüge…" → ``in_migration``, "Fortzüge…" → ``out_migration``.

Region keys (``Record.region_key``) are normalised from the non-uniform Regionaldatenbank keys:
``DG`` → bund, 2 digits → land, 3 → regierungsbezirk, 5 → kreis (kreisfreie Städte and Berlin
Bezirke in old tables, too), 7 → gemeindeverband (Verbandsgemeinde RP), 8 → gemeinde (the AGS) **or**
gemeindeverband (Samtgemeinde/Amt: recognised because 11-digit member keys start with it, or by
", Samtgemeinde" in its name),
10/11 → gemeinde with AGS ``key[:5] + key[-3:]``, 12 (ARS, Zensus) → gemeinde with AGS ``ars[:5] + ars[9:]``.
Gemeindeverband keys are kept as they are (they are not AGS). ``Record.original_key`` is the key as read.

Special signs (``Record.flag``): ``-`` exactly zero (value 0), ``.`` ``x`` ``/`` ``...`` ``…`` value
unknown/secret/blocked/too uncertain/not yet available (value None), ``()`` limited reliability (value in
brackets is kept), ``0`` "less than half of the smallest unit" (value 0). In ffcsv a quality code from the
``value_q`` column (e.g. ``e`` = final) is used as flag when the value itself carries no sign.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NamedTuple

__all__ = [
    "KNOWN_TABLES",
    "LineError",
    "ParsedTable",
    "Record",
    "StatisticsFileError",
    "canonical_age_group",
    "canonical_sex",
    "detect_format",
    "normalize_region_key",
    "parse_number",
    "parse_statistics_file",
]

Format = Literal["classic", "ffcsv"]

# table code -> (variable, short description)
KNOWN_TABLES: dict[str, tuple[str, str]] = {
    "12411-01-01-4": ("population", "Bevölkerung nach Geschlecht, Kreise"),
    "12411-01-01-5": ("population", "Bevölkerung nach Geschlecht, Gemeinden"),
    "12411-02-03-4": ("population", "Bevölkerung nach Geschlecht und Altersgruppen (17), Kreise"),
    "12411-02-03-5": ("population", "Bevölkerung nach Geschlecht und Altersgruppen (17), Gemeinden"),
    "12411-04-02-4": ("population", "Bevölkerung nach Geschlecht und Altersjahren, Kreise"),
    "12612-01-01-4": ("births", "Lebendgeborene nach Geschlecht, Kreise"),
    "12612-02-01-4": ("births", "Lebendgeborene nach Alter der Mutter, Kreise"),
    "12613-01-01-4": ("deaths", "Gestorbene nach Geschlecht, Kreise"),
    "12613-02-02-4": ("deaths", "Gestorbene nach Geschlecht und Altersgruppen, Kreise"),
    "12711-01-03-5": ("migration", "Zu- und Fortzüge nach Geschlecht und Altersgruppen, Gemeinden"),
    "12711-02-02-4": ("migration", "Zu- und Fortzüge (über Gemeinde-/Landesgrenzen), Kreise"),
}

# statistic (first 5 characters of a table code / ffcsv statistics_code) -> variable
STATISTIC_VARIABLES: dict[str, str] = {
    "12411": "population",
    "12612": "births",
    "12613": "deaths",
    "12711": "migration",
    "1000A": "population",
}

LEVELS = ("bund", "land", "regierungsbezirk", "kreis", "gemeindeverband", "gemeinde")

#: special signs whose value is unknown -> value None
UNKNOWN_SIGNS = frozenset({".", "x", "X", "/", "...", "…"})

MAX_ERRORS = 1000

# ---------------------------------------------------------------------------------------------------------------
# Result types and errors
# ---------------------------------------------------------------------------------------------------------------


class Record(NamedTuple):
    """One value of a statistics table."""

    region_key: str  # normalised key: "DG", Land 2, RB 3, Kreis 5, AGS 8 (gemeinde) or Verband key as read
    original_key: str  # key as in the file
    region_name: str
    level: str  # one of LEVELS
    date: dt.date | None  # reference date (Stichtag) if the table has one
    year: int | None  # reporting year (also set for Stichtag tables)
    variable: str  # population, births, deaths, in_migration, out_migration, or the raw column label
    sex: str  # total, male, female
    age_group: str  # "total", "0-2", "75+", single year "37", or the raw label if not recognised
    value: int | float | None
    flag: str = ""  # special sign or quality code
    extra: tuple[tuple[str, str], ...] = ()  # further dimensions (name, value), e.g. Einwanderungsgeschichte


@dataclass
class ParsedTable:
    table_code: str
    title: str
    format: str
    encoding: str
    records: list[Record]
    warnings: list[str] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    stand: str = ""  # "Stand: …" line of the classic footer


@dataclass(frozen=True)
class LineError:
    line: int | None  # 1-based line number, None for file-level problems
    reason: str  # German

    @property
    def message(self) -> str:
        return f"Zeile {self.line}: {self.reason}" if self.line else self.reason

    def __str__(self) -> str:
        return self.message


class StatisticsFileError(ValueError):
    """The file could not be read; ``errors`` lists every problem found (German messages)."""

    def __init__(self, errors: list[LineError]):
        self.errors = list(errors)
        shown = "\n".join(e.message for e in self.errors[:20])
        more = len(self.errors) - 20
        if more > 0:
            shown += f"\n… und {more} weitere Fehler"
        super().__init__(shown or "Datei konnte nicht gelesen werden")


class _Errors:
    def __init__(self) -> None:
        self.items: list[LineError] = []
        self.count = 0

    def add(self, line: int | None, reason: str) -> None:
        self.count += 1
        if len(self.items) < MAX_ERRORS:
            self.items.append(LineError(line, reason))

    def raise_if_any(self) -> None:
        if self.count:
            items = list(self.items)
            if self.count > len(items):
                items.append(
                    LineError(None, f"insgesamt {self.count} Fehler, nur die ersten {MAX_ERRORS} sind aufgeführt")
                )
            raise StatisticsFileError(items)


# ---------------------------------------------------------------------------------------------------------------
# Small helpers: numbers, keys, sex, age
# ---------------------------------------------------------------------------------------------------------------

_GERMAN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


#: Values of this size or larger are not plausible in a statistics table (and would not fit a float or a
#: database column); such a cell is an error instead of a crash further on.
MAX_ABS_VALUE = 10**15


def _too_large(text: str) -> ValueError:
    shown = text if len(text) <= 30 else text[:30] + "…"
    return ValueError(f"„{shown}“ ist unplausibel groß")


def parse_number(text: str, *, decimal: str = ",") -> tuple[int | float | None, str]:
    """Parse one cell. Returns (value, flag); raises ValueError (German message) if it is not a number.

    ``decimal=","`` (classic CSV): ``.`` groups thousands, ``,`` is the decimal separator.
    ``decimal="."`` (ffcsv): no thousands separator, ``,`` or ``.`` is the decimal separator.
    Absolute values of :data:`MAX_ABS_VALUE` or more are refused as implausible.
    """
    s = text.strip()
    if s.isdigit() and s.isascii():  # fast path, by far the most common case
        if len(s.lstrip("0")) > 16:  # before int(): 5000 digits would not even convert
            raise _too_large(s)
        v = int(s)
        if v >= MAX_ABS_VALUE:
            raise _too_large(s)
        return v, ("0" if v == 0 else "")
    if s == "-":
        return 0, "-"
    if s in UNKNOWN_SIGNS:
        return None, s
    if s == "":
        return None, ""
    flag = ""
    if len(s) >= 2 and s[0] == "(" and s[-1] == ")":
        flag = "()"
        s = s[1:-1].strip()
        if not s:
            return None, flag
    if decimal == ",":
        if not _GERMAN_NUMBER.fullmatch(s):
            raise ValueError(f"„{text.strip()}“ ist keine Zahl")
        s = s.replace(".", "").replace(",", ".")
    else:
        if not _PLAIN_NUMBER.fullmatch(s):
            raise ValueError(f"„{text.strip()}“ ist keine Zahl")
        s = s.replace(",", ".")
    if len(s) > 40:
        raise _too_large(text.strip())
    value: int | float = float(s) if "." in s else int(s)
    if abs(value) >= MAX_ABS_VALUE:
        raise _too_large(text.strip())
    if value == 0 and not flag:
        flag = "0"
    return value, flag


_KEY_LENGTHS = frozenset({2, 3, 5, 7, 8, 10, 11, 12})


def is_region_key(key: str) -> bool:
    return key == "DG" or (len(key) in _KEY_LENGTHS and key.isdigit() and key.isascii())


def normalize_region_key(key: str) -> tuple[str, str]:
    """Map a Regionaldatenbank key to (normalised key, level). Raises ValueError for invalid keys.

    8-digit keys are returned as Gemeinde; callers that know the key is a Samtgemeinde/Amt
    (see module docstring) override the level.
    """
    k = key.strip()
    if not is_region_key(k):
        raise ValueError(f"„{key.strip()}“ ist kein gültiger Regionalschlüssel")
    n = len(k)
    if k == "DG":
        return "DG", "bund"
    if n == 2:
        return k, "land"
    if n == 3:
        return k, "regierungsbezirk"
    if n == 5:
        return k, "kreis"
    if n == 7:
        return k, "gemeindeverband"
    if n == 8:
        return k, "gemeinde"
    if n == 12:  # ARS
        return k[:5] + k[9:], "gemeinde"
    return k[:5] + k[-3:], "gemeinde"  # 10 or 11 digits


_SEX = {
    "": "total",
    "insgesamt": "total",
    "total": "total",
    "männlich": "male",
    "maennlich": "male",
    "male": "male",
    "gesm": "male",
    "weiblich": "female",
    "female": "female",
    "gesw": "female",
}


def canonical_sex(label: str) -> str | None:
    """'Insgesamt'/'männlich'/'weiblich' (also English and GENESIS codes) -> total/male/female, else None."""
    return _SEX.get(label.strip().lower())


# Ages have at most three digits: "5000 Jahre" is no age label (and a 5000-digit number would not even convert).
_AGE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?:unter|under|less than) (\d{1,3}) (?:jahre?n?|years?)"), "under"),
    (re.compile(r"(\d{1,3}) (?:bis unter|to under|bis unter dem|-under) (\d{1,3}) (?:jahre?n?|years?)"), "range_excl"),
    (re.compile(r"(\d{1,3}) (?:bis|to|-) (\d{1,3}) (?:jahre?n?|years?)"), "range_incl"),
    (re.compile(r"(\d{1,3}) (?:jahre?n?|years?) (?:und mehr|und älter|und darüber|and (?:over|more|older))"), "plus"),
    (re.compile(r"(\d{1,3}) (?:jahre?n?|years?)"), "single"),
    (re.compile(r"alt(\d{3})b(\d{3})"), "range_incl"),
    (re.compile(r"alt(\d{3})b(?:xxx|99x|999)"), "plus"),
    (re.compile(r"alt(\d{3})"), "single"),
]


def _range(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}-{b}"


@lru_cache(maxsize=4096)
def canonical_age_group(label: str) -> str | None:
    """Age labels/codes -> "0-2", "3-5", "75+", "37" or "total"; None if it is not an age label.

    "3 bis unter 6 Jahre" -> "3-5" (upper bound exclusive), "10 bis 19 Jahre" (Zensus) -> "10-19",
    "unter 1 Jahr" -> "0", "90 Jahre und mehr" -> "90+", ALT060B069 -> "60-69", ALT080BXXX -> "80+".
    """
    s = " ".join(label.strip().lower().split())
    if s in ("", "insgesamt", "total", "alle altersgruppen"):
        return "total"
    for pattern, kind in _AGE_PATTERNS:
        m = pattern.fullmatch(s)
        if not m:
            continue
        a = int(m.group(1))
        if kind == "under":
            return "0" if a <= 1 else _range(0, a - 1)
        if kind == "range_excl":
            return _range(a, int(m.group(2)) - 1)
        if kind == "range_incl":
            return _range(a, int(m.group(2)))
        if kind == "plus":
            return f"{a}+"
        return str(a)
    return None


_DATE_DE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@lru_cache(maxsize=1024)
def _parse_time(text: str) -> tuple[dt.date | None, int | None] | None:
    """'31.12.2015', '2024-12-31' or '2015' -> (date, year); None if it is no time value."""
    s = text.strip()
    if len(s) == 4 and s.isdigit() and s.isascii():
        return None, int(s)
    m = _DATE_DE.fullmatch(s)
    try:
        if m:
            d = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            return d, d.year
        m = _DATE_ISO.fullmatch(s)
        if m:
            d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return d, d.year
    except ValueError:
        return None
    return None


def _variable_for(table_code: str, label: str = "") -> str | None:
    low = label.lower()
    if "zuzüge" in low or "zuzug" in low:
        return "in_migration"
    if "fortzüge" in low or "fortzug" in low:
        return "out_migration"
    known = KNOWN_TABLES.get(table_code)
    var = known[0] if known else STATISTIC_VARIABLES.get(table_code[:5])
    if var == "migration":  # migration tables without a Zuzüge/Fortzüge label: keep the label
        return None
    return var


# ---------------------------------------------------------------------------------------------------------------
# Decoding and format detection
# ---------------------------------------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            return data[3:].decode("cp1252", errors="replace"), "cp1252"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"  # never fails (cp1252 leaves 5 bytes undefined)


_CLASSIC_HEAD = re.compile(r"\s*(?:GENESIS-)?Tabelle\s*:\s*([^;\s]*)", re.IGNORECASE)


def _detect_text(text: str) -> Format | None:
    lines = text[:20000].splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    header = first.strip().lstrip("\ufeff").lower()
    if header.startswith("statistics_code") or ("statistics_code;" in header and ";value" in header):
        return "ffcsv"
    if _CLASSIC_HEAD.match(first):
        return "classic"
    # a classic table whose code line was lost: ';'-separated lines with a region key in column 1 or 2
    for ln in lines[:80]:
        cells = ln.split(";")
        if len(cells) >= 3 and (
            is_region_key(cells[0].strip()) or (_parse_time(cells[0]) is not None and is_region_key(cells[1].strip()))
        ):
            return "classic"
    return None


def detect_format(data: bytes) -> Format:
    """'classic' or 'ffcsv'; raises StatisticsFileError if it is neither."""
    text, _ = _decode(data[:20000])  # a cut multi-byte char may push this to cp1252 – fine for detection
    fmt = _detect_text(text)
    if fmt is None:
        raise StatisticsFileError([LineError(None, "unbekanntes Format: weder GENESIS-CSV noch ffcsv")])
    return fmt


_CODE_IN_NAME = re.compile(r"(\d{5}-\d{2}-\d{2}-\d)")


def _read_input(source: Any) -> tuple[bytes, str | None]:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), None
    if isinstance(source, str | os.PathLike):
        p = Path(source)
        try:
            return p.read_bytes(), p.name
        except OSError as exc:
            raise StatisticsFileError([LineError(None, f"Datei kann nicht gelesen werden: {exc}")]) from exc
    if hasattr(source, "read"):  # file object, e.g. a Django UploadedFile
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return data, getattr(source, "name", None)
    raise TypeError("parse_statistics_file erwartet Bytes, einen Pfad oder ein Dateiobjekt")


def parse_statistics_file(source: Any, *, filename: str | None = None) -> ParsedTable:
    """Parse a classic GENESIS CSV or an ffcsv file (bytes, path, or binary file object).

    Raises StatisticsFileError with all problems found (line numbers, German messages).
    """
    data, name = _read_input(source)
    filename = filename or name
    text, encoding = _decode(data)
    fmt = _detect_text(text)
    if fmt is None:
        raise StatisticsFileError([LineError(None, "unbekanntes Format: weder GENESIS-CSV noch ffcsv")])
    try:
        if fmt == "ffcsv":
            return _parse_ffcsv(text, encoding, filename)
        return _parse_classic(text, encoding)
    except csv.Error as exc:
        raise StatisticsFileError([LineError(None, f"CSV-Struktur fehlerhaft: {exc}")]) from exc


# ---------------------------------------------------------------------------------------------------------------
# Classic GENESIS CSV
# ---------------------------------------------------------------------------------------------------------------

_FOOTER = re.compile(r"^_{5,}", re.MULTILINE)
_GV_NAME_HINTS = (", samtgemeinde", ", verbandsgem", ", verwaltungsgem")  # not "Amt": "Amt Neuhaus" is a Gemeinde


def _row_is_time_line(row: list[str]) -> tuple[dt.date | None, int | None] | None:
    """'31.12.2015;;;;' or '2015;;;;' – a time context line above the column headers or between blocks."""
    if not row or not row[0].strip():
        return None
    if any(c.strip() for c in row[1:]):
        return None
    return _parse_time(row[0])


@dataclass
class _Column:
    date: dt.date | None = None
    year: int | None = None
    sex: str = "total"
    age: str = "total"
    label_parts: list[str] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)


def _classify_header_row(cells: list[str]) -> str:
    vals = [c.strip() for c in cells if c.strip()]
    if not vals:
        return "empty"
    if all(_parse_time(v) is not None for v in vals):
        return "time"
    distinct = set(vals)
    sexes = {canonical_sex(v) for v in distinct}
    if None not in sexes and sexes != {"total"}:
        return "sex"
    ages = {canonical_age_group(v) for v in distinct}
    if None not in ages and ages != {"total"}:
        return "age"
    if distinct <= {"Anzahl", "Prozent", "%", "Personen", "Tsd.", "1000", "EUR", "Euro", "km²", "ha", "je 1000"}:
        return "unit"
    if len(distinct) == 1:
        return "label"
    return "dimension"


def _parse_classic(text: str, encoding: str) -> ParsedTable:
    errors = _Errors()
    warnings: list[str] = []
    m = _FOOTER.search(text)
    body, footer = (text[: m.start()], text[m.end() :]) if m else (text, "")
    if not m:
        warnings.append("Fußzeile (__________) fehlt – Datei evtl. unvollständig")

    reader = csv.reader(io.StringIO(body, newline=""), delimiter=";")
    table_code = ""
    title_lines: list[str] = []
    header_rows: list[tuple[int, list[str]]] = []
    context_time: tuple[dt.date | None, int | None] | None = None
    header_time: tuple[dt.date | None, int | None] | None = None
    first_data: tuple[int, list[str]] | None = None

    state = "start"
    for row in reader:
        line = reader.line_num
        if state == "start":
            if not row or not "".join(row).strip():
                continue
            hm = _CLASSIC_HEAD.match(row[0])
            if hm and hm.group(1):
                table_code = hm.group(1).strip()
                state = "title"
                continue
            errors.add(line, "Kopfzeile mit Tabellencode fehlt („GENESIS-Tabelle: …“)")
            state = "title"
            # fall through: this line may already be a title/header line
        if not row or not "".join(row).strip():
            continue
        t = _row_is_time_line(row)
        if t is not None:
            context_time = t
            header_time = header_time or t
            if state == "title":
                state = "header"
            continue
        if row[0].strip() == "":
            header_rows.append((line, row))
            state = "header"
            continue
        if state == "title" and not _looks_like_data(row):
            title_lines.append(";".join(row).strip().rstrip(";").strip())
            continue
        first_data = (line, row)
        break

    if not header_rows:
        errors.add(reader.line_num or 1, "Spaltenkopf fehlt (keine Zeile, die mit „;“ beginnt)")
    if first_data is None:
        errors.add(reader.line_num or 1, "keine Datenzeilen gefunden")
    if first_data is None or not header_rows:
        errors.raise_if_any()
        raise AssertionError("unreachable")

    # value columns start at the first column that has a header text in any header row
    value_start = min(
        (next((i for i, c in enumerate(r) if c.strip()), len(r)) for _, r in header_rows),
        default=0,
    )
    n_values = max(len(r) for _, r in header_rows) - value_start
    if value_start < 2 or n_values <= 0:
        errors.add(header_rows[0][0], "Spaltenkopf unverständlich: keine Schlüssel- und Namensspalte")
        errors.raise_if_any()

    # label columns of the data lines
    _, frow = first_data
    time_col: int | None = None
    key_col = 0
    if value_start >= 3 and _parse_time(frow[0]) is not None:
        time_col, key_col = 0, 1
    name_col = key_col + 1
    dim_cols = list(range(name_col + 1, value_start))

    label = title_lines[-1] if title_lines else ""
    columns = _build_columns(header_rows, value_start, n_values)
    col_specs = []
    for col in columns:
        raw_label = " / ".join(col.label_parts) or label
        variable = _variable_for(table_code, raw_label) or raw_label or "value"
        col_specs.append((col.date, col.year, variable, col.sex, col.age, tuple(col.extra)))
    if all(c.year is None for c in columns) and time_col is None and header_time is None:
        warnings.append("kein Zeitbezug (Stichtag/Jahr) in der Datei gefunden")

    # pass 1: rows
    rows: list[tuple[int, str, str, tuple[dt.date | None, int | None] | None, tuple, list[str]]] = []
    dim_cache: dict[str, tuple[str, str, str | None]] = {}

    def handle(line: int, row: list[str]) -> None:
        nonlocal context_time
        if not row or not "".join(row).strip():
            return
        t = _row_is_time_line(row)
        if t is not None:
            context_time = t
            return
        if len(row) <= name_col:
            errors.add(line, f"zu wenige Spalten ({len(row)}) – Schlüssel und Name erwartet")
            return
        key = row[key_col].strip()
        if not is_region_key(key):
            errors.add(line, f"„{key}“ ist kein gültiger Regionalschlüssel")
            return
        row_time = context_time
        if time_col is not None:
            row_time = _parse_time(row[time_col])
            if row_time is None:
                errors.add(line, f"„{row[time_col].strip()}“ ist kein Jahr/Stichtag")
                return
        dims = []
        for i in dim_cols:
            v = row[i].strip() if i < len(row) else ""
            dims.append(_classify_cell(v, dim_cache))
        values = row[value_start : value_start + n_values]
        if len(values) < n_values:
            errors.add(line, f"{n_values} Werte erwartet, {len(values)} gefunden")
            return
        rows.append((line, key, row[name_col].strip(), row_time, tuple(dims), values))

    handle(*first_data)
    for row in reader:
        handle(reader.line_num, row)

    # regions: 8-digit keys with 11-digit members (or a Verband name) are Samtgemeinden/Ämter
    verband_prefixes = {k[:8] for _, k, *_ in rows if len(k) == 11}
    regions: dict[tuple[str, str], tuple[str, str]] = {}
    records: list[Record] = []
    append = records.append
    for line, key, name, row_time, dims, values in rows:
        reg = regions.get((key, name))
        if reg is None:
            region_key, level = normalize_region_key(key)
            if len(key) == 8 and (key in verband_prefixes or any(h in name.lower() for h in _GV_NAME_HINTS)):
                level = "gemeindeverband"
            reg = regions[(key, name)] = (region_key, level)
        region_key, level = reg
        r_date, r_year = row_time if row_time else (None, None)
        d_sex = d_age = None
        d_extra: list[tuple[str, str]] = []
        for kind, raw, canon in dims:
            if kind == "sex":
                d_sex = canon
            elif kind == "age":
                d_age = canon
            else:
                d_extra.append(("Merkmal", raw))
        for (c_date, c_year, variable, sex, age, extra), cell in zip(col_specs, values, strict=False):
            try:
                value, flag = parse_number(cell)
            except ValueError as exc:
                errors.add(line, str(exc))
                continue
            append(
                Record(
                    region_key,
                    key,
                    name,
                    level,
                    c_date if c_year is not None else r_date,
                    c_year if c_year is not None else r_year,
                    variable,
                    d_sex or sex,
                    d_age or age,
                    value,
                    flag,
                    extra + tuple(d_extra) if d_extra else extra,
                )
            )

    footnotes, stand = _parse_footer(footer)
    errors.raise_if_any()
    title = " ".join(t for t in title_lines[:2] if not t.lower().startswith("regionale tiefe"))
    return ParsedTable(
        table_code=table_code,
        title=title,
        format="classic",
        encoding=encoding,
        records=records,
        warnings=warnings,
        title_lines=title_lines,
        footnotes=footnotes,
        stand=stand,
    )


def _looks_like_data(row: list[str]) -> bool:
    if is_region_key(row[0].strip()) and len(row) >= 3:
        return True
    return len(row) >= 4 and _parse_time(row[0]) is not None and is_region_key(row[1].strip())


def _classify_cell(value: str, cache: dict[str, tuple[str, str, str | None]]) -> tuple[str, str, str | None]:
    hit = cache.get(value)
    if hit is None:
        sex = canonical_sex(value)
        if sex is not None and value:
            hit = ("sex", value, sex)
        else:
            age = canonical_age_group(value)
            hit = ("age", value, age) if age is not None and value else ("other", value, None)
        cache[value] = hit
    return hit


def _build_columns(header_rows: list[tuple[int, list[str]]], start: int, n: int) -> list[_Column]:
    columns = [_Column() for _ in range(n)]
    last_label = ""
    for _, row in header_rows:
        cells = [(row[start + j].strip() if start + j < len(row) else "") for j in range(n)]
        kind = _classify_header_row(cells)
        for j, cell in enumerate(cells):
            col = columns[j]
            if not cell:
                continue
            if kind == "time":
                col.date, col.year = _parse_time(cell) or (None, None)
            elif kind == "sex":
                col.sex = canonical_sex(cell) or "total"
            elif kind == "age":
                col.age = canonical_age_group(cell) or cell
            elif kind == "dimension":
                if _variable_for("", cell):
                    col.label_parts.append(cell)
                else:
                    col.extra.append((last_label or "Merkmal", cell))
            elif kind == "label":
                low = cell.lower()
                if "zuzüge" in low or "fortzüge" in low:
                    col.label_parts.append(cell)
        if kind == "label":
            last_label = next(c for c in cells if c)
    return columns


def _parse_footer(footer: str) -> tuple[list[str], str]:
    notes: list[str] = []
    stand = ""
    if not footer.strip():
        return notes, stand
    for row in csv.reader(io.StringIO(footer, newline=""), delimiter=";"):
        text = ";".join(row).strip().strip(";").strip()
        if not text:
            continue
        if text.startswith("Stand:"):
            stand = text[len("Stand:") :].strip()
        else:
            notes.append(text)
    return notes, stand


# ---------------------------------------------------------------------------------------------------------------
# ffcsv (flat file)
# ---------------------------------------------------------------------------------------------------------------

_REGION_VARIABLES = frozenset({"DINSG", "DLAND", "REGBEZ", "KREISE", "GEMEIN", "GVBAND", "GEMVB"})


def _parse_ffcsv(text: str, encoding: str, filename: str | None) -> ParsedTable:
    errors = _Errors()
    warnings: list[str] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=";")
    header = next(reader, None) or []
    header = [h.strip() for h in header]
    idx = {h: i for i, h in enumerate(header)}
    for required in ("statistics_code", "time", "value"):
        if required not in idx:
            errors.add(1, f"Spalte „{required}“ fehlt")
    errors.raise_if_any()

    dims: list[tuple[int, int, int | None, int | None]] = []  # code col, attr code col, attr label col, label col
    i = 1
    while f"{i}_variable_code" in idx and f"{i}_variable_attribute_code" in idx:
        dims.append(
            (
                idx[f"{i}_variable_code"],
                idx[f"{i}_variable_attribute_code"],
                idx.get(f"{i}_variable_attribute_label"),
                idx.get(f"{i}_variable_label"),
            )
        )
        i += 1
    q_col = idx.get("value_q")
    if q_col is None:
        q_col = next((j for j, h in enumerate(header) if h.endswith("_q")), None)
    val_col, time_col, stat_col = idx["value"], idx["time"], idx["statistics_code"]
    vlabel_col = idx.get("value_variable_label")
    width = len(header)

    table_code = ""
    var_cache: dict[str, str] = {}
    dim_cache: dict[tuple[int, str, str, str], tuple[str, str | None]] = {}
    region_cache: dict[tuple[str, str], tuple[str, str]] = {}
    records: list[Record] = []
    append = records.append
    verband_candidates: list[int] = []
    eleven_prefixes: set[str] = set()

    for row in reader:
        line = reader.line_num
        if not row or not "".join(row).strip():
            continue
        if len(row) < width:
            errors.add(line, f"{width} Spalten erwartet, {len(row)} gefunden")
            continue
        stat = row[stat_col].strip()
        if not table_code:
            table_code = stat
        t = _parse_time(row[time_col])
        if t is None:
            tm = row[time_col].strip()
            t = (None, int(tm[:4])) if tm[:4].isdigit() and tm[:4].isascii() else (None, None)
        sex, age, extra = "total", "total", []
        region: tuple[str, str, str] | None = None  # key, name, var code
        for pos, (code_c, attr_c, lab_c, vlab_c) in enumerate(dims):
            vcode = row[code_c].strip()
            attr = row[attr_c].strip()
            alabel = row[lab_c].strip() if lab_c is not None else attr
            ck = (pos, vcode, attr, alabel)
            kind = dim_cache.get(ck)
            if kind is None:
                kind = _classify_ff_dim(pos, vcode, attr, alabel)
                dim_cache[ck] = kind
            if kind[0] == "region":
                region = (attr, alabel, vcode)
            elif kind[0] == "sex":
                sex = kind[1] or "total"
            elif kind[0] == "age":
                age = kind[1] or alabel
            else:
                vname = row[vlab_c].strip() if vlab_c is not None else vcode
                extra.append((vname or vcode, alabel or "Insgesamt"))
        if region is None:
            key, name = "DG", "Deutschland"
        else:
            key, name = region[0], region[1]
        reg = region_cache.get((key, name))
        if reg is None:
            try:
                reg = normalize_region_key(key)
            except ValueError as exc:
                errors.add(line, str(exc))
                continue
            region_cache[(key, name)] = reg
        if len(key) == 11:
            eleven_prefixes.add(key[:8])
        try:
            value, flag = parse_number(row[val_col], decimal=".")
        except ValueError as exc:
            errors.add(line, str(exc))
            continue
        if q_col is not None and flag in ("", "0") and row[q_col].strip():
            flag = row[q_col].strip()  # quality code, unless the value carries a real sign
        vlabel = row[vlabel_col].strip() if vlabel_col is not None else ""
        variable = var_cache.get(stat + "|" + vlabel)
        if variable is None:
            variable = _variable_for(stat, vlabel) or vlabel or "value"
            var_cache[stat + "|" + vlabel] = variable
        if len(key) == 8:
            verband_candidates.append(len(records))
        append(Record(reg[0], key, name, reg[1], t[0], t[1], variable, sex, age, value, flag, tuple(extra)))

    for pos in verband_candidates:
        r = records[pos]
        if r.original_key in eleven_prefixes or any(h in r.region_name.lower() for h in _GV_NAME_HINTS):
            records[pos] = r._replace(level="gemeindeverband")

    if not records and not errors.count:
        errors.add(None, "keine Datenzeilen gefunden")
    errors.raise_if_any()
    if filename:
        m = _CODE_IN_NAME.search(filename)
        if m and table_code and m.group(1).startswith(table_code):
            table_code = m.group(1)
    return ParsedTable(
        table_code=table_code,
        title=_ff_title(text),
        format="ffcsv",
        encoding=encoding,
        records=records,
        warnings=warnings,
    )


def _ff_title(text: str) -> str:
    """statistics_label of the first data row."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")[:20000], newline=""), delimiter=";")
    header = next(reader, [])
    row = next(reader, [])
    try:
        return row[header.index("statistics_label")].strip()
    except (ValueError, IndexError):
        return ""


def _classify_ff_dim(pos: int, vcode: str, attr: str, label: str) -> tuple[str, str | None]:
    up = vcode.upper()
    if up in _REGION_VARIABLES or up.startswith("GEO"):
        return ("region", None)
    if up == "GES":
        return ("sex", canonical_sex(attr) or canonical_sex(label))
    if up.startswith("ALT"):
        return ("age", canonical_age_group(label) or canonical_age_group(attr))
    if pos == 0 and is_region_key(attr):  # unknown region variable in the first dimension
        return ("region", None)
    return ("other", None)


def iter_values(records: Iterable[Record], **filters: Any) -> Iterable[Record]:
    """Small convenience filter: ``iter_values(t.records, sex="total", age_group="total")``."""
    for r in records:
        if all(getattr(r, k) == v for k, v in filters.items()):
            yield r
