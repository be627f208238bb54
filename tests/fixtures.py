"""A small hand-made data set, built through the real write functions of ``core.records``.

Every expected number in the KPI and directory tests is worked out by hand from the tables
below (home country FR). Keys (O1, P1, I1, M1, Pe1) are the ones ``build_fixture`` returns ids
for.

Organisations (name, kind, HQ / control country, sector, domain):
  O1  Alpha Data SAS              company  FR/FR  digital       alpha-data.fr
  O2  Bharat Energy Ltd           company  IN/IN  energy        bharat-energy.in
  O3  Kraftwerk GmbH              company  DE/US  energy        kraftwerk-energy.de  parent O11
  O4  Santé Plus                  company  FR/-   health        sante-plus.fr
  O5  Gulf Ports LLC              investor AE/AE  port_airport  gulfports.ae
  O6  Indo-French Chamber of Commerce and Industry  chamber  IN/-  -  ifcci.org.in
  O7  Shanghai Tourism Co         company  CN/CN  tourism       -
  O8  100% Digital_Labs           company  FR/-   digital       digital-labs.fr
  O9  Atelier d'Azur              company  FR/-   tourism       atelier-azur.fr
  O10 Chennai Robotics Pvt Ltd    company  IN/-   digital       -   (only hosted in M2)
  O11 Kraftwerk Holding Inc       company  US/-   -             -
  O12 Unknown Origin SARL         company  -/-    other         -

Projects (org, origin, jobs announced/kept, capex and flag) and their stage history:
  P1  Azur Cloud       O1 FR   50/10   20,000,000 disclosed
      2023-02-10 lead, 2023-05-01 qualified, 2023-11-15 won, 2024-06-01 landed
  P2  Mumbai Solar     O2 IN  120/0    45,000,000 estimated
      2023-09-01 lead, 2024-03-01 active, 2024-12-31 won (last day of 2024)
  P3  Delhi Grid       O2 IN   30/5    unknown
      2024-02-01 lead, 2024-10-01 negotiation, 2025-01-01 won (first day of 2025)
  P4  Rhine Turbines   O3 US   80/0    12,000,000 disclosed
      2023-06-01 lead, 2024-04-10 site_visit, 2024-07-15 won
  P5  Vital Lab        O4 FR   15/20    3,000,000 disclosed
      2024-01-10 target, 2024-02-15 lead, 2024-05-20 won
  P6  Dubai Quay       O5 AE  200/0   100,000,000 estimated
      2024-03-01 lead, 2024-06-01 qualified, 2025-02-10 lost (cost, Rotterdam)
  P7  Bund Hotel       O7 CN   40/0    unknown
      2024-11-05 lead, 2025-03-01 active (still open)
  P8  Azur Edge        O1 FR   25/0     5,000,000 disclosed
      2025-01-15 lead, 2025-06-30 won
  P9  Pune Battery     O2 IN   60/0     8,000,000 disclosed
      2023-03-01 lead, 2023-12-01 on_hold, 2024-09-01 lead, 2025-04-01 qualified (open)
  P10 Seine Data       O8 FR   10/0    unknown
      2024-05-01 target (never open)
  P11 Gulf Cold Chain  O5 AE   35/0     7,000,000 disclosed
      2023-04-01 lead, 2023-10-01 abandoned
  P12 Kraftwerk South  O3 US   90/0    30,000,000 disclosed
      2024-06-01 lead, 2024-12-31 on_hold, 2024-12-31 lead (same day, later id), 2025-09-30 won
  P13 Mystery Plant    O12 -    5/0     1,000,000 estimated
      2025-03-15 won (created as won)

Missions (kind, dates, organisations met or hosted):
  M1  GITEX Dubai 2024               trade_fair  2024-10-14..2024-10-18  AE  O5
  M2  Indian delegation in Provence  inbound     2025-06-10..2025-06-12  FR  O2, O10
  M3  CIIE Shanghai 2023             outbound    2023-11-05..2023-11-10  CN  O7
  M4  Rhine year-end mission         outbound    2024-12-30..2025-01-03  DE  O3

Interactions (date, kind, organisation, project, mission, author):
  I1  2023-01-20 meeting    O1  -    -   alice
  I2  2023-02-10 call       O1  P1   -   alice
  I3  2023-03-01 meeting    O2  P9   -   bob
  I4  2023-06-01 meeting    O3  P4   -   bob
  I5  2023-11-07 event      O7  -    M3  alice
  I6  2023-12-31 meeting    O4  -    -   alice
  I7  2024-01-01 call       O4  -    -   alice
  I8  2024-02-15 meeting    O4  P5   -   bob    (participant Pe6)
  I9  2024-03-01 meeting    O5  P6   -   bob
  I10 2024-03-01 call       O2  P2   -   alice
  I11 2024-04-10 site_visit O3  P4   -   bob
  I12 2024-10-15 event      O5  -    M1  alice
  I13 2024-10-16 meeting    O2  -    M1  alice
  I14 2024-11-05 meeting    O7  P7   -   bob
  I15 2024-12-31 call       O3  P12  -   bob
  I16 2025-01-01 meeting    O2  P3   -   alice
  I17 2025-01-15 meeting    O1  P8   -   alice
  I18 2025-06-11 meeting    O2  -    M2  bob    (participant Pe1)
  I19 2025-09-30 call       O3  P12  -   bob
  I20 2025-11-20 event      -   -    -   alice  (no organisation)
  I21 2025-12-15 meeting    O9  -    -   alice

People (organisation, country): Pe1 Priya Sharma O2 IN, Pe2 Jean Dupont O1 FR, Pe3 Hans Müller
O3 DE, Pe4 Ravi Kumar O2 IN (anonymised), Pe5 Amit Patel no organisation IN, Pe6 Claire Martin
O4 FR.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from core import records
from models import (
    CapexDisclosure,
    InteractionCreate,
    InteractionKind,
    LostReason,
    MissionCreate,
    MissionKind,
    OrganisationCreate,
    OrganisationKind,
    Person,
    PersonCreate,
    ProjectCreate,
    Stage,
    utcnow,
)

D = date.fromisoformat
AUTHOR = "fixture"

ORGANISATIONS: dict[str, dict[str, Any]] = {
    "O11": {"name": "Kraftwerk Holding Inc", "hq_country_iso2": "US"},
    "O1": {
        "name": "Alpha Data SAS",
        "hq_country_iso2": "FR",
        "control_country_iso2": "FR",
        "sector_code": "digital",
        "domain": "alpha-data.fr",
        "city": "Marseille",
    },
    "O2": {
        "name": "Bharat Energy Ltd",
        "hq_country_iso2": "IN",
        "control_country_iso2": "IN",
        "sector_code": "energy",
        "domain": "bharat-energy.in",
        "city": "Mumbai",
    },
    "O3": {
        "name": "Kraftwerk GmbH",
        "hq_country_iso2": "DE",
        "control_country_iso2": "US",
        "sector_code": "energy",
        "domain": "kraftwerk-energy.de",
    },
    "O4": {
        "name": "Santé Plus",
        "hq_country_iso2": "FR",
        "sector_code": "health",
        "domain": "sante-plus.fr",
    },
    "O5": {
        "name": "Gulf Ports LLC",
        "kind": OrganisationKind.INVESTOR,
        "hq_country_iso2": "AE",
        "control_country_iso2": "AE",
        "sector_code": "port_airport",
        "domain": "gulfports.ae",
    },
    "O6": {
        "name": "Indo-French Chamber of Commerce and Industry",
        "kind": OrganisationKind.CHAMBER,
        "hq_country_iso2": "IN",
        "domain": "ifcci.org.in",
    },
    "O7": {
        "name": "Shanghai Tourism Co",
        "hq_country_iso2": "CN",
        "control_country_iso2": "CN",
        "sector_code": "tourism",
    },
    "O8": {
        "name": "100% Digital_Labs",
        "hq_country_iso2": "FR",
        "sector_code": "digital",
        "domain": "digital-labs.fr",
    },
    "O9": {
        "name": "Atelier d'Azur",
        "hq_country_iso2": "FR",
        "sector_code": "tourism",
        "domain": "atelier-azur.fr",
    },
    "O10": {"name": "Chennai Robotics Pvt Ltd", "hq_country_iso2": "IN", "sector_code": "digital"},
    "O12": {"name": "Unknown Origin SARL", "sector_code": "other"},
}

# key: (code name, organisation, sector, jobs announced, jobs kept, capex, flag, history)
# history: (date, stage) pairs, the first one creating the project; lost steps carry a reason.
PROJECTS: dict[str, tuple[Any, ...]] = {
    "P1": ("Azur Cloud", "O1", "digital", 50, 10, 20_000_000, "disclosed",
           [("2023-02-10", "lead"), ("2023-05-01", "qualified"), ("2023-11-15", "won"),
            ("2024-06-01", "landed")]),
    "P2": ("Mumbai Solar", "O2", "energy", 120, 0, 45_000_000, "estimated",
           [("2023-09-01", "lead"), ("2024-03-01", "active"), ("2024-12-31", "won")]),
    "P3": ("Delhi Grid", "O2", "energy", 30, 5, None, "unknown",
           [("2024-02-01", "lead"), ("2024-10-01", "negotiation"), ("2025-01-01", "won")]),
    "P4": ("Rhine Turbines", "O3", "energy", 80, 0, 12_000_000, "disclosed",
           [("2023-06-01", "lead"), ("2024-04-10", "site_visit"), ("2024-07-15", "won")]),
    "P5": ("Vital Lab", "O4", "health", 15, 20, 3_000_000, "disclosed",
           [("2024-01-10", "target"), ("2024-02-15", "lead"), ("2024-05-20", "won")]),
    "P6": ("Dubai Quay", "O5", "port_airport", 200, 0, 100_000_000, "estimated",
           [("2024-03-01", "lead"), ("2024-06-01", "qualified"), ("2025-02-10", "lost")]),
    "P7": ("Bund Hotel", "O7", "tourism", 40, 0, None, "unknown",
           [("2024-11-05", "lead"), ("2025-03-01", "active")]),
    "P8": ("Azur Edge", "O1", "digital", 25, 0, 5_000_000, "disclosed",
           [("2025-01-15", "lead"), ("2025-06-30", "won")]),
    "P9": ("Pune Battery", "O2", "energy", 60, 0, 8_000_000, "disclosed",
           [("2023-03-01", "lead"), ("2023-12-01", "on_hold"), ("2024-09-01", "lead"),
            ("2025-04-01", "qualified")]),
    "P10": ("Seine Data", "O8", "digital", 10, 0, None, "unknown", [("2024-05-01", "target")]),
    "P11": ("Gulf Cold Chain", "O5", "port_airport", 35, 0, 7_000_000, "disclosed",
            [("2023-04-01", "lead"), ("2023-10-01", "abandoned")]),
    "P12": ("Kraftwerk South", "O3", "energy", 90, 0, 30_000_000, "disclosed",
            [("2024-06-01", "lead"), ("2024-12-31", "on_hold"), ("2024-12-31", "lead"),
             ("2025-09-30", "won")]),
    "P13": ("Mystery Plant", "O12", "other", 5, 0, 1_000_000, "estimated",
            [("2025-03-15", "won")]),
}  # fmt: skip

MISSIONS: dict[str, tuple[Any, ...]] = {
    "M1": ("GITEX Dubai 2024", "trade_fair", "2024-10-14", "2024-10-18", "AE", ["O5"]),
    "M2": ("Indian delegation in Provence", "inbound", "2025-06-10", "2025-06-12", "FR",
           ["O2", "O10"]),
    "M3": ("CIIE Shanghai 2023", "outbound", "2023-11-05", "2023-11-10", "CN", ["O7"]),
    "M4": ("Rhine year-end mission", "outbound", "2024-12-30", "2025-01-03", "DE", ["O3"]),
}  # fmt: skip

PEOPLE: dict[str, tuple[Any, ...]] = {
    "Pe1": ("Priya", "Sharma", "O2", "IN", "priya.sharma@bharat-energy.in", "+919812345678"),
    "Pe2": ("Jean", "Dupont", "O1", "FR", "jean.dupont@alpha-data.fr", "+33612345678"),
    "Pe3": ("Hans", "Müller", "O3", "DE", "hans.mueller@kraftwerk-energy.de", None),
    "Pe4": ("Ravi", "Kumar", "O2", "IN", "ravi.kumar@bharat-energy.in", None),
    "Pe5": ("Amit", "Patel", None, "IN", "amit@example.com", None),
    "Pe6": ("Claire", "Martin", "O4", "FR", "claire.martin@sante-plus.fr", None),
}

# key: (date, kind, organisation, project, mission, author, participants)
INTERACTIONS: dict[str, tuple[Any, ...]] = {
    "I1": ("2023-01-20", "meeting", "O1", None, None, "alice", []),
    "I2": ("2023-02-10", "call", "O1", "P1", None, "alice", []),
    "I3": ("2023-03-01", "meeting", "O2", "P9", None, "bob", []),
    "I4": ("2023-06-01", "meeting", "O3", "P4", None, "bob", []),
    "I5": ("2023-11-07", "event", "O7", None, "M3", "alice", []),
    "I6": ("2023-12-31", "meeting", "O4", None, None, "alice", []),
    "I7": ("2024-01-01", "call", "O4", None, None, "alice", []),
    "I8": ("2024-02-15", "meeting", "O4", "P5", None, "bob", ["Pe6"]),
    "I9": ("2024-03-01", "meeting", "O5", "P6", None, "bob", []),
    "I10": ("2024-03-01", "call", "O2", "P2", None, "alice", []),
    "I11": ("2024-04-10", "site_visit", "O3", "P4", None, "bob", []),
    "I12": ("2024-10-15", "event", "O5", None, "M1", "alice", []),
    "I13": ("2024-10-16", "meeting", "O2", None, "M1", "alice", []),
    "I14": ("2024-11-05", "meeting", "O7", "P7", None, "bob", []),
    "I15": ("2024-12-31", "call", "O3", "P12", None, "bob", []),
    "I16": ("2025-01-01", "meeting", "O2", "P3", None, "alice", []),
    "I17": ("2025-01-15", "meeting", "O1", "P8", None, "alice", []),
    "I18": ("2025-06-11", "meeting", "O2", None, "M2", "bob", ["Pe1"]),
    "I19": ("2025-09-30", "call", "O3", "P12", None, "bob", []),
    "I20": ("2025-11-20", "event", None, None, None, "alice", []),
    "I21": ("2025-12-15", "meeting", "O9", None, None, "alice", []),
}


def _organisations(session: Session, ids: dict[str, int]) -> None:
    for key, fields in ORGANISATIONS.items():
        parent = {"parent_id": ids["O11"]} if key == "O3" else {}
        data = OrganisationCreate(**fields, **parent)
        ids[key] = records.create_organisation(session=session, data=data, author=AUTHOR).id


def _people(session: Session, ids: dict[str, int]) -> None:
    for key, (first, last, org, country, email, phone) in PEOPLE.items():
        data = PersonCreate(
            first_name=first,
            last_name=last,
            organisation_id=ids.get(org) if org else None,
            country_iso2=country,
            email=email,
            phone=phone,
            data_source="fixture",
        )
        person = records.create_person(session=session, data=data, author=AUTHOR)
        ids[key] = person.id
    anonymised = session.get(Person, ids["Pe4"])
    anonymised.anonymised_at = utcnow()
    session.add(anonymised)
    session.commit()


def _projects(session: Session, ids: dict[str, int]) -> None:
    for key, (name, org, sector, jobs, kept, capex, flag, history) in PROJECTS.items():
        first_on, first_stage = history[0]
        data = ProjectCreate(
            code_name=name,
            organisation_id=ids[org],
            sector_code=sector,
            jobs_announced=jobs,
            jobs_kept=kept,
            capex_eur=capex,
            capex_disclosure=CapexDisclosure(flag),
            stage=Stage(first_stage),
            stage_on=D(first_on),
        )
        ids[key] = records.create_project(session=session, data=data, author=AUTHOR).id
        for on, stage in history[1:]:
            lost = {"lost_reason": LostReason.COST, "lost_to_location": "Rotterdam"}
            records.change_stage(
                session=session,
                project_id=ids[key],
                to_stage=Stage(stage),
                on=D(on),
                author=AUTHOR,
                **(lost if stage == "lost" else {}),
            )


def _missions(session: Session, ids: dict[str, int]) -> None:
    for key, (name, kind, starts, ends, country, orgs) in MISSIONS.items():
        data = MissionCreate(
            name=name,
            kind=MissionKind(kind),
            starts_on=D(starts),
            ends_on=D(ends),
            country_iso2=country,
        )
        ids[key] = records.create_mission(session=session, data=data, author=AUTHOR).id
        for org in orgs:
            records.add_mission_organisation(
                session=session, mission_id=ids[key], organisation_id=ids[org]
            )


def _interactions(session: Session, ids: dict[str, int]) -> None:
    for key, (on, kind, org, project, mission, author, people) in INTERACTIONS.items():
        data = InteractionCreate(
            occurred_on=D(on),
            kind=InteractionKind(kind),
            organisation_id=ids[org] if org else None,
            project_id=ids[project] if project else None,
            mission_id=ids[mission] if mission else None,
            author=author,
            participant_ids=[ids[p] for p in people],
        )
        ids[key] = records.create_interaction(session=session, data=data).id


def build_fixture(session: Session) -> dict[str, int]:
    """Write the data set above and return the database id of each key."""
    ids: dict[str, int] = {}
    _organisations(session, ids)
    _people(session, ids)
    _projects(session, ids)
    _missions(session, ids)
    _interactions(session, ids)
    return ids


#: A confidential project won on 2024-03-01 by O1 (digital, 0.9 M EUR disclosed): counted in
#: every aggregate, named nowhere (presentation and press-kit tests).
SECRET = "Projet Saphir"


def add_confidential_win(session: Session, ids: dict[str, int], *, jobs: int = 7) -> int:
    """Add ``SECRET`` to the data set; its id."""
    data = ProjectCreate(
        code_name=SECRET, organisation_id=ids["O1"], sector_code="digital", jobs_announced=jobs,
        capex_eur=900_000, capex_disclosure=CapexDisclosure.DISCLOSED, stage=Stage.WON,
        stage_on=D("2024-03-01"), confidential=True,
    )  # fmt: skip
    return records.create_project(session=session, data=data, author=AUTHOR).id


def log_late_win(session: Session) -> int:
    """A project won on 2024-09-01 but logged later, as after a press conference: "Fjord Data"
    of Nordwind AS (Norway), digital, 12 jobs, 2 M EUR disclosed. Its id."""
    org = records.create_organisation(
        session=session,
        data=OrganisationCreate(name="Nordwind AS", hq_country_iso2="NO"),
        author=AUTHOR,
    )
    data = ProjectCreate(
        code_name="Fjord Data", organisation_id=org.id, sector_code="digital",
        jobs_announced=12, capex_eur=2_000_000, capex_disclosure=CapexDisclosure.DISCLOSED,
        stage=Stage.WON, stage_on=D("2024-09-01"),
    )  # fmt: skip
    return records.create_project(session=session, data=data, author=AUTHOR).id
