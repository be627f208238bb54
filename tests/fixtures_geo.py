"""A small hand-made data set for the world map, built through the real write functions.

Needs the reference data (countries, chambers, cities): use it with the ``session`` fixture.
Every expected figure of ``tests/test_geo.py`` is worked out by hand from these tables; the
period under test is the calendar year 2025.

Organisations (HQ / control country -> origin, sector):
  A Ashoka Digital    IN/IN -> IN  digital
  B Boston Apps       US/-  -> US  digital   (origin from the HQ)
  C Creek Energy      AE/AE -> AE  energy
  D Durance Logiciel  FR/FR -> FR  digital
  E Nowhere Ltd       -/-   -> none  other
  F Frankfurt Power   DE/US -> US  energy    (control wins over HQ)

Chambers (reference data): IFCCI = Indo-French Chamber of Commerce and Industry (IN, Mumbai,
a city of the City table); CAE = CCI France Émirats arabes unis (AE, Dubai: not in the City
table); CUS = French-American Chamber of Commerce New York (US, New York: not in it).

Projects (org, sector, jobs announced, history, source chamber):
  G1  A digital 100  2025-01-01 lead (first day), 2025-12-31 won (last day)      IFCCI
  G2  A energy   40  2024-12-31 lead (day before), 2025-03-01 won                -
  G3  C energy   30  2025-02-01 lead, 2026-01-01 won (day after)                 CAE
  G4  B digital  20  2025-05-05 lead (open)                                      CUS
  G5  F energy   60  2025-06-01 lead, 2025-09-01 won                             CUS
  G6  D digital  10  2025-04-01 lead, 2025-04-20 won                             -
  G7  E other     5  2025-07-07 won (created as won: lead the same day)          -
  G8  A digital   7  2025-03-03 target (never a lead)                            IFCCI
  G9  C energy   25  2025-01-10 lead, 2025-05-01 lost (decided, not won)         CAE
  G10 A digital  50  2023-01-01 lead, 2025-06-30 won, 2025-08-01 landed          IFCCI
  G11 B digital  15  2025-02-02 lead, 2025-10-10 won                             -

Interactions (date, organisation): 2024-12-31 A, 2025-01-01 A, 2025-03-03 F, 2025-05-05 none,
2025-06-06 E, 2025-07-07 C, 2025-08-08 A, 2025-09-09 A, 2025-12-31 B, 2026-01-01 C.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from core import records
from models import (
    Chamber,
    InteractionCreate,
    LostReason,
    OrganisationCreate,
    ProjectCreate,
    Stage,
)

D = date.fromisoformat
AUTHOR = "fixture"

CHAMBERS = {
    "IFCCI": "Indo-French Chamber of Commerce and Industry",
    "CAE": "CCI France Émirats arabes unis",
    "CUS": "French-American Chamber of Commerce New York",
}

ORGANISATIONS: dict[str, tuple[str, str | None, str | None, str]] = {
    # key: (name, HQ country, country of control, sector)
    "A": ("Ashoka Digital", "IN", "IN", "digital"),
    "B": ("Boston Apps", "US", None, "digital"),
    "C": ("Creek Energy", "AE", "AE", "energy"),
    "D": ("Durance Logiciel", "FR", "FR", "digital"),
    "E": ("Nowhere Ltd", None, None, "other"),
    "F": ("Frankfurt Power", "DE", "US", "energy"),
}

# key: (org, sector, jobs announced, history of (date, stage), source chamber)
PROJECTS: dict[str, tuple[Any, ...]] = {
    "G1": ("A", "digital", 100, [("2025-01-01", "lead"), ("2025-12-31", "won")], "IFCCI"),
    "G2": ("A", "energy", 40, [("2024-12-31", "lead"), ("2025-03-01", "won")], None),
    "G3": ("C", "energy", 30, [("2025-02-01", "lead"), ("2026-01-01", "won")], "CAE"),
    "G4": ("B", "digital", 20, [("2025-05-05", "lead")], "CUS"),
    "G5": ("F", "energy", 60, [("2025-06-01", "lead"), ("2025-09-01", "won")], "CUS"),
    "G6": ("D", "digital", 10, [("2025-04-01", "lead"), ("2025-04-20", "won")], None),
    "G7": ("E", "other", 5, [("2025-07-07", "won")], None),
    "G8": ("A", "digital", 7, [("2025-03-03", "target")], "IFCCI"),
    "G9": ("C", "energy", 25, [("2025-01-10", "lead"), ("2025-05-01", "lost")], "CAE"),
    "G10": ("A", "digital", 50,
            [("2023-01-01", "lead"), ("2025-06-30", "won"), ("2025-08-01", "landed")], "IFCCI"),
    "G11": ("B", "digital", 15, [("2025-02-02", "lead"), ("2025-10-10", "won")], None),
}  # fmt: skip

INTERACTIONS: tuple[tuple[str, str | None], ...] = (
    ("2024-12-31", "A"),
    ("2025-01-01", "A"),
    ("2025-03-03", "F"),
    ("2025-05-05", None),
    ("2025-06-06", "E"),
    ("2025-07-07", "C"),
    ("2025-08-08", "A"),
    ("2025-09-09", "A"),
    ("2025-12-31", "B"),
    ("2026-01-01", "C"),
)


def chamber_ids(session: Session) -> dict[str, int]:
    """The database id of each chamber key (reference data loaded by the fixture)."""
    rows = session.exec(select(Chamber.name, Chamber.id)).all()
    by_name = dict(rows)
    return {key: by_name[name] for key, name in CHAMBERS.items()}


def _project(session: Session, ids: dict[str, int], key: str) -> None:
    org, sector, jobs, history, chamber = PROJECTS[key]
    first_on, first_stage = history[0]
    data = ProjectCreate(
        code_name=f"Geo {key}",
        organisation_id=ids[org],
        sector_code=sector,
        jobs_announced=jobs,
        stage=Stage(first_stage),
        stage_on=D(first_on),
        source_chamber_id=ids[chamber] if chamber else None,
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


def build_geo_fixture(session: Session) -> dict[str, int]:
    """Write the data set above and return the database id of each key (chambers included)."""
    ids: dict[str, int] = dict(chamber_ids(session))
    for key, (name, hq, control, sector) in ORGANISATIONS.items():
        data = OrganisationCreate(
            name=name, hq_country_iso2=hq, control_country_iso2=control, sector_code=sector
        )
        ids[key] = records.create_organisation(session=session, data=data, author=AUTHOR).id
    for key in PROJECTS:
        _project(session, ids, key)
    for on, org in INTERACTIONS:
        data = InteractionCreate(
            occurred_on=D(on), organisation_id=ids[org] if org else None, author=AUTHOR
        )
        records.create_interaction(session=session, data=data)
    session.commit()
    return ids
