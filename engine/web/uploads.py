"""Uploaded files, kept only while one request is processed.

Each request's uploads are written to a private temporary folder (mode 0700) that is removed
when the request is done; nothing is kept and nothing is sent anywhere. A file's own name is
used only as a name — its last part, with characters file systems refuse replaced — never as
a path, so ``../../etc/passwd`` is saved as ``passwd`` inside the folder.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from werkzeug.datastructures import FileStorage

from engine.data.sources import DATA_SUFFIXES

MAX_FILES = 200


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
    if not chosen:
        raise UploadError(400, "请选择要上传的数据文件", "choose a data file to upload")
    if len(chosen) > MAX_FILES:
        raise UploadError(
            413, f"一次最多上传 {MAX_FILES} 个文件", f"upload at most {MAX_FILES} files at once"
        )
    for upload in chosen:
        suffix = Path(safe_name(upload.filename or "")).suffix.lower()
        if suffix not in DATA_SUFFIXES:
            kinds = "、".join(DATA_SUFFIXES)
            raise UploadError(
                415,
                f"{upload.filename}: 不支持的文件类型；请上传 {kinds} 文件",
                f"{upload.filename}: unsupported file type; upload {', '.join(DATA_SUFFIXES)}",
            )
    with tempfile.TemporaryDirectory(prefix="ecoassess-upload-") as folder:
        paths: list[Path] = []
        taken: set[str] = set()
        for upload in chosen:
            name = _unique(safe_name(upload.filename or ""), taken)
            path = Path(folder) / name
            upload.save(path)
            paths.append(path)
        yield Path(folder), paths


def safe_name(filename: str) -> str:
    """The last part of an uploaded file's name, without characters file systems refuse."""
    last = filename.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join("_" if c in ':*?"<>|' or ord(c) < 32 else c for c in last).strip(". ")
    return cleaned or "upload"


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


__all__ = ["UploadError", "safe_name", "saved", "without_folder"]
