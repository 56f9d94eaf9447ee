"""Comparisons at the precision the source publishes, and gaps to a threshold.

Values are rounded half-up to the item's ``decimals`` before they are compared, the way a
statistics bureau publishes them: a share computed as 39.99999999 from raw figures is
40.00 and meets ">= 40". All arithmetic here is decimal, so 0.1 + 0.2 is 0.3.
"""

from __future__ import annotations

import operator as op
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Context, Decimal

from engine.criteria.model import Operator
from engine.outcomes import Direction, Gap

_COMPARE: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">=": op.ge,
    ">": op.gt,
    "<=": op.le,
    "<": op.lt,
    "==": op.eq,
}


def to_decimal(value: float) -> Decimal:
    # repr gives the shortest string that round-trips, so 0.3 stays 0.3, not 0.299999…
    return Decimal(repr(float(value)))


# Wide enough for every finite float at any supported precision (1.8e308 has 309 digits).
_WIDE = Context(prec=340, rounding=ROUND_HALF_UP)


_QUANTA = [Decimal(1).scaleb(-places) for places in range(16)]
"""The quantum of each precision up to 15 decimals (items use 0–6; reports 4 more)."""


def rounded(value: float, decimals: int) -> Decimal:
    """``value`` rounded half-up to ``decimals`` places."""
    quantum = _QUANTA[decimals] if decimals < len(_QUANTA) else Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(quantum, context=_WIDE)


_LIMITS: dict[float, Decimal] = {}
"""Thresholds as decimals: a set has a few dozen, compared for every entity."""


def meets(value: Decimal, operator: Operator, threshold: float) -> bool:
    """Whether ``value <operator> threshold`` holds."""
    limit = _LIMITS.get(threshold)
    if limit is None:
        limit = to_decimal(threshold)
        if len(_LIMITS) < 10_000:
            _LIMITS[threshold] = limit
    return _COMPARE[operator](value, limit)


def gap(value: Decimal, operator: Operator, threshold: float) -> Gap:
    """How far ``value`` is from meeting the threshold, in the unit and relative to it.

    ``absolute`` is always the distance to the threshold (zero when a strict comparison
    fails on equality); ``direction`` says which way the value must move.
    """
    target = to_decimal(threshold)
    direction: Direction
    distance = abs(target - value)
    if operator in (">=", ">"):
        direction = "increase"
    elif operator in ("<=", "<"):
        direction = "decrease"
    else:
        direction = "increase" if value < target else "decrease"
    relative = float(distance / abs(target) * 100) if target else None
    return Gap(absolute=float(distance), relative=relative, direction=direction)
