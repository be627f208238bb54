"""Edge cases of decisions added to the hand-made data set of ``tests/fixtures.py``, written
through the real write functions of ``core.records`` (issue 16's defects 1 and 4).

  CALANQUE  "Calanque Foods" of O9 (Atelier d'Azur, FR), tourism, 40 jobs, 13,200,000 disclosed
            2024-06-03 lead, 2025-05-19 lost (cost, Valencia), 2026-05-04 landed (no Won step)
            -> decided 2026-05-04: won in 2026, not in 2025 (it was counted in 2025 before).
  TWICE     "Mistral Twice" of O1 (Alpha Data, FR), digital, 15 jobs, no capex
            2024-02-01 lead, 2024-04-01 won, 2024-08-01 lost (incentives), 2025-02-03 won
            -> decided 2025-02-03: won once, in 2025; 2024 does not count it.
  CAPEX     "Sirocco Lab" of O4 (Santé Plus, FR), health, 8 jobs, capex flag unknown
            2025-03-03 lead, 2025-10-06 won with 12,000,000 disclosed given on the Won form
            -> counted in 2025's disclosed capex (12 M EUR more).

Headline figures of the data set (home FR), worked out from the tables of tests/fixtures.py:
  2025: won P3 (30 jobs, capex unknown), P13 (5, 1 M estimated), P8 (25, 5 M disclosed),
        P12 (90, 30 M disclosed): 4 wins, 150 jobs, 35,000,000 disclosed, 1,000,000 estimated.
  2026: nothing won.
With the three cases: 2025 has 6 wins (+ TWICE, CAPEX), 173 jobs (+15, +8), 47,000,000
disclosed (+12 M); 2026 has 1 win, 40 jobs, 13,200,000 disclosed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from core import records
from models import CapexDisclosure, LostReason, ProjectCreate, Stage

D = date.fromisoformat
AUTHOR = "fixture"


def _project(
    session: Session, ids: dict[str, int], org: str, name: str, sector: str, **extra: Any
) -> int:
    data = ProjectCreate(
        code_name=name, organisation_id=ids[org], sector_code=sector, **extra
    )  # fmt: skip
    return records.create_project(session=session, data=data, author=AUTHOR).id


def _move(session: Session, project_id: int, stage: Stage, on: str, **extra: Any) -> None:
    records.change_stage(
        session=session, project_id=project_id, to_stage=stage, on=D(on), author=AUTHOR, **extra
    )


def add_lost_then_landed(session: Session, ids: dict[str, int]) -> int:
    """``CALANQUE``; its id."""
    pid = _project(
        session, ids, "O9", "Calanque Foods", "tourism", jobs_announced=40,
        capex_eur=13_200_000, capex_disclosure=CapexDisclosure.DISCLOSED,
        stage_on=D("2024-06-03"),
    )  # fmt: skip
    _move(session, pid, Stage.LOST, "2025-05-19", lost_reason=LostReason.COST,
          lost_to_location="Valencia")  # fmt: skip
    _move(session, pid, Stage.LANDED, "2026-05-04")
    return pid


def add_won_twice(session: Session, ids: dict[str, int]) -> int:
    """``TWICE``; its id."""
    pid = _project(
        session, ids, "O1", "Mistral Twice", "digital", jobs_announced=15,
        stage_on=D("2024-02-01"),
    )  # fmt: skip
    _move(session, pid, Stage.WON, "2024-04-01")
    _move(session, pid, Stage.LOST, "2024-08-01", lost_reason=LostReason.INCENTIVES)
    _move(session, pid, Stage.WON, "2025-02-03")
    return pid


def add_capex_on_the_won_form(session: Session, ids: dict[str, int]) -> int:
    """``CAPEX``; its id."""
    pid = _project(
        session, ids, "O4", "Sirocco Lab", "health", jobs_announced=8, stage_on=D("2025-03-03")
    )
    _move(session, pid, Stage.WON, "2025-10-06", capex_eur=12_000_000,
          capex_disclosure=CapexDisclosure.DISCLOSED)  # fmt: skip
    return pid
