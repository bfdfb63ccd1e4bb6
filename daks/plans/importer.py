"""Import of measures from the spreadsheet many Kommunen already keep (XLSX or CSV), all-or-nothing.

The steps: download the template (``template_xlsx`` / ``template_csv``, German column headings) → upload
(``read_table``: the type is decided by the content — an XLSX file is a zip archive with ``xl/workbook.xml``,
anything else must be CSV text in UTF-8 or Windows-1252 with ``;`` or ``,`` as separator) → the table waits in
the cache under a random token (``store_upload`` / ``load_upload``) → column mapping (``guess_mapping``; the user
may change it) → ``validate_rows``: a report with row numbers and German messages → ``measures_import``: every
row through ``services.measure_create`` in one transaction; one failing row and nothing is written.

German number formats (``1.234,50``) and dates (``24.11.2026``) are accepted, as are ISO dates and the
numbers and dates of Excel cells.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError

from .models import Goal, Measure, MeasureStatus, Plan, Priority, TargetGroup

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 60
MAX_CELL_CHARS = 20000
#: Zip archives with more entries or a larger unpacked size are not plausible spreadsheets (zip bombs).
MAX_ZIP_ENTRIES = 500
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
UPLOAD_TIMEOUT = 60 * 60
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CACHE_PREFIX = "daks:plans:import:"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

#: (key, German column heading, required). The keys are the names of ``measure_create``'s data.
COLUMNS = [
    ("field_of_action", "Handlungsfeld", True),
    ("title", "Titel", True),
    ("description", "Beschreibung", False),
    ("responsible_unit", "Verantwortliche Stelle", False),
    ("responsible_person", "Verantwortliche Person (E-Mail)", False),
    ("start_date", "Beginn", False),
    ("end_date", "Ende", False),
    ("budget_own", "Eigenmittel", False),
    ("budget_third_party", "Drittmittel", False),
    ("budget_secured", "Gesichert", False),
    ("funding_programme", "Förderprogramm", False),
    ("priority", "Priorität", False),
    ("status", "Status", False),
    ("progress", "Fortschritt", False),
    ("target_groups", "Zielgruppen", False),
    ("goals", "Ziele", False),
]
HEADINGS = {key: heading for key, heading, _required in COLUMNS}
REQUIRED = [key for key, _heading, required in COLUMNS if required]

#: Further spellings recognised when guessing the mapping (normalised: lower case, letters and digits only).
ALIASES = {
    "field_of_action": ["handlungsfeld", "handlungsfelder", "feld", "fieldofaction", "themenfeld"],
    "title": ["titel", "massnahme", "maßnahme", "bezeichnung", "name", "title", "measure"],
    "description": ["beschreibung", "kurzbeschreibung", "inhalt", "description"],
    "responsible_unit": [
        "verantwortlichestelle",
        "zuständigestelle",
        "stelle",
        "amt",
        "federführung",
        "zuständigkeit",
        "responsibleunit",
    ],
    "responsible_person": [
        "verantwortlichepersonemail",
        "verantwortlicheperson",
        "ansprechperson",
        "email",
        "emailadresse",
        "responsibleperson",
        "responsiblepersonemail",
    ],
    "start_date": ["beginn", "start", "startdatum", "anfang", "von", "startdate"],
    "end_date": ["ende", "enddatum", "bis", "abschluss", "enddate", "end"],
    "budget_own": ["eigenmittel", "eigenanteil", "ownfunds", "budgeteigenmittel"],
    "budget_third_party": ["drittmittel", "fordermittel", "fördermittel", "thirdpartyfunding"],
    "budget_secured": ["gesichert", "gesichertemittel", "davongesichert", "secured"],
    "funding_programme": ["forderprogramm", "förderprogramm", "fundingprogramme", "fundingprogram"],
    "priority": ["prioritat", "priorität", "prio", "priority"],
    "status": ["status", "stand"],
    "progress": ["fortschritt", "fortschrittinprozent", "umsetzungsstand", "progress"],
    "target_groups": ["zielgruppen", "zielgruppe", "targetgroups"],
    "goals": ["ziele", "ziel", "goals", "goal"],
}


class ImportFileError(Exception):
    """The file cannot be read at all; ``message`` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ImportRowsError(DomainError):
    """Rows failed while importing: ``errors`` lists German messages with row numbers; nothing was written."""

    def __init__(self, errors: list[str]):
        super().__init__(_("Nothing was imported: the file contains errors."))
        self.errors = errors


def column_label(key: str) -> str:
    """The label of a target field in the mapping form (from the model, e.g. "Verantwortliche Stelle")."""
    if key == "goals":
        return str(capfirst(gettext_lazy("goals")))
    return str(capfirst(Measure._meta.get_field(key).verbose_name))


# --- Template -----------------------------------------------------------------------------------------------------


def _labels(choices) -> list[str]:
    with translation.override("de"):
        return [str(label) for _value, label in choices.choices]


def template_rows() -> list[list[str]]:
    return [[heading for _key, heading, _required in COLUMNS]]


def template_csv() -> bytes:
    """The empty template as CSV: UTF-8 with BOM (Excel opens it correctly), separated by semicolons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(template_rows())
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _safe_cell(value: str) -> str:
    """Text that a spreadsheet would take for a formula (= + - @) gets a leading apostrophe."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def template_xlsx(plan: Plan | None = None) -> bytes:
    """The template as an Excel workbook: the sheet "Maßnahmen" and a sheet "Hinweise" with the allowed values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Maßnahmen"
    sheet.append(template_rows()[0])
    for index, (key, heading, _required) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(heading) + 4)
        if key in ("status", "priority"):
            labels = _labels(MeasureStatus if key == "status" else Priority)
            validation = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True)
            sheet.add_data_validation(validation)
            validation.add(f"{get_column_letter(index)}2:{get_column_letter(index)}{MAX_ROWS + 1}")
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet("Hinweise")
    notes.column_dimensions["A"].width = 34
    notes.column_dimensions["B"].width = 90
    lines = [
        ("Spalte", "Hinweis"),
        ("Handlungsfeld *", "Titel eines Handlungsfelds des Werkstattplans (oder seine Nummer)."),
        ("Titel *", "Titel der Maßnahme."),
        ("Verantwortliche Person (E-Mail)", "E-Mail-Adresse eines Mitglieds des Teams der Kommune."),
        ("Beginn, Ende", "Datum wie 24.11.2026 oder 2026-11-24."),
        ("Eigenmittel, Drittmittel, Gesichert", "Beträge in Euro, z. B. 1.234,50; nicht negativ."),
        ("Priorität", ", ".join(_labels(Priority))),
        ("Status", ", ".join(_labels(MeasureStatus))),
        ("Fortschritt", "Ganze Zahl von 0 bis 100 (Prozent)."),
        ("Zielgruppen", "Mehrere durch Komma getrennt: " + ", ".join(_labels(TargetGroup))),
        ("Ziele", "Titel von Zielen des Werkstattplans, mehrere durch Semikolon oder Zeilenumbruch getrennt."),
    ]
    if plan is not None:
        from daks.profile.models import FieldOfAction

        titles = FieldOfAction.objects.filter(process_id=plan.process_id).order_by("priority", "id")
        lines.append(("Handlungsfelder", "; ".join(titles.values_list("title", flat=True)) or "–"))
    for line in lines:
        notes.append([_safe_cell(value) for value in line])
    notes["A1"].font = notes["B1"].font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Reading a file -----------------------------------------------------------------------------------------------


def _too_large() -> ImportFileError:
    return ImportFileError(_("The file is too large: at most 2 MB are allowed."))


def _read_bytes(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _too_large()
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _too_large()
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    return data


def _not_a_spreadsheet() -> ImportFileError:
    return ImportFileError(
        _("The file is neither a CSV text file nor an Excel workbook (XLSX). Please save it as XLSX or CSV.")
    )


def _check_xlsx(data: bytes) -> None:
    """Raise unless ``data`` is a plausible XLSX workbook (a zip with ``xl/workbook.xml``, no macros, no bomb)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ImportFileError(_("The Excel workbook cannot be read. Please check the file.")) from None
    with archive:
        entries = archive.infolist()
        names = {entry.filename for entry in entries}
        if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
            raise ImportFileError(_("The file is a zip archive but not an Excel workbook (XLSX)."))
        if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
            raise ImportFileError(_("The Excel workbook is too large to be imported."))
        if "xl/vbaProject.bin" in names:
            raise ImportFileError(_("The workbook contains macros. Please save it as a workbook without macros."))


def _cell(value):
    """An XLSX cell as str, int, float (numbers stay numbers) or an ISO date string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | float):
        return value
    return str(value)[:MAX_CELL_CHARS]


def _xlsx_table(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    _check_xlsx(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # any parse error means "not a readable workbook"
        raise ImportFileError(_("The Excel workbook cannot be read. Please check the file.")) from None
    try:
        sheet = workbook.worksheets[0]
        table = []
        for row in sheet.iter_rows(max_col=MAX_COLUMNS):
            cells = []
            for cell in row:
                value = getattr(cell, "value", None)
                number_format = getattr(cell, "number_format", "") or ""
                if isinstance(value, int | float) and not isinstance(value, bool) and "%" in number_format:
                    value = f"{Decimal(str(value)) * 100:f}".rstrip("0").rstrip(".") + " %"
                cells.append(_cell(value))
            table.append(cells)
            if len(table) > MAX_ROWS + 1:
                break
        return table
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(_("The Excel workbook cannot be read. Please check the file.")) from None
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ord(char) < 32 and char not in "\t\r\n" for char in text):
            break
        return text
    raise _not_a_spreadsheet()


def _csv_table(text: str) -> list[list]:
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        rows = []
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            rows.append([cell[:MAX_CELL_CHARS] for cell in row[:MAX_COLUMNS]])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except csv.Error:
        raise ImportFileError(_("The CSV file is malformed (for example an unclosed quotation mark).")) from None


def _extension(name: str) -> str:
    name = str(name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def read_table(upload) -> list[list]:
    """The first sheet of an uploaded XLSX or CSV file as rows of cells; the type is checked by the content.

    Raises ``ImportFileError`` for oversize, empty, unreadable or disguised files (a file whose name claims
    another type than its content, e.g. a PDF named ``.csv``).
    """
    data = _read_bytes(upload)
    extension = _extension(getattr(upload, "name", ""))
    if extension == "xls":
        raise ImportFileError(_("Old Excel files (.xls) cannot be read. Please save the file as XLSX or CSV."))
    if extension not in ("", "xlsx", "csv", "txt"):
        raise ImportFileError(_("Only Excel workbooks (XLSX) and CSV files can be imported."))
    if data.startswith(b"PK\x03\x04"):
        if extension not in ("", "xlsx"):
            raise ImportFileError(_("The content of the file does not match its name: it is not a CSV file."))
        table = _xlsx_table(data)
    else:
        if extension == "xlsx":
            raise ImportFileError(
                _("The content of the file does not match its name: it is not a real Excel workbook (XLSX).")
            )
        table = _csv_table(_decode(data))
    # Drop trailing empty rows and trailing empty header cells.
    while table and not any(str(cell).strip() for cell in table[-1]):
        table.pop()
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [str(cell).strip() for cell in table[0]]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise ImportFileError(_("The first row must contain the column headings."))
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(count)s rows. Please split it into several files.") % {"count": MAX_ROWS}
        )
    return [header, *table[1:]]


# --- Keeping the upload between the steps -------------------------------------------------------------------------


def store_upload(*, plan: Plan, user, filename: str, table: list[list]) -> str:
    """Keep the read table for an hour under a random token (bound to the user and the plan)."""
    token = secrets.token_urlsafe(24)
    name = str(filename or "").replace("\\", "/").rsplit("/", 1)[-1][:120]
    upload = {"user": user.pk, "plan": plan.pk, "filename": name, "table": table}
    cache.set(CACHE_PREFIX + token, upload, UPLOAD_TIMEOUT)
    return token


def load_upload(*, plan: Plan, user, token: str) -> dict | None:
    """The stored upload of ``token`` if it belongs to ``user`` and ``plan`` (None if unknown or expired)."""
    if not TOKEN_RE.match(str(token or "")):
        return None
    upload = cache.get(CACHE_PREFIX + token)
    if not upload or upload.get("user") != user.pk or upload.get("plan") != plan.pk:
        return None
    return upload


def discard_upload(token: str) -> None:
    if TOKEN_RE.match(str(token or "")):
        cache.delete(CACHE_PREFIX + token)


# --- Mapping ------------------------------------------------------------------------------------------------------


def _normalise(text) -> str:
    text = unicodedata.normalize("NFKC", str(text or "")).casefold().replace("ß", "ss")
    return re.sub(r"[^0-9a-zäöü]", "", text)


def guess_mapping(header: list[str]) -> dict[str, int | None]:
    """``{key: column index or None}``: each target field gets the first column whose heading fits it."""
    normalised = [_normalise(cell) for cell in header]
    mapping: dict[str, int | None] = {}
    used: set[int] = set()
    for key, heading, _required in COLUMNS:
        candidates = [_normalise(heading), *(_normalise(alias) for alias in ALIASES.get(key, []))]
        mapping[key] = None
        for candidate in candidates:
            index = next((i for i, cell in enumerate(normalised) if cell == candidate and i not in used), None)
            if index is not None:
                mapping[key] = index
                used.add(index)
                break
    return mapping


# --- Parsing values -----------------------------------------------------------------------------------------------

_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y")
_NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")


def parse_date(value) -> datetime.date | None:
    """A date from "24.11.2026", "2026-11-24", "24.11.26" or an Excel serial number; None if empty.

    Raises ``ValueError`` for anything else, including impossible dates like 31.02.2026.
    """
    if isinstance(value, int | float):
        if 20000 <= value <= 80000:  # Excel's day count (1954–2119) in a cell without date format
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        raise ValueError(value)
    text = str(value or "").strip()
    if not text:
        return None
    text = text.split(" ", 1)[0] if re.match(r"^\d{4}-\d{2}-\d{2} ", text) else text
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_decimal(value) -> Decimal | None:
    """A number from German ("1.234,50"), English ("1,234.50") or plain ("1234.5") notation; None if empty."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):  # NaN/∞ from a spreadsheet cell
            raise ValueError(value)
        return Decimal(str(value))
    text = str(value or "").strip()
    for remove in ("€", "EUR", "Euro", "\u00a0", "\u202f", " ", "'"):
        text = text.replace(remove, "")
    if not text:
        return None
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", "") if text.count(",") > 1 else text.replace(",", ".")
    elif text.count(".") > 1 or re.fullmatch(r"-?\d{1,3}\.\d{3}", text):
        text = text.replace(".", "")  # 1.234.567 or 1.234 (German thousands)
    if not _NUMBER_RE.match(text):
        raise ValueError(value)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None


def _choice_lookup(choices) -> dict[str, str]:
    """Accepted spellings of a choice: its code and its labels in German and English (case-insensitive)."""
    lookup = {}
    for language in ("en", "de"):
        with translation.override(language):
            for value, label in choices.choices:
                lookup[_normalise(label)] = value
    for value in choices.values:
        lookup[_normalise(value)] = value
    return lookup


def _split(text: str, separators: str) -> list[str]:
    return [part.strip() for part in re.split(f"[{re.escape(separators)}\n]", text) if part.strip()]


# --- Validation ---------------------------------------------------------------------------------------------------


@dataclass
class ImportRow:
    number: int
    data: dict
    errors: list[str] = field(default_factory=list)

    @property
    def budget_total(self) -> Decimal:
        return (self.data.get("budget_own") or Decimal("0")) + (self.data.get("budget_third_party") or Decimal("0"))

    @property
    def status_label(self) -> str:
        status = self.data.get("status")
        return str(MeasureStatus(status).label) if status in MeasureStatus.values else ""


@dataclass
class ValidationReport:
    rows: list[ImportRow]
    errors: list[str]
    mapping_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.mapping_errors and bool(self.rows)


class _Context:
    """Lookups shared by all rows (loaded once per validation)."""

    def __init__(self, plan: Plan):
        from daks.accounts.models import User
        from daks.profile.models import FieldOfAction

        fields = list(FieldOfAction.objects.filter(process_id=plan.process_id).order_by("priority", "id"))
        self.fields = {}
        for number, foa in enumerate(fields, start=1):
            self.fields.setdefault(_normalise(foa.title), foa)
            self.fields.setdefault(str(number), foa)
        self.goals: dict[str, list[Goal]] = {}
        for goal in Goal.objects.filter(plan=plan).order_by("position", "id"):
            self.goals.setdefault(_normalise(goal.title), []).append(goal)
        members = User.objects.filter(memberships__municipality_id=plan.municipality_id, is_active=True)
        self.people = {user.email.casefold(): user for user in members}
        self.statuses = _choice_lookup(MeasureStatus)
        self.priorities = _choice_lookup(Priority)
        self.target_groups = _choice_lookup(TargetGroup)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        value = Decimal(str(value))
    return str(value).strip()


def _row_values(cells: list, mapping: dict[str, int | None]) -> dict:
    return {
        key: (cells[index] if index is not None and index < len(cells) else "")
        for key, index in mapping.items()
        if key in HEADINGS
    }


def _validate_row(number: int, values: dict, ctx: _Context) -> ImportRow:
    errors: list[str] = []
    data: dict = {}

    def error(message: str, **params):
        errors.append(_("Row %(row)s: %(message)s") % {"row": number, "message": message % params})

    def column(key):
        return HEADINGS[key]

    raw = " ".join(_text(values.get("field_of_action", "")).split())
    foa = ctx.fields.get(_normalise(raw)) if raw else None
    if not raw:
        error(_("the field of action (“%(column)s”) is missing."), column=column("field_of_action"))
    elif foa is None:
        error(_("unknown field of action “%(value)s”."), value=raw)
    data["field_of_action"] = foa

    title = " ".join(_text(values.get("title", "")).split())
    if not title:
        error(_("the title (“%(column)s”) is missing."), column=column("title"))
    elif len(title) > 300:
        error(_("the title is longer than 300 characters."))
    data["title"] = title

    for key, limit in (("description", 20000), ("responsible_unit", 200), ("funding_programme", 300)):
        text = _text(values.get(key, ""))
        text = text if key == "description" else " ".join(text.split())
        if len(text) > limit:
            error(
                _("“%(column)s” is longer than %(limit)s characters."),
                column=column(key),
                limit=limit,
            )
        data[key] = text

    email = _text(values.get("responsible_person", "")).casefold()
    data["responsible_person"] = None
    if email:
        person = ctx.people.get(email)
        if person is None:
            error(_("no member of the team has the e-mail address “%(value)s”."), value=email)
        data["responsible_person"] = person

    for key in ("start_date", "end_date"):
        raw_date = values.get(key, "")
        try:
            data[key] = parse_date(raw_date)
        except ValueError:
            data[key] = None
            error(
                _("“%(value)s” in “%(column)s” is not a valid date (for example 24.11.2026)."),
                value=_text(raw_date),
                column=column(key),
            )
    if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
        error(_("the end (%(end)s) is before the beginning (%(start)s)."), end=_text(values.get("end_date")),
              start=_text(values.get("start_date")))  # fmt: skip

    for key in ("budget_own", "budget_third_party", "budget_secured"):
        raw_amount = values.get(key, "")
        try:
            amount = parse_decimal(raw_amount)
        except ValueError:
            error(_("“%(value)s” in “%(column)s” is not an amount."), value=_text(raw_amount), column=column(key))
            continue
        amount = amount if amount is not None else Decimal("0")
        if amount < 0:
            error(_("the amount in “%(column)s” must not be negative."), column=column(key))
        elif amount >= Decimal("1e12"):  # before quantize(): 40 digits exceed the decimal context
            error(_("the amount in “%(column)s” is too large."), column=column(key))
        elif amount != amount.quantize(Decimal("0.01")):
            error(_("the amount in “%(column)s” has more than two decimal places."), column=column(key))
        data[key] = amount
    amounts = [data.get(key) for key in ("budget_own", "budget_third_party", "budget_secured")]
    if all(isinstance(amount, Decimal) for amount in amounts) and amounts[2] > amounts[0] + amounts[1]:
        error(_("the secured amount is larger than own funds and third-party funding together."))

    for key, lookup, default, choices in (
        ("priority", ctx.priorities, Priority.MEDIUM, Priority),
        ("status", ctx.statuses, MeasureStatus.IDEA, MeasureStatus),
    ):
        raw_choice = _text(values.get(key, ""))
        if not raw_choice:
            data[key] = default
            continue
        value = lookup.get(_normalise(raw_choice))
        if value is None:
            allowed = ", ".join(str(label) for _value, label in choices.choices)
            error(
                _("unknown value “%(value)s” in “%(column)s” (allowed: %(allowed)s)."),
                value=raw_choice,
                column=column(key),
                allowed=allowed,
            )
        data[key] = value or default

    raw_progress = values.get("progress", "")
    progress_text = _text(raw_progress).replace("%", "").strip()
    data["progress"] = 0
    if progress_text:
        try:
            progress = parse_decimal(progress_text)
        except ValueError:
            progress = None
        if progress is None or progress != progress.to_integral_value() or not 0 <= progress <= 100:
            error(
                _("the progress “%(value)s” must be a whole number from 0 to 100."),
                value=_text(raw_progress),
            )
        else:
            data["progress"] = int(progress)

    groups = []
    for part in _split(_text(values.get("target_groups", "")), ",;/"):
        code = ctx.target_groups.get(_normalise(part))
        if code is None:
            error(_("unknown target group “%(value)s”."), value=part)
        elif code not in groups:
            groups.append(code)
    data["target_groups"] = groups

    goals = []
    for part in _split(_text(values.get("goals", "")), ";|"):
        candidates = ctx.goals.get(_normalise(part), [])
        if not candidates:
            error(_("unknown goal “%(value)s”."), value=part)
            continue
        same_field = [goal for goal in candidates if foa is not None and goal.field_of_action_id == foa.pk]
        goal = (same_field or candidates)[0]
        if goal not in goals:
            goals.append(goal)
    data["goals"] = goals
    data["partners"] = []
    return ImportRow(number=number, data=data, errors=errors)


def validate_rows(*, plan: Plan, table: list[list], mapping: dict[str, int | None]) -> ValidationReport:
    """Check every data row of ``table`` (row 1 is the header) with ``mapping``; nothing is written."""
    header = table[0] if table else []
    mapping_errors = []
    for key in REQUIRED:
        if mapping.get(key) is None:
            mapping_errors.append(
                _("Please choose the column for “%(field)s”.") % {"field": column_label(key)},
            )
    chosen = [index for index in mapping.values() if index is not None]
    if any(index >= len(header) or index < 0 for index in chosen):
        mapping_errors.append(_("The chosen column does not exist in the file."))
    elif len(chosen) != len(set(chosen)):
        mapping_errors.append(_("Each column of the file can be assigned to one field only."))
    if mapping_errors:
        return ValidationReport(rows=[], errors=[], mapping_errors=mapping_errors)
    ctx = _Context(plan)
    rows, errors = [], []
    for number, cells in enumerate(table[1:], start=2):
        if not any(str(cell).strip() for cell in cells):
            continue
        row = _validate_row(number, _row_values(cells, mapping), ctx)
        rows.append(row)
        errors.extend(row.errors)
    if not rows:
        errors.append(_("The file contains no measures (only the heading row)."))
    return ValidationReport(rows=rows, errors=errors)


# --- Import -------------------------------------------------------------------------------------------------------


@transaction.atomic
def measures_import(*, plan: Plan, user, rows: list[ImportRow], filename: str = "") -> list[Measure]:
    """Create one measure per row via ``services.measure_create``; all or nothing.

    Raises ``ImportRowsError`` (with row numbers) if a row is invalid or the service refuses a row.
    """
    from .services import measure_create

    invalid = [message for row in rows for message in row.errors]
    if invalid:
        raise ImportRowsError(invalid)
    if not rows:
        raise ImportRowsError([_("The file contains no measures (only the heading row).")])
    if len(rows) > MAX_ROWS:
        raise ImportRowsError([_("The file has more than %(count)s rows.") % {"count": MAX_ROWS}])
    created, errors = [], []
    for row in rows:
        try:
            with transaction.atomic():
                created.append(measure_create(plan=plan, user=user, data=dict(row.data)))
        except DomainError as error:
            errors.append(_("Row %(row)s: %(message)s") % {"row": row.number, "message": error.message})
    if errors:
        raise ImportRowsError(errors)
    log_action(
        "plans.measures.imported",
        actor=user,
        municipality=plan.municipality,
        obj=plan,
        process=plan.process_id,
        plan=plan.pk,
        count=len(created),
        filename=filename[:120],
    )
    return created
