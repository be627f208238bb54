"""Pipeline figures against the hand-made data set of ``tests/fixtures_pipeline.py``.

Expected values are worked out by hand from the tables in that module's docstring; "today" is
2026-06-30, so a 2025 period reads the stage history and a period ending on 2026-06-30 reads
the current stages.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from core.filters import DashboardFilters
from core.periods import Period, year_period
from core.pipeline import (
    as_of_day,
    get_lost_locations,
    get_lost_reasons,
    get_stage_conversion,
    get_stage_funnel,
    get_time_in_stage,
    get_won_lost_by_month,
    list_open_projects,
    list_stale_projects,
)
from tests.fixtures_pipeline import TODAY, build_pipeline_fixture

D = date.fromisoformat
Y2025 = DashboardFilters(period=year_period(2025))
H1_2025 = DashboardFilters(period=Period(D("2025-01-01"), D("2025-06-30")))
NOW = DashboardFilters(period=Period(D("2026-01-01"), TODAY))
ENERGY = DashboardFilters(period=year_period(2025), sectors=("energy",))
EMPTY_PERIOD = DashboardFilters(period=year_period(2019))


@pytest.fixture
def data(session):
    ids = build_pipeline_fixture(session)
    return session, ids


def _records(frame, columns=None):
    """Rows as tuples, missing values (None, NaN, NA) as None."""
    frame = frame if columns is None else frame[columns]
    return [
        tuple(None if v is None or (not isinstance(v, str) and pd.isna(v)) else v for v in row)
        for row in frame.itertuples(index=False)
    ]


# ---------------------------------------------------------------------------------------------
# Funnel
# ---------------------------------------------------------------------------------------------


def test_funnel_at_the_end_of_2025_from_history(data) -> None:
    session, _ = data
    assert _records(get_stage_funnel(session, Y2025, today=TODAY)) == [
        ("target", 1, 8, 0, 0),  # Q10
        ("lead", 1, 15, 3_000_000, 0),  # Q8 entered Lead on 31 Dec (boundary)
        ("qualified", 2, 240, 8_000_000, 100_000_000),  # Q3, Q5 (Active only in 2026)
        ("active", 1, 20, 0, 0),  # Q4
        ("site_visit", 0, 0, 0, 0),
        ("negotiation", 0, 0, 0, 0),
        ("won", 2, 15, 3_000_000, 0),  # Q1, Q6 (Landed only in 2026)
        ("landed", 0, 0, 0, 0),  # Q11 landed in 2025 but was decided in 2024
        ("on_hold", 0, 0, 0, 0),
    ]


def test_funnel_mid_2025_has_a_project_on_hold(data) -> None:
    session, _ = data
    assert _records(get_stage_funnel(session, H1_2025, today=TODAY)) == [
        ("target", 1, 8, 0, 0),
        ("lead", 1, 30, 0, 0),  # Q7
        ("qualified", 2, 140, 8_000_000, 50_000_000),  # Q2 (lost in July), Q3
        ("active", 1, 20, 0, 0),
        ("site_visit", 0, 0, 0, 0),
        ("negotiation", 1, 10, 1_000_000, 0),  # Q1
        ("won", 0, 0, 0, 0),
        ("landed", 0, 0, 0, 0),
        ("on_hold", 1, 200, 0, 100_000_000),  # Q5
    ]


def test_funnel_of_a_period_ending_today_reads_current_stages(data) -> None:
    session, _ = data
    assert _records(get_stage_funnel(session, NOW, today=TODAY)) == [
        ("target", 1, 8, 0, 0),
        ("lead", 2, 65, 3_000_000, 0),  # Q8, Q9
        ("qualified", 1, 40, 8_000_000, 0),  # Q3
        ("active", 2, 220, 0, 100_000_000),  # Q4, Q5
        ("site_visit", 0, 0, 0, 0),
        ("negotiation", 0, 0, 0, 0),
        ("won", 0, 0, 0, 0),  # Q1 decided in 2025
        ("landed", 0, 0, 0, 0),  # Q6 decided in 2025, Q11 in 2024
        ("on_hold", 0, 0, 0, 0),
    ]


def test_funnel_with_a_sector_filter(data) -> None:
    session, _ = data
    frame = get_stage_funnel(session, ENERGY, today=TODAY)
    assert [r for r in _records(frame) if r[1]] == [
        ("lead", 1, 15, 3_000_000, 0),  # Q8
        ("qualified", 1, 40, 8_000_000, 0),  # Q3
    ]


def test_funnel_on_an_empty_database(session) -> None:
    frame = get_stage_funnel(session, Y2025, today=TODAY)
    assert len(frame) == 9
    assert frame[["projects", "jobs_announced"]].to_numpy().sum() == 0


# ---------------------------------------------------------------------------------------------
# Conversion
# ---------------------------------------------------------------------------------------------


def test_conversion_of_the_2025_cohort(data) -> None:
    session, _ = data
    # Cohort: Q1, Q2, Q4, Q5, Q6, Q7, Q8 (lead date in 2025). Furthest stage: Q1 won, Q2
    # qualified, Q4 active (skipped Qualified), Q5 active (in 2026), Q6 landed, Q7 and Q8 lead.
    assert _records(get_stage_conversion(session, Y2025)) == [
        ("lead", "qualified", 7, 5, 5 / 7),
        ("qualified", "active", 5, 4, 4 / 5),
        ("active", "site_visit", 4, 2, 2 / 4),
        ("site_visit", "negotiation", 2, 2, 1.0),
        ("negotiation", "won", 2, 2, 1.0),
        ("won", "landed", 2, 1, 1 / 2),
    ]


def test_conversion_with_an_owner_filter(data) -> None:
    session, _ = data
    alice = DashboardFilters(period=year_period(2025), owner="alice")  # Q1, Q4, Q5, Q6
    frame = get_stage_conversion(session, alice)
    assert _records(frame, ["reached_from", "reached_to"]) == [
        (4, 4), (4, 4), (4, 2), (2, 2), (2, 2), (2, 1)
    ]  # fmt: skip


def test_conversion_of_an_empty_cohort(data) -> None:
    session, _ = data
    frame = get_stage_conversion(session, EMPTY_PERIOD)
    assert _records(frame, ["reached_from", "reached_to"]) == [(0, 0)] * 6
    assert list(frame["conversion"]) == [None] * 6


# ---------------------------------------------------------------------------------------------
# Time in stage
# ---------------------------------------------------------------------------------------------


def test_median_days_in_stage_2025(data) -> None:
    session, _ = data
    # Lead stays ended in 2025: Q4 10, Q1 30, Q2 30, Q5 30, Q12 62, Q3 91 (ended 31 Jan),
    # Q7 213 (ended 31 Dec) -> median 30. Qualified: Q5 31, Q1 60, Q2 120 (Q5's second stay
    # ends in 2026) -> 60. Active Q1 30, site visit Q1 30, negotiation Q1 90, on hold Q5 61.
    assert _records(get_time_in_stage(session, Y2025)) == [
        ("target", 0, None),
        ("lead", 7, 30.0),
        ("qualified", 3, 60.0),
        ("active", 1, 30.0),
        ("site_visit", 1, 30.0),
        ("negotiation", 1, 90.0),
        ("on_hold", 1, 61.0),
    ]


def test_median_of_an_even_number_of_stays(data) -> None:
    session, _ = data
    # Energy lead stays ended in 2025: Q2 30, Q3 91 -> (30 + 91) / 2.
    frame = get_time_in_stage(session, ENERGY)
    assert [r for r in _records(frame) if r[1]] == [("lead", 2, 60.5), ("qualified", 1, 120.0)]


def test_time_in_stage_of_an_empty_period(data) -> None:
    session, _ = data
    frame = get_time_in_stage(session, EMPTY_PERIOD)
    assert list(frame["stays"]) == [0] * 7
    assert list(frame["median_days"]) == [None] * 7


# ---------------------------------------------------------------------------------------------
# Open and stale projects
# ---------------------------------------------------------------------------------------------


def test_as_of_day() -> None:
    assert as_of_day(year_period(2025), TODAY) == D("2025-12-31")
    assert as_of_day(year_period(2026), TODAY) == TODAY


def test_open_projects_at_the_end_of_2025(data) -> None:
    session, ids = data
    frame, total = list_open_projects(session, Y2025, today=TODAY)
    assert total == 4
    columns = ["code_name", "organisation", "stage", "days_in_stage", "last_interaction_on"]
    assert _records(frame, columns) == [
        ("Pipe Q4", None, "active", 295, None),  # confidential: no organisation
        ("Pipe Q3", "Bharat Power", "qualified", 334, D("2025-03-03")),
        ("Pipe Q5", "Dune Ports", "qualified", 152, D("2025-11-20")),  # org meeting counts
        ("Pipe Q8", "Bharat Power", "lead", 0, D("2025-03-03")),
    ]
    assert frame["organisation_id"].tolist()[1:] == [ids["B"], ids["D"], ids["B"]]
    assert frame["organisation_id"].isna().tolist() == [True, False, False, False]
    assert frame["project_id"].tolist() == [ids["Q4"], ids["Q3"], ids["Q5"], ids["Q8"]]


def test_open_projects_limit_keeps_the_total(data) -> None:
    session, _ = data
    frame, total = list_open_projects(session, NOW, today=TODAY, limit=2)
    assert total == 5  # Q3, Q4, Q5, Q8, Q9
    assert frame["code_name"].tolist() == ["Pipe Q4", "Pipe Q5"]  # active: 476 and 166 days


def test_stale_projects_at_the_end_of_2025(data) -> None:
    session, _ = data
    # Days since contact on 31 Dec 2025: Q4 305 (lead 1 Mar, never met), Q3 303 (3 Mar),
    # Q5 41 (organisation met 20 Nov), Q8 0 (became a lead on 31 Dec).
    frame, total = list_stale_projects(session, Y2025, days=90, today=TODAY)
    assert total == 2
    assert _records(frame, ["code_name", "organisation", "days_since_contact"]) == [
        ("Pipe Q4", None, 305),
        ("Pipe Q3", "Bharat Power", 303),
    ]
    assert list_stale_projects(session, Y2025, days=303, today=TODAY)[1] == 2  # boundary
    assert list_stale_projects(session, Y2025, days=304, today=TODAY)[1] == 1
    assert list_stale_projects(session, Y2025, days=0, today=TODAY)[1] == 4


def test_stale_projects_today(data) -> None:
    session, _ = data
    frame, total = list_stale_projects(session, NOW, days=90, today=TODAY)
    # Q4 486 days; Q5 222 (20 Nov 2025); Q9 180 (lead on 1 Jan 2026, later than the
    # organisation's meeting); Q3 and Q8 149 (meeting with Bharat on 1 Feb 2026), by name.
    assert total == 5
    assert _records(frame, ["code_name", "days_since_contact"]) == [
        ("Pipe Q4", 486),
        ("Pipe Q5", 222),
        ("Pipe Q9", 180),
        ("Pipe Q3", 149),
        ("Pipe Q8", 149),
    ]


def test_stale_projects_with_filters_and_errors(data) -> None:
    session, _ = data
    frame, total = list_stale_projects(session, ENERGY, days=90, today=TODAY)
    assert (total, frame["code_name"].tolist()) == (1, ["Pipe Q3"])
    assert list_stale_projects(session, EMPTY_PERIOD, days=0, today=TODAY)[1] == 0
    with pytest.raises(ValueError):
        list_stale_projects(session, Y2025, days=-1, today=TODAY)


# ---------------------------------------------------------------------------------------------
# Won and lost
# ---------------------------------------------------------------------------------------------


def test_won_and_lost_per_month_2025(data) -> None:
    session, _ = data
    frame = get_won_lost_by_month(session, Y2025)
    assert len(frame) == 12
    assert [(m.month, w, lo) for m, w, lo in _records(frame) if w or lo] == [
        (2, 0, 1),  # Q12
        (7, 0, 1),  # Q2
        (9, 1, 0),  # Q1
        (10, 1, 0),  # Q6, now Landed
        (12, 0, 1),  # Q7 on the last day
    ]
    health = DashboardFilters(period=year_period(2025), sectors=("health",))
    assert get_won_lost_by_month(session, health)[["won", "lost"]].sum().tolist() == [0, 2]


def test_lost_reasons_and_locations_2025(data) -> None:
    session, _ = data
    assert _records(get_lost_reasons(session, Y2025)) == [("cost", 2, 112), ("site", 1, 30)]
    assert _records(get_lost_locations(session, Y2025)) == [
        ("Rotterdam", 2, 112),
        ("Barcelona", 1, 30),
    ]
    first_half = get_lost_reasons(session, H1_2025)
    assert _records(first_half) == [("cost", 1, 12)]  # Q12; Q2 lost on 1 July


def test_decisions_of_an_empty_period(data) -> None:
    session, _ = data
    assert get_won_lost_by_month(session, EMPTY_PERIOD)[["won", "lost"]].sum().tolist() == [0, 0]
    assert get_lost_reasons(session, EMPTY_PERIOD).empty
    assert get_lost_locations(session, EMPTY_PERIOD).empty
