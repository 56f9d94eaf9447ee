"""The generated kernel: built only from checked trees, run without builtins."""

import ast
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from engine.comparison import rounded
from engine.data import Entity
from engine.expressions import ExpressionSyntaxError
from engine.kernel import _HELPERS, _LARGEST_SCALED, _TIE_MARGIN, _Builder, _Rewrite, build_kernel
from engine.loader import load_criteria, search_path

SETS = ["national_demo_area", "yunnan_2014", "guigang_2023", "pingliang_2025", "lufeng_2024"]
COUNTY = Entity(
    name="甲县", year=2023, level="county", region="other", terrain="hill", coastal=False
)


@pytest.mark.parametrize("set_id", SETS)
def test_no_text_from_the_criteria_file_reaches_the_source(set_id: str) -> None:
    criteria = load_criteria(set_id, search_path())
    entity = COUNTY.model_copy(update={"level": criteria.spec.level[0]})
    source = _Builder(criteria, entity).source()
    words = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", source))
    strings = re.findall(r"['\"]", source)
    assert strings == []  # not one string literal
    from_file = {*criteria.inputs, *(c.id for c in criteria.items)}
    assert words & from_file == set()
    keywords = {"def", "if", "is", "not", "None", "and", "or", "elif", "try", "except", "pass"}
    keywords |= {"return", "else", "True", "False", "__class__"}
    local = {"kernel", "now", "last", "cells", "r", "s", "x", "h", "t", "b"}
    variables = {w for w in words if re.fullmatch(r"[ip]\d+", w)}
    assert words <= keywords | local | set(_HELPERS) | variables


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "a.__class__",
        "a[0]",
        "'text'",
        "(lambda: 1)()",
        "[x for x in a]",
        "a // 2",
        "open('f')",
        "min(a, key=b)",
        "f'{a}'",
    ],
)
def test_the_rewrite_refuses_what_the_whitelist_refuses(text: str) -> None:
    """A second line of defence: a tree that somehow skipped the load-time check."""
    criteria = load_criteria("yunnan_2014", search_path())
    builder = _Builder(criteria, COUNTY)
    builder.index = {"a": 0, "b": 1, "x": 2}
    with pytest.raises((ExpressionSyntaxError, KeyError)):
        _Rewrite(builder, previous=False).visit(ast.parse(text, mode="eval").body)


def test_the_kernel_runs_without_builtins() -> None:
    criteria = load_criteria("national_demo_area", search_path())
    kernel = build_kernel(criteria, COUNTY)
    assert kernel.__globals__["__builtins__"] == {}
    assert {"open", "eval", "exec", "getattr", "__import__"}.isdisjoint(kernel.__globals__)


@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=6),
)
def test_the_kernels_rounding_is_the_full_evaluators_away_from_ties(
    raw: float, decimals: int
) -> None:
    """What the kernel emits for rounding (see ``_Builder._rounded``): where the kernel rounds
    at all, the same float as the full evaluator's half-up decimal rounding, sign of zero
    included."""
    scale = 10.0**decimals
    s = raw * scale
    low, high = 0.5 - _TIE_MARGIN, 0.5 + _TIE_MARGIN
    assume(-_LARGEST_SCALED < s < _LARGEST_SCALED and not low < s % 1.0 < high)
    kernel = (s + 0.5) // 1.0 / scale or round(raw, decimals)
    assert repr(kernel) == repr(float(rounded(raw, decimals)))
