import pytest

from engine.coercion import coerce
from engine.model import Input, Text
from engine.results import Finding

NUMBER = Input(name=Text(zh="数"), minimum=0, maximum=100)
FACT = Input(name=Text(zh="事实"), type="boolean")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(41.3, 41.3), (60, 60.0), ("41.3", 41.3), (" 85 ", 85.0), ("1e2", 100.0)],
    ids=["float", "int", "numeric-text", "padded-text", "exponent"],
)
def test_numbers_are_read(value: object, expected: float) -> None:
    assert coerce("x", NUMBER, value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "missing"),
        ("", "missing"),
        ("  ", "missing"),
        ("约85", "not_a_number"),
        ("85%", "not_a_number"),
        (True, "not_a_number"),
        ("nan", "not_a_number"),
        (float("inf"), "not_a_number"),
        (101, "out_of_range"),
        (-1, "out_of_range"),
    ],
    ids=[
        "none",
        "empty",
        "blank",
        "approx-text",
        "percent-sign",
        "bool",
        "nan-text",
        "inf",
        "above-max",
        "below-min",
    ],
)
def test_unusable_numbers_are_findings(value: object, code: str) -> None:
    found = coerce("x", NUMBER, value)
    assert isinstance(found, Finding)
    assert found.code == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), (False, False), ("是", True), ("否", False), ("Yes", True), ("no", False)],
)
def test_facts_are_read(value: object, expected: bool) -> None:
    assert coerce("f", FACT, value) is expected


@pytest.mark.parametrize("value", [1, 0, "有", "maybe"])
def test_ambiguous_facts_are_refused(value: object) -> None:
    found = coerce("f", FACT, value)
    assert isinstance(found, Finding)
    assert found.code == "not_a_boolean"
