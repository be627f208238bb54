"""The demo's aftercare check-ins and attribution claims (issue 14).

Runs after the projects, their stage history and the interactions are written. Check-ins: each
demo project Won or Landed is checked at the 12, 24 and 36 months after its latest move into
Won or Landed that have passed (most of them: a few milestones are missed, so some projects
await a check). Most projects reach 60-90 % of their announced jobs by 36 months (45 % of that
at 12 months, 80 % at 24); one in twelve fails (10-30 %) and one in thirty-five
leaves the territory (a check-in saying so, with no jobs, then none). Claims: a project won
from a chamber's referral is claimed by that chamber, one from a mission by that event; the
claim is accepted unless the agency met the company before it ("déjà en contact depuis …"),
and the latest few are left pending. Deterministic: a random generator seeded with the demo
seed, projects by id."""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.engine import Connection

from core.aftercare import MILESTONES
from core.formatting import format_day
from models import (
    WON_STAGES,
    CheckIn,
    Claim,
    ClaimantKind,
    ClaimStatus,
    EvidenceKind,
    Interaction,
    Project,
    StageChange,
)

AUTHOR = "Démo"
#: Share of the 36-month outcome reached at each milestone.
PROGRESS = {12: 0.45, 24: 0.8, 36: 1.0}
MISSED = 0.12  # a milestone left unchecked
#: Every FAILS-th project checked fails, every LEAVES-th leaves (by id: always a few of each).
FAILS, LEAVES = 12, 35
PENDING_CLAIMS = 3
CLAIM_LEAD_DAYS = 20  # a claim comes this many days after the project enters the pipeline


def _won_projects(conn: Connection) -> list[sa.Row]:
    p, sc = Project.__table__, StageChange.__table__
    anchor = (
        sa.select(sa.func.max(sc.c.changed_on))
        .where(sc.c.project_id == p.c.id, sc.c.to_stage.in_([s.value for s in WON_STAGES]))
        .scalar_subquery()
    )
    return conn.execute(
        sa.select(
            p.c.id, p.c.organisation_id, p.c.jobs_announced, p.c.decided_on, p.c.lead_on,
            p.c.source_chamber_id, p.c.source_mission_id, anchor.label("anchor_on"),
        )
        .where(p.c.is_demo == sa.true(), p.c.stage.in_([s.value for s in WON_STAGES]))
        .order_by(p.c.id)
    ).all()  # fmt: skip


def checkin_rows(projects: list[sa.Row], rng: random.Random, today: date) -> list[dict]:
    evidence = list(EvidenceKind)
    rows = []
    for index, row in enumerate(p for p in projects if p.anchor_on is not None):
        fate = (
            "leaves" if index % LEAVES == LEAVES // 2
            else "fails" if index % FAILS == FAILS // 2
            else "delivers"
        )  # fmt: skip
        ratio = rng.uniform(0.1, 0.3) if fate == "fails" else rng.uniform(0.6, 0.9)
        jobs = row.jobs_announced or 0
        for months in MILESTONES:
            on = row.anchor_on + relativedelta(months=months) + timedelta(days=rng.randint(0, 40))
            if on > today:
                break
            if row.decided_on is not None and on < row.decided_on:
                continue
            if rng.random() < MISSED:
                continue
            left = fate == "leaves" and months == 24
            created = 0 if left else round(jobs * ratio * PROGRESS[months])
            rows.append(
                {
                    "project_id": row.id, "checked_on": on, "jobs_created": created,
                    "jobs_kept": 0 if left else max(created - rng.randint(0, 2), 0),
                    "capex_spent_eur": None, "evidence": rng.choice(evidence).value,
                    "evidence_note": None, "company_left": left, "author": AUTHOR,
                    "is_demo": True,
                }
            )  # fmt: skip
            if left:
                break
    return rows


def claim_rows(conn: Connection, projects: list[sa.Row], today: date, lang: str) -> list[dict]:
    i = Interaction.__table__
    rows = []
    for row in projects:
        if row.lead_on is None or not (row.source_chamber_id or row.source_mission_id):
            continue
        claimed_on = min(row.lead_on + timedelta(days=CLAIM_LEAD_DAYS), today)
        kind, who = (
            (ClaimantKind.CHAMBER, {"chamber_id": row.source_chamber_id})
            if row.source_chamber_id
            else (ClaimantKind.EVENT, {"mission_id": row.source_mission_id})
        )
        first = conn.execute(
            sa.select(sa.func.min(i.c.occurred_on)).where(
                sa.or_(i.c.organisation_id == row.organisation_id, i.c.project_id == row.id)
            )
        ).scalar()
        known = first is not None and first < row.lead_on
        decided_on = min(claimed_on + timedelta(days=30), today)
        reason = (
            f"déjà en contact depuis le {format_day(first, lang)}"
            if known
            else "a présenté l'entreprise à l'agence"
        )
        rows.append(
            {
                "project_id": row.id, "claimant_kind": kind.value, "chamber_id": None,
                "mission_id": None, "staff_name": None, "claimed_on": claimed_on,
                "statement": "Projet apporté à l'agence.",
                "status": (ClaimStatus.REFUSED if known else ClaimStatus.ACCEPTED).value,
                "decided_on": decided_on, "decided_by": "Démo administration",
                "decision_reason": reason, "author": AUTHOR, "is_demo": True,
            } | who
        )  # fmt: skip
    # The latest claims wait for the agency's decision.
    for row in sorted(rows, key=lambda r: (r["claimed_on"], r["project_id"]))[-PENDING_CLAIMS:]:
        row |= {"status": ClaimStatus.PENDING.value, "decided_on": None, "decided_by": None,
                "decision_reason": None}  # fmt: skip
    return rows


def plant_aftercare(conn: Connection, seed: int, today: date) -> tuple[int, int]:
    """Insert the demo's check-ins and claims; (check-ins, claims) written."""
    projects = _won_projects(conn)
    checkins = checkin_rows(projects, random.Random(f"{seed}-aftercare"), today)
    claims = claim_rows(conn, projects, today, "fr")
    for table, rows in ((CheckIn.__table__, checkins), (Claim.__table__, claims)):
        for start in range(0, len(rows), 1000):
            conn.execute(table.insert(), rows[start : start + 1000])
    return len(checkins), len(claims)
