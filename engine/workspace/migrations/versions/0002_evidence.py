"""Evidence files (佐证材料), stored by content hash, and their links to values or items.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_file",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "evidence_link",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("evidence_file.sha256"), nullable=False),
        sa.Column("entity_id", sa.Integer, sa.ForeignKey("entity.id"), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("input", sa.String(200), nullable=True),
        sa.Column("item", sa.String(200), nullable=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("added_by", sa.String(100), nullable=False),
        sa.Column("added_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_evidence_link_entity_id", "evidence_link", ["entity_id"])


def downgrade() -> None:
    op.drop_table("evidence_link")
    op.drop_table("evidence_file")
