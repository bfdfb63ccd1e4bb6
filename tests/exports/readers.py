"""Reading the exported files back in tests: PDF (pypdf), ODT (odfpy), XLSX (openpyxl)."""

import io

from odf import teletype
from odf.opendocument import load
from odf.text import H, P


def pdf_reader(content: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in pdf_reader(content).pages)


def odt_document(content: bytes):
    return load(io.BytesIO(content))


def odt_text(content: bytes) -> str:
    document = odt_document(content)
    elements = document.getElementsByType(H) + document.getElementsByType(P)
    return "\n".join(teletype.extractText(element) for element in elements)


def xlsx_workbook(content: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content))


def xlsx_values(worksheet) -> list[list]:
    return [list(row) for row in worksheet.iter_rows(values_only=True)]
