"""The report as a Word document: the same sections as the HTML, for submission files.

Chinese text is set in fonts Word has for CJK (宋体 for text, 黑体 for headings, given as the
East-Asian font of each style, which is what Word uses to choose a CJK glyph).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from engine.criteria.compiler import CompiledCriteria
from engine.evaluation.results import ItemResult, Report
from engine.reports.view import ReportView
from engine.resources import labels

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
VERDICT_COLOURS = {
    "ready": RGBColor(0x2E, 0x7D, 0x4F),
    "not_ready": RGBColor(0xC6, 0x28, 0x28),
    "partial": RGBColor(0xB2, 0x6A, 0x00),  # ready on the transcribed items of an incomplete set
}


def render_docx(
    report: Report, criteria: CompiledCriteria, lang: str = "zh", department: str | None = None
) -> bytes:
    """The .docx file's bytes."""
    view = ReportView(report, criteria, lang, labels()[lang], department)
    t = view.t
    document = new_document(
        f"{t['report_title']}{view.title_suffix} — {report.entity['name']}", lang
    )
    document.add_heading(xml_text(t["report_title"] + view.title_suffix), level=0)
    document.add_paragraph(xml_text(f"{t['entity']}: {view.entity_line}"))
    document.add_paragraph(xml_text(f"{t['criteria']}: {view.text(report.criteria.title)}"))

    document.add_heading(xml_text(f"{t['verdict']}: {view.verdict_text}"), level=1)
    verdict = document.paragraphs[-1].runs[0]
    partial = report.verdict == "ready" and not report.criteria.complete
    verdict.font.color.rgb = VERDICT_COLOURS["partial" if partial else report.verdict]
    document.add_paragraph(xml_text(view.verdict_line))
    for line in view.standing:
        document.add_paragraph().add_run(xml_text(line)).bold = True
    counts = report.summary.counts
    add_table(
        document,
        [
            t["status_pass"],
            t["status_fail"],
            t["status_missing"],
            t["status_error"],
            t["status_not_applicable"],
            t["total"],
        ],
        [
            [
                counts["pass"],
                counts["fail"],
                counts["missing"],
                counts["error"],
                counts["not_applicable"],
                report.summary.total,
            ]
        ],
    )

    gap_columns = [
        t["col_number"],
        t["col_item"],
        t["col_value"],
        t["col_target"],
        t["col_gap"],
        view.col_owner,
        t["col_cooperating"],
    ]

    def gap_row(x: ItemResult) -> list[Any]:
        return [
            x.number,
            view.text(x.name),
            view.value(x),
            view.target(x),
            view.gap(x),
            view.owners_text(x),
            view.departments(x.cooperating),
        ]

    _section(document, t["section_blocking"], t, gap_columns, view.blocking, gap_row)
    _section(document, view.warnings_title, t, gap_columns, view.warnings, gap_row)
    _section(
        document,
        t["section_unusable"],
        t,
        [
            t["col_number"],
            t["col_item"],
            t["col_status"],
            t["col_binding"],
            t["col_problem"],
            view.col_owner,
        ],
        view.unusable,
        lambda x: [
            x.number,
            view.text(x.name),
            view.status(x),
            view.kind(x),
            view.problems(x),
            view.owners_text(x),
        ],
    )
    if view.unevidenced:
        document.add_paragraph(xml_text(t["unevidenced_title"]))
        for line in view.unevidenced:
            document.add_paragraph(xml_text(line), style="List Bullet")

    document.add_heading(xml_text(t["section_departments"]), level=1)
    for tasks in view.department_tasks:
        heading = t["dept_counts"].format(blocking=len(tasks.blocking), total=len(tasks.items))
        document.add_heading(xml_text(f"{view.department_name(tasks.name)} — {heading}"), level=2)
        add_table(
            document,
            [
                t["col_number"],
                t["col_item"],
                t["col_status"],
                t["col_value"],
                t["col_target"],
                f"{t['col_gap']} / {t['col_problem']}",
                t["col_cooperating"],
            ],
            [
                [
                    x.number,
                    view.text(x.name),
                    view.status(x),
                    view.value(x),
                    view.target(x),
                    view.gap(x) if x.status == "fail" else view.problems(x),
                    view.departments(x.cooperating),
                ]
                for x in tasks.items
            ],
        )
    if not view.department_tasks:
        document.add_paragraph(xml_text(t["none"]))

    if department is None:
        document.add_heading(xml_text(t["section_all"]), level=1)
        for group in view.groups:
            document.add_heading(xml_text(group.name), level=2)
            rows = []
            for x in group.results:
                if x.id in group.bundle_heads:
                    bundle = group.bundle_heads[x.id]
                    rows.append(
                        [
                            bundle.number,
                            f"{view.text(bundle.name)} ({t['bundle_parts']})",
                            "",
                            "",
                            view.status(bundle),
                            "",
                            "",
                        ]
                    )
                rows.append(
                    [
                        x.number,
                        view.text(x.name),
                        view.value(x),
                        view.target(x),
                        view.status(x),
                        view.kind(x),
                        view.owners_text(x),
                    ]
                )
            add_table(
                document,
                [
                    t["col_number"],
                    t["col_item"],
                    t["col_value"],
                    t["col_target"],
                    t["col_status"],
                    t["col_binding"],
                    view.col_owner,
                ],
                rows,
            )
    document.add_paragraph(
        xml_text(
            f"{view.text(report.criteria.title)} · {t['document']}: {report.criteria.document}. "
            f"{t['generated_note']}"
        )
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _section(
    document: Any,
    title: str,
    t: dict[str, Any],
    columns: list[str],
    results: list[ItemResult],
    row: Callable[[ItemResult], list[Any]],
) -> None:
    document.add_heading(xml_text(title), level=1)
    if results:
        add_table(document, columns, [row(x) for x in results])
    else:
        document.add_paragraph(xml_text(t["none"]))


def new_document(title: str = "", lang: str = "zh") -> Any:
    """An empty Word document: A4 landscape, 宋体/黑体 for Chinese, its own metadata (not
    python-docx's template's: author python-docx, made in 2013), and a footer with the date
    and the page number on every page — a document an office can hand on as it is."""
    from datetime import datetime

    document = Document()
    _set_fonts(document)
    _a4_landscape(document)
    now = datetime.now().replace(microsecond=0)
    properties = document.core_properties
    properties.author = properties.last_modified_by = "ecoassess"
    properties.created = properties.modified = now
    properties.title = xml_text(title)
    properties.comments = properties.subject = properties.keywords = ""
    properties.revision = 1
    _footer(document, now, lang)
    return document


def _footer(document: Any, now: Any, lang: str) -> None:
    """``2026-12-02 · 第 3 页 / 共 9 页`` (Word fills the numbers in: PAGE, NUMPAGES fields)."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = 1  # centred
    words = ("第 ", " 页 / 共 ", " 页") if lang != "en" else ("page ", " of ", "")
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


def _a4_landscape(document: Any) -> None:
    """A4 landscape: tables of seven columns stay readable."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: object) -> str:
    """``value`` as text a Word file can hold: characters XML forbids (control characters a
    data file may carry) become U+FFFD, so the document is still written, never a crash."""
    return _NOT_IN_XML.sub("\ufffd", str(value))


def add_table(document: Any, header: list[str], rows: Sequence[Sequence[Any]]) -> None:
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
    # The first column holds item numbers; the others share the rest of the 26.1 cm line by
    # how much they hold (an item's name is long, a status short), each at least 1.6 cm.
    weights = [
        max(len(str(header[i])), *(min(len(str(r[i] or "")), 24) for r in rows[:200]), 2)
        for i in range(1, len(header))
    ]
    if weights:
        weights[0] = int(weights[0] * 1.6)  # the item's name, read first, wraps least
    share = 24.5 - 1.6 * len(weights)
    total = sum(weights) or 1
    widths = [Cm(1.6)] + [Cm(1.6 + share * w / total) for w in weights]
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    document.add_paragraph()


def _set_fonts(document: Any) -> None:
    styles = document.styles
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet", "Table Grid"):
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
