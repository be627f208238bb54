"""A small hand-made data set for the Pipeline page, built through the real write functions.

Every expected figure of ``tests/test_pipeline.py`` is worked out by hand from these tables
(the tests read "today" as 2026-06-30).

Organisations (origin = country of control): A Alpha Numérique FR digital, B Bharat Power IN
energy, C Cedar Health US health, D Dune Ports AE port_airport.

Projects (org, sector, jobs announced, capex and flag, owner) and their stage history:
  Q1  A digital    10   1 M disclosed  alice  2025-01-10 lead, 2025-02-09 qualified,
        2025-04-10 active, 2025-05-10 site_visit, 2025-06-09 negotiation, 2025-09-07 won
  Q2  B energy    100  50 M estimated  bob    2025-02-01 lead, 2025-03-03 qualified,
        2025-07-01 lost (cost, Rotterdam)
  Q3  B energy     40   8 M disclosed  bob    2024-11-01 lead, 2025-01-31 qualified (open)
  Q4  C health     20  unknown         alice  2025-03-01 lead, 2025-03-11 active (open)
        CONFIDENTIAL
  Q5  D port      200 100 M estimated  alice  2025-04-01 lead, 2025-05-01 qualified,
        2025-06-01 on_hold, 2025-08-01 qualified, 2026-01-15 active (open)
  Q6  A digital     5   2 M disclosed  alice  2025-10-10 won (created as won), 2026-02-01 landed
  Q7  C health     30  unknown         bob    2025-06-01 lead, 2025-12-31 lost (site, Barcelona)
  Q8  B energy     15   3 M disclosed  bob    2025-12-31 lead (open)
  Q9  D port        50  unknown        alice  2026-01-01 lead (open)
  Q10 A digital     8  unknown         -      2024-05-01 target
  Q11 B energy     60   6 M disclosed  bob    2024-03-01 lead, 2024-06-01 qualified,
        2024-12-01 won, 2025-03-01 landed
  Q12 C health     12  unknown         alice  2024-12-15 lead, 2025-02-15 lost (cost, Rotterdam)

Interactions (date, organisation, project):
  I1 2025-03-03 B Q3   I2 2025-09-15 D Q5   I3 2025-11-20 D -   I4 2026-02-01 B Q3
  I5 2025-05-05 A -
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
    Stage,
)

D = date.fromisoformat
AUTHOR = "fixture"
TODAY = D("2026-06-30")

ORGANISATIONS: dict[str, tuple[str, str, str]] = {
    "A": ("Alpha Numérique", "FR", "digital"),
    "B": ("Bharat Power", "IN", "energy"),
    "C": ("Cedar Health", "US", "health"),
    "D": ("Dune Ports", "AE", "port_airport"),
}

# key: (org, sector, jobs, capex, flag, owner, confidential, history of (date, stage[, lost]))
PROJECTS: dict[str, tuple[Any, ...]] = {
    "Q1": ("A", "digital", 10, 1_000_000, "disclosed", "alice", False,
           [("2025-01-10", "lead"), ("2025-02-09", "qualified"), ("2025-04-10", "active"),
            ("2025-05-10", "site_visit"), ("2025-06-09", "negotiation"), ("2025-09-07", "won")]),
    "Q2": ("B", "energy", 100, 50_000_000, "estimated", "bob", False,
           [("2025-02-01", "lead"), ("2025-03-03", "qualified"),
            ("2025-07-01", "lost", LostReason.COST, "Rotterdam")]),
    "Q3": ("B", "energy", 40, 8_000_000, "disclosed", "bob", False,
           [("2024-11-01", "lead"), ("2025-01-31", "qualified")]),
    "Q4": ("C", "health", 20, None, "unknown", "alice", True,
           [("2025-03-01", "lead"), ("2025-03-11", "active")]),
    "Q5": ("D", "port_airport", 200, 100_000_000, "estimated", "alice", False,
           [("2025-04-01", "lead"), ("2025-05-01", "qualified"), ("2025-06-01", "on_hold"),
            ("2025-08-01", "qualified"), ("2026-01-15", "active")]),
    "Q6": ("A", "digital", 5, 2_000_000, "disclosed", "alice", False,
           [("2025-10-10", "won"), ("2026-02-01", "landed")]),
    "Q7": ("C", "health", 30, None, "unknown", "bob", False,
           [("2025-06-01", "lead"), ("2025-12-31", "lost", LostReason.SITE, "Barcelona")]),
    "Q8": ("B", "energy", 15, 3_000_000, "disclosed", "bob", False, [("2025-12-31", "lead")]),
    "Q9": ("D", "port_airport", 50, None, "unknown", "alice", False, [("2026-01-01", "lead")]),
    "Q10": ("A", "digital", 8, None, "unknown", None, False, [("2024-05-01", "target")]),
    "Q11": ("B", "energy", 60, 6_000_000, "disclosed", "bob", False,
            [("2024-03-01", "lead"), ("2024-06-01", "qualified"), ("2024-12-01", "won"),
             ("2025-03-01", "landed")]),
    "Q12": ("C", "health", 12, None, "unknown", "alice", False,
            [("2024-12-15", "lead"), ("2025-02-15", "lost", LostReason.COST, "Rotterdam")]),
}  # fmt: skip

# (date, organisation, project or None)
INTERACTIONS: tuple[tuple[str, str, str | None], ...] = (
    ("2025-03-03", "B", "Q3"),
    ("2025-09-15", "D", "Q5"),
    ("2025-11-20", "D", None),
    ("2026-02-01", "B", "Q3"),
    ("2025-05-05", "A", None),
)


def code_name(key: str) -> str:
    return f"Pipe {key}"


def _project(session: Session, ids: dict[str, int], key: str) -> None:
    org, sector, jobs, capex, flag, owner, confidential, history = PROJECTS[key]
    first_on, first_stage = history[0]
    data = ProjectCreate(
        code_name=code_name(key),
        organisation_id=ids[org],
        sector_code=sector,
        jobs_announced=jobs,
        capex_eur=capex,
        capex_disclosure=CapexDisclosure(flag),
        owner=owner,
        confidential=confidential,
        stage=Stage(first_stage),
        stage_on=D(first_on),
    )
    ids[key] = records.create_project(session=session, data=data, author=AUTHOR).id
    for on, stage, *lost in history[1:]:
        records.change_stage(
            session=session,
            project_id=ids[key],
            to_stage=Stage(stage),
            on=D(on),
            author=AUTHOR,
            **({"lost_reason": lost[0], "lost_to_location": lost[1]} if lost else {}),
        )


def build_pipeline_fixture(session: Session) -> dict[str, int]:
    """Write the data set above and return the database id of each key."""
    ids: dict[str, int] = {}
    for key, (name, country, sector) in ORGANISATIONS.items():
        data = OrganisationCreate(
            name=name, hq_country_iso2=country, control_country_iso2=country, sector_code=sector
        )
        ids[key] = records.create_organisation(session=session, data=data, author=AUTHOR).id
    for key in PROJECTS:
        _project(session, ids, key)
    for on, org, project in INTERACTIONS:
        data = InteractionCreate(
            occurred_on=D(on),
            organisation_id=ids[org],
            project_id=ids[project] if project else None,
            author=AUTHOR,
        )
        records.create_interaction(session=session, data=data)
    return ids
