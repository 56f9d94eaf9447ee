"""The one cell reader: how a value typed by a person is read — numbers and yes/no facts,
never guessed — and checked against its input's plausible range (:func:`coerce`). Every
source (YAML, CSV, xlsx) and the evaluator read values through it.

Every form is either read (perhaps with a warning that says what was assumed), read as
missing, or rejected with what was found and what is expected. The full table is in
``docs/data-files.md``; in short:

==========================  =========================================================
"85", " 85 ", "1e2"         read
"０.８５" (full-width)        read as 0.85: full-width forms are folded to ASCII
"85²", "⑧⑤", "٨٥"            rejected: only the digits 0-9 (ASCII or full-width) make a number
"6,000", "6 000"            read as 6000 (only valid thousands grouping; "6,5" rejected)
"85%", "85 %", "85％"        read as 85 when the unit is %, rejected otherwise
0.85 for a % input          read as 0.85 %, with a warning (did you mean 85?)
Excel cell formatted 0%     read ×100 (0.85 → 85 %), with a warning saying so
blank, "—", "-", "/", "暂无"  missing
"约85", "85左右", "~85"       rejected: approximate
"≥85", "<25", "85以上"        rejected: a bound, not a measurement
"无" for a number            rejected: write 0 if none, leave empty if unknown
"是/否", "有/无" (unfilled)   rejected: choose one
是 否 有 无 √ × yes no TRUE   read for yes/no facts; rejected for numbers
1 / 0 for a yes/no fact     rejected: write 是 or 否
==========================  =========================================================
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from engine.criteria.model import Input, Text
from engine.outcomes import Finding, ProblemCode

WarningCode = Literal["fraction_as_percent", "percent_cell"]

NO_DATA = frozenset({"—", "——", "-", "--", "/", "n/a", "na", "暂无", "待统计", "无数据", "不详"})
_YES = frozenset({"是", "有", "√", "✓", "y", "yes", "true", "t"})
_NO = frozenset({"否", "无", "×", "✗", "n", "no", "false", "f"})
_UNFILLED = frozenset({"是/否", "有/无", "是或否", "yes/no", "y/n", "true/false"})
_APPROXIMATE = re.compile(r"约|大约|左右|上下|将近|近|~|≈|余|多")
_BOUND = re.compile(r"[≥≤><]|以上|以下|不低于|不高于|不少于|不超过|超过|低于|高于")
# [0-9], never \d: \d matches every script's digits, and float() reads "٨٥" as 85.
SIMPLE_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?\Z")
_PLAIN = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")
_GROUPED = re.compile(r"^[+-]?[0-9]{1,3}([, ][0-9]{3})+(\.[0-9]+)?\Z")


#: Why a value is rejected, and what is expected instead: code → (Chinese, English).
REASONS: dict[str, tuple[str, str]] = {
    "unfilled_choice": (
        "模板中的选项未选择，请填写“是”或“否”",
        "the choice was left unfilled: write yes or no",
    ),
    "not_yes_no": ("应为“是”或“否”", "expected yes or no"),
    "yes_no_for_number": ("应为数字，不是“是/否”", "expected a number, not yes/no"),
    "ambiguous_none": (
        "“无”含义不明：如为零请填 0，如无数据请留空",
        "'无' is ambiguous: write 0 if none, leave empty if unknown",
    ),
    "bound": (
        "这是一个范围，不是实测值；请填写确切数值",
        "a bound is not a measurement: give the exact figure",
    ),
    "approximate": ("这是约数；请填写确切数值", "an approximate figure: give the exact figure"),
    "percent_sign": ("带有 %，但该项单位不是 %", "has a % sign but the unit is not %"),
    "percent_cell": (
        "单元格为百分比格式，但该项单位不是 %",
        "the cell is formatted as a percentage but the unit is not %",
    ),
    "not_a_number": ("应为数字", "expected a number"),
    "not_finite": ("不是有限数值", "not a finite number"),
}


@dataclass(frozen=True)
class Problem:
    """Why a value was rejected: a key of :data:`REASONS`."""

    code: str

    def text(self, lang: str) -> str:
        zh, en = REASONS[self.code]
        return en if lang == "en" else zh


@dataclass(frozen=True)
class Warning:
    """A value read under an assumption the report must show: ``code`` names which."""

    code: WarningCode
    found: str


class Reading(NamedTuple):
    """The outcome of reading one value: a value (``None``: missing), or a problem.

    A named tuple: made for every cell of a large spreadsheet, and several times cheaper to
    build than a frozen dataclass."""

    value: float | bool | None = None
    problem: Problem | None = None
    warning: Warning | None = None


def read_value(raw: Any, declared: Input, *, percent_cell: bool = False) -> Reading:
    """Read ``raw`` as ``declared`` says (number or yes/no), or say why it cannot be."""
    if raw is None:
        return Reading()
    if declared.type == "boolean":
        return _read_fact(raw)
    return _read_number(raw, declared.unit, percent_cell)


_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {
    0x3000: " ",  # ideographic space
    0x00A0: " ",  # no-break space, as in "6 000" from a French or Russian locale
    0x202F: " ",  # narrow no-break space
}


def fold_width(text: str) -> str:
    """``text`` with full-width ASCII forms (８５％, ，, －) as ASCII and wide spaces as spaces.

    Only these: Unicode's compatibility normalisation (NFKC) would also turn ``85²`` into 852
    and ``⑧⑤`` into 85, silently reading a different number than the one typed."""
    return text if text.isascii() else text.translate(_WIDTH)


def _clean(raw: Any) -> str:
    return fold_width(str(raw)).strip()


def _read_fact(raw: Any) -> Reading:
    if isinstance(raw, bool):
        return Reading(value=raw)
    text = _clean(raw).lower()
    if not text or text in NO_DATA:
        return Reading()
    if text in _YES:
        return Reading(value=True)
    if text in _NO:
        return Reading(value=False)
    if text in _UNFILLED:
        return Reading(problem=Problem("unfilled_choice"))
    return Reading(problem=Problem("not_yes_no"))


def _float(raw: Any) -> float:
    """``float(raw)``, infinite for an integer too large for a float (a 400-digit number
    typed into YAML): it is then refused as not finite, never a traceback."""
    try:
        return float(raw)
    except OverflowError:
        return math.inf


def plain_number(raw: Any, unit: str) -> float | None:
    """``raw`` when it is plainly a number of this unit — a finite number, or a plain number
    typed as text, and not a fraction where a percentage belongs — else ``None``: then
    :func:`read_value` says how it reads. The common case of a large spreadsheet."""
    kind = raw.__class__
    if not ((kind is str and SIMPLE_NUMBER.match(raw)) or kind is float or kind is int):
        return None
    number = _float(raw)
    if not math.isfinite(number) or (unit == "%" and 0 < number <= 1):
        return None
    return number


def _read_number(raw: Any, unit: str, percent_cell: bool) -> Reading:
    if not percent_cell and (number := plain_number(raw, unit)) is not None:
        return Reading(value=number)
    if isinstance(raw, bool):
        return Reading(problem=Problem("yes_no_for_number"))
    if isinstance(raw, int | float):
        return _checked(_float(raw), unit, percent_cell, str(raw))
    if type(raw) is str and SIMPLE_NUMBER.match(raw):
        return _checked(_float(raw), unit, percent_cell, raw)
    text = _clean(raw)
    if not text or text.lower() in NO_DATA:
        return Reading()
    if text == "无":
        return Reading(problem=Problem("ambiguous_none"))
    if _BOUND.search(text):
        return Reading(problem=Problem("bound"))
    if _APPROXIMATE.search(text):
        return Reading(problem=Problem("approximate"))
    has_percent = text.endswith("%")
    if has_percent:
        if unit != "%":
            return Reading(problem=Problem("percent_sign"))
        text = text[:-1].strip()
    if _GROUPED.match(text):
        text = text.replace(",", "").replace(" ", "")
    if not _PLAIN.match(text):
        return Reading(problem=Problem("not_a_number"))
    number = float(text)
    if has_percent:
        return Reading(value=number) if math.isfinite(number) else _not_finite()
    return _checked(number, unit, percent_cell, _clean(raw))


def _checked(number: float, unit: str, percent_cell: bool, found: str) -> Reading:
    if not math.isfinite(number):
        return _not_finite()
    if percent_cell:
        if unit != "%":
            return Reading(problem=Problem("percent_cell"))
        return Reading(value=number * 100, warning=Warning("percent_cell", found))
    if unit == "%" and 0 < number <= 1:
        return Reading(value=number, warning=Warning("fraction_as_percent", found))
    return Reading(value=number)


def _not_finite() -> Reading:
    return Reading(problem=Problem("not_finite"))


# --- the reading of an input's value, as every source and the evaluator use it -------------


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
        number = _float(value)
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
