"""Evaluation: each item's status, value and gap; missing or unusable data never passes."""

from pathlib import Path
from typing import Any

import pytest

from engine.data.record import DataFile, Entity, MeasuredValue
from engine.evaluation.evaluator import evaluate
from engine.evaluation.results import ItemResult, Report

COMPLETE = {"plan_adopted": True, "income": 150, "part": 45, "total": 100}


def check(criteria, values: dict[str, Any], level: str = "city") -> Report:
    data = DataFile(
        entity=Entity(name="甲市", level=level, year=2020),  # type: ignore[arg-type]
        values={
            k: v if isinstance(v, MeasuredValue) else MeasuredValue(value=v)
            for k, v in values.items()
        },
        path=Path("test.yaml"),
    )
    return evaluate(criteria, data)


def result(report: Report, item_id: str) -> ItemResult:
    return next(r for r in report.results if r.id == item_id)


def test_complete_data_passes(mini) -> None:
    report = check(mini, COMPLETE)
    assert [r.status for r in report.results] == ["pass", "pass", "pass", "not_applicable"]
    assert report.verdict == "ready"


def test_derived_value_and_its_inputs(mini) -> None:
    share = result(check(mini, COMPLETE), "share")
    assert share.value == 45.0
    assert share.inputs == ["part", "total"]
    assert [v.name for v in share.input_values] == ["part", "total"]


def test_failing_item_reports_its_gap(mini) -> None:
    income = result(check(mini, {**COMPLETE, "income": 80}), "income_check")
    assert income.status == "fail"
    assert income.gap is not None
    assert (income.gap.absolute, income.gap.relative, income.gap.direction) == (20, 20, "increase")


@pytest.mark.parametrize(
    ("value", "status"),
    [(None, "missing"), ("", "missing"), ("约80", "error"), (True, "error"), (-5, "error")],
    ids=["none", "empty", "text", "boolean", "out-of-range"],
)
def test_unusable_input_never_passes(mini, value: object, status: str) -> None:
    report = check(mini, {**COMPLETE, "income": value})
    assert result(report, "income_check").status == status
    assert report.verdict == "not_ready"


def test_absent_input_is_missing_and_named(mini) -> None:
    values = {k: v for k, v in COMPLETE.items() if k != "total"}
    share = result(check(mini, values), "share")
    assert share.status == "missing"
    assert [(f.code, f.input) for f in share.findings] == [("missing", "total")]


def test_division_by_zero_is_an_error_naming_the_zero_input(mini) -> None:
    share = result(check(mini, {**COMPLETE, "total": 0}), "share")
    assert share.status == "error"
    assert [(f.code, f.detail) for f in share.findings] == [("division_by_zero", "total")]


def test_direct_item_value_replaces_the_derivation(mini) -> None:
    values = {k: v for k, v in COMPLETE.items() if k not in ("part", "total")}
    share = result(
        check(mini, {**values, "share": MeasuredValue(value=41.3, source="统计局")}), "share"
    )
    assert (share.status, share.value, share.given_directly) == ("pass", 41.3, True)
    assert [(v.name, v.source) for v in share.input_values] == [("share", "统计局")]


def test_precision_rule_on_derived_values(mini) -> None:
    share = result(check(mini, {**COMPLETE, "part": 40, "total": 99.99999999}), "share")
    assert share.value == 40.0
    assert share.status == "fail"  # strict "> 40": 40.00 is not above 40


def test_false_fact_is_named(mini) -> None:
    plan = result(check(mini, {**COMPLETE, "plan_adopted": False}), "plan")
    assert plan.status == "fail"
    assert [(f.code, f.input) for f in plan.findings] == [("fact_false", "plan_adopted")]


def test_item_for_another_level_is_not_applicable(mini) -> None:
    county = result(check(mini, COMPLETE), "county_only")
    assert county.status == "not_applicable"
    assert result(check(mini, COMPLETE, level="county"), "county_only").status == "missing"


def test_guidance_failure_only_warns(mini) -> None:
    report = check(mini, {**COMPLETE, "part": 30})
    assert result(report, "share").status == "fail"
    assert report.verdict == "ready"
    assert (report.summary.blocking, report.summary.warnings) == (0, 1)


def test_failing_basic_condition_blocks(mini) -> None:
    report = check(mini, {**COMPLETE, "plan_adopted": False})
    assert report.verdict == "not_ready"
    assert report.summary.blocking == 1


def test_missing_guidance_data_does_not_block_but_is_counted(mini) -> None:
    values = {k: v for k, v in COMPLETE.items() if k != "part"}
    report = check(mini, values)
    assert report.verdict == "ready"
    assert report.summary.counts["missing"] == 1


def test_example_report_figures(yunnan) -> None:
    from engine.data.sources import load_data
    from tests.conftest import EXAMPLE

    report = evaluate(yunnan, load_data(EXAMPLE, yunnan))
    assert report.verdict == "not_ready"
    assert report.summary.counts == {
        "pass": 21,
        "fail": 5,
        "missing": 2,
        "not_applicable": 0,
        "error": 0,
    }
    tertiary = result(report, "tertiary_share")
    assert (tertiary.status, tertiary.value) == ("fail", 39.08)
    assert result(report, "energy_intensity").given_directly
