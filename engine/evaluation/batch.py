"""Assess many entities at once: files, workbooks with many entities, sub-units that roll up.

An entity whose level the criteria set does not cover but which names its ``parent`` (a
county of the prefecture being assessed) is a *sub-unit*: it is not assessed itself, but its
record feeds the inputs the set declares as ``rollup`` (e.g. B4 "80% of the counties named"),
and the prefecture's report names the counties that count. A bad entity never stops the
others: it is listed with its reasons.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.model import Rollup
from engine.data.cells import coerce
from engine.data.record import DataFile, Entity, MeasuredValue
from engine.data.sources import iter_entities
from engine.errors import DataError
from engine.evaluation.evaluator import evaluate
from engine.evaluation.results import Report, Status, Summary, Verdict

Cell = tuple[Status, float | bool | None]
"""An item's status and value in the summary matrix."""


@dataclass(frozen=True)
class Assessed:
    """An entity assessed in the batch: who it is, its row of the summary matrix, and its
    report when per-entity reports are written (its data is never kept)."""

    entity: Entity
    verdict: Verdict
    summary: Summary
    cells: list[Cell]
    """Status and value of each item, in the criteria set's order."""
    report: Report | None

    @property
    def name(self) -> str:
        return self.entity.name


@dataclass(frozen=True)
class Rejected:
    """An input (a file, or one entity in it) that could not be assessed, and why."""

    where: str
    error: DataError


@dataclass
class BatchResult:
    criteria: CompiledCriteria
    assessed: list[Assessed] = field(default_factory=list)
    subunits: list[DataFile] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def ready(self) -> list[str]:
        return [entry.name for entry in self.assessed if entry.verdict == "ready"]


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector: a batch makes millions of short-lived objects but
    no cycles (under a thousand cyclic objects in a batch of 2,000, all from start-up), and
    each collection would scan the growing list of assessed entities (and, while the
    summaries are written, the whole list, again and again). Reference counting still frees
    everything; the collector resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_batch(
    paths: Iterable[Path],
    criteria: CompiledCriteria,
    year: int | None = None,
    progress: Callable[[Path], None] | None = None,
    *,
    detail: bool = True,
    only: str | None = None,
) -> BatchResult:
    """Load every entity of ``paths``, roll sub-units up into their parents, evaluate.

    When the set declares no roll-up, each entity is evaluated as soon as it is read and its
    data let go; otherwise parents wait until every sub-unit has been read. ``detail=False``
    (a summary-only batch) only decides each item: status and value, no report kept.
    ``only``: evaluate just the entity of that name (its sub-units still roll up).
    """
    with without_cycle_collection():
        return _run_batch(paths, criteria, year, progress, detail, only)


def _run_batch(
    paths: Iterable[Path],
    criteria: CompiledCriteria,
    year: int | None,
    progress: Callable[[Path], None] | None,
    detail: bool,
    only: str | None = None,
) -> BatchResult:
    result = BatchResult(criteria=criteria)
    levels = criteria.spec.level
    rolls_up = any(declared.rollup for declared in criteria.inputs.values())
    waiting: list[DataFile] = []
    seen: set[str] = set()
    """The names assessed (a sub-unit's parent must be among them)."""
    assessed: set[tuple[str, int]] = set()

    def duplicate(path: Path | None, name: str, year: int) -> bool:
        """Whether ``name`` was assessed already for ``year`` in this batch (then it is
        rejected); several years of one entity are several entities of the batch."""
        seen.add(name)
        if (name, year) not in assessed:
            assessed.add((name, year))
            return False
        result.rejected.append(
            Rejected(
                str(path),
                DataError.single(
                    f"{path} {name}",
                    f"重复的评估对象：同名对象的 {year} 年数据已在本批次中出现",
                    f"the same entity's {year} data appears twice in the batch",
                ),
            )
        )
        return True

    def assess(data: DataFile) -> None:
        if duplicate(data.path, data.entity.name, data.entity.year) or (
            only is not None and data.entity.name != only
        ):
            return
        if rolls_up:
            data = _rolled_up(data, result.subunits, criteria, _unreadable(result, data))
        report = evaluate(criteria, data, detail=detail)
        cells = [(r.status, r.value) for r in report.results]
        kept = report if detail else None
        result.assessed.append(Assessed(data.entity, report.verdict, report.summary, cells, kept))

    def take(path: Path, entry: DataFile | DataError) -> None:
        if isinstance(entry, DataError):
            result.rejected.append(Rejected(str(path), entry))
        elif entry.entity.level not in levels:
            result.subunits.append(entry)
        elif rolls_up:
            waiting.append(entry)
        else:
            assess(entry)

    for path in paths:
        for entry in _entries(path, criteria, year):
            take(path, entry)
        if progress is not None:
            progress(path)
    for data in waiting:
        assess(data)
    for unit in result.subunits:
        if unit.entity.parent not in seen:
            result.rejected.append(
                Rejected(
                    str(unit.path),
                    DataError.single(
                        f"{unit.path} {unit.entity.name}",
                        f"上级 {unit.entity.parent!r} 不在本批次中，"
                        f"且指标体系不适用于 {unit.entity.level}",
                        f"parent {unit.entity.parent!r} is not in the batch and the criteria "
                        f"set does not apply to {unit.entity.level}",
                    ),
                )
            )
    return result


def _entries(
    path: Path, criteria: CompiledCriteria, year: int | None
) -> Iterator[DataFile | DataError]:
    try:
        yield from iter_entities(path, criteria, year, subunits=True)
    except DataError as exc:
        yield exc


def _unreadable(result: BatchResult, data: DataFile) -> list[str]:
    """Sub-units of ``data`` whose records were rejected: a roll-up cannot count without them."""
    return [
        str(bad.error.entity.get("name") or bad.where)
        for bad in result.rejected
        if bad.error.entity.get("parent") == data.entity.name
    ]


def _rolled_up(
    data: DataFile, subunits: list[DataFile], criteria: CompiledCriteria, unreadable: list[str]
) -> DataFile:
    """``data`` with each roll-up input computed from its sub-units, when it has any; missing
    when a record naming it as parent could not be read."""
    values = dict(data.values)
    for name, declared in criteria.inputs.items():
        if declared.rollup is None:
            continue
        units = [
            u
            for u in subunits
            if u.entity.parent == data.entity.name
            and u.entity.level == declared.rollup.count
            and u.entity.year == data.entity.year
        ]
        if unreadable:
            values[name] = MeasuredValue(
                value=None,
                source="批量汇总 (roll-up)",
                note=f"下级单位的记录无法使用，不能汇总: {'、'.join(unreadable)}",
            )
        elif units:
            values[name] = _count(declared.rollup, units, criteria, values.get(name))
    return data.model_copy(update={"values": values})


def _count(
    rollup: Rollup, units: list[DataFile], criteria: CompiledCriteria, stated: MeasuredValue | None
) -> MeasuredValue:
    """The number of sub-units (meeting ``rollup.where``), with which ones count; missing —
    never a guess — when a sub-unit does not say."""
    counted, unknown = [], []
    for unit in units:
        if rollup.where is None:
            counted.append(unit.entity.name)
            continue
        given = unit.values.get(rollup.where)
        value, _ = coerce(
            rollup.where, criteria.inputs[rollup.where], given.value if given else None
        )
        if value is True:
            counted.append(unit.entity.name)
        elif value is not False:
            unknown.append(unit.entity.name)
    names = "、".join(counted) or "—"
    note = f"由本批次 {len(units)} 个下级单位汇总，计入: {names}"
    if stated is not None and stated.value is not None:
        note += f"；本级填报值 {stated.value} 未采用"
    if unknown:
        return MeasuredValue(
            value=None,
            source="批量汇总 (roll-up)",
            note=f"{note}；以下单位未填写 {rollup.where}: {'、'.join(unknown)}",
        )
    return MeasuredValue(value=len(counted), source="批量汇总 (roll-up)", note=note)


__all__ = ["Assessed", "BatchResult", "Rejected", "run_batch", "without_cycle_collection"]
