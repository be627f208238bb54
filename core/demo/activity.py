"""Demo meeting log: project meetings, meetings held on missions, and everyday prospecting.

Interactions are planned as light tuples first (a day, an organisation, a project, a mission,
a kind, an outcome, a place) so that each organisation's first contact is known before its
row is written; rows are then built year by year, in date order.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from core.demo import vocab as V
from core.demo.missions import ANY, CHAMBERS, MissionPlan, mission_days
from core.demo.orgs import OrgPlan
from core.demo.plan import DemoContext, WorkdayPicker, weighted
from core.demo.projects import OFFICE, ProjectPlan, Visit

#: Meetings logged per full year at scale 1 (the agency holds 600-700 a year).
MEETINGS_PER_YEAR = (630, 670)
NEW_CONTACT_SHARE = 0.85
OUTCOMES = {"information": 40, "follow_up": 40, "no_interest": 20}
KINDS = {"meeting": 50, "call": 35, "event": 15}


class OrgQueues:
    """Organisations not met yet, by country of control (and chambers apart)."""

    def __init__(self, rng: random.Random, orgs: list[OrgPlan]) -> None:
        self.rng = rng
        self.by_key: dict[str, list[OrgPlan]] = {}
        for org in orgs:
            key = CHAMBERS if org.kind == "chamber" else org.control
            self.by_key.setdefault(key, []).append(org)
            if org.kind != "chamber":
                self.by_key.setdefault(ANY, []).append(org)
        for pool in self.by_key.values():
            rng.shuffle(pool)
        self.next = dict.fromkeys(self.by_key, 0)
        self.met: list[OrgPlan] = []

    def take(self, key: str) -> OrgPlan:
        """The next organisation of ``key`` never met, else one met before."""
        pool = self.by_key.get(key) or self.by_key[ANY]
        key = key if key in self.by_key else ANY
        while self.next[key] < len(pool):
            org = pool[self.next[key]]
            self.next[key] += 1
            if org.first_on is None:
                return org
        return self.rng.choice(pool)

    def repeat(self) -> OrgPlan:
        return self.rng.choice(self.met) if self.met else self.take(ANY)

    def touch(self, org: OrgPlan, ordinal: int) -> None:
        if org.first_on is None:
            self.met.append(org)
        org.touch(ordinal)


def plan_interactions(
    ctx: DemoContext, orgs: list[OrgPlan], missions: list[MissionPlan], plans: list[ProjectPlan]
) -> list[Visit]:
    """Every interaction of the five years; sets first contacts and the missions' guests."""
    rng = ctx.rng("interactions")
    queues = OrgQueues(ctx.rng("contact-order"), orgs)
    visits = _project_visits(ctx, rng, plans, queues)
    by_mission = {m.id: m for m in missions}
    held = Counter(v[3] for v in visits if v[3] is not None)
    for v in visits:
        if v[3] is not None:
            by_mission[v[3]].org_ids.append(v[1])
    for mission in missions:
        visits += _mission_visits(ctx, rng, mission, held[mission.id], queues)
    per_year = Counter(date.fromordinal(v[0]).year for v in visits)
    consulates = [o for o in orgs if o.kind == "consulate"]
    for year in ctx.years:
        target = rng.uniform(*MEETINGS_PER_YEAR) * ctx.scale * ctx.year_fraction(year)
        visits += _everyday_visits(ctx, rng, year, round(target) - per_year[year], queues,
                                   consulates)  # fmt: skip
    return visits


def _place(rng: random.Random, kind: str, org: OrgPlan) -> str:
    if kind == "call":
        return "Video call"
    if kind == "event":
        return rng.choice(V.LOCAL_EVENTS)
    return rng.choice((OFFICE, OFFICE, org.city or "Video call", "Aix-en-Provence — agency desk"))


def _project_visits(ctx, rng, plans, queues) -> list[Visit]:
    out: list[Visit] = []
    lo, hi = ctx.start.toordinal(), ctx.anchor.toordinal()

    def add(plan, day, kind, outcome, place, mission_id=None) -> None:
        if lo <= day.toordinal() <= hi:
            out.append((day.toordinal(), plan.org.id, plan.id, mission_id, kind, outcome, place))
            queues.touch(plan.org, day.toordinal())

    for plan in plans:
        org, mission = plan.org, plan.lead_mission
        lead = plan.date_of("lead")
        if lead is not None:
            queues.touch(org, lead.toordinal())
        for stage, day in plan.history:
            if stage == "target" and rng.random() < 0.3:
                add(plan, day, "call", "information", "Video call")
            elif stage == "lead" and mission is not None:
                meet = date.fromordinal(rng.choice(mission_days(mission, ctx.anchor)))
                kind = "event" if mission.spec.kind == "trade_fair" else "meeting"
                add(plan, meet, kind, "new_lead", mission.city, mission.id)
            elif stage == "lead":
                kind = weighted(rng, KINDS)
                add(plan, day, kind, "new_lead", _place(rng, kind, org))
            elif stage == "site_visit":
                add(plan, day, "site_visit", "progress", plan.fields["target_commune"])
            elif stage in ("qualified", "active", "negotiation") and rng.random() < 0.2:
                kind = rng.choice(("meeting", "call"))
                add(plan, day, kind, "progress", _place(rng, kind, org))
            elif stage == "won" and rng.random() < 0.3:
                add(plan, day, "meeting", "progress", OFFICE)
            elif stage in ("lost", "abandoned") and rng.random() < 0.6:
                add(plan, day, "call", "no_interest", "Video call")
        if plan.outcome == "open" and lead is not None and rng.random() < 0.3:
            since = plan.history[-1][1]
            day = since + timedelta(days=rng.randint(0, (ctx.anchor - since).days))
            add(plan, day, "call", "follow_up", "Video call")
    return out


def _mission_visits(ctx, rng, mission, already, queues) -> list[Visit]:
    days = mission_days(mission, ctx.anchor)
    if not days:
        return []
    keys = list(mission.spec.focus)
    weights = list(mission.spec.focus.values())
    kind = {"trade_fair": "event", "outbound": "meeting", "inbound": "meeting"}[mission.spec.kind]
    out: list[Visit] = []
    for _ in range(max(0, mission.meetings - already)):
        org = queues.take(rng.choices(keys, weights=weights)[0])
        day = rng.choice(days)
        visit_kind = kind if rng.random() < 0.7 else "meeting"
        out.append((day, org.id, None, mission.id, visit_kind, weighted(rng, OUTCOMES),
                    mission.city))  # fmt: skip
        queues.touch(org, day)
        mission.org_ids.append(org.id)
    # Organisations hosted or met on the stand without a logged meeting.
    extra = ctx.scaled(15, 3) if CHAMBERS in keys else round(0.3 * mission.meetings)
    for _ in range(extra):
        org = queues.take(rng.choices(keys, weights=weights)[0])
        queues.touch(org, days[0])
        mission.org_ids.append(org.id)
    return out


def _everyday_visits(ctx, rng, year, count, queues, consulates) -> list[Visit]:
    picker = WorkdayPicker(date(year, 1, 1), ctx.year_end(year))
    out: list[Visit] = []
    india = next((c for c in consulates if c.control == "IN"), None)
    if india is not None and count > 0:
        day = picker.pick(rng, 1)[0]
        out.append((day, india.id, None, None, "meeting", "information", "Marseille"))
        queues.touch(india, day)
        count -= 1
    for day in sorted(picker.pick(rng, max(0, count))):
        org = queues.take(ANY) if rng.random() < NEW_CONTACT_SHARE else queues.repeat()
        kind = weighted(rng, KINDS)
        out.append((day, org.id, None, None, kind, weighted(rng, OUTCOMES),
                    _place(rng, kind, org)))  # fmt: skip
        queues.touch(org, day)
    return out


# ---------------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------------


def interaction_batches(
    ctx: DemoContext, visits: list[Visit], orgs: dict[int, OrgPlan]
) -> Iterator[tuple[list[dict], list[dict], set[tuple[int, int]]]]:
    """Rows of interactions and participants, a year at a time, ids in date order; also the
    (mission, person) pairs met during missions."""
    rng = ctx.rng("interaction-rows")
    by_year: dict[int, list[Visit]] = {}
    for v in visits:
        by_year.setdefault(date.fromordinal(v[0]).year, []).append(v)
    for year in sorted(by_year):
        batch = sorted(by_year[year], key=lambda v: (v[0], v[1], v[2] or 0, v[3] or 0, v[4]))
        first_id = ctx.take_ids("interaction", len(batch))
        rows, people, pairs = [], [], set()
        for offset, visit in enumerate(batch):
            row = _interaction(ctx, rng, first_id + offset, visit, orgs[visit[1]])
            rows.append(row)
            for person_id in _participants(rng, orgs[visit[1]]):
                people.append({"interaction_id": row["id"], "person_id": person_id})
                if visit[3] is not None:
                    pairs.add((visit[3], person_id))
        yield rows, people, pairs


def _participants(rng: random.Random, org: OrgPlan) -> list[int]:
    ids = range(org.first_person_id, org.first_person_id + org.n_people)
    return rng.sample(ids, 2) if org.n_people >= 2 and rng.random() < 0.4 else [rng.choice(ids)]


def _interaction(ctx, rng, row_id, visit, org) -> dict:
    ordinal, org_id, project_id, mission_id, kind, outcome, place = visit
    day = date.fromordinal(ordinal)
    author = rng.choices(V.STAFF, weights=V.STAFF_WEIGHTS)[0]
    owner = author if rng.random() < 0.8 else rng.choice(V.STAFF)
    topic = V.SECTOR_TOPICS[org.sector or "other"]
    summary = rng.choice(V.SUMMARIES[outcome]).format(topic=topic)
    step = due = None
    done = False
    if outcome != "no_interest" and rng.random() < 0.7:
        step = rng.choice(V.NEXT_STEPS)
        due = day + timedelta(days=rng.randint(5, 40))
        done = due <= ctx.anchor and rng.random() < 0.88
    return {
        "id": row_id, "occurred_on": day, "kind": kind, "organisation_id": org_id,
        "project_id": project_id, "mission_id": mission_id, "place": place,
        "outcome": outcome, "summary": summary, "next_step": step, "next_step_due_on": due,
        "next_step_done": done, "author": author, "owner": owner, "is_demo": True,
        "created_at": datetime.combine(day, time(18, 0), tzinfo=UTC),
    }  # fmt: skip


def mission_link_rows(
    missions: list[MissionPlan], orgs: dict[int, OrgPlan], pairs: set[tuple[int, int]]
) -> tuple[list[dict], list[dict]]:
    """MissionOrganisation and MissionPerson rows (each organisation's first contact joins)."""
    org_rows, person_pairs = [], set(pairs)
    for mission in missions:
        for org_id in dict.fromkeys(mission.org_ids):
            org_rows.append({"mission_id": mission.id, "organisation_id": org_id})
            person_pairs.add((mission.id, orgs[org_id].first_person_id))
    person_rows = [{"mission_id": m, "person_id": p} for m, p in sorted(person_pairs)]
    return org_rows, person_rows
