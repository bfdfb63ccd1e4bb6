"""Building XLSX workbooks (openpyxl): one sheet per table with a bold header row, number formats, column widths
and the header row frozen.

    workbook = Workbook(title="Kommunalprofil")
    workbook.sheet("Kennzahlen", ["Kennzahl", "Wert"], [["Einwohner", 2935]], number_formats={1: "#,##0"})
    content = workbook.to_bytes()

Numbers stay numbers (the spreadsheet shows them in the reader's locale); ``number_formats`` maps a column index
to an Excel format code, or a cell may be a ``(value, format)`` pair of its own.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook as _Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EEF2")
MIN_WIDTH, MAX_WIDTH = 8, 60
#: Characters Excel does not allow in sheet names.
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def number_format(decimals: int) -> str:
    """``"#,##0"``, ``"#,##0.0"``, … (thousands separator; shown as 1.234,5 in German spreadsheets)."""
    return "#,##0" if decimals <= 0 else "#,##0." + "0" * decimals


def sheet_title(name: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique sheet name (at most 31 characters, no ``[]:*?/\\``)."""
    base = _FORBIDDEN.sub(" ", str(name)).strip().strip("'")[:31] or "Tabelle"
    taken = {title.casefold() for title in taken}
    title, number = base, 2
    while title.casefold() in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    return title


class Workbook:
    def __init__(self, *, title: str = "", creator: str = "DAKS", language: str = "de-DE"):
        self.workbook = _Workbook()
        self.workbook.remove(self.workbook.active)
        properties = self.workbook.properties
        properties.title = title[:200] or None
        properties.creator = creator
        properties.language = language

    def sheet(
        self,
        name: str,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        number_formats: Mapping[int, str] | None = None,
        caption: str = "",
        widths: Mapping[int, int] | None = None,
    ):
        """A sheet with ``headers`` in bold (frozen) and ``rows``; ``caption`` goes into a first row above them."""
        worksheet = self.workbook.create_sheet(sheet_title(name, self.workbook.sheetnames))
        number_formats = dict(number_formats or {})
        header_row = 1
        if caption:
            worksheet.cell(row=1, column=1, value=str(caption)).font = Font(bold=True, size=12)
            header_row = 2
        lengths = [len(str(header)) for header in headers]
        for column, header in enumerate(headers, start=1):
            cell = worksheet.cell(row=header_row, column=column, value=str(header))
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for row_index, row in enumerate(rows, start=header_row + 1):
            for column, value in enumerate(row, start=1):
                fmt = number_formats.get(column - 1)
                if isinstance(value, tuple):
                    value, fmt = value
                cell = worksheet.cell(row=row_index, column=column, value=value)
                if fmt and isinstance(value, int | float):
                    cell.number_format = fmt
                if isinstance(value, str) and "\n" in value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                text = value if isinstance(value, str) else ("" if value is None else f"{value:,}")
                longest = max((len(line) for line in str(text).split("\n")), default=0)
                while len(lengths) < column:
                    lengths.append(0)
                lengths[column - 1] = max(lengths[column - 1], longest)
        for column, length in enumerate(lengths, start=1):
            width = (widths or {}).get(column - 1) or min(max(length + 2, MIN_WIDTH), MAX_WIDTH)
            worksheet.column_dimensions[get_column_letter(column)].width = width
        worksheet.freeze_panes = worksheet.cell(row=header_row + 1, column=1)
        return worksheet

    def text_sheet(self, name: str, lines: Iterable[str]):
        """A sheet of plain text lines in column A (e.g. sources and licence)."""
        worksheet = self.workbook.create_sheet(sheet_title(name, self.workbook.sheetnames))
        for row, line in enumerate(lines, start=1):
            cell = worksheet.cell(row=row, column=1, value=str(line))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if row == 1:
                cell.font = Font(bold=True, size=12)
        worksheet.column_dimensions["A"].width = 100
        return worksheet

    def to_bytes(self) -> bytes:
        if not self.workbook.sheetnames:
            self.workbook.create_sheet("Tabelle")
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()
