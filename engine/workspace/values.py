"""Which version of a value counts, and an entity's data file made from versions.

The version in force of a value is its highest-numbered one; a check-in lists the versions
that were in force when it was made. Both are read here in bulk (plain rows, not ORM
objects), because the dashboard and a check-in read every value of every entity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.data.record import DataFile, Entity, MeasuredValue, ReadWarning
from engine.workspace.schema import CheckInValue, EntityRow, ValueVersion


@dataclass(frozen=True)
class Stored:
    """One stored version, as a data file needs it."""

    entity_id: int
    input: str
    year: int
    raw: Any
    source: str | None
    evidence: str | None
    note: str | None
    warning: dict[str, str] | None
    no_data: bool


_COLUMNS = (
    ValueVersion.entity_id,
    ValueVersion.input,
    ValueVersion.year,
    ValueVersion.raw,
    ValueVersion.source,
    ValueVersion.evidence,
    ValueVersion.note,
    ValueVersion.warning,
    ValueVersion.no_data,
)


COUNTED = ("approved",)
"""The review states whose values count (in check-ins, the dashboard, reports now)."""


def newest_numbers(counted_only: bool = True) -> Any:
    """A subquery: the highest version number of each entity × input × year — among the
    versions that count (approved), or among all (drafts and submissions too)."""
    query = select(
        ValueVersion.entity_id,
        ValueVersion.input,
        ValueVersion.year,
        func.max(ValueVersion.number).label("number"),
    )
    if counted_only:
        query = query.where(ValueVersion.state.in_(COUNTED))
    return query.group_by(ValueVersion.entity_id, ValueVersion.input, ValueVersion.year).subquery()


def is_newest(newest: Any) -> Any:
    """The join condition: a version is the one :func:`newest_numbers` names."""
    return (
        (ValueVersion.entity_id == newest.c.entity_id)
        & (ValueVersion.input == newest.c.input)
        & (ValueVersion.year == newest.c.year)
        & (ValueVersion.number == newest.c.number)
    )


def in_force() -> Any:
    """The versions in force now."""
    newest = newest_numbers()
    return select(*_COLUMNS).join(
        newest,
        is_newest(newest),
    )


def at(checkin_id: int) -> Any:
    """The versions a check-in froze."""
    return (
        select(*_COLUMNS)
        .join(CheckInValue, CheckInValue.version_id == ValueVersion.id)
        .where(CheckInValue.checkin_id == checkin_id)
    )


def stored(session: Session, query: Any) -> dict[int, list[Stored]]:
    """The versions ``query`` selects, by entity."""
    by_entity: dict[int, list[Stored]] = {}
    for row in session.execute(query):
        by_entity.setdefault(row[0], []).append(Stored(*row))
    return by_entity


def data_file(row: EntityRow, versions: Iterable[Stored], year: int | None) -> DataFile | None:
    """The data file of ``row`` for ``year`` (default: the latest year with values), every
    other year as its history; ``None`` when there are no values."""
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
        return None
    chosen = year if year is not None else max(by_year)
    entity = Entity.model_validate(
        {"name": row.name, "level": row.level, "year": chosen, **row.profile}
    )
    return DataFile(
        entity=entity,
        values=by_year.get(chosen, {}),
        history={y: values for y, values in by_year.items() if y != chosen},
    )


__all__ = [
    "COUNTED",
    "Stored",
    "at",
    "data_file",
    "in_force",
    "is_newest",
    "newest_numbers",
    "stored",
]
