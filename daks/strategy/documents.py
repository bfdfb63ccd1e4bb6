"""Downloadable templates (Vorlagen) of the steps, generated on the fly as ODT (odfpy) or DOCX (python-docx).

A ``DocumentTemplate`` describes the German content as simple blocks; an exporter (``OdtExporter``,
``DocxExporter``) turns it into a file: ``render(process) -> (filename, mimetype, bytes)``.
"""

import io

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from daks.core.text import german_slugify

from .models import Step

# Blocks: ("h", text) heading · ("p", text) paragraph · ("li", text) bullet · ("table", [[cell, …], …]) header row first


class DocumentTemplate:
    identifier = ""
    label = ""
    step = ""

    def blocks(self, process) -> list[tuple]:
        raise NotImplementedError

    def filename(self, process) -> str:
        return f"{self.identifier}-{german_slugify(process.municipality.name) or 'kommune'}"


class KickoffInvitation(DocumentTemplate):
    identifier = "einladung-kick-off"
    label = _("Invitation letter to the kick-off")
    step = Step.KICKOFF

    def blocks(self, process):
        name = process.municipality.name
        return [
            ("p", f"{name}\n[Absender, Anschrift]"),
            ("p", "[Ort], den [Datum]"),
            ("h", f"Einladung zur Auftaktveranstaltung „{process.title}“"),
            ("p", "Sehr geehrte Damen und Herren,"),
            (
                "p",
                f"der demografische Wandel verändert {name}: Wir werden älter, weniger und vielfältiger. "
                "Gemeinsam mit Ihnen möchten wir eine Strategie entwickeln, wie unsere Kommune lebenswert "
                "und attraktiv bleibt. Dazu laden wir Sie herzlich zur Auftaktveranstaltung ein.",
            ),
            ("li", "Datum und Uhrzeit: [eintragen]"),
            ("li", "Ort: [eintragen]"),
            ("li", "Anmeldung bis: [eintragen]"),
            (
                "p",
                "Wir stellen Ihnen Ziele und Ablauf des Prozesses vor, sammeln Ihre Erwartungen und vereinbaren "
                "die nächsten Schritte. Die Tagesordnung finden Sie in der Anlage.",
            ),
            ("p", "Wir freuen uns auf Ihre Teilnahme."),
            ("p", "Mit freundlichen Grüßen\n\n[Name]\n[Funktion]"),
        ]


class KickoffAgenda(DocumentTemplate):
    identifier = "tagesordnung-kick-off"
    label = _("Agenda of the kick-off")
    step = Step.KICKOFF

    def blocks(self, process):
        return [
            ("h", f"Tagesordnung der Auftaktveranstaltung – {process.municipality.name}"),
            ("p", f"Strategieprozess: {process.title}\nDatum: [eintragen] · Ort: [eintragen]"),
            (
                "table",
                [
                    ["Zeit", "Tagesordnungspunkt", "Verantwortlich"],
                    ["[Uhrzeit]", "Begrüßung durch die Verwaltungsspitze", "[Name]"],
                    ["[Uhrzeit]", "Demografischer Wandel vor Ort: erste Daten", "[Name]"],
                    ["[Uhrzeit]", "Ziele und Ablauf der fünf Schritte", "Koordinierendes Team"],
                    ["[Uhrzeit]", "Austausch: Erwartungen, Themen, Mitwirkung", "Moderation"],
                    ["[Uhrzeit]", "Nächste Schritte und Termine", "Koordinierendes Team"],
                    ["[Uhrzeit]", "Ausklang", ""],
                ],
            ),
        ]


class MeetingMinutes(DocumentTemplate):
    identifier = "protokoll"
    label = _("Minutes template")
    step = Step.KICKOFF

    def blocks(self, process):
        return [
            ("h", f"Protokoll – {process.municipality.name}"),
            ("p", f"Strategieprozess: {process.title}"),
            (
                "table",
                [
                    ["Angabe", "Eintrag"],
                    ["Veranstaltung", ""],
                    ["Datum, Uhrzeit", ""],
                    ["Ort", ""],
                    ["Teilnehmende", ""],
                    ["Protokoll", ""],
                ],
            ),
            ("h", "Ergebnisse"),
            ("p", "[Wesentliche Ergebnisse je Tagesordnungspunkt]"),
            ("h", "Vereinbarungen"),
            ("table", [["Was?", "Wer?", "Bis wann?"], ["", "", ""], ["", "", ""], ["", "", ""]]),
        ]


class SwotSheet(DocumentTemplate):
    identifier = "swot"
    label = _("SWOT sheet")
    step = Step.PROFILE

    def blocks(self, process):
        return [
            ("h", f"SWOT-Analyse – {process.municipality.name}"),
            (
                "p",
                "Tragen Sie die Ergebnisse aus Daten, Bestandsaufnahme und Interviews ein. Stärken und "
                "Schwächen beschreiben die Kommune heute, Chancen und Risiken kommen von außen auf sie zu.",
            ),
            (
                "table",
                [
                    ["", "Hilfreich", "Hinderlich"],
                    ["Intern (heute)", "Stärken:\n", "Schwächen:\n"],
                    ["Extern (Zukunft)", "Chancen:\n", "Risiken:\n"],
                ],
            ),
            ("h", "Abgeleitete Handlungsfelder"),
            ("li", "[Handlungsfeld 1]"),
            ("li", "[Handlungsfeld 2]"),
            ("li", "[Handlungsfeld 3]"),
        ]


TEMPLATES = [KickoffInvitation(), KickoffAgenda(), MeetingMinutes(), SwotSheet()]


def _footer(process) -> str:
    return f"Erstellt mit DAKS für {process.municipality.name}, Stand {formats.date_format(process.start_date)}."


class OdtExporter:
    extension = "odt"
    mimetype = "application/vnd.oasis.opendocument.text"

    def __init__(self, template: DocumentTemplate):
        self.template = template
        self.identifier = template.identifier
        self.label = template.label

    def render(self, process) -> tuple[str, str, bytes]:
        from daks.exports.odt import OdtDocument

        blocks = [*self.template.blocks(process), ("p", _footer(process))]
        document = OdtDocument(title=str(blocks[0][1])[:200])
        for kind, value in blocks:
            if kind == "h":
                document.heading(value, level=1)
            elif kind == "p":
                document.paragraph(value)
            elif kind == "li":
                document.bullets([value])
            elif kind == "table":
                document.table(value[0], value[1:])
        return f"{self.template.filename(process)}.odt", self.mimetype, document.to_bytes()


class DocxExporter:
    extension = "docx"
    mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def __init__(self, template: DocumentTemplate):
        self.template = template
        self.identifier = template.identifier
        self.label = template.label

    def render(self, process) -> tuple[str, str, bytes]:
        import docx

        document = docx.Document()
        document.core_properties.title = self.template.blocks(process)[0][1][:200]
        for kind, value in [*self.template.blocks(process), ("p", _footer(process))]:
            if kind == "h":
                document.add_heading(value, level=1)
            elif kind == "p":
                document.add_paragraph(value)
            elif kind == "li":
                document.add_paragraph(value, style="List Bullet")
            elif kind == "table":
                table = document.add_table(rows=len(value), cols=len(value[0]))
                table.style = "Table Grid"
                for r, row in enumerate(value):
                    for c, cell in enumerate(row):
                        table.cell(r, c).text = cell
        buffer = io.BytesIO()
        document.save(buffer)
        return f"{self.template.filename(process)}.docx", self.mimetype, buffer.getvalue()


EXPORTERS = {"odt": OdtExporter, "docx": DocxExporter}


def templates_for(step: str) -> list[DocumentTemplate]:
    return [template for template in TEMPLATES if template.step == step]


def exporter_for(step: str, identifier: str, extension: str):
    """The exporter of a step's template in a format, or None."""
    exporter = EXPORTERS.get(extension)
    template = next((t for t in templates_for(step) if t.identifier == identifier), None)
    return exporter(template) if exporter and template else None
