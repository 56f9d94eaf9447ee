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
