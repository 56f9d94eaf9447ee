"""The files this process has read, so that no command ever writes over one of them —
``--force`` or not (a report named like the criteria file, a summary.csv that was an input).
"""

from __future__ import annotations

import os
from pathlib import Path

_READ: set[str] = set()
MAX_KEPT = 100_000
"""A long-running workbench reads many uploads and writes none: the set stops growing."""


def note_read(path: Path) -> None:
    """Remember that ``path`` was read as an input."""
    if len(_READ) < MAX_KEPT:
        _READ.add(os.path.realpath(path))


def was_read(path: Path) -> bool:
    """Whether ``path`` (the same file by another name too) was read as an input."""
    return os.path.realpath(path) in _READ
