import io
import zipfile

from odf.table import Table, TableHeaderRows
from odf.text import H, List, TableOfContent

from daks.exports.odt import OdtDocument

from .readers import odt_document, odt_text


def build() -> bytes:
    document = OdtDocument(title="Kommunalprofil Musterstadt")
    document.title("Musterstadt")
    document.toc("Inhaltsverzeichnis")
    document.heading("Statistik", 1)
    document.heading("Kennzahlen", 2)
    document.paragraph("Erste Zeile\nzweite Zeile")
    document.bullets(["Stärke eins", "Stärke zwei"])
    document.table(
        ["Kennzahl", "Wert"],
        [["Einwohner", "2.935"], ["Medianalter", "48,3"]],
        caption="Kennzahlen",
        numeric_columns={1},
    )
    document.heading("SWOT-Analyse", 1)
    return document.to_bytes()


def test_headings_paragraphs_lists_and_tables():
    content = build()
    document = odt_document(content)
    headings = [(h.getAttribute("outlinelevel"), str(h)) for h in document.getElementsByType(H)]
    assert headings == [("1", "Statistik"), ("2", "Kennzahlen"), ("1", "SWOT-Analyse")]
    assert len(document.getElementsByType(List)) == 1
    [table] = document.getElementsByType(Table)
    [header] = table.getElementsByType(TableHeaderRows)
    assert "Kennzahl" in str(header) and "Einwohner" not in str(header)
    text = odt_text(content)
    for expected in ("Musterstadt", "Erste Zeile", "Stärke zwei", "2.935", "48,3"):
        assert expected in text


def test_table_of_contents_lists_the_headings():
    document = odt_document(build())
    [toc] = document.getElementsByType(TableOfContent)
    entries = str(toc)
    assert "Inhaltsverzeichnis" in entries
    assert entries.index("Statistik") < entries.index("Kennzahlen") < entries.index("SWOT-Analyse")


def test_german_is_the_language_of_the_styles_and_the_metadata():
    archive = zipfile.ZipFile(io.BytesIO(build()))
    styles = archive.read("styles.xml").decode()
    meta = archive.read("meta.xml").decode()
    assert 'fo:language="de"' in styles and 'fo:country="DE"' in styles
    assert "<dc:language>de-DE</dc:language>" in meta
    assert "<dc:title>Kommunalprofil Musterstadt</dc:title>" in meta
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
