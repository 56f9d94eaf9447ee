"""Evidence files: what a file is, decided by its bytes (never by its name alone), and the
bounds an upload must keep. A file is stored as bytes and only ever handed back as a
download — never executed, never rendered inline."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from engine.errors import EcoassessError

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
"""Largest evidence file accepted (a scanned approval of a few pages is a few MB)."""

SUFFIXES = {
    "pdf": (".pdf",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg"),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
    "pptx": (".pptx",),
}
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_OFFICE_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}


class EvidenceError(EcoassessError):
    """An evidence file that is refused."""


def too_large(name: str, size: int) -> EvidenceError:
    return EvidenceError.single(
        name,
        f"文件过大({size} 字节，上限 {MAX_EVIDENCE_BYTES} 字节)",
        f"file too large ({size} bytes; the limit is {MAX_EVIDENCE_BYTES})",
    )


def kind_of(data: bytes) -> str | None:
    """pdf, png, jpeg, docx, xlsx or pptx by the content's own signature; None otherwise."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        for kind, part in _OFFICE_PARTS.items():
            if part in names and "[Content_Types].xml" in names:
                return kind
    return None


def checked(name: str, data: bytes) -> str:
    """The kind of an evidence file named ``name``, or :class:`EvidenceError` saying why not:
    too large, not a kind accepted, or a name whose suffix does not match the content."""
    if len(data) > MAX_EVIDENCE_BYTES:
        raise too_large(name, len(data))
    kind = kind_of(data)
    accepted = "PDF、PNG、JPEG、Word(.docx)、Excel(.xlsx)、PowerPoint(.pptx)"
    if kind is None:
        raise EvidenceError.single(
            name,
            f"不是可接受的佐证材料类型；请上传 {accepted}",
            "not an accepted kind of evidence; give a PDF, PNG, JPEG, .docx, .xlsx or .pptx",
        )
    if Path(name).suffix.lower() not in SUFFIXES[kind]:
        raise EvidenceError.single(
            name,
            f"文件名后缀与内容不符(内容为 {kind})；请改正文件名",
            f"the name's suffix does not match the content (a {kind}); correct the name",
        )
    return kind


__all__ = ["MAX_EVIDENCE_BYTES", "MEDIA_TYPES", "EvidenceError", "checked", "kind_of", "too_large"]
