"""The report's charts: a bullet chart's direction mark says which way is better."""

from __future__ import annotations

from dataclasses import replace

from engine.data.sources import load_data
from engine.evaluation.evaluator import evaluate
from engine.reports.charts import bullet
from tests.conftest import EXAMPLE


def test_a_met_equality_target_has_a_target_mark_not_an_arrow(yunnan) -> None:
    report = evaluate(yunnan, load_data(EXAMPLE, yunnan))
    base = next(r for r in report.results if r.status == "pass" and r.threshold is not None
                and isinstance(r.value, float))  # fmt: skip
    met = replace(base, operator="==", threshold=100.0, value=100.0)
    svg = bullet(met, "x")
    assert 'class="target"' in svg
    assert 'class="better"' not in svg
    below = replace(base, operator="==", threshold=100.0, value=90.0, status="fail")
    assert "l8,0" in bullet(below, "x")  # still short of the target: higher is better
    higher = replace(base, operator=">=", threshold=10.0, value=20.0)
    assert "l8,0" in bullet(higher, "x")


def test_an_assigned_target_names_what_is_compared() -> None:
    """National items 20, 21, 23 compare a decline rate with the assigned target: the
    requirement says so, rather than '≥ 上级下达目标' beside an intensity's name."""
    from engine.criteria.loader import load_criteria, search_path
    from engine.reports.view import ReportView
    from engine.resources import labels

    national = load_criteria("national_demo_area", search_path())
    case = EXAMPLE.parent.parent / "criteria" / "national_demo_area" / "cases" / "city_ready.yaml"
    report = evaluate(national, load_data(case, national))
    view = ReportView(report, national, "zh", labels()["zh"])
    energy = next(r for r in report.results if r.number == "20")
    assert view.target(energy).startswith("单位地区生产总值能耗下降率 ≥ ")
