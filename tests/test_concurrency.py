"""Two people logging at the same moment both succeed: 8 threads writing 200 meetings each,
each with its own session, on SQLite (WAL, busy timeout) and on PostgreSQL; all 1,600 are
there afterwards, none twice."""

from __future__ import annotations

import threading
from datetime import date

import sqlalchemy as sa
from sqlmodel import select

from core.meetings import log_meeting
from core.records import create_organisation
from models import Interaction, InteractionCreate, OrganisationCreate
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
