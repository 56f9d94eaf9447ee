"""Departments in the workspace: accounts, the review state of each value, deadlines, an
append-only audit trail, and settings.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The audit trail is append-only in the database itself: an UPDATE or DELETE is refused,
# whoever sends it.
SQLITE_GUARDS = [
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
]
POSTGRES_GUARDS = [
    "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$",
    "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit "
    "FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
    "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()",
]


def upgrade() -> None:
    with op.batch_alter_table("value_version") as table:
        table.add_column(
            sa.Column("state", sa.String(20), nullable=False, server_default="approved")
        )
        table.add_column(
            sa.Column("no_data", sa.Boolean, nullable=False, server_default=sa.false())
        )
        table.add_column(sa.Column("reason", sa.Text, nullable=True))
        table.add_column(sa.Column("reviewed_by", sa.String(100), nullable=True))
        table.add_column(sa.Column("reviewed_at", sa.DateTime, nullable=True))
    op.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("department", sa.String(200), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime, nullable=True),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        sa.Column("user", sa.String(100), nullable=False, index=True),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("entity", sa.String(200), nullable=True),
        sa.Column("target", sa.String(200), nullable=True),
        sa.Column("year", sa.Integer, nullable=True),
        sa.Column("department", sa.String(200), nullable=True, index=True),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_table(
        "deadline",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("checkin", sa.String(200), nullable=False),
        sa.Column("department", sa.String(200), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("set_by", sa.String(100), nullable=False),
        sa.Column("set_at", sa.DateTime, nullable=False),
        sa.Column("reminded_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("checkin", "department"),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    guards = POSTGRES_GUARDS if op.get_bind().dialect.name == "postgresql" else SQLITE_GUARDS
    for statement in guards:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_no_truncate ON audit")
        op.execute("DROP TRIGGER audit_no_change ON audit")
        op.execute("DROP FUNCTION audit_append_only()")
    op.drop_table("setting")
    op.drop_table("deadline")
    op.drop_table("audit")
    op.drop_table("account")
    with op.batch_alter_table("value_version") as table:
        for column in ("reviewed_at", "reviewed_by", "reason", "no_data", "state"):
            table.drop_column(column)
