"""attribution claims looked up by project and status

Revision ID: 0015_claim_lookup
Revises: 0014_organisation_years
Create Date: 2026-12-04

"Has this won project an accepted claim?" (``core.measures.accepted_claim``: the network's
attributed projects, the Network page, the presentation's "attributed to the network") is asked
for every won project of a period. With only single-column indexes, SQLite answered it through
``ix_claim_status``, reading every accepted claim for each project (14,617 of them at the
benchmark's scale 310: the Network page's first view ran for minutes). One index on
(project, status, claimant kind) answers it with one seek on both engines.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015_claim_lookup"
down_revision: str | None = "0014_organisation_years"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_claim_project_status", "claim", ["project_id", "status", "claimant_kind"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_claim_project_status", table_name="claim")
