"""Mission figures against the hand-made data set of ``tests/fixtures_missions.py``.

Every expected value is worked out by hand in that module's docstring (TODAY = 2025-06-15).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from core.filters import DashboardFilters
from core.missions import (
    FIGURES,
    get_mission_comparison,
    get_mission_detail,
    get_mission_figures,
    list_missions,
)
from core.periods import Period, year_period
from tests.fixtures_missions import TODAY, build_mission_fixture, chamber_ids
from tests.writers import writer

D = date.fromisoformat
BOTH_YEARS = Period(D("2024-01-01"), D("2025-12-31"))


@pytest.fixture
def ids(session):
    return build_mission_fixture(session)


def figures_by_name(session, filters: DashboardFilters, today: date = TODAY) -> dict:
    frame = get_mission_figures(session, filters, today=today)
    return {row["name"]: row for row in frame.to_dict("records")}


def counts(row: dict) -> tuple[int, ...]:
    return tuple(int(row[name]) for name in FIGURES)


# --------------------------------------------------------------------------------------------
# The list of missions
# --------------------------------------------------------------------------------------------


def test_list_of_2025_with_status_on_today(session, ids):
    frame = list_missions(session, DashboardFilters(year_period(2025)), today=TODAY)
    assert frame["name"].tolist() == [
        "India mission 2025",
        "Delegation in Provence",
        "CIIE Shanghai 2025",
    ]
    assert frame["status"].tolist() == ["past", "ongoing", "coming"]
    assert frame["kind"].tolist() == ["outbound", "inbound", "trade_fair"]
    first = frame.iloc[0]
    assert (first["city"], first["country_iso2"]) == ("Mumbai", "IN")
    assert first["chamber_name"] == "Indo-French Chamber of Commerce and Industry"
    assert int(first["budget_eur"]) == 60_000
    assert first["starts_on"] == D("2025-02-03") and first["ends_on"] == D("2025-02-07")
    # The delegation has neither chamber nor budget.
    assert pd.isna(frame.iloc[1]["chamber_name"])
    assert pd.isna(frame.iloc[1]["budget_eur"])


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # A mission belongs to the period it starts in (core.measures.mission_in), once.
        # GITEX runs 2024-10-14..18: a period ending on its first day holds it; one starting
        # the day after its start does not, even while GITEX is still running.
        ("2024-01-01", "2024-10-14", ["GITEX Dubai 2024"]),
        ("2024-10-14", "2024-10-14", ["GITEX Dubai 2024"]),
        ("2024-10-15", "2024-12-31", []),
        ("2024-10-18", "2024-12-31", []),
        ("2024-10-19", "2025-02-02", []),
        ("2024-10-19", "2025-02-03", ["India mission 2025"]),
        # CIIE 2023 started on 2023-11-05 and ended on the 10th: not in a period from the 10th.
        ("2023-11-10", "2024-10-13", []),
        ("2023-11-05", "2024-10-13", ["CIIE Shanghai 2023"]),
    ],
)
def test_period_selects_missions_by_start_date(session, ids, start, end, expected):
    filters = DashboardFilters(Period(D(start), D(end)))
    assert list_missions(session, filters, today=TODAY)["name"].tolist() == expected


@pytest.mark.parametrize(
    ("today", "status"),
    [
        ("2025-06-09", "coming"),
        ("2025-06-10", "ongoing"),
        ("2025-06-20", "ongoing"),
        ("2025-06-21", "past"),
    ],
)
def test_status_boundaries(session, ids, today, status):
    filters = DashboardFilters(year_period(2025), mission_id=ids["M3"])
    frame = list_missions(session, filters, today=D(today))
    assert frame["status"].tolist() == [status]


# --------------------------------------------------------------------------------------------
# Figures per mission
# --------------------------------------------------------------------------------------------


def test_figures_without_filters(session, ids):
    rows = figures_by_name(session, DashboardFilters(BOTH_YEARS))
    assert list(rows) == [
        "GITEX Dubai 2024",
        "India mission 2025",
        "Delegation in Provence",
        "CIIE Shanghai 2025",
    ]
    # orgs, meetings, leads, won, jobs, follow-ups done, overdue
    assert counts(rows["GITEX Dubai 2024"]) == (4, 4, 3, 2, 160, 1, 1)
    assert counts(rows["India mission 2025"]) == (2, 3, 2, 1, 25, 1, 1)
    assert counts(rows["Delegation in Provence"]) == (1, 2, 0, 0, 0, 0, 0)
    assert counts(rows["CIIE Shanghai 2025"]) == (0, 0, 0, 0, 0, 0, 0)
    assert rows["GITEX Dubai 2024"]["cost_per_lead_eur"] == pytest.approx(100_000 / 3)
    assert rows["India mission 2025"]["cost_per_lead_eur"] == 30_000
    # No budget; a budget but no lead: no cost per lead either way.
    assert pd.isna(rows["Delegation in Provence"]["cost_per_lead_eur"])
    assert pd.isna(rows["CIIE Shanghai 2025"]["cost_per_lead_eur"])


def test_won_counts_whatever_the_decision_date(session, ids):
    # CIIE 2023 alone: P7 was won in 2024, after the mission's period of 2023.
    rows = figures_by_name(session, DashboardFilters(year_period(2023)))
    assert list(rows) == ["CIIE Shanghai 2023"]
    assert counts(rows["CIIE Shanghai 2023"]) == (1, 1, 1, 1, 20, 0, 0)
    assert rows["CIIE Shanghai 2023"]["cost_per_lead_eur"] == 80_000


def test_overdue_depends_on_today(session, ids):
    # On 2025-06-16, I7 (due 2025-06-15) is overdue too; on 2024-11-15 nothing of M1 is yet.
    later = figures_by_name(session, DashboardFilters(BOTH_YEARS), today=D("2025-06-16"))
    assert int(later["India mission 2025"]["follow_ups_overdue"]) == 2
    earlier = figures_by_name(session, DashboardFilters(BOTH_YEARS), today=D("2024-11-15"))
    assert int(earlier["GITEX Dubai 2024"]["follow_ups_overdue"]) == 0


def test_sector_filter_counts_inside_missions(session, ids):
    rows = figures_by_name(session, DashboardFilters(BOTH_YEARS, sectors=("energy",)))
    assert len(rows) == 4  # the filter narrows figures, not the list of missions
    # M1: only I3 (B); links C and E are not energy; P3 won with 60 jobs.
    assert counts(rows["GITEX Dubai 2024"]) == (1, 1, 1, 1, 60, 0, 0)
    assert rows["GITEX Dubai 2024"]["cost_per_lead_eur"] == 100_000
    # M2: I5 (B, done), B met and linked counted once; P5.
    assert counts(rows["India mission 2025"]) == (1, 1, 1, 1, 25, 1, 0)
    # M3: Alpha is digital and I9 has no organisation.
    assert counts(rows["Delegation in Provence"]) == (0, 0, 0, 0, 0, 0, 0)


def test_country_filter_uses_control_else_hq(session, ids):
    rows = figures_by_name(session, DashboardFilters(BOTH_YEARS, countries=("AE",)))
    # M1: C (control AE) in I1 and I4, D (HQ AE) in I2; link C; P1 (won, 100) and P2.
    assert counts(rows["GITEX Dubai 2024"]) == (2, 3, 2, 1, 100, 1, 1)
    assert rows["GITEX Dubai 2024"]["cost_per_lead_eur"] == 50_000
    assert counts(rows["India mission 2025"]) == (0, 0, 0, 0, 0, 0, 0)
    assert pd.isna(rows["India mission 2025"]["cost_per_lead_eur"])


def test_region_filter(session, ids):
    filters = DashboardFilters(BOTH_YEARS, regions=("south_asia",))
    rows = figures_by_name(session, filters)
    # M1: B in I3 and link E; P3. M2: everything is Indian.
    assert counts(rows["GITEX Dubai 2024"]) == (2, 1, 1, 1, 60, 0, 0)
    assert counts(rows["India mission 2025"]) == (2, 3, 2, 1, 25, 1, 1)


def test_owner_filter_drops_links(session, ids):
    rows = figures_by_name(session, DashboardFilters(BOTH_YEARS, owner="bob"))
    # M1: I3 (B) only, links not counted; no project of bob's.
    assert counts(rows["GITEX Dubai 2024"]) == (1, 1, 0, 0, 0, 0, 0)
    # M2: I6 (E, overdue); P5 won by bob's lead.
    assert counts(rows["India mission 2025"]) == (1, 1, 1, 1, 25, 0, 1)


def test_chamber_filter_selects_missions_not_leads(session, ids):
    chamber = chamber_ids(session)["IN"]
    rows = figures_by_name(session, DashboardFilters(BOTH_YEARS, chamber_id=chamber))
    assert list(rows) == ["India mission 2025"]
    # The mission's leads have no source chamber of their own: still counted.
    assert counts(rows["India mission 2025"]) == (2, 3, 2, 1, 25, 1, 1)


def test_mission_filter(session, ids):
    rows = figures_by_name(session, DashboardFilters(BOTH_YEARS, mission_id=ids["M3"]))
    assert list(rows) == ["Delegation in Provence"]
    # Outside the period, the mission filter finds nothing.
    filters = DashboardFilters(year_period(2024), mission_id=ids["M3"])
    assert get_mission_figures(session, filters, today=TODAY).empty


def test_empty_period(session, ids):
    empty_period = DashboardFilters(year_period(2026))
    frame = get_mission_figures(session, empty_period, today=TODAY)
    assert frame.empty and "cost_per_lead_eur" in frame.columns
    assert list_missions(session, empty_period, today=TODAY).empty
    assert get_mission_comparison(session, empty_period, today=TODAY).empty


def test_empty_database(engine):
    with writer(engine) as blank:
        filters = DashboardFilters(BOTH_YEARS)
        assert get_mission_figures(blank, filters, today=TODAY).empty
        assert list_missions(blank, filters, today=TODAY).empty
        assert get_mission_comparison(blank, filters, today=TODAY).empty
        assert get_mission_detail(blank, 1, filters, today=TODAY) is None


def test_comparison_leaves_out_coming_missions(session, ids):
    frame = get_mission_comparison(session, DashboardFilters(BOTH_YEARS), today=TODAY)
    assert frame["name"].tolist() == [
        "GITEX Dubai 2024",
        "India mission 2025",
        "Delegation in Provence",
    ]
    assert frame["leads"].tolist() == [3, 2, 0]
    assert frame["projects_won"].tolist() == [2, 1, 0]
    assert list(frame.columns) == [
        "id",
        "name",
        "kind",
        "starts_on",
        "leads",
        "projects_won",
        "cost_per_lead_eur",
    ]


# --------------------------------------------------------------------------------------------
# One mission in detail
# --------------------------------------------------------------------------------------------


def test_detail_of_gitex(session, ids):
    detail = get_mission_detail(session, ids["M1"], DashboardFilters(BOTH_YEARS), today=TODAY)
    assert detail is not None
    assert detail.mission["name"] == "GITEX Dubai 2024"
    assert detail.mission["status"] == "past"
    assert int(detail.mission["leads"]) == 3
    orgs = detail.organisations
    assert orgs["name"].tolist() == [
        "Gulf Ports LLC",
        "Bharat Energy Ltd",
        "Dubai Cloud FZ",
        "Mumbai Pharma",
    ]
    assert orgs["meetings"].tolist() == [2, 1, 1, 0]
    assert orgs["origin_country_iso2"].tolist() == ["AE", "IN", "AE", "IN"]
    assert orgs["sector_code"].tolist() == ["port_airport", "energy", "digital", "health"]
    meetings = detail.meetings
    assert meetings["id"].tolist() == [ids["I1"], ids["I2"], ids["I3"], ids["I4"]]
    assert meetings["overdue"].tolist() == [False, True, False, False]
    assert meetings["next_step_done"].tolist() == [True, False, False, False]
    assert detail.overdue["organisation_name"].tolist() == ["Dubai Cloud FZ"]
    assert detail.leads["code_name"].tolist() == ["Gulf Terminal", "Bharat Grid", "Dubai Edge"]
    assert detail.leads["stage"].tolist() == ["won", "landed", "qualified"]


def test_detail_ignores_the_period_but_keeps_inner_filters(session, ids):
    filters = DashboardFilters(year_period(2026), sectors=("energy",))
    detail = get_mission_detail(session, ids["M1"], filters, today=TODAY)
    assert detail is not None
    assert int(detail.mission["organisations_met"]) == 1
    assert detail.organisations["name"].tolist() == ["Bharat Energy Ltd"]
    assert detail.meetings["id"].tolist() == [ids["I3"]]
    assert detail.overdue.empty
    assert detail.leads["code_name"].tolist() == ["Bharat Grid"]


def test_detail_of_a_mission_without_records(session, ids):
    detail = get_mission_detail(session, ids["M4"], DashboardFilters(BOTH_YEARS), today=TODAY)
    assert detail is not None
    assert detail.mission["status"] == "coming"
    assert detail.organisations.empty and detail.meetings.empty and detail.leads.empty
    assert detail.overdue.empty


def test_detail_of_an_unknown_mission(session, ids):
    assert get_mission_detail(session, 999_999, DashboardFilters(BOTH_YEARS), today=TODAY) is None
