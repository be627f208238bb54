"""A small hand-made network for the partner pages, built through the real write functions.

Chamber A = Indo-French Chamber of Commerce and Industry (IN), chamber B = CCI France Émirats
arabes unis (AE). Period of the figures: 2025.

A's referrals (org, stage history, jobs announced):
  A1 Mahindra Aero        2025-02-01 lead, 03-01 qualified, 06-01 won (40 jobs)   120 days
  A2 Infosys Labs         2025-04-01 lead, 05-01 qualified, 07-01 lost (cost)
  A3 Wipro Green          2025-09-01 lead (open); owner Claire Martin; competing locations
                          "Barcelona", capex 5 000 000 estimated, stage note "internal XYZ";
                          shared update 2025-10-01 "Site visit held in Fos"; contact Priya
                          Nair priya.nair@wiprogreen.example +91 22 1234 5678
  A4 CONFIDENTIAL "Project Falcon" of Reliance Secret Industries
                          2025-05-01 lead, 06-01 qualified, 11-01 won (10 jobs)    184 days
  A5 Old Lead Co          2024-06-01 lead (outside 2025)
B's referrals:
  B1 Emirates Robotics    2025-03-01 lead, 04-01 qualified, 05-01 won (100 jobs)   61 days
  B2 Dubai Ports Tech     2025-08-01 lead (open); contact Ahmed Karim
                          ahmed.karim@dubaiports.example; shared update "B's secret update"
Not referred: Prospect Co (prospecting) 2025-03-01 lead, 04-01 won (7 jobs).

Figures of 2025, worked out by hand:
  chamber A: referred 4 (A1-A4), qualified 3 (A1, A2, A4), won 2 (A1, A4), jobs 50,
             conversion 2/4 = 50 %, median days (120, 184) = 152
  network:   referred 6, qualified 4, won 3, jobs 150, conversion 3/6 = 50 %,
             median days (61, 120, 184) = 120

Aftercare check-ins (jobs created; AS_OF = 2026-12-02, checkable: decided by 2025-12-02):
  A1 2026-06-05: 30, 2026-11-20: 34 -> 34     B1 2026-05-05: 80 -> 80
  P1 2026-04-10: 5 -> 5                       A4 none (checkable: awaiting)
Attribution claims (claimed on, decided on, decision and reason):
  K1 A on A1  2025-05-15  2025-06-10 accepted "Introduced at the Mumbai forum"
  K2 A on A4  2025-10-01  2025-11-15 accepted "Hosted the delegation"   (confidential)
  K3 A on P1  2025-04-20  2025-05-02 accepted "Organised the first meeting"  (not A's referral)
  K4 A on B1  2025-04-15  2025-05-20 refused  "Referred by another chamber" (B's referral)
  K5 B on P1  2025-04-25  2025-05-03 accepted "B's reason on P1"
  K6 B on B1  2025-03-20  2025-05-10 accepted "B's secret reason"
  K7 A on A3  2025-10-15  pending
  K8 the staff member "dana" on A1, 2025-05-20, accepted "dana's staff reason" (not a chamber)
Attributed in 2025 (won in 2025, accepted claim of the chamber), on AS_OF:
  chamber A: A1, A4, P1 = 3 projects; checked A1, P1: verified 34 + 5 = 39 of 40 + 7 = 47
             announced, rate 39/47 = 83.0 %
  chamber B: B1, P1 = 2 projects; checked both: verified 80 + 5 = 85 of 107, rate 79.4 %
  network:   A1, A4, P1, B1 = 4 projects (P1 once), verified 34 + 5 + 80 = 119
What partner A reads of its claims (pending first, then the latest claimed, confidential last):
  K7 Wipro Green pending | K1 Mahindra Aero accepted, 34 jobs on 2026-11-20 | K3 not its
  referral, accepted, no jobs shown | K4 not its referral, refused | K2 confidential: its
  status only (accepted)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import select

from core import aftercare, claims, records
from core.referrals import add_shared_update
from models import (
    CapexDisclosure,
    Chamber,
    CheckInCreate,
    ClaimantKind,
    ClaimCreate,
    EvidenceKind,
    LostReason,
    OrganisationCreate,
    PersonCreate,
    ProjectCreate,
    SharedUpdateCreate,
    SourceChannel,
    Stage,
)
from tests.writers import writer

CHAMBER_A = "Indo-French Chamber of Commerce and Industry"
CHAMBER_B = "CCI France Émirats arabes unis"
#: Text of chamber B's referrals and of internal fields: never on a partner A's screen.
B_ONLY = (
    "Emirates Robotics",
    "Dubai Ports Tech",
    "Ahmed",
    "Karim",
    "dubaiports",
    "B's secret update",
    "B's secret reason",
    "B's reason on P1",
)
INTERNAL = (
    "Barcelona",
    "internal XYZ",
    "Project Falcon",
    "Reliance Secret",
    "5000000",
    "dana's staff reason",
    "Hosted the delegation",  # the reason of K2, a claim on a confidential project
)
#: A project no chamber referred (claimed by A and by B): never named to a partner.
NOT_REFERRED = ("Prospect Co",)
#: Contact details, even of A's own referrals, are never shown back to the partner.
CONTACTS = ("priya.nair@wiprogreen.example", "+912212345678", "ahmed.karim@dubaiports.example")


def chamber_ids(engine) -> tuple[int, int]:
    with writer(engine) as s:
        ids = dict(s.exec(select(Chamber.name, Chamber.id)).all())
    return ids[CHAMBER_A], ids[CHAMBER_B]


def _org(s, name: str, iso2: str) -> int:
    org = records.create_organisation(
        session=s,
        data=OrganisationCreate(name=name, hq_country_iso2=iso2, sector_code="digital"),
        author="t",
    )
    return int(org.id)


def _project(s, org: int, code: str, chamber: int | None, on: date, **extra: Any) -> int:
    data = ProjectCreate(
        code_name=code,
        organisation_id=org,
        sector_code="digital",
        source_channel=SourceChannel.CHAMBER if chamber else SourceChannel.PROSPECTING,
        source_chamber_id=chamber,
        stage_on=on,
        **extra,
    )
    return int(records.create_project(session=s, data=data, author="t").id)


def _moves(s, project: int, *moves: tuple[Stage, date], **won: Any) -> None:
    for stage, on in moves:
        extra = dict(won) if stage == Stage.WON else {}
        if stage == Stage.LOST:
            extra = {"lost_reason": LostReason.COST}
        records.change_stage(
            session=s, project_id=project, to_stage=stage, on=on, author="t", **extra
        )


def build_network(engine) -> dict[str, int]:
    a, b = chamber_ids(engine)
    ids: dict[str, int] = {"chamber_a": a, "chamber_b": b}
    q, w, lost = Stage.QUALIFIED, Stage.WON, Stage.LOST
    with writer(engine, expire_on_commit=False) as s:
        ids["A1"] = _project(s, _org(s, "Mahindra Aero", "IN"), "A1", a, date(2025, 2, 1))
        _moves(s, ids["A1"], (q, date(2025, 3, 1)), (w, date(2025, 6, 1)), jobs_announced=40)
        ids["A2"] = _project(s, _org(s, "Infosys Labs", "IN"), "A2", a, date(2025, 4, 1))
        _moves(s, ids["A2"], (q, date(2025, 5, 1)), (lost, date(2025, 7, 1)))
        wipro = _org(s, "Wipro Green", "IN")
        ids["A3"] = _project(
            s,
            wipro,
            "A3",
            a,
            date(2025, 9, 1),
            owner="Claire Martin",
            competing_locations="Barcelona",
            capex_eur=5_000_000,
            capex_disclosure=CapexDisclosure.ESTIMATED,
        )
        records.create_person(
            session=s,
            data=PersonCreate(
                first_name="Priya",
                last_name="Nair",
                organisation_id=wipro,
                email="priya.nair@wiprogreen.example",
                phone="+912212345678",
                data_source="t",
            ),
            author="t",
        )
        ids["A4"] = _project(
            s,
            _org(s, "Reliance Secret Industries", "IN"),
            "Project Falcon",
            a,
            date(2025, 5, 1),
            confidential=True,
        )
        _moves(s, ids["A4"], (q, date(2025, 6, 1)), (w, date(2025, 11, 1)), jobs_announced=10)
        ids["A5"] = _project(s, _org(s, "Old Lead Co", "IN"), "A5", a, date(2024, 6, 1))
        ids["B1"] = _project(s, _org(s, "Emirates Robotics", "AE"), "B1", b, date(2025, 3, 1))
        _moves(s, ids["B1"], (q, date(2025, 4, 1)), (w, date(2025, 5, 1)), jobs_announced=100)
        ports = _org(s, "Dubai Ports Tech", "AE")
        ids["B2"] = _project(s, ports, "B2", b, date(2025, 8, 1))
        records.create_person(
            session=s,
            data=PersonCreate(
                first_name="Ahmed",
                last_name="Karim",
                organisation_id=ports,
                email="ahmed.karim@dubaiports.example",
                data_source="t",
            ),
            author="t",
        )
        ids["P1"] = _project(s, _org(s, "Prospect Co", "DE"), "P1", None, date(2025, 3, 1))
        _moves(s, ids["P1"], (w, date(2025, 4, 1)), jobs_announced=7)
    with writer(engine) as s:
        # The stage note of A3 (internal): written straight on its first move.
        from models import StageChange

        change = s.exec(select(StageChange).where(StageChange.project_id == ids["A3"])).one()
        change.note = "internal XYZ"
        s.add(change)
        s.commit()
        for project, text in (("A3", "Site visit held in Fos"), ("B2", "B's secret update")):
            add_shared_update(
                session=s,
                data=SharedUpdateCreate(
                    project_id=ids[project], text=text, written_on=date(2025, 10, 1)
                ),
                author="Claire Martin",
            )
    with writer(engine) as s:
        build_claims(s, ids)
    return ids


#: The reading date of the attribution figures.
AS_OF = date(2026, 12, 2)
CHECKINS = (("A1", "2026-06-05", 30), ("A1", "2026-11-20", 34), ("B1", "2026-05-05", 80),
            ("P1", "2026-04-10", 5))  # fmt: skip
#: key: (claimant, project, claimed on, decision: (accepted, on, reason) or None)
CLAIMS = {
    "K1": ("A", "A1", "2025-05-15", (True, "2025-06-10", "Introduced at the Mumbai forum")),
    "K2": ("A", "A4", "2025-10-01", (True, "2025-11-15", "Hosted the delegation")),
    "K3": ("A", "P1", "2025-04-20", (True, "2025-05-02", "Organised the first meeting")),
    "K4": ("A", "B1", "2025-04-15", (False, "2025-05-20", "Referred by another chamber")),
    "K5": ("B", "P1", "2025-04-25", (True, "2025-05-03", "B's reason on P1")),
    "K6": ("B", "B1", "2025-03-20", (True, "2025-05-10", "B's secret reason")),
    "K7": ("A", "A3", "2025-10-15", None),
    "K8": ("dana", "A1", "2025-05-20", (True, "2025-06-01", "dana's staff reason")),
}


def build_claims(s, ids: dict[str, int]) -> None:
    """The check-ins and claims above (their ids added to ``ids``)."""
    for project, on, jobs in CHECKINS:
        aftercare.record_checkin(
            session=s,
            data=CheckInCreate(
                project_id=ids[project], checked_on=date.fromisoformat(on), jobs_created=jobs,
                evidence=EvidenceKind.COMPANY_DECLARATION,
            ),
            author="t",
        )  # fmt: skip
    chamber = {"A": ids["chamber_a"], "B": ids["chamber_b"]}
    for key, (who, project, on, decision) in CLAIMS.items():
        claimant = (
            {"claimant_kind": ClaimantKind.CHAMBER, "chamber_id": chamber[who]}
            if who in chamber
            else {"claimant_kind": ClaimantKind.STAFF, "staff_name": who}
        )
        data = ClaimCreate(project_id=ids[project], claimed_on=date.fromisoformat(on), **claimant)
        ids[key] = int(claims.create_claim(session=s, data=data, author="t").id)
        if decision is not None:
            accept, decided_on, reason = decision
            claims.decide_claim(
                session=s, claim_id=ids[key], accept=accept, reason=reason,
                on=date.fromisoformat(decided_on), author="t",
            )  # fmt: skip
