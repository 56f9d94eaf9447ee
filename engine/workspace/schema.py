"""The workspace's tables, as SQLAlchemy models; the schema itself is made and migrated by
Alembic (``engine/workspace/migrations``), never by ``create_all``.

Nothing is overwritten: a value is a chain of versions (a correction is a new row), and a
check-in lists the versions in force when it was made, with the criteria set it used frozen
as JSON, so that its report can be made again, exactly, later.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class EntityRow(Base):
    """A city or county of the campaign."""

    __tablename__ = "entity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    level: Mapped[str] = mapped_column(String(20))
    profile: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    """code, parent, region, terrain, coastal, city_size — as the data file gave them."""


class ImportRow(Base):
    """One import: the files read, by whom, when."""

    __tablename__ = "import"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    files: Mapped[list[str]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the files' contents, in order."""
    entered_by: Mapped[str] = mapped_column(String(100))
    entered_at: Mapped[datetime] = mapped_column(DateTime)


class ValueVersion(Base):
    """One version of one input's value for an entity and a year."""

    __tablename__ = "value_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    input: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    raw: Mapped[object] = mapped_column(JSON, nullable=True)
    """The value as typed (the one cell reader reads it when a report is made)."""
    source: Mapped[str | None] = mapped_column(Text, nullable=True)
    evidence: Mapped[str | None] = mapped_column(Text, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    warning: Mapped[dict[str, str] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    """What the spreadsheet reader noted (a %-formatted cell), as the data file records it."""
    file: Mapped[str] = mapped_column(Text)
    import_id: Mapped[int] = mapped_column(ForeignKey("import.id"))
    entered_by: Mapped[str] = mapped_column(String(100))
    entered_at: Mapped[datetime] = mapped_column(DateTime)
    number: Mapped[int] = mapped_column(Integer)
    """1 for the first version of this entity × input × year, 2 for its first correction …"""
    period: Mapped[str | None] = mapped_column(String(20), nullable=True)
    """The return it came with, for an indicator reported during the year: a month
    (``2025-03``) or a quarter (``2025-Q1``); none for a yearly value."""
    state: Mapped[str] = mapped_column(String(20), default="approved")
    """draft → submitted → approved, or returned (with a reason). Only approved versions
    count in check-ins and the dashboard; the office's own imports are approved as made."""
    no_data: Mapped[bool] = mapped_column(Boolean, default=False)
    """Confirmed: no data this period (a state of its own, not a missing value)."""
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    """Why a reviewer returned it (the clerk sees it)."""
    reviewed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    __table_args__ = (UniqueConstraint("entity_id", "input", "year", "number"),)


class CheckIn(Base):
    """A named, dated snapshot: the versions in force and the criteria set used."""

    __tablename__ = "checkin"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    made_at: Mapped[datetime] = mapped_column(DateTime)
    made_by: Mapped[str] = mapped_column(String(100))
    criteria_id: Mapped[str] = mapped_column(String(100))
    criteria_digest: Mapped[str] = mapped_column(String(64))
    criteria: Mapped[dict[str, object]] = mapped_column(JSON, deferred=True)
    """The effective criteria set, frozen (its JSON; loaded only when asked for)."""


class CheckInResult(Base):
    """An entity's standing at a check-in, kept when the check-in is made so that the
    dashboard's history of blocking gaps needs no re-evaluation."""

    __tablename__ = "checkin_result"

    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkin.id"), primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    verdict: Mapped[str] = mapped_column(String(20))
    blocking: Mapped[list[str]] = mapped_column(JSON)
    """The numbers of the items that block the verdict (failing or missing, binding)."""


class CheckInValue(Base):
    __tablename__ = "checkin_value"

    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkin.id"), primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("value_version.id"), primary_key=True)


class EvidenceFile(Base):
    """A supporting document (佐证材料), stored once by the SHA-256 of its content."""

    __tablename__ = "evidence_file"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    """What the content is (pdf, png, jpeg, docx, xlsx, pptx), checked on the bytes."""
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class EvidenceLink(Base):
    """An evidence file attached to an entity's value (an input and a year) or to an item."""

    __tablename__ = "evidence_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("evidence_file.sha256"))
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    """The file's own name, as a label only (never a path)."""
    input: Mapped[str | None] = mapped_column(String(200), nullable=True)
    item: Mapped[str | None] = mapped_column(String(200), nullable=True)
    year: Mapped[int] = mapped_column(Integer)
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(DateTime)


class Account(Base):
    """A person who uses the workspace: an office administrator, a department's clerk, a
    reviewer of the technical-materials group, or a leader (read-only)."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    department: Mapped[str | None] = mapped_column(String(200), nullable=True)
    """The department a clerk is bound to (as the criteria sets name it)."""
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    """Where reminders go, when the workspace has an SMTP server configured."""
    password_hash: Mapped[str] = mapped_column(String(255))
    """argon2id; the password itself is never stored or logged."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    """Raised when the password changes or the account is disabled: older sessions end."""
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    """One change, recorded append-only (the database refuses to update or delete it)."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user: Mapped[str] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str | None] = mapped_column(String(200), nullable=True)
    target: Mapped[str | None] = mapped_column(String(200), nullable=True)
    """The input, item, account or deadline concerned."""
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    department: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class Deadline(Base):
    """When a department's return for a check-in is due."""

    __tablename__ = "deadline"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checkin: Mapped[str] = mapped_column(String(200))
    """The name of the check-in the return is for (made later, on or after the date)."""
    department: Mapped[str] = mapped_column(String(200))
    due: Mapped[date] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[datetime] = mapped_column(DateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    __table_args__ = (UniqueConstraint("checkin", "department"),)


class Setting(Base):
    """A workspace-wide setting, e.g. the key that signs the workbench's session cookies
    (kept in the database, so that every server process of a shared office uses it)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
