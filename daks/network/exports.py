"""The synopsis of a group as CSV and XLSX: one row per member (a tidy table for spreadsheets)."""

from __future__ import annotations

import csv
import io

from django.utils.text import slugify
from django.utils.translation import gettext as _

from daks.exports.xlsx import Workbook, number_format

from .selectors import SYNOPSIS_INDICATORS, Synopsis


def _headers() -> list[str]:
    headers = [_("Municipality"), _("Federal state"), _("Official key"), _("Population")]
    for _indicator, label, _decimals, unit, _signed in SYNOPSIS_INDICATORS:
        headers.append(f"{label} ({unit})" if str(unit) else str(label))
        headers.append(_("Year"))
    headers += [_("Demographic type"), _("Process stage")]
    return headers


def _rows(synopsis: Synopsis):
    for column in synopsis.columns:
        row = [
            column.municipality.name,
            column.municipality.get_state_display(),
            column.region.key if column.region is not None else "",
            column.population,
        ]
        for indicator, _label, decimals, _unit, _signed in SYNOPSIS_INDICATORS:
            value = column.values.get(indicator)
            row += [round(value[1], decimals) if value else None, value[0] if value else None]
        row += [column.cluster_label, column.stage.label if column.stage is not None else _("not shared")]
        yield row


def _source(synopsis: Synopsis) -> str:
    from daks.demography.views import ATTRIBUTION, EXAMPLE_ATTRIBUTION

    return f"{ATTRIBUTION}; {EXAMPLE_ATTRIBUTION}" if synopsis.example else ATTRIBUTION


def _filename(synopsis: Synopsis, extension: str) -> str:
    return f"synopse-{slugify(synopsis.group.slug) or 'gruppe'}.{extension}"


def synopsis_csv(synopsis: Synopsis) -> tuple[str, str, bytes]:
    """Semicolon-separated, comma decimals (German spreadsheets), UTF-8 with BOM; the source in the last line."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(_headers())
    for row in _rows(synopsis):
        writer.writerow(["" if v is None else (str(v).replace(".", ",") if isinstance(v, float) else v) for v in row])
    writer.writerow([])
    writer.writerow([_source(synopsis)])
    return _filename(synopsis, "csv"), "text/csv; charset=utf-8", ("\ufeff" + out.getvalue()).encode("utf-8")


def synopsis_xlsx(synopsis: Synopsis) -> tuple[str, str, bytes]:
    workbook = Workbook(title=_("Synopsis: %(group)s") % {"group": synopsis.group.name})
    formats = {3: number_format(0)}
    for index, (_indicator, _label, decimals, _unit, _signed) in enumerate(SYNOPSIS_INDICATORS):
        formats[4 + 2 * index] = number_format(decimals)
    workbook.sheet(
        _("Synopsis"),
        _headers(),
        list(_rows(synopsis)),
        number_formats=formats,
        caption=_("Synopsis: %(group)s") % {"group": synopsis.group.name},
    )
    workbook.text_sheet(_("Source"), [_source(synopsis)])
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _filename(synopsis, "xlsx"), mimetype, workbook.to_bytes()
