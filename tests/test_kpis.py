"""KPI queries against the hand-made fixture of ``tests/fixtures.py``.

Every expected value below was worked out by hand from the tables in that module's docstring
(home country FR); the comments show the sums.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from core import records
from core.kpis import (
    HeadlineKpis,
    get_headline_kpis,
    get_monthly_trend,
    get_targets,
    list_kpi_records,
)
from core.periods import Period, year_period
from models import TargetCreate, TargetKpi
from tests.fixtures import build_fixture

D = date.fromisoformat
#: After every date of the fixture: periods ending before it read the stage history.
TODAY = D("2026-11-28")


@pytest.fixture
def ids(session):
    return build_fixture(session)


def kpis(**values: int) -> HeadlineKpis:
    return HeadlineKpis(**values)


EXPECTED = {
    # 2022: nothing had happened yet.
    "2022": (year_period(2022), HeadlineKpis()),
    # 2023: won P1 (FR, 50 jobs, 10 kept, 20M disclosed). Meetings I1-I6 = 6; organisations
    # O1, O2, O3, O7, O4 = 5. Open on 2023-12-31: P2 (lead, 120) and P4 (lead, 80) = 200 jobs;
    # P9 went on hold on 2023-12-01, P11 was abandoned.
    "2023": (
        year_period(2023),
        kpis(
            projects_won=1,
            projects_won_foreign=0,
            jobs_announced=50,
            jobs_kept=10,
            capex_disclosed_eur=20_000_000,
            capex_estimated_eur=0,
            meetings=6,
            organisations_met=5,
            open_pipeline=2,
            open_pipeline_jobs=200,
            companies_met=5,  # all five are companies
        ),
    ),
    # 2024: won P2 (IN, 120, 45M estimated, decided on the last day), P4 (US, 80, 12M
    # disclosed), P5 (FR, 15 jobs, 20 kept, 3M disclosed): 215 jobs, 20 kept, 15M disclosed,
    # 45M estimated, 2 foreign. Meetings I7-I15 = 9; organisations O4, O5, O2, O3, O7 = 5.
    # Open on 2024-12-31: P3 (30), P6 (200), P7 (40), P9 (60), P12 (90, lead again the same day
    # it went on hold) = 5 projects, 420 jobs. P2 was won that day.
    "2024": (
        year_period(2024),
        kpis(
            projects_won=3,
            projects_won_foreign=2,
            jobs_announced=215,
            jobs_kept=20,
            capex_disclosed_eur=15_000_000,
            capex_estimated_eur=45_000_000,
            meetings=9,
            organisations_met=5,
            open_pipeline=5,
            open_pipeline_jobs=420,
            companies_met=4,  # O5 is an investor, not a company
        ),
    ),
    # 2025: won P3 (IN, 30 jobs, 5 kept, capex unknown, decided on the first day), P8 (FR, 25,
    # 5M disclosed), P12 (US, 90, 30M disclosed), P13 (no origin, 5, 1M estimated): 150 jobs,
    # 5 kept, 35M disclosed, 1M estimated, 2 foreign (P13 has no origin). P6 was lost.
    # Meetings I16-I21 = 6; organisations O2, O1, O3, O9 = 4 (I20 has none). Open on
    # 2025-12-31: P7 (active, 40) and P9 (qualified, 60) = 100 jobs.
    "2025": (
        year_period(2025),
        kpis(
            projects_won=4,
            projects_won_foreign=2,
            jobs_announced=150,
            jobs_kept=5,
            capex_disclosed_eur=35_000_000,
            capex_estimated_eur=1_000_000,
            meetings=6,
            organisations_met=4,
            open_pipeline=2,
            open_pipeline_jobs=100,
            projects_won_unknown_origin=1,  # P13: neither foreign nor home
            companies_met=4,
        ),
    ),
    # Q4 2024: won P2 only. Meetings I12, I13, I14, I15 with O5, O2, O7, O3. Same end as 2024.
    "2024-Q4": (
        Period(D("2024-10-01"), D("2024-12-31")),
        kpis(
            projects_won=1,
            projects_won_foreign=1,
            jobs_announced=120,
            capex_estimated_eur=45_000_000,
            meetings=4,
            organisations_met=4,
            open_pipeline=5,
            open_pipeline_jobs=420,
            companies_met=3,  # O2, O7, O3 (O5 is an investor)
        ),
    ),
    # 2024-07-01..09-30 (the previous 92 days of Q4): won P4 only (US, 80, 12M disclosed); no
    # meeting. Open on 09-30: P2 (active, 120), P3 (lead, 30), P6 (qualified, 200), P9 (lead
    # again since 09-01, 60), P12 (lead, 90) = 5 projects, 500 jobs.
    "2024-Q3": (
        Period(D("2024-07-01"), D("2024-09-30")),
        kpis(
            projects_won=1,
            projects_won_foreign=1,
            jobs_announced=80,
            capex_disclosed_eur=12_000_000,
            open_pipeline=5,
            open_pipeline_jobs=500,
        ),
    ),
    # One day, 2025-01-01: P3 won (IN, 30 jobs, 5 kept, capex unknown); meeting I16 with O2.
    # Open that evening: P6 (200), P7 (40), P9 (60), P12 (90) = 4 projects, 390 jobs.
    "2025-01-01": (
        Period(D("2025-01-01"), D("2025-01-01")),
        kpis(
            projects_won=1,
            projects_won_foreign=1,
            jobs_announced=30,
            jobs_kept=5,
            meetings=1,
            organisations_met=1,
            open_pipeline=4,
            open_pipeline_jobs=390,
            companies_met=1,
        ),
    ),
    # 2024-12-01..12-30: the day before P2's win and I15. Open on 12-30: P2 (active, 120),
    # P3 (30), P6 (200), P7 (40), P9 (60), P12 (90) = 6 projects, 540 jobs.
    "2024-12-before-last-day": (
        Period(D("2024-12-01"), D("2024-12-30")),
        kpis(open_pipeline=6, open_pipeline_jobs=540),
    ),
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_headline_kpis(session, ids, name):
    period, expected = EXPECTED[name]
    assert get_headline_kpis(session, period, home_country="FR", today=TODAY) == expected


def test_previous_period_values(session, ids):
    """The previous period of a calendar year is the year before; of a quarter, the 92 days
    before it."""
    assert year_period(2025).previous() == year_period(2024)
    q4 = EXPECTED["2024-Q4"][0]
    assert q4.previous() == EXPECTED["2024-Q3"][0]
    assert (
        get_headline_kpis(session, year_period(2025).previous(), today=TODAY)
        == (EXPECTED["2024"][1])
    )
    assert get_headline_kpis(session, q4.previous(), today=TODAY) == EXPECTED["2024-Q3"][1]


def test_home_country_decides_what_is_foreign(session, ids):
    # 2024 wins by origin: IN (P2), US (P4), FR (P5). Seen from India, FR and US are foreign.
    assert (
        get_headline_kpis(session, year_period(2024), home_country="IN").projects_won_foreign == 2
    )
    # 2025: IN (P3), FR (P8), US (P12), none (P13). Seen from the US: IN and FR.
    assert (
        get_headline_kpis(session, year_period(2025), home_country="US").projects_won_foreign == 2
    )
    # Seen from Germany, every known origin of 2025 is foreign: IN, FR, US (not P13).
    assert (
        get_headline_kpis(session, year_period(2025), home_country="DE").projects_won_foreign == 3
    )


def test_empty_database_gives_zeros(session):
    assert get_headline_kpis(session, year_period(2024), today=TODAY) == HeadlineKpis()
    assert get_headline_kpis(session, year_period(2027), today=TODAY) == HeadlineKpis()


def test_open_pipeline_now_uses_current_stage(session, ids):
    """A period ending today or later reads the current stages: P7 (active, 40 jobs) and P9
    (qualified, 60 jobs); nothing was won or met in 2026."""
    this_year = year_period(2026)
    assert get_headline_kpis(session, this_year, today=TODAY) == kpis(
        open_pipeline=2, open_pipeline_jobs=100
    )
    frame, total = list_kpi_records(session, "open_pipeline", this_year, today=TODAY)
    assert total == 2
    assert frame[["code_name", "stage", "stage_entered_on"]].values.tolist() == [
        ["Pune Battery", "qualified", D("2025-04-01")],
        ["Bund Hotel", "active", D("2025-03-01")],
    ]


def test_open_pipeline_at_end_of_2024_although_lost_in_2025(session, ids):
    """P6 (Dubai Quay) was qualified at the end of 2024 and lost on 2025-02-10."""
    frame, total = list_kpi_records(session, "open_pipeline", year_period(2024), today=TODAY)
    assert total == 5
    assert frame[["code_name", "stage", "stage_entered_on", "jobs_announced"]].values.tolist() == [
        ["Dubai Quay", "qualified", D("2024-06-01"), 200],
        ["Kraftwerk South", "lead", D("2024-12-31"), 90],
        ["Pune Battery", "lead", D("2024-09-01"), 60],
        ["Bund Hotel", "lead", D("2024-11-05"), 40],
        ["Delhi Grid", "negotiation", D("2024-10-01"), 30],
    ]
    frame, total = list_kpi_records(session, "open_pipeline", year_period(2025), today=TODAY)
    assert total == 2
    assert "Dubai Quay" not in frame["code_name"].tolist()


def test_get_targets(session):
    assert get_targets(session, 2024) == {}
    records.set_target(session=session, data=TargetCreate(year=2024, kpi="projects_won", value=70))
    records.set_target(session=session, data=TargetCreate(year=2024, kpi="meetings", value=650))
    records.set_target(session=session, data=TargetCreate(year=2025, kpi="projects_won", value=80))
    assert get_targets(session, 2024) == {TargetKpi.PROJECTS_WON: 70, TargetKpi.MEETINGS: 650}
    records.set_target(session=session, data=TargetCreate(year=2024, kpi="projects_won", value=75))
    assert get_targets(session, 2024) == {TargetKpi.PROJECTS_WON: 75, TargetKpi.MEETINGS: 650}
    assert get_targets(session, 2025) == {TargetKpi.PROJECTS_WON: 80}


def test_monthly_trend_of_2024(session, ids):
    trend = get_monthly_trend(session, year_period(2024))
    assert list(trend.columns) == ["month", "projects_won", "jobs_announced", "meetings"]
    # Won: May P5 (15 jobs), July P4 (80), December P2 (120). Meetings: Jan I7, Feb I8,
    # Mar I9 + I10, Apr I11, Oct I12 + I13, Nov I14, Dec I15.
    expected = [
        (date(2024, m, 1), won, jobs, met)
        for m, won, jobs, met in [
            (1, 0, 0, 1),
            (2, 0, 0, 1),
            (3, 0, 0, 2),
            (4, 0, 0, 1),
            (5, 1, 15, 0),
            (6, 0, 0, 0),
            (7, 1, 80, 0),
            (8, 0, 0, 0),
            (9, 0, 0, 0),
            (10, 0, 0, 2),
            (11, 0, 0, 1),
            (12, 1, 120, 1),
        ]
    ]
    assert list(trend.itertuples(index=False, name=None)) == expected


def test_monthly_trend_across_a_new_year(session, ids):
    # December: P2 won on 12-31 (120 jobs), I15 on 12-31. January: P3 won on 01-01 (30 jobs),
    # I16 (01-01) and I17 (01-15).
    trend = get_monthly_trend(session, Period(D("2024-12-15"), D("2025-01-20")))
    assert list(trend.itertuples(index=False, name=None)) == [
        (date(2024, 12, 1), 1, 120, 1),
        (date(2025, 1, 1), 1, 30, 2),
    ]


def test_monthly_trend_counts_only_days_in_the_period(session, ids):
    # March: I9 and I10 on 03-01. April is cut on the 9th, so I11 (04-10) is left out.
    trend = get_monthly_trend(session, Period(D("2024-03-01"), D("2024-04-09")))
    assert list(trend.itertuples(index=False, name=None)) == [
        (date(2024, 3, 1), 0, 0, 2),
        (date(2024, 4, 1), 0, 0, 0),
    ]


def test_monthly_trend_of_an_empty_period(session):
    trend = get_monthly_trend(session, Period(D("2022-11-10"), D("2023-01-05")))
    assert list(trend.itertuples(index=False, name=None)) == [
        (date(2022, 11, 1), 0, 0, 0),
        (date(2022, 12, 1), 0, 0, 0),
        (date(2023, 1, 1), 0, 0, 0),
    ]


def test_records_of_projects_won(session, ids):
    frame, total = list_kpi_records(session, "projects_won", year_period(2024))
    assert total == 3
    # Newest decision first.
    assert frame[
        ["code_name", "organisation_name", "sector_code", "origin_country_iso2", "foreign"]
    ].values.tolist() == [
        ["Mumbai Solar", "Bharat Energy Ltd", "energy", "IN", True],
        ["Rhine Turbines", "Kraftwerk GmbH", "energy", "US", True],
        ["Vital Lab", "Santé Plus", "health", "FR", False],
    ]
    assert frame["decided_on"].tolist() == [D("2024-12-31"), D("2024-07-15"), D("2024-05-20")]
    assert frame["capex_eur"].tolist() == [45_000_000, 12_000_000, 3_000_000]
    assert frame["capex_disclosure"].tolist() == ["estimated", "disclosed", "disclosed"]
    assert frame["stage"].tolist() == ["won", "won", "won"]
    assert frame["id"].tolist() == [ids["P2"], ids["P4"], ids["P5"]]


def test_records_are_limited_but_counted_in_full(session, ids):
    frame, total = list_kpi_records(session, "projects_won", year_period(2024), limit=2)
    assert total == 3
    assert frame["code_name"].tolist() == ["Mumbai Solar", "Rhine Turbines"]
    frame, total = list_kpi_records(session, "meetings", year_period(2024), limit=0)
    assert (len(frame), total) == (0, 9)


def test_records_of_jobs_and_capex(session, ids):
    frame, total = list_kpi_records(session, "jobs_announced", year_period(2025))
    # 2025 wins by jobs: P12 90, P3 30, P8 25, P13 5.
    assert total == 4
    assert frame[["code_name", "jobs_announced", "jobs_kept"]].values.tolist() == [
        ["Kraftwerk South", 90, 0],
        ["Delhi Grid", 30, 5],
        ["Azur Edge", 25, 0],
        ["Mystery Plant", 5, 0],
    ]
    assert pd.isna(frame.loc[1, "capex_eur"])
    assert pd.isna(frame.loc[3, "origin_country_iso2"])
    frame, total = list_kpi_records(session, "capex_disclosed", year_period(2025))
    # Disclosed only: P12 30M, P8 5M (P3 unknown, P13 estimated).
    assert total == 2
    assert frame[["code_name", "capex_eur"]].values.tolist() == [
        ["Kraftwerk South", 30_000_000],
        ["Azur Edge", 5_000_000],
    ]


def test_records_of_meetings(session, ids):
    frame, total = list_kpi_records(session, "meetings", year_period(2025))
    assert total == 6
    assert frame["id"].tolist() == [ids[k] for k in ("I21", "I20", "I19", "I18", "I17", "I16")]
    assert frame["occurred_on"].tolist() == [
        D(d)
        for d in (
            "2025-12-15",
            "2025-11-20",
            "2025-09-30",
            "2025-06-11",
            "2025-01-15",
            "2025-01-01",
        )
    ]
    assert frame["kind"].tolist() == ["meeting", "event", "call", "meeting", "meeting", "meeting"]
    assert frame["author"].tolist() == ["alice", "alice", "bob", "bob", "alice", "alice"]
    first, no_org, _, delegation, azur_edge, delhi = frame.to_dict("records")
    assert first["organisation_name"] == "Atelier d'Azur"
    assert pd.isna(no_org["organisation_name"])
    assert delegation["mission"] == "Indian delegation in Provence"
    assert delegation["organisation_name"] == "Bharat Energy Ltd"
    assert azur_edge["project_code_name"] == "Azur Edge"
    assert delhi["project_code_name"] == "Delhi Grid"
    assert delhi["outcome"] == "information"


def test_records_of_organisations_met(session, ids):
    frame, total = list_kpi_records(session, "organisations_met", year_period(2024))
    assert total == 5
    assert frame.values.tolist() == [
        [ids["O2"], "Bharat Energy Ltd", "company", "IN", "energy", 2, D("2024-03-01"),
         D("2024-10-16")],
        [ids["O5"], "Gulf Ports LLC", "investor", "AE", "port_airport", 2, D("2024-03-01"),
         D("2024-10-15")],
        [ids["O3"], "Kraftwerk GmbH", "company", "DE", "energy", 2, D("2024-04-10"),
         D("2024-12-31")],
        [ids["O4"], "Santé Plus", "company", "FR", "health", 2, D("2024-01-01"),
         D("2024-02-15")],
        [ids["O7"], "Shanghai Tourism Co", "company", "CN", "tourism", 1, D("2024-11-05"),
         D("2024-11-05")],
    ]  # fmt: skip
    assert list(frame.columns) == [
        "id", "name", "kind", "country_iso2", "sector_code", "meetings", "first_met_on",
        "last_met_on",
    ]  # fmt: skip


def test_records_of_an_empty_period(session, ids):
    for kpi in ("projects_won", "meetings", "organisations_met", "open_pipeline"):
        frame, total = list_kpi_records(session, kpi, year_period(2022), today=TODAY)
        assert (len(frame), total) == (0, 0), kpi


def test_unknown_record_kpi_is_refused(session):
    with pytest.raises(ValueError, match="unknown KPI 'jobs'"):
        list_kpi_records(session, "jobs", year_period(2024))


# ---------------------------------------------------------------------------------------------
# The shared dashboard filters narrow every headline figure, the trend and the records
# ---------------------------------------------------------------------------------------------


def test_headline_kpis_of_energy_in_2024(session, ids):
    from core.filters import DashboardFilters

    energy = DashboardFilters(period=year_period(2024), sectors=("energy",))
    result = get_headline_kpis(session, year_period(2024), filters=energy, today=TODAY)
    # Won in 2024 and energy: P2 (IN, 120 jobs, 45 M estimated), P4 (US, 80 jobs, 12 M
    # disclosed). Meetings with energy organisations (O2, O3): I10, I11, I13, I15.
    # Open energy projects at the end of 2024: P3 (negotiation, 30 jobs), P9 (lead again
    # since 2024-09-01, 60 jobs), P12 (lead again on 2024-12-31, 90 jobs).
    assert result == HeadlineKpis(
        projects_won=2,
        projects_won_foreign=2,
        jobs_announced=200,
        jobs_kept=0,
        capex_disclosed_eur=12_000_000,
        capex_estimated_eur=45_000_000,
        meetings=4,
        organisations_met=2,
        open_pipeline=3,
        open_pipeline_jobs=180,
        companies_met=2,  # O2 and O3
    )


def test_filters_narrow_the_trend_and_the_records(session, ids):
    from core.filters import DashboardFilters

    india = DashboardFilters(period=year_period(2024), countries=("IN",))
    trend = get_monthly_trend(session, year_period(2024), filters=india)
    # Indian origin in 2024: P2 won on 2024-12-31; meetings I10 (March), I13 (October).
    assert trend["projects_won"].tolist() == [0] * 11 + [1]
    assert trend["meetings"].tolist() == [0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0]
    rows, total = list_kpi_records(session, "projects_won", year_period(2024), filters=india)
    assert total == 1 and rows["code_name"].tolist() == ["Mumbai Solar"]
    rows, total = list_kpi_records(session, "meetings", year_period(2024), filters=india)
    assert total == 2 and rows["occurred_on"].tolist() == [D("2024-10-16"), D("2024-03-01")]


def test_yearly_summary(session, ids):
    from core.kpis import get_yearly_summary

    frame = get_yearly_summary(session, 2022, 2025)
    assert list(frame.columns) == [
        "year",
        "projects_won",
        "jobs_announced",
        "capex_disclosed_eur",
        "meetings",
        "organisations_met",
    ]
    # 2023: P1 won (50 jobs, 20 M disclosed); I1-I6 with O1, O2, O3, O7, O4.
    # 2024: P2 (120, estimated), P4 (80, 12 M), P5 (15, 3 M); I7-I15 with O4, O5, O2, O3, O7.
    # 2025: P3 (30, unknown), P8 (25, 5 M), P12 (90, 30 M), P13 (5, estimated); I16-I21 with
    # O2, O1, O3, O9 and one meeting without an organisation.
    assert [tuple(row) for row in frame.itertuples(index=False)] == [
        (2022, 0, 0, 0, 0, 0),
        (2023, 1, 50, 20_000_000, 6, 5),
        (2024, 3, 215, 15_000_000, 9, 5),
        (2025, 4, 150, 35_000_000, 6, 4),
    ]


def test_won_breakdown_by_country_and_sector(session, ids):
    from core.kpis import get_won_breakdown

    by_country = get_won_breakdown(session, year_period(2025), by="country")
    rows = [
        (None if pd.isna(code) else code, won, jobs)
        for code, won, jobs in by_country.itertuples(index=False)
    ]
    # P12 (US, 90 jobs), P3 (IN, 30), P8 (FR, 25), P13 (origin unknown, 5): one each.
    assert rows == [("US", 1, 90), ("IN", 1, 30), ("FR", 1, 25), (None, 1, 5)]
    by_sector = get_won_breakdown(session, year_period(2025), by="sector", limit=2)
    assert [tuple(row) for row in by_sector.itertuples(index=False)] == [
        ("energy", 2, 120),
        ("digital", 1, 25),
    ]
    assert get_won_breakdown(session, year_period(2022), by="sector").empty
    with pytest.raises(ValueError, match="unknown breakdown 'owner'"):
        get_won_breakdown(session, year_period(2025), by="owner")
