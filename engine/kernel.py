"""A criteria set compiled, for one entity profile, into one Python function: the kernel.

The summary matrix of a batch needs each item's status and value for thousands of entities.
The kernel decides the common case — an item whose inputs are present and plainly typed,
away from a rounding tie — in straight-line code; for anything else it leaves the cell empty
and the full evaluator decides that item (see :mod:`engine.matrix`). Entities of the same
profile (level, region, terrain, coastal, city size) share one kernel, so applicability and
thresholds by profile are settled when it is built.

Why running generated code is safe here (see also ``docs/security.md``):

* Every expression was parsed and checked against the whitelist when the criteria were loaded
  (:mod:`engine.expressions`); hostile text never gets this far.
* The kernel's source is not assembled from the criteria's text. Each expression tree is
  rebuilt by :class:`_Rewrite`, which accepts only whitelisted node types (refusing anything
  else a second time), replaces every name by a variable the builder made up (``i3``, ``p3``)
  and every function by a fixed one (``_min``), and keeps only numeric constants. The rest of
  the source is written here, with numbers as ``repr(float)``. No name, id, unit or other
  string from a criteria file appears in the source (a test checks this).
* The function runs without builtins: its globals are the few helpers listed in
  :func:`_namespace`.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Sequence
from typing import Any

from engine.coercion import coerce
from engine.compiler import CompiledCriteria, CompiledItem
from engine.data import Entity
from engine.evaluator import match_profile
from engine.expressions import (
    ALLOWED_NODES,
    FUNCTIONS,
    ExpressionSyntaxError,
    bounded_power,
    previous_name,
    split_previous,
)
from engine.model import AssignedTarget
from engine.results import Finding, Status

Cell = tuple[Status, float | bool | None]
Kernel = Callable[[Sequence[Any], Sequence[Any]], list[Cell | None]]
"""(this year's raw values in the set's input order, last year's in the order of
:func:`previous_inputs`) → a cell per item, or ``None`` where the full evaluator must decide."""

_COMPARISONS = {">=": ">=", ">": ">", "<=": "<=", "<": "<", "==": "=="}
_TIE_MARGIN = 1e-3
_LARGEST_SCALED = 1e9


def previous_inputs(criteria: CompiledCriteria) -> list[str]:
    """The inputs any item reads for the previous year, in the set's input order."""
    read = {name for compiled in criteria.items for name in compiled.previous_inputs}
    return [name for name in criteria.inputs if name in read]


def build_kernel(criteria: CompiledCriteria, entity: Entity) -> Kernel:
    """The kernel of ``criteria`` for entities with ``entity``'s profile."""
    builder = _Builder(criteria, entity)
    source = builder.source()
    code = compile(source, f"<ecoassess kernel {len(criteria.items)} items>", "exec")
    namespace = _namespace(criteria, builder.initial)
    exec(code, namespace)
    kernel: Kernel = namespace["kernel"]
    return kernel


class _Builder:
    """Writes the kernel's source for one profile."""

    def __init__(self, criteria: CompiledCriteria, entity: Entity) -> None:
        self.criteria = criteria
        self.entity = entity
        self.index = {name: number for number, name in enumerate(criteria.inputs)}
        self.declared = list(criteria.inputs.values())
        self.initial: list[Cell | None] = [None] * len(criteria.items)
        self.lines: list[str] = []
        self.used: set[str] = set()

    def source(self) -> str:
        body: list[str] = []
        for position, compiled in enumerate(self.criteria.items):
            self.lines = []
            self._item(position, compiled)
            body += self.lines
        count = len(self.criteria.inputs)
        current = "".join(f"i{n}, " for n in range(count))
        previous = "".join(f"p{self.index[name]}, " for name in previous_inputs(self.criteria))
        # The helpers become default arguments: local variables are the fastest to read.
        helpers = ", ".join(f"{name}={name}" for name in _HELPERS)
        head = [f"def kernel(now, last, {helpers}):", "    cells = _list(_initial)"]
        if current:
            head.append(f"    {current}= now")
        if previous:
            head.append(f"    {previous}= last")
        head += self._normalise()
        return "\n".join([*head, *body, "    return cells", ""])

    def _normalise(self) -> list[str]:
        """Each variable used, as its input's declared type — or ``None`` (missing), or
        ``_BAD`` (unusable: the full evaluator reports it). Plain values are checked inline."""
        lines = []
        for variable in sorted(self.used, key=lambda v: (v[0], int(v[1:]))):
            declared = self.declared[int(variable[1:])]
            if declared.type == "boolean":
                lines.append(
                    f"    if {variable}.__class__ is not _bool and {variable} is not None:"
                )
            else:
                plain = f"{variable}.__class__ is _float"
                low, high = declared.minimum, declared.maximum
                if low is not None and high is not None:
                    plain += f" and {float(low)!r} <= {variable} <= {float(high)!r}"
                elif low is not None:
                    plain += f" and {float(low)!r} <= {variable}"
                elif high is not None:
                    plain += f" and {variable} <= {float(high)!r}"
                if declared.unit == "%":
                    plain += f" and not 0.0 < {variable} <= 1.0"
                lines.append(f"    if {variable} is not None and not ({plain}):")
            lines.append(f"        {variable} = _slow({int(variable[1:])}, {variable})")
        return lines

    def _variable(self, name: str) -> str:
        base, is_previous = split_previous(name)
        variable = f"{'p' if is_previous else 'i'}{self.index[base]}"
        self.used.add(variable)
        return variable

    def _item(self, position: int, compiled: CompiledItem) -> None:
        item = compiled.item
        entity = self.entity
        if item.applies_to is not None and entity.level not in item.applies_to:
            self.initial[position] = ("not_applicable", None)
            return
        if item.applies_when is not None:
            matched, _ = match_profile(item.applies_when, entity)
            if matched is False:
                self.initial[position] = ("not_applicable", None)
                return
            if matched is None:
                return  # a profile key is unknown: the full evaluator says which
        if item.trend is not None and compiled.trend is None:
            return
        threshold = self._threshold(compiled)
        if threshold is None and item.operator and compiled.measure is not None:
            return
        needed = [self._variable(name) for name, _, _ in compiled.wanted[False, False]]
        if isinstance(item.threshold, AssignedTarget):
            needed.append(threshold or "")
        plain = " and ".join(f"{v} is not None and {v} is not _BAD" for v in needed) or "True"
        unknown = " and ".join(f"{v} is not _BAD" for v in needed)
        self._emit(1, f"if {plain}:")
        self._emit(2, "try:")
        self._judge(position, compiled, threshold)
        self._emit(2, "except _Exception:")
        self._emit(3, "pass")
        if needed:
            self._emit(1, f"elif {unknown}:")
            self._emit(2, f"cells[{position}] = _MISSING")

    def _threshold(self, compiled: CompiledItem) -> str | None:
        item = compiled.item
        if isinstance(item.threshold, float | int):
            return repr(float(item.threshold))
        if isinstance(item.threshold, AssignedTarget):
            return self._variable(item.threshold.input)
        for variant in item.thresholds or []:
            matched, _ = match_profile(variant.when, self.entity)
            if matched is None:
                return None
            if matched:
                return repr(float(variant.value))
        return None

    def _judge(self, position: int, compiled: CompiledItem, threshold: str | None) -> None:
        """Nested checks, one level each; the cell is set only where every check decided.

        A check that cannot decide (a value not a finite number, near a tie, out of range; a
        condition that is not true/false) leaves the cell to the full evaluator."""
        item = compiled.item
        depth = 3
        passed: list[str] = []
        value = "None"
        if compiled.measure is not None:
            self._emit(depth, f"r = {self._expression(compiled.measure.tree)}")
            depth = self._rounded(depth, "r", "x", compiled)
            value = "x"
            if item.operator and threshold is not None:
                passed.append(f"x {_COMPARISONS[item.operator]} {threshold}")
        if compiled.condition is not None:
            self._emit(depth, f"h = {self._expression(compiled.condition.tree)}")
            self._emit(depth, "if h.__class__ is _bool:")
            depth += 1
            passed.append("h")
            if compiled.measure is None and compiled.trend is None:
                value = "h"
        if compiled.trend is not None and item.trend is not None:
            if item.trend.of is None and compiled.measure is not None:
                self._emit(depth, "t = x")
            else:
                self._emit(depth, f"r = {self._expression(compiled.trend.tree)}")
                depth = self._rounded(depth, "r", "t", compiled)
            self._emit(depth, f"r = {self._expression(compiled.trend.tree, previous=True)}")
            depth = self._rounded(depth, "r", "b", compiled)
            passed.append("t >= b" if item.trend.better == "higher" else "t <= b")
        verdict = " and ".join(f"({check})" for check in passed) or "True"
        self._emit(depth, f"cells[{position}] = (_PASS if {verdict} else _FAIL, {value})")

    def _rounded(self, depth: int, raw: str, rounded: str, compiled: CompiledItem) -> int:
        """Emit ``rounded = raw`` rounded half-up at the item's precision, under checks that
        leave the cell to the full evaluator when ``raw`` is not a finite number, is outside
        the item's range, is huge, or is within 1/1000 of the last decimal of a tie.

        Away from a tie, half-up rounding of the shortest repr (what
        :func:`engine.comparison.rounded` does) and of ``s = raw * 10**decimals`` give the
        same whole number k: s is off the exact value by far less than the margin (|s| < 1e9,
        so its error is under 1e-6). k and 10**decimals (decimals ≤ 6) are exact floats, so
        ``k / 10**decimals`` is the float nearest to the decimal k·10**-decimals — the float
        the full evaluator makes of its rounded decimal, and what ``round`` returns; and two
        decimals of so few digits are never the same float, so comparing the rounded floats
        agrees with the full evaluator's decimal comparison. Returns the depth below the
        checks."""
        item = compiled.item
        scale = 10.0**compiled.decimals
        bounds = "".join(
            [
                "" if item.minimum is None else f" and {raw} >= {float(item.minimum)!r}",
                "" if item.maximum is None else f" and {raw} <= {float(item.maximum)!r}",
            ]
        )
        self._emit(depth, f"if {raw}.__class__ is _int:")
        self._emit(depth + 1, f"{raw} = _float({raw})")
        self._emit(depth, f"if {raw}.__class__ is _float:")
        self._emit(depth + 1, f"s = {raw} * {scale!r}")
        low, high = 0.5 - _TIE_MARGIN, 0.5 + _TIE_MARGIN
        self._emit(
            depth + 1,
            f"if {-_LARGEST_SCALED!r} < s < {_LARGEST_SCALED!r}{bounds}"
            f" and not {low!r} < s % 1.0 < {high!r}:",
        )
        # s rounded half-up, over the scale: see the docstring; a zero takes its sign from
        # round() (-0.001 rounds to -0.0).
        self._emit(
            depth + 2,
            f"{rounded} = (s + 0.5) // 1.0 / {scale!r} or _round({raw}, {compiled.decimals})",
        )
        return depth + 2

    def _expression(self, tree: ast.expr, previous: bool = False) -> str:
        rewritten = _Rewrite(self, previous).visit(_copy(tree))
        return f"({ast.unparse(rewritten)})"

    def _emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)


def _number(value: float | None) -> str:
    return "None" if value is None else repr(float(value))


def _copy(tree: ast.expr) -> ast.expr:
    """A copy to rewrite: the compiled expression's own tree stays as it is."""
    return copy.deepcopy(tree)


class _Rewrite(ast.NodeTransformer):
    """A checked expression tree with the builder's variables for names and fixed helpers
    for functions; any node outside the whitelist is refused."""

    def __init__(self, builder: _Builder, previous: bool) -> None:
        self.builder = builder
        self.previous = previous

    def visit(self, node: ast.AST) -> Any:
        if not isinstance(node, ALLOWED_NODES):
            raise ExpressionSyntaxError(f"{type(node).__name__} is not allowed in an expression")
        return super().visit(node)

    def visit_Name(self, node: ast.Name) -> ast.Name:
        name = node.id
        if self.previous:
            name = previous_name(split_previous(name)[0])
        return ast.Name(id=self.builder._variable(name), ctx=ast.Load())

    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        if node.value.__class__ not in (int, float, bool):
            raise ExpressionSyntaxError("only numbers may be written in an expression")
        return node

    def visit_Call(self, node: ast.Call) -> ast.Call:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
            raise ExpressionSyntaxError("only min, max, abs and round may be called")
        arguments = [self.visit(argument) for argument in node.args]
        return ast.Call(
            func=ast.Name(id=f"_{node.func.id}", ctx=ast.Load()), args=arguments, keywords=[]
        )

    def visit_BinOp(self, node: ast.BinOp) -> ast.expr:
        if not isinstance(node.op, ALLOWED_NODES):
            raise ExpressionSyntaxError(f"{type(node.op).__name__} is not allowed")
        left, right = self.visit(node.left), self.visit(node.right)
        if isinstance(node.op, ast.Pow):
            return ast.Call(
                func=ast.Name(id="_pow", ctx=ast.Load()), args=[left, right], keywords=[]
            )
        return ast.BinOp(left=left, op=node.op, right=right)


class _Bad:
    """A value the kernel cannot use (unreadable, out of range …): the full evaluator says why."""


_BAD = _Bad()
_HELPERS = (
    "_list", "_initial", "_float", "_int", "_bool", "_BAD", "_Exception", "_MISSING", "_PASS",
    "_FAIL", "_slow", "_round", "_pow", "_min", "_max", "_abs",
)  # fmt: skip


def _namespace(criteria: CompiledCriteria, initial: list[Cell | None]) -> dict[str, Any]:
    declared = list(criteria.inputs.items())

    def slow(number: int, raw: Any) -> float | bool | _Bad | None:
        name, input_ = declared[number]
        value, _ = coerce(name, input_, raw)
        if isinstance(value, Finding):
            return None if value.code == "missing" else _BAD
        return value

    return {
        "__builtins__": {},
        "_list": list,
        "_initial": tuple(initial),
        "_float": float,
        "_bool": bool,
        "_BAD": _BAD,
        "_Exception": Exception,
        "_MISSING": ("missing", None),
        "_int": int,
        "_PASS": "pass",
        "_FAIL": "fail",
        "_pow": bounded_power,
        "_slow": slow,
        **{f"_{name}": function for name, function in FUNCTIONS.items()},
    }


__all__ = ["Cell", "Kernel", "build_kernel", "previous_inputs"]
