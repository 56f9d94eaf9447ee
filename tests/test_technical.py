"""The technical report's draft: per item the explanation, method and data source the set
cites (「待补充」 where it cites none — never words of ours), the value and the data it came
from, 达标情况, the evidence; then the gaps by department. And the one-page summary."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.criteria.loader import load_criteria, search_path
from engine.data.sources import load_data
from engine.errors import EcoassessError
from engine.evaluation.evaluator import evaluate
from engine.evaluation.progress import Snapshot, compare
from engine.reports.document import Fields, Heading, to_html, to_markdown
from engine.reports.onepage import MOST_GAPS, onepage_document
from engine.reports.technical import technical_document
from tests.conftest import EXAMPLE, MINI_SET, REPO, write_set

GUIGANG = REPO / "examples" / "guigang_2022.yaml"
Q1, Q2 = (REPO / "examples" / "progress" / f"baoshan_2017_q{n}.yaml" for n in (1, 2))


@pytest.fixture(scope="module")
def guigang():
    return load_criteria("guigang_2023", search_path(()))


def fields_after(document, heading: str) -> dict[str, str]:
    blocks = document.blocks
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == heading)
    return dict(next(b for b in blocks[start:] if isinstance(b, Fields)).pairs)


def test_each_item_says_what_the_set_cites_and_nothing_else(guigang) -> None:
    report = evaluate(guigang, load_data(GUIGANG, guigang))
    document = technical_document(report, guigang)
    assert not document.landscape
    first = fields_after(document, "1 生态文明建设规划")
    # national item 1's explanation, inherited by the city's set from the national one
    assert first["指标解释"].startswith("创建地区为推进生态文明建设和示范市县创建")
    assert first["数据来源"] == "当地政府及各有关部门"
    assert first["计算方法"] == "待补充(指标体系未载明)"
    assert first["达标情况"] == "达标"
    assert "贵港市生态文明建设示范市规划" in first["佐证材料"]
    river = fields_after(document, "4 河长制")
    assert river["指标解释"] == "待补充(指标体系未载明)"
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert headings[:3] == ["贵港市(示意)生态文明建设示范区创建技术报告(草稿)", "一、总体情况",
                            "二、各项指标完成情况"]  # fmt: skip
    assert "三、存在差距与整改责任" in headings
    assert "市财政局 — 阻碍申报 1 项，共 1 项" in headings


def test_a_failed_item_states_its_gap_and_its_inputs(guigang) -> None:
    report = evaluate(guigang, load_data(GUIGANG, guigang))
    document = technical_document(report, guigang)
    green = fields_after(document, "37 政府绿色采购比例")
    assert green["达标情况"].startswith("未达标；")
    assert green["现状值"] == "80 %"


def test_the_technical_report_through_the_command(tmp_path: Path) -> None:
    out = tmp_path / "技术报告.docx"
    result = CliRunner().invoke(main, ["check", str(GUIGANG), "--criteria", "guigang_2023",
                                       "--document", "technical", "-o", str(out)])  # fmt: skip
    assert result.exit_code == 1, result.output
    word = docx.Document(io.BytesIO(out.read_bytes()))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "指标解释：创建地区为推进生态文明建设" in text
    assert word.sections[0].page_width < word.sections[0].page_height  # portrait


def test_summary_and_technical_are_not_plain_text() -> None:
    result = CliRunner().invoke(main, ["check", str(EXAMPLE), "--criteria", "yunnan_2014",
                                       "--document", "summary", "--format", "text"])  # fmt: skip
    assert result.exit_code == 2
    assert "可用格式 md, html, docx, pdf" in result.stderr


def test_an_explanation_must_cite_its_source(tmp_path: Path) -> None:
    text = MINI_SET.replace(
        "    source: test B1\n", "    source: test B1\n    explanation: {zh: 规划的含义}\n"
    )
    folder = write_set(tmp_path, text)
    with pytest.raises(EcoassessError) as caught:
        load_criteria("mini", [folder.parent])
    assert "explanation_source" in caught.value.render("zh")
    cited = text.replace(
        "explanation: {zh: 规划的含义}\n",
        "explanation: {zh: 规划的含义}\n    explanation_source: 测试文件 第1条\n",
    )
    write_set(tmp_path, cited)
    assert load_criteria("mini", [folder.parent]).item("plan").item.explanation is not None


def test_show_prints_the_explanation(runner) -> None:
    result = runner.invoke(main, ["show", "national_demo_area"])
    assert "指标解释: 创建地区为推进生态文明建设" in result.output
    assert "解释出处: 《国家生态文明建设示范市县建设指标》" in result.output


# --- the one-page summary ------------------------------------------------------------


def test_the_summary_says_the_verdict_the_gaps_and_the_change(yunnan) -> None:
    old = evaluate(yunnan, load_data(Q1, yunnan))
    new = evaluate(yunnan, load_data(Q2, yunnan))
    progress = compare(yunnan, [Snapshot("一季度", old), Snapshot("二季度", new)])
    document = onepage_document(new, yunnan, "zh", None, progress)
    text = to_markdown(document)
    assert "## 结论:" in text
    assert "须整改的约束性缺口" in text
    assert "与“一季度”相比: 阻碍申报的缺口" in text
    alone = to_markdown(onepage_document(new, yunnan))
    assert "无上次检查或快照可比" in alone


@pytest.mark.skipif(__import__("shutil").which("pdfinfo") is None, reason="needs poppler")
def test_the_summary_fits_one_page(tmp_path: Path) -> None:
    import subprocess

    out = tmp_path / "一页纸.pdf"
    result = CliRunner().invoke(main, ["check", str(Q2), "--criteria", "yunnan_2014",
                                       "--document", "summary", "--since", str(Q1),
                                       "-o", str(out)])  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "Pages:           1" in info
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "baoshan_2017_q1.yaml" in text


def test_many_gaps_are_counted_not_listed(yunnan) -> None:
    report = evaluate(yunnan, load_data(EXAMPLE, yunnan))
    document = onepage_document(report, yunnan)
    table = next(b for b in document.blocks if hasattr(b, "rows"))
    assert len(table.rows) <= MOST_GAPS


def test_user_text_never_becomes_markup(yunnan, tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    data.write_text(text.replace("name: 保山市", 'name: "<script>alert(1)</script>|# x"', 1),
                    encoding="utf-8")  # fmt: skip
    report = evaluate(yunnan, load_data(data, yunnan))
    document = onepage_document(report, yunnan)
    html = to_html(document)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    markdown = to_markdown(document)
    assert "<script>" not in markdown
