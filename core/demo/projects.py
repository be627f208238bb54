"""Demo investment projects: won, lost, abandoned and open, each with its stage history."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.decisions import decision_date
from core.demo import vocab as V
from core.demo.missions import ANY, MissionPlan
from core.demo.orgs import OrgPlan, at_nine
from core.demo.plan import (
    DemoContext,
    WorkdayPicker,
    allocate,
    random_day,
    skewed,
    sorted_days,
    weekday_on_or_before,
    weighted,
)

PATH = ("lead", "qualified", "active", "site_visit", "negotiation")
#: Open pipeline at the anchor, by current stage (scale 1).
OPEN_STAGE_COUNTS = {"target": 35, "lead": 45, "qualified": 35, "active": 25, "site_visit": 12,
                     "negotiation": 10, "on_hold": 14}  # fmt: skip
LOST_REASONS = {"cost": 20, "talent": 12, "site": 18, "incentives": 15, "market_access": 12,
                "project_cancelled": 13, "other": 10}  # fmt: skip
FUNCTIONS = {"production": 22, "rnd": 20, "headquarters": 15, "logistics": 15,
             "sales_support": 20, "data_centre": 8}  # fmt: skip
FUNCTION_BY_SECTOR = {
    "digital": {"rnd": 30, "headquarters": 15, "sales_support": 35, "data_centre": 10,
                "production": 10},
    "health": {"rnd": 40, "production": 30, "headquarters": 15, "sales_support": 15},
    "port_airport": {"logistics": 60, "production": 15, "headquarters": 15, "sales_support": 10},
    "tourism": {"headquarters": 35, "sales_support": 45, "production": 20},
}  # fmt: skip
CAPEX_RANGE = {
    "production": (1e6, 4e7),
    "rnd": (5e5, 2e7),
    "headquarters": (3e5, 8e6),
    "logistics": (2e6, 4e7),
    "sales_support": (1e5, 2e6),
    "data_centre": (2e7, 2.5e8),
}
CHANNELS_FOREIGN = {"chamber": 33, "mission": 22, "inbound": 15, "network": 15, "prospecting": 15}
CHANNELS_FRENCH = {"mission": 6, "inbound": 34, "network": 30, "prospecting": 30}
OFFICE = "Marseille — locaux de Provence Promotion"
# A planned interaction: ordinal day, organisation, project, mission, kind, outcome, place.
Visit = tuple[int, int, int | None, int | None, str, str, str]


@dataclass(slots=True)
class ProjectPlan:
    id: int
    org: OrgPlan
    outcome: str  # won, lost, abandoned, open
    sector: str
    history: list[tuple[str, date]] = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    lead_mission: MissionPlan | None = None

    @property
    def stage(self) -> str:
        return self.history[-1][0]

    def date_of(self, stage: str) -> date | None:
        return next((d for s, d in self.history if s == stage), None)


class OrgPools:
    """Companies by (foreign, sector): unused ones first, then repeat customers."""

    def __init__(self, rng: random.Random, orgs: list[OrgPlan]) -> None:
        self.rng = rng
        self.pools: dict[tuple, list[OrgPlan]] = {}
        for org in orgs:
            if org.kind == "company":
                foreign = org.control != "FR"
                self.pools.setdefault((foreign, org.sector), []).append(org)
                self.pools.setdefault((foreign, None), []).append(org)
                self.pools.setdefault((None, None), []).append(org)
        self.next: dict[tuple, int] = dict.fromkeys(self.pools, 0)
        self.used: set[int] = set()

    def take(self, foreign: bool, sector: str) -> OrgPlan:
        for key in ((foreign, sector), (foreign, None), (None, None)):
            pool = self.pools.get(key)
            if not pool:
                continue
            while self.next[key] < len(pool):
                org = pool[self.next[key]]
                self.next[key] += 1
                if org.id not in self.used:
                    self.used.add(org.id)
                    return org
            return self.rng.choice(pool)
        raise ValueError("the demo needs at least one company")


def plan_projects(
    ctx: DemoContext, orgs: list[OrgPlan], missions: list[MissionPlan]
) -> list[ProjectPlan]:
    rng = ctx.rng("projects")
    pools = OrgPools(ctx.rng("project-orgs"), orgs)
    plans: list[ProjectPlan] = []

    def new(outcome: str, foreign: bool, sector: str) -> ProjectPlan:
        org = pools.take(foreign, sector)
        plan = ProjectPlan(ctx.take_ids("project", 1), org, outcome, sector)
        plans.append(plan)
        return plan

    for year in ctx.years:
        frac, full = ctx.year_fraction(year), year < ctx.anchor.year
        n_won = round(rng.randint(64, 78) * ctx.scale * frac)
        n_lost = max(int(full), round(rng.randint(18, 28) * ctx.scale * frac))
        n_abandoned = round(rng.randint(8, 14) * ctx.scale * frac)
        jobs_total = rng.uniform(1750, 2050) * ctx.scale * frac
        sectors = allocate(rng, V.WON_SECTOR_WEIGHTS, n_won)
        n_foreign = round(n_won * rng.uniform(0.40, 0.50))
        foreign = [i < n_foreign for i in range(n_won)]
        rng.shuffle(foreign)
        picker = WorkdayPicker(date(year, 1, 1), ctx.year_end(year))
        days = sorted(picker.pick(rng, n_won + n_lost + n_abandoned))
        rng.shuffle(days)
        weights = [skewed(rng, 1.1) for _ in range(n_won)]
        weight_total = sum(weights)
        for i in range(n_won):
            plan = new("won", foreign[i], sectors[i])
            jobs = max(2, round(jobs_total * weights[i] / weight_total))
            _won(ctx, rng, plan, date.fromordinal(days[i]), jobs)
        for i in range(n_lost):
            plan = new("lost", rng.random() < 0.55, weighted(rng, V.ORG_SECTOR_WEIGHTS))
            _lost(ctx, rng, plan, date.fromordinal(days[n_won + i]))
        for i in range(n_abandoned):
            plan = new("abandoned", rng.random() < 0.55, weighted(rng, V.ORG_SECTOR_WEIGHTS))
            _abandoned(ctx, rng, plan, date.fromordinal(days[n_won + n_lost + i]))
    for stage, base in OPEN_STAGE_COUNTS.items():
        for _ in range(ctx.scaled(base, 1)):
            plan = new("open", rng.random() < 0.55, weighted(rng, V.ORG_SECTOR_WEIGHTS))
            _open(ctx, rng, plan, stage)
    for plan in plans:
        _describe(ctx, rng, plan, missions)
    return plans


# ---------------------------------------------------------------------------------------------
# Stage histories
# ---------------------------------------------------------------------------------------------


def _path(rng: random.Random, stages: list[str], lo: date, hi: date) -> list[tuple[str, date]]:
    """``stages`` from ``lo`` to ``hi``; sometimes a pause on hold in the middle."""
    days = [lo, *sorted_days(rng, lo, hi, len(stages) - 2), hi] if len(stages) > 1 else [lo]
    out = list(zip(stages, days, strict=True))
    if len(out) >= 3 and rng.random() < 0.12:
        i = rng.randrange(1, len(out) - 1)
        stage, start = out[i]
        pause, resume = sorted_days(rng, start, out[i + 1][1], 2)
        out[i + 1 : i + 1] = [("on_hold", pause), (stage, resume)]
    return out


def _with_target(rng: random.Random, plan: ProjectPlan, history: list) -> None:
    if rng.random() < 0.4:
        day = history[0][1] - timedelta(days=rng.randint(10, 150))
        history.insert(0, ("target", weekday_on_or_before(day)))
    plan.history = history


def _won(ctx: DemoContext, rng: random.Random, plan: ProjectPlan, day: date, jobs: int) -> None:
    lead = weekday_on_or_before(
        day - timedelta(days=min(900, max(45, round(240 * skewed(rng, 0.5)))))
    )
    stages = [s for s in PATH if s != "site_visit" or rng.random() < 0.7] + ["won"]
    history = _path(rng, stages, lead, day)
    age = (ctx.anchor - day).days
    if age > 150 and rng.random() < min(0.9, age / 700):
        landed = weekday_on_or_before(day + timedelta(days=rng.randint(90, 540)))
        if landed <= ctx.anchor:
            history.append(("landed", landed))
    _with_target(rng, plan, history)
    plan.fields.update(jobs_announced=jobs)
    if plan.stage == "landed":
        plan.fields["jobs_created"] = round(jobs * rng.uniform(0.3, 1.0))


def _lost(ctx: DemoContext, rng: random.Random, plan: ProjectPlan, day: date) -> None:
    lead = weekday_on_or_before(
        day - timedelta(days=min(700, max(30, round(200 * skewed(rng, 0.6)))))
    )
    reached = rng.choices(range(len(PATH)), weights=(15, 30, 30, 15, 10))[0]
    _with_target(rng, plan, _path(rng, [*PATH[: reached + 1], "lost"], lead, day))
    reason = weighted(rng, LOST_REASONS)
    where = None if reason == "project_cancelled" else rng.choice(V.LOST_LOCATIONS)
    plan.fields.update(lost_reason=reason, lost_to_location=where)


def _abandoned(ctx: DemoContext, rng: random.Random, plan: ProjectPlan, day: date) -> None:
    if rng.random() < 0.3:
        target = weekday_on_or_before(day - timedelta(days=rng.randint(30, 300)))
        plan.history = [("target", target), ("abandoned", day)]
        return
    lead = weekday_on_or_before(day - timedelta(days=rng.randint(30, 400)))
    stages = ["lead", "qualified", "abandoned"] if rng.random() < 0.5 else ["lead", "abandoned"]
    _with_target(rng, plan, _path(rng, stages, lead, day))


def _open(ctx: DemoContext, rng: random.Random, plan: ProjectPlan, stage: str) -> None:
    if stage == "target":
        plan.history = [("target", random_day(rng, ctx.anchor - timedelta(400), ctx.anchor))]
        return
    held = stage == "on_hold"
    top = rng.randint(1, 3) if held else PATH.index(stage)
    age = min(800, max(10, round((60 + 60 * top) * skewed(rng, 0.5))))
    lead = weekday_on_or_before(ctx.anchor - timedelta(days=age))
    last = ctx.anchor - timedelta(days=rng.randint(0, min(age, 45)))
    stages = [*PATH[: top + 1], "on_hold"] if held else list(PATH[: top + 1])
    _with_target(rng, plan, _path(rng, stages, lead, last))


# ---------------------------------------------------------------------------------------------
# Attributes
# ---------------------------------------------------------------------------------------------


def _source(ctx, rng, plan, missions) -> dict:
    org, lead = plan.org, plan.date_of("lead")
    foreign = org.control != "FR"
    channel = weighted(rng, CHANNELS_FOREIGN if foreign else CHANNELS_FRENCH)
    out = {"source_channel": channel, "source_chamber_id": None, "source_mission_id": None}
    if channel == "chamber":
        out["source_chamber_id"] = ctx.chamber_for(org.control)
        if out["source_chamber_id"] is None:
            out["source_channel"] = "network"
    elif channel == "mission":
        mission = _lead_mission(ctx, rng, org, lead, missions)
        if mission is None:
            out["source_channel"] = "prospecting"
        else:
            out["source_mission_id"] = mission.id
            plan.lead_mission = mission
    return out


def _lead_mission(ctx, rng, org, lead, missions) -> MissionPlan | None:
    if lead is None:
        return None
    window = [m for m in missions if ctx.start <= m.starts_on and m.ends_on <= lead
              and (lead - m.ends_on).days <= 240]  # fmt: skip
    matches = [m for m in window if m.country == org.control or org.control in m.spec.focus]
    matches = matches or [m for m in window if ANY in m.spec.focus]
    return rng.choice(matches) if matches else None


def _describe(ctx, rng, plan, missions) -> None:
    org, f = plan.org, plan.fields
    kind = weighted(rng, {"creation": 58, "extension": 30, "takeover": 12})
    function = weighted(rng, FUNCTION_BY_SECTOR.get(plan.sector, FUNCTIONS))
    lo, hi = CAPEX_RANGE[function]
    capex = round(math.exp(rng.uniform(math.log(lo), math.log(hi))), -4)
    disclosure = weighted(rng, {"disclosed": 45, "estimated": 35, "unknown": 20})
    jobs = f.get("jobs_announced") or max(2, round(20 * skewed(rng, 1.0)))
    kept = 0
    if kind == "takeover":
        kept = round(5 + 12 * skewed(rng, 0.8))
    elif kind == "extension" and rng.random() < 0.2:
        kept = round(jobs * rng.uniform(0.2, 1.2))
    foreign_creation = org.control != "FR" and kind == "creation"
    first_fr = foreign_creation and rng.random() < 0.6
    decided = f["decided_on"] = decision_date(plan.history)  # the rule of core.decisions
    expected = decided + timedelta(days=rng.randint(-60, 60)) if decided else (
        ctx.anchor + timedelta(days=rng.randint(-30, 300)))  # fmt: skip
    others = rng.sample(V.LOST_LOCATIONS, rng.randint(1, 3)) if rng.random() < 0.5 else []
    if f.get("lost_to_location") and f["lost_to_location"] not in others:
        others.append(f["lost_to_location"])
    first_day = plan.history[0][1]
    f.update(
        code_name=f"{rng.choice(V.CODE_WORDS)}-{plan.id}", organisation_id=org.id,
        project_type=kind, function=function, sector_code=plan.sector,
        capex_eur=None if disclosure == "unknown" else int(capex), capex_disclosure=disclosure,
        jobs_announced=jobs, jobs_kept=kept, expected_decision_on=expected,
        competing_locations=", ".join(others) or None, target_commune=rng.choice(V.COMMUNES),
        owner=rng.choices(V.STAFF, weights=V.STAFF_WEIGHTS)[0], first_site_france=first_fr,
        first_site_europe=first_fr and rng.random() < 0.5, confidential=rng.random() < 0.1,
        stage=plan.stage, origin_country_iso2=org.control, lead_on=plan.date_of("lead"),
        is_demo=True, created_at=at_nine(first_day), updated_at=at_nine(plan.history[-1][1]),
        **_source(ctx, rng, plan, missions),
    )  # fmt: skip
    for key in ("decided_on", "lost_reason", "lost_to_location", "jobs_created"):
        f.setdefault(key, 0 if key == "jobs_created" else None)


def project_rows(plans: list[ProjectPlan]) -> list[dict]:
    return [{"id": p.id, **p.fields} for p in plans]


def stage_change_rows(ctx: DemoContext, plans: list[ProjectPlan]) -> list[dict]:
    """The history of every project: chained from_stage/to_stage, ordered dates."""
    rng = ctx.rng("stage-changes")
    rows = []
    first_id = ctx.take_ids("stagechange", sum(len(p.history) for p in plans))
    for plan in plans:
        previous = None
        for stage, day in plan.history:
            author = plan.fields["owner"] if rng.random() < 0.8 else rng.choice(V.STAFF)
            rows.append({
                "id": first_id + len(rows), "project_id": plan.id, "from_stage": previous,
                "to_stage": stage, "changed_on": day, "author": author, "note": None,
                "recorded_at": at_nine(day),
            })  # fmt: skip
            previous = stage
    return rows
