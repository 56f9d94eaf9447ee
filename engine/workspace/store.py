"""A workspace on disk (or on a PostgreSQL server): open it, import into it, freeze
check-ins, and make the data file of any entity and year as it stood at a check-in.

Every change is one transaction: an import with a bad cell, or with two files giving the
same input two different values, writes nothing; importing the same files again writes
nothing either (a value equal to the version in force is not a new version).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, create_engine, event, func, insert, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from engine.criteria.compiler import CompiledCriteria, compile_criteria
from engine.criteria.model import CriteriaSet
from engine.data.record import DataFile, Entity
from engine.errors import DataError
from engine.evaluation.evaluator import evaluate
from engine.evaluation.results import ItemResult
from engine.workspace import values
from engine.workspace.audit import record
from engine.workspace.base import WRITE, WorkspaceError, entity_row, user_name
from engine.workspace.evidence import EvidenceStore
from engine.workspace.given import (
    FORM,
    Given,
    ImportResult,
    Key,
    digest,
    form_value,
    period_of,
    read_files,
)
from engine.workspace.schema import (
    AuditEntry,
    CheckIn,
    CheckInResult,
    CheckInValue,
    EntityRow,
    EvidenceLink,
    ImportRow,
    ValueVersion,
)

CONFIG = "workspace.yaml"
DATABASE = "workspace.sqlite"
MIGRATIONS = Path(__file__).parent / "migrations"


def init(path: Path, database: str | None = None, criteria: Sequence[str] = ()) -> Workspace:
    """Make a workspace in the folder ``path`` (SQLite inside it, or ``database``), whose
    entities are assessed under the sets ``criteria`` (the first is the default set)."""
    config = path / CONFIG
    if config.exists():
        raise WorkspaceError.single(
            str(path), "这里已经有一个工作区", "there is a workspace here already"
        )
    path.mkdir(parents=True, exist_ok=True)
    settings: dict[str, object] = {"database": database, "criteria": list(criteria)}
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    config.chmod(0o600)  # a database address may hold a password
    return open_workspace(path)


def open_workspace(path: Path) -> Workspace:
    """Open the workspace in ``path``, bringing its schema up to date (a workspace made by an
    older version opens in a newer one)."""
    config = path / CONFIG
    if not config.is_file():
        raise WorkspaceError.single(
            str(path),
            "这里没有工作区；请先运行 ecoassess workspace init",
            "no workspace here; make one with ecoassess workspace init",
        )
    settings = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    url = settings.get("database") or f"sqlite:///{(path / DATABASE).resolve()}"
    # No pool: every unit of work opens its connection and closes it (a command line tool; and
    # nothing is left open when a workspace object is dropped).
    engine = create_engine(url, poolclass=NullPool)
    if engine.dialect.name == "sqlite":
        _serialised_writes(engine)
    migrate(engine)
    return Workspace(path, engine, list(settings.get("criteria") or []), settings)


def _serialised_writes(engine: Engine) -> None:
    """SQLite for several people at once (a workbench with clerks): a writing transaction
    (:meth:`Database.transaction`) takes the write lock when it begins (BEGIN IMMEDIATE) and
    waits up to 30 s for it, so that two writers never both read a value's newest version and
    then fail to upgrade their locks; the write-ahead log keeps readers from blocking it."""

    @event.listens_for(engine, "connect")
    def _connect(connection: Any, _record: Any) -> None:
        connection.isolation_level = None  # the BEGIN is ours, below
        cursor = connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        writing = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest revision (Alembic)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.execution_options(**{WRITE: True}).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Workspace(EvidenceStore):
    def __init__(
        self,
        path: Path,
        engine: Engine,
        criteria: list[str] | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        self.path = path
        self.engine = engine
        self.criteria_ids = criteria or []
        """The sets the campaign is assessed under, the default first (workspace.yaml)."""
        self.settings = settings or {}
        """workspace.yaml as read (database, criteria, smtp …)."""

    # --- import -------------------------------------------------------------------------

    def import_files(
        self,
        files: Sequence[Path],
        criteria: CompiledCriteria,
        user: str | None = None,
        period: str | None = None,
        state: str = "approved",
        only_inputs: set[str] | None = None,
        department: str | None = None,
    ) -> ImportResult:
        """Read ``files`` (YAML, CSV, xlsx; one entity or many; whole returns or a
        department's rows) and store every value that differs from the version in force.

        ``only_inputs``: the inputs the importer may change (a clerk's department's); a file
        with any other imports nothing."""
        entities, given = read_files(files, criteria)
        if only_inputs is not None:
            foreign = sorted({key[2] for key in given if key[2] not in only_inputs})
            if foreign:
                raise DataError.single(
                    ", ".join(foreign[:20]),
                    "这些输入项不属于本单位负责的条目；请只导入本单位的行",
                    "these inputs are not of your department's items; import only its rows",
                )
        return self._write(
            entities, given, [f.name for f in files], digest(files), user, period_of(period),
            state, department=department,
        )  # fmt: skip

    def enter_value(
        self,
        entity: str,
        input_name: str,
        year: int,
        typed: str,
        criteria: CompiledCriteria,
        *,
        source: str | None = None,
        evidence: str | None = None,
        note: str | None = None,
        period: str | None = None,
        user: str | None = None,
        state: str = "approved",
        no_data: bool = False,
        expected: int | None = None,
        department: str | None = None,
    ) -> ImportResult:
        """Store one value as typed in a form (:func:`~engine.workspace.given.form_value`
        reads it first, and refuses what an import would refuse), or, with ``no_data``, the
        confirmation that there is no data this period.

        ``expected``: the version number the form showed (0: none). If someone else stored
        a version since, nothing is stored and :class:`ConflictError` says who and what."""
        value = form_value(criteria, input_name, typed, source, evidence, note, FORM, no_data)
        with Session(self.engine) as session:
            row = entity_row(session, entity)
            known = Entity.model_validate(
                {"name": row.name, "level": row.level, "year": year, **row.profile}
            )
        key = (row.name, year, input_name)
        return self._write(
            {row.name: known}, {key: value}, [FORM], "", user, period_of(period), state,
            expected={key: expected} if expected is not None else None, department=department,
        )  # fmt: skip

    def _write(
        self,
        entities: dict[str, Entity],
        given: dict[Key, Given],
        files: list[str],
        digest: str,
        user: str | None,
        period: str | None,
        state: str = "approved",
        expected: dict[Key, int] | None = None,
        department: str | None = None,
    ) -> ImportResult:
        """Store, in one transaction, every given value that differs from its newest version
        (as ``state``: approved for the office's own imports, draft for a clerk's), each
        with its line in the audit trail."""
        by = user or user_name()
        now = datetime.now()
        result = ImportResult()
        try:
            with self.transaction() as session:
                # Entity rows locked (PostgreSQL; SQLite's BEGIN IMMEDIATE locks the database):
                # writers of one entity's values take turns.
                rows = {
                    row.name: row for row in session.scalars(select(EntityRow).with_for_update())
                }
                only = {rows[k[0]].id for k in expected} if expected else None
                current = _in_force(session, only)
                pending = []
                for key, value in sorted(given.items(), key=lambda kv: kv[0]):
                    found = (
                        current.get((rows[key[0]].id, key[1], key[2])) if key[0] in rows else None
                    )
                    if expected is not None and expected[key] != (found[0] if found else 0):
                        raise _conflict(session, rows[key[0]].id, key)
                    if found is not None and value.same(found[1:]):
                        result.unchanged += 1
                        continue
                    (result.changed if found is not None else result.new).append(key)
                    pending.append((key, value, found[0] + 1 if found else 1))
                if not pending and all(name in rows for name in entities):
                    return result  # importing the same files again writes nothing
                made = ImportRow(files=files, digest=digest, entered_by=by, entered_at=now)
                session.add(made)
                for name, entity in entities.items():
                    profile = entity.model_dump(
                        exclude={"name", "level", "year"}, exclude_none=True
                    )
                    row = rows.get(name)
                    if row is None:
                        row = rows[name] = EntityRow(name=name, level=entity.level, profile=profile)
                        session.add(row)
                    else:
                        row.level, row.profile = entity.level, {**row.profile, **profile}
                session.flush()
                if pending:  # one executemany, not an object per value
                    session.execute(
                        insert(ValueVersion),
                        [
                            {
                                "entity_id": rows[name].id, "input": input_name, "year": year,
                                "raw": value.raw, "source": value.source,
                                "evidence": value.evidence,
                                "note": value.note, "warning": value.warning, "file": value.file,
                                "import_id": made.id, "entered_by": by, "entered_at": now,
                                "number": number, "period": period, "state": state,
                                "no_data": value.no_data,
                            }
                            for (name, year, input_name), value, number in pending
                        ],
                    )  # fmt: skip
                    session.execute(
                        insert(AuditEntry),
                        [
                            {
                                "at": now, "user": by, "action": "value", "entity": name,
                                "target": input_name, "year": year, "department": department,
                                "detail": {"number": number, "value": value.raw, "state": state,
                                           "no_data": value.no_data, "file": value.file,
                                           "period": period},
                            }
                            for (name, year, input_name), value, number in pending
                        ],
                    )  # fmt: skip
        except IntegrityError as exc:  # another writer took the same version number first
            raise ConflictError.single(
                files[0] if files else "",
                "有人同时更改了同一数值；未保存。请刷新页面，核对后再填",
                "someone changed the same value at the same moment; not stored. Reload the "
                "page, check, and enter it again",
            ) from exc
        return result

    # --- what is in force, check-ins --------------------------------------------------------

    def entities(self) -> list[EntityRow]:
        with Session(self.engine) as session:
            return list(session.scalars(select(EntityRow).order_by(EntityRow.name)))

    def newest_versions(self, entity: str) -> dict[tuple[str, int], ValueVersion]:
        """The newest version of each of ``entity``'s values, by (input, year), whatever
        its review state (a draft is shown as such)."""
        with Session(self.engine) as session:
            row = entity_row(session, entity)
            return {(v.input, v.year): v for v in _current(session, row.id).values()}

    def history(self, entity: str, input_name: str, year: int) -> list[ValueVersion]:
        """Every version of one value, oldest first."""
        with Session(self.engine) as session:
            row = entity_row(session, entity)
            return list(
                session.scalars(
                    select(ValueVersion)
                    .where(
                        ValueVersion.entity_id == row.id,
                        ValueVersion.input == input_name,
                        ValueVersion.year == year,
                    )
                    .order_by(ValueVersion.number)
                )
            )

    def checkins(self) -> list[CheckIn]:
        """Every check-in, oldest first."""
        with Session(self.engine) as session:
            return list(session.scalars(select(CheckIn).order_by(CheckIn.made_at, CheckIn.id)))

    def checkin(self, name: str, criteria: CompiledCriteria, user: str | None = None) -> CheckIn:
        """Freeze the versions in force and the criteria set under ``name``, with each
        entity's standing under it (verdict and blocking items) for the dashboard."""
        frozen = criteria.spec.model_dump(mode="json")
        digest = hashlib.sha256(json.dumps(frozen, sort_keys=True).encode()).hexdigest()
        with self.transaction() as session:
            if session.scalar(select(CheckIn).where(CheckIn.name == name)) is not None:
                raise WorkspaceError.single(
                    name,
                    "已有同名的检查点；请换一个名称",
                    "a check-in has this name; choose another",
                )
            made = CheckIn(
                name=name, made_at=datetime.now(), made_by=user or user_name(),
                criteria_id=criteria.id, criteria_digest=digest, criteria=frozen,
            )  # fmt: skip
            session.add(made)
            session.flush()
            record(session, made.made_by, "checkin", target=name,
                   detail={"criteria": criteria.id, "sha256": digest})  # fmt: skip
            session.execute(  # INSERT … SELECT: the versions in force, without a Python row each
                insert(CheckInValue).from_select(
                    ["checkin_id", "version_id"], _in_force_ids(literal(made.id))
                )
            )
            for row, data in _assessed(session, criteria, values.in_force()):
                report = evaluate(criteria, data, detail=False)
                blocking = [r.number for r in report.results if blocks(r)]
                session.add(
                    CheckInResult(
                        checkin_id=made.id, entity_id=row.id, year=data.entity.year,
                        verdict=report.verdict, blocking=blocking,
                    )
                )  # fmt: skip
            session.expunge(made)
        return made

    def results(self) -> list[tuple[str, str, int, int]]:
        """``(check-in, criteria set, entity id, blocking-gap count)`` of every entity at
        every check-in, oldest check-in first."""
        with Session(self.engine) as session:
            rows = session.execute(
                select(
                    CheckIn.name, CheckIn.criteria_id, CheckInResult.entity_id,
                    CheckInResult.blocking,
                )
                .join(CheckInResult, CheckInResult.checkin_id == CheckIn.id)
                .order_by(CheckIn.made_at, CheckIn.id)
            )  # fmt: skip
            return [
                (name, set_id, entity, len(blocking)) for name, set_id, entity, blocking in rows
            ]

    def stamps(self) -> dict[int, tuple[int, int]]:
        """Of each entity: its newest value version and evidence link (ids). An entity whose
        stamp is unchanged has the same values in force and the same evidence."""
        with Session(self.engine) as session:
            found = {
                entity: (newest, 0)
                for entity, newest in session.execute(
                    select(ValueVersion.entity_id, func.max(ValueVersion.id)).group_by(
                        ValueVersion.entity_id
                    )
                )
            }
            for entity, newest in session.execute(
                select(EvidenceLink.entity_id, func.max(EvidenceLink.id)).group_by(
                    EvidenceLink.entity_id
                )
            ):
                found[entity] = (found.get(entity, (0, 0))[0], newest)
            return found

    def frozen(self, name: str) -> tuple[CheckIn, CompiledCriteria]:
        """A check-in and the criteria set it froze, compiled."""
        with Session(self.engine) as session:
            made = session.scalar(select(CheckIn).where(CheckIn.name == name))
            if made is None:
                raise WorkspaceError.single(name, "没有这个检查点", "no check-in of this name")
            frozen = made.criteria
        spec = CriteriaSet.model_validate(frozen)
        return made, compile_criteria(spec, Path(f"<{name}>"), lambda _location: 0)

    def at_checkin(
        self, name: str, entity: str, year: int | None = None
    ) -> tuple[CompiledCriteria, DataFile]:
        """The criteria set and the data file of ``entity`` exactly as at check-in ``name``."""
        made, criteria = self.frozen(name)
        with Session(self.engine) as session:
            row = entity_row(session, entity)
            query = values.at(made.id).where(ValueVersion.entity_id == row.id)
            data = values.data_file(row, values.stored(session, query).get(row.id, []), year)
        if data is None:
            raise WorkspaceError.single(
                entity, "该检查点没有此对象的数值", "no values of it at this check-in"
            )
        return criteria, data

    def now(
        self,
        criteria: CompiledCriteria,
        entity: str | None = None,
        year: int | None = None,
        *,
        only: set[int] | None = None,
    ) -> list[tuple[EntityRow, DataFile]]:
        """Each entity the set assesses (or only ``entity``, or those of ids ``only``) with
        its values in force."""
        with Session(self.engine) as session:
            query = values.in_force()
            if entity is not None:
                query = query.where(ValueVersion.entity_id == entity_row(session, entity).id)
            if only is not None:
                query = query.where(ValueVersion.entity_id.in_(only))
            return _assessed(session, criteria, query, year, only)


def blocks(result: ItemResult) -> bool:
    """Whether an item result is a blocking gap: a basic condition or binding item that is
    not met (failing, missing, unreadable)."""
    return result.blocks and result.status not in ("pass", "not_applicable")


def _assessed(
    session: Session,
    criteria: CompiledCriteria,
    query: Any,
    year: int | None = None,
    only: set[int] | None = None,
) -> list[tuple[EntityRow, DataFile]]:
    """The entities of the set's levels that have values, with their data files."""
    levels = criteria.spec.level
    rows = {
        row.id: row
        for row in session.scalars(select(EntityRow).order_by(EntityRow.name))
        if row.level in levels and (only is None or row.id in only)
    }
    by_entity = values.stored(session, query)
    assessed = []
    for entity_id, row in rows.items():
        data = values.data_file(row, by_entity.get(entity_id, []), year)
        if data is not None:
            assessed.append((row, data))
    return assessed


def _in_force_ids(checkin_id: Any) -> Any:
    """``(checkin_id, version id)`` of every version in force."""
    newest = values.newest_numbers()
    return select(checkin_id, ValueVersion.id).join(
        newest,
        values.is_newest(newest),
    )


def _in_force(
    session: Session, only: set[int] | None = None
) -> dict[tuple[int, int, str], tuple[Any, ...]]:
    """Of every value's newest version (whatever its review state; of the entities ``only``):
    its number, then what an import compares (plain rows)."""
    newest = values.newest_numbers(counted_only=False)
    query = select(
        ValueVersion.entity_id, ValueVersion.year, ValueVersion.input, ValueVersion.number,
        ValueVersion.raw, ValueVersion.source, ValueVersion.evidence, ValueVersion.note,
        ValueVersion.warning, ValueVersion.no_data,
    ).join(
        newest,
        values.is_newest(newest),
    )  # fmt: skip
    if only:
        query = query.where(ValueVersion.entity_id.in_(only))
    return {(row[0], row[1], row[2]): tuple(row[3:]) for row in session.execute(query)}


class ConflictError(WorkspaceError):
    """Someone stored a version of the value after the form was shown."""


def _conflict(session: Session, entity_id: int, key: Key) -> ConflictError:
    newest = session.scalar(
        select(ValueVersion)
        .where(ValueVersion.entity_id == entity_id, ValueVersion.year == key[1],
               ValueVersion.input == key[2])
        .order_by(ValueVersion.number.desc())
        .limit(1)
    )  # fmt: skip
    assert newest is not None
    when = f"{newest.entered_at:%Y-%m-%d %H:%M}"
    return ConflictError.single(
        f"{key[0]} {key[1]} {key[2]}",
        f"此数值已由 {newest.entered_by} 于 {when} 改为 {newest.raw!r}(第 {newest.number} 版)；"
        "未保存。请刷新页面，核对后再填",
        f"{newest.entered_by} changed this value at {when} to {newest.raw!r} (version "
        f"{newest.number}); not stored. Reload the page, check, and enter it again",
    )


def _current(
    session: Session, entity_id: int | None = None
) -> dict[tuple[int, int, str], ValueVersion]:
    """The newest version of every value, whatever its review state (ORM rows), or of one
    entity's values."""
    newest = values.newest_numbers(counted_only=False)
    query = select(ValueVersion).join(
        newest,
        values.is_newest(newest),
    )
    if entity_id is not None:
        query = query.where(ValueVersion.entity_id == entity_id)
    rows = session.scalars(query)
    return {(v.entity_id, v.year, v.input): v for v in rows}


__all__ = [
    "FORM",
    "ImportResult",
    "Workspace",
    "WorkspaceError",
    "blocks",
    "init",
    "open_workspace",
    "period_of",
    "user_name",
]
