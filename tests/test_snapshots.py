"""Frozen figures: a year's KPIs frozen as announced, the definitions' version with them, the
database refusing to change them, and the figures that now differ from the live data listed.

Expected values are worked out by hand from tests/fixtures.py (see its header and the 2023 and
2024 comments of tests/test_kpis.py).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from core import definitions
from core.periods import year_period
from core.records import set_target
from core.snapshots import compare_with_live, explain_differences, freeze, list_snapshots
from models import (
    KpiSnapshot,
    TargetCreate,
    TargetKpi,
)
from tests.fixtures import PROJECTS, build_fixture, log_late_win

TODAY = date(2026, 11, 28)
HEADLINE_2024 = {
    "projects_won": 3,  # P2 (IN), P4 (US), P5 (FR)
    "projects_won_foreign": 2,
    "jobs_announced": 215,  # 120 + 80 + 15
    "jobs_kept": 20,
    "capex_disclosed_eur": 15_000_000,  # P4 12M + P5 3M (P2's 45M is an estimate)
    "capex_estimated_eur": 45_000_000,
    "meetings": 9,  # I7-I15
    "organisations_met": 5,  # O4, O5, O2, O3, O7
    "open_pipeline": 5,  # P3, P6, P7, P9, P12 on 2024-12-31
    "open_pipeline_jobs": 420,
    "projects_won_unknown_origin": 0,
    "companies_met": 4,  # O5 is an investor
}
HEADLINE_2023 = {
    "projects_won": 1,  # P1
    "projects_won_foreign": 0,
    "jobs_announced": 50,
    "jobs_kept": 10,
    "capex_disclosed_eur": 20_000_000,
    "capex_estimated_eur": 0,
    "meetings": 6,
    "organisations_met": 5,
    "open_pipeline": 2,
    "open_pipeline_jobs": 200,
    "projects_won_unknown_origin": 0,
    "companies_met": 5,
}


@pytest.fixture
def frozen(session):
    ids = build_fixture(session)
    set_target(session=session, data=TargetCreate(year=2024, kpi=TargetKpi.PROJECTS_WON, value=70))
    snapshot = freeze(
        session,
        label="Bilan 2024 (conférence de presse)",
        period=year_period(2024),
        home_country="FR",
        today=TODAY,
        note="  ",
    )
    return ids, snapshot


def test_a_year_is_frozen_with_its_definitions_version(session, frozen):
    _, snapshot = frozen
    assert (snapshot.period_start, snapshot.period_end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert (snapshot.definitions_version, snapshot.frozen_by, snapshot.note) == (
        definitions.VERSION,
        "test",
        None,
    )
    figures = snapshot.figures
    assert figures["headline"] == HEADLINE_2024
    assert figures["previous"] == HEADLINE_2023
    assert figures["previous_period"] == ["2023-01-01", "2023-12-31"]
    assert figures["targets"] == {"projects_won": 70}
    sectors = {row["sector_code"]: row for row in figures["sectors"]}
    assert (sectors["energy"]["won"], sectors["energy"]["jobs_announced"]) == (2, 200)  # P2, P4
    assert (sectors["health"]["won"], sectors["health"]["jobs_announced"]) == (1, 15)  # P5
    assert sectors["digital"]["won"] == 0
    # One project won each, in English name order: France, India, United States (O3 is
    # controlled from the US).
    assert figures["countries"] == [
        {"iso2": "FR", "projects_won": 1},
        {"iso2": "IN", "projects_won": 1},
        {"iso2": "US", "projects_won": 1},
    ]
    assert figures["india"]["projects_won"] == {"india": 1, "world": 3}
    # Aggregates only: no project's name is frozen (confidential ones included).
    text = json.dumps(figures, ensure_ascii=False)
    assert not [name for name, *_ in PROJECTS.values() if name in text]
    assert [s.id for s in list_snapshots(session)] == [snapshot.id]


def test_live_figures_that_now_differ_are_listed(session, frozen):
    """A project won in 2024 but logged after the press conference: the snapshot stays as it
    was announced, and the comparison names every figure that moved."""
    _, snapshot = frozen
    assert compare_with_live(session, snapshot, today=TODAY).empty
    log_late_win(session)
    gaps = compare_with_live(session, snapshot, today=TODAY).set_index("figure")
    assert gaps.loc["headline.projects_won"].tolist() == [3, 4, 1]
    assert gaps.loc["headline.projects_won_foreign"].tolist() == [2, 3, 1]
    assert gaps.loc["headline.jobs_announced"].tolist() == [215, 227, 12]
    assert gaps.loc["headline.capex_disclosed_eur"].tolist() == [15_000_000, 17_000_000, 2_000_000]
    assert gaps.loc["sectors.digital.won"].tolist() == [0, 1, 1]
    assert gaps.loc["countries.NO.projects_won"].tolist()[:2] == [None, 1]
    assert gaps.loc["india.projects_won.world"].tolist() == [3, 4, 1]
    assert "headline.meetings" not in gaps.index  # no meeting was logged
    session.expire_all()
    assert session.get(KpiSnapshot, snapshot.id).figures["headline"] == HEADLINE_2024


def test_the_database_refuses_to_change_or_delete_a_snapshot(session, frozen):
    _, snapshot = frozen
    table = KpiSnapshot.__table__
    for statement in (
        table.update().where(table.c.id == snapshot.id).values(label="Bilan corrigé"),
        table.delete().where(table.c.id == snapshot.id),
    ):
        with pytest.raises(DBAPIError, match="frozen figures"):
            session.execute(statement)
        session.rollback()
    assert session.exec(select(KpiSnapshot.label)).all() == ["Bilan 2024 (conférence de presse)"]


def test_a_snapshot_of_demo_data_goes_with_them(session):
    from core.demo import clear_demo
    from models import DatasetInfo

    session.add(DatasetInfo(key="demo", value="{}"))
    session.commit()
    snapshot = freeze(
        session, label="Démo", period=year_period(2025), home_country="FR", today=TODAY
    )
    assert snapshot.is_demo is True
    clear_demo(session.get_bind())
    assert session.exec(select(sa.func.count()).select_from(KpiSnapshot)).one() == 0


#: Catalogue 1.2's figures of 2024 on the fixture (see tests/fixtures_performance.py): P2 487,
#: P4 410, P5 95 days -> median 410 over 3; 5 organisations met / 3 wins; P5 is French; no
#: delegation starts in 2024; missions M1 and M4.
PERFORMANCE_2024 = {
    "time_to_decision_days": 410.0,
    "time_to_decision_projects": 3,
    "organisations_met_per_win": 1.6667,
    "projects_won_home": 1,
    "delegations_received": 0,
    "missions_held": 2,
}


def test_the_new_figures_are_frozen_and_compared(session, frozen):
    _, snapshot = frozen
    assert snapshot.figures["performance"] == PERFORMANCE_2024
    log_late_win(session)  # Fjord Data, created won: no pipeline entry, not measured
    gaps = compare_with_live(session, snapshot, today=TODAY).set_index("figure")
    assert gaps.loc["performance.organisations_met_per_win"].tolist() == [1.6667, 1.25, -0.4167]
    assert "performance.time_to_decision_days" not in gaps.index
    reasons = dict(
        zip(gaps.index, explain_differences(session, snapshot, gaps.reset_index()), strict=True)
    )
    assert reasons["performance.organisations_met_per_win"] == ("wins", {"lost": 0, "late": 1})


def test_a_snapshot_made_before_the_new_figures_still_reads(session):
    """A 1.1 snapshot has no 'performance' group: it reads, its table shows what it has, and
    the comparison lists each new figure as added to the catalogue after it."""
    from components.snapshot_views import headline_table

    build_fixture(session)
    figures = {
        "headline": HEADLINE_2024,
        "previous": HEADLINE_2023,
        "previous_period": ["2023-01-01", "2023-12-31"],
        "targets": {},
        "sectors": [],
        "countries": [],
        "india": {},
    }
    old = KpiSnapshot(
        label="Bilan 2024 (v1.1)", period_start=date(2024, 1, 1), period_end=date(2024, 12, 31),
        definitions_version="1.1", home_country="FR", figures=figures, frozen_by="test",
    )  # fmt: skip
    session.add(old)
    session.commit()
    table = headline_table(old.figures, "fr")
    assert len(table) == len(HEADLINE_2024)
    gaps = compare_with_live(session, old, today=TODAY).set_index("figure")
    new = [key for key in gaps.index if key.startswith("performance.")]
    assert gaps.loc[new, "frozen"].tolist() == [None] * 6
    assert gaps.loc["performance.time_to_decision_days", "live"] == 410.0
    reasons = dict(
        zip(gaps.index, explain_differences(session, old, gaps.reset_index()), strict=True)
    )
    assert [reasons[key] for key in new] == [("new_figure", {"version": "1.1"})] * 6
