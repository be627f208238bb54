"""each project's pipeline entry and furthest stage, kept by the database

Revision ID: 0017_project_paths
Revises: 0016_meeting_count_slots
Create Date: 2026-12-04

Time to decision runs from the date a project entered the pipeline in its current run
(``core.measures.entered_pipeline_on``: its first move into an open stage after its last loss
or abandonment, moves ordered by date then id) to its decision. The Overview computed that
entry for every project won in the period and in the one before, from the stage history: at
the benchmark's scale 310 (20,000 wins in the year to date) 0.40 s per period on PostgreSQL,
0.12 s on SQLite. The Pipeline's conversion counts how many of the period's leads reached each
stage (their furthest stage on the main path): on PostgreSQL a scan of all 1.1 million stage
changes, 0.5 s. ``projectpath`` keeps both per project with a stage history (``entered_on``,
NULL when it has no entry; ``furthest_rank``, the highest place on ``models.STAGE_ORDER`` it
reached, -1 when only off the path), so each figure is a join by key.

Kept like 0013's stage stays, by triggers on both engines on every insert, delete and change
of a stage change's project, date or stage (the one write path, imports, merges, the demo's
bulk inserts and deletion, plain SQL): the project's path is recomputed from its history (a
handful of rows) after each row; on PostgreSQL an AFTER row trigger sees the whole statement's
rows, so a multi-row statement leaves the final path.

``python manage.py rebuild-summaries`` recomputes it; ``tests/test_summaries.py`` checks it
against a full recomputation and against hand-worked dates.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_project_paths"
down_revision: str | None = "0016_meeting_count_slots"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: ``models.OPEN_STAGES``, ``core.measures.RUN_ENDS`` and ``models.STAGE_ORDER`` as stored.
OPEN = "'lead', 'qualified', 'active', 'site_visit', 'negotiation'"
ENDS = "'lost', 'abandoned'"
PATH = ("target", "lead", "qualified", "active", "site_visit", "negotiation", "won", "landed")


def entry_of(project: str) -> str:
    """The pipeline entry of ``project`` (an SQL expression of its id), NULL when none: the
    same definition as ``core.measures.entered_pipeline_on``."""
    return (
        "(SELECT min(m.changed_on) FROM stagechange m WHERE m.project_id = "
        f"{project} AND m.to_stage IN ({OPEN}) AND NOT EXISTS (SELECT 1 FROM stagechange e "
        f"WHERE e.project_id = m.project_id AND e.to_stage IN ({ENDS}) AND (e.changed_on > "
        "m.changed_on OR (e.changed_on = m.changed_on AND e.id > m.id))))"
    )


def rank_of(column: str) -> str:
    whens = " ".join(f"WHEN '{stage}' THEN {i}" for i, stage in enumerate(PATH))
    return f"CASE {column} {whens} ELSE -1 END"


def furthest_of(project: str) -> str:
    """The furthest place on the main path ``project`` reached; NULL without any change."""
    return f"(SELECT max({rank_of('f.to_stage')}) FROM stagechange f WHERE f.project_id = {project})"


def _path_of(project: str) -> str:
    """(project_id, entered_on, furthest_rank) of ``project``: no row without a change."""
    return (
        f"SELECT {project}, {entry_of(project)}, r FROM (SELECT {furthest_of(project)} AS r) "
        "AS x WHERE r IS NOT NULL"
    )


def _sqlite_recompute(project: str) -> str:
    return (
        f"DELETE FROM projectpath WHERE project_id = {project}; "
        f"INSERT INTO projectpath (project_id, entered_on, furthest_rank) {_path_of(project)}"
    )


def _postgres_recompute(project: str) -> str:
    return (
        f"INSERT INTO projectpath (project_id, entered_on, furthest_rank) {_path_of(project)} "
        "ON CONFLICT (project_id) DO UPDATE SET entered_on = excluded.entered_on, "
        "furthest_rank = excluded.furthest_rank; "
        f"DELETE FROM projectpath WHERE project_id = {project} AND NOT EXISTS "
        f"(SELECT 1 FROM stagechange s WHERE s.project_id = {project})"
    )


WATCHED = "project_id, changed_on, to_stage"
SQLITE_TRIGGERS = (
    "CREATE TRIGGER stagechange_path_insert AFTER INSERT ON stagechange BEGIN "
    f"{_sqlite_recompute('NEW.project_id')}; END",
    f"CREATE TRIGGER stagechange_path_update AFTER UPDATE OF {WATCHED} ON stagechange BEGIN "
    f"{_sqlite_recompute('OLD.project_id')}; {_sqlite_recompute('NEW.project_id')}; END",
    "CREATE TRIGGER stagechange_path_delete AFTER DELETE ON stagechange BEGIN "
    f"{_sqlite_recompute('OLD.project_id')}; END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS stagechange_path_delete",
    "DROP TRIGGER IF EXISTS stagechange_path_update",
    "DROP TRIGGER IF EXISTS stagechange_path_insert",
)
POSTGRES_TRIGGERS = (
    "CREATE FUNCTION stagechange_path() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {_postgres_recompute('OLD.project_id')}; END IF; "
    f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {_postgres_recompute('NEW.project_id')}; END IF; "
    "RETURN NULL; END $$",
    f"CREATE TRIGGER stagechange_path AFTER INSERT OR DELETE OR UPDATE OF {WATCHED} "
    "ON stagechange FOR EACH ROW EXECUTE FUNCTION stagechange_path()",
)
POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS stagechange_path ON stagechange",
    "DROP FUNCTION IF EXISTS stagechange_path()",
)


def expected_paths() -> str:
    """Every project's path at once, from the rows (also ``core.summaries``'): project_id,
    entered_on, furthest_rank."""
    return (
        f"SELECT p.id AS project_id, {entry_of('p.id')} AS entered_on, "
        f"x.furthest_rank FROM project p JOIN (SELECT project_id, max({rank_of('to_stage')}) "
        "AS furthest_rank FROM stagechange GROUP BY project_id) AS x ON x.project_id = p.id"
    )


def fill_statement() -> str:
    return (
        "INSERT INTO projectpath (project_id, entered_on, furthest_rank) "
        f"SELECT project_id, entered_on, furthest_rank FROM ({expected_paths()}) AS e"
    )


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.create_table(
        "projectpath",
        sa.Column("project_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entered_on", sa.Date(), nullable=True),
        sa.Column("furthest_rank", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("project_id"),
    )
    op.execute(fill_statement())
    for statement in POSTGRES_TRIGGERS if _postgres() else SQLITE_TRIGGERS:
        op.execute(statement)
    if _postgres():
        op.execute("ANALYZE projectpath")


def downgrade() -> None:
    for statement in POSTGRES_DROP if _postgres() else SQLITE_DROP:
        op.execute(statement)
    op.drop_table("projectpath")
