"""A :class:`~engine.reports.document.Document` as PDF: A4, the Chinese font embedded,
the date and ``第 N 页 / 共 M 页`` on every page.

Set with fpdf2 (pure Python: nothing to install beside ``pip``, unlike WeasyPrint's Pango or
a browser), in the font the package carries — Noto Sans CJK SC cut to GB 2312 and common
symbols (``fonts/``, SIL Open Font License) — so a PDF made on a machine with no Chinese
font at all reads the same everywhere. A character the bundled font lacks (a rare name) is
taken from a system font where one is installed (Noto CJK, WenQuanYi).
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from engine.reports.document import (
    TONES,
    Block,
    Bullets,
    Document,
    Fields,
    Heading,
    Paragraph,
    Table,
    page_words,
)

FONT = Path(__file__).with_name("fonts") / "NotoSansSC-ecoassess.ttf"
# fpdf2 logs each glyph no font has, and fontTools each table of a system font it cannot
# subset: notes for a developer, not lines for the office's terminal (a missing glyph is
# drawn as a box in the PDF itself).
for _name in ("fpdf", "fontTools"):
    logging.getLogger(_name).setLevel(logging.ERROR)
FAMILY = "NotoSansSC"
# Fonts with the characters the bundled one lacks, where a system has them (path, index
# in a collection).
SYSTEM_FONTS = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)
# Chinese has no spaces to break lines at: lines break between any two characters (English
# between words); text is set flush left, never justified (justified CJK leaves gaps).
_FLOW: dict[str, Any] = {"new_x": "LMARGIN", "new_y": "NEXT", "align": "L"}
SIZES = {0: 18.0, 1: 14.0, 2: 12.0, 3: 11.0}
BODY, SMALL = 10.0, 8.5
LABEL_COLOUR = (0x1F, 0x4E, 0x79)


@cache
def _bundled_characters() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(FONT, lazy=True) as font:  # closed: only the character map is kept
        return frozenset(font.getBestCmap())


def write_pdf(document: Document) -> bytes:
    """The PDF file's bytes."""
    from fpdf import FPDF

    class _Pages(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FAMILY, size=SMALL)
            self.set_text_color(0x66, 0x66, 0x66)
            before, between, after = page_words(document.lang)
            text = f"{document.made:%Y-%m-%d} · {before}{self.page_no()}{between}{{nb}}{after}"
            self.cell(0, 6, text, align="C")

    pdf = _Pages(orientation="L" if document.landscape else "P", unit="mm", format="A4")
    pdf.set_margins(16, 16, 16)
    pdf.set_auto_page_break(True, margin=16)
    # One face: a second (bold) face would be subset and embedded again — twice the time
    # for the same outlines. Bold is drawn by stroking the outline as well (_bold).
    pdf.add_font(FAMILY, fname=str(FONT))
    _fallbacks(pdf, document)
    pdf.set_title(document.title)
    pdf.set_author("ecoassess")
    pdf.set_creator("ecoassess")
    pdf.set_lang("en" if document.lang == "en" else "zh-CN")
    pdf.set_creation_date(document.made)
    flow = {**_FLOW, "wrapmode": _wrap(document.lang)}
    pdf.add_page()
    for block in document.blocks:
        _block(pdf, block, flow)
    return bytes(pdf.output())


def _wrap(lang: str) -> Any:
    from fpdf.enums import WrapMode

    return WrapMode.WORD if lang == "en" else WrapMode.CHAR


def _fallbacks(pdf: Any, document: Document) -> None:
    """Add a system font for the characters the bundled font lacks, only when some are used
    (reading a 20 MB collection costs a second)."""
    used = {ord(c) for c in _texts(document)}
    if used <= _bundled_characters():
        return
    names = []
    for number, (path, index) in enumerate(SYSTEM_FONTS):
        if Path(path).is_file():
            name = f"fallback{number}"
            pdf.add_font(name, fname=path, collection_font_number=index)
            names.append(name)
    if names:
        pdf.set_fallback_fonts(names, exact_match=False)


def _texts(document: Document) -> str:
    pieces: list[str] = [document.title]
    for block in document.blocks:
        if isinstance(block, Heading | Paragraph):
            pieces.append(block.text)
        elif isinstance(block, Table):
            pieces += block.header + [c for row in block.rows for c in row]
        elif isinstance(block, Bullets):
            pieces += block.items
        else:
            pieces += [k + v for k, v in block.pairs]
    return "".join(pieces)


def _colour(pdf: Any, tone: str) -> None:
    value = TONES.get(tone, "222222")
    rgb = (int(value[:2], 16), int(value[2:4], 16), int(value[4:], 16))
    pdf.set_text_color(*rgb)
    pdf.set_draw_color(*rgb)


@contextmanager
def _bold(pdf: Any, bold: bool = True) -> Iterator[None]:
    """Bold text: the glyphs filled and their outline stroked in the same colour."""
    if not bold:
        yield
        return
    from fpdf.enums import TextMode

    width = pdf.line_width
    pdf.text_mode, pdf.line_width = TextMode.FILL_STROKE, 0.18
    try:
        yield
    finally:
        pdf.text_mode, pdf.line_width = TextMode.FILL, width


def _block(pdf: Any, block: Block, flow: dict[str, Any]) -> None:
    width = pdf.epw
    if isinstance(block, Heading):
        size = SIZES.get(block.level, BODY)
        pdf.ln(2 if block.level > 1 else 4)
        if pdf.will_page_break(size + 24):
            pdf.add_page()  # a heading is never the last line of a page
        pdf.set_font(FAMILY, size=size)
        _colour(pdf, block.tone)
        with _bold(pdf):
            pdf.multi_cell(width, size * 0.5, block.text, **flow)
        pdf.ln(1)
    elif isinstance(block, Paragraph):
        size = SMALL if block.small else BODY
        pdf.set_font(FAMILY, size=size)
        _colour(pdf, block.tone or ("muted" if block.small else ""))
        with _bold(pdf, block.bold):
            pdf.multi_cell(width, size * 0.55, block.text, **flow)
        pdf.ln(1.5)
    elif isinstance(block, Bullets):
        pdf.set_font(FAMILY, size=BODY)
        _colour(pdf, "")
        for item in block.items:
            pdf.set_x(pdf.l_margin + 3)
            pdf.multi_cell(width - 3, BODY * 0.55, f"• {item}", **flow)
        pdf.ln(1.5)
    elif isinstance(block, Fields):
        pdf.set_font(FAMILY, size=BODY)
        label_width = min(
            max(pdf.get_string_width(f"{k}：") for k, _ in block.pairs) + 1, width / 3
        )
        for label, text in block.pairs:
            pdf.set_text_color(*LABEL_COLOUR)
            pdf.cell(label_width, BODY * 0.55, f"{label}：")
            _colour(pdf, "")
            pdf.multi_cell(width - label_width, BODY * 0.55, text, **flow)
        pdf.ln(1.5)
    else:
        _table(pdf, block, flow)


def _table(pdf: Any, table: Table, flow: dict[str, Any]) -> None:
    """A table whose columns share the line by how much they hold (a name wide, a status
    narrow); its header repeats on every page it spans."""
    pdf.set_font(FAMILY, size=SMALL + 0.5)
    _colour(pdf, "")
    widths = _widths(table, pdf.epw)
    with pdf.table(
        col_widths=widths,
        line_height=(SMALL + 0.5) * 0.55,
        text_align="LEFT",
        first_row_as_headings=True,
        headings_style=_heading_style(),
        padding=1,
        wrapmode=flow["wrapmode"],
    ) as grid:
        for values in [table.header, *table.rows]:
            row = grid.row()
            for value in values:
                row.cell(value)
    pdf.ln(2)


def _widths(table: Table, line: float, narrowest: float = 12.0) -> list[float]:
    """Each column's width (mm): at least ``narrowest``, the rest of ``line`` shared by how
    much the column holds (a CJK character counts twice), the item's name favoured."""

    def columns(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    count = len(table.header)
    weights = [
        max(
            min(columns(table.header[i]), 12),
            *(min(columns(r[i]), 48) for r in table.rows[:200]),
            2,
        )
        for i in range(count)
    ]
    if count > 2:
        weights[1] = int(weights[1] * 1.5)  # the item's name, read first, wraps least
    spare = max(line - narrowest * count, 0.0)
    total = sum(weights) or 1
    return [narrowest + spare * weight / total for weight in weights]


def _heading_style() -> Any:
    from fpdf.fonts import FontFace

    return FontFace(family=FAMILY, fill_color=(0xE8, 0xEC, 0xF0))


__all__ = ["write_pdf"]
