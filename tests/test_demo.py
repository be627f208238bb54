"""The demo generator: deterministic, believable, and removable without touching real data."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest
import sqlalchemy as sa

from core.demo import DemoSummary, clear_demo, get_demo_info, seed_demo
from models import (
    E164,
    Chamber,
    Country,
    DatasetInfo,
    Interaction,
    InteractionParticipant,
    Mission,
    MissionOrganisation,
    MissionPerson,
    Organisation,
    Person,
    Project,
    Sector,
    SectorTarget,
    StageChange,
    Target,
)
from tests.conftest import make_test_engine
from tests.writers import writer

ANCHOR = date(2026, 11, 28)
FIRST_DAY = date(2022, 1, 1)
SCALE = 0.2
OPEN_STAGES = {"target", "lead", "qualified", "active", "site_visit", "negotiation", "on_hold"}
DEMO_TABLES = (Organisation, Person, Mission, Project, Interaction, Target, SectorTarget)
LINK_TABLES = (StageChange, InteractionParticipant, MissionOrganisation, MissionPerson)


def _fresh_sqlite(tmp_path, name: str) -> sa.Engine:
    from core.refdata import load_reference_data

    folder = tmp_path / name
    folder.mkdir()
    engine = make_test_engine("sqlite", folder)
    with writer(engine) as session:
        load_reference_data(session)
        session.commit()
    return engine


def _rows(engine: sa.Engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql))]


def _count(engine: sa.Engine, model: type, *where) -> int:
    table = model.__table__
    with engine.connect() as conn:
        query = sa.select(sa.func.count()).select_from(table)
        return conn.execute(query.where(*where) if where else query).scalar_one()


def _checksum(engine: sa.Engine) -> str:
    """SHA-256 over selected columns of the generated rows, in id order."""
    selections = {
        Organisation: ("id", "name", "domain", "kind", "control_country_iso2", "created_at"),
        Person: ("id", "organisation_id", "email", "phone", "notice_sent_on"),
        Project: ("id", "code_name", "organisation_id", "stage", "lead_on", "decided_on",
                  "jobs_announced", "capex_eur", "source_channel", "source_mission_id"),
        StageChange: ("id", "project_id", "from_stage", "to_stage", "changed_on"),
        Interaction: ("id", "occurred_on", "organisation_id", "project_id", "mission_id", "kind",
                      "outcome", "next_step_due_on", "next_step_done", "author"),
        InteractionParticipant: ("interaction_id", "person_id"),
        Mission: ("id", "name", "starts_on", "budget_eur"),
        MissionOrganisation: ("mission_id", "organisation_id"),
    }  # fmt: skip
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for model, columns in selections.items():
            table = model.__table__
            cols = [table.c[c] for c in columns]
            for row in conn.execute(sa.select(*cols).order_by(*cols[:2])):
                digest.update(repr(tuple(str(v) for v in row)).encode())
    return digest.hexdigest()


@pytest.fixture
def demo(ref_engine) -> tuple[sa.Engine, DemoSummary]:
    summary = seed_demo(ref_engine, scale=SCALE, seed=7, anchor=ANCHOR)
    return ref_engine, summary


# ---------------------------------------------------------------------------------------------
# Determinism
# ---------------------------------------------------------------------------------------------


def test_same_parameters_give_the_same_data_in_two_databases(ref_engine, tmp_path) -> None:
    first = seed_demo(ref_engine, scale=0.1, seed=11, anchor=ANCHOR)
    other = _fresh_sqlite(tmp_path, "other")
    second = seed_demo(other, scale=0.1, seed=11, anchor=ANCHOR)
    assert first.counts == second.counts
    assert _checksum(ref_engine) == _checksum(other)
    other.dispose()


def test_another_seed_gives_other_data(ref_engine) -> None:
    seed_demo(ref_engine, scale=0.1, seed=11, anchor=ANCHOR)
    before = _checksum(ref_engine)
    seed_demo(ref_engine, scale=0.1, seed=12, anchor=ANCHOR)
    assert _checksum(ref_engine) != before


def test_seeding_again_replaces_the_demo_data(ref_engine) -> None:
    first = seed_demo(ref_engine, scale=0.1, seed=11, anchor=ANCHOR)
    before = _checksum(ref_engine)
    second = seed_demo(ref_engine, scale=0.1, seed=11, anchor=ANCHOR)
    assert second.counts == first.counts
    assert _count(ref_engine, Organisation) == first.organisations
    assert _checksum(ref_engine) == before


def test_scale_must_be_positive(ref_engine) -> None:
    with pytest.raises(ValueError, match="scale"):
        seed_demo(ref_engine, scale=0, anchor=ANCHOR)


# ---------------------------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------------------------


def test_summary_matches_the_tables_and_every_row_is_demo(demo) -> None:
    engine, summary = demo
    counted = {
        "organisations": Organisation, "people": Person, "missions": Mission,
        "mission_organisations": MissionOrganisation, "mission_people": MissionPerson,
        "projects": Project, "stage_changes": StageChange, "interactions": Interaction,
        "interaction_participants": InteractionParticipant, "targets": Target,
        "sector_targets": SectorTarget,
    }  # fmt: skip
    for name, model in counted.items():
        assert getattr(summary, name) == _count(engine, model) > 0, name
    for model in DEMO_TABLES:
        assert _count(engine, model, model.__table__.c.is_demo == sa.false()) == 0
    # Six years of targets (the five of history and the next one), six KPIs each.
    assert summary.targets == 36
    # The same six years, six strategic sectors, two KPIs each.
    assert summary.sector_targets == 72


def test_sector_targets_follow_the_sector_split_of_projects_won(demo) -> None:
    engine, _summary = demo
    rows = _rows(
        engine,
        "SELECT sector_code, kpi, value FROM sectortarget WHERE year = 2026 ORDER BY kpi, value",
    )
    # 2026 portfolio targets at scale 0.2: 78 * 0.2 = 15.6 -> 16 projects, 1950 * 0.2 = 390
    # jobs; each sector's share of the won-sector weights (digital 29, tourism 13, port 11,
    # energy 8, health 6, work/HR 4, other 6: 77), at least 1: digital 16 * 29 / 77 = 6.03.
    projects = [(s, v) for s, k, v in rows if k == "projects_won"]
    jobs = {s: v for s, k, v in rows if k == "jobs_announced"}
    assert sorted(projects) == sorted(
        [("digital", 6), ("tourism", 3), ("port_airport", 2), ("energy", 2), ("health", 1),
         ("work_hr", 1)]
    )  # fmt: skip
    assert jobs["digital"] == 147  # 390 * 29 / 77 = 146.9
    assert jobs["work_hr"] == 20  # 390 * 4 / 77 = 20.3
    assert "other" not in jobs


def test_demo_info_records_the_parameters(demo) -> None:
    engine, summary = demo
    with writer(engine) as session:
        info = get_demo_info(session)
    assert info is not None
    assert (info["seed"], info["scale"], info["anchor"]) == (7, SCALE, "2026-11-28")
    assert info["counts"] == summary.counts
    assert "generated_at" in info


def test_stage_history_is_ordered_chained_and_ends_on_the_stage(demo) -> None:
    engine, _ = demo
    stages = dict(_rows(engine, "SELECT id, stage FROM project"))
    history: dict[int, list[tuple]] = {}
    for project_id, from_stage, to_stage, changed_on in _rows(
        engine,
        "SELECT project_id, from_stage, to_stage, changed_on FROM stagechange "
        "ORDER BY project_id, changed_on, id",
    ):
        history.setdefault(project_id, []).append((from_stage, to_stage, str(changed_on)))
    assert set(history) == set(stages)
    for project_id, changes in history.items():
        assert changes[0][0] is None, project_id
        for previous, current in zip(changes, changes[1:], strict=False):
            assert current[0] == previous[1], project_id
            assert current[2] >= previous[2], project_id
        assert changes[-1][1] == stages[project_id], project_id
        assert changes[-1][2] <= ANCHOR.isoformat(), project_id


def test_projects_are_won_after_becoming_leads(demo) -> None:
    engine, _ = demo
    won = _rows(
        engine,
        "SELECT id, lead_on, decided_on FROM project WHERE stage IN ('won', 'landed')",
    )
    assert won
    for project_id, lead_on, decided_on in won:
        assert lead_on is not None and decided_on is not None, project_id
        assert str(lead_on) <= str(decided_on), project_id
        assert FIRST_DAY.isoformat() <= str(decided_on) <= ANCHOR.isoformat(), project_id
    # lead_on is the day of the move to Lead in the history.
    leads = _rows(engine, "SELECT id, lead_on FROM project WHERE lead_on IS NOT NULL")
    moves = _rows(engine, "SELECT project_id, changed_on FROM stagechange WHERE to_stage='lead'")
    assert sorted(leads) == sorted(moves)


def test_every_open_stage_has_projects_and_some_were_lost(demo) -> None:
    engine, _ = demo
    stages = {s for (s,) in _rows(engine, "SELECT DISTINCT stage FROM project")}
    assert OPEN_STAGES <= stages
    lost = _rows(
        engine, "SELECT lost_reason, decided_on, lost_to_location FROM project WHERE stage='lost'"
    )
    assert lost
    assert all(reason is not None and decided for reason, decided, _ in lost)
    assert any(where is not None for _, _, where in lost)


def test_interactions_respect_dates(demo) -> None:
    engine, _ = demo
    assert _rows(
        engine,
        "SELECT count(*) FROM interaction WHERE next_step_due_on < occurred_on "
        f"OR occurred_on > '{ANCHOR}' OR occurred_on < '{FIRST_DAY}'",
    ) == [(0,)]
    outside = _rows(
        engine,
        "SELECT count(*) FROM interaction i JOIN mission m ON m.id = i.mission_id "
        "WHERE i.occurred_on < m.starts_on OR i.occurred_on > m.ends_on",
    )
    assert outside == [(0,)]
    overdue = _rows(
        engine,
        f"SELECT count(*) FROM interaction WHERE next_step_due_on < '{ANCHOR}' "
        "AND next_step_done = false",
    )
    assert overdue[0][0] > 0


def test_article_missions_each_year(demo) -> None:
    engine, _ = demo
    missions = _rows(engine, "SELECT kind, country_iso2, starts_on FROM mission")
    for year in range(2022, 2027):
        held = [
            (k, c, date.fromisoformat(str(s))) for k, c, s in missions if str(s)[:4] == str(year)
        ]
        months = {(k, c): d.month for k, c, d in held}
        assert months[("inbound", "FR")] == 6
        assert months[("trade_fair", "AE")] in (1, 10)
        assert any(k == "trade_fair" and c == "AE" and d.month == 10 for k, c, d in held)
        assert months[("outbound", "SA")] in (10, 11)
        assert months[("trade_fair", "CN")] == 11
        assert len(held) == 13  # twelve yearly missions plus Japan (odd) or Morocco (even)


def test_planned_missions_have_no_meetings_yet(demo) -> None:
    engine, _ = demo
    planned = _rows(engine, f"SELECT id FROM mission WHERE starts_on > '{ANCHOR}'")
    # Morocco in December 2026 (even year), then 2027 up to the planning horizon (270 days):
    # Arab Health, India, MIPIM, Hannover, United States, the June delegation and VivaTech;
    # Japan in late September is beyond it.
    assert len(planned) == 8
    ids = ", ".join(str(i) for (i,) in planned)
    assert _rows(engine, f"SELECT count(*) FROM interaction WHERE mission_id IN ({ids})") == [(0,)]


def test_organisations_look_like_the_published_portfolio(demo) -> None:
    engine, summary = demo
    total = summary.organisations
    india = _count(engine, Organisation, Organisation.__table__.c.control_country_iso2 == "IN")
    assert 0.10 <= india / total <= 0.25
    foreign = _count(engine, Organisation, Organisation.__table__.c.control_country_iso2 != "FR")
    assert 0.50 <= foreign / total <= 0.70
    consulate = _rows(
        engine, "SELECT kind FROM organisation WHERE name='Consulate General of India in Marseille'"
    )
    assert consulate == [("consulate",)]
    domains = [d for (d,) in _rows(engine, "SELECT domain FROM organisation")]
    assert len(set(domains)) == len(domains) == total
    assert all(d.endswith(".example") for d in domains)
    chambers = _rows(engine, "SELECT count(*) FROM organisation WHERE kind='chamber' "
                     "AND chamber_id IS NOT NULL")  # fmt: skip
    assert chambers[0][0] > 0


def test_people_have_professional_contacts(demo) -> None:
    engine, _ = demo
    rows = _rows(
        engine,
        "SELECT p.email, p.phone, o.domain, p.data_source, p.notice_sent_on FROM person p "
        "JOIN organisation o ON o.id = p.organisation_id",
    )
    assert rows
    for email, phone, domain, source, _notice in rows:
        assert email.endswith("@" + domain)
        assert phone is None or re.match(E164, phone)
        assert source
    assert _rows(engine, "SELECT count(*) FROM person WHERE objection = true")[0][0] > 0


def test_new_rows_get_fresh_ids_after_seeding(demo) -> None:
    engine, summary = demo
    with writer(engine) as session:
        org = Organisation(name="Added after the demo", domain="added-after.example.org")
        session.add(org)
        session.commit()
        assert org.id is not None and org.id > summary.organisations


# ---------------------------------------------------------------------------------------------
# Removal
# ---------------------------------------------------------------------------------------------


def test_clear_demo_keeps_real_and_reference_data(ref_engine) -> None:
    with writer(ref_engine) as session:
        real = Organisation(name="Real Company", domain="real-company.fr")
        session.add(real)
        session.add(Target(year=2026, kpi="projects_won", value=99, source="Board"))
        session.add(SectorTarget(year=2026, sector_code="digital", kpi="projects_won", value=5))
        session.commit()
        real_id = real.id
    reference = [_count(ref_engine, m) for m in (Country, Chamber, Sector)]
    summary = seed_demo(ref_engine, scale=0.1, seed=3, anchor=ANCHOR)
    # The real 2026 target is kept, so the demo writes one target fewer.
    assert summary.targets == 35
    assert summary.sector_targets == 71
    with writer(ref_engine) as session:
        real_meeting = Interaction(
            occurred_on=ANCHOR, organisation_id=real_id + 1, author="Someone real"
        )
        session.add(real_meeting)
        session.commit()
        meeting_id = real_meeting.id

    clear_demo(ref_engine)

    for model in DEMO_TABLES:
        demo_rows = _count(ref_engine, model, model.__table__.c.is_demo == sa.true())
        assert demo_rows == 0, model.__name__
    for model in LINK_TABLES:
        assert _count(ref_engine, model) == 0, model.__name__
    assert _rows(ref_engine, "SELECT id, name FROM organisation") == [(real_id, "Real Company")]
    assert _rows(ref_engine, "SELECT year, kpi, value FROM target") == [(2026, "projects_won", 99)]
    assert _rows(ref_engine, "SELECT year, sector_code, kpi, value FROM sectortarget") == [
        (2026, "digital", "projects_won", 5)
    ]
    # A real meeting logged against a demo organisation survives, detached.
    assert _rows(ref_engine, "SELECT id, organisation_id FROM interaction") == [(meeting_id, None)]
    assert [_count(ref_engine, m) for m in (Country, Chamber, Sector)] == reference
    with writer(ref_engine) as session:
        assert get_demo_info(session) is None
        assert session.get(DatasetInfo, "demo") is None


# ---------------------------------------------------------------------------------------------
# Full scale
# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_full_scale_matches_the_published_volumes(ref_engine, backend) -> None:
    if backend != "sqlite":
        pytest.skip("volumes do not depend on the backend")
    seed_demo(ref_engine, scale=1.0, anchor=ANCHOR)
    for year in range(2022, 2026):
        won, jobs = _rows(
            ref_engine,
            "SELECT count(*), sum(jobs_announced) FROM project WHERE stage IN ('won', 'landed') "
            f"AND decided_on BETWEEN '{year}-01-01' AND '{year}-12-31'",
        )[0]
        assert 60 <= won <= 80, year
        assert 1500 <= jobs <= 2300, year
        meetings = _rows(
            ref_engine,
            f"SELECT count(*) FROM interaction WHERE occurred_on BETWEEN '{year}-01-01' "
            f"AND '{year}-12-31'",
        )[0][0]
        assert 600 <= meetings <= 700, year


def test_last_year_is_frozen_as_a_demo_snapshot(demo) -> None:
    """The presentation and the frozen-figures page have a snapshot to show: last year's
    figures, marked demo (removed with the demo data)."""
    from sqlmodel import Session, select

    from core.kpis import get_headline_kpis
    from core.periods import year_period
    from models import KpiSnapshot

    engine, _ = demo
    with Session(engine) as session:
        snapshots = session.exec(select(KpiSnapshot)).all()
        last_year = year_period(ANCHOR.year - 1)
        live = get_headline_kpis(session, last_year, today=ANCHOR)
    assert [(s.label, s.period_start, s.is_demo) for s in snapshots] == [
        (f"Bilan {ANCHOR.year - 1} (démonstration)", last_year.start, True)
    ]
    assert snapshots[0].figures["headline"]["projects_won"] == live.projects_won > 0
