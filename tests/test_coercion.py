import pytest

from engine.criteria.model import Input, Text
from engine.evaluation.coercion import as_number, coerce
from engine.evaluation.results import Finding

NUMBER = Input(name=Text(zh="数"), minimum=0, maximum=100)
FACT = Input(name=Text(zh="事实"), type="boolean")


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
