"""The first workspace schema: entities, imports, value versions, check-ins.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entity",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("profile", sa.JSON, nullable=False),
    )
    op.create_table(
        "import",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("files", sa.JSON, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("entered_by", sa.String(100), nullable=False),
        sa.Column("entered_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "value_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entity_id", sa.Integer, sa.ForeignKey("entity.id"), nullable=False),
        sa.Column("input", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("raw", sa.JSON, nullable=True),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("evidence", sa.Text, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("warning", sa.JSON, nullable=True),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("import.id"), nullable=False),
        sa.Column("entered_by", sa.String(100), nullable=False),
        sa.Column("entered_at", sa.DateTime, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.UniqueConstraint("entity_id", "input", "year", "number"),
    )
    op.create_index("ix_value_version_entity_id", "value_version", ["entity_id"])
    op.create_table(
        "checkin",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("made_at", sa.DateTime, nullable=False),
        sa.Column("made_by", sa.String(100), nullable=False),
        sa.Column("criteria_id", sa.String(100), nullable=False),
        sa.Column("criteria_digest", sa.String(64), nullable=False),
        sa.Column("criteria", sa.JSON, nullable=False),
    )
    op.create_table(
        "checkin_value",
        sa.Column("checkin_id", sa.Integer, sa.ForeignKey("checkin.id"), primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("value_version.id"), primary_key=True),
    )


def downgrade() -> None:
    for table in ("checkin_value", "checkin", "value_version", "import", "entity"):
        op.drop_table(table)
