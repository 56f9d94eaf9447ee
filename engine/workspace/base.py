"""What every part of the workspace shares: its error, who is acting, finding an entity."""

from __future__ import annotations

import getpass

from sqlalchemy import select
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


__all__ = ["WorkspaceError", "entity_row", "user_name"]
