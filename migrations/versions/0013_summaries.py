"""summaries the database keeps current: the end of each stage stay, meetings per year

Revision ID: 0013_summaries
Revises: 0012_aftercare
Create Date: 2026-12-03

``stagechange.left_on``: the date of the project's next stage change (by date, then id), None
for its current stay. Time in stage and the stage of a project at a past date become range
reads on ``ix_stagechange_left`` instead of a window over the whole history. Kept by
triggers on every insert, delete and change of a project or date of a stage change (on both
engines, so the one write path, imports, merges, the demo's bulk inserts and plain SQL all
follow); the database recomputes the whole project's history each time (a handful of rows).

``meetingcount``: per calendar year and per calendar month (``span``, ``starts_on``), the
meetings logged and the distinct organisations met, kept by triggers on every insert, delete
and change of date or organisation of an interaction: an organisation is counted in a year
when it has no other interaction in that year. The unfiltered yearly and monthly figures read
a few rows instead of a million. On PostgreSQL the count's row is locked first and the other
interactions looked for in a second statement (a fresh snapshot under READ COMMITTED), so two
writers logging the same organisation at once count it once; the trigger runs BEFORE each row
(an AFTER row trigger would see the whole statement's rows, and a bulk insert or delete would
count an organisation once per row), and sees the rows of the same statement handled before.

``organisationmet``: each organisation's last meeting (``last_met_on``; no row when it has
none), kept by the same triggers (on a deletion or a change, recomputed from its other
interactions on ``ix_interaction_org_on``): "organisations met since a date" (the Directory's
last five years, up to a day after which nothing is logged) is a range count on it.

Indexes the benchmark found: interactions per organisation and per project by date (the
Directory's organisations met, stale projects' last interaction).

``python manage.py rebuild-summaries`` (``core.summaries.rebuild_summaries``) recomputes all of
it from the rows; ``tests/test_summaries.py`` checks it equals a full recomputation after every
kind of write.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013_summaries"
down_revision: str | None = "0012_aftercare"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _next_change(row: str) -> str:
    """The date of the change after ``row`` in its project's history (by date, then id)."""
    return (
        "(SELECT n.changed_on FROM stagechange n WHERE n.project_id = "
        f"{row}.project_id AND (n.changed_on > {row}.changed_on OR (n.changed_on = "
        f"{row}.changed_on AND n.id > {row}.id)) ORDER BY n.changed_on, n.id LIMIT 1)"
    )


def _recompute(project: str) -> str:
    return (
        f"UPDATE stagechange SET left_on = {_next_change('stagechange')} "
        f"WHERE project_id = {project}"
    )


# SQLite's triggers do not fire themselves again (recursive_triggers is off); on both engines
# the UPDATE of left_on alone fires none of them (they watch project_id and changed_on).
SQLITE_TRIGGERS = (
    "CREATE TRIGGER stagechange_left_insert AFTER INSERT ON stagechange BEGIN "
    f"{_recompute('NEW.project_id')}; END",
    "CREATE TRIGGER stagechange_left_update AFTER UPDATE OF project_id, changed_on "
    f"ON stagechange BEGIN {_recompute('OLD.project_id')}; "
    f"{_recompute('NEW.project_id')}; END",
    "CREATE TRIGGER stagechange_left_delete AFTER DELETE ON stagechange BEGIN "
    f"{_recompute('OLD.project_id')}; END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS stagechange_left_delete",
    "DROP TRIGGER IF EXISTS stagechange_left_update",
    "DROP TRIGGER IF EXISTS stagechange_left_insert",
)
POSTGRES_TRIGGERS = (
    "CREATE FUNCTION stagechange_left() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP IN ('UPDATE', 'DELETE') THEN "
    f"{_recompute('OLD.project_id')}; END IF; "
    "IF TG_OP IN ('UPDATE', 'INSERT') THEN "
    f"{_recompute('NEW.project_id')}; END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER stagechange_left AFTER INSERT OR DELETE OR UPDATE OF project_id, "
    "changed_on ON stagechange FOR EACH ROW EXECUTE FUNCTION stagechange_left()",
)
POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS stagechange_left ON stagechange",
    "DROP FUNCTION IF EXISTS stagechange_left()",
)
INDEXES = {
    "ix_stagechange_left": ("stagechange", ["to_stage", "left_on", "changed_on", "project_id"]),
    "ix_interaction_org_on": ("interaction", ["organisation_id", "occurred_on"]),
    "ix_interaction_project_on": ("interaction", ["project_id", "occurred_on"]),
}
#: Every stay's end at once (the same rule as the triggers), for existing rows.
FILL_LEFT_ON = (
    "UPDATE stagechange SET left_on = n.left_on FROM (SELECT id, LEAD(changed_on) OVER "
    "(PARTITION BY project_id ORDER BY changed_on, id) AS left_on FROM stagechange) AS n "
    "WHERE n.id = stagechange.id AND n.left_on IS NOT NULL"
)


SPANS = {"year": ("'start of year'", "'+1 year'"), "month": ("'start of month'", "'+1 month'")}


def _sqlite_count(row: str, sign: str) -> str:
    """Statements adding (``sign`` "+") or removing ("-") the interaction ``row`` (NEW or OLD)
    to or from its year's and month's counts, on SQLite."""
    statements = []
    for span, (start, step) in SPANS.items():
        first = f"date({row}.occurred_on, {start})"
        if sign == "+":
            statements.append(
                "INSERT INTO meetingcount (span, starts_on, meetings, organisations) "
                f"VALUES ('{span}', {first}, 0, 0) ON CONFLICT DO NOTHING"
            )
        statements.append(
            f"UPDATE meetingcount SET meetings = meetings {sign} 1, organisations = "
            f"organisations {sign} (CASE WHEN {row}.organisation_id IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM interaction i WHERE i.organisation_id = {row}.organisation_id "
            f"AND i.occurred_on >= {first} AND i.occurred_on < date({first}, {step}) "
            f"AND i.id <> {row}.id) THEN 1 ELSE 0 END) "
            f"WHERE span = '{span}' AND starts_on = {first}"
        )
    return "; ".join(statements)


def _postgres_count(row: str, sign: str) -> str:
    statements = []
    for span in SPANS:
        first = f"date_trunc('{span}', {row}.occurred_on)::date"
        if sign == "+":
            statements.append(
                "INSERT INTO meetingcount (span, starts_on, meetings, organisations) "
                f"VALUES ('{span}', {first}, 0, 0) ON CONFLICT DO NOTHING"
            )
        where = f"WHERE span = '{span}' AND starts_on = {first}"
        statements.append(f"UPDATE meetingcount SET meetings = meetings {sign} 1 {where}")
        statements.append(
            f"UPDATE meetingcount SET organisations = organisations {sign} 1 {where} "
            f"AND {row}.organisation_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM interaction i "
            f"WHERE i.organisation_id = {row}.organisation_id AND i.occurred_on >= {first} "
            f"AND i.occurred_on < ({first} + interval '1 {span}')::date AND i.id <> {row}.id)"
        )
    return "; ".join(statements)


def _last_met(org: str, excluded: str) -> str:
    """The organisation's last meeting but interaction ``excluded`` (NULL when none)."""
    return (
        f"(SELECT max(i.occurred_on) FROM interaction i WHERE i.organisation_id = {org} "
        f"AND i.id <> {excluded})"
    )


def _sqlite_met(row: str, sign: str) -> str:
    if sign == "+":
        return (
            "INSERT INTO organisationmet (organisation_id, last_met_on) SELECT "
            f"{row}.organisation_id, {row}.occurred_on WHERE {row}.organisation_id IS NOT NULL "
            "ON CONFLICT (organisation_id) DO UPDATE SET last_met_on = "
            "max(last_met_on, excluded.last_met_on)"
        )
    last = _last_met(f"{row}.organisation_id", "-1")
    return (
        f"DELETE FROM organisationmet WHERE organisation_id = {row}.organisation_id AND {last} "
        f"IS NULL; UPDATE organisationmet SET last_met_on = {last} "
        f"WHERE organisation_id = {row}.organisation_id"
    )


def _postgres_met(row: str, sign: str) -> str:
    if sign == "+":
        return (
            f"IF {row}.organisation_id IS NOT NULL THEN INSERT INTO organisationmet "
            f"(organisation_id, last_met_on) VALUES ({row}.organisation_id, {row}.occurred_on) "
            "ON CONFLICT (organisation_id) DO UPDATE SET last_met_on = "
            "greatest(organisationmet.last_met_on, excluded.last_met_on); END IF"
        )
    # Locked first, then recomputed in statements of their own (a fresh snapshot).
    last = _last_met(f"{row}.organisation_id", "OLD.id")
    return (
        f"PERFORM 1 FROM organisationmet WHERE organisation_id = {row}.organisation_id "
        "FOR UPDATE; "
        f"DELETE FROM organisationmet WHERE organisation_id = {row}.organisation_id AND {last} "
        f"IS NULL; UPDATE organisationmet SET last_met_on = {last} "
        f"WHERE organisation_id = {row}.organisation_id"
    )


SQLITE_TRIGGERS += (
    "CREATE TRIGGER interaction_count_insert AFTER INSERT ON interaction BEGIN "
    f"{_sqlite_count('NEW', '+')}; {_sqlite_met('NEW', '+')}; END",
    "CREATE TRIGGER interaction_count_update AFTER UPDATE OF occurred_on, organisation_id "
    f"ON interaction BEGIN {_sqlite_count('OLD', '-')}; {_sqlite_count('NEW', '+')}; "
    f"{_sqlite_met('OLD', '-')}; {_sqlite_met('NEW', '+')}; END",
    "CREATE TRIGGER interaction_count_delete AFTER DELETE ON interaction BEGIN "
    f"{_sqlite_count('OLD', '-')}; {_sqlite_met('OLD', '-')}; END",
)
SQLITE_DROP += (
    "DROP TRIGGER IF EXISTS interaction_count_delete",
    "DROP TRIGGER IF EXISTS interaction_count_update",
    "DROP TRIGGER IF EXISTS interaction_count_insert",
)
POSTGRES_TRIGGERS += (
    "CREATE FUNCTION interaction_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP IN ('UPDATE', 'DELETE') THEN "
    f"{_postgres_count('OLD', '-')}; {_postgres_met('OLD', '-')}; END IF; "
    "IF TG_OP IN ('UPDATE', 'INSERT') THEN "
    f"{_postgres_count('NEW', '+')}; {_postgres_met('NEW', '+')}; END IF; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
    "CREATE TRIGGER interaction_count BEFORE INSERT OR DELETE OR UPDATE OF occurred_on, "
    "organisation_id ON interaction FOR EACH ROW EXECUTE FUNCTION interaction_count()",
)
POSTGRES_DROP += (
    "DROP TRIGGER IF EXISTS interaction_count ON interaction",
    "DROP FUNCTION IF EXISTS interaction_count()",
)


def _fill_counts() -> str:
    """Every year's and month's counts at once, for existing rows."""
    if _postgres():
        keys = {span: f"date_trunc('{span}', occurred_on)::date" for span in SPANS}
    else:
        keys = {span: f"date(occurred_on, {start})" for span, (start, _) in SPANS.items()}
    parts = [
        f"SELECT '{span}', {key}, count(*), count(DISTINCT organisation_id) FROM interaction "
        f"GROUP BY {key}"
        for span, key in keys.items()
    ]
    return (
        "INSERT INTO meetingcount (span, starts_on, meetings, organisations) "
        + " UNION ALL ".join(parts)
    )


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    # A plain ADD COLUMN: a batch (table copy) on SQLite would drop the table's triggers.
    op.add_column("stagechange", sa.Column("left_on", sa.Date(), nullable=True))
    op.execute(FILL_LEFT_ON)
    op.create_table(
        "meetingcount",
        sa.Column("span", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("meetings", sa.Integer(), nullable=False),
        sa.Column("organisations", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("span", "starts_on"),
    )
    op.execute(_fill_counts())
    op.create_table(
        "organisationmet",
        sa.Column("organisation_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_met_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id"),
    )
    op.create_index("ix_organisationmet_last_met_on", "organisationmet", ["last_met_on"])
    op.execute(
        "INSERT INTO organisationmet (organisation_id, last_met_on) SELECT organisation_id, "
        "max(occurred_on) FROM interaction WHERE organisation_id IS NOT NULL "
        "GROUP BY organisation_id"
    )
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)
    for statement in POSTGRES_TRIGGERS if _postgres() else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for statement in POSTGRES_DROP if _postgres() else SQLITE_DROP:
        op.execute(statement)
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
    op.drop_table("meetingcount")
    op.drop_index("ix_organisationmet_last_met_on", table_name="organisationmet")
    op.drop_table("organisationmet")
    op.drop_column("stagechange", "left_on")
