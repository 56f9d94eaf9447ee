"""Evidence files: what a file is, decided by its bytes (never by its name alone), and the
bounds an upload must keep. A file is stored as bytes and only ever handed back as a
download — never executed, never rendered inline."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import EcoassessError
from engine.workspace.audit import record
from engine.workspace.base import Database, WorkspaceError, entity_row, user_name
from engine.workspace.schema import EvidenceFile, EvidenceLink

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


class EvidenceStore(Database):
    """The evidence part of a :class:`~engine.workspace.store.Workspace`: files attached
    to an entity's inputs or items, stored once by content."""

    def attach(
        self,
        entity: str,
        file: Path,
        year: int,
        *,
        input_name: str | None = None,
        item: str | None = None,
        user: str | None = None,
    ) -> EvidenceLink:
        """Attach ``file`` as evidence to an entity's input (or item) for ``year``."""
        try:
            size = file.stat().st_size
            if size > MAX_EVIDENCE_BYTES:  # bounded before it is read
                raise too_large(file.name, size)
            data = file.read_bytes()
        except OSError as exc:
            raise WorkspaceError.single(
                str(file), "无法读取", f"cannot read: {exc.strerror}"
            ) from exc
        return self.attach_content(
            entity, file.name, data, year, input_name=input_name, item=item, user=user
        )

    def attach_content(
        self,
        entity: str,
        name: str,
        data: bytes,
        year: int,
        *,
        input_name: str | None = None,
        item: str | None = None,
        user: str | None = None,
    ) -> EvidenceLink:
        """Attach the bytes of a file called ``name``; the content is stored once, by its
        SHA-256, whatever names it is attached under."""
        if (input_name is None) == (item is None):
            raise WorkspaceError.single(
                name, "请指明所附的输入项或条目(二选一)", "attach to an input or an item (one)"
            )
        kind = checked(name, data)
        digest = hashlib.sha256(data).hexdigest()
        with self.transaction() as session:
            row = entity_row(session, entity)
            if session.get(EvidenceFile, digest) is None:
                session.add(EvidenceFile(sha256=digest, kind=kind, size=len(data), content=data))
            link = EvidenceLink(
                sha256=digest, entity_id=row.id, name=Path(name).name[:255], input=input_name,
                item=item, year=year, added_by=user or user_name(), added_at=datetime.now(),
            )  # fmt: skip
            session.add(link)
            session.flush()
            detail = {"file": link.name, "sha256": digest, "kind": kind}
            target = input_name or item
            record(session, link.added_by, "evidence", entity=entity, target=target, year=year,
                   detail=detail)  # fmt: skip
            session.expunge(link)
        return link

    def evidence(self, entity: str) -> list[EvidenceLink]:
        """The evidence attached to ``entity``, in the order it was attached."""
        with Session(self.engine) as session:
            row = entity_row(session, entity)
            return list(
                session.scalars(
                    select(EvidenceLink)
                    .where(EvidenceLink.entity_id == row.id)
                    .order_by(EvidenceLink.id)
                )
            )

    def evidence_link(self, link_id: int) -> tuple[EvidenceLink, str]:
        """An attachment and the checked kind of its file (pdf, png …)."""
        with Session(self.engine) as session:
            link = session.get(EvidenceLink, link_id)
            if link is None:
                raise WorkspaceError.single(str(link_id), "没有这个文件", "no such file")
            kind = session.scalar(
                select(EvidenceFile.kind).where(EvidenceFile.sha256 == link.sha256)
            )
            session.expunge(link)
        return link, kind or "pdf"

    def evidence_content(self, sha256: str) -> bytes:
        with Session(self.engine) as session:
            stored = session.get(EvidenceFile, sha256)
            if stored is None:
                raise WorkspaceError.single(sha256, "没有这个文件", "no such file")
            return stored.content


__all__ = [
    "MAX_EVIDENCE_BYTES",
    "MEDIA_TYPES",
    "EvidenceError",
    "EvidenceStore",
    "checked",
    "kind_of",
    "too_large",
]
