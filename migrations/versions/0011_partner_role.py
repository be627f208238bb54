"""partner role: an account bound to one chamber, and the updates shared with it

Revision ID: 0011_partner_role
Revises: 0010_decision_dates
Create Date: 2026-12-04

A partner (a chamber of the CCI France International network) signs in with an account of role
``partner`` bound to its chamber (``useraccount.chamber_id``; a CHECK keeps every partner bound
to one chamber and no agency account bound to any). The role column grows to hold 'partner'.
``sharedupdate`` holds what the agency tells the referring chamber about a lead: the only text
of a project a partner reads.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011_partner_role"
down_revision: str | None = "0010_decision_dates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLE = sa.Enum("viewer", "staff", "admin", name="role", native_enum=False, length=6)
NEW_ROLE = sa.Enum("viewer", "staff", "admin", "partner", name="role", native_enum=False, length=7)
PARTNER_CHAMBER = (
    "(role = 'partner' AND chamber_id IS NOT NULL) OR (role <> 'partner' AND chamber_id IS NULL)"
)


def upgrade() -> None:
    with op.batch_alter_table("useraccount", schema=None) as batch_op:
        batch_op.alter_column("role", existing_type=OLD_ROLE, type_=NEW_ROLE, nullable=False)
        batch_op.add_column(sa.Column("chamber_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_useraccount_chamber_id"), ["chamber_id"])
        batch_op.create_foreign_key(
            "fk_useraccount_chamber_id_chamber", "chamber", ["chamber_id"], ["id"]
        )
        batch_op.create_check_constraint("ck_useraccount_partner_chamber", PARTNER_CHAMBER)
    op.create_table(
        "sharedupdate",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sharedupdate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sharedupdate_project_id"), ["project_id"])


def downgrade() -> None:
    with op.batch_alter_table("sharedupdate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sharedupdate_project_id"))
    op.drop_table("sharedupdate")
    op.execute(
        "DELETE FROM usersession WHERE user_id IN "
        "(SELECT id FROM useraccount WHERE role = 'partner')"
    )
    op.execute("DELETE FROM useraccount WHERE role = 'partner'")
    with op.batch_alter_table("useraccount", schema=None) as batch_op:
        batch_op.drop_constraint("ck_useraccount_partner_chamber", type_="check")
        batch_op.drop_constraint("fk_useraccount_chamber_id_chamber", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_useraccount_chamber_id"))
        batch_op.drop_column("chamber_id")
        batch_op.alter_column("role", existing_type=NEW_ROLE, type_=OLD_ROLE, nullable=False)
