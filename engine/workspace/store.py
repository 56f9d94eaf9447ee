"""A workspace on disk (or on a PostgreSQL server): open it, import into it, freeze
check-ins, and make the data file of any entity and year as it stood at a check-in.

Every change is one transaction: an import with a bad cell, or with two files giving the
same input two different values, writes nothing; importing the same files again writes
nothing either (a value equal to the version in force is not a new version).
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, create_engine, func, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from engine.criteria.compiler import CompiledCriteria, compile_criteria
from engine.criteria.model import CriteriaSet
from engine.data.record import DataFile, Entity, MeasuredValue, ReadWarning
from engine.data.sources import load_entities
from engine.errors import DataError, EcoassessError, Problem
from engine.workspace.evidence import MAX_EVIDENCE_BYTES, checked, too_large
from engine.workspace.schema import (
    CheckIn,
    CheckInValue,
    EntityRow,
    EvidenceFile,
    EvidenceLink,
    ImportRow,
    ValueVersion,
)

CONFIG = "workspace.yaml"
DATABASE = "workspace.sqlite"
MIGRATIONS = Path(__file__).parent / "migrations"


class WorkspaceError(EcoassessError):
    """A workspace that cannot be made or opened, or a request it cannot answer."""


def user_name() -> str:
    """Who is entering values: the local user until accounts exist."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def init(path: Path, database: str | None = None) -> Workspace:
    """Make a workspace in the folder ``path`` (SQLite inside it, or ``database``)."""
    config = path / CONFIG
    if config.exists():
        raise WorkspaceError.single(
            str(path), "这里已经有一个工作区", "there is a workspace here already"
        )
    path.mkdir(parents=True, exist_ok=True)
    settings: dict[str, str | None] = {"database": database}
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
    migrate(engine)
    return Workspace(path, engine)


def migrate(engine: Engine) -> None:
    """Upgrade the schema to the newest revision (Alembic)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


Key = tuple[str, int, str]
"""(entity, year, input)."""


@dataclass
class ImportResult:
    """What an import did: new values, corrections, values already in force."""

    new: list[Key] = field(default_factory=list)
    changed: list[Key] = field(default_factory=list)
    unchanged: int = 0


@dataclass(frozen=True)
class _Given:
    raw: Any
    source: str | None
    evidence: str | None
    note: str | None
    warning: dict[str, str] | None
    file: str

    def same(self, version: ValueVersion) -> bool:
        return (self.raw, self.source, self.evidence, self.note, self.warning) == (
            version.raw,
            version.source,
            version.evidence,
            version.note,
            version.warning,
        )


class Workspace:
    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine

    # --- import -------------------------------------------------------------------------

    def import_files(
        self, files: Sequence[Path], criteria: CompiledCriteria, user: str | None = None
    ) -> ImportResult:
        """Read ``files`` (YAML, CSV, xlsx; one entity or many; whole returns or a
        department's rows) and store every value that differs from the version in force."""
        entities, given = self._read(files, criteria)
        result = ImportResult()
        by = user or user_name()
        now = datetime.now()
        with Session(self.engine) as session, session.begin():
            rows = {row.name: row for row in session.scalars(select(EntityRow))}
            current = _current(session)
            pending = []
            for key, value in sorted(given.items(), key=lambda kv: kv[0]):
                version = current.get((rows[key[0]].id, key[1], key[2])) if key[0] in rows else None
                if version is not None and value.same(version):
                    result.unchanged += 1
                    continue
                (result.changed if version is not None else result.new).append(key)
                pending.append((key, value, version.number + 1 if version else 1))
            if not pending and all(name in rows for name in entities):
                return result  # importing the same files again writes nothing
            record = ImportRow(
                files=[str(f) for f in files], digest=_digest(files), entered_by=by, entered_at=now
            )
            session.add(record)
            for name, entity in entities.items():
                profile = entity.model_dump(exclude={"name", "level", "year"}, exclude_none=True)
                row = rows.get(name)
                if row is None:
                    row = rows[name] = EntityRow(name=name, level=entity.level, profile=profile)
                    session.add(row)
                else:
                    row.level, row.profile = entity.level, {**row.profile, **profile}
            session.flush()
            for (name, year, input_name), value, number in pending:
                session.add(
                    ValueVersion(
                        entity_id=rows[name].id,
                        input=input_name,
                        year=year,
                        raw=value.raw,
                        source=value.source,
                        evidence=value.evidence,
                        note=value.note,
                        warning=value.warning,
                        file=value.file,
                        import_id=record.id,
                        entered_by=by,
                        entered_at=now,
                        number=number,
                    )
                )
        return result

    def _read(
        self, files: Sequence[Path], criteria: CompiledCriteria
    ) -> tuple[dict[str, Entity], dict[Key, _Given]]:
        problems: list[Problem] = []
        entities: dict[str, Entity] = {}
        given: dict[Key, _Given] = {}
        for path in files:
            for loaded in load_entities(path, criteria, subunits=True):
                if isinstance(loaded, DataError):
                    problems += loaded.problems
                    continue
                entities[loaded.entity.name] = loaded.entity
                for year, values in _years(loaded):
                    for input_name, measured in values.items():
                        key = (loaded.entity.name, year, input_name)
                        value = _Given(
                            raw=_plain(measured.value),
                            source=measured.source,
                            evidence=measured.evidence,
                            note=measured.note,
                            warning=measured.warning.model_dump() if measured.warning else None,
                            file=path.name,
                        )
                        other = given.get(key)
                        if other is not None and other.raw != value.raw:
                            problems.append(_conflict(key, other, value))
                        given.setdefault(key, value)
        if problems:
            raise DataError(problems)  # nothing is imported
        return entities, given

    # --- evidence ----------------------------------------------------------------------------

    def attach(
        self,
        entity: str,
        file: Path,
        year: int,
        *,
        input_name: str | None = None,
        item: str | None = None,
        user: str | None = None,
    ) -> EvidenceLink:
        """Attach ``file`` as evidence to an entity's input (or item) for ``year``; the
        content is stored once, by its SHA-256, whatever names it is attached under."""
        if (input_name is None) == (item is None):
            raise WorkspaceError.single(
                str(file), "请指明所附的输入项或条目(二选一)", "attach to an input or an item (one)"
            )
        try:
            size = file.stat().st_size
            if size > MAX_EVIDENCE_BYTES:  # bounded before it is read
                raise too_large(file.name, size)
            data = file.read_bytes()
        except OSError as exc:
            raise WorkspaceError.single(
                str(file), "无法读取", f"cannot read: {exc.strerror}"
            ) from exc
        kind = checked(file.name, data)
        digest = hashlib.sha256(data).hexdigest()
        with Session(self.engine) as session, session.begin():
            row = _entity(session, entity)
            if session.get(EvidenceFile, digest) is None:
                session.add(EvidenceFile(sha256=digest, kind=kind, size=len(data), content=data))
            link = EvidenceLink(
                sha256=digest, entity_id=row.id, name=file.name[:255], input=input_name,
                item=item, year=year, added_by=user or user_name(), added_at=datetime.now(),
            )  # fmt: skip
            session.add(link)
            session.flush()
            session.expunge(link)
        return link

    def evidence(self, entity: str) -> list[EvidenceLink]:
        """The evidence attached to ``entity``, in the order it was attached."""
        with Session(self.engine) as session:
            row = _entity(session, entity)
            return list(
                session.scalars(
                    select(EvidenceLink)
                    .where(EvidenceLink.entity_id == row.id)
                    .order_by(EvidenceLink.id)
                )
            )

    def evidence_content(self, sha256: str) -> bytes:
        with Session(self.engine) as session:
            stored = session.get(EvidenceFile, sha256)
            if stored is None:
                raise WorkspaceError.single(sha256, "没有这个文件", "no such file")
            return stored.content

    # --- what is in force, check-ins --------------------------------------------------------

    def entities(self) -> list[EntityRow]:
        with Session(self.engine) as session:
            return list(session.scalars(select(EntityRow).order_by(EntityRow.name)))

    def history(self, entity: str, input_name: str, year: int) -> list[ValueVersion]:
        """Every version of one value, oldest first."""
        with Session(self.engine) as session:
            row = _entity(session, entity)
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

    def checkin(self, name: str, criteria: CompiledCriteria, user: str | None = None) -> CheckIn:
        """Freeze the versions in force and the criteria set under ``name``."""
        frozen = criteria.spec.model_dump(mode="json")
        digest = hashlib.sha256(json.dumps(frozen, sort_keys=True).encode()).hexdigest()
        with Session(self.engine) as session, session.begin():
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
            for version in _current(session).values():
                session.add(CheckInValue(checkin_id=made.id, version_id=version.id))
            session.expunge(made)
        return made

    def at_checkin(
        self, name: str, entity: str, year: int | None = None
    ) -> tuple[CompiledCriteria, DataFile]:
        """The criteria set and the data file of ``entity`` exactly as at check-in ``name``."""
        with Session(self.engine) as session:
            made = session.scalar(select(CheckIn).where(CheckIn.name == name))
            if made is None:
                raise WorkspaceError.single(name, "没有这个检查点", "no check-in of this name")
            row = _entity(session, entity)
            versions = list(
                session.scalars(
                    select(ValueVersion)
                    .join(CheckInValue, CheckInValue.version_id == ValueVersion.id)
                    .where(CheckInValue.checkin_id == made.id, ValueVersion.entity_id == row.id)
                )
            )
            spec = CriteriaSet.model_validate(made.criteria)
            criteria = compile_criteria(spec, Path(f"<{name}>"), lambda _location: 0)
            return criteria, _data_file(row, versions, year)


def _current(session: Session) -> dict[tuple[int, int, str], ValueVersion]:
    """The version in force of every value: the highest number of each."""
    newest = (
        select(
            ValueVersion.entity_id,
            ValueVersion.input,
            ValueVersion.year,
            func.max(ValueVersion.number).label("number"),
        )
        .group_by(ValueVersion.entity_id, ValueVersion.input, ValueVersion.year)
        .subquery()
    )
    rows = session.scalars(
        select(ValueVersion).join(
            newest,
            (ValueVersion.entity_id == newest.c.entity_id)
            & (ValueVersion.input == newest.c.input)
            & (ValueVersion.year == newest.c.year)
            & (ValueVersion.number == newest.c.number),
        )
    )
    return {(v.entity_id, v.year, v.input): v for v in rows}


def _entity(session: Session, name: str) -> EntityRow:
    row = session.scalar(select(EntityRow).where(EntityRow.name == name))
    if row is None:
        raise WorkspaceError.single(
            name, "工作区中没有这个评估对象", "no such entity in the workspace"
        )
    return row


def _data_file(row: EntityRow, versions: Iterable[ValueVersion], year: int | None) -> DataFile:
    by_year: dict[int, dict[str, MeasuredValue]] = {}
    for v in versions:
        by_year.setdefault(v.year, {})[v.input] = MeasuredValue(
            value=v.raw,
            source=v.source,
            evidence=v.evidence,
            note=v.note,
            warning=ReadWarning.model_validate(v.warning) if v.warning else None,
        )
    if not by_year:
        raise WorkspaceError.single(
            row.name, "该检查点没有此对象的数值", "no values of it at this check-in"
        )
    chosen = year if year is not None else max(by_year)
    entity = Entity.model_validate(
        {"name": row.name, "level": row.level, "year": chosen, **row.profile}
    )
    return DataFile(
        entity=entity,
        values=by_year.get(chosen, {}),
        history={y: values for y, values in by_year.items() if y != chosen},
    )


def _years(data: DataFile) -> Iterable[tuple[int, dict[str, MeasuredValue]]]:
    yield data.entity.year, data.values
    yield from data.history.items()


def _plain(value: Any) -> Any:
    """A value as JSON keeps it (dates and the like as their text)."""
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


def _conflict(key: Key, one: _Given, other: _Given) -> Problem:
    entity, year, input_name = key
    return Problem(
        f"{entity} {year} {input_name}",
        f"两个文件给出了不同的数值: {one.file} 为 {one.raw!r}，{other.file} 为 {other.raw!r}；"
        "请确认后只保留一个",
        f"two files give different values: {one.file} {one.raw!r}, {other.file} {other.raw!r}; "
        "keep one",
    )


def _digest(files: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


__all__ = ["ImportResult", "Workspace", "WorkspaceError", "init", "open_workspace", "user_name"]
