"""Turn a value from a data file into the type its input declares — or say why not.

Reading follows :mod:`engine.data.cells` (the same rules for YAML and spreadsheets); this
module adds the input's plausible range and expresses the outcome as the evaluator needs
it: a value, or a :class:`Finding` that makes the items reading it ``missing`` or ``error``.
"""

from __future__ import annotations

import math
from typing import Any

from engine.criteria.model import Input, Text
from engine.data.cells import read_value
from engine.evaluation.results import Finding, ProblemCode


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def coerce(name: str, declared: Input, value: Any) -> tuple[float | bool | Finding, Finding | None]:
    """``value`` for input ``name`` as its declared type, range-checked; and a warning
    finding when it was read under an assumption (e.g. 0.85 for a percentage)."""
    kind = type(value)
    if kind is bool and declared.type == "boolean":
        return value, None
    if (kind is float or kind is int) and declared.type == "number":
        # The common case, decided without building a Reading: a plain finite number.
        number = float(value)
        if math.isfinite(number) and not (declared.unit == "%" and 0 < number <= 1):
            return _in_range(name, declared, number, value), None
    reading = read_value(value, declared)
    if reading.problem is not None:
        code: ProblemCode = "not_a_boolean" if declared.type == "boolean" else "not_a_number"
        return Finding(code=code, input=name, found=repr(value), detail=reading.problem.code), None
    if reading.value is None:
        return Finding(code="missing", input=name), None
    warning = None
    if reading.warning is not None:
        warning = Finding(code=reading.warning.code, input=name, found=reading.warning.found)
    number = reading.value
    if isinstance(number, bool):
        return number, warning
    return _in_range(name, declared, number, value), warning


def _in_range(name: str, declared: Input, number: float, value: Any) -> float | Finding:
    low, high = declared.minimum, declared.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            bounds = f"{_plain(low)}..{_plain(high)}"
        else:
            bounds = f"≥ {_plain(low)}" if low is not None else f"≤ {_plain(high or 0)}"
        return Finding(code="out_of_range", input=name, found=repr(value), detail=bounds)
    return number


def as_number(name: str, value: Any, unit: str = "") -> float | Finding:
    """An item's value given directly, read like an input of the item's unit."""
    reading = read_value(value, Input(name=Text(zh=name), unit=unit))
    if reading.problem is not None:
        return Finding(
            code="not_a_number", input=name, found=repr(value), detail=reading.problem.code
        )
    if reading.value is None or isinstance(reading.value, bool):
        return Finding(code="missing", input=name)
    return reading.value


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)
