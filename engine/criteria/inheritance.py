"""Criteria sets that extend another set: the base's items, changed, removed or added to.

A derived file names its base with ``extends`` and says only what differs::

    extends: national_demo_area
    change:                      # base item id → fields replaced, citing their source
      urban_park_green: {threshold: 15, source: 贵港市2023年工作方案 二(七)5}
    remove: [coastal_water]      # base items that do not apply
    items: [...]                 # items of its own (inputs, groups, bundles likewise)

The effective set is an ordinary :class:`CriteriaSet`, compiled like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.expressions import ExpressionSyntaxError, compile_expression, split_previous
from engine.criteria.model import AssignedTarget, Bundle, CriteriaSet, DerivedSet, Item
from engine.errors import Problem, did_you_mean
from engine.validation_messages import describe


@dataclass(frozen=True)
class Derivation:
    """The effective set, where each of its items is written in the derived file, and
    the problems found while merging."""

    spec: CriteriaSet | None
    item_locations: list[list[int | str]]
    problems: list[Problem]


def derive(base: CompiledCriteria, derived: DerivedSet, file: Path, line_of: Any) -> Derivation:
    """Merge ``derived`` onto ``base``; ``line_of(location)`` locates problems in ``file``."""
    problems: list[Problem] = []

    def at(location: Sequence[int | str], label: str, zh: str, en: str) -> None:
        problems.append(Problem(f"{file}:{line_of(location)} {label}".rstrip(), zh, en))

    base_ids = [compiled.id for compiled in base.items]

    def unknown(location: Sequence[int | str], label: str, item_id: str) -> None:
        zh_hint, en_hint = did_you_mean(item_id, base_ids)
        at(
            location,
            label,
            f"基础指标体系 {base.id} 中没有条目 {item_id!r}{zh_hint}",
            f"{base.id} has no item {item_id!r}{en_hint}",
        )

    for item_id, edit in derived.change.items():
        if item_id not in base_ids:
            unknown(["change", item_id], f"change.{item_id}", item_id)
        elif "source" not in edit.model_fields_set:
            at(
                ["change", item_id],
                f"change.{item_id}",
                "修改须注明依据: 请加 source(文件及条款)",
                "cite the change: add source (document and item)",
            )
    for index, item_id in enumerate(derived.remove):
        if item_id not in base_ids:
            unknown(["remove", index], f"remove {item_id}", item_id)

    items: list[Item] = []
    locations: list[list[int | str]] = []
    for compiled in base.items:
        if compiled.id in derived.remove:
            continue
        # A base item keeps how it was verified (stated, or its set's default), unless a
        # change says otherwise: the derived set's default is for its own items.
        verified = base.spec.verification_of(compiled.item)
        original = compiled.item.model_copy(update={"verification": verified})
        change = derived.change.get(compiled.id)
        if change is None:
            items.append(original)
            locations.append([])
            continue
        changed = _apply(original, change.model_dump(exclude_unset=True))
        if isinstance(changed, ValidationError):
            for error in changed.errors():
                zh, en = describe(error)
                at(["change", compiled.id], f"change.{compiled.id}", zh, en)
            continue
        items.append(changed)
        locations.append(["change", compiled.id])
    for index, item in enumerate(derived.items):
        items.append(item)
        locations.append(["items", index])
    if problems:
        return Derivation(spec=None, item_locations=locations, problems=problems)

    spec = base.spec
    kept = {item.id for item in items}
    read = _names_read(items)
    # A kept input's roll-up reads its `where` fact from the sub-units: keep that fact too.
    read |= {
        d.rollup.where for n, d in spec.inputs.items() if n in read and d.rollup and d.rollup.where
    }
    inputs = {name: declared for name, declared in spec.inputs.items() if name in read}
    for name, declared in derived.inputs.items():
        if name in spec.inputs:
            at(
                ["inputs", name],
                f"input {name}",
                f"输入项 {name!r} 已在 {base.id} 中声明",
                f"input {name!r} is declared in {base.id}",
            )
        inputs[name] = declared
    effective = CriteriaSet.model_construct(
        id=derived.id,
        title=derived.title,
        document=derived.document,
        level=derived.level or spec.level,
        source=derived.source,
        decimals=spec.decimals if derived.decimals is None else derived.decimals,
        non_binding=derived.non_binding or spec.non_binding,
        target_year=derived.target_year or spec.target_year,
        base_year=derived.base_year or spec.base_year,
        departments=None
        if spec.departments is None and derived.departments is None
        else {**(spec.departments or {}), **(derived.departments or {})},
        groups=[*spec.groups, *derived.groups],
        inputs=inputs,
        items=items,
        bundles=[*_kept_bundles(spec.bundles, kept), *derived.bundles],
        correspondence={**spec.correspondence, **derived.correspondence},
        # The derived set's own standing: a city's plan is in force even where the national
        # set it restates has been superseded, and it says itself what it leaves out.
        # Base items keep how they were verified; the derived set's own items default to its.
        verification=derived.verification or "unverified",
        superseded=derived.superseded,
        incomplete=derived.incomplete,
        binding_convention=derived.binding_convention or spec.binding_convention,
    )
    return Derivation(spec=effective, item_locations=locations, problems=problems)


def _apply(item: Item, change: dict[str, Any]) -> Item | ValidationError:
    merged = item.model_dump(exclude_unset=True)
    # A new fixed threshold replaces profile variants, and the other way round.
    if "threshold" in change:
        merged.pop("thresholds", None)
    if "thresholds" in change:
        merged.pop("threshold", None)
    merged.update(change)
    try:
        return Item.model_validate(merged)
    except ValidationError as exc:
        return exc


def _names_read(items: list[Item]) -> set[str]:
    """Input names the items read; an expression that does not compile reads nothing here
    (compilation reports it)."""
    names: set[str] = set()
    for item in items:
        texts = [item.measure, item.condition, item.trend.of if item.trend else None]
        for text in filter(None, texts):
            try:
                names |= {split_previous(name)[0] for name in compile_expression(text).names}
            except ExpressionSyntaxError:
                continue
        if isinstance(item.threshold, AssignedTarget):
            names.add(item.threshold.input)
    return names


def _kept_bundles(bundles: list[Bundle], kept: set[str]) -> list[Bundle]:
    """Base bundles without removed parts; a bundle left with fewer than two parts goes."""
    result = []
    for bundle in bundles:
        parts = [part for part in bundle.parts if part in kept]
        if len(parts) >= 2:
            result.append(bundle.model_copy(update={"parts": parts}))
    return result
