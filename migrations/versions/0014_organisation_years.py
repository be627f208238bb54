"""organisations met per calendar year, kept by the database; indexes of the freshness stamps

Revision ID: 0014_organisation_years
Revises: 0013_summaries
Create Date: 2026-12-04

``organisationyear``: for each organisation and calendar year it was met in, its first and
last meeting of that year and whether it is a company (kind "company"). The organisations and
companies met in a period of one calendar year that starts on 1 January (the year to date,
the same span a year before, a whole year) are those whose first meeting of the year falls
by the period's end: a range count on ``ix_organisationyear_first`` instead of a distinct
count over every interaction of the period and a kind looked up for each (ending on 31
December: last meeting of the year from the start, ``ix_organisationyear_last``).

Kept like 0013's summaries, by triggers on both engines (so the one write path, imports,
merges, anonymisation, corrections, the demo's bulk inserts and deletion and plain SQL all
follow): an interaction added widens its organisation's year (an upsert); one removed, or
moved to another date or organisation, has its former year recomputed from the others on
``ix_interaction_org_on`` (the row deleted when none is left); on PostgreSQL the row is
locked first and the others looked for in statements of their own (a fresh snapshot), in a
BEFORE row trigger as 0013's (a multi-row statement sees its own rows handled before). A
change of an organisation's kind sets the flag of its years.

A covering index of the won figures (stage, decision date, origin, jobs, capex): the
headline, yearly and performance figures of the projects won read the index alone; and one
of the leads by origin (lead date, origin: India's share and years).

Indexes on the timestamps ``core.freshness.latest_write`` takes the latest of (interaction,
project, stage change, organisation, mission): one backward index seek each instead of a
scan of the table.

``python manage.py rebuild-summaries`` recomputes the table; ``tests/test_summaries.py`` checks
it against a full recomputation after every kind of write.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_organisation_years"
down_revision: str | None = "0013_summaries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The kinds counted as companies (``core.measures.COMPANY_KINDS``).
COMPANY = "'company'"

STAMP_INDEXES = {
    "ix_interaction_created_at": ("interaction", ["created_at"]),
    "ix_project_updated_at": ("project", ["updated_at"]),
    "ix_stagechange_recorded_at": ("stagechange", ["recorded_at"]),
    "ix_organisation_updated_at": ("organisation", ["updated_at"]),
    "ix_mission_created_at": ("mission", ["created_at"]),
}
#: The won figures (count, origin, jobs, capex of the projects won by decision date) read
#: from the index alone: a cold page read tens of thousands of project rows for them.
WON_INDEX = (
    "ix_project_won_figures",
    "project",
    [
        "stage",
        "decided_on",
        "origin_country_iso2",
        "jobs_announced",
        "jobs_kept",
        "capex_disclosure",
        "capex_eur",
    ],
)
YEAR_INDEXES = {
    "ix_organisationyear_first": ["year", "first_met_on", "company"],
    "ix_organisationyear_last": ["year", "last_met_on", "company"],
}


#: The leads by origin (India's share and years) read from the index alone.
LEAD_INDEX = ("ix_project_lead_origin", "project", ["lead_on", "origin_country_iso2"])


def _is_company(org: str) -> str:
    return f"coalesce((SELECT o.kind = {COMPANY} FROM organisation o WHERE o.id = {org}), false)"


def _sqlite_year(row: str) -> tuple[str, str, str]:
    """(year, first day, first day of the next year) of interaction ``row``, on SQLite."""
    return (
        f"CAST(strftime('%Y', {row}.occurred_on) AS INTEGER)",
        f"date({row}.occurred_on, 'start of year')",
        f"date({row}.occurred_on, 'start of year', '+1 year')",
    )


def _postgres_year(row: str) -> tuple[str, str, str]:
    first = f"date_trunc('year', {row}.occurred_on)::date"
    return (
        f"extract(year FROM {row}.occurred_on)::integer",
        first,
        f"({first} + interval '1 year')::date",
    )


def _others(row: str, bounds: tuple[str, str, str], what: str) -> str:
    """``what`` over the organisation's other interactions of ``row``'s year."""
    _, first, next_first = bounds
    return (
        f"(SELECT {what} FROM interaction i WHERE i.organisation_id = {row}.organisation_id "
        f"AND i.occurred_on >= {first} AND i.occurred_on < {next_first} AND i.id <> {row}.id)"
    )


def _add(row: str, bounds: tuple[str, str, str], least: str, greatest: str) -> str:
    year = bounds[0]
    return (
        "INSERT INTO organisationyear (organisation_id, year, first_met_on, last_met_on, "
        f"company) SELECT {row}.organisation_id, {year}, {row}.occurred_on, {row}.occurred_on, "
        f"{_is_company(f'{row}.organisation_id')} WHERE {row}.organisation_id IS NOT NULL "
        "ON CONFLICT (organisation_id, year) DO UPDATE SET "
        f"first_met_on = {least}(organisationyear.first_met_on, excluded.first_met_on), "
        f"last_met_on = {greatest}(organisationyear.last_met_on, excluded.last_met_on)"
    )


def _remove(row: str, bounds: tuple[str, str, str]) -> str:
    where = f"WHERE organisation_id = {row}.organisation_id AND year = {bounds[0]}"
    return (
        f"DELETE FROM organisationyear {where} AND {_others(row, bounds, 'min(i.occurred_on)')} "
        f"IS NULL; UPDATE organisationyear SET first_met_on = "
        f"{_others(row, bounds, 'min(i.occurred_on)')}, last_met_on = "
        f"{_others(row, bounds, 'max(i.occurred_on)')} {where}"
    )


def _sqlite_add(row: str) -> str:
    return _add(row, _sqlite_year(row), "min", "max")


def _sqlite_remove(row: str) -> str:
    return _remove(row, _sqlite_year(row))


SQLITE_TRIGGERS = (
    "CREATE TRIGGER interaction_year_insert AFTER INSERT ON interaction BEGIN "
    f"{_sqlite_add('NEW')}; END",
    "CREATE TRIGGER interaction_year_update AFTER UPDATE OF occurred_on, organisation_id "
    f"ON interaction BEGIN {_sqlite_remove('OLD')}; {_sqlite_add('NEW')}; END",
    "CREATE TRIGGER interaction_year_delete AFTER DELETE ON interaction BEGIN "
    f"{_sqlite_remove('OLD')}; END",
    "CREATE TRIGGER organisation_year_kind AFTER UPDATE OF kind ON organisation BEGIN "
    f"UPDATE organisationyear SET company = (NEW.kind = {COMPANY}) "
    "WHERE organisation_id = NEW.id; END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS organisation_year_kind",
    "DROP TRIGGER IF EXISTS interaction_year_delete",
    "DROP TRIGGER IF EXISTS interaction_year_update",
    "DROP TRIGGER IF EXISTS interaction_year_insert",
)


def _postgres_remove(row: str) -> str:
    bounds = _postgres_year(row)
    # Locked first, then recomputed in statements of their own (a fresh snapshot).
    return (
        f"IF {row}.organisation_id IS NOT NULL THEN PERFORM 1 FROM organisationyear "
        f"WHERE organisation_id = {row}.organisation_id AND year = {bounds[0]} FOR UPDATE; "
        f"{_remove(row, bounds)}; END IF"
    )


POSTGRES_TRIGGERS = (
    "CREATE FUNCTION interaction_year() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {_postgres_remove('OLD')}; END IF; "
    "IF TG_OP IN ('UPDATE', 'INSERT') THEN "
    f"{_add('NEW', _postgres_year('NEW'), 'least', 'greatest')}; END IF; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
    "CREATE TRIGGER interaction_year BEFORE INSERT OR DELETE OR UPDATE OF occurred_on, "
    "organisation_id ON interaction FOR EACH ROW EXECUTE FUNCTION interaction_year()",
    "CREATE FUNCTION organisation_year_kind() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"UPDATE organisationyear SET company = (NEW.kind = {COMPANY}) "
    "WHERE organisation_id = NEW.id; RETURN NULL; END $$",
    "CREATE TRIGGER organisation_year_kind AFTER UPDATE OF kind ON organisation "
    "FOR EACH ROW EXECUTE FUNCTION organisation_year_kind()",
)
POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS organisation_year_kind ON organisation",
    "DROP FUNCTION IF EXISTS organisation_year_kind()",
    "DROP TRIGGER IF EXISTS interaction_year ON interaction",
    "DROP FUNCTION IF EXISTS interaction_year()",
)


def fill_statement(dialect: str) -> str:
    """Every organisation's years at once, from the rows (also ``core.summaries``')."""
    year = (
        "extract(year FROM i.occurred_on)::integer"
        if dialect == "postgresql"
        else "CAST(strftime('%Y', i.occurred_on) AS INTEGER)"
    )
    return (
        "INSERT INTO organisationyear (organisation_id, year, first_met_on, last_met_on, "
        f"company) SELECT i.organisation_id, {year}, min(i.occurred_on), max(i.occurred_on), "
        f"max(CASE WHEN o.kind = {COMPANY} THEN 1 ELSE 0 END) = 1 FROM interaction i "
        "JOIN organisation o ON o.id = i.organisation_id "
        f"GROUP BY i.organisation_id, {year}"
    )


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.create_table(
        "organisationyear",
        sa.Column("organisation_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_met_on", sa.Date(), nullable=False),
        sa.Column("last_met_on", sa.Date(), nullable=False),
        sa.Column("company", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", "year"),
    )
    op.execute(fill_statement(op.get_bind().dialect.name))
    for name, columns in YEAR_INDEXES.items():
        op.create_index(name, "organisationyear", columns)
    for name, (table, columns) in STAMP_INDEXES.items():
        op.create_index(name, table, columns)
    op.create_index(*WON_INDEX)
    op.create_index(*LEAD_INDEX)
    for statement in POSTGRES_TRIGGERS if _postgres() else SQLITE_TRIGGERS:
        op.execute(statement)
    if _postgres():
        op.execute("ANALYZE organisationyear")


def downgrade() -> None:
    for statement in POSTGRES_DROP if _postgres() else SQLITE_DROP:
        op.execute(statement)
    op.drop_index(LEAD_INDEX[0], table_name=LEAD_INDEX[1])
    op.drop_index(WON_INDEX[0], table_name=WON_INDEX[1])
    for name, (table, _columns) in STAMP_INDEXES.items():
        op.drop_index(name, table_name=table)
    for name in YEAR_INDEXES:
        op.drop_index(name, table_name="organisationyear")
    op.drop_table("organisationyear")
