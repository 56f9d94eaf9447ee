"""Deciding a rule for one entity: what it reads (:class:`RuleContext`), the item's measured
value computed once per year (:class:`Judging`), and what it gives (:class:`Decision`, with an
:class:`Explanation` per node for reports)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, Protocol

from engine.criteria.comparison import rounded
from engine.criteria.expressions import EvaluationError, Expression
from engine.criteria.model import Operator, ProfileCondition, Text
from engine.outcomes import Finding, Gap, Status, ThresholdBasis

Decided = Literal["pass", "fail", "missing", "error"]
CURRENT, PREVIOUS = 0, -1
"""Years as rules name them: the assessed year, the year before; other years are absolute."""


class RuleContext(Protocol):
    """What deciding a rule reads: one entity's values, the item's measure, the profile."""

    year: int
    """The assessed year."""

    def value(self, name: str, year: int) -> float | bool | Finding | None:
        """Input ``name`` in ``year`` (absolute), read and checked; ``None`` when not given."""

    def direct(self, year: int) -> float | Finding | None:
        """The item's own value given directly for ``year``; ``None`` when not given."""

    def profile_match(self, condition: ProfileCondition) -> tuple[bool | None, list[Finding]]:
        """Whether the entity's profile matches (``None`` with the keys it lacks)."""


@dataclass(slots=True)
class Explanation:
    """What a node of a rule says about itself once decided: its status and, for a leaf, what
    it compared. An item with a composed rule reports these as its ``parts`` (JSON)."""

    shape: str
    """threshold, range, trend, change, facts, all_of, any_of or at_least."""
    depth: int
    status: Status
    label: Text | None = None
    operator: Operator | None = None
    threshold: float | None = None
    """The limit (a change's limit; a range's lower end; at_least's count)."""
    high: float | None = None
    """A range's upper end."""
    value: float | bool | None = None
    """What was compared: the measured value, the change, this year's trend value."""
    base: float | None = None
    """Last year's value (trend) or the base year's (change)."""
    base_year: int | None = None
    relative: bool = False
    """A change in per cent of the base year's value (its gap in percentage points)."""
    gap: Gap | None = None
    threshold_basis: ThresholdBasis | None = None
    threshold_label: Text | None = None
    """The profile variant's label (e.g. 山区) when the limit depends on the profile."""


@dataclass(slots=True)
class Decision:
    """A rule's outcome for one entity: status, why, and each leaf's explanation."""

    status: Decided
    problems: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    parts: list[Explanation] = field(default_factory=list)


class Judging:
    """One item's judgement in progress: its measured value, computed once per year."""

    def __init__(
        self,
        context: RuleContext,
        measure: Expression | None,
        decimals: int,
        bounds: tuple[float | None, float | None],
        item_id: str,
    ) -> None:
        self.context = context
        self.measure = measure
        self.decimals = decimals
        self.bounds = bounds
        self.item_id = item_id
        self._measured: dict[int, tuple[float, Decimal]] = {}

    def absolute(self, year: int) -> int:
        return self.context.year + year if year <= 0 else year

    def env(self, expression: Expression, year: int) -> dict[str, float | bool]:
        """The values ``expression`` reads in ``year``, by the names it uses (every one
        present: the leaf gathered them before it is judged)."""
        at = self.absolute(year)
        value = self.context.value
        env: dict[str, float | bool] = {}
        for name, base, offset in expression.reads:
            found = value(base, at + offset)
            if found is None or isinstance(found, Finding):
                raise EvaluationError(f"{base} has no usable value")
            env[name] = found
        return env

    def number(self, expression: Expression, year: int) -> float:
        """``expression`` on the inputs of ``year``, a finite number."""
        raw = expression.evaluate(self.env(expression, year))
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            raise EvaluationError(f"{expression.text} gave {raw!r}, not a finite number")
        return float(raw)

    def measured(self, year: int = CURRENT) -> tuple[float, Decimal]:
        """The item's measured value in ``year``: raw, and rounded to its precision. Given
        directly when the data gives it, else computed; outside the physical bounds an
        :class:`OutOfRange` error."""
        at = self.absolute(year)
        if at in self._measured:
            return self._measured[at]
        direct = self.context.direct(at)
        if isinstance(direct, float):
            raw = direct
        else:
            if self.measure is None:
                raise EvaluationError("the item has no measure")
            raw = self.number(self.measure, year)
        low, high = self.bounds
        if (low is not None and raw < low) or (high is not None and raw > high):
            raise OutOfRange(raw, low, high, self.item_id)
        self._measured[at] = raw, rounded(raw, self.decimals)
        return self._measured[at]

    def needs_of(self, expression: Expression | None, year: int) -> list[tuple[str, int]]:
        if expression is None:
            return []
        at = self.absolute(year)
        return [(base, at + offset) for _, base, offset in expression.reads]

    def measure_needs(self, year: int) -> list[tuple[str, int]]:
        """The inputs the item's measure reads in ``year``: none when the value is given
        directly that year (an unreadable direct value is reported by the item)."""
        direct = self.context.direct(self.absolute(year))
        if direct is not None and (year == CURRENT or isinstance(direct, float)):
            return []  # given directly: its own reading decides (this year even unreadable)
        return self.needs_of(self.measure, year)


class OutOfRange(EvaluationError):
    """A measured value outside what is physically possible (e.g. a share over 100 %)."""

    def __init__(self, raw: float, low: float | None, high: float | None, item_id: str) -> None:
        super().__init__("out of range")
        self.raw, self.low, self.high, self.item_id = raw, low, high, item_id
