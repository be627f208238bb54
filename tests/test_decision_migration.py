"""Migration 0010_decision_dates recomputes every project's decision date from its stage history
(issue 16, defect 1), by the rule of ``core.decisions``."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from sqlmodel import Session, select

from core.db import alembic_config
from models import Project
from tests.fixtures import build_fixture
from tests.fixtures_decisions import add_lost_then_landed, add_won_twice
from tests.writers import writer

D = date.fromisoformat


def test_the_migration_recomputes_the_decision_dates(engine):
    """0010_decision_dates: a project lost then landed that kept its loss's date, and a project
    won twice that kept its first win, are corrected; the others keep theirs."""
    with writer(engine, expire_on_commit=False) as s:
        from core.refdata import load_reference_data

        load_reference_data(s)
        s.commit()
        ids = build_fixture(s)
        calanque = add_lost_then_landed(s, ids)
        twice = add_won_twice(s, ids)
        # The dates the old rule wrote (Lost set it; Landed kept it; the first win kept).
        s.exec(sa.update(Project).where(Project.id == calanque).values(decided_on=D("2025-05-19")))
        s.exec(sa.update(Project).where(Project.id == twice).values(decided_on=D("2024-04-01")))
        s.commit()
        before = dict(s.exec(select(Project.id, Project.decided_on)).all())
    config = alembic_config(engine)
    previous = ScriptDirectory.from_config(config).get_revision("0010_decision_dates").down_revision
    # Replay 0010 alone on a database at head: the later revisions are already applied.
    command.stamp(config, previous)
    command.upgrade(config, "0010_decision_dates")
    command.stamp(config, "head")
    with Session(engine) as s:
        after = dict(s.exec(select(Project.id, Project.decided_on)).all())
    changed = {pid: on for pid, on in after.items() if before[pid] != on}
    assert changed == {calanque: D("2026-05-04"), twice: D("2025-02-03")}
    assert after[ids["P1"]] == D("2023-11-15")  # won, then landed: its win stays
    assert after[ids["P6"]] == D("2025-02-10")  # lost: the loss's date stays
