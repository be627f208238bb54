"""Backups of the whole database, and their restore, on both engines.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot page
by page while the app keeps writing (WAL), and restores the same way into the target file.
PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot, the writers carry on), and a
restore that replays the dump in a single transaction (``psql --single-transaction``): a failed
restore leaves the target as it was. The dump creates the triggers (frozen figures refuse
updates and deletes, project origins) after the rows are loaded, so none of them fires on
restore.

A restore refuses a target that already holds tables unless ``force`` is given; with it, the
target's tables are dropped (on PostgreSQL its ``public`` schema, in the same transaction).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from core.db import normalise_url

#: The first bytes of a pg_dump custom-format archive.
PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    size: int
    schema_version: str | None


def _sqlite_path(url: sa.URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _libpq(url: sa.URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the client tools, the password passed in the environment
    (never on a command line that ``ps`` shows)."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None, query={})
    return plain.render_as_string(hide_password=False), env


def _major(version_text: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version_text)
    if not match:
        raise BackupError(f"cannot read a version from {version_text!r}")
    return int(match.group(1))


def check_pg_tools(engine: sa.Engine, tool: str = "pg_dump") -> str:
    """The path of ``tool``; refused when it is missing or older than the server (pg_dump
    refuses to dump a newer server, and its archives may not restore on an older one)."""
    path = shutil.which(tool)
    if path is None:
        raise BackupError(f"{tool} is missing (apt-get install postgresql-client)")
    client = _major(subprocess.run([path, "--version"], capture_output=True, text=True).stdout)
    with engine.connect() as conn:
        server = int(conn.execute(sa.text("SHOW server_version_num")).scalar_one()) // 10000
    if client < server:
        raise BackupError(
            f"{tool} {client} is older than the PostgreSQL {server} server: install "
            f"postgresql-client-{server}"
        )
    return path


def schema_version(engine: sa.Engine) -> str | None:
    """The Alembic revision the database stands at (None without one)."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def list_tables(engine: sa.Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(sa.inspect(conn).get_table_names())


def backup(engine: sa.Engine, path: Path) -> BackupResult:
    """Write a consistent copy of the whole database to ``path`` (replaced if it exists)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(_sqlite_path(engine.url))
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    elif engine.dialect.name == "postgresql":
        tool = check_pg_tools(engine, "pg_dump")
        dsn, env = _libpq(engine.url)
        done = subprocess.run(
            [tool, "--format=custom", "--no-owner", "--no-privileges", "-f", str(partial), dsn],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    else:
        raise BackupError(f"no backup for the {engine.dialect.name} engine")
    partial.replace(path)
    return BackupResult(path, engine.dialect.name, path.stat().st_size, schema_version(engine))


def _check_target(engine: sa.Engine, force: bool) -> None:
    tables = list_tables(engine)
    if tables and not force:
        shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
        raise BackupError(
            f"the target database is not empty ({len(tables)} tables: {shown}); "
            "restore over it with --force (its current content is lost)"
        )


def restore(engine: sa.Engine, path: Path, *, force: bool = False) -> BackupResult:
    """Put the backup ``path`` into ``engine``'s database, all or nothing."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    with path.open("rb") as handle:
        head = handle.read(16)
    if engine.dialect.name == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(f"{path} is not a SQLite backup")
        _check_target(engine, force)
        _restore_sqlite(engine, path)
    elif engine.dialect.name == "postgresql":
        if not head.startswith(PG_MAGIC):
            raise BackupError(f"{path} is not a pg_dump archive (made by manage.py backup)")
        _check_target(engine, force)
        _restore_postgresql(engine, path)
    else:
        raise BackupError(f"no restore for the {engine.dialect.name} engine")
    engine.dispose()  # pooled connections may still see the old schema
    return BackupResult(path, engine.dialect.name, path.stat().st_size, schema_version(engine))


def _restore_sqlite(engine: sa.Engine, path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        check = source.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"{path} is damaged: {check}")
        engine.dispose()
        target = sqlite3.connect(_sqlite_path(engine.url), timeout=30)
        try:
            source.backup(target)  # replaces every page of the target, in one step
        finally:
            target.close()
    finally:
        source.close()


def _restore_postgresql(engine: sa.Engine, path: Path) -> None:
    pg_restore = check_pg_tools(engine, "pg_restore")
    psql = shutil.which("psql")
    if psql is None:
        raise BackupError("psql is missing (apt-get install postgresql-client)")
    dsn, env = _libpq(engine.url)
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "restore.sql"
        done = subprocess.run(
            [pg_restore, "--no-owner", "--no-privileges", "-f", str(script), str(path)],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_restore cannot read {path}: {done.stderr.strip()}")
        engine.dispose()
        done = subprocess.run(
            [
                psql,
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;",
                "-f",
                str(script),
                dsn,
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"restore failed, nothing changed: {done.stderr.strip()[-2000:]}")


def engine_for(url: str) -> sa.Engine:
    """A plain engine (no app set-up, no migrations) on ``url``."""
    url = normalise_url(url)
    return sa.create_engine(url, poolclass=sa.pool.NullPool)
