"""The lean path for a summary matrix: each item's status and value, without a report.

A batch that writes only its summary needs, for each entity and item, the status and the
value — not findings, gaps or provenance. A kernel per entity profile (:mod:`engine.kernel`)
decides the common case; every item it leaves open — an item given directly, an unreadable
value, a division by zero, a value within rounding distance of a tie — goes through the full
evaluator, so both paths give the same cells. ``tests/test_matrix.py`` checks that on random,
deliberately awkward entities for every bundled set.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

from engine.compiler import CompiledCriteria
from engine.data import DataFile, Entity, MeasuredValue
from engine.evaluator import EntityContext, evaluate_item
from engine.kernel import Cell, Kernel, build_kernel, previous_inputs

if TYPE_CHECKING:
    from engine.plaincsv import PlainEntity
from engine.results import Summary, Verdict, summary_of

PROFILE_KEYS = ("level", "region", "terrain", "coastal", "city_size")


class MatrixEvaluator:
    """Evaluates many entities against one compiled set, for a summary matrix."""

    def __init__(self, criteria: CompiledCriteria) -> None:
        self.criteria = criteria
        self._names = list(criteria.inputs)
        self._previous_names = previous_inputs(criteria)
        self._positions = {compiled.id: n for n, compiled in enumerate(criteria.items)}
        self._trend_ids = {c.id for c in criteria.items if c.item.trend is not None}
        self._blocks = [c.item.kind == "basic_condition" or c.item.binding for c in criteria.items]
        self._kernels: dict[tuple[Any, ...], Kernel] = {}

    def row(self, data: DataFile) -> tuple[Verdict, Summary, list[Cell]]:
        """The verdict, the counts and each item's (status, value), in the set's order — the
        same as :func:`engine.evaluator.evaluate` gives, without building the report."""
        values = data.values
        last_year = data.history.get(data.entity.year - 1, {})
        cells = self._kernel(data.entity)(
            _raw(values, self._names), _raw(last_year, self._previous_names)
        )
        # An item given directly is read and checked by the full evaluator.
        if not values.keys().isdisjoint(self._positions):
            for item_id in self._positions.keys() & values.keys():
                cells[self._positions[item_id]] = None
        if not last_year.keys().isdisjoint(self._trend_ids):
            for item_id in self._trend_ids & last_year.keys():
                cells[self._positions[item_id]] = None
        return self._decided(cells, lambda: data)

    def row_plain(self, plain: PlainEntity) -> tuple[Verdict, Summary, list[Cell]]:
        """:meth:`row` for an entity read as plain values (its keys are inputs only)."""
        current, previous = plain.current, plain.previous
        cells = self._kernel(plain.entity)(
            list(map(current.get, self._names)), list(map(previous.get, self._previous_names))
        )
        return self._decided(cells, lambda: plain.data)

    def _decided(
        self, cells: list[Cell | None], data: Callable[[], DataFile]
    ) -> tuple[Verdict, Summary, list[Cell]]:
        """The cells with every open one decided by the full evaluator, and the counts."""
        if None in cells:
            context = EntityContext.of(self.criteria, data())
            for position, compiled in enumerate(self.criteria.items):
                if cells[position] is None:
                    result = evaluate_item(context, compiled, detail=False)
                    cells[position] = (result.status, result.value)
        decided: list[Cell] = cells  # type: ignore[assignment]  # no None is left
        summary = summary_of(list(map(_STATUS, decided)), self._blocks)
        return summary.verdict, summary, decided

    def _kernel(self, entity: Entity) -> Kernel:
        key = _PROFILE(entity)
        kernel = self._kernels.get(key)
        if kernel is None:
            kernel = self._kernels[key] = build_kernel(self.criteria, entity)
        return kernel


_ABSENT = MeasuredValue()
_VALUE = attrgetter("value")
_STATUS = itemgetter(0)
_PROFILE = attrgetter(*PROFILE_KEYS)


def _raw(values: dict[str, MeasuredValue], names: list[str]) -> list[Any]:
    """Each input's value as given (``None`` when absent), in the set's input order."""
    return list(map(_VALUE, map(values.get, names, repeat(_ABSENT))))


__all__ = ["Cell", "MatrixEvaluator"]
