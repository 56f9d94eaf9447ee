"""Safe expressions over named inputs, checked once and evaluated many times.

An expression is parsed when its criteria set is loaded and its syntax tree is checked
against a whitelist before anything is evaluated: numbers, booleans, declared names,
arithmetic, comparisons, ``and``/``or``/``not``, conditional expressions and a few pure
functions.

A checked tree is then turned into nested Python closures, one per node, each doing only the
operation its node names (:func:`_closure`). No ``eval`` or ``compile`` is involved here, and
a node type without a closure cannot run.

simpleeval, with the same operators and functions, evaluates the same trees as the reference
(:meth:`Expression.evaluate_reference`); a property test checks that both agree on random
expressions and values.

``previous.NAME`` reads the previous year's value of input ``NAME``. It is the one dotted
form allowed, and it is rewritten at compile time into the plain name ``NAME@previous``
(see :func:`previous_name`), so evaluation never touches attributes.
"""

from __future__ import annotations

import ast
import operator as op
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

import simpleeval

MAX_LENGTH = 500
MAX_LITERAL = 1e15
"""Largest number an expression may write literally (thresholds live in the YAML, not here)."""
PREVIOUS = "previous"
_LITERALS = {"true": True, "false": False}
_PREVIOUS_SUFFIX = "@previous"


def previous_name(name: str) -> str:
    """The name under which the previous year's value of ``name`` is evaluated."""
    return name + _PREVIOUS_SUFFIX


def split_previous(name: str) -> tuple[str, bool]:
    """``(input name, whether it is the previous year's value)`` for a name an expression reads."""
    if name.endswith(_PREVIOUS_SUFFIX):
        return name.removesuffix(_PREVIOUS_SUFFIX), True
    return name, False


MAX_DEPTH = 32

MAX_ROUND_DIGITS = 15
"""``round(x, n)`` takes |n| ≤ 15: CPython rounds an int to −n digits by computing 10**n,
so ``round(round(x), -10**15)`` would never return."""


def bounded_round(value: Any, digits: Any = None) -> Any:
    """``round`` with the number of digits bounded; otherwise exactly Python's."""
    if isinstance(digits, int) and not isinstance(digits, bool) and abs(digits) > MAX_ROUND_DIGITS:
        raise ArithmeticError(f"round to {digits!r} digits: at most {MAX_ROUND_DIGITS} either way")
    return round(value) if digits is None else round(value, digits)


FUNCTIONS: dict[str, Any] = {"min": min, "max": max, "abs": abs, "round": bounded_round}

MAX_EXPONENT = 64


def bounded_power(base: float, exponent: float) -> float:
    """``base ** exponent`` in floating point (so it overflows instead of growing), real."""
    if abs(exponent) > MAX_EXPONENT:
        raise ArithmeticError(f"exponent {exponent!r} is larger than {MAX_EXPONENT}")
    result: float | complex = float(base) ** exponent
    if isinstance(result, complex):  # (-8) ** 0.5
        raise ArithmeticError(f"{base!r} ** {exponent!r} is not a real number")
    return result


ARITY: dict[str, tuple[int, int]] = {
    "min": (1, MAX_LENGTH),
    "max": (1, MAX_LENGTH),
    "abs": (1, 1),
    "round": (1, 2),
}
"""How many arguments each function takes; ``min()`` would fail on every entity."""


_OPERATORS: dict[type, Any] = {
    ast.Add: op.add,
    ast.Sub: op.sub,
    ast.Mult: op.mul,
    ast.Div: op.truediv,
    ast.Pow: bounded_power,
    ast.USub: op.neg,
    ast.UAdd: op.pos,
    ast.Not: op.not_,
    ast.Eq: op.eq,
    ast.NotEq: op.ne,
    ast.Gt: op.gt,
    ast.GtE: op.ge,
    ast.Lt: op.lt,
    ast.LtE: op.le,
}

ALLOWED_NODES = (
    ast.Expression,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.UnaryOp,
    ast.BinOp,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    *_OPERATORS,
)


class ExpressionSyntaxError(ValueError):
    """Raised when an expression is not valid or uses something outside the whitelist."""


class EvaluationError(ValueError):
    """Raised when a checked expression cannot be evaluated on the given values."""


class DivisionByZeroError(EvaluationError):
    """Raised when an expression divides by an input that is zero."""


@dataclass(frozen=True)
class Expression:
    """A checked expression: its text, the names it reads, its tree and its closure."""

    text: str
    names: frozenset[str]
    tree: ast.expr
    run: Callable[[Mapping[str, Any]], Any]

    @cached_property
    def reads(self) -> tuple[tuple[str, str, int], ...]:
        """Each name it reads as ``(name, input, year offset)``: 0 this year, −1 the previous."""
        return tuple(
            (name, base, -1 if is_previous else 0)
            for name in sorted(self.names)
            for base, is_previous in [split_previous(name)]
        )

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        """The value of the expression on ``values`` (a value for every name it reads)."""
        try:
            return self.run(values)
        except ZeroDivisionError as exc:
            raise DivisionByZeroError("division by zero") from exc
        except (ArithmeticError, TypeError, KeyError, ValueError) as exc:
            raise EvaluationError(f"{type(exc).__name__}: {exc}") from exc

    def evaluate_reference(self, values: Mapping[str, Any]) -> Any:
        """The same value computed by simpleeval, the reference implementation."""
        evaluator = new_evaluator()
        evaluator.names = values
        try:
            return evaluator.eval(self.text, previously_parsed=self.tree)
        except ZeroDivisionError as exc:
            raise DivisionByZeroError("division by zero") from exc
        except (ArithmeticError, TypeError, ValueError, simpleeval.InvalidExpression) as exc:
            raise EvaluationError(str(exc)) from exc


class Evaluator(Protocol):
    """The part of simpleeval's ``SimpleEval`` used here."""

    names: Mapping[str, Any]

    def eval(self, expr: str, previously_parsed: ast.AST | None = None) -> Any: ...


def new_evaluator() -> Evaluator:
    """A simpleeval evaluator restricted to the whitelisted operators and functions."""
    evaluator: Evaluator = simpleeval.SimpleEval(
        operators=_OPERATORS, functions=FUNCTIONS, names={}
    )
    return evaluator


def compile_expression(text: str) -> Expression:
    """Parse ``text`` and check it against the whitelist.

    Raises:
        ExpressionSyntaxError: with a message naming the offending construct.
    """
    if len(text) > MAX_LENGTH:
        raise ExpressionSyntaxError(f"expression longer than {MAX_LENGTH} characters")
    if not text.isascii():
        # Python folds look-alikes (ｇｄｐ → gdp) in identifiers; refuse them instead.
        bad = next(c for c in text if not c.isascii())
        raise ExpressionSyntaxError(
            f"non-ASCII character {bad!r} (U+{ord(bad):04X}); "
            "write names and operators in plain ASCII"
        )
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionSyntaxError(f"invalid syntax: {exc.msg}") from exc
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ExpressionSyntaxError(f"expression cannot be parsed: {str(exc)[:80]}") from exc
    tree = _Rewriter().visit(tree)
    names: set[str] = set()
    _check(tree, names, depth=0)
    _check_constant_parts(tree.body)
    return Expression(
        text=text.strip(), names=frozenset(names), tree=tree.body, run=_closure(tree.body)
    )


def _check_constant_parts(node: ast.expr) -> None:
    """Refuse at load what would fail on any data: a part without names that cannot be
    computed (``round(1, 99)``, ``(-8) ** 0.5``), or a division by such a part that is 0."""
    if not _reads_names(node):
        try:
            _closure(node)({})
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise ExpressionSyntaxError(
                f"{ast.unparse(node)[:60]} cannot be computed ({type(exc).__name__}: {exc})"
            ) from exc
        return
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Div)
        and not _reads_names(node.right)
    ):
        _check_constant_parts(node.right)
        if _closure(node.right)({}) == 0:
            raise ExpressionSyntaxError(f"{ast.unparse(node)[:60]} divides by zero")
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.expr) and not (isinstance(node, ast.Call) and child is node.func):
            _check_constant_parts(child)


def _reads_names(node: ast.expr) -> bool:
    """Whether ``node`` reads an input (a called function's name is not an input)."""
    called = {id(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)}
    return any(isinstance(n, ast.Name) and id(n) not in called for n in ast.walk(node))


Kind = str
"""What an expression yields: ``"number"``, ``"boolean"`` or ``"mixed"`` (either, by case)."""


def kind_of(expression: Expression, boolean_names: frozenset[str]) -> Kind:
    """What ``expression`` yields when the names in ``boolean_names`` are yes/no facts and
    every other name is a number — known before any data is read."""
    return _kind(expression.tree, boolean_names)


def _kind(node: ast.expr, booleans: frozenset[str]) -> Kind:
    if isinstance(node, ast.Constant):
        return "boolean" if isinstance(node.value, bool) else "number"
    if isinstance(node, ast.Name):
        return "boolean" if node.id in booleans else "number"
    if isinstance(node, ast.Compare) or (
        isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)
    ):
        return "boolean"
    if isinstance(node, ast.BoolOp):
        kinds = {_kind(value, booleans) for value in node.values}
    elif isinstance(node, ast.IfExp):
        kinds = {_kind(node.body, booleans), _kind(node.orelse, booleans)}
    else:  # arithmetic and the functions
        return "number"
    return kinds.pop() if len(kinds) == 1 else "mixed"


Run = Callable[[Mapping[str, Any]], Any]


def _closure(node: ast.expr) -> Run:
    """A closure computing ``node``; only nodes the whitelist admits have one."""
    if isinstance(node, ast.Constant):
        constant = node.value
        return lambda env: constant
    if isinstance(node, ast.Name):
        name = node.id
        return lambda env: env[name]
    if isinstance(node, ast.UnaryOp):
        unary, operand = _OPERATORS[type(node.op)], _closure(node.operand)
        return lambda env: unary(operand(env))
    if isinstance(node, ast.BinOp):
        binary, left, right = _OPERATORS[type(node.op)], _closure(node.left), _closure(node.right)
        return lambda env: binary(left(env), right(env))
    if isinstance(node, ast.BoolOp):
        return _bool_op(isinstance(node.op, ast.And), [_closure(v) for v in node.values])
    if isinstance(node, ast.Compare):
        return _compare(
            _closure(node.left),
            [_OPERATORS[type(o)] for o in node.ops],
            [_closure(c) for c in node.comparators],
        )
    if isinstance(node, ast.IfExp):
        test, body, orelse = _closure(node.test), _closure(node.body), _closure(node.orelse)
        return lambda env: body(env) if test(env) else orelse(env)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        function, arguments = FUNCTIONS[node.func.id], [_closure(a) for a in node.args]
        return lambda env: function(*[argument(env) for argument in arguments])
    raise ExpressionSyntaxError(f"{type(node).__name__} is not allowed in an expression")


def _bool_op(is_and: bool, operands: list[Run]) -> Run:
    """``and``/``or`` with Python's semantics: the deciding operand's value."""

    def run(env: Mapping[str, Any]) -> Any:
        value: Any = None
        for operand in operands:
            value = operand(env)
            if bool(value) != is_and:
                return value
        return value

    return run


def _compare(left: Run, operators: list[Callable[[Any, Any], Any]], rights: list[Run]) -> Run:
    """A comparison chain: ``a < b <= c`` is ``a < b and b <= c``."""
    if len(operators) == 1:
        compare, right = operators[0], rights[0]
        return lambda env: compare(left(env), right(env))

    def run(env: Mapping[str, Any]) -> Any:
        current = left(env)
        for compare, right in zip(operators, rights, strict=True):
            following = right(env)
            if not compare(current, following):
                return False
            current = following
        return True

    return run


class _Rewriter(ast.NodeTransformer):
    """``previous.x`` → the name ``x@previous`` (any other attribute is left for the check);
    ``true``/``false`` (as in YAML) → the constants ``True``/``False``."""

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in _LITERALS:
            return ast.copy_location(ast.Constant(value=_LITERALS[node.id]), node)
        return node

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if (
            isinstance(node.value, ast.Name)
            and node.value.id == PREVIOUS
            and not node.attr.startswith("_")
        ):
            return ast.copy_location(ast.Name(id=previous_name(node.attr), ctx=ast.Load()), node)
        return self.generic_visit(node)


def _check(node: ast.AST, names: set[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ExpressionSyntaxError(f"expression nested deeper than {MAX_DEPTH} levels")
    if not isinstance(node, ALLOWED_NODES):
        raise ExpressionSyntaxError(f"{type(node).__name__} is not allowed in an expression")
    if isinstance(node, ast.Constant):
        value = node.value
        if not isinstance(value, int | float) or isinstance(value, complex):
            shown = repr(value)[:40]
            raise ExpressionSyntaxError(f"constant {shown} is not allowed; use numbers only")
        if not isinstance(value, bool) and not abs(value) <= MAX_LITERAL:
            raise ExpressionSyntaxError(f"number literal larger than {MAX_LITERAL:.0e}")
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise ExpressionSyntaxError(f"name {node.id!r} is not allowed")
        if node.id == PREVIOUS:
            raise ExpressionSyntaxError("write previous.NAME for last year's value of NAME")
        if node.id in FUNCTIONS:
            raise ExpressionSyntaxError(
                f"function {node.id!r} must be called, e.g. {node.id}(a, b)"
            )
        names.add(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        exponent = node.right
        if not (
            isinstance(exponent, ast.Constant)
            and isinstance(exponent.value, int | float)
            and not isinstance(exponent.value, bool)
            and abs(exponent.value) <= MAX_EXPONENT
        ):
            raise ExpressionSyntaxError(
                f"the exponent of ** must be a number from -{MAX_EXPONENT} to {MAX_EXPONENT}"
            )
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise ExpressionSyntaxError(
                f"only these functions may be called: {', '.join(sorted(FUNCTIONS))}"
            )
        if node.keywords:
            raise ExpressionSyntaxError("keyword arguments are not allowed")
        fewest, most = ARITY[node.func.id]
        if not fewest <= len(node.args) <= most:
            takes = (
                f"{fewest}"
                if fewest == most
                else f"{fewest} to {most}"
                if most < 9
                else (f"at least {fewest}")
            )
            raise ExpressionSyntaxError(
                f"{node.func.id}() takes {takes} arguments, not {len(node.args)}"
            )
        if node.func.id == "round" and len(node.args) == 2:
            digits = node.args[1]
            if isinstance(digits, ast.UnaryOp) and isinstance(digits.op, ast.USub):
                digits = digits.operand
            if not (
                isinstance(digits, ast.Constant)
                and type(digits.value) is int
                and digits.value <= MAX_ROUND_DIGITS
            ):
                raise ExpressionSyntaxError(
                    f"round(x, n): n must be a whole number from -{MAX_ROUND_DIGITS} to "
                    f"{MAX_ROUND_DIGITS}, written as a number"
                )
    for child in ast.iter_child_nodes(node):
        if isinstance(node, ast.Call) and child is node.func:
            continue
        _check(child, names, depth + 1)
