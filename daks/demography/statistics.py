"""Writes of statistics: import of GENESIS/regionalstatistik tables and a Kommune's own data.

* :func:`statistics_import` – a classic GENESIS CSV or an ffcsv file (download or web service) becomes one
  :class:`~daks.demography.models.Dataset` with its :class:`~daks.demography.models.Observation` rows.
* :func:`own_data_import` – a Kommune's own CSV (``alter;geschlecht;anzahl[;ortsteil]``), stored as a dataset
  of that Kommune (``format=own``), never mixed with official figures.
* :func:`dataset_delete` – remove a Kommune's own dataset.

Every import validates the whole file first; if anything is wrong, :class:`StatisticsImportError` lists every
problem (German, with line numbers) and nothing is written. The write is one transaction.

Decisions (see also docs/data-sources.md):

* **Idempotent** by the SHA-256 of the file's bytes: the same file again writes nothing, the summary says
  ``created=False`` (German "bereits importiert").
* **Further dimensions** (``Record.extra``, e.g. the Zensus "Einwanderungsgeschichte" or "Deutsche" in the birth
  tables): only the totals are stored, i.e. records without extra dimensions or whose extra dimensions are all
  "Insgesamt"/"Total". The breakdowns are skipped (``summary.skipped``, with a warning), because the observation
  key (region × variable × year × sex × age group) has no place for them and the engine does not use them.
* **Variables**: only the known variables (:class:`~daks.demography.models.Variable`) are stored. A table
  without any of them is refused ("Tabelle … wird nicht unterstützt"); other columns of a supported table are
  skipped with a warning.
* **Own data**: the sex "d"/"divers" is not a category of the official statistics. Such counts go into the
  total of their age group (and Ortsteil) only; male and female stay as given. If the file has explicit
  "insgesamt" rows, those are the total and must not be smaller than male + female + divers.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from daks.core.audit import log_action
from daks.core.errors import DomainError

from .bulk import insert_observations
from .importers.genesis import (
    KNOWN_TABLES,
    ParsedTable,
    Record,
    StatisticsFileError,
    canonical_age_group,
    parse_statistics_file,
)
from .models import OFFICIAL_LICENCE, OFFICIAL_SOURCE, Dataset, DatasetFormat, Sex, Variable

BATCH_SIZE = 5000
PROGRESS_EVERY = 50_000
#: How many errors the message of :class:`StatisticsImportError` lists (``errors`` holds all of them).
REPORT_LIMIT = 50
#: Labels of an extra dimension that mean "all of them" (the total is kept, see the module docstring).
TOTAL_LABELS = frozenset({"", "insgesamt", "total", "gesamt", "zusammen"})

KNOWN_VARIABLES = frozenset(Variable.values)
SEX_LABELS = {s.value: s.label for s in Sex}

OWN_MAX_BYTES = 5 * 1024 * 1024
OWN_MAX_ROWS = 100_000
OWN_MAX_AGE = 130
#: More people in one row than this is not plausible for a Kommune (and would not fit the database).
OWN_MAX_COUNT = 100_000_000


class StatisticsImportError(DomainError):
    """The file is invalid; nothing was written. ``errors`` lists every problem (German, with line numbers)."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        shown = self.errors[:REPORT_LIMIT]
        lines = [f"Die Datei ist ungültig ({len(self.errors)} Fehler), es wurde nichts importiert:", *shown]
        if len(self.errors) > len(shown):
            lines.append(f"… und {len(self.errors) - len(shown)} weitere Fehler")
        super().__init__("\n".join(lines), field="file")


@dataclass
class StatisticsImportSummary:
    values: int  # values of the file (= of the dataset)
    regions: int  # distinct region keys
    dataset: Dataset | None  # None in a dry run
    created: bool  # False: dry run, or the file had been imported before (nothing written)
    dry_run: bool = False
    already_imported: bool = False
    skipped: int = 0  # records not stored (breakdowns of extra dimensions, unknown variables)
    warnings: list[str] = field(default_factory=list)
    table_code: str = ""
    title: str = ""

    def as_line(self) -> str:
        if self.dry_run:
            return f"validated {self.values} values for {self.regions} regions (dry run, nothing written)"
        if self.already_imported:
            return "imported 0 values for 0 regions"
        return f"imported {self.values} values for {self.regions} regions"


# ---------------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------------

_AGE_RANGE = re.compile(r"(\d{1,3})-(\d{1,3})")
_AGE_PLUS = re.compile(r"(\d{1,3})\+")
_AGE_SINGLE = re.compile(r"\d{1,3}")


def age_bounds(age_group: str) -> tuple[int | None, int | None]:
    """Canonical age group -> (age_from, age_to), inclusive; raises ValueError (German) if not canonical.

    "0-2" → (0, 2), "75+" → (75, None), "37" → (37, 37), "total" → (None, None).
    """
    if age_group == "total":
        return None, None
    if _AGE_SINGLE.fullmatch(age_group):
        return int(age_group), int(age_group)
    m = _AGE_RANGE.fullmatch(age_group)
    if m and int(m.group(1)) <= int(m.group(2)):
        return int(m.group(1)), int(m.group(2))
    m = _AGE_PLUS.fullmatch(age_group)
    if m:
        return int(m.group(1)), None
    raise ValueError(f"Altersgruppe „{age_group}“ wird nicht erkannt")


def _is_total_extra(extra: tuple[tuple[str, str], ...]) -> bool:
    return all(value.strip().lower() in TOTAL_LABELS for _name, value in extra)


def _format_value(value: Any) -> str:
    return "–" if value is None else str(value)


def _describe(record: Record) -> str:
    age = "alle Altersgruppen" if record.age_group == "total" else f"Alter {record.age_group}"
    return f"{record.region_name} ({record.original_key}), {record.variable} {record.year}, {record.sex}, {age}"


@dataclass
class _Prepared:
    parsed: ParsedTable
    rows: list[tuple]  # the columns of bulk.COLUMNS without dataset_id
    regions: int
    skipped: int
    warnings: list[str]


def _prepare(parsed: ParsedTable) -> _Prepared:
    """Validate the parsed records and turn them into rows; raises StatisticsImportError."""
    records = parsed.records
    warnings = list(parsed.warnings)
    if not any(r.variable in KNOWN_VARIABLES for r in records):
        code = parsed.table_code or "ohne Code"
        found = ", ".join(sorted({r.variable for r in records})[:5])
        raise StatisticsImportError(
            [
                f"Tabelle {code} wird nicht unterstützt: keine der Größen Bevölkerung, Lebendgeborene, Gestorbene, "
                f"Zu- oder Fortzüge gefunden (gefunden: {found or 'nichts'})."
            ]
        )
    errors: list[str] = []
    rows: list[tuple] = []
    seen: dict[tuple, Record] = {}
    bounds: dict[str, tuple[int | None, int | None]] = {}
    regions: set[str] = set()
    skipped_extra = skipped_variable = 0
    unknown_variables: set[str] = set()
    for record in records:
        if record.variable not in KNOWN_VARIABLES:
            skipped_variable += 1
            unknown_variables.add(record.variable)
            continue
        if record.extra and not _is_total_extra(record.extra):
            skipped_extra += 1
            continue
        key = (record.region_key, record.variable, record.year, record.sex, record.age_group)
        previous = seen.get(key)
        if previous is not None:
            errors.append(
                f"Doppelter Wert für {_describe(record)}: {_format_value(previous.value)} und "
                f"{_format_value(record.value)}"
            )
            continue
        seen[key] = record
        if record.year is None:
            errors.append(f"Kein Jahr/Stichtag für {_describe(record)}")
            continue
        age = bounds.get(record.age_group)
        if age is None:
            try:
                age = bounds[record.age_group] = age_bounds(record.age_group)
            except ValueError as exc:
                errors.append(f"{exc} ({record.region_name}, {record.original_key})")
                continue
        if record.sex not in SEX_LABELS:
            errors.append(f"Geschlecht „{record.sex}“ wird nicht erkannt ({record.region_name})")
            continue
        regions.add(record.region_key)
        value = record.value
        rows.append(
            (
                record.region_key,
                "",
                record.variable,
                record.year,
                record.date,
                record.sex,
                record.age_group,
                age[0],
                age[1],
                None if value is None else float(value),
                record.flag[:4],
            )
        )
    if errors:
        raise StatisticsImportError(errors)
    if skipped_extra:
        warnings.append(
            f"{skipped_extra} Werte mit weiteren Merkmalen (z. B. Einwanderungsgeschichte) übersprungen; "
            "nur die Summen (Insgesamt) wurden übernommen"
        )
    if skipped_variable:
        warnings.append(
            f"{skipped_variable} Werte nicht unterstützter Merkmale übersprungen: "
            + ", ".join(sorted(unknown_variables)[:5])
        )
    if not rows:
        raise StatisticsImportError(["Die Datei enthält keine übernehmbaren Werte."])
    return _Prepared(parsed, rows, len(regions), skipped_extra + skipped_variable, warnings)


def _insert_observations(
    dataset: Dataset,
    rows: list[tuple],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Insert the rows through :func:`daks.demography.bulk.insert_observations` (COPY on PostgreSQL)."""
    total = len(rows)
    pk = dataset.pk
    done = insert_observations(
        ((pk, *r) for r in rows),
        progress=(lambda n: progress(n, total)) if progress else None,
        progress_every=PROGRESS_EVERY,
    )
    if progress:
        progress(done, total)


def _read_bytes(source: Any) -> tuple[bytes, str | None]:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), None
    if hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return data, getattr(source, "name", None)
    from pathlib import Path

    path = Path(source)
    try:
        return path.read_bytes(), path.name
    except OSError as exc:
        raise StatisticsImportError([f"Datei kann nicht gelesen werden: {exc.strerror or exc}"]) from exc


def _existing(sha256: str, municipality) -> Dataset | None:
    qs = Dataset.objects.filter(sha256=sha256)
    qs = qs.filter(municipality=municipality) if municipality is not None else qs.filter(municipality__isnull=True)
    return qs.first()


# ---------------------------------------------------------------------------------------------------------------
# Official tables
# ---------------------------------------------------------------------------------------------------------------


def statistics_import(
    *,
    source: Any,
    filename: str | None = None,
    municipality=None,
    user=None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    downloaded_on: dt.date | None = None,
    source_label: str = OFFICIAL_SOURCE,
    data_format: str | None = None,
) -> StatisticsImportSummary:
    """Import a classic GENESIS CSV or an ffcsv table (bytes, a path or a binary file object).

    Validates everything first (:class:`StatisticsImportError`, nothing written), then writes one
    :class:`Dataset` and its observations in one transaction. ``progress(done, total)`` is called every
    50,000 values and at the end. The same bytes imported again write nothing (``created=False``).
    ``municipality`` makes it the Kommune's own dataset (official tables leave it empty); ``source_label``
    and ``data_format`` override the provenance (the web-service fetch uses ``format=api``).
    """
    data, name = _read_bytes(source)
    filename = filename or name
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        parsed = parse_statistics_file(data, filename=filename)
    except StatisticsFileError as exc:
        raise StatisticsImportError([e.message for e in exc.errors]) from exc
    prepared = _prepare(parsed)
    title = parsed.title or KNOWN_TABLES.get(parsed.table_code, ("", ""))[1] or filename or parsed.table_code
    summary = StatisticsImportSummary(
        values=len(prepared.rows),
        regions=prepared.regions,
        dataset=None,
        created=False,
        dry_run=dry_run,
        skipped=prepared.skipped,
        warnings=prepared.warnings,
        table_code=parsed.table_code,
        title=title,
    )
    existing = _existing(sha256, municipality)
    if existing is not None:
        summary.dataset = existing
        summary.already_imported = True
        return summary
    if dry_run:
        return summary

    fmt = data_format or (DatasetFormat.GENESIS_FFCSV if parsed.format == "ffcsv" else DatasetFormat.GENESIS_CLASSIC)
    try:
        with transaction.atomic():
            dataset = Dataset.objects.create(
                municipality=municipality,
                title=title[:300],
                table_code=parsed.table_code[:40],
                source=source_label,
                licence=OFFICIAL_LICENCE,
                format=fmt,
                file_name=(filename or "")[:255],
                sha256=sha256,
                downloaded_on=downloaded_on,
                data_as_of=f"Stand: {parsed.stand}"[:100] if parsed.stand else "",
                imported_by=user if user is not None and user.is_authenticated else None,
                value_count=len(prepared.rows),
                region_count=prepared.regions,
            )
            _insert_observations(dataset, prepared.rows, progress=progress)
    except IntegrityError:
        # imported concurrently by someone else a moment ago
        existing = _existing(sha256, municipality)
        if existing is None:
            raise
        summary.dataset = existing
        summary.already_imported = True
        return summary
    summary.dataset = dataset
    summary.created = True
    return summary


# ---------------------------------------------------------------------------------------------------------------
# A Kommune's own data
# ---------------------------------------------------------------------------------------------------------------

OWN_HEADERS = {
    "alter": "age",
    "age": "age",
    "geschlecht": "sex",
    "sex": "sex",
    "anzahl": "count",
    "count": "count",
    "ortsteil": "district",
    "district": "district",
}
OWN_SEX = {
    "m": "male",
    "männlich": "male",
    "maennlich": "male",
    "male": "male",
    "w": "female",
    "f": "female",
    "weiblich": "female",
    "female": "female",
    "d": "diverse",
    "divers": "diverse",
    "diverse": "diverse",
    "x": "diverse",
    "insgesamt": "total",
    "gesamt": "total",
    "total": "total",
    "i": "total",
}
OWN_SEX_OUT = {"male": "m", "female": "w", "total": "insgesamt"}
_COUNT = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+")


@dataclass
class OwnDataSummary:
    dataset: Dataset
    values: int
    districts: list[str]


def _decode_own(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _own_age(text: str) -> str | None:
    s = text.strip().lower().replace(" ", "").replace("–", "-")
    if s in ("", "insgesamt", "total", "gesamt", "alle"):
        return "total"
    if _AGE_SINGLE.fullmatch(s):
        return str(int(s))
    m = _AGE_RANGE.fullmatch(s)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        return None if a > b else (str(a) if a == b else f"{a}-{b}")
    m = _AGE_PLUS.fullmatch(s) or re.fullmatch(r"(\d{1,3})(?:undälter|undmehr|andover|andolder)", s)
    if m:
        return f"{int(m.group(1))}+"
    return canonical_age_group(text)


def parse_own_data(data: bytes) -> list[tuple[str, str, str, int]]:
    """Parse a Kommune's own CSV -> rows (district, age_group, sex, count), sex total/male/female.

    Columns ``alter;geschlecht;anzahl[;ortsteil]`` (or ``age,sex,count,district``), ``;`` or ``,`` separated.
    Raises :class:`StatisticsImportError` with every problem (German, with line numbers).
    """
    if len(data) > OWN_MAX_BYTES:
        raise StatisticsImportError([f"Die Datei ist zu groß (höchstens {OWN_MAX_BYTES // (1024 * 1024)} MB)."])
    text = _decode_own(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise StatisticsImportError(["Die Datei ist leer."])
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    errors: list[str] = []
    header: list[str] | None = None
    columns: dict[str, int] = {}
    found: dict[tuple[str, str, str], tuple[int, int]] = {}  # (district, age, sex) -> (count, line)
    try:
        for row in reader:
            line = reader.line_num
            if not row or not "".join(row).strip():
                continue
            if header is None:
                header = [c.strip().lower() for c in row]
                for i, name in enumerate(header):
                    if name in OWN_HEADERS:
                        columns.setdefault(OWN_HEADERS[name], i)
                required = (("alter", "age"), ("geschlecht", "sex"), ("anzahl", "count"))
                missing = [n for n, k in required if k not in columns]
                if missing:
                    raise StatisticsImportError(
                        [
                            f"Zeile {line}: Spalte(n) {', '.join('„' + m + '“' for m in missing)} fehlen – "
                            "erwartet wird die Kopfzeile „alter;geschlecht;anzahl“ (optional „;ortsteil“)"
                        ]
                    )
                continue
            if len(found) >= OWN_MAX_ROWS:
                errors.append(f"Zeile {line}: zu viele Zeilen (höchstens {OWN_MAX_ROWS})")
                break
            cells = [c.strip() for c in row]
            needed = max(columns.values())
            if len(cells) <= max(columns["age"], columns["sex"], columns["count"]):
                errors.append(f"Zeile {line}: zu wenige Spalten ({len(cells)}), erwartet {needed + 1}")
                continue
            line_errors = []
            age = _own_age(cells[columns["age"]])
            if age is None:
                line_errors.append(
                    f"Alter „{cells[columns['age']]}“ wird nicht erkannt (z. B. 37, 0-2, 75+, insgesamt)"
                )
            else:
                try:
                    lo, hi = age_bounds(age)
                except ValueError:  # e.g. "1000 Jahre": recognised as a label, but no age
                    lo = hi = OWN_MAX_AGE + 1
                if (lo is not None and lo > OWN_MAX_AGE) or (hi is not None and hi > OWN_MAX_AGE):
                    line_errors.append(f"Alter „{cells[columns['age']][:40]}“ ist unplausibel")
            sex = OWN_SEX.get(cells[columns["sex"]].lower())
            if sex is None:
                line_errors.append(f"Geschlecht „{cells[columns['sex']]}“ wird nicht erkannt (m, w, d oder insgesamt)")
            raw = cells[columns["count"]]
            count = None
            if _COUNT.fullmatch(raw):
                digits = raw.replace(".", "").lstrip("0") or "0"
                count = int(digits) if len(digits) <= 12 else OWN_MAX_COUNT + 1  # no int() of 5000 digits
            if count is None:
                line_errors.append(f"Anzahl „{raw[:40]}“ ist keine ganze Zahl ≥ 0")
            elif count > OWN_MAX_COUNT:
                line_errors.append(f"Anzahl „{raw[:40]}“ ist unplausibel groß (höchstens 100.000.000)")
                count = None
            district = ""
            if "district" in columns and columns["district"] < len(cells):
                district = cells[columns["district"]][:100]
            if line_errors:
                errors.extend(f"Zeile {line}: {e}" for e in line_errors)
                continue
            key = (district, age, sex)
            if key in found:
                where = f" im Ortsteil „{district}“" if district else ""
                errors.append(
                    f"Zeile {line}: doppelte Angabe für Alter {cells[columns['age']]}, Geschlecht "
                    f"{cells[columns['sex']]}{where} (schon in Zeile {found[key][1]})"
                )
                continue
            found[key] = (count, line)
    except csv.Error as exc:
        errors.append(f"CSV-Struktur fehlerhaft: {exc}")
    if header is None:
        raise StatisticsImportError(["Die Datei ist leer."])
    if not found and not errors:
        errors.append("Die Datei enthält keine Datenzeilen.")
    if errors:
        raise StatisticsImportError(errors)

    # "divers" goes into the total only (see the module docstring)
    rows: list[tuple[str, str, str, int]] = []
    groups: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
    for (district, age, sex), value in found.items():
        groups.setdefault((district, age), {})[sex] = value
    for (district, age), by_sex in groups.items():
        parts = sum(by_sex[s][0] for s in ("male", "female", "diverse") if s in by_sex)
        if "total" in by_sex:
            total, line = by_sex["total"]
            if total < parts:
                errors.append(f"Zeile {line}: insgesamt {total} ist kleiner als die Summe der Geschlechter ({parts})")
        else:
            total = parts
        for sex in ("male", "female"):
            if sex in by_sex:
                rows.append((district, age, sex, by_sex[sex][0]))
        rows.append((district, age, "total", total))
    if errors:
        raise StatisticsImportError(errors)
    return rows


def own_data_region_key(municipality) -> str:
    """The region key of a Kommune's own figures: its official key, else ``K<id>`` (fits the 12 characters of
    ``region_key`` for any id below 10¹¹; never an official key, which has digits only). Own figures are read by
    their dataset, never by this key, so rows of earlier imports ("kommune-<id>") stay valid."""
    return municipality.official_key or f"K{municipality.pk}"


def own_data_import(
    *, municipality, user, file: Any, title: str, reference_date: dt.date, filename: str | None = None
) -> OwnDataSummary:
    """Store a Kommune's own population figures (validated line by line, all-or-nothing)."""
    data, name = _read_bytes(file)
    filename = filename or name or ""
    rows = parse_own_data(data)
    sha256 = hashlib.sha256(data).hexdigest()
    if _existing(sha256, municipality) is not None:
        raise DomainError(_("This file has already been uploaded."), field="file")
    region_key = own_data_region_key(municipality)
    observation_rows = []
    for district, age, sex, count in rows:
        lo, hi = age_bounds(age)
        observation_rows.append(
            (
                region_key,
                district,
                Variable.POPULATION.value,
                reference_date.year,
                reference_date,
                sex,
                age,
                lo,
                hi,
                float(count),
                "",
            )
        )
    districts = sorted({d for d, *_ in rows})
    try:
        with transaction.atomic():
            dataset = Dataset.objects.create(
                municipality=municipality,
                title=title[:300],
                source=f"Eigene Daten der Kommune {municipality.name}"[:300],
                licence="",
                format=DatasetFormat.OWN_CSV,
                file_name=filename[:255],
                sha256=sha256,
                data_as_of=f"Stichtag {reference_date:%d.%m.%Y}",
                imported_by=user if user is not None and user.is_authenticated else None,
                value_count=len(observation_rows),
                region_count=max(len(districts), 1),
            )
            _insert_observations(dataset, observation_rows)
            log_action(
                "demography.dataset.uploaded",
                actor=user,
                municipality=municipality,
                obj=dataset,
                dataset_id=dataset.pk,
                values=len(observation_rows),
            )
    except IntegrityError as exc:
        raise DomainError(_("This file has already been uploaded."), field="file") from exc
    return OwnDataSummary(dataset=dataset, values=len(observation_rows), districts=[d for d in districts if d])


@transaction.atomic
def dataset_delete(*, actor, dataset: Dataset) -> None:
    """Delete a Kommune's own dataset with its values. Official datasets cannot be deleted here."""
    if dataset.municipality_id is None:
        raise DomainError(_("Official statistics cannot be deleted here."))
    municipality = dataset.municipality
    title, pk, values = dataset.title, dataset.pk, dataset.value_count
    dataset.delete()
    log_action(
        "demography.dataset.deleted", actor=actor, municipality=municipality, obj=title, dataset_id=pk, values=values
    )
