"""A project's decision date (issue 16, defect 1), dates after today (defect 2) and the capex
flag asked on the Won form (defect 4): the rule, the write, the figures and the migration."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from core import clock, meetings, records
from core.decisions import decision_date
from core.errors import RuleError
from core.kpis import get_headline_kpis
from core.periods import year_period
from models import (
    CapexDisclosure,
    InteractionCreate,
    Project,
    ProjectCreate,
    Stage,
    StageChange,
)
from tests.fixtures import build_fixture
from tests.fixtures_decisions import (
    add_capex_on_the_won_form,
    add_lost_then_landed,
    add_won_twice,
)

D = date.fromisoformat
TODAY = D("2026-12-03")


@pytest.fixture
def frozen_today(monkeypatch):
    """The territory's today is 2026-12-03 (noon in Paris)."""
    monkeypatch.setattr(clock, "utc_now", lambda: datetime(2026, 12, 3, 11, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("moves", "decided"),
    [
        ([("lead", "2024-01-10")], None),
        ([("lead", "2024-01-10"), ("won", "2025-01-01")], "2025-01-01"),
        ([("lead", "2024-01-10"), ("won", "2025-01-01"), ("landed", "2026-05-04")], "2025-01-01"),
        ([("lead", "2024-01-10"), ("landed", "2026-05-04")], "2026-05-04"),
        ([("lead", "2024-06-03"), ("lost", "2025-05-19"), ("landed", "2026-05-04")], "2026-05-04"),
        ([("lead", "2024-01-10"), ("won", "2024-04-01"), ("lost", "2024-08-01")], "2024-08-01"),
        (
            [
                ("lead", "2024-01-10"),
                ("won", "2024-04-01"),
                ("lost", "2024-08-01"),
                ("won", "2025-02-03"),
            ],
            "2025-02-03",
        ),  # fmt: skip
        ([("lead", "2024-01-10"), ("lost", "2024-08-01"), ("lead", "2024-09-01")], None),
        ([("lead", "2024-01-10"), ("won", "2024-04-01"), ("abandoned", "2024-08-01")], None),
        (
            [
                ("won", "2024-04-01"),
                ("abandoned", "2024-08-01"),
                ("lead", "2024-09-02"),
                ("landed", "2025-03-03"),
            ],
            "2025-03-03",
        ),  # fmt: skip
        ([("lead", "2024-01-10"), ("won", "2024-04-01"), ("on_hold", "2024-08-01")], "2024-04-01"),
    ],
)
def test_the_decision_date_is_the_last_win_of_the_current_run(moves, decided):
    assert decision_date((stage, D(on)) for stage, on in moves) == (D(decided) if decided else None)


def _headline(session: Session, year: int) -> tuple[int, int, int, int]:
    head = get_headline_kpis(session, year_period(year), home_country="FR", today=TODAY)
    return (
        head.projects_won,
        head.jobs_announced,
        head.capex_disclosed_eur,
        head.capex_estimated_eur,
    )


def test_a_lost_project_that_lands_is_won_when_it_lands(session):
    ids = build_fixture(session)
    assert _headline(session, 2025) == (4, 150, 35_000_000, 1_000_000)
    assert _headline(session, 2026) == (0, 0, 0, 0)
    calanque = add_lost_then_landed(session, ids)
    twice = add_won_twice(session, ids)
    capex = add_capex_on_the_won_form(session, ids)
    decided = {
        p.code_name: (p.stage, p.decided_on, p.capex_eur, p.capex_disclosure)
        for p in session.exec(select(Project).where(Project.id.in_([calanque, twice, capex])))
    }
    assert decided == {
        "Calanque Foods": (Stage.LANDED, D("2026-05-04"), 13_200_000, CapexDisclosure.DISCLOSED),
        "Mistral Twice": (Stage.WON, D("2025-02-03"), None, CapexDisclosure.UNKNOWN),
        "Sirocco Lab": (Stage.WON, D("2025-10-06"), 12_000_000, CapexDisclosure.DISCLOSED),
    }
    # 2025: + Mistral Twice (15 jobs) and Sirocco Lab (8 jobs, 12 M EUR disclosed); Calanque
    # Foods, lost in 2025, is not a 2025 win. 2026: Calanque Foods.
    assert _headline(session, 2025) == (6, 173, 47_000_000, 1_000_000)
    assert _headline(session, 2026) == (1, 40, 13_200_000, 0)
    # 2024: P5, P4, P2; Mistral Twice's first win (2024-04-01) no longer counts.
    assert _headline(session, 2024)[0] == 3


def _lead(session: Session, ids: dict[str, int], **extra) -> int:
    data = ProjectCreate(code_name="Bora", organisation_id=ids["O1"], sector_code="digital",
                         stage_on=D("2025-03-03"), **extra)  # fmt: skip
    return records.create_project(session=session, data=data, author="t").id


def _refused(session: Session, call, key: str, field: str) -> None:
    before = session.exec(select(sa.func.count()).select_from(StageChange)).one()
    with pytest.raises(RuleError) as refused:
        call()
    assert (refused.value.message_key, refused.value.field) == (key, field)
    assert session.exec(select(sa.func.count()).select_from(StageChange)).one() == before


def test_capex_on_the_won_form_needs_its_flag_and_a_flag_its_amount(session):
    ids = build_fixture(session)
    pid = _lead(session, ids)

    def won(**extra):
        return lambda: records.change_stage(
            session=session, project_id=pid, to_stage=Stage.WON, on=D("2025-10-06"), author="t",
            **extra,
        )  # fmt: skip

    _refused(session, won(capex_eur=12_000_000), "rule.stage.capex_needs_flag", "capex_disclosure")
    _refused(session, won(capex_disclosure=CapexDisclosure.ESTIMATED), "form.error.capex_flag",
             "capex_eur")  # fmt: skip
    session.expire_all()
    row = session.get(Project, pid)
    assert (row.stage, row.capex_eur, row.capex_disclosure) == (
        Stage.LEAD, None, CapexDisclosure.UNKNOWN)  # fmt: skip
    won(capex_eur=12_000_000, capex_disclosure=CapexDisclosure.ESTIMATED)()
    row = session.get(Project, pid)
    assert (row.stage, row.capex_eur, row.capex_disclosure) == (
        Stage.WON, 12_000_000, CapexDisclosure.ESTIMATED)  # fmt: skip


def test_stage_changes_and_meetings_after_today_are_refused(session, frozen_today):
    ids = build_fixture(session)
    pid = _lead(session, ids)
    _refused(
        session,
        lambda: records.change_stage(
            session=session, project_id=pid, to_stage=Stage.WON, on=D("2026-12-20"), author="t"
        ),
        "rule.stage.future",
        "on",
    )
    with pytest.raises(RuleError) as refused:
        meetings.log_meeting(
            session=session,
            meeting=InteractionCreate(occurred_on=D("2026-12-04"), organisation_id=ids["O1"],
                                      author="t"),
        )  # fmt: skip
    assert (refused.value.message_key, refused.value.field) == (
        "rule.meeting.future",
        "occurred_on",
    )
    assert str(refused.value) == (
        "A meeting cannot be dated after today (Dec 3, 2026): a planned meeting is a follow-up, "
        "noted as the next step of a meeting held."
    )
    # Today itself is allowed.
    records.change_stage(session=session, project_id=pid, to_stage=Stage.WON, on=TODAY, author="t")
    assert session.get(Project, pid).decided_on == TODAY
