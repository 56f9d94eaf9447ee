"""Progress between check-ins: what closed, what opened, what moved, and who moved it.

Creation offices report monthly and inspect quarterly (seed 003: "实行月通报评价、季督查机制").
Given the reports on two or more data snapshots of one entity under one criteria set — the
same set for all, so an edited set cannot make an item look closed — this module classifies
each item between the last two snapshots:

* ``closed``: a gap (fail, missing, error) that now passes;
* ``opened``: an item that passed and now is a gap;
* ``improved`` / ``worsened``: failing both times, with a smaller / larger gap;
* ``unchanged``: everything else.

Items are matched by id; every list puts basic conditions and binding items first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from engine.criteria.compiler import CompiledCriteria
from engine.errors import DataError
from engine.evaluation.results import ItemResult, Report, Status

Category = Literal["closed", "opened", "improved", "worsened", "unchanged"]
CATEGORIES: tuple[Category, ...] = ("closed", "opened", "improved", "worsened", "unchanged")
GAPS: tuple[Status, ...] = ("fail", "missing", "error")


@dataclass(frozen=True)
class Snapshot:
    """One check-in: the data file it came from, and its report."""

    label: str
    report: Report


@dataclass(frozen=True)
class ItemProgress:
    """One item across the snapshots, and what happened to it between the last two."""

    results: list[ItemResult]
    category: Category

    @property
    def old(self) -> ItemResult:
        return self.results[-2]

    @property
    def new(self) -> ItemResult:
        return self.results[-1]

    @property
    def id(self) -> str:
        return self.new.id


@dataclass(frozen=True)
class Progress:
    criteria: CompiledCriteria
    snapshots: list[Snapshot]
    items: list[ItemProgress]

    @property
    def old(self) -> Report:
        return self.snapshots[-2].report

    @property
    def new(self) -> Report:
        return self.snapshots[-1].report

    def in_category(self, category: Category) -> list[ItemProgress]:
        """The items of ``category``, basic conditions and binding items first."""
        chosen = [item for item in self.items if item.category == category]
        return sorted(chosen, key=lambda item: not item.new.blocks)

    @property
    def departments(self) -> list[str]:
        """Every responsible department, in the order the set first names them."""
        names: dict[str, None] = {}
        for item in self.items:
            names.update(dict.fromkeys(item.new.owners))
        return list(names)

    def of_department(self, department: str, category: Category) -> list[ItemProgress]:
        return [i for i in self.in_category(category) if department in i.new.owners]

    def headline(self, lang: str) -> str:
        """One line for the bulletin: blocking gaps then → now, and who closed and opened."""
        old, new = self.old.summary.blocking, self.new.summary.blocking
        zh = lang != "en"
        parts = [f"阻碍申报的缺口 {old} → {new}" if zh else f"blocking gaps {old} → {new}"]
        moves: tuple[tuple[Category, str, str], ...] = (
            ("closed", "消除", "closed"),
            ("opened", "新增", "opened"),
        )
        for category, zh_word, en_word in moves:
            chosen = self.in_category(category)
            # Blocking gaps apart from the others: the line is about what blocks the verdict.
            blocking = [item for item in chosen if item.new.blocks]
            others = [item for item in chosen if not item.new.blocks]
            said = []
            for group, zh_kind, en_kind in ((blocking, "阻碍申报的缺口", "blocking"),
                                            (others, "其他条目的缺口", "other")):  # fmt: skip
                if not group:
                    continue
                who = _who(group, zh)
                said.append(
                    f"{zh_kind} {len(group)} 项({who})" if zh
                    else f"{len(group)} {en_kind} {en_word} ({who})"
                )  # fmt: skip
            if said:
                parts.append(zh_word + "，".join(said) if zh else ", ".join(said))
        moved = len(self.in_category("improved")), len(self.in_category("worsened"))
        parts.append(
            f"缺口缩小 {moved[0]} 项、扩大 {moved[1]} 项"
            if zh
            else f"{moved[0]} improved, {moved[1]} worsened"
        )
        return ("；" if zh else "; ").join(parts)

    def to_json(self) -> dict[str, Any]:
        """The comparison for scripts (see docs/json-report.md)."""
        spec = self.criteria.spec

        def ids(items: list[ItemProgress]) -> list[str]:
            return [item.id for item in items]

        return {
            "criteria": {"id": spec.id, "title": spec.title.model_dump()},
            "entity": self.new.entity,
            "snapshots": [
                {
                    "label": snapshot.label,
                    "year": snapshot.report.entity["year"],
                    "verdict": snapshot.report.verdict,
                    "summary": snapshot.report.summary.to_json(),
                }
                for snapshot in self.snapshots
            ],
            "verdict_old": self.old.verdict,
            "verdict_new": self.new.verdict,
            "headline": {"zh": self.headline("zh"), "en": self.headline("en")},
            **{category: ids(self.in_category(category)) for category in CATEGORIES},
            "by_department": {
                name: {c: ids(self.of_department(name, c)) for c in CATEGORIES}
                for name in self.departments
            },
            "items": [_item_json(item) for item in self.items],
        }


def compare(criteria: CompiledCriteria, snapshots: list[Snapshot]) -> Progress:
    """The progress across ``snapshots`` (two or more, oldest first) of one entity.

    Raises:
        DataError: when a snapshot is of another entity than the first.
    """
    first = snapshots[0]
    for snapshot in snapshots[1:]:
        if snapshot.report.entity["name"] != first.report.entity["name"]:
            raise DataError.single(
                snapshot.label,
                f"评估对象为 {snapshot.report.entity['name']}，与 {first.label} 的 "
                f"{first.report.entity['name']} 不同；进展只能比较同一评估对象的数据",
                f"the entity is {snapshot.report.entity['name']}, not "
                f"{first.report.entity['name']} as in {first.label}; progress compares "
                "snapshots of one entity",
            )
    by_snapshot = [{r.id: r for r in s.report.results} for s in snapshots]
    items = []
    for compiled in criteria.items:
        results = [results_by_id[compiled.id] for results_by_id in by_snapshot]
        items.append(ItemProgress(results, classify(results[-2], results[-1])))
    return Progress(criteria, snapshots, items)


def _who(items: list[ItemProgress], zh: bool) -> str:
    """The departments of ``items`` with how many each: 市林业局 1 项、市水务局 2 项."""
    counts: dict[str, int] = {}
    for item in items:
        for name in item.new.owners or ["?"]:
            counts[name] = counts.get(name, 0) + 1
    if zh:
        return "、".join(f"{name} {count} 项" for name, count in counts.items())
    return ", ".join(f"{count} by {name}" for name, count in counts.items())


def classify(old: ItemResult, new: ItemResult) -> Category:
    """What happened to one item between two snapshots."""
    if old.status in GAPS and new.status == "pass":
        return "closed"
    if old.status == "pass" and new.status in GAPS:
        return "opened"
    if old.status == new.status == "fail" and old.gap is not None and new.gap is not None:
        if new.gap.absolute < old.gap.absolute:
            return "improved"
        if new.gap.absolute > old.gap.absolute:
            return "worsened"
    return "unchanged"


def _item_json(item: ItemProgress) -> dict[str, Any]:
    old, new = item.old, item.new

    def gap(result: ItemResult) -> dict[str, Any] | None:
        if result.gap is None:
            return None
        return {
            "absolute": result.gap.absolute,
            "relative": result.gap.relative,
            "direction": result.gap.direction,
        }

    return {
        "id": new.id,
        "number": new.number,
        "name": new.name.model_dump(),
        "kind": new.kind,
        "binding": new.binding,
        "lead": list(new.lead),
        "responsible": list(new.responsible),
        "category": item.category,
        "status_old": old.status,
        "status_new": new.status,
        "value_old": old.value,
        "value_new": new.value,
        "gap_old": gap(old),
        "gap_new": gap(new),
        "history": [{"status": r.status, "value": r.value} for r in item.results],
    }


__all__ = ["CATEGORIES", "Category", "ItemProgress", "Progress", "Snapshot", "classify", "compare"]
