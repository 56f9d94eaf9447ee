"""Turn a validated :class:`~engine.model.CriteriaSet` into a ready-to-evaluate set.

Compilation checks everything that crosses references — groups, inputs, departments,
bundles, expressions — and reports every problem at once, each with the file, line and
item. After this step nothing about the criteria can fail while an entity is evaluated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from engine.criteria.expressions import (
    Expression,
    ExpressionSyntaxError,
    compile_expression,
    previous_name,
    split_previous,
)
from engine.criteria.model import AssignedTarget, Bundle, CriteriaSet, Group, Input, Item
from engine.errors import CriteriaError, Problem, did_you_mean


@dataclass(frozen=True)
class CompiledItem:
    """An item with its expressions parsed and the inputs it reads."""

    item: Item
    measure: Expression | None
    condition: Expression | None
    trend: Expression | None
    inputs: tuple[str, ...]
    """Inputs read for the assessed year, in declaration order."""
    previous_inputs: tuple[str, ...]
    """Inputs read for the previous year (by ``previous.NAME`` or by the trend)."""
    decimals: int

    @property
    def id(self) -> str:
        return self.item.id

    @cached_property
    def wanted(self) -> dict[tuple[bool, bool], list[tuple[str, str, bool]]]:
        """The names the item's expressions read, sorted, as ``(name, input, previous?)``:
        keyed by (value given directly, last year's trend value given directly)."""
        table = {}
        for direct in (False, True):
            for trend_direct in (False, True):
                names: set[str] = set()
                for expression in (None if direct else self.measure, self.condition):
                    if expression:
                        names |= expression.names
                if self.trend is not None:
                    names |= self.trend.names
                    if not trend_direct:
                        names |= {previous_name(name) for name in self.trend.names}
                table[direct, trend_direct] = [
                    (name, *split_previous(name)) for name in sorted(names)
                ]
        return table

    @cached_property
    def shared_lists(self) -> tuple[list[str], list[str], list[str], list[str]]:
        """inputs, previous inputs, responsible, cooperating: built once, shared by results."""
        item = self.item
        return (
            list(self.inputs),
            list(self.previous_inputs),
            list(item.responsible),
            list(item.cooperating),
        )

    @property
    def target_input(self) -> str | None:
        """The input holding the target assigned by the superior government, if any."""
        threshold = self.item.threshold
        return threshold.input if isinstance(threshold, AssignedTarget) else None


@dataclass(frozen=True)
class CompiledCriteria:
    """A criteria set ready to evaluate many entities."""

    spec: CriteriaSet
    path: Path
    items: tuple[CompiledItem, ...]
    groups: dict[str, Group]
    base: CompiledCriteria | None = None
    """The set this one extends, if any."""

    @property
    def id(self) -> str:
        return self.spec.id

    @cached_property
    def inputs(self) -> dict[str, Input]:
        return self.spec.inputs

    @property
    def bundles(self) -> list[Bundle]:
        return self.spec.bundles

    @cached_property
    def by_id(self) -> dict[str, CompiledItem]:
        return {compiled.id: compiled for compiled in self.items}

    def item(self, item_id: str) -> CompiledItem:
        return self.by_id[item_id]

    def readers_of(self, input_name: str) -> list[CompiledItem]:
        """The items that read ``input_name`` (this year or the previous)."""
        return [
            compiled
            for compiled in self.items
            if input_name in compiled.inputs or input_name in compiled.previous_inputs
        ]


LineAt = Callable[[Sequence[int | str]], int]
At = Callable[[str, str], None]


def compile_criteria(
    spec: CriteriaSet, path: Path, line_at: LineAt, base: CompiledCriteria | None = None
) -> CompiledCriteria:
    """Check cross-references and compile expressions.

    Args:
        spec: the validated file contents (for a derived set: the effective set).
        path: the file, for messages.
        line_at: gives the line of a location in the file, e.g. ``["items", 3]``.
        base: the compiled set ``spec`` extends, if any.

    Raises:
        CriteriaError: listing every problem found.
    """
    problems: list[Problem] = []

    def at_item(index: int, item: Item) -> At:
        where = f"{path}:{line_at(['items', index])} item {item.id} ({item.number})"
        return lambda zh, en: problems.append(Problem(where, zh, en))

    def at_top(location: Sequence[int | str], label: str) -> At:
        where = f"{path}:{line_at(location)} {label}"
        return lambda zh, en: problems.append(Problem(where, zh, en))

    _check_unique(spec, at_item, at_top)
    groups = {group.id: group for group in spec.groups}
    compiled_items = [
        _compile_item(spec, item, groups, at_item(index, item))
        for index, item in enumerate(spec.items)
    ]
    _check_bundles(spec, at_top)
    # Only on an otherwise clean set: a misspelt name in an expression would make its
    # intended input look unused, and one problem is enough to report.
    _check_rollups(spec, at_top)
    if not problems:
        read = {
            name
            for compiled in compiled_items
            for name in (*compiled.inputs, *compiled.previous_inputs)
        } | {declared.rollup.where for declared in spec.inputs.values() if declared.rollup}
        for name in spec.inputs:
            if name not in read:
                at_top(["inputs", name], f"input {name}")(
                    "已声明但没有任何条目使用；请删除或在条目中引用",
                    "is declared but no item reads it; remove it or use it in an item",
                )
    if problems:
        raise CriteriaError(problems)
    return CompiledCriteria(
        spec=spec, path=path, items=tuple(compiled_items), groups=groups, base=base
    )


def _compile_item(spec: CriteriaSet, item: Item, groups: dict[str, Group], at: At) -> CompiledItem:
    if item.group not in groups:
        zh_hint, en_hint = did_you_mean(item.group, groups)
        at(
            f"分组 {item.group!r} 未在 groups 中声明{zh_hint}",
            f"group {item.group!r} is not declared under groups{en_hint}",
        )
    _check_departments(spec, item, at)
    measure = _compile(item.measure, "measure", spec, at, numbers_only=True)
    condition = _compile(item.condition, "condition", spec, at, numbers_only=False)
    trend_text = item.trend.of or item.measure if item.trend else None
    trend = _compile(trend_text, "trend.of", spec, at, numbers_only=True)
    if trend and any(split_previous(name)[1] for name in trend.names):
        at(
            "trend.of 不能使用 previous.：趋势自动与上年比较",
            "trend.of must not use previous.: the trend compares with the previous year itself",
        )
    current: set[str] = set()
    previous: set[str] = set()
    for expression in (measure, condition, trend):
        for name in expression.names if expression else ():
            base, is_previous = split_previous(name)
            (previous if is_previous else current).add(base)
    if trend:
        previous |= {split_previous(name)[0] for name in trend.names}
    if isinstance(item.threshold, AssignedTarget):
        _check_target(spec, item.threshold.input, at)
        current.add(item.threshold.input)
    return CompiledItem(
        item=item,
        measure=measure,
        condition=condition,
        trend=trend,
        inputs=tuple(name for name in spec.inputs if name in current),
        previous_inputs=tuple(name for name in spec.inputs if name in previous),
        decimals=spec.decimals if item.decimals is None else item.decimals,
    )


def _check_unique(
    spec: CriteriaSet,
    at_item: Callable[[int, Item], At],
    at_top: Callable[[Sequence[int | str], str], At],
) -> None:
    seen_groups: set[str] = set()
    for index, group in enumerate(spec.groups):
        if group.id in seen_groups:
            at_top(["groups", index], f"group {group.id}")(
                f"重复的分组 id {group.id!r}", f"duplicate group id {group.id!r}"
            )
        seen_groups.add(group.id)
    seen_ids: set[str] = set()
    by_number: dict[str, list[Item]] = defaultdict(list)
    for index, item in enumerate(spec.items):
        at = at_item(index, item)
        if item.id in seen_ids:
            at(
                f"重复的条目 id {item.id!r}：每个只能出现一次",
                f"duplicate item id {item.id!r}: each must be unique",
            )
        if item.id in spec.inputs:
            at(
                f"条目 id 与输入项 {item.id!r} 同名；请改用不同的名称",
                f"item id is also the name of input {item.id!r}; rename one of them",
            )
        # One number may stand for different rules at different levels (e.g. 市 / 县).
        if any(_levels_overlap(item, other) for other in by_number[item.number]):
            at(
                f"重复的条目编号 {item.number!r}(适用层级重叠)",
                f"duplicate item number {item.number!r} for overlapping levels (applies_to)",
            )
        seen_ids.add(item.id)
        by_number[item.number].append(item)


def _levels_overlap(one: Item, other: Item) -> bool:
    if one.applies_to is None or other.applies_to is None:
        return True
    return bool(set(one.applies_to) & set(other.applies_to))


def _check_bundles(spec: CriteriaSet, at_top: Callable[[Sequence[int | str], str], At]) -> None:
    ids = {item.id for item in spec.items}
    owner: dict[str, str] = {}
    for index, bundle in enumerate(spec.bundles):
        at = at_top(["bundles", index], f"bundle {bundle.number}")
        for part in bundle.parts:
            if part not in ids:
                zh_hint, en_hint = did_you_mean(part, ids)
                at(
                    f"组成部分 {part!r} 不是条目 id{zh_hint}",
                    f"part {part!r} is not an item id{en_hint}",
                )
            elif part in owner:
                at(f"条目 {part!r} 已属于 {owner[part]}", f"item {part!r} already in {owner[part]}")
            owner.setdefault(part, bundle.number)


def _check_rollups(spec: CriteriaSet, at_top: Callable[[Sequence[int | str], str], At]) -> None:
    for name, declared in spec.inputs.items():
        rollup = declared.rollup
        if rollup is None:
            continue
        at = at_top(["inputs", name], f"input {name}")
        if declared.type != "number":
            at("rollup 只能用于数值输入(计数)", "a rollup counts: the input must be a number")
        fact = spec.inputs.get(rollup.where) if rollup.where else None
        if rollup.where and (fact is None or fact.type != "boolean"):
            at(
                f"rollup.where {rollup.where!r} 应为已声明的是/否输入项",
                f"rollup.where: {rollup.where!r} must be a declared yes/no input",
            )


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


def _check_target(spec: CriteriaSet, name: str, at: At) -> None:
    declared = spec.inputs.get(name)
    if declared is None:
        zh_hint, en_hint = did_you_mean(name, spec.inputs)
        at(
            f"threshold.input {name!r} 不是已声明的输入项{zh_hint}",
            f"threshold.input: {name!r} is not a declared input{en_hint}",
        )
    elif declared.type != "number":
        at(f"threshold.input {name!r} 应为数值输入", f"threshold.input: {name!r} must be a number")


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
        base, _ = split_previous(name)
        declared = spec.inputs.get(base)
        if declared is None:
            zh_hint, en_hint = did_you_mean(base, spec.inputs)
            at(
                f"{field} 中的名称 {base!r} 不是已声明的输入项{zh_hint}",
                f"{field}: name {base!r} is not a declared input{en_hint}",
            )
        elif numbers_only and declared.type != "number":
            at(
                f"{field} 只能读取数值输入，{base!r} 是 {declared.type}",
                f"a {field} reads numbers only, but {base!r} is a {declared.type}; "
                "move it to the item's condition",
            )
    return expression
