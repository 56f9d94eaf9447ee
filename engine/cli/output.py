"""Writing reports and templates without ever losing what is already there.

A file is written to a temporary file beside it and renamed into place, so a reader never
sees half a report and a crash leaves the old file intact; an existing file is replaced
only when the user says ``--force``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from engine.errors import EcoassessError
from engine.inputs import was_read


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Read once, at import (reading it means setting it, which is not safe once threads run).
_FILE_MODE = 0o666 & ~_current_umask()


class OutputExistsError(EcoassessError):
    """Raised when an output file exists and the user did not ask to replace it."""


def refuse_existing(path: Path, force: bool) -> None:
    """Raise unless ``path`` is free, or may be replaced — never a file this run read."""
    if was_read(path):
        raise OutputExistsError.single(
            str(path),
            "这是本次读取的输入文件，不会被覆盖(--force 也不会)；请换一个输出文件名",
            "this is an input the command read; it is never written over (not even with "
            "--force); choose another output name",
        )
    if path.exists() and not force:
        raise OutputExistsError.single(
            str(path),
            "文件已存在；换一个文件名，或加 --force 覆盖",
            "file exists; choose another name, or add --force to replace it",
        )


Content = str | bytes | Iterable[str]
"""A file's content: text, bytes, or text in pieces (written as they come)."""


def write_atomic(path: Path, content: Content, *, force: bool = False) -> None:
    """Write ``content`` to ``path`` atomically; never replace a file unless ``force``."""
    refuse_existing(path, force)
    pieces = [content] if isinstance(content, str | bytes) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); a report is an ordinary file (0644 mostly).
        os.fchmod(handle, _FILE_MODE)
        with os.fdopen(handle, "wb") as stream:
            for piece in pieces:
                stream.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
