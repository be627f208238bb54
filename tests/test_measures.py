"""One figure, one definition (core.measures): the same figure for the same period and filters
is equal on every page's reader, the presentation, a snapshot and the press kit; and each
counting rule of the Definitions page, on hand-worked cases.

Expected values are worked out by hand from tests/fixtures.py (see its header; home country
FR). The rule cases add, through core.records:

  WL  "Won Then Lost"  O1 FR digital 10 jobs: 2024-02-01 lead, 2024-03-10 won, 2025-02-01 lost
  W2  "Won Twice"      O2 IN energy  20 jobs: 2024-01-05 lead, 2024-04-01 won, 2024-08-01 lost,
                       2025-01-10 lead, 2025-05-05 won
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core import measures, records
from core.directory import count_organisations_met
from core.filters import DashboardFilters
from core.geo import count_unknown_origin, get_origin_figures
from core.india import get_india_share
from core.kpis import get_headline_kpis, get_monthly_trend, get_yearly_summary, list_kpi_records
from core.missions import list_missions
from core.periods import year_period
from core.pipeline import get_stage_conversion, get_stage_funnel
from core.presentation import deck_figures
from core.presskit import headline_tiles
from core.sectors import get_sector_summary
from core.snapshots import compare_with_live, explain_differences, freeze
from models import LostReason, Project, ProjectCreate, Stage
from tests.fixtures import build_fixture

D = date.fromisoformat
TODAY = D("2026-11-28")


@pytest.fixture
def ids(session):
    return build_fixture(session)


def _page_figures(session, period, filters):
    """(projects won, organisations met) as each page's reader gives them."""
    head = get_headline_kpis(session, period, today=TODAY, filters=filters)
    year = get_yearly_summary(session, period.start.year, period.end.year, filters=filters)
    trend = get_monthly_trend(session, period, filters=filters)
    sectors = get_sector_summary(session, filters)
    india = get_india_share(session, filters).set_index("metric")
    origins = get_origin_figures(session, filters, "projects_won", lang="fr")
    unknown = count_unknown_origin(session, filters, "projects_won")
    funnel = get_stage_funnel(session, filters, today=TODAY).set_index("stage")
    _, drilled = list_kpi_records(session, "projects_won", period, today=TODAY, filters=filters)
    _, met = list_kpi_records(session, "organisations_met", period, today=TODAY, filters=filters)
    won = {
        "overview": head.projects_won,
        "years": int(year["projects_won"].sum()),
        "trend": int(trend["projects_won"].sum()),
        "drill-down": drilled,
        "sectors": int(sectors["won"].sum()),
        "india (world)": int(india.loc["projects_won", "world"]),
        "map": int(origins["value"].sum()) + unknown,
        "pipeline funnel": int(funnel.loc["won", "projects"] + funnel.loc["landed", "projects"]),
    }
    orgs = {
        "overview": head.organisations_met,
        "years": int(year["organisations_met"].sum()),
        "drill-down": met,
    }
    return won, orgs


@pytest.mark.parametrize(
    ("year", "sectors", "won", "met"),
    [
        # 2024: P2, P4, P5 won; O4, O5, O2, O3, O7 met.
        (2024, (), 3, 5),
        # 2025: P3, P8, P12, P13 won (P13 of unknown origin); O2, O1, O3, O9 met.
        (2025, (), 4, 4),
        # Energy 2024: P2, P4; energy organisations met: O2, O3.
        (2024, ("energy",), 2, 2),
    ],
)
def test_the_same_figure_is_equal_on_every_page(session, ids, year, sectors, won, met):
    period = year_period(year)
    filters = DashboardFilters(period=period, sectors=sectors)
    by_page_won, by_page_met = _page_figures(session, period, filters)
    assert by_page_won == dict.fromkeys(by_page_won, won)
    assert by_page_met == dict.fromkeys(by_page_met, met)


@pytest.mark.parametrize(("year", "won", "met"), [(2024, 3, 5), (2025, 4, 4)])
def test_deck_snapshot_and_press_kit_show_the_overview_figures(session, ids, year, won, met):
    period = year_period(year)
    live, _ = deck_figures(session, home_country="FR", today=TODAY, period=period)
    snapshot = freeze(session, label=f"Bilan {year}", period=period, home_country="FR", today=TODAY)
    frozen, source = deck_figures(session, home_country="FR", today=TODAY, snapshot_id=snapshot.id)
    assert source.frozen
    for figures in (live, frozen, snapshot.figures):
        assert (figures["headline"]["projects_won"], figures["headline"]["organisations_met"]) == (
            won,
            met,
        )
    tiles = {label: value for label, value, _, _ in headline_tiles(frozen, "fr")}
    assert tiles["Projets gagnés"] == str(won)
    # The deck's tile says what it counts: organisations, not "entreprises".
    assert tiles["Organisations rencontrées"] == str(met)


def test_the_directory_figure_has_its_own_label_and_definition(session, ids):
    """2025: 4 organisations met (Overview) and 5 met or hosted (Directory): O10 only attended
    M2 (2025-06-10..12). M4 (2024-12-30..2025-01-03, O3) belongs to 2024."""
    assert get_headline_kpis(session, year_period(2025), today=TODAY).organisations_met == 4
    assert count_organisations_met(session, D("2025-01-01"), D("2025-12-31")) == 5
    # 2024: O4, O5, O2, O3, O7 met; M1 (O5) and M4 (O3) start in 2024: still 5.
    assert count_organisations_met(session, D("2024-01-01"), D("2024-12-31")) == 5


# ---------------------------------------------------------------------------------------------
# The rules of the Definitions page
# ---------------------------------------------------------------------------------------------


def _project(session, ids, name, org, sector, jobs, history):
    first_on, first_stage = history[0]
    data = ProjectCreate(
        code_name=name, organisation_id=ids[org], sector_code=sector, jobs_announced=jobs,
        stage=Stage(first_stage), stage_on=D(first_on),
    )  # fmt: skip
    project_id = records.create_project(session=session, data=data, author="test").id
    for on, stage in history[1:]:
        lost = {"lost_reason": LostReason.COST} if stage == "lost" else {}
        records.change_stage(
            session=session, project_id=project_id, to_stage=Stage(stage), on=D(on),
            author="test", **lost,
        )  # fmt: skip
    return project_id


def _won_ids(session, year):
    query = sa.select(Project.code_name).where(measures.won_in(year_period(year)))
    return sorted(session.execute(query).scalars())


def test_a_win_later_lost_leaves_its_year_and_the_frozen_figure_says_why(session, ids):
    wl = _project(session, ids, "Won Then Lost", "O1", "digital", 10,
                  [("2024-02-01", "lead"), ("2024-03-10", "won")])  # fmt: skip
    snapshot = freeze(session, label="Bilan 2024", period=year_period(2024), home_country="FR",
                      today=TODAY)  # fmt: skip
    assert snapshot.figures["headline"]["projects_won"] == 4  # P2, P4, P5 and WL
    records.change_stage(session=session, project_id=wl, to_stage=Stage.LOST, on=D("2025-02-01"),
                         author="test", lost_reason=LostReason.COST)  # fmt: skip
    # Live, 2024 is back to P2, P4, P5 and 215 jobs; the snapshot keeps 4 and 225.
    assert get_headline_kpis(session, year_period(2024), today=TODAY).projects_won == 3
    assert "Won Then Lost" not in _won_ids(session, 2024)
    gaps = compare_with_live(session, snapshot, today=TODAY)
    why = dict(zip(gaps["figure"], explain_differences(session, snapshot, gaps), strict=True))
    assert gaps.set_index("figure").loc["headline.projects_won"].tolist() == [4, 3, -1]
    assert why["headline.projects_won"] == ("wins", {"lost": 1, "late": 0})
    assert why["headline.jobs_announced"] == ("wins", {"lost": 1, "late": 0})
    lost = sa.select(Project.code_name).where(measures.won_then_left(year_period(2024)))
    assert session.execute(lost).scalars().all() == ["Won Then Lost"]


def test_a_project_won_twice_counts_once_on_its_last_win(session, ids):
    _project(session, ids, "Won Twice", "O2", "energy", 20,
             [("2024-01-05", "lead"), ("2024-04-01", "won"), ("2024-08-01", "lost"),
              ("2025-01-10", "lead"), ("2025-05-05", "won")])  # fmt: skip
    assert _won_ids(session, 2024) == ["Mumbai Solar", "Rhine Turbines", "Vital Lab"]
    assert _won_ids(session, 2025) == [
        "Azur Edge", "Delhi Grid", "Kraftwerk South", "Mystery Plant", "Won Twice",
    ]  # fmt: skip
    assert get_headline_kpis(session, year_period(2025), today=TODAY).projects_won == 5
    lost = sa.select(Project.code_name).where(measures.won_then_left(year_period(2024)))
    assert session.execute(lost).scalars().all() == ["Won Twice"]


def test_unknown_origin_is_counted_apart_never_as_home(session, ids):
    """2025: P3 (IN), P8 (FR), P12 (US), P13 (no control, no HQ). 2024: P5's Santé Plus has
    only an HQ (FR): its origin is France."""
    head = get_headline_kpis(session, year_period(2025), home_country="FR", today=TODAY)
    assert (head.projects_won, head.projects_won_foreign, head.projects_won_unknown_origin) == (
        4,
        2,
        1,
    )
    home = sa.select(sa.func.count()).select_from(Project)
    assert (
        session.execute(
            home.where(measures.won_in(year_period(2025)), measures.is_home("FR"))
        ).scalar_one()
        == 1
    )  # P8 only, not P13
    assert (
        session.execute(
            home.where(measures.won_in(year_period(2024)), measures.is_home("FR"))
        ).scalar_one()
        == 1
    )  # P5, by its HQ
    filters = DashboardFilters(period=year_period(2025))
    assert count_unknown_origin(session, filters, "projects_won") == 1


def test_a_mission_spanning_new_year_counts_once_in_the_year_it_starts(session, ids):
    """M4 runs 2024-12-30..2025-01-03: 2024's (with M1), not 2025's (M2 only)."""
    names = {
        year: list_missions(session, DashboardFilters(year_period(year)), today=TODAY)["name"]
        for year in (2024, 2025)
    }
    assert names[2024].tolist() == ["GITEX Dubai 2024", "Rhine year-end mission"]
    assert names[2025].tolist() == ["Indian delegation in Provence"]
    # The Directory: M4's days in 2025 do not make O3 "hosted" then (I16 with O2 is the only
    # contact of 2025-01-01..03).
    assert count_organisations_met(session, D("2025-01-01"), D("2025-01-03")) == 1


def test_conversion_is_a_flow_in_sectors_and_a_cohort_in_the_pipeline(session, ids):
    """2025, digital: P8 became a lead on 2025-01-15 and was won on 06-30, never Qualified.
    Flow (Sectors): won in 2025 (P8) / qualified in 2025 (none) = no rate. Cohort (Pipeline):
    leads of 2025 = P8 alone (P13 was created as won, never a lead); it reached Qualified
    (a skipped stage counts as passed) = 1 / 1."""
    digital = DashboardFilters(period=year_period(2025), sectors=("digital",))
    row = get_sector_summary(session, digital).set_index("sector_code").loc["digital"]
    assert (row["won"], row["qualified"], row["conversion"]) == (1, 0, None)
    cohort = get_stage_conversion(session, digital).iloc[0]
    assert (cohort["from_stage"], cohort["to_stage"]) == ("lead", "qualified")
    assert (cohort["reached_from"], cohort["reached_to"], cohort["conversion"]) == (1, 1, 1.0)


def test_companies_are_organisations_of_kind_company_only(session, ids):
    """2024: O4, O5, O2, O3, O7 met; O5 (Gulf Ports) is an investor: 5 organisations, 4
    companies."""
    head = get_headline_kpis(session, year_period(2024), today=TODAY)
    assert (head.organisations_met, head.companies_met) == (5, 4)
    assert measures.COMPANY_KINDS == ("company",)
