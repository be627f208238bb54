"""meeting counts in slots, so that concurrent writers of a year do not queue on one row

Revision ID: 0016_meeting_count_slots
Revises: 0015_claim_lookup
Create Date: 2026-12-04

0013's ``meetingcount`` held one row per year and per month: on PostgreSQL every meeting
logged in a year updated the same two rows, and each writer held their lock until it
committed, so 8 staff members logging at once waited for each other (``bench/writers.py``: p95
296-438 ms, most samples of ``pg_stat_activity`` waiting on ``Lock:transactionid`` in
``INSERT INTO interaction``). The counts are now kept in ``SLOTS`` rows per year and month
(``slot``: the organisation's id modulo 32, the interaction's own id when it has none), and a
reader sums them. An organisation is always counted in its own slot, so two writers logging
the same organisation still lock the same row first and the second sees the first's meeting
(the organisation counted once); writers of different organisations mostly lock different
rows. On SQLite, where one writer at a time holds the database, every count stays in slot 0
and 0013's triggers are unchanged.

A multi-row statement (an import, a merge) may now lock several slots in any order, so two of
them at once on PostgreSQL can deadlock; the database then cancels one (its transaction rolls
back whole), which the single meeting logged by a form cannot cause (one slot).

The table is derived: it is dropped, created with the new key and filled again from the rows.
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016_meeting_count_slots"
down_revision: str | None = "0015_claim_lookup"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Rows per year and month on PostgreSQL (``core.summaries.POSTGRES_SLOTS``, the same).
SLOTS = 32


def _summaries_0013():
    """0013's module (its trigger text, reused as it is for the organisation's last meeting)."""
    path = Path(__file__).with_name("0013_summaries.py")
    spec = importlib.util.spec_from_file_location("migration_0013_summaries", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _slot(row: str) -> str:
    return f"(COALESCE({row}.organisation_id, {row}.id) % {SLOTS})"


def _postgres_count(row: str, sign: str) -> str:
    statements = []
    for span in ("year", "month"):
        first = f"date_trunc('{span}', {row}.occurred_on)::date"
        if sign == "+":
            statements.append(
                "INSERT INTO meetingcount (span, starts_on, slot, meetings, organisations) "
                f"VALUES ('{span}', {first}, {_slot(row)}, 0, 0) ON CONFLICT DO NOTHING"
            )
        where = f"WHERE span = '{span}' AND starts_on = {first} AND slot = {_slot(row)}"
        # The slot's row is locked by the first update; the second is a statement of its own
        # (a fresh snapshot: a concurrent writer of the same organisation has committed).
        statements.append(f"UPDATE meetingcount SET meetings = meetings {sign} 1 {where}")
        statements.append(
            f"UPDATE meetingcount SET organisations = organisations {sign} 1 {where} "
            f"AND {row}.organisation_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM interaction i "
            f"WHERE i.organisation_id = {row}.organisation_id AND i.occurred_on >= {first} "
            f"AND i.occurred_on < ({first} + interval '1 {span}')::date AND i.id <> {row}.id)"
        )
    return "; ".join(statements)


def _postgres_function(count, met) -> str:
    return (
        "CREATE OR REPLACE FUNCTION interaction_count() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN IF TG_OP IN ('UPDATE', 'DELETE') THEN "
        f"{count('OLD', '-')}; {met('OLD', '-')}; END IF; "
        "IF TG_OP IN ('UPDATE', 'INSERT') THEN "
        f"{count('NEW', '+')}; {met('NEW', '+')}; END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
    )


def _fill(postgres: bool, slotted: bool) -> str:
    if postgres:
        keys = {span: f"date_trunc('{span}', occurred_on)::date" for span in ("year", "month")}
    else:
        keys = {
            "year": "date(occurred_on, 'start of year')",
            "month": "date(occurred_on, 'start of month')",
        }
    slot = f"COALESCE(organisation_id, id) % {SLOTS}" if postgres else "0"
    columns = "span, starts_on, meetings, organisations"
    selected = by_slot = ""
    if slotted:
        columns = "span, starts_on, slot, meetings, organisations"
        selected = f", {slot}"
        by_slot = f", {slot}" if postgres else ""  # (GROUP BY 0 would name a column)
    parts = [
        f"SELECT '{span}', {key}{selected}, count(*), count(DISTINCT organisation_id) "
        f"FROM interaction GROUP BY {key}{by_slot}"
        for span, key in keys.items()
    ]
    return f"INSERT INTO meetingcount ({columns}) " + " UNION ALL ".join(parts)


def _create(slotted: bool) -> None:
    columns = [
        sa.Column("span", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
    ]
    key = ["span", "starts_on"]
    if slotted:
        columns.append(sa.Column("slot", sa.Integer(), nullable=False, server_default="0"))
        key.append("slot")
    op.create_table(
        "meetingcount",
        *columns,
        sa.Column("meetings", sa.Integer(), nullable=False),
        sa.Column("organisations", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*key),
    )


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    postgres = _postgres()
    if postgres:
        # No writer counts while the table is replaced (the trigger's function changes with it).
        op.execute("LOCK TABLE interaction IN SHARE MODE")
    # SQLite's triggers on interaction name the table and are resolved when they run: dropping
    # and creating it again under the same name leaves them working.
    op.drop_table("meetingcount")
    _create(slotted=True)
    op.execute(_fill(postgres, slotted=True))
    if postgres:
        op.execute(_postgres_function(_postgres_count, _summaries_0013()._postgres_met))
        op.execute("ANALYZE meetingcount")


def downgrade() -> None:
    postgres = _postgres()
    if postgres:
        op.execute("LOCK TABLE interaction IN SHARE MODE")
    op.drop_table("meetingcount")
    _create(slotted=False)
    op.execute(_fill(postgres, slotted=False))
    if postgres:
        before = _summaries_0013()
        op.execute(_postgres_function(before._postgres_count, before._postgres_met))
