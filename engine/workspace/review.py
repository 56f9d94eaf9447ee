"""Review: a department's value goes draft → submitted → approved, or returned with a reason
the clerk sees; only approved values count in check-ins and the dashboard. Each step is a
line of the audit trail, with who and when; a step that does not follow from the value's
state is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.workspace import values
from engine.workspace.audit import record
from engine.workspace.base import WorkspaceError
from engine.workspace.schema import EntityRow, ValueVersion
from engine.workspace.store import Workspace

STATES = ("draft", "submitted", "approved", "returned")
STATE_NAMES = {"draft": "草稿", "submitted": "已报送待审", "approved": "已审核通过",
               "returned": "已退回"}  # fmt: skip


@dataclass(frozen=True)
class Pending:
    """A version awaiting a step (the reviewer's queue, a clerk's returned values)."""

    id: int
    entity: str
    input: str
    year: int
    number: int
    raw: object
    no_data: bool
    state: str
    reason: str | None
    entered_by: str
    entered_at: datetime


def _newest(session: Session, version_id: int) -> ValueVersion:
    """The version ``version_id``, which must be its value's newest (an older one has been
    superseded: deciding on it would decide on a value nobody sees)."""
    version = session.get(ValueVersion, version_id, with_for_update=True)
    if version is None:
        raise WorkspaceError.single(str(version_id), "没有此版本", "no such version")
    newest = session.scalar(
        select(ValueVersion.number)
        .where(ValueVersion.entity_id == version.entity_id, ValueVersion.input == version.input,
               ValueVersion.year == version.year)
        .order_by(ValueVersion.number.desc())
        .limit(1)
    )  # fmt: skip
    if newest != version.number:
        raise WorkspaceError.single(
            f"{version.input} {version.year}",
            f"此数值已有更新的第 {newest} 版；请刷新页面",
            f"a newer version ({newest}) exists; reload the page",
        )
    return version


def submit(
    space: Workspace, version_ids: list[int], user: str, department: str | None = None
) -> int:
    """Submit drafts (and returned values, once corrected) for review; how many."""
    done = 0
    with space.transaction() as session:
        for version_id in version_ids:
            version = _newest(session, version_id)
            if version.state not in ("draft", "returned"):
                continue
            version.state = "submitted"
            _log(session, version, user, "submitted", department)
            done += 1
    return done


def decide(
    space: Workspace,
    version_id: int,
    approve: bool,
    user: str,
    reason: str | None = None,
) -> None:
    """Approve a submitted value, or return it with ``reason`` (required)."""
    if not approve and not (reason or "").strip():
        raise WorkspaceError.single(
            str(version_id), "退回时请写明原因", "give the reason for returning it"
        )
    with space.transaction() as session:
        version = _newest(session, version_id)
        if version.state != "submitted":
            raise WorkspaceError.single(
                f"{version.input} {version.year}",
                f"只能审核已报送的数值(当前: {STATE_NAMES.get(version.state, version.state)})",
                f"only a submitted value can be decided (it is {version.state})",
            )
        version.state = "approved" if approve else "returned"
        version.reason = None if approve else (reason or "").strip()
        version.reviewed_by, version.reviewed_at = user, datetime.now()
        _log(session, version, user, version.state, None, version.reason)


def pending(
    space: Workspace,
    states: tuple[str, ...] = ("submitted",),
    inputs: set[str] | None = None,
) -> list[Pending]:
    """The newest versions in ``states`` (of ``inputs`` only, for a department)."""
    newest = values.newest_numbers(counted_only=False)
    query = (
        select(ValueVersion, EntityRow.name)
        .join(EntityRow, EntityRow.id == ValueVersion.entity_id)
        .join(
            newest,
            values.is_newest(newest),
        )
        .where(ValueVersion.state.in_(states))
        .order_by(EntityRow.name, ValueVersion.input, ValueVersion.year)
    )
    if inputs is not None:
        query = query.where(ValueVersion.input.in_(inputs))
    with Session(space.engine) as session:
        return [
            Pending(
                v.id,
                name,
                v.input,
                v.year,
                v.number,
                v.raw,
                v.no_data,
                v.state,
                v.reason,
                v.entered_by,
                v.entered_at,
            )
            for v, name in session.execute(query)
        ]


def entity_of(space: Workspace, version_id: int) -> tuple[str, str]:
    """The entity and input of a version (for the access check before a step)."""
    with Session(space.engine) as session:
        version = session.get(ValueVersion, version_id)
        if version is None:
            raise WorkspaceError.single(str(version_id), "没有此版本", "no such version")
        row = session.get(EntityRow, version.entity_id)
        assert row is not None
        return row.name, version.input


def _log(
    session: Session,
    version: ValueVersion,
    user: str,
    action: str,
    department: str | None,
    reason: str | None = None,
) -> None:
    row = session.get(EntityRow, version.entity_id)
    record(
        session, user, action, entity=row.name if row else None, target=version.input,
        year=version.year, department=department,
        detail={"number": version.number, "value": version.raw, "reason": reason},
    )  # fmt: skip


__all__ = ["STATES", "STATE_NAMES", "Pending", "decide", "entity_of", "pending", "submit"]
