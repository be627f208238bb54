"""The records behind the dashboards' charts (``list_kpi_records``' chart kinds), on the
hand-made pipeline data set of ``tests/fixtures_pipeline.py`` (its docstring lists every
project's history; the expected rows below are read from it by hand)."""

from __future__ import annotations

from datetime import date

import pytest

from core.filters import DashboardFilters
from core.kpis import list_kpi_records
from core.periods import Period, year_period
from tests.fixtures_pipeline import TODAY, build_pipeline_fixture

D = date.fromisoformat
Y2025 = year_period(2025)


@pytest.fixture
def data(session):
    build_pipeline_fixture(session)
    return session


def _codes(session, kind: str, period: Period = Y2025, **kwargs) -> tuple[list[str], int]:
    filters = kwargs.pop("filters", DashboardFilters(period=period))
    frame, total = list_kpi_records(session, kind, period, today=TODAY, filters=filters, **kwargs)
    return [name.removeprefix("Pipe ") for name in frame["code_name"]], total


def test_leads_of_2025(data) -> None:
    # lead_on in 2025, newest first: Q8 31 Dec, Q6 10 Oct (created as won: its lead date is
    # its first stage's), Q7 1 Jun, Q5 1 Apr, Q4 1 Mar, Q2 1 Feb, Q1 10 Jan.
    codes, total = _codes(data, "leads")
    assert codes == ["Q8", "Q6", "Q7", "Q5", "Q4", "Q2", "Q1"]
    assert total == 7


def test_qualified_in_2025_counts_a_project_once(data) -> None:
    # Moved to Qualified in 2025: Q1 (9 Feb), Q2 (3 Mar), Q3 (31 Jan), Q5 (1 May and 1 Aug:
    # one row). Newest id first.
    codes, total = _codes(data, "qualified")
    assert codes == ["Q5", "Q3", "Q2", "Q1"]
    assert total == 4


def test_lost_in_2025_and_by_reason(data) -> None:
    # Lost in 2025, newest decision first: Q7 31 Dec (site), Q2 1 Jul (cost), Q12 15 Feb (cost).
    assert _codes(data, "lost") == (["Q7", "Q2", "Q12"], 3)
    assert _codes(data, "lost", lost_reason="cost") == (["Q2", "Q12"], 2)
    frame, _ = list_kpi_records(data, "lost", Y2025, lost_reason="site")
    assert list(frame["lost_to_location"]) == ["Barcelona"]


def test_projects_at_a_stage_at_the_end_of_2025(data) -> None:
    # Qualified on 31 Dec 2025: Q5 (200 jobs; Active only in 2026) and Q3 (40 jobs).
    assert _codes(data, "at_stage", stage="qualified") == (["Q5", "Q3"], 2)
    # Won at the end of 2025 and decided in 2025: Q1 (10 jobs) and Q6 (5 jobs, Landed in 2026).
    assert _codes(data, "at_stage", stage="won") == (["Q1", "Q6"], 2)
    # Lead on 31 Dec 2025: only Q8 (Q9 became a lead in 2026).
    assert _codes(data, "at_stage", stage="lead") == (["Q8"], 1)


def test_stays_behind_the_median_of_qualified(data) -> None:
    # Qualified stays ended in 2025: Q2 120 days, Q1 60, Q5 31 (median 60, as the page says).
    frame, total = list_kpi_records(data, "stays", Y2025, stage="qualified")
    assert list(zip(frame["code_name"], frame["days"], strict=True)) == [
        ("Pipe Q2", 120),
        ("Pipe Q1", 60),
        ("Pipe Q5", 31),
    ]
    assert total == 3
    assert list(frame["left_on"]) == [D("2025-07-01"), D("2025-04-10"), D("2025-06-01")]


def test_chart_records_with_filters_and_an_empty_period(data) -> None:
    energy = DashboardFilters(period=Y2025, sectors=("energy",))
    # Energy leads of 2025: Q8 and Q2 (Q3 and Q11 became leads in 2024).
    assert _codes(data, "leads", filters=energy) == (["Q8", "Q2"], 2)
    owner = DashboardFilters(period=Y2025, owner="alice")
    assert _codes(data, "lost", filters=owner) == (["Q12"], 1)
    assert _codes(data, "leads", period=year_period(2019)) == ([], 0)
    # Boundary: a project lost on the last day of the period counts; the day after, not.
    assert _codes(data, "lost", period=Period(D("2025-12-01"), D("2025-12-31"))) == (["Q7"], 1)
    assert _codes(data, "lost", period=Period(D("2026-01-01"), D("2026-01-31"))) == ([], 0)


def test_stage_kinds_need_a_stage(data) -> None:
    with pytest.raises(ValueError, match="need a stage"):
        list_kpi_records(data, "at_stage", Y2025)
    with pytest.raises(ValueError, match="need a stage"):
        list_kpi_records(data, "stays", Y2025)
