"""The readiness dashboard: each entity's verdict on the values in force, the blocking gaps
by department, the blocking-gap count over the check-ins, and which values are missing or
have no evidence; and the progress bulletin between check-ins, from the stored history.

Both are made by the one evaluator from what the store gives; nothing here reads a file.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.criteria.compiler import CompiledCriteria
from engine.data.record import DataFile
from engine.evaluation.evaluator import evaluate
from engine.evaluation.progress import Progress, Snapshot, compare
from engine.evaluation.results import ItemResult, Report
from engine.workspace import values
from engine.workspace.review import pending
from engine.workspace.schema import EntityRow, EvidenceLink, ValueVersion
from engine.workspace.store import Workspace, WorkspaceError, blocks

NO_DEPARTMENT = "(未指明单位)"


@dataclass(frozen=True)
class Standing:
    """One entity now: its report on the values in force and what its evidence lacks."""

    name: str
    level: str
    year: int
    report: Report
    missing: list[ItemResult]
    """Items that cannot be judged: a value missing."""
    no_evidence: list[ItemResult]
    """Items judged on values of which none has evidence (a document named or a file)."""
    no_data: list[ItemResult] = field(default_factory=list)
    """Items without a value because the department confirmed there is no data this period
    (not among ``missing``; still never a pass)."""

    @property
    def blocking(self) -> list[ItemResult]:
        return [r for r in self.report.results if blocks(r)]


@dataclass(frozen=True)
class Dashboard:
    criteria: CompiledCriteria
    entities: list[Standing]
    by_department: list[tuple[str, list[tuple[str, ItemResult]]]]
    """Each department with its blocking gaps (entity, item), the most gaps first."""
    history: list[tuple[str, int]]
    """Each check-in under this set with the blocking-gap count of all its entities."""
    entity_history: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    awaiting: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per entity: values in draft and values submitted, not yet counted (not approved)."""

    @property
    def ready(self) -> int:
        return sum(1 for s in self.entities if s.report.verdict == "ready")


@dataclass
class StandingCache:
    """Standings already made, by entity, with the stamp of the values and evidence they
    were made from (:meth:`Workspace.stamps`): a dashboard re-evaluates only the entities
    whose values or evidence changed since. Held by a long-running workbench; the command
    line makes every standing afresh."""

    criteria: CompiledCriteria | None = None
    entries: dict[int, tuple[tuple[int, int], Standing]] = field(default_factory=dict)


def dashboard(
    space: Workspace,
    criteria: CompiledCriteria,
    entity: str | None = None,
    cache: StandingCache | None = None,
) -> Dashboard:
    """The dashboard of the workspace (or of one entity) under ``criteria``."""
    cache = cache if cache is not None else StandingCache()
    if cache.criteria is not criteria:  # another set, or the set's files changed
        cache.criteria, cache.entries = criteria, {}
    stamps = space.stamps()
    rows = {row.id: row for row in space.entities()}
    wanted = {i for i, row in rows.items() if entity is None or row.name == entity}
    stale = {i for i in wanted if i in stamps and cache.entries.get(i, ((-1, -1),))[0] != stamps[i]}
    if stale:
        evidenced = _evidenced(space)
        confirmed = _confirmed(space)
        for row, data in space.now(criteria, only=stale):
            cache.entries[row.id] = (
                stamps[row.id],
                _standing(
                    criteria, row, data, evidenced, confirmed.get((row.id, data.entity.year))
                ),
            )
    standings = sorted(
        (cache.entries[i][1] for i in wanted if i in cache.entries and i in stamps),
        key=lambda s: s.name,
    )
    departments: dict[str, list[tuple[str, ItemResult]]] = defaultdict(list)
    for standing in standings:
        for result in standing.blocking:
            for owner in result.owners or [NO_DEPARTMENT]:
                departments[owner].append((standing.name, result))
    totals: dict[str, int] = {}
    per_entity: dict[str, list[tuple[str, int]]] = defaultdict(list)
    shown = {s.name for s in standings}
    for name, set_id, entity_id, count in space.results():
        if set_id != criteria.id or rows[entity_id].name not in shown:
            continue
        totals[name] = totals.get(name, 0) + count
        per_entity[rows[entity_id].name].append((name, count))
    awaiting: dict[str, list[int]] = {}
    for version in pending(space, ("draft", "returned", "submitted")):
        counts = awaiting.setdefault(version.entity, [0, 0])
        counts[0 if version.state != "submitted" else 1] += 1
    return Dashboard(
        criteria=criteria,
        entities=standings,
        by_department=sorted(departments.items(), key=lambda kv: (-len(kv[1]), kv[0])),
        history=list(totals.items()),
        entity_history=dict(per_entity),
        awaiting={name: (drafts, sent) for name, (drafts, sent) in awaiting.items()},
    )


def _confirmed(space: Workspace) -> dict[tuple[int, int], set[str]]:
    """For each (entity, year): the inputs whose value in force is 'no data this period'."""
    found: dict[tuple[int, int], set[str]] = defaultdict(set)
    with Session(space.engine) as session:
        for row in session.execute(values.in_force().where(ValueVersion.no_data)):
            found[(row.entity_id, row.year)].add(row.input)
    return found


def _evidenced(space: Workspace) -> dict[tuple[int, int], set[str]]:
    """For each (entity, year): the inputs and items that have an evidence file."""
    found: dict[tuple[int, int], set[str]] = defaultdict(set)
    with Session(space.engine) as session:
        rows = session.execute(
            select(EvidenceLink.entity_id, EvidenceLink.year, EvidenceLink.input, EvidenceLink.item)
        )
        for entity_id, year, input_name, item in rows:
            found[(entity_id, year)].add(input_name or item or "")
    return found


def _standing(
    criteria: CompiledCriteria,
    row: EntityRow,
    data: DataFile,
    evidenced: dict[tuple[int, int], set[str]],
    confirmed: set[str] | None = None,
) -> Standing:
    report = evaluate(criteria, data, detail=False)
    year = data.entity.year
    files = evidenced.get((row.id, year), set())
    missing, bare, no_data = [], [], []
    for compiled, result in zip(criteria.items, report.results, strict=True):
        if result.status == "missing":
            absent = {f.input for f in result.findings if f.code == "missing"}
            if confirmed and absent and absent <= confirmed:
                no_data.append(result)
            else:
                missing.append(result)
            continue
        if result.status in ("not_applicable", "error"):
            continue
        named = [
            name
            for name in compiled.inputs
            if name in files or (name in data.values and data.values[name].evidence)
        ]
        given_item = data.values.get(compiled.item.id)
        if not named and compiled.item.id not in files and not (given_item and given_item.evidence):
            bare.append(result)
    return Standing(row.name, row.level, year, report, missing, bare, no_data)


def bulletin(
    space: Workspace, entity: str, checkins: list[str], year: int | None = None
) -> Progress:
    """The progress of ``entity`` across ``checkins`` (oldest first), each report made from
    that check-in's values under the newest check-in's criteria set (one set for all, so an
    edited set cannot make an item look closed)."""
    if len(checkins) < 2:
        raise WorkspaceError.single(
            " ".join(checkins),
            "请给出至少两个检查点(先旧后新)",
            "give at least two check-ins, oldest first",
        )
    _, criteria = space.frozen(checkins[-1])
    snapshots = []
    for name in checkins:
        _, data = space.at_checkin(name, entity, year)
        snapshots.append(Snapshot(name, evaluate(criteria, data)))
    return compare(criteria, snapshots)


def since_previous(
    space: Workspace, entity: str, checkin: str, year: int | None = None
) -> Progress | None:
    """The progress of ``entity`` from the check-in before ``checkin`` to it (what the
    one-page summary says changed), or ``None`` for the first check-in."""
    names = [c.name for c in space.checkins()]
    if checkin not in names or names.index(checkin) == 0:
        return None
    return bulletin(space, entity, [names[names.index(checkin) - 1], checkin], year)


__all__ = ["Dashboard", "Standing", "StandingCache", "bulletin", "dashboard", "since_previous"]
