"""Building ODT text documents (odfpy): headings, paragraphs, bullet lists, tables with a header row and a table
of contents, with German set as the language of the styles.

    document = OdtDocument(title="Kommunalprofil", language="de")
    document.heading("Kennzahlen", level=1)
    document.paragraph("Erste Zeile\\nzweite Zeile")
    document.bullets(["eins", "zwei"])
    document.table(["Kennzahl", "Wert"], [["Einwohner", "2.935"]], numeric_columns={1})
    content = document.to_bytes()

``toc()`` places a table of contents; it is filled with the headings when the document is written (LibreOffice
adds page numbers with "Update index").
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from odf import dc
from odf.opendocument import OpenDocumentText
from odf.style import (
    DefaultStyle,
    ListLevelProperties,
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TextProperties,
)
from odf.table import Table, TableCell, TableColumn, TableHeaderRows, TableRow
from odf.text import (
    H,
    IndexBody,
    IndexEntryPageNumber,
    IndexEntryTabStop,
    IndexEntryText,
    IndexTitle,
    IndexTitleTemplate,
    LineBreak,
    List,
    ListItem,
    ListLevelStyleBullet,
    ListStyle,
    P,
    Span,
    TableOfContent,
    TableOfContentEntryTemplate,
    TableOfContentSource,
)

FONT = "Liberation Sans"
BORDER = "0.5pt solid #8c99a4"
MAX_LEVEL = 3


def _add_lines(element, text: str):
    """Text with line breaks (``\\n``) as ``text:line-break`` elements."""
    for index, line in enumerate(str(text or "").split("\n")):
        if index:
            element.addElement(LineBreak())
        if line:
            element.addText(line)
    return element


class OdtDocument:
    def __init__(self, *, title: str = "", language: str = "de", country: str = "DE", subject: str = ""):
        self.document = OpenDocumentText()
        self.language, self.country = language, country
        self._headings: list[tuple[int, str]] = []
        self._tocs: list[tuple[TableOfContent, str]] = []
        self._tables = 0
        self._styles()
        meta = self.document.meta
        if title:
            meta.addElement(dc.Title(text=title))
        if subject:
            meta.addElement(dc.Subject(text=subject))
        meta.addElement(dc.Language(text=f"{language}-{country}" if country else language))

    # --- styles ---------------------------------------------------------------------------------

    def _text_properties(self, **extra) -> TextProperties:
        return TextProperties(
            language=self.language,
            country=self.country,
            fontname=FONT,
            fontfamily=FONT,
            languageasian="none",
            countryasian="none",
            **extra,
        )

    def _styles(self):
        from odf.style import FontFace

        doc = self.document
        doc.fontfacedecls.addElement(FontFace(name=FONT, fontfamily=FONT, fontfamilygeneric="swiss"))
        default = DefaultStyle(family="paragraph")
        default.addElement(self._text_properties(fontsize="10.5pt"))
        doc.styles.addElement(default)

        standard = Style(name="Standard", family="paragraph")
        standard.addElement(self._text_properties(fontsize="10.5pt"))
        doc.styles.addElement(standard)

        body = Style(name="Text_20_body", displayname="Text body", family="paragraph", parentstylename="Standard")
        body.addElement(ParagraphProperties(margintop="0cm", marginbottom="0.2cm"))
        doc.styles.addElement(body)
        self.body = body

        heading = Style(name="Heading", family="paragraph", parentstylename="Standard", nextstylename="Text_20_body")
        heading.addElement(ParagraphProperties(margintop="0.42cm", marginbottom="0.21cm", keepwithnext="always"))
        heading.addElement(self._text_properties(fontsize="14pt", color="#0b3d52"))
        doc.styles.addElement(heading)
        self.heading_styles = {}
        for level, size in ((1, "17pt"), (2, "14pt"), (3, "12pt")):
            style = Style(
                name=f"Heading_20_{level}",
                displayname=f"Heading {level}",
                family="paragraph",
                parentstylename="Heading",
                nextstylename="Text_20_body",
                defaultoutlinelevel=str(level),
            )
            style.addElement(TextProperties(fontsize=size, fontweight="bold"))
            doc.styles.addElement(style)
            self.heading_styles[level] = style

        title = Style(name="Title", family="paragraph", parentstylename="Heading")
        title.addElement(ParagraphProperties(textalign="left", marginbottom="0.5cm"))
        title.addElement(TextProperties(fontsize="24pt", fontweight="bold"))
        doc.styles.addElement(title)
        self.title_style = title

        muted = Style(name="Muted", family="paragraph", parentstylename="Text_20_body")
        muted.addElement(TextProperties(color="#4f5b66", fontsize="9pt"))
        doc.styles.addElement(muted)
        self.muted_style = muted

        table_heading = Style(name="Table_20_Heading", displayname="Table Heading", family="paragraph")
        table_heading.addElement(TextProperties(fontweight="bold", fontsize="9.5pt"))
        doc.styles.addElement(table_heading)
        table_contents = Style(name="Table_20_Contents", displayname="Table Contents", family="paragraph")
        table_contents.addElement(TextProperties(fontsize="9.5pt"))
        doc.styles.addElement(table_contents)
        self.table_heading_style, self.table_contents_style = table_heading, table_contents

        number = Style(name="TableNumber", family="paragraph", parentstylename="Table_20_Contents")
        number.addElement(ParagraphProperties(textalign="end"))
        doc.automaticstyles.addElement(number)
        self.number_style = number

        caption = Style(name="Table_20_Caption", displayname="Table caption", family="paragraph")
        caption.addElement(ParagraphProperties(keepwithnext="always", margintop="0.2cm", marginbottom="0.1cm"))
        caption.addElement(TextProperties(fontweight="bold", fontsize="9.5pt"))
        doc.styles.addElement(caption)
        self.caption_style = caption

        strong = Style(name="Strong", family="text")
        strong.addElement(TextProperties(fontweight="bold"))
        doc.styles.addElement(strong)
        self.strong_style = strong

        cell = Style(name="Cell", family="table-cell")
        cell.addElement(TableCellProperties(border=BORDER, padding="0.08cm"))
        doc.automaticstyles.addElement(cell)
        head_cell = Style(name="HeadCell", family="table-cell")
        head_cell.addElement(TableCellProperties(border=BORDER, padding="0.08cm", backgroundcolor="#e8eef2"))
        doc.automaticstyles.addElement(head_cell)
        self.cell_style, self.head_cell_style = cell, head_cell

        table = Style(name="Table", family="table")
        table.addElement(TableProperties(width="16.5cm", align="left"))
        doc.automaticstyles.addElement(table)
        self.table_style = table

        bullets = ListStyle(name="Bullets")
        level = ListLevelStyleBullet(level=1, bulletchar="•")
        level.addElement(ListLevelProperties(spacebefore="0.4cm", minlabelwidth="0.5cm"))
        bullets.addElement(level)
        doc.automaticstyles.addElement(bullets)
        self.list_style = bullets

        page_break = Style(name="PageBreak", family="paragraph", parentstylename="Text_20_body")
        page_break.addElement(ParagraphProperties(breakbefore="page"))
        doc.automaticstyles.addElement(page_break)
        self.page_break_style = page_break

        toc_title = Style(name="Contents_20_Heading", displayname="Contents Heading", family="paragraph")
        toc_title.addElement(TextProperties(fontsize="16pt", fontweight="bold"))
        doc.styles.addElement(toc_title)
        self.toc_title_style = toc_title
        self.toc_styles = {}
        for level in range(1, MAX_LEVEL + 1):
            style = Style(name=f"Contents_20_{level}", displayname=f"Contents {level}", family="paragraph")
            style.addElement(ParagraphProperties(marginleft=f"{0.5 * (level - 1):.1f}cm"))
            doc.styles.addElement(style)
            self.toc_styles[level] = style

    # --- content ---------------------------------------------------------------------------------

    def title(self, text: str) -> None:
        self.document.text.addElement(_add_lines(P(stylename=self.title_style), text))

    def heading(self, text: str, level: int = 1) -> None:
        level = max(1, min(level, MAX_LEVEL))
        self._headings.append((level, str(text)))
        self.document.text.addElement(
            _add_lines(H(outlinelevel=level, stylename=self.heading_styles[level]), str(text))
        )

    def paragraph(self, text: str, *, muted: bool = False, page_break: bool = False) -> None:
        style = self.page_break_style if page_break else (self.muted_style if muted else self.body)
        self.document.text.addElement(_add_lines(P(stylename=style), text))

    def labelled(self, label: str, text: str) -> None:
        """A paragraph starting with a bold label: **Ort:** Rathaus."""
        element = P(stylename=self.body)
        element.addElement(Span(stylename=self.strong_style, text=f"{label} "))
        _add_lines(element, text)
        self.document.text.addElement(element)

    def page_break(self) -> None:
        self.document.text.addElement(P(stylename=self.page_break_style))

    def bullets(self, items: Iterable[str]) -> None:
        items = [str(item) for item in items]
        if not items:
            return
        element = List(stylename=self.list_style)
        for text in items:
            item = ListItem()
            item.addElement(_add_lines(P(stylename=self.body), text))
            element.addElement(item)
        self.document.text.addElement(element)

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[str]],
        *,
        caption: str = "",
        numeric_columns: Iterable[int] = (),
    ) -> None:
        """A table whose first row is a header row (repeated on every page)."""
        numeric = set(numeric_columns)
        self._tables += 1
        if caption:
            self.document.text.addElement(_add_lines(P(stylename=self.caption_style), caption))
        table = Table(name=f"Tabelle{self._tables}", stylename=self.table_style)
        column_style = Style(name=f"Tabelle{self._tables}.A", family="table-column")
        column_style.addElement(TableColumnProperties(relcolumnwidth="1*"))
        self.document.automaticstyles.addElement(column_style)
        table.addElement(TableColumn(numbercolumnsrepeated=max(len(headers), 1), stylename=column_style))
        head = TableHeaderRows()
        head_row = TableRow()
        for header in headers:
            cell = TableCell(valuetype="string", stylename=self.head_cell_style)
            cell.addElement(_add_lines(P(stylename=self.table_heading_style), str(header)))
            head_row.addElement(cell)
        head.addElement(head_row)
        table.addElement(head)
        for row in rows:
            table_row = TableRow()
            for index, value in enumerate(row):
                cell = TableCell(valuetype="string", stylename=self.cell_style)
                style = self.number_style if index in numeric else self.table_contents_style
                cell.addElement(_add_lines(P(stylename=style), "" if value is None else str(value)))
                table_row.addElement(cell)
            table.addElement(table_row)
        self.document.text.addElement(table)

    def toc(self, title: str) -> None:
        """A table of contents here; its entries are the headings of the whole document."""
        toc = TableOfContent(name="Inhaltsverzeichnis", protected="true")
        source = TableOfContentSource(outlinelevel=str(MAX_LEVEL))
        template_title = IndexTitleTemplate(stylename=self.toc_title_style)
        template_title.addText(title)
        source.addElement(template_title)
        for level in range(1, MAX_LEVEL + 1):
            entry = TableOfContentEntryTemplate(outlinelevel=str(level), stylename=self.toc_styles[level])
            entry.addElement(IndexEntryText())
            entry.addElement(IndexEntryTabStop(type="right", leaderchar="."))
            entry.addElement(IndexEntryPageNumber())
            source.addElement(entry)
        toc.addElement(source)
        self.document.text.addElement(toc)
        self._tocs.append((toc, title))

    def _fill_tocs(self) -> None:
        for toc, title in self._tocs:
            body = IndexBody()
            index_title = IndexTitle(name="Inhaltsverzeichnis_Head")
            index_title.addElement(P(stylename=self.toc_title_style, text=title))
            body.addElement(index_title)
            for level, text in self._headings:
                body.addElement(P(stylename=self.toc_styles[level], text=text))
            toc.addElement(body)
        self._tocs = []

    def to_bytes(self) -> bytes:
        self._fill_tocs()
        buffer = io.BytesIO()
        self.document.write(buffer)
        return buffer.getvalue()
