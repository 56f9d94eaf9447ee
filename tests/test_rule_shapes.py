"""Profile-dependent thresholds and applicability, previous-year rules, trends, assigned
targets, evidence flags and bundles."""

from pathlib import Path
from typing import Any

import pytest

from engine.criteria.loader import load_path
from engine.data.record import DataFile, Entity, MeasuredValue
from engine.evaluation.evaluator import evaluate
from engine.evaluation.results import ItemResult, Report
from tests.conftest import write_set

SHAPES = """\
id: shapes
title: {zh: 规则形态}
document: {number: 测试〔2024〕2号, title: {zh: 测试}, year: 2024}
level: [city, county]
source: written for the tests
groups:
  - id: all
    name: {zh: 全部}
inputs:
  cover: {unit: "%", minimum: 0, maximum: 100, name: {zh: 林草覆盖率}}
  sewage: {unit: "%", minimum: 0, maximum: 100, name: {zh: 污水处理率}}
  coast_share: {unit: "%", name: {zh: 近岸海域优良比例}}
  good_days: {unit: "%", name: {zh: 优良天数比例}}
  good_days_target: {unit: "%", name: {zh: 上级下达的优良天数比例目标}}
  forest: {unit: 公顷, name: {zh: 林地面积}}
  river_chief: {type: boolean, name: {zh: 全面实施河长制}}
  quiet_fact: {type: boolean, evidence: false, name: {zh: 无需佐证的事实}}
items:
  - id: cover_by_terrain
    number: "1"
    kind: indicator
    group: all
    name: {zh: 林草覆盖率}
    unit: "%"
    measure: cover
    operator: ">="
    thresholds:
      - {when: {region: arid_semi_arid}, value: 35, label: {zh: 干旱半干旱地区}}
      - {when: {region: qinghai_tibet}, value: 70, label: {zh: 青藏高原地区}}
      - {when: {terrain: mountain}, value: 60, label: {zh: 山区}}
      - {when: {terrain: hill}, value: 40, label: {zh: 丘陵}}
      - {when: {terrain: plain}, value: 18, label: {zh: 平原}}
    binding: false
    responsible: [林业部门]
    source: test 1
  - id: sewage_by_level
    number: "2"
    kind: indicator
    group: all
    name: {zh: 城镇污水处理率}
    unit: "%"
    measure: sewage
    operator: ">="
    thresholds:
      - {when: {level: city}, value: 95}
      - {when: {level: county}, value: 85}
    binding: true
    responsible: [住建部门]
    source: test 2
  - id: coast
    number: "3"
    kind: indicator
    group: all
    name: {zh: 近岸海域水质优良比例}
    unit: "%"
    measure: coast_share
    trend: {better: higher}
    applies_when: {coastal: true}
    applicability: {zh: 沿海地区适用, en: coastal units only}
    binding: true
    responsible: [生态环境部门]
    source: test 3
  - id: good_days_share
    number: "4"
    kind: indicator
    group: all
    name: {zh: 优良天数比例}
    unit: "%"
    measure: good_days
    operator: ">="
    threshold: {input: good_days_target}
    trend: {better: higher}
    binding: true
    responsible: [生态环境部门]
    source: test 4
  - id: forest_growth
    number: "5"
    kind: indicator
    group: all
    name: {zh: 林地面积年增幅}
    unit: "%"
    measure: (forest - previous.forest) / previous.forest * 100
    operator: ">="
    threshold: 0.05
    binding: true
    responsible: [林业部门]
    source: test 5
  - id: river
    number: "6.1"
    kind: indicator
    group: all
    name: {zh: 河长制}
    condition: river_chief
    binding: true
    responsible: [水利部门]
    source: test 6.1
  - id: quiet
    number: "6.2"
    kind: indicator
    group: all
    name: {zh: 无需佐证}
    condition: quiet_fact
    binding: true
    responsible: [水利部门]
    source: test 6.2
bundles:
  - number: "6"
    name: {zh: 河长制与其他}
    parts: [river, quiet]
"""

PROFILE = {
    "name": "甲县",
    "level": "county",
    "year": 2024,
    "region": "other",
    "terrain": "hill",
    "coastal": False,
}
VALUES: dict[str, Any] = {
    "cover": 45,
    "sewage": 86,
    "good_days": 92.1,
    "good_days_target": 90,
    "forest": 1001,
    "river_chief": {"value": True, "evidence": "县办发〔2018〕1号"},
    "quiet_fact": True,
}
HISTORY: dict[int, dict[str, Any]] = {2023: {"good_days": 91.5, "forest": 1000}}


@pytest.fixture
def shapes(tmp_path: Path):
    return load_path(write_set(tmp_path, SHAPES, name="shapes"))


def check(criteria, values=None, history=None, **entity: Any) -> Report:
    def wrap(given: dict[str, Any]) -> dict[str, MeasuredValue]:
        return {
            k: MeasuredValue(**v) if isinstance(v, dict) else MeasuredValue(value=v)
            for k, v in given.items()
        }

    return evaluate(
        criteria,
        DataFile(
            entity=Entity(**{**PROFILE, **entity}),
            values=wrap(VALUES if values is None else values),
            history={
                year: wrap(v) for year, v in (HISTORY if history is None else history).items()
            },
        ),
    )


def result(report: Report, item_id: str) -> ItemResult:
    return next(r for r in report.results if r.id == item_id)


def test_complete_county_passes(shapes) -> None:
    report = check(shapes)
    assert {r.id: r.status for r in report.results} == {
        "cover_by_terrain": "pass",
        "sewage_by_level": "pass",
        "coast": "not_applicable",
        "good_days_share": "pass",
        "forest_growth": "pass",
        "river": "pass",
        "quiet": "pass",
    }
    assert report.verdict == "ready"


@pytest.mark.parametrize(
    ("profile", "threshold", "label"),
    [
        ({"terrain": "hill"}, 40, "丘陵"),
        ({"terrain": "mountain"}, 60, "山区"),
        ({"terrain": "plain"}, 18, "平原"),
        ({"region": "arid_semi_arid", "terrain": "mountain"}, 35, "干旱半干旱地区"),
        ({"region": "qinghai_tibet"}, 70, "青藏高原地区"),
    ],
    ids=["hill", "mountain", "plain", "arid-wins-over-terrain", "plateau"],
)
def test_threshold_follows_the_profile(shapes, profile, threshold, label) -> None:
    cover = result(check(shapes, **profile), "cover_by_terrain")
    assert (cover.threshold, cover.threshold_basis) == (threshold, "profile")
    assert cover.threshold_label is not None
    assert cover.threshold_label.zh == label


def test_threshold_by_level(shapes) -> None:
    assert result(check(shapes), "sewage_by_level").status == "pass"  # county: 86 >= 85
    city = result(check(shapes, level="city"), "sewage_by_level")
    assert (city.status, city.threshold) == ("fail", 95)


def test_profile_key_the_threshold_needs_is_missing_not_guessed(shapes) -> None:
    cover = result(check(shapes, terrain=None), "cover_by_terrain")
    assert cover.status == "missing"
    assert [(f.code, f.input) for f in cover.findings] == [("missing_profile", "terrain")]


def test_coastal_item_needs_the_coastal_key(shapes) -> None:
    coast = result(check(shapes, coastal=None), "coast")
    assert coast.status == "missing"
    assert [(f.code, f.input) for f in coast.findings] == [("missing_profile", "coastal")]


def test_coastal_item_applies_on_the_coast(shapes) -> None:
    values = {**VALUES, "coast_share": 80}
    coast = result(
        check(shapes, values, {2023: {**HISTORY[2023], "coast_share": 82}}, coastal=True), "coast"
    )
    assert coast.status == "fail"
    assert (coast.trend_current, coast.trend_previous) == (80, 82)
    assert [f.code for f in coast.findings] == ["trend_worse"]


def test_trend_without_previous_year_is_missing_and_names_the_year(shapes) -> None:
    good = result(check(shapes, history={}), "good_days_share")
    assert good.status == "missing"
    assert [(f.code, f.input, f.detail) for f in good.findings] == [
        ("missing_previous", "good_days", "2023")
    ]


def test_trend_worse_than_last_year_fails(shapes) -> None:
    good = result(
        check(shapes, history={2023: {"good_days": 93, "forest": 1000}}), "good_days_share"
    )
    assert good.status == "fail"  # above its target, but worse than last year
    assert good.gap is None


def test_assigned_target_is_read_from_the_data(shapes) -> None:
    good = result(check(shapes, {**VALUES, "good_days_target": 93}), "good_days_share")
    assert (good.status, good.threshold, good.threshold_basis) == ("fail", 93, "assigned")
    assert good.gap is not None
    assert good.gap.absolute == pytest.approx(0.9)


def test_missing_assigned_target_is_missing(shapes) -> None:
    values = {k: v for k, v in VALUES.items() if k != "good_days_target"}
    good = result(check(shapes, values), "good_days_share")
    assert good.status == "missing"
    assert [(f.code, f.input) for f in good.findings] == [("missing", "good_days_target")]


def test_previous_year_value_in_an_expression(shapes) -> None:
    growth = result(check(shapes, {**VALUES, "forest": 1000.4}), "forest_growth")
    assert (growth.status, growth.value) == ("fail", 0.04)


def test_yes_without_evidence_is_accepted_but_flagged(shapes) -> None:
    values = {**VALUES, "river_chief": True}
    river = result(check(shapes, values), "river")
    assert river.status == "pass"
    assert [(f.code, f.input) for f in river.findings] == [("no_evidence", "river_chief")]
    assert result(check(shapes, values), "quiet").findings == []  # evidence: false


def test_bundle_passes_only_when_every_part_passes(shapes) -> None:
    assert [b.status for b in check(shapes).bundles] == ["pass"]
    failing = check(shapes, {**VALUES, "quiet_fact": False})
    assert [(b.number, b.status, b.parts) for b in failing.bundles] == [
        ("6", "fail", ["river", "quiet"])
    ]


def test_bundle_with_a_missing_part_is_missing(shapes) -> None:
    values = {k: v for k, v in VALUES.items() if k != "quiet_fact"}
    assert [b.status for b in check(shapes, values).bundles] == ["missing"]
