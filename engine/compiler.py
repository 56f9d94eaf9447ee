"""Turn a validated :class:`~engine.model.CriteriaSet` into a ready-to-evaluate set.

Compilation checks everything that crosses references — groups, inputs, departments,
expressions — and reports every problem at once, each with the file, line and item.
After this step nothing about the criteria can fail while an entity is evaluated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from engine.errors import CriteriaError, Problem, did_you_mean
from engine.expressions import Expression, ExpressionSyntaxError, compile_expression
from engine.model import CriteriaSet, Group, Input, Item


@dataclass(frozen=True)
class CompiledItem:
    """An item with its expressions parsed and the inputs it reads."""

    item: Item
    measure: Expression | None
    condition: Expression | None
    inputs: tuple[str, ...]
    decimals: int

    @property
    def id(self) -> str:
        return self.item.id


@dataclass(frozen=True)
class CompiledCriteria:
    """A criteria set ready to evaluate many entities."""

    spec: CriteriaSet
    path: Path
    items: tuple[CompiledItem, ...]
    groups: dict[str, Group]

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def inputs(self) -> dict[str, Input]:
        return self.spec.inputs

    def item(self, item_id: str) -> CompiledItem:
        return next(compiled for compiled in self.items if compiled.id == item_id)

    def readers_of(self, input_name: str) -> list[CompiledItem]:
        """The items that read ``input_name``."""
        return [compiled for compiled in self.items if input_name in compiled.inputs]


LineAt = Callable[[Sequence[int | str]], int]


def compile_criteria(spec: CriteriaSet, path: Path, line_at: LineAt) -> CompiledCriteria:
    """Check cross-references and compile expressions.

    Args:
        spec: the validated file contents.
        path: the file, for messages.
        line_at: gives the line of a location in the file, e.g. ``["items", 3]``.

    Raises:
        CriteriaError: listing every problem found.
    """
    problems: list[Problem] = []

    def report(index: int | None, label: str, zh: str, en: str) -> None:
        where = f"{path}:{line_at([] if index is None else ['items', index])}"
        where += f" {label}" if label else ""
        problems.append(Problem(where, zh, en))

    _check_unique(spec, report)
    compiled_items: list[CompiledItem] = []
    groups = {group.id: group for group in spec.groups}
    for index, item in enumerate(spec.items):
        label = f"item {item.id} ({item.number})"

        def at(zh: str, en: str, index: int = index, label: str = label) -> None:
            report(index, label, zh, en)

        if item.group not in groups:
            zh_hint, en_hint = did_you_mean(item.group, groups)
            at(
                f"分组 {item.group!r} 未在 groups 中声明{zh_hint}",
                f"group {item.group!r} is not declared under groups{en_hint}",
            )
        _check_departments(spec, item, at)
        measure = _compile(item.measure, "measure", spec, at, numbers_only=True)
        condition = _compile(item.condition, "condition", spec, at, numbers_only=False)
        names = (measure.names if measure else frozenset()) | (
            condition.names if condition else frozenset()
        )
        compiled_items.append(
            CompiledItem(
                item=item,
                measure=measure,
                condition=condition,
                inputs=tuple(name for name in spec.inputs if name in names),
                decimals=spec.decimals if item.decimals is None else item.decimals,
            )
        )

    # Only on an otherwise clean set: a misspelt name in an expression would make its
    # intended input look unused, and one problem is enough to report.
    read = {name for compiled in compiled_items for name in compiled.inputs}
    for name in spec.inputs:
        if name not in read and not problems:
            problems.append(
                Problem(
                    f"{path}:{line_at(['inputs', name])} input {name}",
                    "已声明但没有任何条目使用；请删除或在条目中引用",
                    "is declared but no item reads it; remove it or use it in an item",
                )
            )
    if problems:
        raise CriteriaError(problems)
    return CompiledCriteria(spec=spec, path=path, items=tuple(compiled_items), groups=groups)


Report = Callable[[int | None, str, str, str], None]
At = Callable[[str, str], None]


def _check_unique(spec: CriteriaSet, report: Report) -> None:
    for label, values in (
        ("group id", [group.id for group in spec.groups]),
        ("item id", [item.id for item in spec.items]),
        ("item number", [item.number for item in spec.items]),
    ):
        for value, count in Counter(values).items():
            if count > 1:
                index = None if label == "group id" else _first(spec, label, value)
                report(
                    index,
                    "",
                    f"重复的{label} {value!r}:每个只能出现一次",
                    f"duplicate {label} {value!r}: each must be unique",
                )
    for index, item in enumerate(spec.items):
        if item.id in spec.inputs:
            report(
                index,
                f"item {item.id}",
                f"条目 id 与输入项 {item.id!r} 同名；请改用不同的名称",
                f"item id is also the name of input {item.id!r}; rename one of them",
            )


def _first(spec: CriteriaSet, label: str, value: str) -> int:
    field = "id" if label == "item id" else "number"
    indexes = [i for i, item in enumerate(spec.items) if getattr(item, field) == value]
    return indexes[1]


def _check_departments(spec: CriteriaSet, item: Item, at: At) -> None:
    if spec.departments is None:
        return
    for department in (*item.responsible, *item.cooperating):
        if department not in spec.departments:
            zh_hint, en_hint = did_you_mean(department, spec.departments)
            at(
                f"部门 {department!r} 未在 departments 中列出{zh_hint}",
                f"department {department!r} is not listed under departments{en_hint}",
            )


def _compile(
    text: str | None, field: str, spec: CriteriaSet, at: At, *, numbers_only: bool
) -> Expression | None:
    if text is None:
        return None
    try:
        expression = compile_expression(text)
    except ExpressionSyntaxError as exc:
        at(f"{field} 表达式 {text!r} 不可用: {exc}", f"{field} {text!r} is not allowed: {exc}")
        return None
    for name in sorted(expression.names):
        declared = spec.inputs.get(name)
        if declared is None:
            zh_hint, en_hint = did_you_mean(name, spec.inputs)
            at(
                f"{field} 中的名称 {name!r} 不是已声明的输入项{zh_hint}",
                f"{field}: name {name!r} is not a declared input{en_hint}",
            )
        elif numbers_only and declared.type != "number":
            at(
                f"measure 只能读取数值输入，{name!r} 是 {declared.type}",
                f"a measure reads numbers only, but {name!r} is a {declared.type}; "
                "move it to the item's condition",
            )
    return expression
