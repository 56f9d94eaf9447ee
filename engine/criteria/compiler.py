"""Turn a validated :class:`~engine.model.CriteriaSet` into a ready-to-evaluate set.

Compilation checks everything that crosses references — groups, inputs, departments,
bundles, expressions — and reports every problem at once, each with the file, line and
item. After this step nothing about the criteria can fail while an entity is evaluated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from engine.criteria.expressions import (
    Expression,
    ExpressionSyntaxError,
    compile_expression,
    kind_of,
    split_previous,
)
from engine.criteria.judging import CURRENT, PREVIOUS
from engine.criteria.model import (
    AssignedTarget,
    Bundle,
    CriteriaSet,
    Group,
    Input,
    Item,
    Variant,
)
from engine.criteria.model import Rule as RuleSpec
from engine.criteria.rules import (
    AllOf,
    AnyOf,
    AtLeast,
    Change,
    Classic,
    Facts,
    Range,
    Rule,
    Threshold,
    Trend,
)
from engine.errors import CriteriaError, Problem, Suggestions


@dataclass(frozen=True)
class CompiledItem:
    """An item with its expressions parsed and the inputs it reads."""

    item: Item
    measure: Expression | None
    condition: Expression | None
    """The first yes/no condition of the rule (``facts``), if any."""
    trend: Expression | None
    """What the first trend of the rule follows (its ``of``, else the measure), if any."""
    inputs: tuple[str, ...]
    """Inputs read for the assessed year, in declaration order."""
    previous_inputs: tuple[str, ...]
    """Inputs read for the previous year (by ``previous.NAME`` or by the trend)."""
    decimals: int
    rule: Rule
    """What the item requires, as a tree of rule shapes (:mod:`engine.criteria.rules`)."""
    base_years: tuple[int, ...] = ()
    """Fixed base years a ``change`` rule compares with (their values come from history)."""

    @property
    def id(self) -> str:
        return self.item.id

    @cached_property
    def shared_lists(self) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
        """inputs, previous inputs, lead, responsible, cooperating: built once, shared by
        results."""
        item = self.item
        return (
            list(self.inputs),
            list(self.previous_inputs),
            list(item.lead),
            list(item.responsible),
            list(item.cooperating),
        )

    @cached_property
    def better(self) -> Literal["higher", "lower"] | None:
        """The better direction of the rule's first trend, if any."""
        return next((leaf.better for leaf in self.rule.leaves() if isinstance(leaf, Trend)), None)

    @property
    def target_input(self) -> str | None:
        """The input holding the target assigned by the superior government, if any."""
        for leaf in self.rule.leaves():
            if isinstance(leaf, Threshold) and isinstance(leaf.limit, AssignedTarget):
                return leaf.limit.input
        return None


@dataclass(frozen=True)
class CompiledCriteria:
    """A criteria set ready to evaluate many entities."""

    spec: CriteriaSet
    path: Path
    items: tuple[CompiledItem, ...]
    groups: dict[str, Group]
    base: CompiledCriteria | None = None
    """The set this one extends, if any."""
    settled: dict[tuple[Any, ...], Any] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
    """What evaluation settles once per item and entity profile (applicability), kept."""
    also_known: frozenset[str] = field(default=frozenset(), compare=False, hash=False)
    """Inputs and items of the other sets a data file is checked against at the same time
    (``check --criteria A --criteria B``): a reader for this set passes over them, where a
    key no set knows is still an error."""

    @property
    def id(self) -> str:
        return self.spec.id

    def alongside(self, others: Sequence[CompiledCriteria]) -> CompiledCriteria:
        """This set, reading a data file that is also checked against ``others``."""
        own = {*self.inputs, *(item.id for item in self.items)}
        theirs = {key for other in others for key in (*other.inputs, *other.by_id)}
        return replace(self, also_known=frozenset(theirs - own), settled={})

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
    suggest = Suggestions()

    def at_item(index: int, item: Item) -> At:
        where = f"{path}:{line_at(['items', index])} item {item.id} ({item.number})"
        return lambda zh, en: problems.append(Problem(where, zh, en))

    def at_top(location: Sequence[int | str], label: str) -> At:
        where = f"{path}:{line_at(location)} {label}"
        return lambda zh, en: problems.append(Problem(where, zh, en))

    _check_unique(spec, at_item, at_top)
    groups = {group.id: group for group in spec.groups}
    compiled_items = [
        _compile_item(spec, item, groups, at_item(index, item), suggest)
        for index, item in enumerate(spec.items)
    ]
    _check_bundles(spec, at_top, suggest)
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


def _compile_item(
    spec: CriteriaSet, item: Item, groups: dict[str, Group], at: At, suggest: Suggestions
) -> CompiledItem:
    if item.group not in groups:
        zh_hint, en_hint = suggest(item.group, groups)
        at(
            f"分组 {item.group!r} 未在 groups 中声明{zh_hint}",
            f"group {item.group!r} is not declared under groups{en_hint}",
        )
    _check_departments(spec, item, at, suggest)
    measure = _compile(item.measure, "measure", spec, at, suggest, numbers_only=True)

    def compile_text(text: str | None, field: str) -> Expression | None:
        numbers_only = not (field == "condition" or field.endswith("facts"))
        return _compile(text, field, spec, at, suggest, numbers_only=numbers_only)

    def booleans(condition: Expression) -> tuple[str, ...]:
        return tuple(sorted(_boolean_names(condition, spec)))

    rule = build_rule(item, compile_text, booleans)
    current: set[str] = set()
    previous: set[str] = set()
    base_years: set[int] = set()
    condition = trend = None
    for leaf in rule.leaves():
        if isinstance(leaf, Facts) and condition is None:
            condition = leaf.condition
        if isinstance(leaf, Trend):
            if leaf.of is not None and any(split_previous(n)[1] for n in leaf.of.names):
                at(
                    "trend.of 不能使用 previous.：趋势自动与上年比较",
                    "trend.of must not use previous.: the trend compares with the previous "
                    "year itself",
                )
            if trend is None:
                trend = leaf.of or measure
        if isinstance(leaf, Change) and leaf.year not in (CURRENT, PREVIOUS):
            base_years.add(leaf.year)
        if isinstance(leaf, Threshold) and isinstance(leaf.limit, AssignedTarget):
            _check_target(spec, leaf.limit.input, at, suggest)
            current.add(leaf.limit.input)
        for expression, year in leaf.expressions():
            if expression is None and measure is None and item.measure is None:
                at(
                    f"规则 {leaf.shape} 需要条目的 measure(或在规则中给出 measure)",
                    f"rule {leaf.shape} compares the item's measure: give the item a measure "
                    "(or the rule its own)",
                )
            used = measure if expression is None else expression
            for name in used.names if used else ():
                base, is_previous = split_previous(name)
                if year == CURRENT:
                    (previous if is_previous else current).add(base)
                elif year == PREVIOUS and not is_previous:
                    previous.add(base)
    return CompiledItem(
        item=item,
        measure=measure,
        condition=condition,
        trend=trend,
        inputs=tuple(name for name in spec.inputs if name in current),
        previous_inputs=tuple(name for name in spec.inputs if name in previous),
        decimals=spec.decimals if item.decimals is None else item.decimals,
        rule=rule,
        base_years=tuple(sorted(base_years)),
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


def _check_bundles(
    spec: CriteriaSet, at_top: Callable[[Sequence[int | str], str], At], suggest: Suggestions
) -> None:
    ids = {item.id for item in spec.items}
    owner: dict[str, str] = {}
    for index, bundle in enumerate(spec.bundles):
        at = at_top(["bundles", index], f"bundle {bundle.number}")
        for part in bundle.parts:
            if part not in ids:
                zh_hint, en_hint = suggest(part, ids)
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


def _check_departments(spec: CriteriaSet, item: Item, at: At, suggest: Suggestions) -> None:
    if spec.departments is None:
        return
    for department in (*item.lead, *item.responsible, *item.cooperating):
        if department not in spec.departments:
            zh_hint, en_hint = suggest(department, spec.departments)
            at(
                f"部门 {department!r} 未在 departments 中列出{zh_hint}",
                f"department {department!r} is not listed under departments{en_hint}",
            )


def _check_target(spec: CriteriaSet, name: str, at: At, suggest: Suggestions) -> None:
    declared = spec.inputs.get(name)
    if declared is None:
        zh_hint, en_hint = suggest(name, spec.inputs)
        at(
            f"threshold.input {name!r} 不是已声明的输入项{zh_hint}",
            f"threshold.input: {name!r} is not a declared input{en_hint}",
        )
    elif declared.type != "number":
        at(f"threshold.input {name!r} 应为数值输入", f"threshold.input: {name!r} must be a number")


def _compile(
    text: str | None,
    field: str,
    spec: CriteriaSet,
    at: At,
    suggest: Suggestions,
    *,
    numbers_only: bool,
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
            zh_hint, en_hint = suggest(base, spec.inputs)
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
    kind = kind_of(expression, _boolean_names(expression, spec))
    if numbers_only and kind != "number":
        at(
            f"{field} 应计算出一个数值，{text!r} 得到的是“是/否”；比较请写在阈值或条件中",
            f"a {field} must compute a number, but {text!r} is true/false; put the comparison "
            "in the threshold or the condition",
        )
    elif not numbers_only and kind != "boolean":
        at(
            f"{field} 应为“是/否”，{text!r} 得到的是数值；请写出比较，例如 {text} >= 1",
            f"a {field} must be true or false, but {text!r} computes a number; write the "
            f"comparison, e.g. {text} >= 1",
        )
    return expression


def _boolean_names(expression: Expression, spec: CriteriaSet) -> frozenset[str]:
    """The names ``expression`` reads that are declared yes/no facts."""
    return frozenset(
        name
        for name in expression.names
        if (declared := spec.inputs.get(split_previous(name)[0])) is not None
        and declared.type == "boolean"
    )


Compile = Callable[[str | None, str], Expression | None]
"""Compiles an expression of the item (text, field name for messages); ``None`` for none."""


def build_rule(
    item: Item, compile_text: Compile, booleans: Callable[[Expression], tuple[str, ...]]
) -> Rule:
    """The item's rule tree: its ``rule``, or the classic fields as ``all_of`` of their parts."""
    if item.rule is not None:
        return _built(item.rule, "rule", compile_text, booleans)
    parts: list[Rule] = []
    if item.operator is not None:
        limit: float | AssignedTarget | tuple[Variant, ...]
        if item.thresholds is not None:
            limit = tuple(item.thresholds)
        else:
            assert item.threshold is not None
            limit = item.threshold
        parts.append(Threshold(item.operator, limit))
    if item.condition is not None:
        condition = compile_text(item.condition, "condition")
        if condition is not None:
            parts.append(Facts(condition, booleans(condition)))
    if item.trend is not None:
        parts.append(Trend(item.trend.better, compile_text(item.trend.of, "trend.of")))
    return parts[0] if len(parts) == 1 else Classic(tuple(parts))


def rule_tree(item: Item) -> Rule:
    """The rule tree of an item of a set that compiled (for wording an item on its own)."""
    return build_rule(
        item, lambda text, _field: compile_expression(text) if text else None, lambda _c: ()
    )


def _built(
    spec: RuleSpec,
    where: str,
    compile_text: Compile,
    booleans: Callable[[Expression], tuple[str, ...]],
) -> Rule:
    label = spec.label
    if spec.threshold is not None:
        rule = spec.threshold
        limit: float | AssignedTarget | tuple[Variant, ...]
        limit = tuple(rule.values) if rule.values is not None else rule.value  # type: ignore[assignment]
        return Threshold(
            rule.operator, limit, compile_text(rule.measure, f"{where}.threshold.measure"), label
        )
    if spec.range is not None:
        return Range(
            spec.range.low,
            spec.range.high,
            compile_text(spec.range.measure, f"{where}.range.measure"),
            label,
        )
    if spec.trend is not None:
        return Trend(
            spec.trend.better,
            compile_text(spec.trend.of, f"{where}.trend.of"),
            spec.trend.strict,
            label,
        )
    if spec.change is not None:
        change = spec.change
        return Change(
            change.base_year,
            change.operator,
            change.value,
            change.relative,
            compile_text(change.measure, f"{where}.change.measure"),
            label,
        )
    if spec.facts is not None:
        # A condition that does not compile is reported, and the set is not used: any stand-in.
        condition = compile_text(spec.facts, f"{where}.facts") or compile_expression("False")
        return Facts(condition, booleans(condition), label)
    if spec.at_least is not None:
        parts = tuple(
            _built(part, f"{where}.at_least.of[{n}]", compile_text, booleans)
            for n, part in enumerate(spec.at_least.of)
        )
        return AtLeast(spec.at_least.count, parts, label)
    listed = spec.all_of if spec.all_of is not None else spec.any_of
    assert listed is not None
    kind = "all_of" if spec.all_of is not None else "any_of"
    parts = tuple(
        _built(part, f"{where}.{kind}[{n}]", compile_text, booleans)
        for n, part in enumerate(listed)
    )
    return AllOf(parts, label) if kind == "all_of" else AnyOf(parts, label)
