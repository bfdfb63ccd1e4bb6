"""Participant lists of an event for the organisers: CSV (German spreadsheets) and XLSX.

Exporters return ``(filename, mimetype, bytes)``. Text that a spreadsheet would take for a formula gets a
leading apostrophe (CSV injection: names and organisations are typed by the public).
"""

from __future__ import annotations

import csv
import io

from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from daks.exports.xlsx import Workbook

from .selectors import participants

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe(text: str) -> str:
    text = str(text or "")
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else ""


def _headers() -> list[str]:
    return [
        _("Name"),
        _("E-mail address"),
        _("Organisation or municipality"),
        _("Status"),
        _("Waiting list position"),
        _("Registered at"),
        _("Cancelled at"),
    ]


def _rows(event):
    for registration in participants(event):
        yield [
            _safe(registration.name),
            _safe(registration.email),
            _safe(registration.organisation),
            registration.get_status_display(),
            registration.position,
            _when(registration.created_at),
            _when(registration.cancelled_at),
        ]


def _filename(event, extension: str) -> str:
    return f"teilnehmende-{slugify(event.slug) or 'veranstaltung'}.{extension}"


def participants_csv(event) -> tuple[str, str, bytes]:
    """Semicolon-separated, UTF-8 with BOM (opens correctly in German spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(_headers())
    for row in _rows(event):
        writer.writerow(["" if value is None else value for value in row])
    return _filename(event, "csv"), "text/csv; charset=utf-8", ("\ufeff" + out.getvalue()).encode("utf-8")


def participants_xlsx(event) -> tuple[str, str, bytes]:
    workbook = Workbook(title=_("Participants: %(title)s") % {"title": event.title})
    workbook.sheet(
        _("Participants"),
        _headers(),
        list(_rows(event)),
        caption=f"{event.title} – {_when(event.starts_at)}",
        number_formats={4: "0"},
    )
    return _filename(event, "xlsx"), XLSX, workbook.to_bytes()
