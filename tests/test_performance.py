"""The catalogue's further figures against the hand-made fixture (``tests/fixtures.py``) and the
cases of ``tests/fixtures_performance.py``: every expected value is worked out by hand in those
modules' docstrings (home country FR)."""

from __future__ import annotations

from datetime import date

import pytest

from core.filters import DashboardFilters
from core.kpis import RECORD_KPIS, list_kpi_records
from core.performance import PerformanceKpis, get_performance_kpis, list_performance_records
from core.periods import year_period
from tests.fixtures import build_fixture
from tests.fixtures_performance import add_performance_cases

D = date.fromisoformat


@pytest.fixture
def ids(session):
    return add_performance_cases(session, build_fixture(session))


EXPECTED = {
    # 2023: P1 won (FR), 278 days; 5 organisations met (O1, O2, O3, O7, O4) per 1 win; M6 is
    # an inbound delegation starting on 2023-12-28; missions M3 and M6.
    2023: PerformanceKpis(278.0, 1, 1, 1, 0, 0, 5, 1, 2),
    # 2024: P2 (IN), P4 (US), P5 (FR), Q2 (CN): 60, 95, 410, 487 -> (95 + 410) / 2; 5
    # organisations met (O4, O5, O2, O3, O7); no delegation starts in 2024 (M6 started in
    # 2023); missions M1 and M4 (which ends in 2025).
    2024: PerformanceKpis(252.5, 4, 4, 1, 3, 0, 5, 0, 2),
    # 2025: P3 (IN), P8 (FR), P12 (US), P13 (unknown, created won: not measured), Q1 (FR),
    # Q3 (FR): 148, 166, 182, 335, 486 -> 182; 4 organisations met (O2, O1, O3, O9; I20 has
    # none); delegations M2 and M5 (which ends in 2026).
    2025: PerformanceKpis(182.0, 5, 6, 3, 2, 1, 4, 2, 2),
    # 2026: nothing yet (M5 started in 2025).
    2026: PerformanceKpis(None, 0, 0, 0, 0, 0, 0, 0, 0),
}


@pytest.mark.parametrize("year", list(EXPECTED))
def test_performance_kpis_by_year(session, ids, year):
    assert get_performance_kpis(session, year_period(year)) == EXPECTED[year]


def test_organisations_met_per_project_won(session, ids):
    ratios = {
        year: get_performance_kpis(session, year_period(year)).organisations_met_per_win
        for year in EXPECTED
    }
    assert ratios == {2023: 5.0, 2024: 1.25, 2025: 4 / 6, 2026: None}


def test_the_fixture_alone_has_odd_counts(session):
    build_fixture(session)
    # 2024: 95, 410, 487 -> 410; 2025: 166, 335, 486 -> 335 (P13 created won: left out).
    figures = [get_performance_kpis(session, year_period(y)) for y in (2024, 2025)]
    assert [(f.time_to_decision_days, f.time_to_decision_projects) for f in figures] == [
        (410.0, 3),
        (335.0, 3),
    ]
    # One inbound delegation (M2, 2025); organisations met per win: 5 / 3 and 4 / 4.
    assert [f.delegations_received for f in figures] == [0, 1]
    assert [f.organisations_met_per_win for f in figures] == [5 / 3, 1.0]


def test_filters_narrow_projects_and_meetings_but_not_missions(session, ids):
    energy = DashboardFilters(period=year_period(2025), sectors=("energy",))
    # P3 335 and P12 486 -> 410.5; P3 (IN) and P12 (US) are foreign; O2 and O3 met; the
    # missions are counted whatever the sector (as on the Missions page).
    assert get_performance_kpis(session, year_period(2025), filters=energy) == PerformanceKpis(
        410.5, 2, 2, 0, 2, 0, 2, 2, 2
    )
    one = DashboardFilters(period=year_period(2025), mission_id=ids["M5"])
    figures = get_performance_kpis(session, year_period(2025), filters=one)
    assert (figures.delegations_received, figures.missions_held) == (1, 1)


def test_home_country_decides_the_split(session, ids):
    # Home IN in 2025: P3 is home; P8, P12, Q1, Q3 foreign; P13 still unknown.
    figures = get_performance_kpis(session, year_period(2025), home_country="IN")
    assert (
        figures.projects_won_home,
        figures.projects_won_foreign,
        figures.projects_won_unknown_origin,
    ) == (1, 4, 1)


def test_records_behind_time_to_decision(session, ids):
    assert {"time_to_decision", "delegations_received", "missions_held"} <= set(RECORD_KPIS)
    frame, total = list_kpi_records(session, "time_to_decision", year_period(2025))
    assert total == 5
    assert list(frame.columns) == [
        "id",
        "code_name",
        "organisation_id",
        "organisation_name",
        "sector_code",
        "origin_country_iso2",
        "foreign",
        "stage",
        "entered_pipeline_on",
        "decided_on",
        "days",
    ]
    rows = frame[["code_name", "entered_pipeline_on", "decided_on", "days", "stage"]]
    assert rows.values.tolist() == [
        ["Kraftwerk South", D("2024-06-01"), D("2025-09-30"), 486, "won"],
        ["Delhi Grid", D("2024-02-01"), D("2025-01-01"), 335, "won"],
        ["Calanque Labs", D("2024-09-02"), D("2025-03-03"), 182, "won"],
        ["Azur Edge", D("2025-01-15"), D("2025-06-30"), 166, "won"],
        ["Estaque Foods", D("2025-02-03"), D("2025-07-01"), 148, "landed"],
    ]
    limited, total = list_kpi_records(session, "time_to_decision", year_period(2025), limit=2)
    assert (len(limited), total) == (2, 5)


def test_records_behind_the_missions(session, ids):
    frame, total = list_kpi_records(session, "delegations_received", year_period(2025))
    assert total == 2
    assert frame[["name", "kind", "starts_on", "ends_on"]].values.tolist() == [
        ["Japanese delegation", "inbound", D("2025-12-29"), D("2026-01-02")],
        ["Indian delegation in Provence", "inbound", D("2025-06-10"), D("2025-06-12")],
    ]
    frame, total = list_kpi_records(session, "missions_held", year_period(2024))
    assert total == 2
    assert frame["name"].tolist() == ["Rhine year-end mission", "GITEX Dubai 2024"]
    frame, total = list_kpi_records(session, "delegations_received", year_period(2024))
    assert (frame.empty, total) == (True, 0)


def test_records_of_a_confidential_project_are_masked(session, ids):
    from core import records
    from core.confidentiality import Masking
    from models import ProjectCreate, Stage

    data = ProjectCreate(
        code_name="Projet Onyx", organisation_id=ids["O1"], sector_code="digital",
        stage=Stage.LEAD, stage_on=D("2025-01-10"), confidential=True,
    )  # fmt: skip
    project = records.create_project(session=session, data=data, author="fixture")
    records.change_stage(
        session=session, project_id=project.id, to_stage=Stage.WON, on=D("2025-02-09"),
        author="fixture",
    )  # fmt: skip
    masking = Masking(project="Confidentiel", company="Entreprise confidentielle")
    frame, total = list_performance_records(
        session, "time_to_decision", year_period(2025), masking=masking
    )
    assert total == 6  # 2025-01-10 -> 2025-02-09 = 30 days, last
    assert frame[["code_name", "organisation_name", "days"]].values.tolist()[-1] == [
        "Confidentiel",
        "Entreprise confidentielle",
        30,
    ]
    assert "Projet Onyx" not in frame.to_string()


def test_unknown_record_kpi_is_refused(session):
    with pytest.raises(ValueError, match="unknown KPI 'nope'"):
        list_performance_records(session, "nope", year_period(2025))


def test_the_deck_reads_frozen_figures_with_and_without_the_new_figures():
    from core.periods import Period
    from core.presentation import DeckSource
    from core.presskit import activity_lines, activity_tiles

    head = {"projects_won": 4, "projects_won_foreign": 3, "projects_won_unknown_origin": 0,
            "organisations_met": 5}  # fmt: skip
    old = {"headline": head, "targets": {}}
    source = DeckSource(Period(D("2024-01-01"), D("2024-12-31")), True, "Bilan", "1.1")
    assert activity_tiles(old, "en") == []
    assert activity_lines(old, source, "en") == [
        "These frozen figures (definitions v1.1) do not hold these figures, added to the "
        "catalogue in version 1.2."
    ]
    more = {"time_to_decision_days": 252.5, "time_to_decision_projects": 4,
            "organisations_met_per_win": 1.25, "projects_won_home": 1,
            "delegations_received": 0, "missions_held": 2}  # fmt: skip
    new = {"headline": head, "targets": {"missions": 4}, "performance": more}
    assert activity_tiles(new, "en") == [
        ("Median time to decision", "252.5 days",
         "over 4 projects won that went through the pipeline"),
        ("Organisations met per project won", "1.2", "5 organisations for 4 projects won"),
        ("Delegations received", "0", "out of 2 missions"),
        ("Missions held", "2", "Target: 4 (50% reached)"),
    ]  # fmt: skip
    assert activity_lines(new, source, "en") == [
        "Projects won: 1 French · 3 foreign · 0 of unknown origin"
    ]
