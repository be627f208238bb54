"""The schema exists only through Alembic: the migrations must give exactly the models' schema."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import models  # noqa: F401
from core.db import alembic_config, make_engine, upgrade_schema

EXPECTED_TABLES = {
    "alembic_version",
    "accesslogentry",
    "auditentry",
    "checkin",
    "claim",
    "trendnote",
    "kpisnapshot",
    "meetingcount",
    "meetingorigin",
    "organisationmet",
    "organisationyear",
    "projectpath",
    "datarequest",
    "useraccount",
    "usersession",
    "chamber",
    "city",
    "country",
    "datasetinfo",
    "interaction",
    "interactionparticipant",
    "mission",
    "missionorganisation",
    "missionperson",
    "organisation",
    "person",
    "project",
    "sector",
    "sectortarget",
    "sharedupdate",
    "stagechange",
    "subdivision",
    "target",
}


def _diff(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def test_migrations_match_models(engine):
    assert _diff(engine) == []
    assert set(sa.inspect(engine).get_table_names()) == EXPECTED_TABLES


def test_upgrade_is_idempotent_and_downgrade_round_trips(engine):
    upgrade_schema(engine)  # already at head: nothing to do
    command.downgrade(alembic_config(engine), "base")
    assert set(sa.inspect(engine).get_table_names()) == {"alembic_version"}
    upgrade_schema(engine)
    assert _diff(engine) == []


def test_kpi_columns_are_indexed(engine):
    inspector = sa.inspect(engine)

    def indexed(table: str) -> set[str]:
        return {idx["column_names"][0] for idx in inspector.get_indexes(table)}

    assert {"stage", "decided_on", "sector_code", "origin_country_iso2", "organisation_id"} <= (
        indexed("project")
    )
    assert {"occurred_on", "organisation_id", "project_id", "mission_id"} <= indexed("interaction")
    assert {"project_id", "changed_on"} <= indexed("stagechange")


def test_postgresql_connections_run_without_jit(engine, backend, monkeypatch):
    if backend != "postgresql":
        pytest.skip("PostgreSQL settings only")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
    from core.config import get_settings

    monkeypatch.setenv("POSTGRESQL_JIT", "true")
    get_settings.cache_clear()
    try:
        other = make_engine(engine.url.render_as_string(hide_password=False))
        with other.connect() as conn:
            assert conn.exec_driver_sql("SHOW jit").scalar() == "on"  # the server's default
        other.dispose()
    finally:
        get_settings.cache_clear()


def test_sqlite_connections_get_pragmas(engine, backend):
    if backend != "sqlite":
        pytest.skip("SQLite pragmas only")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
