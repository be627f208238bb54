"""Aftercare check-ins and attribution claims (issue 14): a hand-made data set written through
the real write functions, read on AS_OF = 2026-12-02 (the checkable cutoff is 2025-12-02).

Projects (all of "Forge Provence SAS", FR, energy), decision date, jobs announced, owner:
  R1 Aubagne Foundry  won 2023-03-01   100  alice  capex 25 M disclosed
     check-ins 2024-03-05: 40 | 2025-03-03: 70 | 2026-03-02: 85, 18,000,000 spent  -> 85
  R2 Vitrolles Labs   won 2023-06-15    50  bob
     check-ins 2024-06-20: 20 | 2025-06-16: 35 | 2026-06-15: 48, then a correction of the
     same date recorded later: 45                                                 -> 45
  R3 Never Checked    won 2023-09-01    30  alice  no check-in                     -> awaiting
  R4 Gone Co          won 2023-04-03    60  alice
     check-ins 2024-04-08: 25 | 2025-10-01: company left (0)                       -> 0
  R8 Landed Later     won 2024-01-10, landed 2025-01-06   8  alice
     check-in 2025-01-20: 3                                                        -> 3
  R6 Late 2025        won 2025-11-03    10  bob    no check-in (checkable)         -> awaiting
  R7 December 2025    won 2025-12-15    12  bob    not checkable yet (after the cutoff)
  R5 Fresh Win        won 2026-05-04    20  bob    not checkable yet

Results on AS_OF:
  2023: 4 won, 240 announced; 4 checkable, 3 checked (R1 R2 R4), 1 awaiting (R3);
        announced of the checked 210, verified 85 + 45 + 0 = 130: rate 130/210 = 61.9 %;
        capex spent 18,000,000.
  2024: 1 won (R8), 8 announced; checked 1, verified 3: rate 3/8 = 37.5 %.
  2025: 2 won (R6 R7), 22 announced; checkable 1 (R6), awaiting 1, checked 0: no rate.
  2026: 1 won (R5), 20 announced; nothing checkable.
On 2025-01-01 instead (cutoff 2024-01-01): 2023 verified 40 + 20 + 25 = 85 of 210.

Claims (claimed on, claimant, decision):
  C1 R1 2023-01-10 chamber CH1  accepted "introduced the company"
  C2 R3 2023-05-02 chamber CH1  refused  "already in contact since 2022-11-15" (I1 below)
  C3 R2 2023-02-01 event M1     accepted (an event: not the network)
  C4 R4 2023-02-15 staff "carla" pending
  C5 R2 2023-03-01 chamber CH2  accepted
  Network 2023: R1, R2 -> 2 projects, 150 announced, 85 + 45 = 130 verified; CH1 alone: 1
  project, 85 verified; events: 1 project (R2), 45 verified.
Interactions with the organisation: I1 2022-11-15 meeting (R3's), I2 2023-02-20 call.

Check-ins due on AS_OF (horizon 14 days, to 2026-12-16):
  R3 12 months, due 2024-09-01, overdue 822 days (alice)
  R8 12 months after landing, due 2026-01-06 (the check-in of 2025-01-20 is too early), overdue
     330 days (alice)
  R6 12 months, due 2026-11-03, overdue 29 days (bob)
  R7 12 months, due 2026-12-15, upcoming (bob)
  R1 R2 done (three milestones answered), R4 left, R5 due 2027-05-04 (beyond the horizon).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from core import aftercare, claims, records
from models import (
    CapexDisclosure,
    Chamber,
    CheckInCreate,
    ClaimantKind,
    ClaimCreate,
    EvidenceKind,
    InteractionCreate,
    MissionCreate,
    MissionKind,
    OrganisationCreate,
    ProjectCreate,
    Stage,
)

D = date.fromisoformat
AS_OF = D("2026-12-02")
AUTHOR = "fixture"

PROJECTS = {
    "R1": ("Aubagne Foundry", "2023-03-01", 100, "alice"),
    "R2": ("Vitrolles Labs", "2023-06-15", 50, "bob"),
    "R3": ("Never Checked", "2023-09-01", 30, "alice"),
    "R4": ("Gone Co", "2023-04-03", 60, "alice"),
    "R8": ("Landed Later", "2024-01-10", 8, "alice"),
    "R6": ("Late 2025", "2025-11-03", 10, "bob"),
    "R7": ("December 2025", "2025-12-15", 12, "bob"),
    "R5": ("Fresh Win", "2026-05-04", 20, "bob"),
}
#: (project, checked on, jobs created, capex spent, company left)
CHECKINS = (
    ("R1", "2024-03-05", 40, None, False),
    ("R1", "2025-03-03", 70, None, False),
    ("R1", "2026-03-02", 85, 18_000_000, False),
    ("R2", "2024-06-20", 20, None, False),
    ("R2", "2025-06-16", 35, None, False),
    ("R2", "2026-06-15", 48, None, False),
    ("R2", "2026-06-15", 45, None, False),
    ("R4", "2024-04-08", 25, None, False),
    ("R4", "2025-10-01", 0, None, True),
    ("R8", "2025-01-20", 3, None, False),
)


def chambers(session: Session) -> tuple[int, int]:
    """The first two chambers of the reference data (CH1, CH2)."""
    rows = session.execute(sa.select(Chamber.id).order_by(Chamber.id).limit(2)).scalars().all()
    return rows[0], rows[1]


def build_results(session: Session) -> dict[str, int]:
    """The data set above; the id of each key (R*, C*, M1, CH1, CH2, ORG)."""
    ids: dict[str, int] = {}
    org = records.create_organisation(
        session=session,
        data=OrganisationCreate(name="Forge Provence SAS", hq_country_iso2="FR"),
        author=AUTHOR,
    )
    ids["ORG"] = org.id
    for key, (name, won_on, jobs, owner) in PROJECTS.items():
        capex = (
            {"capex_eur": 25_000_000, "capex_disclosure": CapexDisclosure.DISCLOSED}
            if key == "R1"
            else {}
        )
        data = ProjectCreate(
            code_name=name, organisation_id=org.id, sector_code="energy", jobs_announced=jobs,
            owner=owner, stage=Stage.LEAD, stage_on=D("2022-10-03"), **capex,
        )  # fmt: skip
        ids[key] = records.create_project(session=session, data=data, author=AUTHOR).id
        records.change_stage(
            session=session, project_id=ids[key], to_stage=Stage.WON, on=D(won_on), author=AUTHOR
        )
    records.change_stage(
        session=session, project_id=ids["R8"], to_stage=Stage.LANDED, on=D("2025-01-06"),
        author=AUTHOR,
    )  # fmt: skip
    for key, on, jobs, capex, left in CHECKINS:
        aftercare.record_checkin(
            session=session,
            data=CheckInCreate(
                project_id=ids[key], checked_on=D(on), jobs_created=jobs, capex_spent_eur=capex,
                evidence=EvidenceKind.COMPANY_DECLARATION, company_left=left,
            ),
            author=AUTHOR,
        )  # fmt: skip
    mission = records.create_mission(
        session=session,
        data=MissionCreate(
            name="Industry days 2023", kind=MissionKind.INBOUND, starts_on=D("2023-01-30"),
            ends_on=D("2023-02-01"), country_iso2="FR",
        ),
        author=AUTHOR,
    )  # fmt: skip
    ids["M1"] = mission.id
    ids["CH1"], ids["CH2"] = chambers(session)
    for key, on, kind, project in (
        ("I1", "2022-11-15", "meeting", "R3"),
        ("I2", "2023-02-20", "call", None),
    ):
        ids[key] = records.create_interaction(
            session=session,
            data=InteractionCreate(
                occurred_on=D(on), kind=kind, organisation_id=org.id,
                project_id=ids[project] if project else None, author="alice",
            ),
        ).id  # fmt: skip
    claimed = {
        "C1": ("R1", "2023-01-10", ClaimantKind.CHAMBER, {"chamber_id": ids["CH1"]}),
        "C2": ("R3", "2023-05-02", ClaimantKind.CHAMBER, {"chamber_id": ids["CH1"]}),
        "C3": ("R2", "2023-02-01", ClaimantKind.EVENT, {"mission_id": ids["M1"]}),
        "C4": ("R4", "2023-02-15", ClaimantKind.STAFF, {"staff_name": "carla"}),
        "C5": ("R2", "2023-03-01", ClaimantKind.CHAMBER, {"chamber_id": ids["CH2"]}),
    }
    for key, (project, on, kind, who) in claimed.items():
        data = ClaimCreate(project_id=ids[project], claimant_kind=kind, claimed_on=D(on), **who)
        ids[key] = claims.create_claim(session=session, data=data, author=AUTHOR).id
    decisions = {
        "C1": (True, "introduced the company"),
        "C2": (False, "already in contact since 2022-11-15"),
        "C3": (True, "met at the event"),
        "C5": (True, "hosted the site visit"),
    }
    for key, (accept, reason) in decisions.items():
        claims.decide_claim(
            session=session, claim_id=ids[key], accept=accept, reason=reason,
            on=D("2023-06-30"), author=AUTHOR,
        )  # fmt: skip
    return ids
