"""The audit trail: every change (value, evidence, review decision, account, deadline) and
every refused attempt, with who and when — appended, never changed: the database itself
refuses an UPDATE or DELETE of it (migration 0004)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.reports.inert import inert_row, one_line
from engine.workspace.schema import AuditEntry

COLUMNS = ("at", "user", "action", "entity", "target", "year", "department", "detail")


def record(
    session: Session,
    user: str,
    action: str,
    *,
    entity: str | None = None,
    target: str | None = None,
    year: int | None = None,
    department: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry, in the caller's transaction (so it lands with the change itself)."""
    session.add(
        AuditEntry(
            at=datetime.now(), user=user, action=action, entity=entity, target=target,
            year=year, department=department, detail=detail or {},
        )
    )  # fmt: skip


def entries(
    engine: Any,
    *,
    user: str | None = None,
    department: str | None = None,
    entity: str | None = None,
    target: str | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """The trail, newest first, narrowed to a user, a department, or one value's entity and
    input."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    for column, wanted in ((AuditEntry.user, user), (AuditEntry.department, department),
                           (AuditEntry.entity, entity), (AuditEntry.target, target)):  # fmt: skip
        if wanted is not None:
            query = query.where(column == wanted)
    if limit is not None:
        query = query.limit(limit)
    with Session(engine) as session:
        return list(session.scalars(query))


def as_csv(found: list[AuditEntry]) -> bytes:
    """The trail as CSV (UTF-8 with a byte-order mark, for Excel); no cell is a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for e in found:
        detail = str(e.detail or "")
        row = [e.at.isoformat(timespec="seconds"), e.user, e.action, e.entity or "",
               e.target or "", e.year or "", e.department or "", detail]  # fmt: skip
        writer.writerow(inert_row([one_line(c) if isinstance(c, str) else c for c in row]))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


__all__ = ["COLUMNS", "as_csv", "entries", "record"]
