"""The Word document says what the HTML says: verdict, gaps, department tasks, full table."""

import io

import docx
from docx.oxml.ns import qn

from engine.data.sources import load_data
from engine.evaluation.evaluator import evaluate
from engine.reports.formats import FORMATS
from tests.conftest import EXAMPLE


def test_headings_and_tables(yunnan) -> None:
    report = evaluate(yunnan, load_data(EXAMPLE, yunnan))
    document = docx.Document(io.BytesIO(FORMATS["docx"].write_report(report, yunnan, "zh")))
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[:7] == [
        ("Title", "生态文明建设示范区达标评估报告"),
        ("Heading 1", "结论: 尚未具备申报技术评估条件"),
        ("Heading 1", "一、约束性缺口(须整改，否则不能通过评估)"),
        ("Heading 1", "二、指导性预警(不阻碍申报，建议改进)"),
        ("Heading 1", "三、缺失或无法使用的数据"),
        ("Heading 1", "四、按责任单位的任务清单"),
        ("Heading 2", "市发展改革委 — 阻碍申报 1 项，共 2 项"),
    ]
    blocking = document.tables[1]
    assert [row.cells[0].text for row in blocking.rows] == ["编号", "4.1", "12.1", "16"]
    assert blocking.rows[1].cells[4].text == "需降低 26.8 立方米/万元(相对目标 89.3%)"
    everything = document.tables[-1]
    assert everything.rows[0].cells[1].text == "条目"
    assert sum(len(t.rows) - 1 for t in document.tables[-4:]) == 28 + 4  # items + 4 bundles


def test_cjk_font_is_set_for_east_asian_text(yunnan) -> None:
    report = evaluate(yunnan, load_data(EXAMPLE, yunnan))
    document = docx.Document(io.BytesIO(FORMATS["docx"].write_report(report, yunnan, "zh")))
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    heading = document.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert heading.get(qn("w:eastAsia")) == "黑体"


def test_one_department_only(yunnan) -> None:
    report = evaluate(yunnan, load_data(EXAMPLE, yunnan))
    document = docx.Document(
        io.BytesIO(FORMATS["docx"].write_report(report, yunnan, "en", "市林业局"))
    )
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == ["Forestry Bureau (市林业局) — 1 blocking, 1 in all"]


def test_control_characters_never_stop_the_word_file(tmp_path) -> None:
    """Issue 15, defect 12: a control character in any text crashed the .docx."""
    import docx as python_docx

    from engine.criteria.loader import load_path
    from engine.data.record import DataFile, Entity, MeasuredValue
    from engine.evaluation.evaluator import evaluate
    from engine.reports.docx import xml_text
    from tests.conftest import write_set

    assert xml_text("a\x00b\x0bc\n") == "a\ufffdb\ufffdc\n"
    # (A criteria text with one is refused at load: test_loader.py.)
    criteria = load_path(write_set(tmp_path))
    given = {"income": MeasuredValue(value="占\x01比", note="占\x01比")}
    report = evaluate(
        criteria, DataFile(entity=Entity(name="某市", level="city", year=2016), values=given)
    )
    out = tmp_path / "r.docx"
    out.write_bytes(FORMATS["docx"].write_report(report, criteria, "zh"))
    cells = [c.text for t in python_docx.Document(str(out)).tables for r in t.rows for c in r.cells]
    assert any("占" in cell for cell in cells)


def test_the_word_file_has_its_own_metadata_page_numbers_and_widths(yunnan) -> None:
    """Not python-docx's template (author python-docx, made 2013); a footer with the date and
    page numbers; the item column wider than a status column."""
    import io
    from datetime import datetime, timedelta

    from docx import Document

    from engine.data.sources import load_data
    from engine.evaluation.evaluator import evaluate
    from engine.reports.formats import FORMATS
    from tests.conftest import EXAMPLE

    report = evaluate(yunnan, load_data(EXAMPLE, yunnan))
    document = Document(io.BytesIO(FORMATS["docx"].write_report(report, yunnan, "zh")))  # type: ignore[arg-type]
    properties = document.core_properties
    assert properties.author == "ecoassess"
    assert properties.created is not None
    assert abs(properties.created.replace(tzinfo=None) - datetime.now()) < timedelta(hours=24)
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer
    assert 'w:instr="NUMPAGES"' in footer
    widths = {c.text: c.width for c in document.tables[1].rows[0].cells}
    assert widths["条目"] > widths["编号"]
