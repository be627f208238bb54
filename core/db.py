"""Engine, sessions and schema upgrade.

SQLite gets WAL, foreign keys and a busy timeout on every connection; PostgreSQL goes through
psycopg 3. The schema only ever comes from the Alembic migrations in ``migrations/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.config import ROOT, get_settings


def normalise_url(url: str) -> str:
    """Accept the usual ``postgresql://`` and ``postgres://`` forms and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str | None = None) -> Engine:
    from core import logs
    from core.audit import install

    install()  # every ORM write through any engine leaves its audit entry
    logs.install()  # and one structured log line
    settings = get_settings()
    url = normalise_url(url or settings.database_url)
    if url.startswith("sqlite"):
        db_path = sa.engine.make_url(url).database
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
        busy_ms = settings.sqlite_busy_timeout_ms

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    # PostgreSQL compiles a query whose estimated cost passes jit_above_cost; the dashboard's
    # aggregates pass it at network scale yet run in tenths of a second, and compiling took
    # 0.25 s of a 0.7 s query (bench/README.md): off for this app's connections by default.
    options = {} if settings.postgresql_jit else {"options": "-c jit=off"}
    return sa.create_engine(url, pool_pre_ping=True, connect_args=options)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(engine: Engine) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is already there)."""
    command.upgrade(alembic_config(engine), "head")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
