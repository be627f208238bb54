"""Cases added to ``tests/fixtures.py`` for the catalogue's further figures (time to decision,
organisations met per project won, delegations received, missions against their target, wins
by origin), through the real write functions. Expected values are worked out by hand below.

Projects added (org, origin) and their stage history:
  Q1  Calanque Labs    O9 FR   2023-05-10 lead, 2024-01-15 lost (cost), 2024-09-02 lead,
                               2024-10-01 qualified, 2025-03-03 won
                               (the loss ends a run: the current one starts on 2024-09-02)
  Q2  Lantern Resorts  O7 CN   2024-01-08 target, 2024-02-05 qualified, 2024-04-05 won
                               (a target is not in the pipeline: it enters it qualified)
  Q3  Estaque Foods    O4 FR   2025-02-03 lead, 2025-04-01 on_hold, 2025-05-02 negotiation,
                               2025-07-01 won, 2025-10-01 landed
                               (on hold does not end a run; landing after Won keeps the date)

Missions added (kind, dates):
  M5  Japanese delegation  inbound  2025-12-29..2026-01-02  (counts in 2025, once)
  M6  Korean delegation    inbound  2023-12-28..2024-01-03  (counts in 2023, once)

Days from entering the pipeline (current run) to the decision, each counted on the calendar:
  P1 2023-02-10 -> 2023-11-15 = 278     P2 2023-09-01 -> 2024-12-31 = 487 (2024 is a leap year)
  P4 2023-06-01 -> 2024-07-15 = 410     P5 2024-02-15 -> 2024-05-20 =  95 (lead, not target)
  P3 2024-02-01 -> 2025-01-01 = 335     P8 2025-01-15 -> 2025-06-30 = 166
  P12 2024-06-01 -> 2025-09-30 = 486 (on hold and back the same day: one run)
  Q1 2024-09-02 -> 2025-03-03 = 182     Q2 2024-02-05 -> 2024-04-05 =  60
  Q3 2025-02-03 -> 2025-07-01 = 148     P13 was created won: no pipeline entry, not measured.

So, with these cases added:
  2024: 60, 95, 410, 487 -> even count, median (95 + 410) / 2 = 252.5 over 4 projects
  2025: 148, 166, 182, 335, 486 -> odd count, median 182 over 5 projects (P13 left out)
  Energy 2025: P3 335, P12 486 -> (335 + 486) / 2 = 410.5 over 2 projects
And on the fixture alone: 2024: 95, 410, 487 -> 410 over 3; 2025: 166, 335, 486 -> 335 over 3.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from core import records
from models import (
    CapexDisclosure,
    LostReason,
    MissionCreate,
    MissionKind,
    ProjectCreate,
    Stage,
    TargetCreate,
    TargetKpi,
)

D = date.fromisoformat
AUTHOR = "fixture"

# key: (code name, organisation, sector, jobs announced, history)
CASES: dict[str, tuple[Any, ...]] = {
    "Q1": ("Calanque Labs", "O9", "tourism", 12,
           [("2023-05-10", "lead"), ("2024-01-15", "lost"), ("2024-09-02", "lead"),
            ("2024-10-01", "qualified"), ("2025-03-03", "won")]),
    "Q2": ("Lantern Resorts", "O7", "tourism", 30,
           [("2024-01-08", "target"), ("2024-02-05", "qualified"), ("2024-04-05", "won")]),
    "Q3": ("Estaque Foods", "O4", "health", 18,
           [("2025-02-03", "lead"), ("2025-04-01", "on_hold"), ("2025-05-02", "negotiation"),
            ("2025-07-01", "won"), ("2025-10-01", "landed")]),
}  # fmt: skip

MISSIONS: dict[str, tuple[str, str, str]] = {
    "M5": ("Japanese delegation", "2025-12-29", "2026-01-02"),
    "M6": ("Korean delegation", "2023-12-28", "2024-01-03"),
}

#: Yearly targets of missions held (the Overview and the deck compare with them).
MISSION_TARGETS = {2024: 4, 2025: 2}


def add_performance_cases(session: Session, ids: dict[str, int]) -> dict[str, int]:
    """Write the cases above on top of ``build_fixture``'s data (``ids``); ``ids`` with theirs."""
    for key, (name, org, sector, jobs, history) in CASES.items():
        first_on, first_stage = history[0]
        data = ProjectCreate(
            code_name=name, organisation_id=ids[org], sector_code=sector, jobs_announced=jobs,
            capex_disclosure=CapexDisclosure.UNKNOWN, stage=Stage(first_stage),
            stage_on=D(first_on),
        )  # fmt: skip
        ids[key] = records.create_project(session=session, data=data, author=AUTHOR).id
        for on, stage in history[1:]:
            lost = {"lost_reason": LostReason.COST} if stage == "lost" else {}
            records.change_stage(
                session=session, project_id=ids[key], to_stage=Stage(stage), on=D(on),
                author=AUTHOR, **lost,
            )  # fmt: skip
    for key, (name, starts, ends) in MISSIONS.items():
        data = MissionCreate(
            name=name, kind=MissionKind.INBOUND, starts_on=D(starts), ends_on=D(ends),
            country_iso2="FR", city="Marseille",
        )  # fmt: skip
        ids[key] = records.create_mission(session=session, data=data, author=AUTHOR).id
    for year, value in MISSION_TARGETS.items():
        records.set_target(
            session=session, data=TargetCreate(year=year, kpi=TargetKpi.MISSIONS, value=value)
        )
    return ids
