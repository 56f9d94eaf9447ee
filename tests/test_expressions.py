import pytest

from engine.criteria.expressions import (
    DivisionByZeroError,
    EvaluationError,
    ExpressionSyntaxError,
    compile_expression,
)


def test_names_are_the_inputs_read() -> None:
    expression = compile_expression("max(a, b) / total * 100")
    assert expression.names == {"a", "b", "total"}


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("a / b * 100", {"a": 1, "b": 4}, 25.0),
        ("a - b", {"a": 60.4, "b": 60.1}, pytest.approx(0.3)),
        ("x and not y", {"x": True, "y": False}, True),
        ("a if a > b else b", {"a": 1, "b": 2}, 2),
        ("abs(a) + round(b)", {"a": -1, "b": 2.4}, 3),
        ("a ** 2", {"a": 3}, 9.0),
    ],
    ids=["share", "difference", "boolean", "conditional", "functions", "small-power"],
)
def test_evaluates_allowed_expressions(text: str, values: dict, expected: object) -> None:
    assert compile_expression(text).evaluate(values) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a.__class__", "Attribute is not allowed"),
        ("a[0]", "Subscript is not allowed"),
        ("'abc'", "constant 'abc' is not allowed"),
        ("lambda: 1", "Lambda is not allowed"),
        ("[x for x in a]", "ListComp is not allowed"),
        ("open('f')", "only these functions may be called"),
        ("__import__('os')", "only these functions may be called"),
        ("_secret + 1", "name '_secret' is not allowed"),
        ("max(a, key=b)", "keyword arguments are not allowed"),
        ("min + 1", "function 'min' must be called"),
        ("a = 1", "invalid syntax"),
        ("a; b", "invalid syntax"),
        ("f'{a}'", "JoinedStr is not allowed"),
        ("a in b", "In is not allowed"),
        ("a" + " + a" * 300, "longer than 500 characters"),
        ("(" * 40 + "a" + ")" * 40 + " + " + "-" * 40 + "a", "nested deeper than 32"),
    ],
    ids=[
        "attribute",
        "subscript",
        "string",
        "lambda",
        "comprehension",
        "open",
        "import",
        "underscore",
        "keywords",
        "bare-function",
        "assignment",
        "two-statements",
        "f-string",
        "membership",
        "too-long",
        "too-deep",
    ],
)
def test_rejects_forbidden_constructs(text: str, message: str) -> None:
    with pytest.raises(ExpressionSyntaxError, match=message):
        compile_expression(text)


def test_division_by_zero_is_its_own_error() -> None:
    with pytest.raises(DivisionByZeroError):
        compile_expression("a / b").evaluate({"a": 1, "b": 0})


def test_power_needs_a_small_literal_exponent() -> None:
    with pytest.raises(ExpressionSyntaxError, match="exponent of \\*\\* must be a number"):
        compile_expression("a ** b")
    with pytest.raises(ExpressionSyntaxError, match="exponent of \\*\\* must be a number"):
        compile_expression("a ** 65")
    with pytest.raises(EvaluationError):
        compile_expression("a ** 64").evaluate({"a": 1e300})


def test_type_errors_become_evaluation_errors() -> None:
    with pytest.raises(EvaluationError):
        compile_expression("a + b").evaluate({"a": 1, "b": None})


def test_previous_year_values_are_plain_names() -> None:
    expression = compile_expression("(area - previous.area) / previous.area * 100")
    assert expression.names == {"area", "area@previous"}
    assert expression.evaluate({"area": 102, "area@previous": 100}) == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("previous", "write previous.NAME"),
        ("previous.__class__", "Attribute is not allowed"),
        ("previous.a.b", "Attribute is not allowed"),
        ("other.a", "Attribute is not allowed"),
    ],
    ids=["bare", "dunder", "nested", "other-object"],
)
def test_previous_is_the_only_dotted_form(text: str, message: str) -> None:
    with pytest.raises(ExpressionSyntaxError, match=message):
        compile_expression(text)
