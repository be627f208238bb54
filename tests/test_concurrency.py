"""Two people logging at the same moment both succeed: 8 threads writing 200 meetings each,
each with its own session, on SQLite (WAL, busy timeout) and on PostgreSQL; all 1,600 are
there afterwards, none twice."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import select

from core.meetings import log_meeting
from core.records import create_organisation
from core.writes import write_transaction
from models import Interaction, InteractionCreate, OrganisationCreate, Role
from tests.writers import writer

THREADS, EACH = 8, 200


def test_eight_writers_at_once_lose_nothing(engine):
    with writer(engine) as session:
        org = create_organisation(session=session, data=OrganisationCreate(name="Acme"), author="t")
        org_id = org.id
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def log_many(number: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                with writer(engine) as session:
                    log_meeting(
                        session=session,
                        meeting=InteractionCreate(
                            occurred_on=date(2026, 1, 1 + i % 28),
                            organisation_id=org_id,
                            summary=f"writer {number} meeting {i}",
                            author=f"writer {number}",
                        ),
                    )
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=log_many, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with writer(engine) as session:
        total = session.exec(select(sa.func.count()).select_from(Interaction)).one()
        distinct = session.exec(select(sa.func.count(sa.distinct(Interaction.summary)))).one()
        rows = session.exec(
            select(Interaction.author, sa.func.count()).group_by(Interaction.author)
        ).all()
    per_writer = {author: int(n) for author, n in rows}
    assert (total, distinct) == (THREADS * EACH, THREADS * EACH)
    assert per_writer == {f"writer {n}": EACH for n in range(THREADS)}


def test_sqlite_writers_of_one_process_take_turns(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's writers lock rows, not the database")
    # A second writer of the same database waits at the door of its transaction until the
    # first has committed (a queue of the process, not SQLite's sleeping busy handler).
    first_in, let_go, second_in = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with writer(engine) as session, write_transaction(session, Role.STAFF):
            first_in.set()
            let_go.wait(timeout=10)

    def second() -> None:
        first_in.wait(timeout=10)
        with writer(engine) as session, write_transaction(session, Role.STAFF):
            second_in.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_in.wait(timeout=10)
    assert not second_in.wait(timeout=0.5)  # still queued while the first is open
    let_go.set()
    for thread in threads:
        thread.join(timeout=10)
    assert second_in.is_set()
    # The same thread may nest write transactions (the lock is re-entrant).
    with writer(engine) as session, write_transaction(session, Role.STAFF):
        with write_transaction(session, Role.STAFF):
            pass
