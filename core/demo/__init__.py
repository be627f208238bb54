"""The fictional demo portfolio: generate it, describe it, remove it.

``seed_demo`` fills a database that already holds the reference data with five years of
believable activity (organisations, people, missions, projects with their stage history,
meetings) plus the missions planned after the anchor. Every row it writes has
``is_demo=True`` and the ``DatasetInfo`` key ``"demo"`` records the seed, scale and anchor;
``clear_demo`` removes exactly those rows, so real data is never touched.

Rows are planned in memory with seeded generators, given explicit ids and written with bulk
inserts in one transaction: the same (scale, seed, anchor) always gives the same data.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from itertools import islice

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from core import clock
from core.demo.activity import interaction_batches, mission_link_rows, plan_interactions
from core.demo.aftercare import plant_aftercare
from core.demo.missions import CALENDAR, plan_missions
from core.demo.orgs import organisation_rows, person_rows, plan_organisations
from core.demo.plan import DemoContext
from core.demo.projects import plan_projects, project_rows, stage_change_rows
from core.demo.referrals import plant_referrals
from core.demo.targets import sector_target_rows
from core.summaries import rebuild_summaries_in, set_summary_triggers
from models import (
    Chamber,
    CheckIn,
    City,
    Claim,
    Country,
    DatasetInfo,
    Interaction,
    InteractionParticipant,
    KpiSnapshot,
    Mission,
    MissionOrganisation,
    MissionPerson,
    Organisation,
    Person,
    Project,
    Role,
    SectorTarget,
    SharedUpdate,
    StageChange,
    Target,
    UserAccount,
    utcnow,
)

DEMO_KEY = "demo"
CHUNK = 20_000
#: Tables whose integer ids the generator assigns itself.
ID_TABLES: dict[str, sa.Table] = {
    "organisation": Organisation.__table__,
    "person": Person.__table__,
    "mission": Mission.__table__,
    "project": Project.__table__,
    "stagechange": StageChange.__table__,
    "interaction": Interaction.__table__,
    "target": Target.__table__,
    "sectortarget": SectorTarget.__table__,
}
#: Yearly targets at scale 1, for the five years and the next one (oldest first).
TARGETS: dict[str, tuple[int, ...]] = {
    "projects_won": (70, 72, 74, 75, 78, 80),
    "jobs_announced": (1800, 1850, 1900, 1900, 1950, 2000),
    "meetings": (650, 650, 650, 650, 650, 650),
    "organisations_met": (520, 530, 540, 550, 560, 580),
    "capex_disclosed": (400, 420, 440, 450, 480, 500),  # EUR millions
}


@dataclass
class DemoSummary:
    """What ``seed_demo`` wrote, table by table, and how long it took."""

    organisations: int = 0
    people: int = 0
    missions: int = 0
    mission_organisations: int = 0
    mission_people: int = 0
    projects: int = 0
    stage_changes: int = 0
    interactions: int = 0
    interaction_participants: int = 0
    targets: int = 0
    sector_targets: int = 0
    elapsed_seconds: float = 0.0

    @property
    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if k != "elapsed_seconds"}

    def __str__(self) -> str:
        parts = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in self.counts.items())
        return f"Demo data: {parts} ({self.elapsed_seconds:.1f} s)"


def seed_demo(
    engine: Engine,
    *,
    scale: float = 1.0,
    seed: int = 2025,
    anchor: date | None = None,
    progress: Callable[[str], object] | None = None,
    defer_summaries: bool = False,
) -> DemoSummary:
    """Replace the demo portfolio with a fresh one for (``scale``, ``seed``, ``anchor``).

    ``defer_summaries`` (for large scales on PostgreSQL): the rows go in with the summaries'
    triggers disabled inside the load's transaction (``ALTER TABLE ... DISABLE TRIGGER``, which
    locks the tables until it commits; the other triggers and the foreign keys still apply),
    and the summaries are recomputed from the rows once, before it commits. The triggers keep
    them one row at a time otherwise, which at scale 310 on PostgreSQL took over 50 minutes. No
    effect on SQLite (no way to disable a trigger there; its triggers are cheap in-process)."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    anchor = anchor or clock.today()
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    summary = DemoSummary()
    with engine.begin() as conn:
        say("Removing the previous demo data")
        _clear(conn)
        ctx = _context(conn, seed, scale, anchor)
        say(f"Planning the demo portfolio (scale {scale:g}, seed {seed}, anchor {anchor})")
        orgs = plan_organisations(ctx, _taken_domains(conn))
        missions = plan_missions(ctx)
        projects = plan_projects(ctx, orgs, missions)
        visits = plan_interactions(ctx, orgs, missions, projects)
        by_id = {org.id: org for org in orgs}
        deferred = defer_summaries and conn.dialect.name == "postgresql"
        if deferred:
            set_summary_triggers(conn, enabled=False)

        say(f"Writing {len(orgs):,} organisations and their people")
        summary.organisations = _insert(conn, Organisation, organisation_rows(ctx, orgs))
        summary.people = _insert(conn, Person, person_rows(ctx, orgs))
        summary.missions = _insert(conn, Mission, [m.row(ctx.anchor) for m in missions])
        say(f"Writing {len(projects):,} projects and their stage history")
        summary.projects = _insert(conn, Project, project_rows(projects))
        summary.stage_changes = _insert(conn, StageChange, stage_change_rows(ctx, projects))
        plant_referrals(conn, [chamber for _u, _n, chamber in DEMO_PARTNERS])
        say(f"Writing {len(visits):,} interactions")
        pairs: set[tuple[int, int]] = set()
        for rows, participants, mission_people in interaction_batches(ctx, visits, by_id):
            summary.interactions += _insert(conn, Interaction, rows)
            summary.interaction_participants += _insert(conn, InteractionParticipant, participants)
            pairs |= mission_people
        org_links, person_links = mission_link_rows(missions, by_id, pairs)
        summary.mission_organisations = _insert(conn, MissionOrganisation, org_links)
        summary.mission_people = _insert(conn, MissionPerson, person_links)
        say("Writing the aftercare check-ins and the attribution claims")
        _analyze_loaded(conn)
        plant_aftercare(conn, seed, anchor)
        summary.targets = _insert(conn, Target, _target_rows(conn, ctx))
        summary.sector_targets = _insert(conn, SectorTarget, _sector_target_rows(conn, ctx))
        _insert(conn, UserAccount, demo_account_rows(ctx.chambers))
        summary.elapsed_seconds = round(time.perf_counter() - started, 2)
        _write_info(conn, ctx, summary)
        _reset_sequences(conn)
        if deferred:
            say("Computing the summaries from the rows")
            set_summary_triggers(conn, enabled=True)
            rebuild_summaries_in(conn)
    _analyze(engine)
    say("Freezing last year's figures (a demo snapshot)")
    _freeze_last_year(engine, anchor)
    say(str(summary))
    return summary


def _analyze_loaded(conn: Connection) -> None:
    """Planner statistics of the rows just loaded, inside the load's transaction, on
    PostgreSQL: the aftercare's read of the won projects (each one's latest won change) was
    otherwise planned for empty tables and ran for minutes at scale 310."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("ANALYZE project, stagechange, organisation, interaction"))


def _analyze(engine: Engine) -> None:
    """Fresh planner statistics and visibility maps after the bulk load, on PostgreSQL, as
    autovacuum would leave them in time (right after a large demo, before it, freezing last
    year's figures ran for over nine minutes on a plan made for empty tables; a few seconds
    after ANALYZE; and without VACUUM each index-only read of the pages still visited the
    table: at scale 310 the Pipeline's stale projects fetched 100,000 rows from it)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM (ANALYZE)"))


def _freeze_last_year(engine: Engine, anchor: date) -> None:
    """Last year's figures frozen, as an admin would before the press conference, so that the
    presentation and the frozen-figures page have one to show (marked demo, removed with it)."""
    from core.config import get_settings
    from core.definitions import VERSION
    from core.periods import year_period
    from core.snapshots import compute_figures

    period = year_period(anchor.year - 1)
    home = get_settings().territory_country
    with Session(engine) as session:
        figures = compute_figures(session, period, home_country=home, today=anchor)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(KpiSnapshot.__table__).values(
                label=f"Bilan {period.start.year} (démonstration)",
                period_start=period.start,
                period_end=period.end,
                definitions_version=VERSION,
                home_country=home,
                figures=figures,
                frozen_at=utcnow(),
                frozen_by="Démo admin",
                note=None,
                is_demo=True,
            )
        )


def clear_demo(engine: Engine) -> None:
    """Remove every demo row (children first) and the ``demo`` dataset key."""
    with engine.begin() as conn:
        _clear(conn)


def get_demo_info(session: Session) -> dict | None:
    """The facts recorded about the demo data (seed, scale, anchor, generated_at, counts)."""
    row = session.get(DatasetInfo, DEMO_KEY)
    return json.loads(row.value) if row is not None else None


# ---------------------------------------------------------------------------------------------
# Internals
# ---------------------------------------------------------------------------------------------


def _context(conn: Connection, seed: int, scale: float, anchor: date) -> DemoContext:
    countries = dict(conn.execute(sa.select(Country.iso2, Country.name_en)).all())
    if not countries:
        raise RuntimeError("load the reference data before the demo data")
    chambers = [
        tuple(r)
        for r in conn.execute(
            sa.select(Chamber.id, Chamber.country_iso2, Chamber.city, Chamber.name).order_by(
                Chamber.id
            )
        )
    ]
    cities = conn.execute(
        sa.select(City.name)
        .where(City.country_iso2 == "IN")
        .order_by(City.population.desc(), City.name)
    ).scalars()
    next_ids = {
        name: (conn.execute(sa.select(sa.func.max(t.c.id))).scalar() or 0) + 1
        for name, t in ID_TABLES.items()
    }
    return DemoContext(seed, scale, anchor, countries, chambers, list(cities), next_ids)


def _taken_domains(conn: Connection) -> list[str]:
    column = Organisation.__table__.c.domain
    return list(conn.execute(sa.select(column).where(column.like("%.example"))).scalars())


#: One demo account per role, signed in without a password while demo data are on (the sign-in
#: page says so); removed with the demo data.
DEMO_ACCOUNTS = (
    ("demo-viewer", "Démo lecture", Role.VIEWER),
    ("demo-staff", "Démo équipe", Role.STAFF),
    ("demo-admin", "Démo admin", Role.ADMIN),
)


#: One demo partner per chamber named here (user name, display name, chamber's name): the
#: chambers of the two partnerships the demo portfolio is about.
DEMO_PARTNERS = (
    ("demo-partner-in", "Démo IFCCI Mumbai", "Indo-French Chamber of Commerce and Industry"),
    ("demo-partner-ae", "Démo CCI France EAU", "CCI France Émirats arabes unis"),
)


def demo_account_rows(chambers: Iterable[tuple] = ()) -> list[dict]:
    """The demo accounts; a demo partner's too when its chamber is among ``chambers``
    (``DemoContext.chambers``: id, country, city, name)."""
    now = utcnow()
    by_name = {row[3]: row[0] for row in chambers}
    accounts = [(username, name, role, None) for username, name, role in DEMO_ACCOUNTS]
    accounts += [
        (username, name, Role.PARTNER, by_name[chamber])
        for username, name, chamber in DEMO_PARTNERS
        if chamber in by_name
    ]
    return [
        {
            "username": username,
            "display_name": name,
            "role": role,
            "chamber_id": chamber_id,
            "password_hash": None,
            "email": None,
            "active": True,
            "is_demo": True,
            "failed_attempts": 0,
            "created_at": now,
        }
        for username, name, role, chamber_id in accounts
    ]


def _insert(conn: Connection, model: type, rows: Iterable[dict]) -> int:
    """Bulk insert (executemany) in chunks; ``rows`` may be a generator."""
    table, it, total = model.__table__, iter(rows), 0
    while chunk := list(islice(it, CHUNK)):
        conn.execute(table.insert(), chunk)
        total += len(chunk)
    return total


def _yearly_targets(ctx: DemoContext) -> dict[int, dict[str, int]]:
    """The portfolio's target of each KPI, scaled, for the five years and the next one."""
    out = {}
    for i, year in enumerate([*ctx.years, ctx.anchor.year + 1]):
        values = {kpi: values[i] for kpi, values in TARGETS.items()}
        values["capex_disclosed"] *= 1_000_000
        values = {kpi: round(v * ctx.scale) for kpi, v in values.items()}
        values["missions"] = sum(1 for s in CALENDAR if s.parity in (None, year % 2))
        out[year] = values
    return out


def _target_rows(conn: Connection, ctx: DemoContext) -> list[dict]:
    """Yearly targets, skipping any (year, KPI) that real data already sets."""
    t = Target.__table__
    taken = {(y, k) for y, k in conn.execute(sa.select(t.c.year, t.c.kpi))}
    rows = []
    for year, values in _yearly_targets(ctx).items():
        for kpi, value in values.items():
            if (year, kpi) not in taken:
                rows.append({"id": ctx.take_ids("target", 1), "year": year, "kpi": kpi,
                             "value": value, "source": "Fictional demo target",
                             "is_demo": True})  # fmt: skip
    return rows


def _sector_target_rows(conn: Connection, ctx: DemoContext) -> list[dict]:
    """Yearly targets of the strategic sectors, skipping any that real data already sets."""
    t = SectorTarget.__table__
    taken = {tuple(r) for r in conn.execute(sa.select(t.c.year, t.c.sector_code, t.c.kpi))}
    return sector_target_rows(ctx, _yearly_targets(ctx), taken)


def _write_info(conn: Connection, ctx: DemoContext, summary: DemoSummary) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    value = {
        "seed": ctx.seed,
        "scale": ctx.scale,
        "anchor": ctx.anchor.isoformat(),
        "generated_at": now.isoformat(),
        "elapsed_seconds": summary.elapsed_seconds,
        "counts": summary.counts,
    }
    conn.execute(
        sa.insert(DatasetInfo.__table__),
        {"key": DEMO_KEY, "value": json.dumps(value, separators=(",", ":")), "updated_at": now},
    )


def _reset_sequences(conn: Connection) -> None:
    """Explicit ids leave PostgreSQL's sequences behind: move them to the highest id."""
    if conn.dialect.name != "postgresql":
        return
    for name in ID_TABLES:
        conn.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 1), "
                f"(SELECT MAX(id) FROM {name}) IS NOT NULL)"
            )
        )


def _demo_ids(model: type) -> sa.Select:
    table = model.__table__
    return sa.select(table.c.id).where(table.c.is_demo == sa.true())


def _clear(conn: Connection) -> None:
    """Delete demo rows children first; real rows that point at demo rows are detached."""
    orgs, people = _demo_ids(Organisation), _demo_ids(Person)
    projects, missions = _demo_ids(Project), _demo_ids(Mission)
    interactions = _demo_ids(Interaction)
    p, o = Project.__table__, Organisation.__table__
    stuck = conn.execute(
        sa.select(sa.func.count())
        .select_from(p)
        .where(p.c.is_demo == sa.false(), p.c.organisation_id.in_(orgs))
    ).scalar()
    if stuck:
        raise RuntimeError(f"{stuck} real project(s) belong to demo organisations: move them first")
    ip, mp = InteractionParticipant.__table__, MissionPerson.__table__
    mo, sc = MissionOrganisation.__table__, StageChange.__table__
    conn.execute(
        ip.delete().where(sa.or_(ip.c.interaction_id.in_(interactions), ip.c.person_id.in_(people)))
    )
    conn.execute(
        mp.delete().where(sa.or_(mp.c.mission_id.in_(missions), mp.c.person_id.in_(people)))
    )
    conn.execute(
        mo.delete().where(sa.or_(mo.c.mission_id.in_(missions), mo.c.organisation_id.in_(orgs)))
    )
    conn.execute(sc.delete().where(sc.c.project_id.in_(projects)))
    for table in (CheckIn.__table__, Claim.__table__):
        conn.execute(table.delete().where(table.c.project_id.in_(projects)))
    su = SharedUpdate.__table__
    conn.execute(su.delete().where(su.c.project_id.in_(projects)))
    i = Interaction.__table__
    for column, ids in (
        ("project_id", projects),
        ("organisation_id", orgs),
        ("mission_id", missions),
    ):
        conn.execute(
            i.update().where(i.c.is_demo == sa.false(), i.c[column].in_(ids)).values({column: None})
        )
    real_links = (
        (p, "source_mission_id", missions),
        (Person.__table__, "organisation_id", orgs),
        (o, "parent_id", orgs),
    )
    for table, column, ids in real_links:
        conn.execute(
            table.update()
            .where(table.c.is_demo == sa.false(), table.c[column].in_(ids))
            .values({column: None})
        )
    conn.execute(
        o.update()
        .where(o.c.is_demo == sa.true(), o.c.parent_id.is_not(None))
        .values(parent_id=None)
    )
    for model in (
        Interaction,
        Project,
        Person,
        Mission,
        Organisation,
        Target,
        SectorTarget,
        UserAccount,
        KpiSnapshot,
    ):
        table = model.__table__
        conn.execute(table.delete().where(table.c.is_demo == sa.true()))
    d = DatasetInfo.__table__
    conn.execute(d.delete().where(d.c.key == DEMO_KEY))
