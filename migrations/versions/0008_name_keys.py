"""name keys of organisations and people

Revision ID: 0008_name_keys
Revises: 0007
Create Date: 2026-12-01

Adds ``organisation.name_key`` and ``person.name_key`` (what names are compared and searched
by: ``core.normalise.organisation_key`` / ``person_key``), fills them for the rows already
there, then makes them NOT NULL and indexes them.
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from core.normalise import organisation_key, person_key

revision: str = "0008_name_keys"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 1000


def _fill(table: str, columns: tuple[str, ...], key: Callable[..., str]) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {table}")).all()
    update = sa.text(f"UPDATE {table} SET name_key = :key WHERE id = :id")
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        bind.execute(update, [{"id": row[0], "key": key(*row[1:])} for row in chunk])


def upgrade() -> None:
    for table in ("organisation", "person"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("name_key", sa.String(length=200), nullable=True))
    _fill("organisation", ("name",), organisation_key)
    _fill("person", ("first_name", "last_name"), person_key)
    for table in ("organisation", "person"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("name_key", existing_type=sa.String(length=200), nullable=False)
            batch_op.create_index(batch_op.f(f"ix_{table}_name_key"), ["name_key"], unique=False)


def downgrade() -> None:
    for table in ("person", "organisation"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_name_key"))
            batch_op.drop_column("name_key")
