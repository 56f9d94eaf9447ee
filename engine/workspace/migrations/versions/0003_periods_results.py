"""The period of a value reported during the year, and each entity's standing at a check-in.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("value_version") as table:
        table.add_column(sa.Column("period", sa.String(20), nullable=True))
    op.create_table(
        "checkin_result",
        sa.Column("checkin_id", sa.Integer, sa.ForeignKey("checkin.id"), primary_key=True),
        sa.Column("entity_id", sa.Integer, sa.ForeignKey("entity.id"), primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("blocking", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("checkin_result")
    with op.batch_alter_table("value_version") as table:
        table.drop_column("period")
