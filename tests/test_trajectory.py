"""On course for a plan's target year: Open SDG's progress measure (compound annual growth
seen since the base year ÷ the growth the target needs), every number shown, and never a
status where the method cannot give one."""

from __future__ import annotations

import math

import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.criteria.loader import load_criteria, search_path
from engine.data.sources import load_data
from engine.evaluation.evaluator import evaluate
from engine.evaluation.trajectory import trajectory
from engine.reports.formats import FORMATS
from tests.conftest import REPO

PLAN = REPO / "examples" / "lufeng_plan_2023.yaml"


def test_on_track_when_growth_beats_what_the_target_needs() -> None:
    path = trajectory([(2021, 16.0), (2022, 17.6)], (2023, 19.1), 20.0, 2024, "higher", False)
    assert path.status == "on_track"
    assert path.base_year == 2021
    assert math.isclose(path.observed or 0, (19.1 / 16) ** 0.5 - 1)
    assert math.isclose(path.required or 0, (20 / 16) ** (1 / 3) - 1)
    assert math.isclose(path.ratio or 0, path.observed / path.required)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("current", "status"),
    [(19.1, "on_track"), (18.3, "acceleration_needed"), (16.8, "limited"),
     (15.5, "deterioration")],
)  # fmt: skip
def test_the_thresholds(current: float, status: str) -> None:
    assert trajectory([(2021, 16.0)], (2023, current), 20.0, 2024, "higher", False).status == status


def test_lower_is_better() -> None:
    # PM2.5 from 40 to 34 toward ≤ 30 by 2025: −7.8 % a year seen, −7.2 % a year needed
    path = trajectory([(2021, 40.0)], (2023, 34.0), 30.0, 2025, "lower", False)
    assert path.status == "on_track"
    rising = trajectory([(2021, 40.0)], (2023, 42.0), 30.0, 2025, "lower", False)
    assert rising.status == "deterioration"


def test_a_met_target_is_achieved() -> None:
    path = trajectory([(2021, 90.0)], (2023, 96.0), 95.0, 2024, "higher", True)
    assert path.status == "target_achieved"


@pytest.mark.parametrize(
    ("series", "current", "reason"),
    [([], (2023, 50.0), "one_year"), ([(2021, 0.0)], (2023, 5.0), "zero_base"),
     ([(2021, -2.0)], (2023, 3.0), "opposite_signs")],
)  # fmt: skip
def test_no_status_where_the_method_has_none(series, current, reason) -> None:
    path = trajectory(series, current, 60.0, 2025, "higher", False)
    assert (path.status, path.reason) == ("not_available", reason)


def test_the_plan_example_through_the_report() -> None:
    criteria = load_criteria("lufeng_2024", search_path(()))
    report = evaluate(criteria, load_data(PLAN, criteria))
    courses = {r.number: r.trajectory.status for r in report.results if r.trajectory}
    assert courses == {
        "1": "on_track", "2.1": "target_achieved", "2.2": "not_available",
        "4": "acceleration_needed", "5.1": "on_track", "5.2": "deterioration",
        "6": "target_achieved", "7": "deterioration", "8": "acceleration_needed",
        "11": "target_achieved",
    }  # fmt: skip
    text = FORMATS["md"].write_report(report, criteria, "zh")
    assert "## 六、距目标年进度(2024 年)" in text
    assert (
        "| 4 | 生活垃圾回收利用率 | 有进展，需加速 | 2021 年 35 % → 2023 年 39.5 %，年均 +6.23 %"
        in text
    )
    english = FORMATS["text"].write_report(report, criteria, "en")
    assert "progress, acceleration needed" in english
    payload = FORMATS["json"].write_report(report, criteria, "zh")
    assert '"status": "acceleration_needed"' in payload


def test_no_trajectory_in_the_target_year_or_without_one(yunnan) -> None:
    criteria = load_criteria("lufeng_2024", search_path(()))
    case = REPO / "criteria" / "lufeng_2024" / "cases" / "not_ready.yaml"
    report = evaluate(criteria, load_data(case, criteria))
    assert report.entity["year"] >= 2024
    assert all(r.trajectory is None for r in report.results)
    national = evaluate(yunnan, load_data(REPO / "examples" / "baoshan_2016.yaml", yunnan))
    assert all(r.trajectory is None for r in national.results)


def test_the_bulletin_and_the_summary_carry_it(tmp_path) -> None:
    result = CliRunner().invoke(main, ["check", str(PLAN), "--criteria", "lufeng_2024",
                                       "--document", "summary", "--format", "md"])  # fmt: skip
    assert "## 按期完成预测(2024 年目标)\n\n可按期完成 2；已达到目标 3" in result.output


def test_show_names_the_target_year(runner) -> None:
    assert "目标年 2024" in runner.invoke(main, ["show", "lufeng_2024"]).output
    shown = runner.invoke(main, ["show", "pingliang_2030", "--format", "json"]).output
    assert '"target_year": 2030' in shown
