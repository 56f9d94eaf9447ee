from decimal import Decimal

import pytest

from engine.criteria.comparison import gap, meets, rounded


@pytest.mark.parametrize(
    ("value", "operator", "threshold", "expected"),
    [
        ("40", ">=", 40, True),
        ("39.99", ">=", 40, False),
        ("90", ">", 90, False),
        ("90.01", ">", 90, True),
        ("1.1", "<=", 1.1, True),
        ("1.11", "<=", 1.1, False),
        ("29.99", "<", 30, True),
        ("30", "<", 30, False),
        ("100", "==", 100, True),
        ("99.99", "==", 100, False),
    ],
    ids=[
        "ge-equal",
        "ge-below",
        "gt-equal",
        "gt-above",
        "le-equal",
        "le-above",
        "lt-below",
        "lt-equal",
        "eq",
        "eq-below",
    ],
)
def test_operators_at_their_boundaries(
    value: str, operator: str, threshold: float, expected: bool
) -> None:
    assert meets(Decimal(value), operator, threshold) is expected  # type: ignore[arg-type]


def test_rounding_follows_the_published_precision() -> None:
    assert rounded(39.99999999, 2) == Decimal("40.00")
    assert rounded(39.994, 2) == Decimal("39.99")
    assert rounded(0.125, 2) == Decimal("0.13")  # half-up, not banker's rounding
    assert rounded(0.1 + 0.2, 2) == Decimal("0.30")


def test_gap_in_unit_and_relative() -> None:
    result = gap(Decimal("83.5"), ">=", 85)
    assert (result.absolute, result.direction) == (1.5, "increase")
    assert result.relative == pytest.approx(1.7647, rel=1e-3)


def test_gap_for_a_ceiling_points_down() -> None:
    result = gap(Decimal("56.8"), "<=", 30)
    assert (result.absolute, result.direction) == (pytest.approx(26.8), "decrease")


def test_strict_failure_on_equality_has_zero_gap() -> None:
    assert gap(Decimal("90"), ">", 90).absolute == 0


def test_gap_to_zero_threshold_has_no_relative_part() -> None:
    assert gap(Decimal("2"), "<=", 0).relative is None


def test_huge_values_round_without_overflow() -> None:
    """Found by hypothesis: decimal's default 28-digit context cannot quantize 1e26."""
    assert str(rounded(1.523e26, 2)) == "152300000000000000000000000.00"
    assert rounded(1.7e308, 6) > 0
