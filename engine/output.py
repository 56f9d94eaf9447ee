"""Writing reports and templates without ever losing what is already there.

A file is written to a temporary file beside it and renamed into place, so a reader never
sees half a report and a crash leaves the old file intact; an existing file is replaced
only when the user says ``--force``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from engine.errors import EcoassessError


class OutputExistsError(EcoassessError):
    """Raised when an output file exists and the user did not ask to replace it."""


def refuse_existing(path: Path, force: bool) -> None:
    """Raise unless ``path`` is free, or may be replaced."""
    if path.exists() and not force:
        raise OutputExistsError.single(
            str(path),
            "文件已存在；换一个文件名，或加 --force 覆盖",
            "file exists; choose another name, or add --force to replace it",
        )


def write_atomic(path: Path, content: str | bytes, *, force: bool = False) -> None:
    """Write ``content`` to ``path`` atomically; never replace a file unless ``force``."""
    refuse_existing(path, force)
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
