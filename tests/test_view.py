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
