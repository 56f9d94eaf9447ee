"""The one cell reader: the corpus of messy cells officials type, how each is read or why
not, and an input's value as the evaluator takes it (range-checked, as a finding when not)."""

import pytest

from engine.criteria.model import Input, Text
from engine.data.cells import REASONS, as_number, coerce, read_value
from engine.outcomes import Finding

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


# --- an input's value as the evaluator takes it ---

NUMBER = Input(name=Text(zh="数"), minimum=0, maximum=100)


def value_of(declared: Input, raw: object) -> object:
    value, _ = coerce("x", declared, raw)
    return value


@pytest.mark.parametrize(
    ("value", "expected"),
    [(41.3, 41.3), (60, 60.0), ("41.3", 41.3), (" 85 ", 85.0), ("1e2", 100.0)],
    ids=["float", "int", "numeric-text", "padded-text", "exponent"],
)
def test_numbers_are_read(value: object, expected: float) -> None:
    assert value_of(NUMBER, value) == expected


@pytest.mark.parametrize(
    ("value", "code", "detail"),
    [
        (None, "missing", None),
        ("", "missing", None),
        ("—", "missing", None),
        ("约85", "not_a_number", "approximate"),
        ("85%", "not_a_number", "percent_sign"),
        (True, "not_a_number", "yes_no_for_number"),
        ("nan", "not_a_number", "not_a_number"),
        (float("inf"), "not_a_number", "not_finite"),
        (101, "out_of_range", "0..100"),
        (-1, "out_of_range", "0..100"),
    ],
    ids=[
        "none",
        "empty",
        "dash",
        "approx-text",
        "percent-sign-without-percent-unit",
        "bool",
        "nan-text",
        "inf",
        "above-max",
        "below-min",
    ],
)
def test_unusable_numbers_are_findings(value: object, code: str, detail: str | None) -> None:
    found = value_of(NUMBER, value)
    assert isinstance(found, Finding)
    assert (found.code, found.detail) == (code, detail)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("是", True),
        ("否", False),
        ("Yes", True),
        ("no", False),
        ("有", True),
        ("无", False),
        ("TRUE", True),
    ],
)
def test_facts_are_read(value: object, expected: bool) -> None:
    assert value_of(FACT, value) is expected


@pytest.mark.parametrize("value", [1, 0, "maybe", "是/否"])
def test_ambiguous_facts_are_refused(value: object) -> None:
    found = value_of(FACT, value)
    assert isinstance(found, Finding)
    assert found.code == "not_a_boolean"


def test_fraction_for_a_percentage_is_read_with_a_warning() -> None:
    percent = Input(name=Text(zh="率"), unit="%")
    value, warning = coerce("rate", percent, 0.85)
    assert value == 0.85
    assert warning == Finding(code="fraction_as_percent", input="rate", found="0.85")


def test_item_value_given_directly_uses_the_item_unit() -> None:
    assert as_number("share", "41.3%", "%") == 41.3
    assert isinstance(as_number("share", "41.3%", "元"), Finding)


def test_an_integer_too_large_for_a_float_is_not_finite_not_a_crash() -> None:
    value, _ = coerce("x", NUMBER, 10**400)
    assert isinstance(value, Finding)
    assert (value.code, value.detail) == ("not_a_number", "not_finite")
