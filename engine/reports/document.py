"""A document to hand on — the report, the bulletin, the technical report, the one-page
summary — as a list of blocks (headings, paragraphs, tables, bullet lists) that each paper
format lays out its own way: Word (:mod:`engine.reports.docx`), PDF (:mod:`engine.reports.pdf`)
and printable HTML (:func:`to_html`). What a document says is decided once, here; the
writers only set type.

Every text is plain text: a writer escapes it for its own format, so nothing a user typed
can become markup (an HTML tag, a Word field, a PDF operator).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from engine.reports.render import markdown_cell

Tone = str
"""A paragraph's colour by meaning: ``""`` (ordinary), ``good``, ``bad``, ``partial``, ``muted``."""

TONES: dict[str, str] = {"good": "2E7D4F", "bad": "C62828", "partial": "B26A00", "muted": "666666"}
"""Each tone's colour (RGB hex), the same in every paper format."""


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1
    """0 is the document's title; 1, 2, 3 are sections, sub-sections and items."""
    tone: Tone = ""


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    tone: Tone = ""
    small: bool = False


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True)
class Fields:
    """Labelled lines, ``label: text`` with the label set apart (an item's explanation, its
    method, its value …)."""

    pairs: list[tuple[str, str]]


Block = Heading | Paragraph | Table | Bullets | Fields


@dataclass
class Document:
    title: str
    lang: str
    blocks: list[Block] = field(default_factory=list)
    landscape: bool = True
    """Wide tables (the report, the bulletin) are set landscape; running text portrait."""
    made: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    def heading(self, text: str, level: int = 1, tone: Tone = "") -> None:
        self.blocks.append(Heading(str(text), level, tone))

    def paragraph(
        self, text: str, bold: bool = False, tone: Tone = "", small: bool = False
    ) -> None:
        self.blocks.append(Paragraph(str(text), bold, tone, small))

    def table(self, header: Sequence[object], rows: Sequence[Sequence[object]]) -> None:
        cells = [["" if c is None else str(c) for c in row] for row in rows]
        self.blocks.append(Table([str(h) for h in header], cells))

    def bullets(self, items: list[str]) -> None:
        if items:
            self.blocks.append(Bullets([str(item) for item in items]))

    def fields(self, pairs: list[tuple[str, str]]) -> None:
        if pairs:
            self.blocks.append(Fields([(str(k), str(v)) for k, v in pairs]))

    def table_or(
        self, header: Sequence[object], rows: Sequence[Sequence[object]], none: str
    ) -> None:
        """The table, or ``none`` when it would have no rows."""
        if rows:
            self.table(header, rows)
        else:
            self.paragraph(none)


def page_words(lang: str) -> tuple[str, str, str]:
    """The page footer's words around the numbers: ``第 3 页 / 共 9 页``, ``page 3 of 9``."""
    return ("第 ", " 页 / 共 ", " 页") if lang != "en" else ("page ", " of ", "")


_HTML_STYLE = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Zen Hei","Microsoft YaHei",
sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222;line-height:1.55}
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}
h3{font-size:1.05rem}h4{font-size:1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.92rem}
th,td{border:1px solid #bbb;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}dl{margin:.3rem 0 1rem}dt{font-weight:bold;float:left;clear:left;
margin-right:.5rem}dd{margin:0 0 .2rem 0}.small{font-size:.85rem}td.short{white-space:nowrap}
.tone-good{color:#2E7D4F}.tone-bad{color:#C62828}.tone-partial{color:#B26A00}
.tone-muted{color:#666}footer{margin-top:2rem;color:#666;font-size:.85rem}
@page{size:A4;margin:18mm}
@media print{body{margin:0;max-width:none}h2,h3{break-after:avoid}tr{break-inside:avoid}}
"""


def to_html(document: Document) -> str:
    """The document as one printable HTML page (A4 when printed), every text escaped."""
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if document.lang == "en" else "zh-CN"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)}</title><style>{_HTML_STYLE}</style></head><body>",
    ]
    for block in document.blocks:
        out.append(_html_block(block))
    out.append(f"<footer>{document.made:%Y-%m-%d}</footer></body></html>\n")
    return "\n".join(out)


def _html_block(block: Block) -> str:
    if isinstance(block, Heading):
        level = min(block.level + 1, 4)
        tone = f' class="tone-{block.tone}"' if block.tone else ""
        return f"<h{level}{tone}>{escape(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        classes = [f"tone-{block.tone}"] if block.tone else []
        classes += ["small"] if block.small else []
        attribute = f' class="{" ".join(classes)}"' if classes else ""
        text = f"<strong>{escape(block.text)}</strong>" if block.bold else escape(block.text)
        return f"<p{attribute}>{text}</p>"
    if isinstance(block, Table):
        head = "".join(f"<th>{escape(h)}</th>" for h in block.header)
        # A short cell (a number with its unit, a status) never wraps: 19.1 % stays one line.
        body = "".join(
            "<tr>"
            + "".join(
                f'<td class="short">{escape(c)}</td>' if len(c) <= 12 else f"<td>{escape(c)}</td>"
                for c in row
            )
            + "</tr>"
            for row in block.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + "</ul>"
    pairs = "".join(f"<dt>{escape(k)}:</dt><dd>{escape(v)}</dd>" for k, v in block.pairs)
    return f"<dl>{pairs}</dl>"


def to_markdown(document: Document) -> str:
    """The document as Markdown (a table cell's ``|`` and line breaks made safe)."""
    out: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            out += ["#" * (block.level + 1) + " " + _markdown_text(block.text, heading=True), ""]
        elif isinstance(block, Paragraph):
            text = _markdown_text(block.text)
            out += [f"**{text}**" if block.bold else text, ""]
        elif isinstance(block, Table):
            out.append("| " + " | ".join(_markdown_cell(h) for h in block.header) + " |")
            out.append("|" + "---|" * len(block.header))
            out += ["| " + " | ".join(_markdown_cell(c) for c in row) + " |" for row in block.rows]
            out.append("")
        elif isinstance(block, Bullets):
            out += [f"- {_markdown_text(item)}" for item in block.items] + [""]
        else:
            out += [f"- **{_markdown_text(k)}**: {_markdown_text(v)}" for k, v in block.pairs]
            out.append("")
    out.append(f"{document.made:%Y-%m-%d}")
    return "\n".join(out) + "\n"


def _markdown_text(text: str, heading: bool = False) -> str:
    """One line of running Markdown text: line breaks joined, ``<`` and ``&`` as entities (no
    HTML of a user's gets through), a leading ``#``, ``-``, ``>`` … (which would start a
    heading, a list or a quote) escaped."""
    line = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;")
    return "\\" + line if line[:1] in "#->+*|=" and line and not heading else line


def _markdown_cell(text: str) -> str:
    return markdown_cell(text.replace("&", "&amp;").replace("<", "&lt;"))


__all__ = [
    "TONES",
    "Block",
    "Bullets",
    "Document",
    "Fields",
    "Heading",
    "Paragraph",
    "Table",
    "page_words",
    "to_html",
    "to_markdown",
]
