"""The corpus of messy cells: each form officials type, and how it is read or why not."""

import pytest

from engine.criteria.model import Input, Text
from engine.data.cells import REASONS, read_value

PERCENT = Input(name=Text(zh="处理率"), unit="%")
YUAN = Input(name=Text(zh="收入"), unit="元/人")
FACT = Input(name=Text(zh="事实"), type="boolean")

# (raw, input, value read or None for missing, rejection code, warning code)
CORPUS = [
    ("85%", PERCENT, 85.0, None, None),
    ("85 %", PERCENT, 85.0, None, None),
    ("85％", PERCENT, 85.0, None, None),
    ("０.８５", YUAN, 0.85, None, None),
    ("８５", PERCENT, 85.0, None, None),
    ("6,000", YUAN, 6000.0, None, None),
    ("6 000", YUAN, 6000.0, None, None),
    ("6\u00a0000", YUAN, 6000.0, None, None),
    ("1,234,567.5", YUAN, 1234567.5, None, None),
    ("6,5", YUAN, None, "not_a_number", None),
    ("60,00", YUAN, None, "not_a_number", None),
    ("约85", PERCENT, None, "approximate", None),
    ("85左右", PERCENT, None, "approximate", None),
    ("~85", PERCENT, None, "approximate", None),
    ("≥85", PERCENT, None, "bound", None),
    ("<25", YUAN, None, "bound", None),
    ("85以上", PERCENT, None, "bound", None),
    ("", PERCENT, None, None, None),
    ("   ", PERCENT, None, None, None),
    (None, PERCENT, None, None, None),
    ("—", PERCENT, None, None, None),
    ("-", PERCENT, None, None, None),
    ("/", PERCENT, None, None, None),
    ("暂无", PERCENT, None, None, None),
    ("无", YUAN, None, "ambiguous_none", None),
    ("无", FACT, False, None, None),
    ("有", FACT, True, None, None),
    ("是/否", FACT, None, "unfilled_choice", None),
    ("有/无", FACT, None, "unfilled_choice", None),
    ("TRUE", FACT, True, None, None),
    ("FALSE", FACT, False, None, None),
    ("TRUE", YUAN, None, "not_a_number", None),
    (True, YUAN, None, "yes_no_for_number", None),
    ("是", YUAN, None, "not_a_number", None),
    ("√", FACT, True, None, None),
    ("×", FACT, False, None, None),
    (1, FACT, None, "not_yes_no", None),
    (0.85, PERCENT, 0.85, None, "fraction_as_percent"),
    ("0.85", PERCENT, 0.85, None, "fraction_as_percent"),
    (1, PERCENT, 1.0, None, "fraction_as_percent"),
    ("85%", YUAN, None, "percent_sign", None),
    (-5, YUAN, -5.0, None, None),
    ("1e3", YUAN, 1000.0, None, None),
]


@pytest.mark.parametrize(
    ("raw", "declared", "value", "rejected", "warned"),
    CORPUS,
    ids=[f"{raw!r}-{declared.unit or declared.type}" for raw, declared, *_ in CORPUS],
)
def test_messy_cell(raw, declared, value, rejected, warned) -> None:
    reading = read_value(raw, declared)
    assert reading.value == value
    assert (reading.problem.code if reading.problem else None) == rejected
    assert (reading.warning.code if reading.warning else None) == warned


def test_percent_formatted_cell_is_read_times_100_with_a_warning() -> None:
    reading = read_value(0.85, PERCENT, percent_cell=True)
    assert reading.value == pytest.approx(85.0)
    assert reading.warning is not None
    assert reading.warning.code == "percent_cell"


def test_percent_formatted_cell_for_another_unit_is_rejected() -> None:
    reading = read_value(0.85, YUAN, percent_cell=True)
    assert reading.problem is not None
    assert reading.problem.code == "percent_cell"


def test_every_reason_is_worded_in_both_languages() -> None:
    assert all(zh and en for zh, en in REASONS.values())
