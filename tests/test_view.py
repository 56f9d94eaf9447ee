"""How a report words each result (engine/reports/view.py)."""

from __future__ import annotations

from pathlib import Path

import yaml

from engine.data.record import parse_data
from engine.evaluation.evaluator import evaluate
from engine.reports.view import ReportView
from engine.resources import labels
from tests.conftest import EXAMPLE


def test_a_failed_composite_fact_shows_only_what_fails(yunnan) -> None:
    """Item 10 with only COD = 否: the gap names that one; the passing sub-facts' missing
    documents stay with the evidence notes instead of reading as three more failures."""
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    compiled = next(c for c in yunnan.items if c.item.number == "10")
    for name in compiled.inputs:
        raw["values"][name] = True
    raw["values"][compiled.inputs[0]] = False
    report = evaluate(yunnan, parse_data(raw, Path("x.yaml"), yunnan))
    result = next(r for r in report.results if r.number == "10")
    view = ReportView(report, yunnan, "zh", labels()["zh"])
    assert result.status == "fail"
    assert view.gap(result) == "未满足: 化学需氧量(COD)完成总量控制目标和任务"
    assert view.evidence(result).count("但未附佐证材料") == 3


def test_a_fraction_in_a_percent_row_is_explained_in_every_format(yunnan) -> None:
    """0.817 typed for a % input is read as 0.817 %: the huge gap says why, in every format."""
    import io

    from docx import Document

    from engine.reports.formats import FORMATS

    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    raw["values"]["urban_sewage_treatment_rate"] = 0.817
    report = evaluate(yunnan, parse_data(raw, Path("x.yaml"), yunnan))
    for fmt in ("md", "text", "html", "json"):
        written = FORMATS[fmt].write_report(report, yunnan, "zh")
        assert isinstance(written, str)
        assert "0.817" in written, fmt
        if fmt != "json":
            assert "已按 0.817% 读取" in written, fmt
    document = Document(io.BytesIO(FORMATS["docx"].write_report(report, yunnan, "zh")))  # type: ignore[arg-type]
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert any("已按 0.817% 读取" in text for text in cells)


def test_a_departments_report_is_that_departments(yunnan) -> None:
    """--department 市林业局: its items only, and the title says whose report it is."""
    from engine.data.sources import load_data
    from engine.reports.formats import FORMATS

    report = evaluate(yunnan, load_data(EXAMPLE, yunnan))
    view = ReportView(report, yunnan, "zh", labels()["zh"], "市林业局")
    assert view.results
    assert all("市林业局" in (*r.lead, *r.responsible, *r.cooperating) for r in view.results)
    markdown = FORMATS["md"].write_report(report, yunnan, "zh", "市林业局")
    assert isinstance(markdown, str)
    assert markdown.splitlines()[0] == "# 生态文明建设示范区达标评估报告 — 市林业局"
    others = [r for r in report.results if r not in view.results and r.status == "fail"]
    assert others  # other bureaus' gaps exist …
    assert all(f"| {r.number} | {r.name.zh} |" not in markdown for r in others)  # … not listed
