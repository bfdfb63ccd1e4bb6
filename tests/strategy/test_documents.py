import io

import docx
import pytest
from odf import teletype
from odf.opendocument import load
from odf.text import H, P

from daks.strategy.documents import TEMPLATES, DocxExporter, OdtExporter, exporter_for

pytestmark = pytest.mark.django_db


def odt_text(content: bytes) -> str:
    document = load(io.BytesIO(content))
    elements = document.getElementsByType(H) + document.getElementsByType(P)
    return "\n".join(teletype.extractText(e) for e in elements)


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.identifier)
@pytest.mark.parametrize(("exporter", "reader"), [(OdtExporter, odt_text), (DocxExporter, docx_text)])
def test_documents_open_and_contain_the_municipality(process, template, exporter, reader):
    filename, mimetype, content = exporter(template).render(process)
    assert mimetype == exporter.mimetype
    assert filename.startswith(template.identifier) and filename.endswith("musterstadt." + exporter.extension)
    text = reader(content)
    assert "Musterstadt" in text


def test_swot_sheet_has_2x2_table(process):
    template = exporter_for("profile", "swot", "docx")
    document = docx.Document(io.BytesIO(template.render(process)[2]))
    table = document.tables[0]
    assert len(table.rows) == 3 and len(table.columns) == 3  # header row/column + 2×2
    text = docx_text(template.render(process)[2])
    for word in ("Stärken", "Schwächen", "Chancen", "Risiken"):
        assert word in text
    assert "Risiken" in odt_text(exporter_for("profile", "swot", "odt").render(process)[2])


def test_invitation_text(process):
    text = odt_text(exporter_for("kickoff", "einladung-kick-off", "odt").render(process)[2])
    assert "Einladung zur Auftaktveranstaltung „Musterstadt 2040“" in text


def test_unknown_template_or_format(process):
    assert exporter_for("kickoff", "swot", "odt") is None
    assert exporter_for("profile", "swot", "pdf") is None


def test_download_view(login, reader, process):
    client = login(reader)
    response = client.get(f"/kommunen/musterstadt/prozesse/{process.pk}/kick-off/vorlagen/tagesordnung-kick-off.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tagesordnung-kick-off-musterstadt.docx"'
    assert "Begrüßung durch die Verwaltungsspitze" in docx_text(response.content)
    assert client.get(f"/kommunen/musterstadt/prozesse/{process.pk}/kick-off/vorlagen/swot.odt").status_code == 404
