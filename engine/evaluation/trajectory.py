"""Is an item on track to meet its target by the plan's target year?

The method is Open SDG's progress measure for an indicator with a target (open-sdg/sdg-build,
``sdg/ProgressMeasure.py``, "methodology 2"): the compound annual growth observed since the
base year, divided by the compound annual growth the target needs from the base year to the
target year,

    observed = (current / base) ** (1 / (current_year - base_year)) - 1
    required = (target / base) ** (1 / (target_year - base_year)) - 1
    ratio    = direction × observed / |required|      (direction −1 where lower is better)

and the ratio read with its thresholds: ≥ 0.95 on track, ≥ 0.6 progress but acceleration
needed, ≥ 0 limited progress, < 0 deterioration. A target met already is ``target_achieved``.

Where the method cannot say (one year of data, a base of zero, values of opposite signs, a
target the base already equals), the status is ``not_available`` with the reason — never a
guess: Open SDG substitutes 0.001 for a zero base; we do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TrajectoryStatus = Literal[
    "target_achieved",
    "on_track",
    "acceleration_needed",
    "limited",
    "deterioration",
    "not_available",
]
THRESHOLDS: tuple[tuple[float, TrajectoryStatus], ...] = (
    (0.95, "on_track"),
    (0.6, "acceleration_needed"),
    (0.0, "limited"),
)
"""Open SDG's default thresholds for methodology 2, highest first; below the last:
deterioration."""

Unavailable = Literal["one_year", "zero_base", "opposite_signs", "no_growth_needed"]


@dataclass(frozen=True, slots=True)
class Trajectory:
    """The calculation, shown with its result (reports print every number)."""

    status: TrajectoryStatus
    target_year: int
    target: float
    direction: Literal["higher", "lower"]
    base_year: int | None = None
    base_value: float | None = None
    current_year: int | None = None
    current_value: float | None = None
    observed: float | None = None
    """Compound annual growth since the base year (0.021 = 2.1 % a year)."""
    required: float | None = None
    """Compound annual growth the target needs from the base year to the target year."""
    ratio: float | None = None
    reason: Unavailable | None = None
    """Why the status is ``not_available``."""


def trajectory(
    series: list[tuple[int, float]],
    current: tuple[int, float] | None,
    target: float,
    target_year: int,
    direction: Literal["higher", "lower"],
    met: bool,
    base_year: int | None = None,
) -> Trajectory:
    """The trajectory of one item: ``series`` its value by year (oldest first), ``current``
    this year's, ``met`` whether this year's value already meets ``target``."""
    empty = Trajectory("not_available", target_year, target, direction, reason="one_year")
    points = sorted(series) if series else ([current] if current else [])
    if current is None or not points:
        return empty
    # The base: the configured year, else (as Open SDG does) the next year the data has.
    starts = [p for p in points if base_year is None or p[0] >= base_year]
    if not starts:
        return empty
    base = starts[0]
    shown = Trajectory(
        "target_achieved" if met else "not_available",
        target_year,
        target,
        direction,
        base_year=base[0],
        base_value=base[1],
        current_year=current[0],
        current_value=current[1],
    )
    if met:
        return shown
    years, due = current[0] - base[0], target_year - base[0]
    if years < 1 or due <= 0:
        return _unavailable(shown, "one_year")
    if base[1] == 0:
        return _unavailable(shown, "zero_base")
    if base[1] * current[1] <= 0 or base[1] * target <= 0:
        # the growth of a value that crosses zero has no compound rate
        return _unavailable(shown, "zero_base" if current[1] == 0 else "opposite_signs")
    observed = (current[1] / base[1]) ** (1 / years) - 1
    required = (target / base[1]) ** (1 / due) - 1
    if required == 0:
        return _unavailable(shown, "no_growth_needed")
    sign = -1 if base[1] < 0 else 1
    ratio = sign * (1 if direction == "higher" else -1) * observed / abs(required)
    status: TrajectoryStatus = next(
        (name for floor, name in THRESHOLDS if ratio >= floor), "deterioration"
    )
    return Trajectory(
        status,
        target_year,
        target,
        direction,
        base[0],
        base[1],
        current[0],
        current[1],
        observed,
        required,
        ratio,
    )


def _unavailable(shown: Trajectory, reason: Unavailable) -> Trajectory:
    return Trajectory(
        "not_available",
        shown.target_year,
        shown.target,
        shown.direction,
        shown.base_year,
        shown.base_value,
        shown.current_year,
        shown.current_value,
        reason=reason,
    )


__all__ = ["THRESHOLDS", "Trajectory", "TrajectoryStatus", "trajectory"]
