"""a project's country of origin follows its organisation unless the project states its own

Revision ID: 0009_project_origin
Revises: 0008_name_keys
Create Date: 2026-12-03

``project.stated_origin_iso2`` is the project's own origin (None: its organisation's).
``project.origin_country_iso2``, which the KPIs count, becomes the database's to keep: stated
origin, else the organisation's country of control, else its HQ country, set by triggers on
every insert or update of a project and every change of an organisation's countries (so a
correction of a company's control, a merge, a bulk insert or a plain SQL update all follow
the rule). Existing projects are recomputed: their origin was copied at creation and never
followed a correction since.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009_project_origin"
down_revision: str | None = "0008_name_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _derived(row: str) -> str:
    return (
        f"COALESCE({row}.stated_origin_iso2, (SELECT COALESCE(o.control_country_iso2, "
        f"o.hq_country_iso2) FROM organisation o WHERE o.id = {row}.organisation_id))"
    )


# SQLite's triggers do not fire themselves again (recursive_triggers is off).
SQLITE_TRIGGERS = (
    "CREATE TRIGGER project_origin_insert AFTER INSERT ON project BEGIN "
    f"UPDATE project SET origin_country_iso2 = {_derived('NEW')} WHERE id = NEW.id; END",
    "CREATE TRIGGER project_origin_update AFTER UPDATE OF organisation_id, stated_origin_iso2, "
    "origin_country_iso2 ON project BEGIN "
    f"UPDATE project SET origin_country_iso2 = {_derived('NEW')} WHERE id = NEW.id; END",
    "CREATE TRIGGER organisation_origin AFTER UPDATE OF control_country_iso2, hq_country_iso2 "
    "ON organisation BEGIN UPDATE project SET origin_country_iso2 = "
    "COALESCE(NEW.control_country_iso2, NEW.hq_country_iso2) "
    "WHERE organisation_id = NEW.id AND stated_origin_iso2 IS NULL; END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS organisation_origin",
    "DROP TRIGGER IF EXISTS project_origin_update",
    "DROP TRIGGER IF EXISTS project_origin_insert",
)
POSTGRES_TRIGGERS = (
    "CREATE FUNCTION project_origin() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"NEW.origin_country_iso2 := {_derived('NEW')}; RETURN NEW; END $$",
    "CREATE TRIGGER project_origin BEFORE INSERT OR UPDATE ON project "
    "FOR EACH ROW EXECUTE FUNCTION project_origin()",
    "CREATE FUNCTION organisation_origin() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE project SET origin_country_iso2 = "
    "COALESCE(NEW.control_country_iso2, NEW.hq_country_iso2) "
    "WHERE organisation_id = NEW.id AND stated_origin_iso2 IS NULL; RETURN NULL; END $$",
    "CREATE TRIGGER organisation_origin AFTER UPDATE OF control_country_iso2, hq_country_iso2 "
    "ON organisation FOR EACH ROW WHEN (OLD.control_country_iso2 IS DISTINCT FROM "
    "NEW.control_country_iso2 OR OLD.hq_country_iso2 IS DISTINCT FROM NEW.hq_country_iso2) "
    "EXECUTE FUNCTION organisation_origin()",
)
POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS organisation_origin ON organisation",
    "DROP FUNCTION IF EXISTS organisation_origin()",
    "DROP TRIGGER IF EXISTS project_origin ON project",
    "DROP FUNCTION IF EXISTS project_origin()",
)


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "stated_origin_iso2", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True
            )
        )
        batch_op.create_foreign_key(
            "fk_project_stated_origin_iso2_country", "country", ["stated_origin_iso2"], ["iso2"]
        )
    for statement in POSTGRES_TRIGGERS if _postgres() else SQLITE_TRIGGERS:
        op.execute(statement)
    op.execute(f"UPDATE project SET origin_country_iso2 = {_derived('project')}")


def downgrade() -> None:
    for statement in POSTGRES_DROP if _postgres() else SQLITE_DROP:
        op.execute(statement)
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_constraint("fk_project_stated_origin_iso2_country", type_="foreignkey")
        batch_op.drop_column("stated_origin_iso2")
