"""What every part of the workspace shares: its error, who is acting, finding an entity."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from engine.errors import EcoassessError
from engine.workspace.schema import EntityRow


class WorkspaceError(EcoassessError):
    """A workspace that cannot be made or opened, or a request it cannot answer."""


def user_name() -> str:
    """Who is entering values: the local user until accounts exist."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def entity_row(session: Session, name: str) -> EntityRow:
    row = session.scalar(select(EntityRow).where(EntityRow.name == name))
    if row is None:
        raise WorkspaceError.single(
            name, "工作区中没有这个评估对象", "no such entity in the workspace"
        )
    return row


WRITE = "ecoassess_write"
"""The execution option of a writing transaction (on SQLite it begins IMMEDIATE)."""


class Database:
    """The workspace's database: ``engine`` for reading, :meth:`transaction` for a change."""

    engine: Engine

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One writing transaction: committed at the end, rolled back on an error. On SQLite
        it takes the write lock when it begins, so that concurrent writers queue instead of
        failing; readers (``Session(engine)``) never wait for it."""
        with Session(self.engine.execution_options(**{WRITE: True})) as session, session.begin():
            yield session


__all__ = ["WRITE", "Database", "WorkspaceError", "entity_row", "user_name"]
