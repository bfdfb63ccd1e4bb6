"""Export and import of the actors register: semicolon CSV (UTF-8 with BOM) and XLSX (openpyxl).

The import file type is determined from the content, never from the file name: an XLSX file is a zip
archive containing the workbook part ``xl/workbook.xml``; anything else must be text (CSV) that decodes as
UTF-8 (or Windows-1252, as older Excel versions write it) without control characters.
"""

import csv
import io
import zipfile

from django.utils import translation
from django.utils.translation import gettext as _

from .models import ActorKind, Sector

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 2000
#: Zip archives with more entries or a larger unpacked size are not plausible spreadsheets (zip bombs).
MAX_ZIP_ENTRIES = 500
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
HEADERS = [
    "name",
    "art",
    "organisation",
    "sektor",
    "rolle",
    "einfluss",
    "interesse",
    "email",
    "telefon",
    "einwilligung",
]
REQUIRED_HEADERS = ["name", "einfluss", "interesse"]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YES = {"ja", "j", "yes", "y", "x", "1", "true", "wahr"}
NO = {"", "nein", "n", "no", "0", "false", "falsch"}


class ImportFileError(Exception):
    """The file cannot be read at all; ``message`` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Export ---------------------------------------------------------------------------------------


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))


def export_rows(actors) -> list[list]:
    """Header plus one row per actor; contact data only where consent is recorded."""
    rows = [HEADERS]
    with translation.override("de"):
        for actor in actors:
            consent = actor.contact_consent
            rows.append(
                [
                    actor.name,
                    _label(ActorKind, actor.kind),
                    actor.organisation,
                    _label(Sector, actor.sector),
                    actor.role_in_process,
                    actor.influence,
                    actor.interest,
                    actor.email if consent else "",
                    actor.phone if consent else "",
                    "ja" if consent else "nein",
                ]
            )
    return rows


def _safe_cell(value):
    """Defuse spreadsheet formulas (CSV injection): text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_csv(actors) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in export_rows(actors):
        writer.writerow([_safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(actors) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Akteure"
    for row in export_rows(actors):
        sheet.append([_safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Import ---------------------------------------------------------------------------------------


def _read_upload(upload) -> bytes:
    if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
        raise ImportFileError(_("The file is too large: at most 2 MB are allowed."))
    data = upload.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(_("The file is too large: at most 2 MB are allowed."))
    return data


def _is_xlsx(data: bytes) -> bool:
    """A zip archive with the workbook part; raises ImportFileError for a workbook that would unpack to more
    than the limits (a zip bomb) — checked on the archive's directory, before anything is unpacked."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return False
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        return False
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise ImportFileError(_("The Excel workbook is too large to be imported."))
    return True


def _decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ord(char) < 32 and char not in "\t\r\n" for char in text):
            break
        return text
    raise ImportFileError(_("The file is neither a CSV text file nor an Excel workbook (XLSX). Please check the file."))


def _csv_table(text: str) -> list[list[str]]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line or "," not in first_line else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        raise ImportFileError(_("The CSV file is malformed (for example an unclosed quotation mark).")) from None


def _xlsx_table(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # any parse error means "not a readable workbook"
        raise ImportFileError(_("The Excel workbook cannot be read. Please check the file.")) from None
    try:
        sheet = workbook.worksheets[0]
        table = []
        for row in sheet.iter_rows(values_only=True):
            table.append(
                [
                    ""
                    if value is None
                    else (str(int(value)) if isinstance(value, float) and value.is_integer() else str(value))
                    for value in row
                ]
            )
            if len(table) > MAX_IMPORT_ROWS + 1:
                break
        return table
    except Exception:  # read-only workbooks parse the sheet while iterating: a damaged sheet fails only here
        raise ImportFileError(_("The Excel workbook cannot be read. Please check the file.")) from None
    finally:
        workbook.close()


def _undo_safe_cell(value: str) -> str:
    """Reverse ``_safe_cell`` of our own export (“'+49 …” → “+49 …”)."""
    if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@"):
        return value[1:]
    return value


def _choice_lookup(choices) -> dict[str, str]:
    """Accepted spellings of a choice: its code and its labels in German and English (case-insensitive)."""
    lookup = {}
    for language in ("en", "de"):
        with translation.override(language):
            for value, label in choices.choices:
                lookup[str(label).casefold()] = value
    for value in choices.values:
        lookup[value.casefold()] = value
    return lookup


def _score(raw: str, label: str, number: int, errors: list[str]):
    raw = raw.strip()
    if raw.isdigit() and 1 <= int(raw) <= 5:
        return int(raw)
    errors.append(
        _("Row %(row)s: “%(column)s” must be a whole number from 1 to 5 (found: “%(value)s”).")
        % {"row": number, "column": label, "value": raw}
    )
    return None


def parse_table(table: list[list[str]]) -> tuple[list[tuple[int, dict]], list[str]]:
    """Rows of a table with the German headers → ``[(row number, actor fields)]`` and line-by-line errors."""
    if not table:
        return [], [_("The file is empty.")]
    header = [cell.strip().lstrip("\ufeff").casefold() for cell in table[0]]
    missing = [name for name in REQUIRED_HEADERS if name not in header]
    if missing:
        return [], [
            _("Row 1: the columns %(columns)s are missing. Expected headers: %(headers)s.")
            % {"columns": ", ".join(missing), "headers": ";".join(HEADERS)}
        ]
    if len(table) - 1 > MAX_IMPORT_ROWS:
        return [], [_("The file has more than %(count)s rows.") % {"count": MAX_IMPORT_ROWS}]
    kinds, sectors = _choice_lookup(ActorKind), _choice_lookup(Sector)
    rows, errors = [], []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            errors.append(_("Row %(row)s: the row has more columns than the header.") % {"row": number})
            continue
        padded = [_undo_safe_cell(cell) for cell in [*cells, *[""] * (len(header) - len(cells))]]
        values = dict(zip(header, padded, strict=True))
        row_errors: list[str] = []
        kind_raw = values.get("art", "").strip()
        kind = kinds.get(kind_raw.casefold(), None) if kind_raw else ActorKind.ORGANISATION
        if kind is None:
            row_errors.append(
                _("Row %(row)s: unknown kind “%(value)s” (Organisation or Person).")
                % {"row": number, "value": kind_raw}
            )
        sector_raw = values.get("sektor", "").strip()
        sector = sectors.get(sector_raw.casefold(), None) if sector_raw else Sector.OTHER
        if sector is None:
            row_errors.append(_("Row %(row)s: unknown sector “%(value)s”.") % {"row": number, "value": sector_raw})
        influence = _score(values.get("einfluss", ""), "einfluss", number, row_errors)
        interest = _score(values.get("interesse", ""), "interesse", number, row_errors)
        consent_raw = values.get("einwilligung", "").strip().casefold()
        if consent_raw not in YES | NO:
            row_errors.append(
                _("Row %(row)s: “einwilligung” must be “ja” or “nein” (found: “%(value)s”).")
                % {"row": number, "value": values.get("einwilligung", "").strip()}
            )
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            (
                number,
                {
                    "name": values.get("name", ""),
                    "kind": kind,
                    "organisation": values.get("organisation", ""),
                    "sector": sector,
                    "role_in_process": values.get("rolle", ""),
                    "influence": influence,
                    "interest": interest,
                    "email": values.get("email", ""),
                    "phone": values.get("telefon", ""),
                    "contact_consent": consent_raw in YES,
                },
            )
        )
    return rows, errors


def read_import_file(upload) -> tuple[list[tuple[int, dict]], list[str]]:
    """Read an uploaded CSV or XLSX file (type by content) → parsed rows and errors. Raises ImportFileError."""
    data = _read_upload(upload)
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if _is_xlsx(data):
        table = _xlsx_table(data)
    elif data.startswith(b"PK\x03\x04"):
        raise ImportFileError(_("The file is a zip archive but not an Excel workbook (XLSX)."))
    else:
        table = _csv_table(_decode_text(data))
    return parse_table(table)
