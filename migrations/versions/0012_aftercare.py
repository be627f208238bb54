"""aftercare check-ins, attribution claims, trend notes

Revision ID: 0012_aftercare
Revises: 0011_partner_role
Create Date: 2026-12-03

``checkin``: what a won project actually delivered (jobs created and kept, capex spent, on what
evidence, when), recorded by its owner at 12, 24 and 36 months. Never changed: the database
refuses an UPDATE (triggers below); a correction is a new check-in, and the latest counts.
``claim``: a chamber, an event or a staff member claims a project; the agency accepts or
refuses it with a reason. ``trendnote``: dated notes drawn on the monthly trend.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

SQLITE_TRIGGER = (
    "CREATE TRIGGER checkin_no_update BEFORE UPDATE ON checkin "
    "BEGIN SELECT RAISE(ABORT, 'a check-in cannot change: record a new one'); END"
)
POSTGRES_TRIGGER = (
    "CREATE FUNCTION checkin_kept() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'a check-in cannot change: record a new one'; END $$",
    "CREATE TRIGGER checkin_kept BEFORE UPDATE ON checkin "
    "FOR EACH ROW EXECUTE FUNCTION checkin_kept()",
)
revision: str = '0012_aftercare'
down_revision: str | None = '0011_partner_role'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('trendnote',
    sa.Column('noted_on', sa.Date(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('trendnote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trendnote_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_trendnote_is_demo'), ['is_demo'], unique=False)
        batch_op.create_index(batch_op.f('ix_trendnote_noted_on'), ['noted_on'], unique=False)

    op.create_table('checkin',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('jobs_created', sa.Integer(), nullable=False),
    sa.Column('jobs_kept', sa.Integer(), nullable=False),
    sa.Column('capex_spent_eur', sa.BigInteger(), nullable=True),
    sa.Column('evidence', sa.Enum('company_declaration', 'site_visit', 'public_registry', 'press', name='evidencekind', native_enum=False), nullable=False),
    sa.Column('evidence_note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('company_left', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('NOT company_left OR (jobs_created = 0 AND jobs_kept = 0)', name='ck_checkin_left'),
    sa.CheckConstraint('capex_spent_eur IS NULL OR capex_spent_eur >= 0', name='ck_checkin_capex'),
    sa.CheckConstraint('jobs_created >= 0 AND jobs_kept >= 0', name='ck_checkin_jobs'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_is_demo'), ['is_demo'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_checkin_project_on', ['project_id', 'checked_on', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_recorded_at'), ['recorded_at'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_TRIGGER:
            op.execute(statement)
    else:
        op.execute(SQLITE_TRIGGER)

    op.create_table('claim',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('claimant_kind', sa.Enum('chamber', 'event', 'staff', name='claimantkind', native_enum=False), nullable=False),
    sa.Column('chamber_id', sa.Integer(), nullable=True),
    sa.Column('mission_id', sa.Integer(), nullable=True),
    sa.Column('staff_name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('claimed_on', sa.Date(), nullable=False),
    sa.Column('statement', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'refused', name='claimstatus', native_enum=False), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('decision_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('author', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("(claimant_kind = 'chamber' AND chamber_id IS NOT NULL AND mission_id IS NULL AND staff_name IS NULL) OR (claimant_kind = 'event' AND mission_id IS NOT NULL AND chamber_id IS NULL AND staff_name IS NULL) OR (claimant_kind = 'staff' AND staff_name IS NOT NULL AND chamber_id IS NULL AND mission_id IS NULL)", name='ck_claim_claimant'),
    sa.CheckConstraint("(status = 'pending' AND decided_on IS NULL AND decision_reason IS NULL) OR (status <> 'pending' AND decided_on IS NOT NULL AND decision_reason IS NOT NULL)", name='ck_claim_decision'),
    sa.ForeignKeyConstraint(['chamber_id'], ['chamber.id'], ),
    sa.ForeignKeyConstraint(['mission_id'], ['mission.id'], ),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_chamber_id'), ['chamber_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_claimant_kind'), ['claimant_kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_is_demo'), ['is_demo'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_mission_id'), ['mission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_updated_at'), ['updated_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_updated_at'))
        batch_op.drop_index(batch_op.f('ix_claim_status'))
        batch_op.drop_index(batch_op.f('ix_claim_project_id'))
        batch_op.drop_index(batch_op.f('ix_claim_mission_id'))
        batch_op.drop_index(batch_op.f('ix_claim_is_demo'))
        batch_op.drop_index(batch_op.f('ix_claim_claimant_kind'))
        batch_op.drop_index(batch_op.f('ix_claim_chamber_id'))

    op.drop_table('claim')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER checkin_kept ON checkin")
        op.execute("DROP FUNCTION checkin_kept()")
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_recorded_at'))
        batch_op.drop_index('ix_checkin_project_on')
        batch_op.drop_index(batch_op.f('ix_checkin_project_id'))
        batch_op.drop_index(batch_op.f('ix_checkin_is_demo'))

    op.drop_table('checkin')
    with op.batch_alter_table('trendnote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trendnote_noted_on'))
        batch_op.drop_index(batch_op.f('ix_trendnote_is_demo'))
        batch_op.drop_index(batch_op.f('ix_trendnote_created_at'))

    op.drop_table('trendnote')
