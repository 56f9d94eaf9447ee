"""A :class:`~engine.reports.document.Document` as a Word file, for submission files.

Chinese text is set in fonts Word has for CJK (宋体 for text, 黑体 for headings, given as the
East-Asian font of each style, which is what Word uses to choose a CJK glyph).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from engine.reports.document import (
    TONES,
    Bullets,
    Document,
    Heading,
    Paragraph,
    Table,
    page_words,
)

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"


def write_docx(document: Document) -> bytes:
    """The Word file's bytes: each block of ``document`` in Word's own styles."""
    word = new_document(document.title, document.lang, document.landscape, document.made)
    for block in document.blocks:
        if isinstance(block, Heading):
            word.add_heading(xml_text(block.text), level=block.level)
            if block.tone:
                word.paragraphs[-1].runs[0].font.color.rgb = RGBColor.from_string(TONES[block.tone])
        elif isinstance(block, Paragraph):
            run = word.add_paragraph().add_run(xml_text(block.text))
            run.bold = block.bold or None
            if block.tone:
                run.font.color.rgb = RGBColor.from_string(TONES[block.tone])
            if block.small:
                run.font.size = Pt(9)
        elif isinstance(block, Table):
            add_table(word, block.header, block.rows, document.landscape)
        elif isinstance(block, Bullets):
            for item in block.items:
                word.add_paragraph(xml_text(item), style="List Bullet")
        else:
            for label, text in block.pairs:
                paragraph = word.add_paragraph()
                paragraph.paragraph_format.space_after = Pt(2)  # one item's lines kept together
                paragraph.add_run(xml_text(f"{label}：")).bold = True
                paragraph.add_run(xml_text(text))
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def new_document(
    title: str = "", lang: str = "zh", landscape: bool = True, made: datetime | None = None
) -> Any:
    """An empty Word document: A4 (landscape for wide tables), 宋体/黑体 for Chinese, its own
    metadata (not python-docx's template's: author python-docx, made in 2013), and a footer
    with the date and the page number on every page — a document an office can hand on as
    it is."""
    document = docx.Document()
    _set_fonts(document)
    _a4(document, landscape)
    now = made or datetime.now().replace(microsecond=0)
    properties = document.core_properties
    properties.author = properties.last_modified_by = "ecoassess"
    properties.created = properties.modified = now
    properties.title = xml_text(title)
    properties.comments = properties.subject = properties.keywords = ""
    properties.revision = 1
    _footer(document, now, lang)
    return document


def _footer(document: Any, now: datetime, lang: str) -> None:
    """``2026-12-02 · 第 3 页 / 共 9 页`` (Word fills the numbers in: PAGE, NUMPAGES fields)."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = 1  # centred
    words = page_words(lang)
    paragraph.add_run(f"{now:%Y-%m-%d} · {words[0]}")
    _field(paragraph, "PAGE")
    paragraph.add_run(words[1])
    _field(paragraph, "NUMPAGES")
    if words[2]:
        paragraph.add_run(words[2])


def _field(paragraph: Any, code: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _a4(document: Any, landscape: bool) -> None:
    """A4: landscape keeps tables of seven columns readable; portrait suits running text."""
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: object) -> str:
    """``value`` as text a Word file can hold: characters XML forbids (control characters a
    data file may carry) become U+FFFD, so the document is still written, never a crash."""
    return _NOT_IN_XML.sub("\ufffd", str(value))


def add_table(
    document: Any, header: list[str], rows: Sequence[Sequence[Any]], landscape: bool = True
) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = xml_text(text)
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    # Repeat the header row on every page a long table spans.
    header_properties = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_properties.append(repeat)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = "" if value is None else xml_text(value)
    # The first column holds item numbers; the others share the rest of the line (26.1 cm
    # landscape, 17.4 cm portrait) by how much they hold (an item's name is long, a status
    # short), each at least 1.6 cm.
    weights = [
        max(len(str(header[i])), *(min(len(str(r[i] or "")), 24) for r in rows[:200]), 2)
        for i in range(1, len(header))
    ]
    if weights:
        weights[0] = int(weights[0] * 1.6)  # the item's name, read first, wraps least
    share = (24.5 if landscape else 15.8) - 1.6 * len(weights)
    total = sum(weights) or 1
    widths = [Cm(1.6)] + [Cm(1.6 + share * w / total) for w in weights]
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    document.add_paragraph()


def _set_fonts(document: Any) -> None:
    styles = document.styles
    for name in (
        "Normal",
        "Title",
        "Heading 1",
        "Heading 2",
        "Heading 3",
        "List Bullet",
        "Table Grid",
    ):
        style = styles[name]
        east_asian = BODY_FONT if name in ("Normal", "List Bullet", "Table Grid") else HEADING_FONT
        if getattr(style, "font", None) is None:
            continue
        style.font.name = LATIN_FONT
        properties = style.element.get_or_add_rPr()
        fonts = properties.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            properties.append(fonts)
        fonts.set(qn("w:eastAsia"), east_asian)
    styles["Normal"].font.size = Pt(10.5)
