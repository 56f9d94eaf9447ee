"""Rules and operators as the reports write them."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from engine.criteria.model import AssignedTarget
from engine.criteria.rules import (
    AllOf,
    AnyOf,
    AtLeast,
    Change,
    Facts,
    Range,
    Rule,
    Threshold,
    Trend,
)
from engine.evaluation.results import PartResult
from engine.numbers import format_number

OPERATOR_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


def rule_text(
    rule: Rule,
    t: dict[str, Any],
    lang: str,
    number: Callable[[float], str],
    parts: Sequence[PartResult] = (),
) -> str:
    """A composed rule in words, e.g. ``≤ 32 µg/m³ (上级下达目标) 且 (≤ 25 µg/m³ 或 低于上年)``.

    ``number`` writes a number with the item's unit. With ``parts`` (an entity's result), each
    limit is the one that applied and each leaf carries its status mark (✔ ✘ ? !).
    """
    walk = iter(parts)
    return _words(rule, t, lang, number, walk, bool(parts), top=True)


def _words(
    rule: Rule,
    t: dict[str, Any],
    lang: str,
    number: Callable[[float], str],
    walk: Iterator[PartResult],
    marked: bool,
    top: bool = False,
) -> str:
    part = next(walk, None) if marked else None
    mark = f" {t['rule_part_marks'][part.status]}" if part is not None and not top else ""
    if isinstance(rule, AllOf | AnyOf | AtLeast):
        inner = [_words(child, t, lang, number, walk, marked) for child in rule.parts]
        joiner = "rule_or" if isinstance(rule, AnyOf) else "rule_and"
        text = f" {t[joiner]} ".join(inner)
        if isinstance(rule, AtLeast):
            text = f"{t['rule_at_least'].format(count=rule.count)}: {'; '.join(inner)}"
        words = rule.label.get(lang) if rule.label else text
        return words if top else f"({words}){mark}"  # the item's status marks the whole
    if rule.label is not None:
        return rule.label.get(lang) + mark
    return _leaf_words(rule, t, lang, number, part) + mark


def _leaf_words(
    rule: Rule,
    t: dict[str, Any],
    lang: str,
    number: Callable[[float], str],
    part: PartResult | None,
) -> str:
    if isinstance(rule, Threshold):
        sign = OPERATOR_SIGNS[rule.operator]
        limit = rule.limit
        if part is not None and part.threshold is not None:
            shown = f"{sign} {number(part.threshold)}"
            if isinstance(limit, AssignedTarget):
                shown += f" ({limit.label.get(lang) if limit.label else t['assigned_target']})"
            elif part.threshold_label:
                shown += f" ({part.threshold_label.get(lang)})"
            return shown
        if isinstance(limit, AssignedTarget):
            return f"{sign} {limit.label.get(lang) if limit.label else t['assigned_target']}"
        if isinstance(limit, float | int):
            return f"{sign} {number(limit)}"
        return f"{sign} " + " / ".join(
            number(v.value) + (f" ({v.label.get(lang)})" if v.label else "") for v in limit
        )
    if isinstance(rule, Range):
        return f"{number(rule.low)} – {number(rule.high)}"
    if isinstance(rule, Trend):
        return str(t[f"trend_{rule.better}{'_strict' if rule.strict else ''}"])
    if isinstance(rule, Change):
        since = (
            t["change_previous"]
            if rule.base_year == "previous"
            else t["change_base"].format(year=rule.base_year)
        )
        sign = OPERATOR_SIGNS[rule.operator]
        amount = f"{format_number(rule.value)} %" if rule.relative else number(rule.value)
        kind = t["change_relative" if rule.relative else "change_absolute"]
        return f"{kind.format(since=since)} {sign} {amount}"
    assert isinstance(rule, Facts)
    return " ".join(rule.condition.text.split())
