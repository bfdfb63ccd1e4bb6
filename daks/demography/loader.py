"""Loading the data of a new installation: the prepared official CSV files of ``shared/data``.

* :func:`load_file` imports ONE derived CSV of ``shared/data/demografie/`` (see ``SOURCES.md`` §2) into a
  :class:`~daks.demography.models.Dataset` (format ``derived``) and its
  :class:`~daks.demography.models.Observation` rows. The file is identified by its name; its header must have
  exactly the expected columns. The SHA-256 of the bytes makes the load idempotent: a file that was loaded
  before is skipped **before** it is parsed.
* :func:`load_coordinates` sets ``Region.lat``/``lon`` of Gemeinden (``gemeinden.csv``) and Kreise
  (population-weighted, ``kreise.csv``).
* :func:`load_shared_data` runs everything in order: GV100AD regions, coordinates, every demography file.
* :func:`fetch_gv100ad` downloads the current GV100AD from Destatis (only when ``DAKS_ONLINE=1`` and
  ``DAKS_GV100AD_URL`` are set; see ``docs/data-sources.md``).

Region keys are stored as published: the 8-digit AGS (column ``ags``) for Gemeinden, otherwise the
Regionaldatenbank key (``DG``, Land 2, Regierungsbezirk 3, Kreis 5, Verbandsgemeinde 7, Samtgemeinde/Amt 8,
Berlin-Bezirk 5 in 2008–2015, special units 8 in 2024). Consumers must pick regions through ``Region``
(by level), not by key length.

Decisions (documented in docs/data-sources.md):

* ``geburten_alter_mutter_kreise_2015.csv`` is stored as variable ``births_by_mother_age``: ``age_group`` is the
  age of the **mother**, ``sex`` that of the child. It is not stored as ``births`` so that nobody mistakes the
  mother's age for the child's and the totals are not counted twice next to ``geburten_kreise_1995_2015.csv``.
* The columns for German nationals (``deutsche_*``) and for migration to/from abroad (``*_ausland*``) are not
  loaded (Observation has no nationality/origin dimension).
* Empty cells (``.``, ``x``, ``/``, ``...`` in the original) are stored as ``value=None`` with ``flag="."``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from daks.core.errors import DomainError

from .bulk import insert_observations
from .models import OFFICIAL_LICENCE, OFFICIAL_SOURCE, Dataset, DatasetFormat, Level, Region

Progress = Callable[[str], None]

BATCH_SIZE = 5000
DATENGUIDE = " (aufbereitet: datenguide/genesapi-data)"
PYSTATIS = " (aufbereitet: CorrelAid/pystatis)"
ZENSUS_SOURCE = "Statistische Ämter des Bundes und der Länder, Zensus 2022 (Zensusdatenbank)"
#: The regionalstatistik downloads of datenguide/genesapi-data are of 10.10.2017 (SOURCES.md §2b).
DATENGUIDE_DOWNLOADED = dt.date(2017, 10, 10)
GV100AD_NAME = re.compile(r"GV100AD_(\d{2})(\d{2})(\d{4})\.txt$", re.IGNORECASE)
GV100AD_FILE = Path("raw") / "GV100AD_31082025.txt"
DEMOGRAFIE_DIR = "demografie"
MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024
DOWNLOAD_TIMEOUT = 15  # seconds

_KEY = re.compile(r"^(DG|\d{2,12})$")


class LoaderError(DomainError):
    """The file cannot be loaded (German message); nothing was written."""

    def __init__(self, message: str):
        super().__init__(message, field="path")


@dataclass
class LoadSummary:
    file_name: str
    table_code: str = ""
    title: str = ""
    dataset_id: int | None = None
    values: int = 0
    regions: int = 0
    seconds: float = 0.0
    skipped: bool = False
    note: str = ""

    def as_line(self) -> str:
        if self.skipped:
            return f"{self.file_name}: skipped ({self.note or 'already loaded'})"
        if not self.values:
            return f"{self.file_name}: {self.regions:,} regions in {self.seconds:.1f} s" + (
                f" ({self.note})" if self.note else ""
            )
        return f"{self.file_name}: {self.values:,} values, {self.regions:,} regions in {self.seconds:.1f} s" + (
            f" ({self.note})" if self.note else ""
        )


# --- File specifications ----------------------------------------------------------------------------------------

#: Age groups of the wide Gemeinde file 12411-02-03-5 (upper bound exclusive, as in the column names).
GEMEINDE_AGE_COLUMNS = [
    "00_03", "03_06", "06_10", "10_15", "15_18", "18_20", "20_25", "25_30", "30_35", "35_40", "40_45",
    "45_50", "50_55", "55_60", "60_65", "65_75", "75_plus", "total",
]  # fmt: skip
MIGRATION_AGE_COLUMNS = ["00_18", "18_25", "25_30", "30_50", "50_65", "65_plus", "total"]
SEX_PREFIX = {"insg": "total", "m": "male", "w": "female"}
SEX_COLUMN = {"insgesamt": "total", "maennlich": "male", "weiblich": "female"}
YEARS_2008_2015 = range(2008, 2016)


@dataclass(frozen=True)
class Cell:
    """Where a value column goes: variable and sex, and (for wide files) age group and/or year."""

    column: str
    variable: str
    sex: str
    age: tuple[int | None, int | None] | None = None  # (from, to); None = from the row's age column
    year: int | None = None  # None = from the row's time column


@dataclass(frozen=True)
class FileSpec:
    file_name: str
    table_code: str
    title: str
    cells: tuple[Cell, ...]
    ignored: tuple[str, ...]  # further columns of the file that are not loaded
    data_as_of: str
    source: str = OFFICIAL_SOURCE + DATENGUIDE
    downloaded_on: dt.date | None = DATENGUIDE_DOWNLOADED
    time_column: str | None = None  # "stichtag" (ISO date → stock) or "jahr" (year → flow)
    age_column: str | None = None
    stock: bool = False  # population at a reference date (date = 31.12. when only the year is known)

    @property
    def columns(self) -> set[str]:
        cols = {c.column for c in self.cells} | set(self.ignored)
        for extra in (self.time_column, self.age_column):
            if extra:
                cols.add(extra)
        return cols


def _wide_age_cells(variable: str) -> tuple[Cell, ...]:
    return tuple(
        Cell(f"{prefix}_{group}", variable, sex, age=_column_age(group))
        for prefix, sex in SEX_PREFIX.items()
        for group in GEMEINDE_AGE_COLUMNS
    )


def _migration_cells() -> tuple[Cell, ...]:
    cells = []
    for stem, variable in (("fortzuege", "out_migration"), ("zuzuege", "in_migration")):
        for infix, sex in (("", "total"), ("_m", "male"), ("_w", "female")):
            for group in MIGRATION_AGE_COLUMNS:
                cells.append(Cell(f"{stem}{infix}_{group}", variable, sex, age=_column_age(group)))
    return tuple(cells)


def _sex_cells(variable: str) -> tuple[Cell, ...]:
    return tuple(Cell(column, variable, sex) for column, sex in SEX_COLUMN.items())


def _column_age(group: str) -> tuple[int | None, int | None]:
    """'03_06' → (3, 5), '75_plus' → (75, None), 'total' → (None, None)."""
    if group == "total":
        return None, None
    low, high = group.split("_")
    if high == "plus":
        return int(low), None
    return int(low), int(high) - 1


_REGION = ("regionalschluessel", "ebene", "name")
_GERMANS = ("deutsche_insgesamt", "deutsche_maennlich", "deutsche_weiblich")

SPECS: dict[str, FileSpec] = {
    spec.file_name: spec
    for spec in [
        FileSpec(
            "bev_altersgruppen_gemeinden_2015.csv",
            "12411-02-03-5",
            "Bevölkerung nach Geschlecht und Altersgruppen, Gemeinden, 31.12.2015",
            _wide_age_cells("population"),
            ignored=(*_REGION, "ags"),
            data_as_of="Stichtag 31.12.2015",
            time_column="stichtag",
            stock=True,
        ),
        FileSpec(
            "bev_altersgruppen_kreise_2015.csv",
            "12411-02-03-4",
            "Bevölkerung nach Geschlecht und Altersgruppen, Kreise, 31.12.2015",
            _sex_cells("population"),
            ignored=_REGION,
            data_as_of="Stichtag 31.12.2015",
            time_column="stichtag",
            age_column="altersgruppe",
            stock=True,
        ),
        FileSpec(
            "bev_altersjahre_kreise_2015.csv",
            "12411-04-02-4",
            "Bevölkerung nach Geschlecht und Altersjahren, Kreise, 31.12.2015",
            _sex_cells("population"),
            ignored=_REGION,
            data_as_of="Stichtag 31.12.2015",
            time_column="stichtag",
            age_column="alter",
            stock=True,
        ),
        FileSpec(
            "bev_gemeinden_2008_2015.csv",
            "12411-01-01-5",
            "Bevölkerung nach Geschlecht, Gemeinden, 31.12.2008–31.12.2015",
            tuple(
                Cell(f"{prefix}_{year}", "population", sex, age=(None, None), year=year)
                for prefix, sex in SEX_PREFIX.items()
                for year in YEARS_2008_2015
            ),
            ignored=(*_REGION, "ags"),
            data_as_of="Stichtage 31.12.2008 bis 31.12.2015",
            stock=True,
        ),
        FileSpec(
            "bev_geschlecht_kreise_2024.csv",
            "12411-01-01-4",
            "Bevölkerung nach Geschlecht, Kreise, 31.12.2024",
            tuple(Cell(c.column, c.variable, c.sex, age=(None, None)) for c in _sex_cells("population")),
            ignored=_REGION,
            data_as_of="Stichtag 31.12.2024",
            source=OFFICIAL_SOURCE + PYSTATIS,
            downloaded_on=None,
            time_column="stichtag",
            stock=True,
        ),
        FileSpec(
            "zensus2022_bev_gemeinden.csv",
            "1000A-0000",
            "Bevölkerung (Zensus 2022), Gemeinden, 15.05.2022",
            (Cell("bev_zensus2022", "population", "total", age=(None, None)),),
            ignored=("ags", "ars", "name"),
            data_as_of="Zensusstichtag 15.05.2022",
            source=ZENSUS_SOURCE + PYSTATIS,
            downloaded_on=None,
            time_column="stichtag",
            stock=True,
        ),
        FileSpec(
            "geburten_kreise_1995_2015.csv",
            "12612-01-01-4",
            "Lebendgeborene nach Geschlecht, Kreise, 1995–2015",
            tuple(Cell(c.column, c.variable, c.sex, age=(None, None)) for c in _sex_cells("births")),
            ignored=_REGION,
            data_as_of="Berichtsjahre 1995 bis 2015",
            time_column="jahr",
        ),
        FileSpec(
            "sterbefaelle_kreise_1995_2015.csv",
            "12613-01-01-4",
            "Gestorbene nach Geschlecht, Kreise, 1995–2015",
            tuple(Cell(c.column, c.variable, c.sex, age=(None, None)) for c in _sex_cells("deaths")),
            ignored=_REGION,
            data_as_of="Berichtsjahre 1995 bis 2015",
            time_column="jahr",
        ),
        FileSpec(
            "sterbefaelle_altersgruppen_kreise_2015.csv",
            "12613-02-02-4",
            "Gestorbene nach Geschlecht und Altersgruppen, Kreise, 2015",
            _sex_cells("deaths"),
            ignored=(*_REGION, *_GERMANS),
            data_as_of="Berichtsjahr 2015",
            time_column="jahr",
            age_column="altersgruppe",
        ),
        FileSpec(
            "geburten_alter_mutter_kreise_2015.csv",
            "12612-02-01-4",
            "Lebendgeborene nach Alter der Mutter und Geschlecht des Kindes, Kreise, 2015",
            _sex_cells("births_by_mother_age"),
            ignored=(*_REGION, *_GERMANS),
            data_as_of="Berichtsjahr 2015",
            time_column="jahr",
            age_column="alter_mutter",
        ),
        FileSpec(
            "wanderungen_gemeinden_2015.csv",
            "12711-01-03-5",
            "Zu- und Fortzüge über die Gemeindegrenzen nach Geschlecht und Altersgruppen, Gemeinden, 2015",
            _migration_cells(),
            ignored=(*_REGION, "ags"),
            data_as_of="Berichtsjahr 2015",
            time_column="jahr",
        ),
        FileSpec(
            "wanderungen_kreise_2015.csv",
            "12711-02-02-4",
            "Zu- und Fortzüge über die Gemeindegrenzen nach Geschlecht und Altersgruppen, Kreise, 2015",
            tuple(
                Cell(f"{stem}{infix}", variable, sex)
                for stem, variable in (("zuzuege", "in_migration"), ("fortzuege", "out_migration"))
                for infix, sex in (("", "total"), ("_m", "male"), ("_w", "female"))
            ),
            ignored=(*_REGION, *(f"{s}_ausland{i}" for s in ("zuzuege", "fortzuege") for i in ("", "_m", "_w"))),
            data_as_of="Berichtsjahr 2015",
            time_column="jahr",
            age_column="altersgruppe",
        ),
    ]
}

#: The order in which :func:`load_shared_data` loads the files.
FILE_ORDER = list(SPECS)


# --- Age labels --------------------------------------------------------------------------------------------------

_AGE_UNDER = re.compile(r"unter (\d+) jahre?n?")
_AGE_RANGE = re.compile(r"(\d+) bis unter (\d+) jahre?n?")
_AGE_OPEN = re.compile(r"(\d+) jahre? und mehr")


def parse_age_label(label: str) -> tuple[int | None, int | None] | None:
    """German age label → (from, to) inclusive; ``None`` if it is no age label.

    "Insgesamt" → (None, None), "unter 1 Jahr" → (0, 0), "unter 3 Jahre" → (0, 2),
    "3 bis unter 6 Jahre" → (3, 5), "90 Jahre und mehr" → (90, None).
    """
    s = " ".join(label.strip().lower().split())
    if s == "insgesamt":
        return None, None
    if m := _AGE_UNDER.fullmatch(s):
        return 0, int(m.group(1)) - 1
    if m := _AGE_RANGE.fullmatch(s):
        low, high = int(m.group(1)), int(m.group(2)) - 1
        return (low, high) if high >= low else None
    if m := _AGE_OPEN.fullmatch(s):
        return int(m.group(1)), None
    return None


def age_group_label(age_from: int | None, age_to: int | None) -> str:
    """(from, to) → canonical label: "total", "37", "0-2", "75+"."""
    if age_from is None:
        return "total"
    if age_to is None:
        return f"{age_from}+"
    if age_to == age_from:
        return str(age_from)
    return f"{age_from}-{age_to}"


# --- Loading one file ---------------------------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def official_dataset_exists(sha256: str) -> bool:
    return Dataset.objects.filter(sha256=sha256, municipality__isnull=True).exists()


def spec_for(path: Path) -> FileSpec:
    spec = SPECS.get(path.name)
    if spec is None:
        known = ", ".join(sorted(SPECS))
        raise LoaderError(
            f"Unbekannte Datei „{path.name}“: Es können nur die aufbereiteten Dateien aus "
            f"shared/data/demografie geladen werden ({known}). Andere Tabellen importieren Sie mit "
            f"„import_statistics“."
        )
    return spec


def load_file(path: str | os.PathLike, *, progress: Progress | None = None) -> LoadSummary:
    """Import ONE derived CSV of ``shared/data/demografie`` (see the module docstring).

    Raises :class:`LoaderError` (German message) for an unknown file, a wrong header or a bad cell; nothing
    is written then. A file whose SHA-256 is already loaded is skipped without parsing it.
    """
    path = Path(path)
    started = time.monotonic()
    spec = spec_for(path)
    if not path.is_file():
        raise LoaderError(f"Datei nicht gefunden: {path}")
    sha256 = file_sha256(path)
    summary = LoadSummary(file_name=path.name, table_code=spec.table_code, title=spec.title)
    if official_dataset_exists(sha256):
        summary.skipped = True
        summary.note = "already loaded"
        return summary
    try:
        with transaction.atomic():
            dataset = Dataset.objects.create(
                title=spec.title,
                table_code=spec.table_code,
                source=spec.source,
                licence=OFFICIAL_LICENCE,
                format=DatasetFormat.DERIVED_CSV,
                file_name=path.name,
                sha256=sha256,
                downloaded_on=spec.downloaded_on,
                data_as_of=spec.data_as_of,
            )
            values, regions = _write_observations(path, spec, dataset, progress)
            dataset.value_count = values
            dataset.region_count = regions
            dataset.save(update_fields=["value_count", "region_count"])
    except IntegrityError:
        # loaded at the same moment by another process: the unique sha256 constraint decided
        if not official_dataset_exists(sha256):
            raise
        summary.skipped = True
        summary.note = "already loaded"
        return summary
    summary.dataset_id = dataset.pk
    summary.values = values
    summary.regions = regions
    summary.seconds = time.monotonic() - started
    return summary


def _write_observations(path: Path, spec: FileSpec, dataset: Dataset, progress: Progress | None) -> tuple[int, int]:
    """Insert the file's values through :func:`daks.demography.bulk.insert_observations` (COPY on PostgreSQL)."""
    regions: set[str] = set()

    def rows():
        for row in _rows(path, spec, dataset.pk, _keep_date):
            regions.add(row[1])
            yield row

    def report(done: int) -> None:
        if progress:
            progress(f"{path.name}: {done:,} values …")

    values = insert_observations(rows(), progress=report)
    return values, len(regions)


def _keep_date(value):
    return value


def _open_text(path: Path) -> io.TextIOWrapper:
    with open(path, "rb") as handle:
        if handle.read(3) == codecs.BOM_UTF8:
            return open(path, encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8", newline="")


def _rows(path: Path, spec: FileSpec, dataset_id: int, adapt_date) -> Iterator[tuple]:
    """Stream the Observation rows (tuples in the order of ``bulk.COLUMNS``) of the file.

    Raises :class:`LoaderError` at the first bad line (the caller's transaction then writes nothing).
    """
    try:
        with _open_text(path) as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header:
                raise LoaderError(f"{path.name}: Die Datei ist leer.")
            header = [name.strip() for name in header]
            _check_header(path.name, spec, header)
            index = {name: i for i, name in enumerate(header)}
            key_index = index.get("regionalschluessel", index.get("ags"))
            ags_index = index.get("ags")
            time_index = index[spec.time_column] if spec.time_column else None
            age_index = index[spec.age_column] if spec.age_column else None
            # per value column: index, variable, sex, fixed (label, from, to) or None, fixed (year, date) or None
            cells = []
            for cell in spec.cells:
                age = (age_group_label(*cell.age), *cell.age) if cell.age is not None else None
                when = None
                if cell.year is not None:
                    when = (cell.year, adapt_date(dt.date(cell.year, 12, 31)) if spec.stock else None)
                cells.append((index[cell.column], cell.column, cell.variable, cell.sex, age, when))
            width = len(header)
            seen: set[tuple] = set()
            age_cache: dict[str, tuple[str, int | None, int | None]] = {}
            time_cache: dict[str, tuple[int, object]] = {}
            for lineno, row in enumerate(reader, start=2):
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) != width:
                    raise LoaderError(f"{path.name}, Zeile {lineno}: {len(row)} statt {width} Spalten.")
                key = row[ags_index] if ags_index is not None and row[ags_index] else row[key_index]
                if not _KEY.match(key):
                    raise LoaderError(f"{path.name}, Zeile {lineno}: „{key}“ ist kein gültiger Regionalschlüssel.")
                row_when = None
                if time_index is not None:
                    text = row[time_index]
                    if text not in time_cache:
                        year, date = _parse_time(path.name, lineno, text, stock=spec.stock)
                        time_cache[text] = (year, adapt_date(date))
                    row_when = time_cache[text]
                row_age = None
                if age_index is not None:
                    text = row[age_index]
                    if text not in age_cache:
                        parsed = parse_age_label(text)
                        if parsed is None:
                            raise LoaderError(f"{path.name}, Zeile {lineno}: Unbekannte Altersangabe „{text}“.")
                        age_cache[text] = (age_group_label(*parsed), *parsed)
                    row_age = age_cache[text]
                identity = (key, row_when, row_age)
                if identity in seen:
                    raise LoaderError(f"{path.name}, Zeile {lineno}: Die Region {key} kommt doppelt vor.")
                seen.add(identity)
                for i, column, variable, sex, age, when in cells:
                    text = row[i]
                    if text:
                        try:
                            value = float(text)
                        except ValueError:
                            raise LoaderError(f"{path.name}, Zeile {lineno}, Spalte {column}: „{text}“ ist keine Zahl.")
                        flag = ""
                    else:
                        value, flag = None, "."
                    label, age_from, age_to = age or row_age
                    year, date = when or row_when
                    yield (dataset_id, key, "", variable, year, date, sex, label, age_from, age_to, value, flag)
    except UnicodeDecodeError:
        raise LoaderError(f"{path.name}: Die Datei ist nicht UTF-8-kodiert.")
    except csv.Error as error:
        raise LoaderError(f"{path.name}: Die CSV-Datei ist fehlerhaft ({error}).")


def _check_header(file_name: str, spec: FileSpec, header: list[str]) -> None:
    present = set(header)
    expected = spec.columns
    missing = sorted(expected - present)
    unexpected = sorted(present - expected)
    problems = []
    if len(present) != len(header):
        problems.append("Spaltennamen kommen doppelt vor")
    if missing:
        problems.append("es fehlen die Spalten " + ", ".join(missing))
    if unexpected:
        problems.append("unerwartete Spalten " + ", ".join(unexpected))
    if problems:
        raise LoaderError(
            f"{file_name}: Die Spalten passen nicht zur Tabelle {spec.table_code} ({'; '.join(problems)}). "
            "Es wurde nichts importiert."
        )


def _parse_time(file_name: str, lineno: int, text: str, *, stock: bool) -> tuple[int, dt.date | None]:
    text = text.strip()
    try:
        if len(text) == 4 and text.isdigit():
            year = int(text)
            return year, (dt.date(year, 12, 31) if stock else None)
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise LoaderError(f"{file_name}, Zeile {lineno}: „{text}“ ist kein Jahr und kein Datum (JJJJ-MM-TT).")
    return date.year, (date if stock else None)


# --- Coordinates -------------------------------------------------------------------------------------------------

_SIX = Decimal("0.000001")


def _coordinate(text: str) -> Decimal | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return Decimal(text).quantize(_SIX)
    except ArithmeticError:
        return None


def load_coordinates(gemeinden_csv: str | os.PathLike, kreise_csv: str | os.PathLike | None = None) -> int:
    """Set ``lat``/``lon`` of Gemeinden from ``gemeinden.csv`` and of Kreise from ``kreise.csv``
    (population-weighted centre, next to ``gemeinden.csv`` unless given). Returns the number of regions
    updated; regions whose coordinates are already right are not written (idempotent).
    """
    gemeinden_csv = Path(gemeinden_csv)
    kreise_csv = Path(kreise_csv) if kreise_csv else gemeinden_csv.with_name("kreise.csv")
    wanted: dict[tuple[str, str], tuple[Decimal, Decimal]] = {}
    sources = [(gemeinden_csv, Level.GEMEINDE, "ags", "lat", "lon")]
    if kreise_csv.is_file():
        sources.append((kreise_csv, Level.KREIS, "ags5", "lat_bevgewichtet", "lon_bevgewichtet"))
    for path, level, key_column, lat_column, lon_column in sources:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {key_column, lat_column, lon_column} - set(reader.fieldnames or [])
            if missing:
                raise LoaderError(f"{path.name}: Es fehlen die Spalten {', '.join(sorted(missing))}.")
            for row in reader:
                lat, lon = _coordinate(row[lat_column]), _coordinate(row[lon_column])
                if lat is not None and lon is not None:
                    wanted[(level, row[key_column])] = (lat, lon)
    changed: list[tuple] = []
    regions = Region.objects.filter(level__in=[Level.GEMEINDE, Level.KREIS]).values_list(
        "id", "level", "key", "lat", "lon"
    )
    for pk, level, key, lat, lon in regions:
        coordinates = wanted.get((level, key))
        if coordinates and (lat, lon) != coordinates:
            changed.append((*coordinates, pk))
    # bulk_update() writes CASE WHEN statements and needs about 6 s for the 11,000 rows on SQLite; a prepared
    # UPDATE per row through executemany needs a fraction of a second.
    if changed:
        meta = Region._meta
        quote = connection.ops.quote_name
        lat_field, lon_field = meta.get_field("lat"), meta.get_field("lon")
        sql = (
            f"UPDATE {quote(meta.db_table)} SET {quote(lat_field.column)} = %s, {quote(lon_field.column)} = %s "  # noqa: S608
            f"WHERE {quote(meta.pk.column)} = %s"
        )
        adapt = connection.ops.adapt_decimalfield_value
        params = [
            (
                adapt(lat, lat_field.max_digits, lat_field.decimal_places),
                adapt(lon, lon_field.max_digits, lon_field.decimal_places),
                pk,
            )
            for lat, lon, pk in changed
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, params)
    return len(changed)


# --- Everything ---------------------------------------------------------------------------------------------------


def gv100ad_reference_date(path: Path) -> dt.date | None:
    """The Gebietsstand of a GV100AD file (columns 3–10 of its first record)."""
    with open(path, "rb") as handle:
        head = handle.read(64).decode("utf-8-sig", errors="replace")
    try:
        return dt.datetime.strptime(head[2:10], "%Y%m%d").date()
    except ValueError:
        return None


def import_gv100ad(path: Path, *, progress: Progress | None = None) -> LoadSummary:
    """Import a GV100AD unless regions of the same or a newer Gebietsstand are already there.

    (Importing an older edition over a newer one would set the newer Gemeinden inactive.) Example regions
    (Beispieldaten, Land 99) are not Destatis regions: the import would mark them dissolved, so they are
    kept active and those key changes are removed again.
    """
    from .example_data import EXAMPLE_SOURCE
    from .models import RegionKeyChange
    from .services import regions_import

    started = time.monotonic()
    summary = LoadSummary(file_name=path.name, title="Gemeindeverzeichnis GV100AD")
    reference_date = gv100ad_reference_date(path)
    if (
        reference_date
        and Region.objects.filter(reference_date__gte=reference_date).exclude(source=EXAMPLE_SOURCE).exists()
    ):
        summary.skipped = True
        summary.note = f"regions of Gebietsstand {reference_date:%d.%m.%Y} or newer already imported"
        return summary

    def region_progress(done, total):
        if progress:
            progress(f"{path.name}: {done}/{total} regions")

    with transaction.atomic():
        example_keys = list(Region.objects.filter(source=EXAMPLE_SOURCE).values_list("key", flat=True))
        result = regions_import(path=path, progress=region_progress)
        if example_keys:
            Region.objects.filter(source=EXAMPLE_SOURCE).update(active=True)
            RegionKeyChange.objects.filter(
                old_key__in=example_keys, kind=RegionKeyChange.Kind.DISSOLVED, change_date=result.reference_date
            ).delete()
    summary.regions = result.total
    summary.note = result.details()
    summary.seconds = time.monotonic() - started
    return summary


def load_shared_data(data_dir: str | os.PathLike, *, progress: Progress | None = None) -> list[LoadSummary]:
    """Load everything of ``shared/data`` that is there: GV100AD regions, coordinates, demography files.

    Each file is its own transaction; files already loaded are skipped (by SHA-256), so running it again
    changes nothing.
    """
    data_dir = Path(data_dir)
    summaries: list[LoadSummary] = []

    def done(summary: LoadSummary) -> None:
        summaries.append(summary)
        if progress:
            progress(summary.as_line())

    gv100ad = data_dir / GV100AD_FILE
    if gv100ad.is_file():
        done(import_gv100ad(gv100ad, progress=progress))
    gemeinden = data_dir / "gemeinden.csv"
    if gemeinden.is_file():
        started = time.monotonic()
        updated = load_coordinates(gemeinden)
        done(
            LoadSummary(
                file_name=gemeinden.name,
                title="Koordinaten",
                regions=updated,
                seconds=time.monotonic() - started,
                skipped=not updated,
                note="coordinates up to date" if not updated else "coordinates",
            )
        )
    for name in FILE_ORDER:
        path = data_dir / DEMOGRAFIE_DIR / name
        if path.is_file():
            done(load_file(path, progress=progress))
    return summaries


def has_shared_data(data_dir: str | os.PathLike) -> bool:
    data_dir = Path(data_dir)
    return (data_dir / GV100AD_FILE).is_file() or any(
        (data_dir / DEMOGRAFIE_DIR / name).is_file() for name in FILE_ORDER
    )


# --- Online: the current GV100AD from Destatis ---------------------------------------------------------------------


def online_enabled() -> bool:
    return os.environ.get("DAKS_ONLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def gv100ad_url() -> str:
    return (getattr(settings, "DAKS_GV100AD_URL", "") or os.environ.get("DAKS_GV100AD_URL", "")).strip()


def fetch_gv100ad(
    url: str | None = None, *, target_dir: str | os.PathLike | None = None, timeout: float = DOWNLOAD_TIMEOUT
) -> Path:
    """Download the GV100AD ZIP (or TXT) that Destatis publishes in GV-ISys and return the path of the
    unpacked ``GV100AD_<DDMMYYYY>.txt``.

    ``url`` defaults to ``settings.DAKS_GV100AD_URL`` (environment variable ``DAKS_GV100AD_URL``); Destatis
    changes it with every edition, so it must be configured. Only ``https`` URLs are accepted, the download
    is limited to 100 MB and ``timeout`` seconds per network operation. Raises :class:`LoaderError`.
    """
    url = (url or gv100ad_url()).strip()
    if not url:
        raise LoaderError("Es ist keine Adresse für das GV100AD konfiguriert (DAKS_GV100AD_URL).")
    if not url.lower().startswith("https://"):
        raise LoaderError(f"Das GV100AD kann nur über https geladen werden, nicht von „{url}“.")
    target = Path(target_dir) if target_dir else Path(settings.VAR_DIR) / "downloads"
    target.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": "DAKS (Open-Source-Plattform für Kommunen)"})  # noqa: S310
    chunks: list[bytes] = []
    size = 0
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - https checked above
            while chunk := response.read(1024 * 1024):
                size += len(chunk)
                if size > MAX_DOWNLOAD_BYTES:
                    raise LoaderError("Der Download des GV100AD ist größer als 100 MB und wurde abgebrochen.")
                chunks.append(chunk)
        data = b"".join(chunks)
    except LoaderError:
        raise
    except (OSError, ValueError) as error:
        raise LoaderError(f"Das GV100AD konnte nicht geladen werden ({error}).")
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [n for n in archive.namelist() if GV100AD_NAME.search(Path(n).name)]
                if not members:
                    raise LoaderError("Die ZIP-Datei enthält keine Datei GV100AD_<TTMMJJJJ>.txt.")
                name = Path(members[0]).name
                destination = target / name
                with archive.open(members[0]) as source, open(destination, "wb") as out:
                    shutil.copyfileobj(source, out)
        except zipfile.BadZipFile:
            raise LoaderError("Die heruntergeladene Datei ist keine gültige ZIP-Datei.")
        return destination
    if not data.lstrip(codecs.BOM_UTF8)[:2].isdigit():
        raise LoaderError("Die heruntergeladene Datei ist weder eine ZIP-Datei noch ein GV100AD.")
    match = GV100AD_NAME.search(Path(urllib.parse.urlparse(url).path).name)
    destination = target / (match.group(0) if match else "GV100AD_download.txt")
    destination.write_bytes(data)
    return destination


__all__ = [
    "FILE_ORDER",
    "SPECS",
    "LoadSummary",
    "LoaderError",
    "age_group_label",
    "fetch_gv100ad",
    "has_shared_data",
    "import_gv100ad",
    "load_coordinates",
    "load_file",
    "load_shared_data",
    "parse_age_label",
]
