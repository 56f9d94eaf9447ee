"""Turn a value from a data file into the type its input declares — or say why not.

Nothing is guessed: an empty value is missing; text that is not a plain number, a boolean
where a number belongs, or a number outside the input's plausible range is refused.
"""

from __future__ import annotations

import math
import re
from typing import Any

from engine.model import Input
from engine.results import Finding

_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_YES = frozenset({"是", "yes", "true", "y"})
_NO = frozenset({"否", "no", "false", "n"})


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_number(name: str, value: Any) -> float | Finding:
    """``value`` as a finite number, or a finding saying why it is not one."""
    if isinstance(value, bool):
        return Finding(code="not_a_number", input=name, found=repr(value))
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and _PLAIN_NUMBER.match(value.strip()):
        number = float(value.strip())
    else:
        return Finding(code="not_a_number", input=name, found=repr(value))
    if not math.isfinite(number):
        return Finding(code="not_a_number", input=name, found=repr(value))
    return number


def as_boolean(name: str, value: Any) -> bool | Finding:
    """``value`` as true/false (YAML booleans, 是/否, yes/no), or a finding."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
    return Finding(code="not_a_boolean", input=name, found=repr(value))


def coerce(name: str, declared: Input, value: Any) -> float | bool | Finding:
    """``value`` for input ``name`` as its declared type, range-checked."""
    if is_empty(value):
        return Finding(code="missing", input=name)
    if declared.type == "boolean":
        return as_boolean(name, value)
    number = as_number(name, value)
    if isinstance(number, Finding):
        return number
    low, high = declared.minimum, declared.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            bounds = f"{_plain(low)}..{_plain(high)}"
        else:
            bounds = f"≥ {_plain(low)}" if low is not None else f"≤ {_plain(high or 0)}"
        return Finding(code="out_of_range", input=name, found=repr(value), detail=bounds)
    return number


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)
