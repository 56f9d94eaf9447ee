"""Writing reports and templates without ever losing what is already there.

A file is written to a temporary file beside it and moved into place, so a reader never
sees half a report and a crash leaves the old file intact; an existing file is replaced
only when the user says ``--force``. On Linux the temporary file has no name
(``O_TMPFILE``) until it is complete, so even a process killed with SIGKILL leaves nothing
behind; elsewhere it is a hidden ``.NAME.…`` file beside the output, removed on any error.

An operating-system error (permission denied, disk full, file too large, name too long)
becomes one line naming the file and what to do (:class:`OutputError`), never a traceback.
"""

from __future__ import annotations

import errno
import os
import shutil
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


class OutputError(EcoassessError):
    """Raised when the operating system refuses to write an output."""


_ADVICE = {
    errno.EACCES: (
        "没有写入权限；请换一个文件夹或修改权限",
        "no permission to write; choose another folder or change its permissions",
    ),
    errno.EPERM: (
        "没有写入权限；请换一个文件夹或修改权限",
        "no permission to write; choose another folder or change its permissions",
    ),
    errno.EROFS: ("只读文件系统；请换一个文件夹", "read-only file system; choose another folder"),
    errno.ENOSPC: (
        "磁盘已满；请清理空间或换一个磁盘",
        "the disk is full; free some space or write elsewhere",
    ),
    errno.EDQUOT: (
        "超出磁盘配额；请清理空间或换一个磁盘",
        "disk quota exceeded; free some space or write elsewhere",
    ),
    errno.EFBIG: ("文件超过允许的大小上限", "the file is larger than the system allows"),
    errno.ENAMETOOLONG: (
        "文件名或路径过长；请用较短的名称",
        "the file name or path is too long; use a shorter one",
    ),
    errno.ENOTDIR: ("路径中有一部分不是文件夹", "part of the path is not a folder"),
    errno.EISDIR: ("这是一个文件夹；请给出文件名", "this is a folder; give a file name"),
    errno.ENOENT: ("路径不存在，也无法创建", "the path does not exist and cannot be made"),
}


def os_error(path: Path | str, exc: OSError) -> OutputError:
    """``exc`` as one line naming ``path``, the system's reason and what to do."""
    code = exc.errno or 0
    if code == errno.EEXIST and not Path(path).parent.is_dir():
        code = errno.ENOTDIR  # mkdir met a file where a folder belongs
    reason = exc.strerror or str(exc)
    zh, en = _ADVICE.get(code, (f"无法读写: {reason}", f"cannot read or write: {reason}"))
    return OutputError.single(str(path), zh, en)


def refuse_existing(path: Path, force: bool) -> None:
    """Raise unless ``path`` is free, or may be replaced — never a file this run read."""
    if was_read(path):
        raise OutputExistsError.single(
            str(path),
            "这是本次读取的输入文件，不会被覆盖(--force 也不会)；请换一个输出文件名",
            "this is an input the command read; it is never written over (not even with "
            "--force); choose another output name",
        )
    if path.exists() and not path.is_file():
        raise OutputExistsError.single(
            str(path),
            "不是普通文件(设备、文件夹或管道)，不会被覆盖；请给出文件名",
            "not a regular file (a device, folder or pipe); it is never written over; give "
            "a file name",
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
    """Write ``content`` to ``path`` atomically; never replace a file unless ``force``.

    Raises:
        OutputExistsError: ``path`` exists (without ``force``) or was read by this run.
        OutputError: the operating system refused (one line, with what to do).
    """
    refuse_existing(path, force)
    pieces = [content] if isinstance(content, str | bytes) else content
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = _unnamed_file(path.parent)
        temporary = None
        if handle is None:
            handle, name = tempfile.mkstemp(prefix=f".{path.name[:80]}.", dir=path.parent)
            temporary = Path(name)
        try:
            # mkstemp makes the file private (0600); a report is an ordinary file (0644 mostly).
            os.fchmod(handle, _FILE_MODE)
            with os.fdopen(handle, "wb", closefd=False) as stream:
                for piece in pieces:
                    stream.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
                stream.flush()
            if temporary is None and _link(handle, path):
                return  # a new file, named in one step
            if temporary is None:
                if not force:
                    refuse_existing(path, force)  # it appeared while we wrote
                temporary = _named(handle, path)
            os.replace(temporary, path)
        except BaseException:
            if temporary is not None:
                temporary.unlink(missing_ok=True)
            raise
        finally:
            os.close(handle)
    except OSError as exc:
        raise os_error(path, exc) from exc


def _unnamed_file(folder: Path) -> int | None:
    """A file in ``folder`` that has no name yet (Linux ``O_TMPFILE``), or ``None``."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not Path("/proc/self/fd").is_dir():
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None  # a file system without O_TMPFILE
        raise


def _link(handle: int, path: Path) -> bool:
    """Name the complete unnamed file ``path``; ``False`` when ``path`` exists."""
    try:
        _link_to(handle, path)
    except FileExistsError:
        return False
    return True


def _link_to(handle: int, path: Path) -> None:
    # linkat(…, AT_SYMLINK_FOLLOW) on /proc/self/fd/N names an O_TMPFILE file; Python calls
    # linkat (not link, which would not follow) only when a directory fd is given.
    folder = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.link(f"/proc/self/fd/{handle}", path.name, dst_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)


def _named(handle: int, path: Path) -> Path:
    """Give the complete unnamed file a hidden name beside ``path`` (to be moved onto it:
    a link cannot replace a file)."""
    for attempt in range(100):
        temporary = path.with_name(f".{path.name[:80]}.{os.getpid()}.{attempt}.tmp")
        try:
            _link_to(handle, temporary)
            return temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))


def check_writable(folder: Path, size: int) -> None:
    """Raise :class:`OutputError` unless ``folder`` can be made, written, and holds ``size``
    more bytes — checked before a batch writes its first file, so that it is never half
    written for a reason known in advance."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        raise os_error(folder, exc) from exc
    if free < size:
        raise OutputError.single(
            str(folder),
            f"磁盘空间不足: 需要约 {size} 字节，仅剩 {free} 字节；请清理空间或换一个文件夹",
            f"not enough disk space: about {size} bytes needed, {free} free; free some "
            "space or choose another folder",
        )
