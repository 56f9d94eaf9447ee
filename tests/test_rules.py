"""Composed rules: each shape's meaning, and how all_of / any_of / at_least decide when a
part is missing (never a pass unless the passing parts alone suffice)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine.criteria.loader import load_path
from engine.data.record import DataFile, Entity, MeasuredValue
from engine.errors import CriteriaError
from engine.evaluation.evaluator import evaluate
from engine.evaluation.results import ItemResult
from tests.conftest import REPO, write_set

HEAD = """\
id: composed
title: {zh: 复合规则}
document: {number: 测试, title: {zh: 测试}, year: 2024}
level: [city]
source: written for the tests
groups:
  - {id: all, name: {zh: 全部}}
inputs:
  x: {name: {zh: 数值}, unit: "%", minimum: 0, maximum: 100}
  target: {name: {zh: 目标}, unit: "%"}
  a: {name: {zh: 事实甲}, type: boolean, evidence: false}
  b: {name: {zh: 事实乙}, type: boolean, evidence: false}
  c: {name: {zh: 事实丙}, type: boolean, evidence: false}
items:
"""


def item(rule: str, measure: str | None = "x", item_id: str = "it") -> str:
    """The item under test, then one that reads every input (none may be left unread)."""
    measure_line = f"    measure: {measure}\n" if measure else ""
    return (
        f"  - id: {item_id}\n    number: '1'\n    kind: indicator\n    group: all\n"
        f"    name: {{zh: 条目}}\n    unit: '%'\n{measure_line}    rule: {rule}\n"
        "    binding: true\n    responsible: [局]\n    source: test\n"
        "  - id: reads_all\n    number: '2'\n    kind: indicator\n    group: all\n"
        "    name: {zh: 其余}\n    measure: x + target\n    operator: '>='\n    threshold: 0\n"
        "    condition: a or b or c\n    binding: false\n    responsible: [局]\n"
        "    source: test\n"
    )


def decide(
    tmp_path: Path, rule: str, values: dict[str, Any], history: dict[int, Any] | None = None,
    measure: str | None = "x",
) -> ItemResult:  # fmt: skip
    criteria = load_path(write_set(tmp_path, HEAD + item(rule, measure), name="composed"))
    data = DataFile(
        entity=Entity(name="某市", level="city", year=2024),
        values={k: MeasuredValue(value=v) for k, v in values.items()},
        history={
            year: {k: MeasuredValue(value=v) for k, v in given.items()}
            for year, given in (history or {}).items()
        },
    )
    return evaluate(criteria, data).results[0]


COMPOUND = (
    "{all_of: [{threshold: {operator: '>=', value: {input: target}}},"
    " {any_of: [{threshold: {operator: '>=', value: 90}},"
    " {trend: {better: higher, strict: true}}]}]}"
)


@pytest.mark.parametrize(
    ("now", "target", "last", "status"),
    [
        (92, 88, None, "pass"),  # ≥ 90: the trend is not needed
        (85, 84, 84.2, "pass"),  # below 90 but improving
        (85, 84, 85, "fail"),  # below 90 and not improving (strict)
        (85, 86, 80, "fail"),  # the assigned target missed
        (85, 84, None, "missing"),  # below 90: last year is needed to decide
        (92, None, None, "missing"),  # the target is needed
    ],
)
def test_the_2024_compound_threshold(
    tmp_path: Path, now: float, target: float | None, last: float | None, status: str
) -> None:
    values = {"x": now, **({"target": target} if target is not None else {})}
    history = {2023: {"x": last}} if last is not None else {}
    result = decide(tmp_path, COMPOUND, values, history)
    assert result.status == status
    assert [p.shape for p in result.parts] == [
        "all_of",
        "threshold",
        "any_of",
        "threshold",
        "trend",
    ]


def test_any_of_passes_only_on_a_part_that_alone_suffices(tmp_path: Path) -> None:
    rule = "{any_of: [{facts: a}, {facts: b}]}"
    assert decide(tmp_path, rule, {"a": True}, measure=None).status == "pass"  # b missing
    assert decide(tmp_path, rule, {"a": False}, measure=None).status == "missing"
    assert decide(tmp_path, rule, {"a": False, "b": False}, measure=None).status == "fail"
    assert decide(tmp_path, rule, {"a": "maybe", "b": False}, measure=None).status == "error"


def test_all_of_with_a_part_missing_is_missing_even_when_another_fails(tmp_path: Path) -> None:
    result = decide(tmp_path, "{all_of: [{facts: a}, {facts: b}]}", {"a": False}, measure=None)
    assert result.status == "missing"
    assert [p.status for p in result.parts] == ["missing", "fail", "missing"]  # a judged anyway


@pytest.mark.parametrize(
    ("values", "status"),
    [
        ({"a": True, "b": True}, "pass"),  # c not needed
        ({"a": False, "b": False}, "fail"),  # c cannot make two
        ({"a": True, "b": False}, "missing"),  # c decides
        ({"a": True, "b": False, "c": True}, "pass"),
        ({"a": True, "b": False, "c": False}, "fail"),
    ],
)
def test_at_least(tmp_path: Path, values: dict[str, bool], status: str) -> None:
    rule = "{at_least: {count: 2, of: [{facts: a}, {facts: b}, {facts: c}]}}"
    assert decide(tmp_path, rule, values, measure=None).status == status


@pytest.mark.parametrize(
    ("value", "status", "direction"),
    [
        (6.5, "pass", None),
        (7.5, "pass", None),
        (6.4, "fail", "increase"),
        (7.6, "fail", "decrease"),
    ],
)
def test_range_includes_both_ends(
    tmp_path: Path, value: float, status: str, direction: str | None
) -> None:
    result = decide(tmp_path, "{range: {low: 6.5, high: 7.5}}", {"x": value})
    assert result.status == status
    assert (result.gap.direction if result.gap else None) == direction


@pytest.mark.parametrize(
    ("now", "base", "status"),
    [(41.5, 50, "pass"), (41.6, 50, "fail"), (45, 50, "fail"), (41.4, 50, "pass")],
)
def test_relative_change_against_a_base_year(
    tmp_path: Path, now: float, base: float, status: str
) -> None:
    """较2015年下降17%: (now − base) / base × 100 ≤ −17, at the item's precision."""
    rule = "{change: {base_year: 2015, relative: true, operator: '<=', value: -17}}"
    result = decide(tmp_path, rule, {"x": now}, {2015: {"x": base}})
    assert result.status == status
    assert result.parts[0].base == base
    assert result.parts[0].base_year == 2015


def test_a_base_year_not_in_the_data_is_missing_and_named(tmp_path: Path) -> None:
    rule = "{change: {base_year: 2015, relative: true, operator: '<=', value: -17}}"
    result = decide(tmp_path, rule, {"x": 40}, {2023: {"x": 45}})
    assert result.status == "missing"
    assert [(f.code, f.input, f.detail) for f in result.findings] == [
        ("missing_previous", "x", "2015")
    ]


def test_a_base_year_value_of_zero_is_an_error_not_a_pass(tmp_path: Path) -> None:
    rule = "{change: {base_year: 2015, relative: true, operator: '<=', value: -17}}"
    result = decide(tmp_path, rule, {"x": 0.0}, {2015: {"x": 0.0}})
    assert result.status == "error"
    assert result.findings[0].code == "division_by_zero"


def test_absolute_change_on_last_year(tmp_path: Path) -> None:
    """△EQI > −1."""
    rule = "{change: {base_year: previous, operator: '>', value: -1}}"
    assert decide(tmp_path, rule, {"x": 61.5}, {2023: {"x": 62}}).status == "pass"
    assert decide(tmp_path, rule, {"x": 61.0}, {2023: {"x": 62}}).status == "fail"  # −1 is not > −1
    assert decide(tmp_path, rule, {"x": 61.0}).status == "missing"


def test_strict_and_non_strict_trends(tmp_path: Path) -> None:
    same = ({"x": 50}, {2023: {"x": 50}})
    assert decide(tmp_path, "{trend: {better: higher}}", *same).status == "pass"
    assert decide(tmp_path, "{trend: {better: higher, strict: true}}", *same).status == "fail"


def test_an_out_of_range_value_is_an_error_in_any_part(tmp_path: Path) -> None:
    result = decide(tmp_path, "{any_of: [{range: {low: 1, high: 2}}, {facts: a}]}", {"x": 150})
    assert result.status == "error"  # one part unusable, the other missing: nothing passes
    result = decide(tmp_path, "{all_of: [{range: {low: 1, high: 2}}, {facts: a}]}",
                    {"x": 150, "a": True})  # fmt: skip
    assert result.status == "error"
    assert result.findings[0].code == "out_of_range"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("{threshold: {operator: '>=', value: 1}, trend: {better: higher}}", "exactly one of"),
        ("{any_of: [{facts: a}]}", "at least 2"),
        ("{at_least: {count: 3, of: [{facts: a}, {facts: b}]}}", "more than the 2 parts"),
        ("{range: {low: 2, high: 1}}", "low must not be above high"),
        ("{threshold: {operator: '>='}}", "give value"),
        ("{facts: d}", "'d' is not a declared input"),
        ("{trend: {better: higher, of: previous.x}}", "must not use previous."),
    ],
)
def test_malformed_rules_are_refused_with_their_place(
    tmp_path: Path, rule: str, message: str
) -> None:
    with pytest.raises(CriteriaError) as caught:
        load_path(write_set(tmp_path, HEAD + item(rule), name="composed"))
    assert message in caught.value.render("en")


def test_a_rule_without_a_measure_to_compare_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CriteriaError) as caught:
        load_path(
            write_set(tmp_path, HEAD + item("{range: {low: 1, high: 2}}", None), name="composed")
        )
    assert "give the item a measure" in caught.value.render("en")


def test_rule_and_classic_fields_do_not_mix(tmp_path: Path) -> None:
    text = HEAD + item("{facts: a}").replace("    rule:", "    operator: '>='\n    rule:")
    with pytest.raises(CriteriaError) as caught:
        load_path(write_set(tmp_path, text, name="composed"))
    assert "give rule or operator, not both" in caught.value.render("en")


def test_the_worked_example_is_valid_and_its_cases_are_met(runner) -> None:
    from engine.cli import main

    result = runner.invoke(main, ["validate", str(REPO / "examples/criteria/composed_rules")])
    assert result.exit_code == 0, result.output
    assert "3/3 cases met" in result.output


@pytest.mark.parametrize(
    "rule",
    [
        "{range: {low: .nan, high: 1}}",
        "{range: {low: 0, high: .inf}}",
        "{threshold: {operator: '>=', value: .nan}}",
        "{change: {base_year: 2015, operator: '<=', value: -.inf}}",
        "{change: {base_year: -1, operator: '<=', value: -17}}",
    ],
)
def test_a_limit_that_decides_nothing_is_refused(tmp_path: Path, rule: str) -> None:
    with pytest.raises(CriteriaError):
        load_path(write_set(tmp_path, HEAD + item(rule), name="composed"))


def test_nesting_is_bounded_with_one_clear_line(tmp_path: Path) -> None:
    def nested(depth: int) -> str:
        rule = "{facts: a}"
        for _ in range(depth):
            rule = "{all_of: [" + rule + ", {facts: b}]}"
        return rule

    load_path(write_set(tmp_path / "ok", HEAD + item(nested(10)), name="composed"))
    for depth, message in ((13, "nest deeper than 12 levels"), (300, "nested too deeply")):
        with pytest.raises(CriteriaError) as caught:
            load_path(write_set(tmp_path / str(depth), HEAD + item(nested(depth)), name="composed"))
        assert message in caught.value.render("en")
