"""frozen KPI snapshots

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: A frozen figure never changes; a snapshot made on demo data goes with them (clear-demo).
SQLITE_TRIGGERS = (
    "CREATE TRIGGER kpisnapshot_no_update BEFORE UPDATE ON kpisnapshot "
    "BEGIN SELECT RAISE(ABORT, 'frozen figures cannot change'); END",
    "CREATE TRIGGER kpisnapshot_no_delete BEFORE DELETE ON kpisnapshot WHEN NOT OLD.is_demo "
    "BEGIN SELECT RAISE(ABORT, 'frozen figures cannot be deleted'); END",
)
POSTGRES_TRIGGER = (
    "CREATE FUNCTION kpisnapshot_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN IF TG_OP = 'DELETE' AND OLD.is_demo THEN RETURN OLD; END IF; "
    "RAISE EXCEPTION 'frozen figures cannot change'; END $$",
    "CREATE TRIGGER kpisnapshot_frozen BEFORE UPDATE OR DELETE ON kpisnapshot "
    "FOR EACH ROW EXECUTE FUNCTION kpisnapshot_frozen()",
)


def upgrade() -> None:
    op.create_table('kpisnapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('definitions_version', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('home_country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('frozen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('frozen_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('kpisnapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpisnapshot_frozen_at'), ['frozen_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_kpisnapshot_is_demo'), ['is_demo'], unique=False)
        batch_op.create_index(batch_op.f('ix_kpisnapshot_period_start'), ['period_start'], unique=False)

    statements = POSTGRES_TRIGGER if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER kpisnapshot_frozen ON kpisnapshot")
        op.execute("DROP FUNCTION kpisnapshot_frozen()")
    with op.batch_alter_table('kpisnapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpisnapshot_period_start'))
        batch_op.drop_index(batch_op.f('ix_kpisnapshot_is_demo'))
        batch_op.drop_index(batch_op.f('ix_kpisnapshot_frozen_at'))

    op.drop_table('kpisnapshot')
