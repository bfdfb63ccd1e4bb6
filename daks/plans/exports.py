"""Exporters of the Werkstattplan: the document (PDF, ODT, DOCX) and the measures (XLSX, CSV).

Every exporter renders a ``PlanDocument`` — the live plan (``plan_document``: numbered like the pages, through
``selectors.plan_tree``) or a frozen version (its snapshot). The three document formats have the same content:
cover (with the Kommune's logo, if any), table of contents, vision and introduction, one numbered chapter per field
of action with its goals (``F.1.g``) and measure sheets (``F.2.m``), and the timeline (in the PDF as the SVG chart
with its table, in ODT/DOCX as the table). The measure lists have German headings; XLSX keeps numbers and dates as
such with German-style number formats, CSV is ``;``-separated UTF-8 with BOM and German number/date formats.

``render(document, progress=None)`` returns ``(filename, mimetype, bytes)``; ``progress(done, total)`` is called as
the work advances (the background export shows it). Plans with more than ``LARGE_PLAN`` measures are exported by
the worker (``export_tasks``), smaller ones directly.
"""

from __future__ import annotations

import base64
import csv
import datetime
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.richtext import render_markdown
from daks.exports.base import DOCX, ODT, PDF, XLSX, Exporter, exporter_for

from .models import Priority, TargetGroup
from .monitoring import euro
from .timeline import build_timeline, default_years, paginate, timeline_svg

logger = logging.getLogger(__name__)

#: Plans with more measures than this are exported in the background (with a progress page).
LARGE_PLAN = 100
CSV = "text/csv"
LOGO_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif"}
MAX_LOGO_BYTES = 2 * 1024 * 1024
EMPTY = "—"
Progress = Callable[[int, int], None] | None


# --- The document -------------------------------------------------------------------------------------------------


@dataclass
class PlanDocument:
    municipality: Any
    process: Any
    title: str
    edition: str  # "Working version of 12.03.2026" or the version's name and date
    today: datetime.date
    vision: str
    introduction: str
    fields: list[dict]
    logo: tuple[str, bytes] | None = None  # (mimetype, bytes)
    timeline: Any = None
    extra: dict = field(default_factory=dict)

    @property
    def measures(self) -> list[dict]:
        return [measure for entry in self.fields for measure in entry["measures"]]

    @property
    def goals(self) -> list[dict]:
        return [goal for entry in self.fields for goal in entry["goals"]]

    @property
    def logo_data_uri(self) -> str:
        if not self.logo:
            return ""
        mimetype, content = self.logo
        return f"data:{mimetype};base64,{base64.b64encode(content).decode('ascii')}"

    @property
    def totals(self) -> dict:
        own = sum((m["budget_own"] for m in self.measures), Decimal("0"))
        third = sum((m["budget_third_party"] for m in self.measures), Decimal("0"))
        secured = sum((m["budget_secured"] for m in self.measures), Decimal("0"))
        return {
            "own": euro(own),
            "third": euro(third),
            "total": euro(own + third),
            "secured": euro(secured),
            "measures": len(self.measures),
            "goals": len(self.goals),
        }


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _logo(municipality) -> tuple[str, bytes] | None:
    """The Kommune's logo (PNG, JPEG or GIF up to 2 MB) for embedding as a ``data:`` URI, or None."""
    logo = getattr(municipality, "logo", None)
    if not logo:
        return None
    mimetype = LOGO_TYPES.get(logo.name.rsplit(".", 1)[-1].lower())
    if mimetype is None:
        return None
    try:
        if logo.size > MAX_LOGO_BYTES:
            return None
        with logo.open("rb") as handle:
            return mimetype, handle.read()
    except (OSError, ValueError):
        return None


def _live_fields(plan, today) -> list[dict]:
    from .selectors import plan_tree

    nodes = plan_tree(plan, today=today)
    goal_numbers = {goal.pk: goal.number for node in nodes for goal in node.goals}
    fields = []
    for node in nodes:
        goals = [
            {
                "id": goal.pk,
                "number": goal.number,
                "title": goal.title,
                "description": goal.description,
                "indicator_code": goal.indicator_code,
                "indicator_name": goal.indicator_name,
                "unit": goal.unit,
                "baseline_value": goal.baseline_value,
                "baseline_year": goal.baseline_year,
                "target_value": goal.target_value,
                "target_year": goal.target_year,
            }
            for goal in node.goals
        ]
        measures = []
        for measure in node.measures:
            refs = sorted((goal_numbers.get(goal.pk, ""), goal.title) for goal in measure.goals.all())
            goal_refs = [f"{number} {title}".strip() for number, title in refs]
            person = measure.responsible_person
            measures.append(
                {
                    "id": measure.pk,
                    "number": measure.number,
                    "title": measure.title,
                    "description": measure.description,
                    "responsible_unit": measure.responsible_unit,
                    "responsible_person": str(person) if person else "",
                    "partners": [partner.name for partner in measure.partners.all()],
                    "target_groups": list(measure.target_groups or []),
                    "target_group_labels": [_label(TargetGroup, code) for code in measure.target_groups or []],
                    "start_date": measure.start_date,
                    "end_date": measure.end_date,
                    "budget_own": measure.budget_own or Decimal("0"),
                    "budget_third_party": measure.budget_third_party or Decimal("0"),
                    "budget_secured": measure.budget_secured or Decimal("0"),
                    "budget_total": measure.budget_total,
                    "funding_programme": measure.funding_programme,
                    "funding_url": measure.funding_url,
                    "priority": measure.priority,
                    "priority_label": measure.get_priority_display(),
                    "status": measure.status,
                    "status_label": measure.get_status_display(),
                    "progress": measure.progress,
                    "goal_refs": goal_refs,
                    "milestones": [
                        {"title": m.title, "due_date": m.due_date, "done_on": m.done_on}
                        for m in measure.milestones.all()
                    ],
                }
            )
        fields.append(
            {
                "id": node.field.pk,
                "number": node.number,
                "title": node.field.title,
                "description": node.field.description,
                "goals": goals,
                "measures": measures,
            }
        )
    return fields


def plan_document(*, plan, today: datetime.date | None = None, version=None) -> PlanDocument:
    """The document of ``plan`` (``plan.process``/``plan.municipality`` loaded): live, or of ``version``."""
    from .versions import snapshot_document

    today = today or timezone.localdate()
    if version is not None:
        snapshot = snapshot_document(version.snapshot)
        fields = snapshot["fields_of_action"]
        vision, introduction = snapshot.get("vision", ""), snapshot.get("introduction", "")
        edition = _("Version “%(name)s” of %(date)s") % {
            "name": version.name,
            "date": formats.date_format(version.date, "SHORT_DATE_FORMAT"),
        }
    else:
        fields = _live_fields(plan, today)
        vision, introduction = plan.vision, plan.introduction
        edition = _("Working version of %(date)s") % {"date": formats.date_format(today, "SHORT_DATE_FORMAT")}
    document = PlanDocument(
        municipality=plan.municipality,
        process=plan.process,
        title=_("Workshop plan"),
        edition=edition,
        today=today,
        vision=vision or "",
        introduction=introduction or "",
        fields=fields,
        logo=_logo(plan.municipality),
    )
    data = {"fields_of_action": fields}
    year_from, year_to = default_years(data, today)
    document.timeline = build_timeline(data, today=today, year_from=year_from, year_to=year_to)
    return document


# --- Shared texts -------------------------------------------------------------------------------------------------


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _period(measure: dict) -> str:
    start, end = _date(measure["start_date"]), _date(measure["end_date"])
    if start and end:
        return f"{start} – {end}"
    return start or end or EMPTY


def _amount(value) -> str:
    return euro(value) if value is not None else EMPTY


def _goal_figures(goal: dict) -> str:
    unit = f" {goal['unit']}" if goal.get("unit") else ""

    def figure(value, year):
        if value is None:
            return EMPTY
        text = formats.number_format(Decimal(value).normalize(), use_l10n=True, force_grouping=True) + unit
        return f"{text} ({year})" if year else text

    return _("%(baseline)s → %(target)s") % {
        "baseline": figure(goal.get("baseline_value"), goal.get("baseline_year")),
        "target": figure(goal.get("target_value"), goal.get("target_year")),
    }


def _indicator(goal: dict) -> str:
    if goal.get("indicator_code"):
        from .monitoring import official_indicators

        spec = official_indicators().get(goal["indicator_code"])
        return str(spec.label) if spec else goal["indicator_code"]
    return goal.get("indicator_name") or ""


def measure_details(measure: dict) -> list[tuple[str, str]]:
    """``(label, text)`` rows of a measure sheet (the same in every document format)."""
    milestones = "\n".join(
        f"{_date(m['due_date'])}: {m['title']}"
        + (f" ({_('reached on %(date)s') % {'date': _date(m['done_on'])}})" if m.get("done_on") else "")
        for m in measure["milestones"]
    )
    rows = [
        (_("Status"), f"{measure['status_label']} ({measure['progress']} %)"),
        (_("Priority"), measure.get("priority_label") or _label(Priority, measure.get("priority"))),
        (_("Period"), _period(measure)),
        (_("Responsible unit"), measure["responsible_unit"]),
        (_("Responsible person"), measure["responsible_person"]),
        (_("Partners"), ", ".join(measure["partners"])),
        (_("Target groups"), ", ".join(measure["target_group_labels"])),
        (_("Goals served"), "\n".join(measure["goal_refs"])),
        (_("Own funds"), _amount(measure["budget_own"])),
        (_("Third-party funding"), _amount(measure["budget_third_party"])),
        (_("Secured"), _amount(measure["budget_secured"])),
        (_("Funding programme"), " – ".join(p for p in (measure["funding_programme"], measure["funding_url"]) if p)),
        (_("Milestones"), milestones),
    ]
    return [(label, text) for label, text in rows if text]


def timeline_rows(document: PlanDocument) -> list[list[str]]:
    """The timeline as table rows (milestones are on the measure sheets)."""
    return [[m.number, m.title, _date(m.start), _date(m.end), m.status_label] for m in document.timeline.rows]


def timeline_headers() -> list[str]:
    return [_("No."), _("Measure"), _("Start"), _("End"), _("Status")]


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()]


def _step(progress: Progress, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


# --- Document exporters -------------------------------------------------------------------------------------------


class PlanPdfExporter(Exporter):
    identifier = "pdf"
    label = gettext_lazy("PDF document")
    extension = "pdf"
    mimetype = PDF
    description = gettext_lazy("For printing and the council: cover, contents, measure sheets, timeline.")

    def html(self, document: PlanDocument) -> str:
        parts = paginate(document.timeline) if document.timeline.rows else []
        return render_to_string(
            "plans/export/plan_pdf.html",
            {
                "document": document,
                "municipality": document.municipality,
                "process": document.process,
                "document_title": f"{document.title} – {document.process.title}",
                "chapters": [
                    {
                        "entry": entry,
                        "goals": [(goal, _indicator(goal), _goal_figures(goal)) for goal in entry["goals"]],
                        "measures": [
                            (measure, render_markdown(measure["description"]), measure_details(measure))
                            for measure in entry["measures"]
                        ],
                    }
                    for entry in document.fields
                ],
                "vision_html": render_markdown(document.vision),
                "introduction_html": render_markdown(document.introduction),
                "timeline_svgs": [
                    timeline_svg(part, chart_id=f"pdf-timeline-{index}") for index, part in enumerate(parts, start=1)
                ],
                "timeline_headers": timeline_headers(),
                "timeline_rows": timeline_rows(document),
                "totals": document.totals,
            },
        )

    def render(self, document: PlanDocument, progress: Progress = None) -> tuple[str, str, bytes]:
        from daks.exports.pdf import render_pdf

        _step(progress, 1, 3)
        html = self.html(document)
        _step(progress, 2, 3)
        content = render_pdf(html)
        _step(progress, 3, 3)
        name = self.filename("werkstattplan", document.municipality.name, document.process.title)
        return name, self.mimetype, content


class PlanOdtExporter(Exporter):
    identifier = "odt"
    label = gettext_lazy("ODT text document")
    extension = "odt"
    mimetype = ODT
    description = gettext_lazy("For LibreOffice and further editing: the same content as the PDF.")

    def render(self, document: PlanDocument, progress: Progress = None) -> tuple[str, str, bytes]:
        from daks.exports.odt import OdtDocument

        odt = OdtDocument(title=f"{document.title} – {document.process.title}", subject=document.municipality.name)
        total = len(document.measures) + 2
        odt.paragraph(document.municipality.name, muted=True)
        odt.title(f"{document.title}\n{document.process.title}")
        odt.paragraph(document.edition)
        odt.toc(_("Contents"))
        odt.page_break()
        for heading, text in ((_("Guiding statement"), document.vision), (_("Introduction"), document.introduction)):
            if text:
                odt.heading(heading, 1)
                for paragraph in _paragraphs(text):
                    odt.paragraph(paragraph)
        done = 1
        for entry in document.fields:
            odt.heading(f"{entry['number']} {entry['title']}", 1)
            if entry.get("description"):
                odt.paragraph(entry["description"])
            odt.heading(f"{entry['number']}.1 {_('Goals')}", 2)
            if entry["goals"]:
                odt.table(
                    [_("No."), _("Goal"), _("Indicator"), _("Baseline → target")],
                    [[g["number"], g["title"], _indicator(g), _goal_figures(g)] for g in entry["goals"]],
                )
            else:
                odt.paragraph(_("No goals yet."), muted=True)
            odt.heading(f"{entry['number']}.2 {_('Measures')}", 2)
            if not entry["measures"]:
                odt.paragraph(_("No measures yet."), muted=True)
            for measure in entry["measures"]:
                odt.heading(f"{measure['number']} {measure['title']}", 3)
                for paragraph in _paragraphs(measure["description"]):
                    odt.paragraph(paragraph)
                for label, text in measure_details(measure):
                    odt.labelled(f"{label}:", text)
                done += 1
                _step(progress, done, total)
        odt.heading(_("Timeline"), 1)
        if document.timeline.rows:
            odt.table(timeline_headers(), timeline_rows(document), caption=_timeline_caption(document))
        else:
            odt.paragraph(_("No measure has dates yet."), muted=True)
        content = odt.to_bytes()
        _step(progress, total, total)
        name = self.filename("werkstattplan", document.municipality.name, document.process.title)
        return name, self.mimetype, content


def _timeline_caption(document: PlanDocument) -> str:
    return _("Timeline of the measures %(from)s–%(to)s") % {
        "from": document.timeline.year_from,
        "to": document.timeline.year_to,
    }


class PlanDocxExporter(Exporter):
    identifier = "docx"
    label = gettext_lazy("Word document (DOCX)")
    extension = "docx"
    mimetype = DOCX
    description = gettext_lazy("For Microsoft Word: the same content as the PDF.")

    @staticmethod
    def _toc(doc) -> None:
        """A table-of-contents field (Word fills it when the document is opened and fields are updated)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        paragraph = doc.add_paragraph()
        run = paragraph.add_run()
        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        instruction = OxmlElement("w:instrText")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = 'TOC \\o "1-3" \\h \\z \\u'
        separate = OxmlElement("w:fldChar")
        separate.set(qn("w:fldCharType"), "separate")
        placeholder = OxmlElement("w:t")
        placeholder.text = _("Right-click and choose “Update field” to show the table of contents.")
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        for element in (begin, instruction, separate, placeholder, end):
            run._r.append(element)

    @staticmethod
    def _table(doc, headers, rows) -> None:
        table = doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(str(header)).bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = "" if value is None else str(value)

    def render(self, document: PlanDocument, progress: Progress = None) -> tuple[str, str, bytes]:
        from docx import Document
        from docx.enum.text import WD_BREAK
        from docx.oxml.ns import qn
        from docx.shared import Cm

        doc = Document()
        doc.core_properties.title = f"{document.title} – {document.process.title}"
        doc.core_properties.author = document.municipality.name
        doc.core_properties.language = "de-DE"
        styles = doc.styles["Normal"].element
        run_properties = styles.get_or_add_rPr()
        language = run_properties.find(qn("w:lang"))
        if language is None:
            language = run_properties.makeelement(qn("w:lang"), {})
            run_properties.append(language)
        language.set(qn("w:val"), "de-DE")
        total = len(document.measures) + 2
        if document.logo:
            try:
                doc.add_picture(io.BytesIO(document.logo[1]), width=Cm(4))
            except Exception:  # an unreadable logo must not stop the export
                logger.warning("DOCX export: logo of %s not embedded", document.municipality.pk)
        doc.add_paragraph(document.municipality.name)
        doc.add_heading(f"{document.title}: {document.process.title}", 0)
        doc.add_paragraph(document.edition)
        doc.add_heading(_("Contents"), 1)
        self._toc(doc)
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for heading, text in ((_("Guiding statement"), document.vision), (_("Introduction"), document.introduction)):
            if text:
                doc.add_heading(heading, 1)
                for paragraph in _paragraphs(text):
                    doc.add_paragraph(paragraph)
        done = 1
        for entry in document.fields:
            doc.add_heading(f"{entry['number']} {entry['title']}", 1)
            if entry.get("description"):
                doc.add_paragraph(entry["description"])
            doc.add_heading(f"{entry['number']}.1 {_('Goals')}", 2)
            if entry["goals"]:
                self._table(
                    doc,
                    [_("No."), _("Goal"), _("Indicator"), _("Baseline → target")],
                    [[g["number"], g["title"], _indicator(g), _goal_figures(g)] for g in entry["goals"]],
                )
            else:
                doc.add_paragraph(_("No goals yet."))
            doc.add_heading(f"{entry['number']}.2 {_('Measures')}", 2)
            if not entry["measures"]:
                doc.add_paragraph(_("No measures yet."))
            for measure in entry["measures"]:
                doc.add_heading(f"{measure['number']} {measure['title']}", 3)
                for paragraph in _paragraphs(measure["description"]):
                    doc.add_paragraph(paragraph)
                for label, text in measure_details(measure):
                    paragraph = doc.add_paragraph()
                    paragraph.add_run(f"{label}: ").bold = True
                    paragraph.add_run(text)
                done += 1
                _step(progress, done, total)
        doc.add_heading(_("Timeline"), 1)
        if document.timeline.rows:
            doc.add_paragraph(_timeline_caption(document))
            self._table(doc, timeline_headers(), timeline_rows(document))
        else:
            doc.add_paragraph(_("No measure has dates yet."))
        buffer = io.BytesIO()
        doc.save(buffer)
        _step(progress, total, total)
        name = self.filename("werkstattplan", document.municipality.name, document.process.title)
        return name, self.mimetype, buffer.getvalue()


# --- Measure lists ------------------------------------------------------------------------------------------------


def measure_headers() -> list[str]:
    return [
        _("No."), _("Field of action"), _("Measure"), _("Description"), _("Responsible unit"),
        _("Responsible person"), _("Partners"), _("Target groups"), _("Goals"), _("Start"), _("End"),
        _("Status"), _("Priority"), _("Progress (%)"), _("Own funds (EUR)"), _("Third-party funding (EUR)"),
        _("Total (EUR)"), _("Secured (EUR)"), _("Funding programme"), _("Link to the funding programme"),
        _("Milestones"),
    ]  # fmt: skip


DATE_COLUMNS = (9, 10)
MONEY_COLUMNS = (14, 15, 16, 17)
PROGRESS_COLUMN = 13


def measure_rows(document: PlanDocument) -> list[list[Any]]:
    """One row per measure, typed (dates, Decimals, ints) — each format renders them its way."""
    rows = []
    for entry in document.fields:
        for m in entry["measures"]:
            rows.append(
                [
                    m["number"],
                    f"{entry['number']} {entry['title']}",
                    m["title"],
                    m["description"],
                    m["responsible_unit"],
                    m["responsible_person"],
                    ", ".join(m["partners"]),
                    ", ".join(m["target_group_labels"]),
                    "; ".join(m["goal_refs"]),
                    m["start_date"],
                    m["end_date"],
                    m["status_label"],
                    m.get("priority_label") or _label(Priority, m.get("priority")),
                    m["progress"],
                    m["budget_own"],
                    m["budget_third_party"],
                    m["budget_own"] + m["budget_third_party"],
                    m["budget_secured"],
                    m["funding_programme"],
                    m["funding_url"],
                    "; ".join(
                        f"{_date(s['due_date'])} {s['title']}" + (" ✓" if s.get("done_on") else "")
                        for s in m["milestones"]
                    ),
                ]
            )
    return rows


class MeasuresXlsxExporter(Exporter):
    identifier = "xlsx"
    label = gettext_lazy("Measures as a spreadsheet (XLSX)")
    extension = "xlsx"
    mimetype = XLSX
    description = gettext_lazy("All measures with dates and amounts for Excel or LibreOffice Calc.")

    #: German-style display: 1.234,50 € and 31.12.2027 (the separators follow the reader's locale).
    MONEY_FORMAT = '#,##0.00 "€"'
    DATE_FORMAT = "DD.MM.YYYY"
    PERCENT_FORMAT = '0" %"'

    def render(self, document: PlanDocument, progress: Progress = None) -> tuple[str, str, bytes]:
        from daks.exports.xlsx import Workbook

        rows = measure_rows(document)
        _step(progress, 1, 3)
        typed = []
        for row in rows:
            row = list(row)
            for column in MONEY_COLUMNS:
                row[column] = float(row[column])
            typed.append(row)
        workbook = Workbook(title=f"{document.title} – {document.process.title}")
        formats_by_column = dict.fromkeys(MONEY_COLUMNS, self.MONEY_FORMAT)
        formats_by_column[PROGRESS_COLUMN] = self.PERCENT_FORMAT
        sheet = workbook.sheet(
            _("Measures"),
            measure_headers(),
            typed,
            number_formats=formats_by_column,
            widths={3: 60, 20: 50},
        )
        for column in DATE_COLUMNS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
                if isinstance(cell.value, datetime.date):
                    cell.number_format = self.DATE_FORMAT
            sheet.column_dimensions[sheet.cell(row=1, column=column + 1).column_letter].width = 12
        _step(progress, 2, 3)
        workbook.text_sheet(
            _("About"),
            [
                f"{document.title} – {document.process.title}",
                document.municipality.name,
                document.edition,
                _("%(count)d measures") % {"count": len(rows)},
            ],
        )
        content = workbook.to_bytes()
        _step(progress, 3, 3)
        name = self.filename("massnahmen", document.municipality.name, document.process.title)
        return name, self.mimetype, content


class MeasuresCsvExporter(Exporter):
    identifier = "csv"
    label = gettext_lazy("Measures as CSV")
    extension = "csv"
    mimetype = CSV
    description = gettext_lazy("Semicolon-separated, UTF-8: opens directly in German Excel.")

    @staticmethod
    def _cell(value) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime.date):
            return value.strftime("%d.%m.%Y")
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return str(value)

    def render(self, document: PlanDocument, progress: Progress = None) -> tuple[str, str, bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(measure_headers())
        for row in measure_rows(document):
            writer.writerow([self._cell(value) for value in row])
        _step(progress, 1, 1)
        content = "\ufeff" + buffer.getvalue()
        name = self.filename("massnahmen", document.municipality.name, document.process.title)
        return name, f"{self.mimetype}; charset=utf-8", content.encode("utf-8")


EXPORTERS = (PlanPdfExporter(), PlanOdtExporter(), PlanDocxExporter(), MeasuresXlsxExporter(), MeasuresCsvExporter())


def get_exporter(identifier: str) -> Exporter | None:
    return exporter_for(EXPORTERS, identifier)
