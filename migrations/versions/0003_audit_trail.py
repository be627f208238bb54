"""audit trail: one append-only row per write

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The one change allowed: redacting an entry's values once (anonymisation of a person, GDPR),
#: which sets ``redacted_at`` and may change nothing but ``before`` and ``after``.
REDACTION = (
    "OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL AND NEW.id = OLD.id "
    "AND NEW.at = OLD.at AND NEW.actor = OLD.actor AND NEW.action = OLD.action "
    "AND NEW.table_name = OLD.table_name AND NEW.row_key = OLD.row_key"
)
SQLITE_TRIGGERS = (
    "CREATE TRIGGER auditentry_no_update BEFORE UPDATE ON auditentry "
    f"WHEN NOT ({REDACTION}) "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
    "CREATE TRIGGER auditentry_no_delete BEFORE DELETE ON auditentry "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
)
POSTGRES_TRIGGER = (
    "CREATE FUNCTION auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN IF TG_OP = 'UPDATE' AND {REDACTION} THEN RETURN NEW; END IF; "
    "RAISE EXCEPTION 'the audit trail is append-only'; END $$",
    "CREATE TRIGGER auditentry_append_only BEFORE UPDATE OR DELETE ON auditentry "
    "FOR EACH ROW EXECUTE FUNCTION auditentry_append_only()",
)


def upgrade() -> None:
    op.create_table(
        "auditentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column(
            "action",
            sa.Enum("insert", "update", "delete", name="auditaction", native_enum=False),
            nullable=False,
        ),
        sa.Column("table_name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("row_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("redacted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auditentry_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_auditentry_actor"), ["actor"], unique=False)
        batch_op.create_index(batch_op.f("ix_auditentry_table_name"), ["table_name"], unique=False)
        batch_op.create_index(
            "ix_auditentry_record", ["table_name", "row_key", "id"], unique=False
        )
    statements = POSTGRES_TRIGGER if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER auditentry_append_only ON auditentry")
        op.execute("DROP FUNCTION auditentry_append_only()")
    with op.batch_alter_table("auditentry", schema=None) as batch_op:
        batch_op.drop_index("ix_auditentry_record")
        batch_op.drop_index(batch_op.f("ix_auditentry_table_name"))
        batch_op.drop_index(batch_op.f("ix_auditentry_actor"))
        batch_op.drop_index(batch_op.f("ix_auditentry_at"))
    op.drop_table("auditentry")
