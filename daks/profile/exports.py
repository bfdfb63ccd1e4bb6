"""The Kommunalprofil of a process as PDF (with charts), ODT (tables instead of charts) and XLSX (the indicator
tables): ``render(data: ProfileExport) -> (filename, mimetype, bytes)``; ``data`` comes from
``export_data.profile_export``. Texts follow the active language; numbers are localised like on the pages.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.demography import charts
from daks.exports import base
from daks.exports.odt import OdtDocument
from daks.exports.pdf import render_pdf
from daks.exports.xlsx import Workbook, number_format

from .export_data import ProfileExport
from .models import InterpretationSection

FILE_STEM = "kommunalprofil"


# --- shared pieces ------------------------------------------------------------------------------------


def cell_text(cell) -> str:
    """A table cell as on the pages: numbers localised (“2.935”, “48,3”), missing values as “–”."""
    if cell.is_number:
        return charts.localised(cell.value, cell.decimals)
    if cell.decimals is not None:
        return "–"
    return cell.text


def cell_value(cell):
    """A table cell for a spreadsheet: numbers stay numbers (rounded as shown), with their format."""
    if cell.is_number:
        value = charts.rounded(cell.value, cell.decimals)
        return (int(value) if cell.decimals == 0 else float(value)), number_format(cell.decimals)
    if cell.decimals is None and isinstance(cell.value, int) and not isinstance(cell.value, bool):
        return cell.value, "0"
    return None if cell.decimals is not None else (cell.text if cell.text != "–" else "")


def numeric_columns(table) -> set[int]:
    return {index for index, (_header, numeric) in enumerate(table.header_cells) if numeric}


def statistics_tables(data: ProfileExport) -> list[tuple[str, object]]:
    """``(sheet name, table)`` of every indicator table of the statistics section, in page order."""
    stats = data.statistics
    if not stats:
        return []
    chart_tables = stats.get("charts", {})
    found = [
        (InterpretationSection.FIGURES.label, stats.get("key_figures")),
        (InterpretationSection.AGE_STRUCTURE.label, getattr(chart_tables.get("pyramid"), "table", None)),
        (InterpretationSection.DEVELOPMENT.label, getattr(chart_tables.get("zeitreihe"), "table", None)),
        (InterpretationSection.PROJECTION.label, getattr(chart_tables.get("vorausberechnung"), "table", None)),
        (InterpretationSection.COMPARISON.label, stats.get("comparison")),
    ]
    return [(str(name), table) for name, table in found if table is not None]


def no_statistics_text(data: ProfileExport) -> str:
    if data.statistics_key:
        return _(
            "No official statistics were found for the key %(key)s. Either the key is not part of the imported "
            "directory of municipalities or no figures have been imported for it yet."
        ) % {"key": data.statistics_key}
    return _(
        "Neither this process nor the municipality has an official key, so no official statistics can be shown "
        "(for example for a neighbourhood or an association)."
    )


def provenance_lines(data: ProfileExport) -> list[str]:
    """The sources and the licence of the figures, as in the provenance block of the pages (plain text)."""
    stats = data.statistics
    if data.region is None:
        return [_("This document contains no official statistics.")]
    lines = []
    if stats.get("uses_example"):
        lines.append(stats["example_attribution"])
    if stats.get("attribution"):
        lines.append(f"{stats['attribution']} ({_('licence text')}: {stats['licence_url']})")
    if data.region.source:
        lines.append(f"{_('Regions, population and area:')} {data.region.source}")
    for dataset in stats.get("datasets") or []:
        prefix = "Beispieldaten: " if dataset.is_example else ""
        lines.append(f"{prefix}{dataset.title} – {dataset.attribution}")
    if stats.get("age_structure_2015"):
        lines.append(stats["age_structure_2015_note"])
    lines.append(
        _(
            "Indicators, projections and comparisons are calculated by DAKS from these tables; they are not official "
            "results of the statistical offices."
        )
    )
    return lines


def _as_of(data: ProfileExport) -> str:
    return _("As of %(date)s") % {"date": formats.date_format(data.today)}


def _document_title(data: ProfileExport) -> str:
    return _("Municipal profile %(name)s – %(title)s") % {"name": data.municipality.name, "title": data.process.title}


# --- exporters ------------------------------------------------------------------------------------------


class ProfileExporter(base.Exporter):
    def file_name(self, data: ProfileExport) -> str:
        return self.filename(FILE_STEM, data.process.title or data.municipality.name)


class ProfilePdf(ProfileExporter):
    identifier = "pdf"
    extension = "pdf"
    mimetype = base.PDF
    label = gettext_lazy("PDF document")
    description = gettext_lazy(
        "The complete profile for printing and passing on: title page, table of contents, the statistics with "
        "charts and data tables, inventory, interviews, SWOT analysis and fields of action."
    )

    def html(self, data: ProfileExport) -> str:
        swot = data.swot
        context = {
            **data.statistics,
            "data": data,
            "municipality": data.municipality,
            "process": data.process,
            "region": data.region,
            "sections": data.sections,
            "swot_rows": [swot[0:2], swot[2:4]],
            "document_title": _document_title(data),
        }
        return render_to_string("profile/export/kommunalprofil.html", context)

    def render(self, data: ProfileExport) -> tuple[str, str, bytes]:
        return self.file_name(data), self.mimetype, render_pdf(self.html(data))


class ProfileOdt(ProfileExporter):
    identifier = "odt"
    extension = "odt"
    mimetype = base.ODT
    label = gettext_lazy("Text document (ODT)")
    description = gettext_lazy(
        "The same content to edit further in LibreOffice or Word; the charts appear as tables. Update the table "
        "of contents there to get page numbers."
    )

    def render(self, data: ProfileExport) -> tuple[str, str, bytes]:
        doc = OdtDocument(title=_document_title(data), subject=data.process.title)
        municipality, process = data.municipality, data.process
        doc.paragraph(_("Municipal profile"), muted=True)
        doc.title(municipality.name)
        doc.paragraph(process.title)
        doc.labelled(
            _("Strategy process:"),
            f"{process.title} ({_('since %(date)s') % {'date': formats.date_format(process.start_date)}})",
        )
        doc.paragraph(_as_of(data))
        if data.region is not None:
            doc.labelled(
                _("Official statistics of"),
                f"{data.region.name} ({data.region.get_level_display()}, {data.region.key})",
            )
        doc.toc(_("Table of contents"))
        self._statistics(doc, data)
        self._inventory(doc, data)
        self._interviews(doc, data)
        self._swot(doc, data)
        self._fields(doc, data)
        doc.heading(_("Sources and licence"), 1)
        for line in provenance_lines(data):
            doc.paragraph(line)
        doc.paragraph(
            _("Inventory, interviews, SWOT analysis, fields of action and interpretations: the team of %(name)s.")
            % {"name": municipality.name},
            muted=True,
        )
        return self.file_name(data), self.mimetype, doc.to_bytes()

    @staticmethod
    def _table(doc: OdtDocument, table) -> None:
        doc.table(
            table.headers,
            [[cell_text(cell) for cell in row] for row in table.rows],
            caption=table.caption,
            numeric_columns=numeric_columns(table),
        )

    def _statistics(self, doc: OdtDocument, data: ProfileExport) -> None:
        stats, sections = data.statistics, data.sections
        doc.page_break()
        doc.heading(_("Statistics"), 1)
        if data.region is None:
            doc.paragraph(no_statistics_text(data))
            doc.paragraph(
                _("This document therefore contains no official figures; the interpretations of the team follow.")
            )
        else:
            if stats.get("uses_example"):
                doc.paragraph(
                    "Beispieldaten – "
                    + _(
                        "Figures in this document are generated example data, not statistics of the statistical "
                        "offices. Do not use them for decisions."
                    )
                )
        empty = _("No data available for this section.")
        chart_tables = stats.get("charts", {}) if stats else {}

        section = sections[InterpretationSection.FIGURES]
        doc.heading(section.label, 2)
        if stats.get("key_figures") if stats else None:
            self._table(doc, stats["key_figures"])
            if stats.get("bases"):
                doc.paragraph(_("Basis of the indicators:"), muted=True)
                doc.bullets(f"{number}. {basis}" for number, basis in stats["bases"])
            if data.definitions:
                doc.heading(_("Definitions"), 3)
                doc.bullets(f"{label}: {definition}" for label, definition in data.definitions)
        elif data.region is not None:
            doc.paragraph(empty, muted=True)
        self._interpretation(doc, section)

        for key, slug in (
            (InterpretationSection.AGE_STRUCTURE, "pyramid"),
            (InterpretationSection.DEVELOPMENT, "zeitreihe"),
            (InterpretationSection.PROJECTION, "vorausberechnung"),
        ):
            section = sections[key]
            doc.heading(section.label, 2)
            chart = chart_tables.get(slug)
            if chart is not None:
                if slug == "pyramid" and stats.get("age_structure_2015"):
                    doc.paragraph(stats["age_structure_2015_note"])
                self._table(doc, chart.table)
                for note in chart.notes:
                    doc.paragraph(note, muted=True)
                if slug == "vorausberechnung" and stats.get("projections"):
                    doc.heading(_("Assumptions of the scenarios"), 3)
                    doc.bullets(
                        f"{projection.scenario.name}: {projection.scenario.description or '–'}"
                        for projection in stats["projections"]
                    )
            elif data.region is not None:
                doc.paragraph(empty, muted=True)
            self._interpretation(doc, section)

        section = sections[InterpretationSection.COMPARISON]
        doc.heading(section.label, 2)
        if stats and stats.get("comparison"):
            self._table(doc, stats["comparison"])
        elif data.region is not None:
            doc.paragraph(empty, muted=True)
        if stats and stats.get("similar"):
            doc.heading(_("Similar regions"), 3)
            doc.bullets(
                f"{item.region.name}: {', '.join(item.reasons)}" if item.reasons else item.region.name
                for item in stats["similar"]
            )
        self._interpretation(doc, section)

    @staticmethod
    def _interpretation(doc: OdtDocument, section) -> None:
        doc.heading(_("Interpretation: %(section)s") % {"section": section.label}, 3)
        if section.interpretation:
            doc.paragraph(section.interpretation)
        else:
            doc.paragraph(_("No interpretation has been written yet."), muted=True)

    @staticmethod
    def _inventory(doc: OdtDocument, data: ProfileExport) -> None:
        doc.page_break()
        doc.heading(_("Inventory"), 1)
        if not data.inventory:
            doc.paragraph(_("No inventory entries yet."), muted=True)
            return
        rows = []
        for item in data.inventory:
            title = f"{item.title}\n{item.notes}" if item.notes else item.title
            period = f"{item.start_year or ''}–{item.end_year or ''}" if item.start_year or item.end_year else ""
            field = item.field_of_action.title if item.field_of_action else item.topic
            rows.append([title, item.get_kind_display(), field, item.owner, item.get_status_display(), period])
        doc.table(
            [_("Title"), _("Kind"), _("Field of action or topic"), _("Responsible"), _("Status"), _("Period")],
            rows,
            caption=_("What already exists in %(name)s") % {"name": data.municipality.name},
        )

    @staticmethod
    def _interviews(doc: OdtDocument, data: ProfileExport) -> None:
        doc.page_break()
        doc.heading(_("Interviews"), 1)
        if not data.interviews:
            doc.paragraph(_("No interviews have been completed yet."), muted=True)
        for interview in data.interviews:
            title = str(interview)
            if interview.date:
                title = f"{title} ({formats.date_format(interview.date)})"
            doc.heading(title, 2)
            if interview.summary:
                doc.paragraph(interview.summary)
            if interview.statements:
                doc.heading(_("Key statements"), 3)
                doc.bullets(interview.statements)

    @staticmethod
    def _swot(doc: OdtDocument, data: ProfileExport) -> None:
        doc.page_break()
        doc.heading(_("SWOT analysis"), 1)
        doc.paragraph(
            _("Strengths and weaknesses describe the municipality today; opportunities and threats come from outside.")
        )
        for quadrant in data.swot:
            doc.heading(quadrant["label"], 2)
            if quadrant["items"]:
                doc.bullets(
                    f"{item.text} ({item.evidence})" if item.evidence else item.text for item in quadrant["items"]
                )
            else:
                doc.paragraph(_("No entries yet."), muted=True)

    @staticmethod
    def _fields(doc: OdtDocument, data: ProfileExport) -> None:
        doc.page_break()
        doc.heading(_("Fields of action"), 1)
        if not data.fields:
            doc.paragraph(_("No fields of action yet."), muted=True)
        for rank, field in enumerate(data.fields, start=1):
            doc.heading(f"{rank}. {field.title}", 2)
            doc.paragraph(_("Priority %(rank)s") % {"rank": rank}, muted=True)
            if field.description:
                doc.paragraph(field.description)
            items = list(field.swot_items.all())
            if items:
                doc.heading(_("Supporting SWOT entries"), 3)
                doc.bullets(f"{item.get_quadrant_display()}: {item.text}" for item in items)


class ProfileXlsx(ProfileExporter):
    identifier = "xlsx"
    extension = "xlsx"
    mimetype = base.XLSX
    label = gettext_lazy("Spreadsheet of the figures (XLSX)")
    description = gettext_lazy(
        "The indicator tables of the statistics section, one sheet per table, with a sheet naming the sources "
        "and the licence – to calculate further or to make your own charts."
    )

    def render(self, data: ProfileExport) -> tuple[str, str, bytes]:
        workbook = Workbook(title=_document_title(data))
        tables = statistics_tables(data)
        for name, table in tables:
            rows = [[cell_value(cell) for cell in row] for row in table.rows]
            workbook.sheet(name, table.headers, rows, caption=table.caption)
        if not tables:
            workbook.text_sheet(_("Note"), [_("Statistics"), no_statistics_text(data)])
        workbook.text_sheet(_("Source"), [_("Sources and licence"), *provenance_lines(data)])
        return self.file_name(data), self.mimetype, workbook.to_bytes()


EXPORTERS = (ProfilePdf(), ProfileOdt(), ProfileXlsx())
