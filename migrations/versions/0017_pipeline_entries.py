"""each project's pipeline entry, kept by the database

Revision ID: 0017_pipeline_entries
Revises: 0016_meeting_count_slots
Create Date: 2026-12-04

Time to decision runs from the date a project entered the pipeline in its current run
(``core.measures.entered_pipeline_on``: its first move into an open stage after its last loss
or abandonment, moves ordered by date then id) to its decision. The Overview computed that
entry for every project won in the period and in the one before, from the stage history: at
the benchmark's scale 310 (20,000 wins in the year to date) 0.40 s per period on PostgreSQL,
0.12 s on SQLite. ``projectentry`` keeps it (one row per project that has one), so the
figure is a join by key.

Kept like 0013's stage stays, by triggers on both engines on every insert, delete and change
of a stage change's project, date or stage (the one write path, imports, merges, the demo's
bulk inserts and deletion, plain SQL): the project's entry is recomputed from its history (a
handful of rows) after each row; on PostgreSQL an AFTER row trigger sees the whole statement's
rows, so a multi-row statement leaves the final entry.

``python manage.py rebuild-summaries`` recomputes it; ``tests/test_summaries.py`` checks it
against a full recomputation and against hand-worked dates.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_pipeline_entries"
down_revision: str | None = "0016_meeting_count_slots"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: ``models.OPEN_STAGES`` and ``core.measures.RUN_ENDS`` as stored.
OPEN = "'lead', 'qualified', 'active', 'site_visit', 'negotiation'"
ENDS = "'lost', 'abandoned'"


def entry_of(project: str) -> str:
    """The pipeline entry of ``project`` (an SQL expression of its id), NULL when none: the
    same definition as ``core.measures.entered_pipeline_on`` (also ``core.summaries``')."""
    return (
        "(SELECT min(m.changed_on) FROM stagechange m WHERE m.project_id = "
        f"{project} AND m.to_stage IN ({OPEN}) AND NOT EXISTS (SELECT 1 FROM stagechange e "
        f"WHERE e.project_id = m.project_id AND e.to_stage IN ({ENDS}) AND (e.changed_on > "
        "m.changed_on OR (e.changed_on = m.changed_on AND e.id > m.id))))"
    )


def _sqlite_recompute(project: str) -> str:
    return (
        f"DELETE FROM projectentry WHERE project_id = {project}; "
        "INSERT INTO projectentry (project_id, entered_on) SELECT "
        f"{project}, e FROM (SELECT {entry_of(project)} AS e) WHERE e IS NOT NULL"
    )


def _postgres_recompute(project: str) -> str:
    return (
        "INSERT INTO projectentry (project_id, entered_on) SELECT "
        f"{project}, e FROM (SELECT {entry_of(project)} AS e) AS x WHERE e IS NOT NULL "
        "ON CONFLICT (project_id) DO UPDATE SET entered_on = excluded.entered_on; "
        f"DELETE FROM projectentry WHERE project_id = {project} AND {entry_of(project)} IS NULL"
    )


WATCHED = "project_id, changed_on, to_stage"
SQLITE_TRIGGERS = (
    "CREATE TRIGGER stagechange_entry_insert AFTER INSERT ON stagechange BEGIN "
    f"{_sqlite_recompute('NEW.project_id')}; END",
    f"CREATE TRIGGER stagechange_entry_update AFTER UPDATE OF {WATCHED} ON stagechange BEGIN "
    f"{_sqlite_recompute('OLD.project_id')}; {_sqlite_recompute('NEW.project_id')}; END",
    "CREATE TRIGGER stagechange_entry_delete AFTER DELETE ON stagechange BEGIN "
    f"{_sqlite_recompute('OLD.project_id')}; END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS stagechange_entry_delete",
    "DROP TRIGGER IF EXISTS stagechange_entry_update",
    "DROP TRIGGER IF EXISTS stagechange_entry_insert",
)
POSTGRES_TRIGGERS = (
    "CREATE FUNCTION stagechange_entry() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {_postgres_recompute('OLD.project_id')}; END IF; "
    f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {_postgres_recompute('NEW.project_id')}; END IF; "
    "RETURN NULL; END $$",
    f"CREATE TRIGGER stagechange_entry AFTER INSERT OR DELETE OR UPDATE OF {WATCHED} "
    "ON stagechange FOR EACH ROW EXECUTE FUNCTION stagechange_entry()",
)
POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS stagechange_entry ON stagechange",
    "DROP FUNCTION IF EXISTS stagechange_entry()",
)


def fill_statement() -> str:
    """Every project's entry at once, from the rows (also ``core.summaries``')."""
    return (
        "INSERT INTO projectentry (project_id, entered_on) SELECT project_id, entered_on FROM "
        f"(SELECT p.id AS project_id, {entry_of('p.id')} AS entered_on FROM project p) AS x "
        "WHERE entered_on IS NOT NULL"
    )


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.create_table(
        "projectentry",
        sa.Column("project_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entered_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("project_id"),
    )
    op.execute(fill_statement())
    for statement in POSTGRES_TRIGGERS if _postgres() else SQLITE_TRIGGERS:
        op.execute(statement)
    if _postgres():
        op.execute("ANALYZE projectentry")


def downgrade() -> None:
    for statement in POSTGRES_DROP if _postgres() else SQLITE_DROP:
        op.execute(statement)
    op.drop_table("projectentry")
