"""decision dates recomputed from the stage history

Revision ID: 0010_decision_dates
Revises: 0009_project_origin
Create Date: 2026-12-03

``project.decided_on`` was set on every move into Won or Lost, and on Landed only when empty:
a project lost, then landed without a Won step, kept the date of its loss and counted as won
that year. Every project's decision date is recomputed from its stage history by the one rule
(``core.decisions.decision_date``); projects without history keep theirs. The downgrade leaves
the corrected dates (the old ones were wrong).
"""

from collections.abc import Sequence
from itertools import groupby

import sqlalchemy as sa
from alembic import op

from core.decisions import decision_date

revision: str = "0010_decision_dates"
down_revision: str | None = "0009_project_origin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    moves = bind.execute(
        sa.text(
            "SELECT project_id, to_stage, changed_on FROM stagechange "
            "ORDER BY project_id, changed_on, id"
        ).columns(project_id=sa.Integer, to_stage=sa.String, changed_on=sa.Date)
    ).all()
    stored = dict(
        bind.execute(
            sa.text("SELECT id, decided_on FROM project").columns(id=sa.Integer, decided_on=sa.Date)
        ).all()
    )
    update = sa.text("UPDATE project SET decided_on = :decided WHERE id = :id")
    changed = []
    for project_id, rows in groupby(moves, key=lambda row: row[0]):
        decided = decision_date((stage, on) for _, stage, on in rows)
        if decided != stored.get(project_id):
            changed.append({"id": project_id, "decided": decided})
    if changed:
        bind.execute(update, changed)


def downgrade() -> None:
    """Nothing to undo: the dates before were the defect."""
