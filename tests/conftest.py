"""Shared fixtures: a real, migrated database per test.

Every test that takes ``engine`` runs on SQLite (a temporary file) and, when
``TEST_DATABASE_URL`` is set, again on that PostgreSQL database (its ``public`` schema is
emptied and migrated anew for each test).
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core.db import make_engine, normalise_url, upgrade_schema
from tests.writers import TEST_ADMIN, writer

PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def _reset_postgres(url: str) -> None:
    admin = sa.create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    admin.dispose()


def make_test_engine(backend: str, tmp_path) -> sa.Engine:
    """A fresh, migrated, empty database of the given backend."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    else:
        assert PG_URL
        _reset_postgres(PG_URL)
        url = PG_URL
    engine = make_engine(url)
    upgrade_schema(engine)
    return engine


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def engine(backend, tmp_path):
    """A migrated empty database (no reference data)."""
    eng = make_test_engine(backend, tmp_path)
    yield eng
    eng.dispose()


@pytest.fixture
def ref_engine(engine):
    """A migrated database holding the reference data of ``data/``."""
    from core.refdata import load_reference_data

    with Session(engine) as session:
        load_reference_data(session)
        session.commit()
    return engine


@pytest.fixture
def session(ref_engine):
    """A session writing as an administrator (core's write functions check the role)."""
    with writer(ref_engine, TEST_ADMIN, expire_on_commit=False) as s:
        yield s
