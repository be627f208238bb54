"""meetings per month and country of origin of the organisation met, kept by the database

Revision ID: 0018_meetings_by_origin
Revises: 0017_project_paths
Create Date: 2026-12-04

The India page's meetings with Indian organisations (its share of the world's meetings and
its meetings per month) joined each of the period's interactions to its organisation to read
its origin (country of control, else headquarters): at the benchmark's scale 310, 183,000
meetings in the year to date, 0.37 s and 0.40 s on SQLite. ``meetingorigin`` keeps, per
calendar month and origin, the meetings and the distinct organisations met (an organisation
has one origin, so the organisations of several origins add up), in ``slot`` rows like 0016's
``meetingcount`` (the organisation's id modulo 32 on PostgreSQL, 0 on SQLite); interactions
without an organisation, or with one of unknown origin, are not in it.

Kept by triggers on both engines: on interaction as 0013's counts (insert, delete, change of
date or organisation; on PostgreSQL a BEFORE row trigger that locks the slot's row first and
looks for the organisation's other meetings of the month in a statement of its own, and reads
the organisation's origin with a share lock, so that a concurrent change of its country waits
or is waited for), and on organisation when its origin changes (its meetings move from one
origin to the other, month by month).

``python manage.py rebuild-summaries`` recomputes it; ``tests/test_summaries.py`` checks it
against a full recomputation after every kind of write.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_meetings_by_origin"
down_revision: str | None = "0017_project_paths"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SLOTS = 32  # as 0016's
ORIGIN = "COALESCE(o.control_country_iso2, o.hq_country_iso2)"


def _origin_of(organisation: str) -> str:
    return f"(SELECT {ORIGIN} FROM organisation o WHERE o.id = {organisation})"


def _sqlite_count(row: str, sign: str) -> str:
    month = f"date({row}.occurred_on, 'start of month')"
    origin = _origin_of(f"{row}.organisation_id")
    statements = []
    if sign == "+":
        statements.append(
            "INSERT INTO meetingorigin (starts_on, country_iso2, slot, meetings, organisations) "
            f"SELECT {month}, c, 0, 0, 0 FROM (SELECT {origin} AS c) WHERE c IS NOT NULL "
            "ON CONFLICT DO NOTHING"
        )
    statements.append(
        f"UPDATE meetingorigin SET meetings = meetings {sign} 1, organisations = organisations "
        f"{sign} (CASE WHEN NOT EXISTS (SELECT 1 FROM interaction i WHERE i.organisation_id = "
        f"{row}.organisation_id AND i.occurred_on >= {month} AND i.occurred_on < "
        f"date({month}, '+1 month') AND i.id <> {row}.id) THEN 1 ELSE 0 END) "
        f"WHERE starts_on = {month} AND slot = 0 AND country_iso2 = {origin}"
    )
    return "; ".join(statements)


def _months_of(organisation: str, month: str) -> str:
    """The organisation's meetings per month: m, n."""
    return (
        f"SELECT {month} AS m, count(*) AS n FROM interaction WHERE organisation_id = "
        f"{organisation} GROUP BY {month}"
    )


def _move(old: str, new: str, organisation: str, month: str, slot: str) -> str:
    """Statements moving the organisation's months from origin ``old`` to ``new``."""
    return (
        f"UPDATE meetingorigin SET meetings = meetings - x.n, organisations = organisations - 1 "
        f"FROM ({_months_of(organisation, month)}) AS x WHERE meetingorigin.starts_on = x.m "
        f"AND meetingorigin.country_iso2 = {old} AND meetingorigin.slot = {slot}; "
        "INSERT INTO meetingorigin (starts_on, country_iso2, slot, meetings, organisations) "
        f"SELECT x.m, {new}, {slot}, x.n, 1 FROM ({_months_of(organisation, month)}) AS x "
        f"WHERE {new} IS NOT NULL ON CONFLICT (starts_on, country_iso2, slot) DO UPDATE SET "
        "meetings = meetingorigin.meetings + excluded.meetings, "
        "organisations = meetingorigin.organisations + 1"
    )


_SQLITE_MONTH = "date(occurred_on, 'start of month')"
_POSTGRES_MONTH = "date_trunc('month', occurred_on)::date"
_OLD = "COALESCE(OLD.control_country_iso2, OLD.hq_country_iso2)"
_NEW = "COALESCE(NEW.control_country_iso2, NEW.hq_country_iso2)"

SQLITE_TRIGGERS = (
    "CREATE TRIGGER interaction_origin_insert AFTER INSERT ON interaction "
    f"WHEN NEW.organisation_id IS NOT NULL BEGIN {_sqlite_count('NEW', '+')}; END",
    "CREATE TRIGGER interaction_origin_update_old AFTER UPDATE OF occurred_on, organisation_id "
    f"ON interaction WHEN OLD.organisation_id IS NOT NULL BEGIN {_sqlite_count('OLD', '-')}; "
    "END",
    "CREATE TRIGGER interaction_origin_update_new AFTER UPDATE OF occurred_on, organisation_id "
    f"ON interaction WHEN NEW.organisation_id IS NOT NULL BEGIN {_sqlite_count('NEW', '+')}; "
    "END",
    "CREATE TRIGGER interaction_origin_delete AFTER DELETE ON interaction "
    f"WHEN OLD.organisation_id IS NOT NULL BEGIN {_sqlite_count('OLD', '-')}; END",
    "CREATE TRIGGER organisation_origin_meetings AFTER UPDATE OF control_country_iso2, "
    f"hq_country_iso2 ON organisation WHEN {_OLD} IS NOT {_NEW} BEGIN "
    f"{_move(_OLD, _NEW, 'NEW.id', _SQLITE_MONTH, '0')}; END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS organisation_origin_meetings",
    "DROP TRIGGER IF EXISTS interaction_origin_delete",
    "DROP TRIGGER IF EXISTS interaction_origin_update_new",
    "DROP TRIGGER IF EXISTS interaction_origin_update_old",
    "DROP TRIGGER IF EXISTS interaction_origin_insert",
)


def _postgres_count(row: str, sign: str) -> str:
    month = f"date_trunc('month', {row}.occurred_on)::date"
    where = (
        f"WHERE starts_on = {month} AND country_iso2 = origin AND slot = "
        f"{row}.organisation_id % {SLOTS}"
    )
    # A share lock: a concurrent change of the organisation's country waits for this
    # meeting's transaction, or this one for it (then reads the new origin).
    read = (
        f"SELECT {ORIGIN} INTO origin FROM organisation o WHERE o.id = {row}.organisation_id "
        "FOR SHARE"
    )
    statements = []
    if sign == "+":
        statements.append(
            "INSERT INTO meetingorigin (starts_on, country_iso2, slot, meetings, organisations) "
            f"VALUES ({month}, origin, {row}.organisation_id % {SLOTS}, 0, 0) "
            "ON CONFLICT DO NOTHING"
        )
    statements += [
        f"UPDATE meetingorigin SET meetings = meetings {sign} 1 {where}",
        f"UPDATE meetingorigin SET organisations = organisations {sign} 1 {where} AND NOT EXISTS "
        f"(SELECT 1 FROM interaction i WHERE i.organisation_id = {row}.organisation_id AND "
        f"i.occurred_on >= {month} AND i.occurred_on < ({month} + interval '1 month')::date "
        f"AND i.id <> {row}.id)",
    ]
    return (
        f"IF {row}.organisation_id IS NOT NULL THEN {read}; IF origin IS NOT NULL THEN "
        + "; ".join(statements)
        + "; END IF; END IF"
    )


POSTGRES_TRIGGERS = (
    "CREATE FUNCTION interaction_origin() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "DECLARE origin varchar; BEGIN "
    f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {_postgres_count('OLD', '-')}; END IF; "
    f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {_postgres_count('NEW', '+')}; END IF; "
    "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
    "CREATE TRIGGER interaction_origin BEFORE INSERT OR DELETE OR UPDATE OF occurred_on, "
    "organisation_id ON interaction FOR EACH ROW EXECUTE FUNCTION interaction_origin()",
    "CREATE FUNCTION organisation_origin_meetings() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN {_move(_OLD, _NEW, 'NEW.id', _POSTGRES_MONTH, f'NEW.id % {SLOTS}')}; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER organisation_origin_meetings AFTER UPDATE OF control_country_iso2, "
    f"hq_country_iso2 ON organisation FOR EACH ROW WHEN ({_OLD} IS DISTINCT FROM {_NEW}) "
    "EXECUTE FUNCTION organisation_origin_meetings()",
)
POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS organisation_origin_meetings ON organisation",
    "DROP FUNCTION IF EXISTS organisation_origin_meetings()",
    "DROP TRIGGER IF EXISTS interaction_origin ON interaction",
    "DROP FUNCTION IF EXISTS interaction_origin()",
)


def expected_rows(postgres: bool) -> str:
    """Every (month, origin, slot)'s counts from the rows (also ``core.summaries``')."""
    month = (
        "date_trunc('month', i.occurred_on)::date"
        if postgres
        else ("date(i.occurred_on, 'start of month')")
    )
    slot = f"i.organisation_id % {SLOTS}" if postgres else "0"
    by_slot = f", {slot}" if postgres else ""  # (GROUP BY 0 would name a column)
    return (
        f"SELECT {month} AS starts_on, {ORIGIN} AS country_iso2, {slot} AS slot, "
        "count(*) AS meetings, count(DISTINCT i.organisation_id) AS organisations "
        "FROM interaction i JOIN organisation o ON o.id = i.organisation_id "
        f"WHERE {ORIGIN} IS NOT NULL GROUP BY {month}, {ORIGIN}{by_slot}"
    )


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.create_table(
        "meetingorigin",
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("country_iso2", sa.String(length=2), nullable=False),
        sa.Column("slot", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("meetings", sa.Integer(), nullable=False),
        sa.Column("organisations", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("starts_on", "country_iso2", "slot"),
    )
    op.create_index("ix_meetingorigin_country", "meetingorigin", ["country_iso2", "starts_on"])
    op.execute(
        "INSERT INTO meetingorigin (starts_on, country_iso2, slot, meetings, organisations) "
        f"SELECT starts_on, country_iso2, slot, meetings, organisations FROM "
        f"({expected_rows(_postgres())}) AS e"
    )
    for statement in POSTGRES_TRIGGERS if _postgres() else SQLITE_TRIGGERS:
        op.execute(statement)
    if _postgres():
        op.execute("ANALYZE meetingorigin")


def downgrade() -> None:
    for statement in POSTGRES_DROP if _postgres() else SQLITE_DROP:
        op.execute(statement)
    op.drop_index("ix_meetingorigin_country", table_name="meetingorigin")
    op.drop_table("meetingorigin")
