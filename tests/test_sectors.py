"""Sector figures against the hand-made data set of ``tests/fixtures_sectors.py``.

Expected values are worked out by hand from the tables in that module's docstring.
"""

from __future__ import annotations

from datetime import date

import pytest

from core.filters import DashboardFilters
from core.periods import Period, year_period
from core.sectors import (
    OTHERS,
    UNKNOWN,
    get_sector_country_matrix,
    get_sector_summary,
    get_sector_targets,
    get_sector_trend,
    list_sector_codes,
    trend_unit,
)
from tests.fixtures_sectors import build_sector_fixture

SECTORS = ["digital", "health", "energy", "work_hr", "tourism", "port_airport", "other"]
Y2025 = DashboardFilters(period=year_period(2025))


@pytest.fixture
def data(session):
    build_sector_fixture(session)
    return session


def _records(frame, columns):
    return [tuple(row) for row in frame[columns].itertuples(index=False)]


# ---------------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------------


def test_summary_2025_per_sector(data) -> None:
    frame = get_sector_summary(data, Y2025)
    columns = ["sector_code", "leads", "qualified", "won", "jobs_announced",
               "capex_disclosed_eur", "capex_estimated_eur"]  # fmt: skip
    assert _records(frame, columns) == [
        # digital: leads S2, S3; qualified S1, S2, S3; won S1 (50, 10 M disc.), S2 (30, 4 M est.)
        ("digital", 2, 3, 2, 80, 10_000_000, 4_000_000),
        # health: lead S8; never qualified; S8 won then landed
        ("health", 1, 0, 1, 25, 3_000_000, 0),
        # energy: leads S6, S7, S14; qualified S6, S7 (twice, counted once); won S5 on 1 Jan
        ("energy", 3, 2, 1, 100, 50_000_000, 0),
        ("work_hr", 0, 0, 0, 0, 0, 0),  # S13 never became a lead
        ("tourism", 0, 1, 0, 0, 0, 0),  # S10 lead on 31 Dec 2024, qualified in 2025
        ("port_airport", 1, 1, 0, 0, 0, 0),  # S9 abandoned
        ("other", 1, 0, 1, 5, 0, 1_000_000),  # S11 created as won: lead the same day
    ]
    assert list(frame["conversion"]) == [2 / 3, None, 0.5, None, 0.0, 0.0, None]


def test_summary_boundary_days_excluded(data) -> None:
    # 2 Jan - 30 Dec 2025 leaves out S6's lead and S5's win (1 Jan), S1's qualification
    # (1 Jan) and S2's win (31 Dec).
    filters = DashboardFilters(period=Period(date(2025, 1, 2), date(2025, 12, 30)))
    frame = get_sector_summary(data, filters).set_index("sector_code")
    assert _records(frame.loc[["digital", "energy"]], ["leads", "qualified", "won"]) == [
        (2, 2, 1),
        (2, 2, 0),
    ]
    assert frame.loc["digital", "capex_estimated_eur"] == 0
    assert frame.loc["energy", "conversion"] == 0.0


def test_summary_with_filters(data) -> None:
    india = get_sector_summary(data, DashboardFilters(period=year_period(2025), countries=("IN",)))
    assert _records(india, ["sector_code", "leads", "qualified", "won", "jobs_announced"]) == [
        ("digital", 0, 0, 0, 0),
        ("health", 0, 0, 0, 0),
        ("energy", 3, 2, 1, 100),
        ("work_hr", 0, 0, 0, 0),
        ("tourism", 0, 0, 0, 0),
        ("port_airport", 0, 0, 0, 0),
        ("other", 0, 0, 0, 0),
    ]
    chosen = DashboardFilters(period=year_period(2025), sectors=("health", "digital"))
    frame = get_sector_summary(data, chosen)
    assert _records(frame, ["sector_code", "leads", "qualified", "won"]) == [
        ("digital", 2, 3, 2),
        ("health", 1, 0, 1),
    ]
    # Owner alice: S3 lead; S1, S3, S9, S10 qualified; S1, S8 won.
    alice = get_sector_summary(data, DashboardFilters(period=year_period(2025), owner="alice"))
    assert list(alice["leads"]) == [1, 1, 0, 0, 0, 1, 0]
    assert list(alice["qualified"]) == [2, 0, 0, 0, 1, 1, 0]
    assert list(alice["won"]) == [1, 1, 0, 0, 0, 0, 0]


def test_summary_of_an_empty_period(data) -> None:
    frame = get_sector_summary(data, DashboardFilters(period=year_period(2030)))
    assert list(frame["sector_code"]) == SECTORS
    assert int(frame[["leads", "qualified", "won", "jobs_announced"]].to_numpy().sum()) == 0
    assert list(frame["conversion"]) == [None] * 7


def test_list_sector_codes(data) -> None:
    assert list_sector_codes(data) == SECTORS
    assert list_sector_codes(data, ("other", "energy")) == ["energy", "other"]


# ---------------------------------------------------------------------------------------------
# Trend
# ---------------------------------------------------------------------------------------------


def test_trend_unit_switches_to_years_beyond_24_months() -> None:
    assert trend_unit(Period(date(2024, 1, 1), date(2025, 12, 31))) == "month"  # 24 months
    assert trend_unit(Period(date(2024, 1, 1), date(2026, 1, 1))) == "year"  # 25 months
    assert trend_unit(Period(date(2025, 3, 5), date(2025, 3, 5))) == "month"


def test_monthly_trend_2025(data) -> None:
    frame = get_sector_trend(data, Y2025)
    assert len(frame) == 12 * 7
    assert list(frame["bucket"][:8]) == [date(2025, 1, 1)] * 7 + [date(2025, 2, 1)]
    assert list(frame["sector_code"][:7]) == SECTORS
    nonzero = frame[(frame["leads"] > 0) | (frame["won"] > 0)]
    assert _records(nonzero, ["bucket", "sector_code", "leads", "won"]) == [
        (date(2025, 1, 1), "energy", 1, 1),  # S6 lead, S5 won
        (date(2025, 2, 1), "digital", 1, 0),  # S2
        (date(2025, 2, 1), "energy", 1, 0),  # S7
        (date(2025, 3, 1), "digital", 0, 1),  # S1 won
        (date(2025, 3, 1), "port_airport", 1, 0),  # S9
        (date(2025, 4, 1), "energy", 1, 0),  # S14
        (date(2025, 5, 1), "digital", 1, 0),  # S3
        (date(2025, 6, 1), "health", 1, 0),  # S8
        (date(2025, 8, 1), "other", 1, 1),  # S11 created as won
        (date(2025, 9, 1), "health", 0, 1),  # S8 won
        (date(2025, 12, 1), "digital", 0, 1),  # S2 won on 31 Dec
    ]


def test_yearly_trend_over_three_years(data) -> None:
    filters = DashboardFilters(period=Period(date(2023, 1, 1), date(2025, 12, 31)))
    frame = get_sector_trend(data, filters)
    assert len(frame) == 3 * 7
    nonzero = frame[(frame["leads"] > 0) | (frame["won"] > 0)]
    assert _records(nonzero, ["bucket", "sector_code", "leads", "won"]) == [
        (date(2023, 1, 1), "digital", 1, 0),  # S12
        (date(2024, 1, 1), "digital", 1, 1),  # S1 lead, S12 won on 31 Dec
        (date(2024, 1, 1), "energy", 1, 0),  # S5
        (date(2024, 1, 1), "tourism", 1, 0),  # S10 on 31 Dec
        (date(2025, 1, 1), "digital", 2, 2),
        (date(2025, 1, 1), "health", 1, 1),
        (date(2025, 1, 1), "energy", 3, 1),
        (date(2025, 1, 1), "port_airport", 1, 0),
        (date(2025, 1, 1), "other", 1, 1),
    ]


def test_trend_partial_months_and_filters(data) -> None:
    # 2 Jan - 31 Mar, digital and energy: S6's lead and S5's win on 1 Jan are outside.
    filters = DashboardFilters(
        period=Period(date(2025, 1, 2), date(2025, 3, 31)), sectors=("energy", "digital")
    )
    frame = get_sector_trend(data, filters)
    assert _records(frame, ["bucket", "sector_code", "leads", "won"]) == [
        (date(2025, 1, 1), "digital", 0, 0),
        (date(2025, 1, 1), "energy", 0, 0),
        (date(2025, 2, 1), "digital", 1, 0),
        (date(2025, 2, 1), "energy", 1, 0),
        (date(2025, 3, 1), "digital", 0, 1),
        (date(2025, 3, 1), "energy", 0, 0),
    ]


def test_trend_of_an_empty_period_is_all_zero(data) -> None:
    frame = get_sector_trend(data, DashboardFilters(period=year_period(2030)))
    assert len(frame) == 84
    assert int(frame["leads"].sum()) == int(frame["won"].sum()) == 0
    with pytest.raises(ValueError, match="unit"):
        get_sector_trend(data, Y2025, unit="week")


# ---------------------------------------------------------------------------------------------
# Sector x country matrix
# ---------------------------------------------------------------------------------------------


def test_matrix_of_leads_top_two(data) -> None:
    # Leads 2025 by origin: IN 3 (S6, S7, S14), AE 1, DE 1, FR 1, US 1, unknown 1 (S11).
    # Top 2: IN, then AE (ties broken by ISO code); DE, FR, US go to "others".
    frame = get_sector_country_matrix(data, Y2025, measure="leads", top=2)
    assert list(frame.columns) == ["sector_code", "IN", "AE", OTHERS, UNKNOWN]
    assert _records(frame, list(frame.columns)) == [
        ("digital", 0, 0, 2, 0),
        ("health", 0, 0, 1, 0),
        ("energy", 3, 0, 0, 0),
        ("work_hr", 0, 0, 0, 0),
        ("tourism", 0, 0, 0, 0),
        ("port_airport", 0, 1, 0, 0),
        ("other", 0, 0, 0, 1),
    ]


def test_matrix_of_projects_won(data) -> None:
    # Won 2025: S1 FR, S2 DE (digital), S5 IN (energy), S8 US (health), S11 unknown (other).
    frame = get_sector_country_matrix(data, Y2025, measure="won", top=8)
    assert list(frame.columns) == ["sector_code", "DE", "FR", "IN", "US", UNKNOWN]
    by_sector = frame.set_index("sector_code")
    assert list(by_sector.loc["digital"]) == [1, 1, 0, 0, 0]
    assert list(by_sector.loc["energy"]) == [0, 0, 1, 0, 0]
    assert list(by_sector.loc["health"]) == [0, 0, 0, 1, 0]
    assert list(by_sector.loc["other"]) == [0, 0, 0, 0, 1]
    assert int(by_sector.to_numpy().sum()) == 5


def test_matrix_with_a_country_filter_and_empty(data) -> None:
    india = DashboardFilters(period=year_period(2025), countries=("IN",), sectors=("energy",))
    frame = get_sector_country_matrix(data, india)
    assert _records(frame, list(frame.columns)) == [("energy", 3)]
    empty = get_sector_country_matrix(data, DashboardFilters(period=year_period(2030)))
    assert list(empty.columns) == ["sector_code"]
    assert list(empty["sector_code"]) == SECTORS
    with pytest.raises(ValueError, match="measure"):
        get_sector_country_matrix(data, Y2025, measure="jobs")


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------


def test_sector_targets_2025(data) -> None:
    frame = get_sector_targets(data, 2025)
    rows = [
        (code, kpi, target, None if pd_na(actual) else int(actual), progress)
        for code, kpi, target, actual, progress in frame.itertuples(index=False)
    ]
    assert rows == [
        ("digital", "projects_won", 4, 2, 0.5),  # S1, S2
        ("digital", "jobs_announced", 100, 80, 0.8),
        ("health", "meetings", 2, 2, 1.0),  # 3 Mar and 31 Dec 2025 with Cedar Health
        ("energy", "projects_won", 2, 1, 0.5),  # S5 on 1 Jan
        ("energy", "jobs_announced", 0, 100, None),  # a zero target has no progress
        ("tourism", "missions", 1, None, None),  # no sector actual for missions
    ]


def test_sector_targets_of_one_sector_and_of_a_year_without(data) -> None:
    frame = get_sector_targets(data, 2024, sectors=("digital",))
    # 2024: S12 won on 31 Dec 2024 against a target of 9.
    assert _records(frame, ["sector_code", "kpi", "target", "actual"]) == [
        ("digital", "projects_won", 9, 1)
    ]
    assert frame["progress"][0] == pytest.approx(1 / 9)
    assert get_sector_targets(data, 2025, sectors=("work_hr",)).empty
    assert get_sector_targets(data, 2030).empty


def test_empty_database_has_zero_rows_per_sector(session) -> None:
    frame = get_sector_summary(session, Y2025)
    assert list(frame["sector_code"]) == SECTORS
    assert int(frame["won"].sum()) == 0
    assert get_sector_targets(session, 2025).empty


def pd_na(value) -> bool:
    import pandas as pd

    return value is None or value is pd.NA
