"""Uploaded files, kept only while one request is processed.

Each request's uploads are written to a private temporary folder (mode 0700) that is removed
when the request is done; nothing is kept and nothing is sent anywhere. A file's own name is
used only as a name — its last part, with characters file systems refuse replaced — never as
a path, so ``../../etc/passwd`` is saved as ``passwd`` inside the folder.

The folders of requests in progress are known (:func:`remove_live`): when the server is
stopped by a signal mid-request, the request's thread never reaches its clean-up, and the
server removes them instead.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from werkzeug.datastructures import FileStorage

from engine.data.sources import DATA_SUFFIXES

MAX_FILES = 200
_LIVE: set[str] = set()
"""The upload folders of requests in progress."""


def remove_live() -> None:
    """Remove the upload folders of requests still in progress (the server is stopping)."""
    for folder in list(_LIVE):
        shutil.rmtree(folder, ignore_errors=True)
        _LIVE.discard(folder)


@dataclass
class UploadError(Exception):
    """An upload that cannot be processed, with its HTTP status and its message."""

    status: int
    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@contextmanager
def saved(files: Sequence[FileStorage]) -> Iterator[tuple[Path, list[Path]]]:
    """Save ``files`` into a new private folder; yield it and the saved paths; remove it."""
    chosen = [upload for upload in files if upload.filename]
    with saved_bytes([(upload.filename or "", upload.stream.read()) for upload in chosen]) as got:
        yield got


@contextmanager
def saved_bytes(files: Sequence[tuple[str, bytes]]) -> Iterator[tuple[Path, list[Path]]]:
    """Write uploaded ``(name, content)`` pairs into a new private folder; yield it and the
    paths; remove it. Names are reduced to their last part; the type is checked by suffix."""
    chosen = [(name, content) for name, content in files if name]
    if not chosen:
        raise UploadError(400, "请选择要上传的数据文件", "choose a data file to upload")
    if len(chosen) > MAX_FILES:
        raise UploadError(
            413, f"一次最多上传 {MAX_FILES} 个文件", f"upload at most {MAX_FILES} files at once"
        )
    for name, _ in chosen:
        suffix = Path(safe_name(name)).suffix.lower()
        if suffix not in DATA_SUFFIXES:
            kinds = "、".join(DATA_SUFFIXES)
            raise UploadError(
                415,
                f"{name}: 不支持的文件类型；请上传 {kinds} 文件",
                f"{name}: unsupported file type; upload {', '.join(DATA_SUFFIXES)}",
            )
    with tempfile.TemporaryDirectory(
        prefix="ecoassess-upload-", ignore_cleanup_errors=True
    ) as folder:
        _LIVE.add(folder)
        try:
            paths: list[Path] = []
            taken: set[str] = set()
            for name, content in chosen:
                path = Path(folder) / _unique(safe_name(name), taken)
                path.write_bytes(content)
                paths.append(path)
            yield Path(folder), paths
        finally:
            _LIVE.discard(folder)


def safe_name(filename: str) -> str:
    """The last part of an uploaded file's name, without characters file systems refuse."""
    last = filename.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join("_" if c in ':*?"<>|' or ord(c) < 32 else c for c in last).strip(". ")
    # File systems allow 255 bytes a name: shorten the stem, keep the suffix (it picks the reader).
    stem, suffix = Path(cleaned).stem, Path(cleaned).suffix[:16]
    while len(f"{stem}{suffix}".encode()) > 200:
        stem = stem[:-1]
    return f"{stem}{suffix}" if stem or suffix else "upload"


def _unique(name: str, taken: set[str]) -> str:
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{stem} ({number}){suffix}"
    taken.add(candidate.lower())
    return candidate


def without_folder(text: str, folder: Path) -> str:
    """``text`` with the private folder's path removed, so messages name the user's file."""
    return text.replace(f"{folder}/", "").replace(str(folder), "")


__all__ = ["UploadError", "remove_live", "safe_name", "saved", "saved_bytes", "without_folder"]
