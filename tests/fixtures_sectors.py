"""A small hand-made data set for the Sectors page, built through the real write functions.

Every expected figure of ``tests/test_sectors.py`` is worked out by hand from these tables.

Organisations (origin = country of control, else HQ):
  A Alpha Numérique FR digital   G Gamma Systems DE digital   B Bharat Power IN energy
  C Cedar Health US health       D Dune Ports AE port_airport  E Edo Travel JP tourism
  F Nameless SARL (no country) other                          H Hindi Talent IN work_hr

Projects (org, sector, jobs announced, capex and flag, owner) and their stage history:
  S1  A digital    50  10 M disclosed  alice  2024-11-04 lead, 2025-01-01 qualified,
                                              2025-03-10 won
  S2  G digital    30   4 M estimated  bob    2025-02-01 lead, 2025-04-01 qualified,
                                              2025-12-31 won (last day of 2025)
  S3  A digital    20  unknown         alice  2025-05-05 lead, 2025-06-01 qualified (open)
  S4  G digital    10  unknown         bob    2026-01-01 lead (first day after 2025)
  S5  B energy    100  50 M disclosed  bob    2024-06-01 lead, 2024-09-01 qualified,
                                              2025-01-01 won (first day of 2025)
  S6  B energy     40   8 M disclosed  bob    2025-01-01 lead, 2025-03-01 qualified,
                                              2025-07-01 lost
  S7  B energy     60  unknown         bob    2025-02-10 lead, 2025-03-01 qualified,
                                              2025-04-01 on_hold, 2025-05-01 qualified (open)
  S8  C health     25   3 M disclosed  alice  2025-06-01 lead, 2025-09-15 won (no qualified
                                              step), 2025-11-01 landed
  S9  D port        200 100 M estimated alice 2025-03-03 lead, 2025-06-02 qualified,
                                              2025-10-01 abandoned
  S10 E tourism    15  unknown         alice  2024-12-31 lead, 2025-02-02 qualified (open)
  S11 F other       5   1 M estimated  bob    2025-08-08 won (created as won: lead the same day)
  S12 A digital    12   2 M disclosed  alice  2023-03-01 lead, 2023-06-01 qualified,
                                              2024-12-31 won (last day of 2024)
  S13 H work_hr     8  unknown         bob    2025-10-10 target (never a lead)
  S14 B energy     70  unknown         bob    2025-04-04 lead (open)

Interactions (date, organisation): 2024-12-31 C, 2025-03-03 C, 2025-05-05 A, 2025-12-31 C.

Sector targets: 2025 digital projects_won 4, jobs_announced 100; 2025 energy projects_won 2,
jobs_announced 0; 2025 health meetings 2; 2025 tourism missions 1; 2024 digital projects_won 9.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from core import records
from models import (
    CapexDisclosure,
    InteractionCreate,
    LostReason,
    OrganisationCreate,
    ProjectCreate,
    SectorTarget,
    SectorTargetCreate,
    Stage,
    TargetKpi,
)

D = date.fromisoformat
AUTHOR = "fixture"

ORGANISATIONS: dict[str, tuple[str, str | None, str | None, str]] = {
    # key: (name, HQ country, country of control, sector)
    "A": ("Alpha Numérique", "FR", "FR", "digital"),
    "G": ("Gamma Systems", "DE", "DE", "digital"),
    "B": ("Bharat Power", "IN", "IN", "energy"),
    "C": ("Cedar Health", "US", None, "health"),
    "D": ("Dune Ports", "AE", "AE", "port_airport"),
    "E": ("Edo Travel", "JP", "JP", "tourism"),
    "F": ("Nameless SARL", None, None, "other"),
    "H": ("Hindi Talent", "IN", None, "work_hr"),
}

# key: (org, sector, jobs announced, capex, flag, owner, history of (date, stage))
PROJECTS: dict[str, tuple[Any, ...]] = {
    "S1": ("A", "digital", 50, 10_000_000, "disclosed", "alice",
           [("2024-11-04", "lead"), ("2025-01-01", "qualified"), ("2025-03-10", "won")]),
    "S2": ("G", "digital", 30, 4_000_000, "estimated", "bob",
           [("2025-02-01", "lead"), ("2025-04-01", "qualified"), ("2025-12-31", "won")]),
    "S3": ("A", "digital", 20, None, "unknown", "alice",
           [("2025-05-05", "lead"), ("2025-06-01", "qualified")]),
    "S4": ("G", "digital", 10, None, "unknown", "bob", [("2026-01-01", "lead")]),
    "S5": ("B", "energy", 100, 50_000_000, "disclosed", "bob",
           [("2024-06-01", "lead"), ("2024-09-01", "qualified"), ("2025-01-01", "won")]),
    "S6": ("B", "energy", 40, 8_000_000, "disclosed", "bob",
           [("2025-01-01", "lead"), ("2025-03-01", "qualified"), ("2025-07-01", "lost")]),
    "S7": ("B", "energy", 60, None, "unknown", "bob",
           [("2025-02-10", "lead"), ("2025-03-01", "qualified"), ("2025-04-01", "on_hold"),
            ("2025-05-01", "qualified")]),
    "S8": ("C", "health", 25, 3_000_000, "disclosed", "alice",
           [("2025-06-01", "lead"), ("2025-09-15", "won"), ("2025-11-01", "landed")]),
    "S9": ("D", "port_airport", 200, 100_000_000, "estimated", "alice",
           [("2025-03-03", "lead"), ("2025-06-02", "qualified"), ("2025-10-01", "abandoned")]),
    "S10": ("E", "tourism", 15, None, "unknown", "alice",
            [("2024-12-31", "lead"), ("2025-02-02", "qualified")]),
    "S11": ("F", "other", 5, 1_000_000, "estimated", "bob", [("2025-08-08", "won")]),
    "S12": ("A", "digital", 12, 2_000_000, "disclosed", "alice",
            [("2023-03-01", "lead"), ("2023-06-01", "qualified"), ("2024-12-31", "won")]),
    "S13": ("H", "work_hr", 8, None, "unknown", "bob", [("2025-10-10", "target")]),
    "S14": ("B", "energy", 70, None, "unknown", "bob", [("2025-04-04", "lead")]),
}  # fmt: skip

INTERACTIONS: tuple[tuple[str, str], ...] = (
    ("2024-12-31", "C"),
    ("2025-03-03", "C"),
    ("2025-05-05", "A"),
    ("2025-12-31", "C"),
)

SECTOR_TARGETS: tuple[tuple[int, str, TargetKpi, int], ...] = (
    (2025, "digital", TargetKpi.PROJECTS_WON, 4),
    (2025, "digital", TargetKpi.JOBS_ANNOUNCED, 100),
    (2025, "energy", TargetKpi.PROJECTS_WON, 2),
    (2025, "energy", TargetKpi.JOBS_ANNOUNCED, 0),
    (2025, "health", TargetKpi.MEETINGS, 2),
    (2025, "tourism", TargetKpi.MISSIONS, 1),
    (2024, "digital", TargetKpi.PROJECTS_WON, 9),
)


def _project(session: Session, ids: dict[str, int], key: str) -> None:
    org, sector, jobs, capex, flag, owner, history = PROJECTS[key]
    first_on, first_stage = history[0]
    data = ProjectCreate(
        code_name=f"Sector {key}",
        organisation_id=ids[org],
        sector_code=sector,
        jobs_announced=jobs,
        capex_eur=capex,
        capex_disclosure=CapexDisclosure(flag),
        owner=owner,
        stage=Stage(first_stage),
        stage_on=D(first_on),
    )
    ids[key] = records.create_project(session=session, data=data, author=AUTHOR).id
    for on, stage in history[1:]:
        records.change_stage(
            session=session,
            project_id=ids[key],
            to_stage=Stage(stage),
            on=D(on),
            author=AUTHOR,
            **({"lost_reason": LostReason.COST} if stage == "lost" else {}),
        )


def build_sector_fixture(session: Session) -> dict[str, int]:
    """Write the data set above and return the database id of each key."""
    ids: dict[str, int] = {}
    for key, (name, hq, control, sector) in ORGANISATIONS.items():
        data = OrganisationCreate(
            name=name, hq_country_iso2=hq, control_country_iso2=control, sector_code=sector
        )
        ids[key] = records.create_organisation(session=session, data=data, author=AUTHOR).id
    for key in PROJECTS:
        _project(session, ids, key)
    for on, org in INTERACTIONS:
        data = InteractionCreate(occurred_on=D(on), organisation_id=ids[org], author=AUTHOR)
        records.create_interaction(session=session, data=data)
    for year, sector, kpi, value in SECTOR_TARGETS:
        data = SectorTargetCreate(year=year, sector_code=sector, kpi=kpi, value=value)
        session.add(SectorTarget.model_validate(data.model_dump()))
    session.commit()
    return ids
