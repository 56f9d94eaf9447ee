"""The lean path for a summary matrix: each item's status and value, without a report.

A batch that writes only its summary needs, for each entity and item, the status and the
value — not findings, gaps or provenance. This module decides the common case directly on
the prepared inputs: an item whose inputs are all present and usable, with a fixed or
profile threshold, no trend and no value given directly, whose value is not within rounding
distance of a tie. Everything else goes through the full evaluator, item by item, so both
paths give the same cells; ``tests/test_matrix.py`` checks that on random entities.

Why the float comparison is exact here: a value is rounded half-up at the item's precision
(the published figure) before it is compared. Away from a tie (more than 1/1000 of the last
decimal from ``…5``), Python's ``round`` gives the same decimal as half-up rounding of the
shortest repr, so the same float; two different decimals of so few digits are never the same
float, and float order follows decimal order. Near a tie, or for huge values, the full
evaluator decides.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine.compiler import CompiledCriteria, CompiledItem
from engine.data import DataFile, Entity
from engine.evaluator import (
    EntityContext,
    Prepared,
    evaluate_item,
    match_profile,
    prepare_inputs,
)
from engine.expressions import previous_name
from engine.model import AssignedTarget
from engine.results import Status, Summary, Verdict, summary_from, verdict_from

Cell = tuple[Status, float | bool | None]

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}
_TIE_MARGIN = 1e-3
_LARGEST_SCALED = 1e9


class MatrixEvaluator:
    """Evaluates many entities against one compiled set, for a summary matrix."""

    def __init__(self, criteria: CompiledCriteria) -> None:
        self.criteria = criteria
        self._plans = [_Plan.of(compiled) for compiled in criteria.items]

    def row(self, data: DataFile) -> tuple[Verdict, Summary, list[Cell]]:
        """The verdict, the counts and each item's (status, value), in the set's order — the
        same as :func:`engine.evaluator.evaluate` gives, without building the report."""
        criteria = self.criteria
        current, warnings = prepare_inputs(criteria, data.values)
        last_year = data.history.get(data.entity.year - 1, {})
        previous, _ = prepare_inputs(criteria, last_year)
        context: EntityContext | None = None
        cells: list[Cell] = []
        for plan in self._plans:
            cell = plan.cell(current, previous, data, last_year) if plan.eligible else None
            if cell is None:
                if context is None:
                    context = EntityContext.of(criteria, data, (current, warnings, previous))
                result = evaluate_item(context, plan.compiled, detail=False)
                cell = (result.status, result.value)
            cells.append(cell)
        statuses = [
            (status, plan.blocks) for (status, _), plan in zip(cells, self._plans, strict=True)
        ]
        return verdict_from(statuses), summary_from(statuses), cells


@dataclass(frozen=True)
class _Plan:
    """What the lean path needs of one item, worked out once per compiled set."""

    compiled: CompiledItem
    eligible: bool
    names: tuple[tuple[str, str, bool], ...]
    """(name read, input, last year's?) of every value the item's expressions read."""
    blocks: bool
    compare: Callable[[float, float], bool] | None
    scale: float

    @classmethod
    def of(cls, compiled: CompiledItem) -> _Plan:
        item = compiled.item
        return cls(
            compiled=compiled,
            eligible=item.trend is None or compiled.trend is not None,
            names=tuple(compiled.wanted[False, False]),
            blocks=item.kind == "basic_condition" or item.binding,
            compare=_COMPARE[item.operator] if item.operator else None,
            scale=10.0**compiled.decimals,
        )

    def cell(
        self, current: Prepared, previous: Prepared, data: DataFile, last_year: dict[str, Any]
    ) -> Cell | None:
        """The item's cell, or ``None`` when the full evaluator must decide."""
        item = self.compiled.item
        entity = data.entity
        if item.applies_to is not None and entity.level not in item.applies_to:
            return "not_applicable", None
        if item.applies_when is not None:
            matched, _ = match_profile(item.applies_when, entity)
            if matched is None:
                return None
            if not matched:
                return "not_applicable", None
        if item.id in data.values or (item.trend is not None and item.id in last_year):
            return None  # given directly: read and checked by the full evaluator
        values = {}
        for name, base, is_previous in self.names:
            value = (previous if is_previous else current).get(base)
            if value.__class__ is not float and value.__class__ is not bool:
                return None  # missing, unreadable or out of range: the full evaluator says
            values[name] = value
        try:
            return self._judge(values, current, entity)
        except Exception:  # division by zero and the like: the full evaluator reports it
            return None

    def _judge(self, values: dict[str, Any], current: Prepared, entity: Entity) -> Cell | None:
        compiled = self.compiled
        item = compiled.item
        ok = True
        value: float | bool | None = None
        if compiled.measure is not None:
            raw = compiled.measure.evaluate(values)
            value = self._published(raw)
            if value is None or not _within(raw, item.minimum, item.maximum):
                return None
            if self.compare is not None:
                threshold = _threshold(compiled, entity, current)
                if threshold is None:
                    return None
                ok = self.compare(value, threshold)
        if compiled.condition is not None:
            holds = compiled.condition.evaluate(values)
            if holds.__class__ is not bool:
                return None
            if compiled.measure is None and compiled.trend is None:
                value = holds
            ok = ok and holds
        if compiled.trend is not None and item.trend is not None:
            follows = item.trend.of is None and compiled.measure is not None
            now = value if follows else self._published(compiled.trend.evaluate(values))
            before = self._published(
                compiled.trend.evaluate(
                    {name: values[previous_name(name)] for name in compiled.trend.names}
                )
            )
            if now is None or before is None or now.__class__ is bool:
                return None
            ok = ok and (now >= before if item.trend.better == "higher" else now <= before)
        return ("pass" if ok else "fail"), value

    def _published(self, raw: Any) -> float | None:
        """``raw`` rounded half-up at the item's precision; ``None`` when it is not a finite
        number, or is near a tie."""
        if raw.__class__ is not float and raw.__class__ is not int:
            return None
        scaled = raw * self.scale
        if not -_LARGEST_SCALED < scaled < _LARGEST_SCALED:
            return None  # also rejects inf and nan
        if abs(scaled - math.floor(scaled) - 0.5) < _TIE_MARGIN:
            return None
        return round(float(raw), self.compiled.decimals)


def _within(raw: float, low: float | None, high: float | None) -> bool:
    return (low is None or raw >= low) and (high is None or raw <= high)


def _threshold(compiled: CompiledItem, entity: Entity, current: Prepared) -> float | None:
    item = compiled.item
    if isinstance(item.threshold, float | int):
        return float(item.threshold)
    if isinstance(item.threshold, AssignedTarget):
        target = current.get(item.threshold.input)
        return target if isinstance(target, float) else None
    for variant in item.thresholds or []:
        matched, _ = match_profile(variant.when, entity)
        if matched is None:
            return None
        if matched:
            return float(variant.value)
    return None


__all__ = ["Cell", "MatrixEvaluator"]
