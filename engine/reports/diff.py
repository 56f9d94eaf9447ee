"""Compare two criteria sets: what only one has, and what both have but differently.

Items are paired by id, and by the ``correspondence`` a set declares for the other
(``correspondence: {other_set: {my_item: their_item}}``), so sets written independently
can be compared where their names differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.model import AssignedTarget, Item
from engine.reports.show import describe_rule, when_text
from engine.resources import labels

COMPARED = ("threshold", "operator", "rule", "binding", "applicability")


@dataclass(frozen=True)
class ItemPair:
    """An item of A matched with an item of B, and the compared fields that differ."""

    a: Item
    b: Item
    differences: dict[str, tuple[Any, Any]]


@dataclass(frozen=True)
class CriteriaDiff:
    a: CompiledCriteria
    b: CompiledCriteria
    only_in_a: list[Item]
    only_in_b: list[Item]
    pairs: list[ItemPair]

    @property
    def different(self) -> list[ItemPair]:
        return [pair for pair in self.pairs if pair.differences]


def diff(a: CompiledCriteria, b: CompiledCriteria) -> CriteriaDiff:
    """Pair the items of ``a`` and ``b`` and compare each pair."""
    a_items = {compiled.id: compiled.item for compiled in a.items}
    b_items = {compiled.id: compiled.item for compiled in b.items}
    mapping = {item_id: item_id for item_id in a_items if item_id in b_items}
    mapping.update(a.spec.correspondence.get(b.id, {}))
    mapping.update({mine: theirs for theirs, mine in b.spec.correspondence.get(a.id, {}).items()})
    mapping = {
        mine: theirs for mine, theirs in mapping.items() if mine in a_items and theirs in b_items
    }
    paired_b = set(mapping.values())
    return CriteriaDiff(
        a=a,
        b=b,
        only_in_a=[item for item_id, item in a_items.items() if item_id not in mapping],
        only_in_b=[item for item_id, item in b_items.items() if item_id not in paired_b],
        pairs=[
            ItemPair(a_items[mine], b_items[theirs], _differences(a_items[mine], b_items[theirs]))
            for mine, theirs in mapping.items()
        ],
    )


def _differences(a: Item, b: Item) -> dict[str, tuple[Any, Any]]:
    found = {}
    for field in COMPARED:
        left, right = _compared(a, field), _compared(b, field)
        if left != right:
            found[field] = (left, right)
    return found


def _compared(item: Item, field: str) -> Any:
    if field == "rule":  # a composed rule, compared as worded (its limits and shapes)
        return describe_rule(item, "zh") if item.rule is not None else None
    if field == "threshold":
        if isinstance(item.threshold, AssignedTarget):
            return "assigned"
        if item.thresholds:
            return [(v.when.model_dump(exclude_none=True), v.value) for v in item.thresholds]
        return item.threshold
    if field == "applicability":
        return (
            sorted(item.applies_to or []),
            item.applies_when.model_dump(exclude_none=True) if item.applies_when else None,
        )
    return getattr(item, field)


def diff_json(result: CriteriaDiff) -> dict[str, Any]:
    """The comparison for scripts."""

    def brief(item: Item) -> dict[str, Any]:
        return {
            "id": item.id,
            "number": item.number,
            "name": item.name.model_dump(),
            "binding": item.binding,
            "rule": describe_rule(item, "zh"),
        }

    return {
        "a": {"id": result.a.id, "title": result.a.spec.title.model_dump()},
        "b": {"id": result.b.id, "title": result.b.spec.title.model_dump()},
        "only_in_a": [brief(item) for item in result.only_in_a],
        "only_in_b": [brief(item) for item in result.only_in_b],
        "different": [
            {
                "a": brief(pair.a),
                "b": brief(pair.b),
                "differences": {
                    field: {"a": _plain(left), "b": _plain(right)}
                    for field, (left, right) in pair.differences.items()
                },
            }
            for pair in result.different
        ],
        "same": [[pair.a.id, pair.b.id] for pair in result.pairs if not pair.differences],
    }


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


DIFF_WORDS = {
    "zh": {
        "only_a": "仅在 {id} 中的条目",
        "only_b": "仅在 {id} 中的条目",
        "different": "两者都有但要求不同的条目",
        "same": "要求相同的条目: {n} 项",
        "binding": "约束性",
        "guidance": "指导性/参考性",
        "none": "  (无)",
        "applies": "适用",
    },
    "en": {
        "only_a": "Only in {id}",
        "only_b": "Only in {id}",
        "different": "In both, with different requirements",
        "same": "Same requirements: {n}",
        "binding": "binding",
        "guidance": "guidance/reference",
        "none": "  (none)",
        "applies": "applies to",
    },
}


def diff_text(result: CriteriaDiff, lang: str) -> str:
    """The comparison for people."""
    w = DIFF_WORDS[lang]
    a, b = result.a, result.b
    lines = [f"A = {a.id}: {a.spec.title.get(lang)}", f"B = {b.id}: {b.spec.title.get(lang)}", ""]
    for title, items in (
        (w["only_a"].format(id=a.id), result.only_in_a),
        (w["only_b"].format(id=b.id), result.only_in_b),
    ):
        lines.append(f"{title} ({len(items)}):")
        owner = a if items is result.only_in_a else b
        lines += [_line(item, lang, owner) for item in items] or [w["none"]]
        lines.append("")
    lines.append(f"{w['different']} ({len(result.different)}):")
    for pair in result.different:
        lines.append(
            f"  A {pair.a.number} {pair.a.name.get(lang)} ↔ B {pair.b.number} "
            f"{pair.b.name.get(lang)}"
        )
        lines.append(f"      A: {_requirement(pair.a, lang, a)}")
        lines.append(f"      B: {_requirement(pair.b, lang, b)}")
    if not result.different:
        lines.append(w["none"])
    lines += ["", w["same"].format(n=len(result.pairs) - len(result.different))]
    return "\n".join(lines) + "\n"


def _line(item: Item, lang: str, criteria: CompiledCriteria) -> str:
    return f"  {item.number:<6} {item.name.get(lang)} [{_requirement(item, lang, criteria)}]"


def _requirement(item: Item, lang: str, criteria: CompiledCriteria) -> str:
    w = DIFF_WORDS[lang]
    rule = describe_rule(item, lang) or "—"
    parts = [rule, w["binding"] if item.binding else w["guidance"]]
    levels = labels()[lang]["levels"]
    scope: list[str] = [levels[level] for level in item.applies_to or []]
    if item.applies_when:
        scope.append(when_text(item.applies_when, lang))
    if scope:
        parts.append(f"{w['applies']} {'/'.join(scope)}")
    return "; ".join(parts)
