"""A small hand-made set of missions, built through the real write functions of
``core.records``. Every expected figure of the missions tests is worked out by hand from the
tables below, with ``TODAY`` = 2025-06-15.

Organisations (name, HQ / control country -> origin, sector):
  A  Alpha Data SAS     FR/FR -> FR  digital
  B  Bharat Energy Ltd  IN/IN -> IN  energy
  C  Gulf Ports LLC     AE/AE -> AE  port_airport
  D  Dubai Cloud FZ     AE/-  -> AE  digital
  E  Mumbai Pharma      IN/-  -> IN  health
  F  Shanghai Tourism   CN/CN -> CN  tourism

Missions (kind, dates, city / country, partner chamber, budget, linked organisations; status
on TODAY):
  M1  GITEX Dubai 2024          trade_fair 2024-10-14..2024-10-18 Dubai AE   UAE chamber  100,000
      links C, E                                                                  past
  M2  India mission 2025        outbound   2025-02-03..2025-02-07 Mumbai IN  Indo-French   60,000
      links B                                                                     past
  M3  Delegation in Provence    inbound    2025-06-10..2025-06-20 Marseille FR  -       no budget
      no link                                                                     ongoing
  M4  CIIE Shanghai 2025        trade_fair 2025-11-05..2025-11-10 Shanghai CN China    90,000
      no link                                                                     coming
  M5  CIIE Shanghai 2023        trade_fair 2023-11-05..2023-11-10 Shanghai CN China    80,000
      links F                                                                     past

Interactions (date, kind, organisation, mission, owner, next step due / done):
  I1  2024-10-15 meeting C  M1 alice  due 2024-10-30 done
  I2  2024-10-16 meeting D  M1 alice  due 2024-11-15 not done  -> overdue
  I3  2024-10-16 event   B  M1 bob    no next step
  I4  2024-10-17 meeting C  M1 alice  due 2025-07-01 not done  (due after TODAY: not overdue)
  I5  2025-02-04 meeting B  M2 alice  due 2025-02-20 done
  I6  2025-02-05 meeting E  M2 bob    due 2025-06-14 not done  -> overdue (the day before TODAY)
  I7  2025-02-05 call    E  M2 alice  due 2025-06-15 not done  (due TODAY: not overdue)
  I8  2025-06-11 meeting A  M3 alice  no next step
  I9  2025-06-12 event   -  M3 alice  no organisation
  I10 2023-11-07 event   F  M5 alice  no next step
  I11 2024-10-15 meeting C  -  alice  not tied to a mission

Projects (organisation, origin, sector, source mission, jobs announced, owner, history):
  P1  Gulf Terminal  C AE port_airport M1 100 alice  lead 2024-10-20, won 2025-03-01
  P2  Dubai Edge     D AE digital      M1  40 alice  lead 2024-11-01, qualified 2025-01-10
  P3  Bharat Grid    B IN energy       M1  60 alice  lead 2024-10-25, won 2024-12-01,
                                                     landed 2025-05-01
  P4  Mumbai Labs    E IN health       M2  30 alice  lead 2025-02-10, lost 2025-05-01
  P5  Pune Solar     B IN energy       M2  25 bob    lead 2025-02-10, won 2025-04-01
  P6  Alpha Lab      A FR digital      -   10 alice  lead 2025-01-02, won 2025-01-10
  P7  Old Shanghai   F CN tourism      M5  20 alice  lead 2023-12-01, won 2024-02-01

Figures without filters (organisations met = meeting organisations + links, deduplicated):
  M1  orgs {C, D, B, E} 4, meetings 4, leads 3, won 2 (P1, P3), jobs 160, done 1, overdue 1,
      cost per lead 100,000 / 3
  M2  orgs {B, E} 2, meetings 3, leads 2, won 1 (P5), jobs 25, done 1, overdue 1, cost 30,000
  M3  orgs {A} 1, meetings 2, no lead, cost None (no budget)
  M4  nothing, cost None (no lead)
  M5  orgs {F} 1, meetings 1, leads 1, won 1, jobs 20, cost 80,000
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from core import records
from models import (
    Chamber,
    InteractionCreate,
    InteractionKind,
    LostReason,
    MissionCreate,
    MissionKind,
    OrganisationCreate,
    ProjectCreate,
    SourceChannel,
    Stage,
)

D = date.fromisoformat
AUTHOR = "fixture"
TODAY = date(2025, 6, 15)
CHAMBERS = {
    "UAE": "CCI France Émirats arabes unis",
    "IN": "Indo-French Chamber of Commerce and Industry",
    "CN": "CCI France Chine",
}

# key: (name, HQ country, country of control, sector)
ORGANISATIONS: dict[str, tuple[str, str, str | None, str]] = {
    "A": ("Alpha Data SAS", "FR", "FR", "digital"),
    "B": ("Bharat Energy Ltd", "IN", "IN", "energy"),
    "C": ("Gulf Ports LLC", "AE", "AE", "port_airport"),
    "D": ("Dubai Cloud FZ", "AE", None, "digital"),
    "E": ("Mumbai Pharma", "IN", None, "health"),
    "F": ("Shanghai Tourism", "CN", "CN", "tourism"),
}

# key: (name, kind, starts, ends, city, country, chamber, budget, linked organisations)
MISSIONS: dict[str, tuple[Any, ...]] = {
    "M1": ("GITEX Dubai 2024", "trade_fair", "2024-10-14", "2024-10-18", "Dubai", "AE", "UAE",
           100_000, ["C", "E"]),
    "M2": ("India mission 2025", "outbound", "2025-02-03", "2025-02-07", "Mumbai", "IN", "IN",
           60_000, ["B"]),
    "M3": ("Delegation in Provence", "inbound", "2025-06-10", "2025-06-20", "Marseille", "FR",
           None, None, []),
    "M4": ("CIIE Shanghai 2025", "trade_fair", "2025-11-05", "2025-11-10", "Shanghai", "CN", "CN",
           90_000, []),
    "M5": ("CIIE Shanghai 2023", "trade_fair", "2023-11-05", "2023-11-10", "Shanghai", "CN", "CN",
           80_000, ["F"]),
}  # fmt: skip

# key: (date, kind, organisation, mission, owner, next step due, done)
INTERACTIONS: dict[str, tuple[Any, ...]] = {
    "I1": ("2024-10-15", "meeting", "C", "M1", "alice", "2024-10-30", True),
    "I2": ("2024-10-16", "meeting", "D", "M1", "alice", "2024-11-15", False),
    "I3": ("2024-10-16", "event", "B", "M1", "bob", None, False),
    "I4": ("2024-10-17", "meeting", "C", "M1", "alice", "2025-07-01", False),
    "I5": ("2025-02-04", "meeting", "B", "M2", "alice", "2025-02-20", True),
    "I6": ("2025-02-05", "meeting", "E", "M2", "bob", "2025-06-14", False),
    "I7": ("2025-02-05", "call", "E", "M2", "alice", "2025-06-15", False),
    "I8": ("2025-06-11", "meeting", "A", "M3", "alice", None, False),
    "I9": ("2025-06-12", "event", None, "M3", "alice", None, False),
    "I10": ("2023-11-07", "event", "F", "M5", "alice", None, False),
    "I11": ("2024-10-15", "meeting", "C", None, "alice", None, False),
}

# key: (code name, organisation, sector, source mission, jobs, owner, history)
PROJECTS: dict[str, tuple[Any, ...]] = {
    "P1": ("Gulf Terminal", "C", "port_airport", "M1", 100, "alice",
           [("2024-10-20", "lead"), ("2025-03-01", "won")]),
    "P2": ("Dubai Edge", "D", "digital", "M1", 40, "alice",
           [("2024-11-01", "lead"), ("2025-01-10", "qualified")]),
    "P3": ("Bharat Grid", "B", "energy", "M1", 60, "alice",
           [("2024-10-25", "lead"), ("2024-12-01", "won"), ("2025-05-01", "landed")]),
    "P4": ("Mumbai Labs", "E", "health", "M2", 30, "alice",
           [("2025-02-10", "lead"), ("2025-05-01", "lost")]),
    "P5": ("Pune Solar", "B", "energy", "M2", 25, "bob",
           [("2025-02-10", "lead"), ("2025-04-01", "won")]),
    "P6": ("Alpha Lab", "A", "digital", None, 10, "alice",
           [("2025-01-02", "lead"), ("2025-01-10", "won")]),
    "P7": ("Old Shanghai", "F", "tourism", "M5", 20, "alice",
           [("2023-12-01", "lead"), ("2024-02-01", "won")]),
}  # fmt: skip


def chamber_ids(session: Session) -> dict[str, int]:
    """Database id of each chamber key of ``CHAMBERS``."""
    rows = session.exec(sa.select(Chamber.id, Chamber.name)).all()
    by_name = {name: int(i) for i, name in rows}
    return {key: by_name[name] for key, name in CHAMBERS.items()}


def _organisations(session: Session, ids: dict[str, int]) -> None:
    for key, (name, hq, control, sector) in ORGANISATIONS.items():
        data = OrganisationCreate(
            name=name, hq_country_iso2=hq, control_country_iso2=control, sector_code=sector
        )
        ids[key] = records.create_organisation(session=session, data=data, author=AUTHOR).id


def _missions(session: Session, ids: dict[str, int]) -> None:
    chambers = chamber_ids(session)
    for key, spec in MISSIONS.items():
        name, kind, starts, ends, city, country, chamber, budget, linked = spec
        data = MissionCreate(
            name=name,
            kind=MissionKind(kind),
            starts_on=D(starts),
            ends_on=D(ends),
            city=city,
            country_iso2=country,
            chamber_id=chambers[chamber] if chamber else None,
            budget_eur=budget,
        )
        ids[key] = records.create_mission(session=session, data=data, author=AUTHOR).id
        for org in linked:
            records.add_mission_organisation(
                session=session, mission_id=ids[key], organisation_id=ids[org]
            )


def _interactions(session: Session, ids: dict[str, int]) -> None:
    for key, (on, kind, org, mission, owner, due, done) in INTERACTIONS.items():
        data = InteractionCreate(
            occurred_on=D(on),
            kind=InteractionKind(kind),
            organisation_id=ids[org] if org else None,
            mission_id=ids[mission] if mission else None,
            next_step="Send the site offer" if due else None,
            next_step_due_on=D(due) if due else None,
            next_step_done=done,
            author=AUTHOR,
            owner=owner,
        )
        ids[key] = records.create_interaction(session=session, data=data).id


def _projects(session: Session, ids: dict[str, int]) -> None:
    for key, (name, org, sector, mission, jobs, owner, history) in PROJECTS.items():
        first_on, first_stage = history[0]
        data = ProjectCreate(
            code_name=name,
            organisation_id=ids[org],
            sector_code=sector,
            jobs_announced=jobs,
            owner=owner,
            source_channel=SourceChannel.MISSION if mission else SourceChannel.PROSPECTING,
            source_mission_id=ids[mission] if mission else None,
            stage=Stage(first_stage),
            stage_on=D(first_on),
        )
        ids[key] = records.create_project(session=session, data=data, author=AUTHOR).id
        for on, stage in history[1:]:
            lost = {"lost_reason": LostReason.COST} if stage == "lost" else {}
            records.change_stage(
                session=session,
                project_id=ids[key],
                to_stage=Stage(stage),
                on=D(on),
                author=AUTHOR,
                **lost,
            )


def build_mission_fixture(session: Session) -> dict[str, int]:
    """Write the data set above (reference data must be loaded) and return each key's id."""
    ids: dict[str, int] = {}
    _organisations(session, ids)
    _missions(session, ids)
    _interactions(session, ids)
    _projects(session, ids)
    return ids
