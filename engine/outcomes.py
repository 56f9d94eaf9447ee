"""The vocabulary of outcomes shared by rules, evaluation and reports: statuses, findings, gaps.

These are part of the JSON report contract (``docs/json-report.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["pass", "fail", "missing", "not_applicable", "error"]
Direction = Literal["increase", "decrease"]
STATUSES: tuple[Status, ...] = ("pass", "fail", "missing", "not_applicable", "error")
ProblemCode = Literal[
    "missing",
    "missing_previous",
    "missing_profile",
    "no_threshold",
    "not_a_number",
    "not_a_boolean",
    "out_of_range",
    "evaluation",
    "division_by_zero",
    "not_applicable",
    "fact_false",
    "trend_worse",
    "no_evidence",
    "fraction_as_percent",
    "percent_cell",
]
#: Findings that make an item ``missing`` (any other problem makes it ``error``).
MISSING_CODES = frozenset({"missing", "missing_previous", "missing_profile"})
ThresholdBasis = Literal["fixed", "profile", "assigned"]


@dataclass(frozen=True, slots=True)
class Gap:
    """Distance of a failing value to its threshold."""

    absolute: float
    relative: float | None
    direction: Direction


@dataclass(frozen=True, slots=True)
class Finding:
    """Why an item is not a plain pass: a missing, unusable or false input, or inapplicability."""

    code: ProblemCode
    input: str | None = None
    found: str | None = None
    detail: str | None = None
