"""Backups and restores (``manage.py backup FILE`` / ``restore FILE``), SQLite and PostgreSQL.

A backup taken while four writers log meetings restores into a fresh database as a consistent
snapshot (each writer's meetings a gap-free prefix of what it wrote, every meeting with its
audit entry, nothing the source never held); a backup taken once they stopped restores
identical, table by table, row by row: audit trail, frozen figures (whose triggers still refuse
changes), schema version. A restore over a database that is not empty is refused without
``--force``.
"""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

import manage
from core.backup import BackupError, restore
from core.meetings import log_meeting
from core.periods import Period
from core.records import create_organisation
from core.snapshots import freeze
from core.summaries import summary_differences
from models import InteractionCreate, OrganisationCreate
from tests.writers import writer

WRITERS = 4
#: Summary tables the database keeps current: their counters move with every write.
DERIVED = frozenset(
    {"meetingcount", "meetingorigin", "organisationmet", "organisationyear", "projectpath"}
)
ROOT = Path(__file__).resolve().parent.parent


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(ROOT / "migrations")).get_current_head()


def url_of(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def fresh_url(engine, tmp_path):
    """The URL of a fresh, empty database on the same engine as ``engine``."""
    if engine.dialect.name == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{engine.url.database}_restored"
    admin = sa.create_engine(
        engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield engine.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def dump_tables(url: str) -> dict[str, list[tuple]]:
    """Every table's rows, sorted (values as text, so both engines compare alike)."""
    eng = sa.create_engine(url, poolclass=NullPool)
    out: dict[str, list[tuple]] = {}
    with eng.connect() as conn:
        meta = sa.MetaData()
        meta.reflect(conn)
        for name, table in meta.tables.items():
            rows = conn.execute(sa.select(table)).all()
            out[name] = sorted(tuple("" if v is None else str(v) for v in row) for row in rows)
    eng.dispose()
    return out


def summaries(url: str) -> list[str]:
    eng = sa.create_engine(url, poolclass=NullPool)
    with eng.connect() as conn:
        rows = conn.execute(sa.text("SELECT summary FROM interaction")).scalars().all()
    eng.dispose()
    return list(rows)


def test_backup_while_writing_then_identical_restore(ref_engine, fresh_url, tmp_path, capsys):
    source = url_of(ref_engine)
    with writer(ref_engine, expire_on_commit=False) as s:
        org = create_organisation(session=s, data=OrganisationCreate(name="Acme"), author="t")
        freeze(
            s,
            label="Press 2026",
            period=Period(date(2026, 1, 1), date(2026, 12, 31)),
            home_country="FR",
            today=date(2026, 6, 1),
        )
    stop = threading.Event()
    written = [0] * WRITERS
    errors: list[BaseException] = []

    def write(number: int) -> None:
        try:
            while not stop.is_set():
                with writer(ref_engine) as session:
                    log_meeting(
                        session=session,
                        meeting=InteractionCreate(
                            occurred_on=date(2026, 1, 1),
                            organisation_id=org.id,
                            summary=f"w{number} #{written[number]:05d}",
                            author=f"writer {number}",
                        ),
                    )
                written[number] += 1
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    while min(written) < 5:
        time.sleep(0.05)
    during = tmp_path / "during.backup"
    assert manage.main(["--database-url", source, "backup", str(during)]) == 0
    while min(written) < 10:  # the writers carried on after the backup
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join()
    assert errors == []

    assert manage.main(["--database-url", fresh_url, "restore", str(during)]) == 0
    got = summaries(fresh_url)
    per_writer = {n: sorted(x for x in got if x.startswith(f"w{n} ")) for n in range(WRITERS)}
    for n, mine in per_writer.items():
        assert 5 <= len(mine) < written[n]
        assert mine == [f"w{n} #{i:05d}" for i in range(len(mine))]  # no gap: a snapshot
    restored, now = dump_tables(fresh_url), dump_tables(source)
    assert set(restored) == set(now)
    for name, rows in restored.items():
        if name in DERIVED:  # counters the writers moved on since: checked below
            continue
        assert set(rows) <= set(now[name]), name  # nothing the source never held
    eng = sa.create_engine(fresh_url, poolclass=NullPool)
    # The summaries the database keeps are those of the restored rows themselves.
    assert summary_differences(eng) == {
        "stage_stays": 0,
        "meeting_counts": 0,
        "organisations_met": 0,
        "organisation_years": 0,
        "project_paths": 0,
        "meetings_by_origin": 0,
    }
    with eng.connect() as conn:
        audited = conn.execute(
            sa.text("SELECT count(*) FROM auditentry WHERE table_name = 'interaction'")
        ).scalar_one()
    eng.dispose()
    assert audited == len(got)  # every restored meeting with its audit entry

    # Over a database that is not empty: refused without --force, nothing changed.
    capsys.readouterr()
    after = tmp_path / "after.backup"
    assert manage.main(["--database-url", source, "backup", str(after)]) == 0
    assert manage.main(["--database-url", fresh_url, "restore", str(after)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert dump_tables(fresh_url) == restored
    assert manage.main(["--database-url", fresh_url, "restore", str(after), "--force"]) == 0
    final = dump_tables(fresh_url)
    assert final == dump_tables(source)
    assert len(final["interaction"]) == sum(written)
    assert len(final["kpisnapshot"]) == 1
    assert final["alembic_version"] == [(head_revision(),)]
    assert len(final["country"]) > 200  # the reference data came along
    # The frozen figures' triggers came back too.
    eng = sa.create_engine(fresh_url, poolclass=NullPool)
    with pytest.raises(sa.exc.DBAPIError), eng.begin() as conn:
        conn.execute(sa.text("UPDATE kpisnapshot SET label = 'changed'"))
    with pytest.raises(sa.exc.DBAPIError), eng.begin() as conn:
        conn.execute(sa.text("DELETE FROM kpisnapshot"))
    eng.dispose()


def test_restore_refuses_what_is_not_a_backup(engine, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    with pytest.raises(BackupError, match="no backup file"):
        restore(engine, tmp_path / "missing.backup")
    with pytest.raises(BackupError, match="is not a"):
        restore(engine, bogus, force=True)
