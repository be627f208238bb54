"""India focus figures against the world map's data set (``tests/fixtures_geo.py``) plus the
Indian rows below. Expected values are worked out by hand (period: the calendar year 2025).

Indian projects of the geo fixture: G1 (A, lead 2025-01-01, won 2025-12-31, 100 jobs, IFCCI),
G2 (A, lead 2024-12-31, won 2025-03-01, 40 jobs), G8 (A, target only, IFCCI), G10 (A, lead
2023-01-01, won 2025-06-30 then landed, 50 jobs, IFCCI); organisation A has no city.
Other origins in 2025: leads G3, G4, G5, G6, G7, G9, G11; wins G5 (60), G6 (10), G7 (5),
G11 (15); 8 meetings, 3 of them with A (01-01, 08-08, 09-09).

Added here:
  Organisations  P Pune Motors (IN/IN, energy, Pune)  C Chennai Health (HQ IN, health, Chennai)
  Projects  H1 P energy 80  2025-02-02 lead, 2025-11-11 won          IFCCI
            H2 P energy 20  2025-03-03 lead, 2025-04-04 qualified    -
            H3 C health 12  2025-05-05 lead, 2025-06-06 active       IFCCI
  Meetings  2025-02-10 P (next step "Send site offer" due 2026-01-10)
            2025-02-20 C (next step "Call back" due 2026-03-01, done)
            2025-11-30 P (next step "Send brochure" due 2025-12-15)
  Missions  "Pune week 2025" outbound 2025-09-01..09-05 IN, partner IFCCI
            "Mumbai roadshow 2026" outbound 2026-02-01..02-05 IN
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session

from core import records
from core.filters import DashboardFilters
from core.india import (
    get_india_meetings_by_month,
    get_india_pipeline,
    get_india_places,
    get_india_sectors,
    get_india_share,
    get_india_yearly,
    get_indian_chambers_contribution,
    list_coming_india_actions,
)
from core.periods import Period, year_period
from models import (
    InteractionCreate,
    MissionCreate,
    MissionKind,
    OrganisationCreate,
    ProjectCreate,
    Stage,
)
from tests.fixtures_geo import build_geo_fixture

D = date.fromisoformat
Y2025 = DashboardFilters(period=year_period(2025))


def build_india_fixture(session: Session) -> dict[str, int]:
    """The geo fixture plus the Indian rows of this module's docstring."""
    ids = build_geo_fixture(session)
    for key, name, hq, control, sector, city in (
        ("P", "Pune Motors", "IN", "IN", "energy", "Pune"),
        ("C", "Chennai Health", "IN", None, "health", "Chennai"),
    ):
        data = OrganisationCreate(
            name=name, hq_country_iso2=hq, control_country_iso2=control, sector_code=sector,
            city=city,
        )  # fmt: skip
        ids[key] = records.create_organisation(session=session, data=data, author="t").id
    for key, org, sector, jobs, history, chamber in (
        ("H1", "P", "energy", 80, [("2025-02-02", "lead"), ("2025-11-11", "won")], "IFCCI"),
        ("H2", "P", "energy", 20, [("2025-03-03", "lead"), ("2025-04-04", "qualified")], None),
        ("H3", "C", "health", 12, [("2025-05-05", "lead"), ("2025-06-06", "active")], "IFCCI"),
    ):
        data = ProjectCreate(
            code_name=f"India {key}", organisation_id=ids[org], sector_code=sector,
            jobs_announced=jobs, stage=Stage.LEAD, stage_on=D(history[0][0]),
            source_chamber_id=ids[chamber] if chamber else None,
        )  # fmt: skip
        ids[key] = records.create_project(session=session, data=data, author="t").id
        for on, stage in history[1:]:
            records.change_stage(
                session=session, project_id=ids[key], to_stage=Stage(stage), on=D(on), author="t"
            )
    for on, org, step, due, done in (
        ("2025-02-10", "P", "Send site offer", "2026-01-10", False),
        ("2025-02-20", "C", "Call back", "2026-03-01", True),
        ("2025-11-30", "P", "Send brochure", "2025-12-15", False),
    ):
        data = InteractionCreate(
            occurred_on=D(on), organisation_id=ids[org], author="t", next_step=step,
            next_step_due_on=D(due), next_step_done=done,
        )  # fmt: skip
        records.create_interaction(session=session, data=data)
    for name, starts, ends, chamber in (
        ("Pune week 2025", "2025-09-01", "2025-09-05", "IFCCI"),
        ("Mumbai roadshow 2026", "2026-02-01", "2026-02-05", None),
    ):
        data = MissionCreate(
            name=name, kind=MissionKind.OUTBOUND, starts_on=D(starts), ends_on=D(ends),
            country_iso2="IN", chamber_id=ids[chamber] if chamber else None,
        )  # fmt: skip
        ids[name] = records.create_mission(session=session, data=data, author="t").id
    session.commit()
    return ids


@pytest.fixture
def india(session):
    return build_india_fixture(session)


def test_share_of_india(session, india):
    frame = get_india_share(session, Y2025)
    assert frame.to_dict("records") == [
        # Leads: G1, H1, H2, H3 of 11 (geo's 8 + 3). Wins: G1, G2, G10, H1 of 8.
        {"metric": "leads", "india": 4, "world": 11, "share": 4 / 11},
        {"metric": "projects_won", "india": 4, "world": 8, "share": 0.5},
        # Jobs: 100 + 40 + 50 + 80 of 280 + 80.
        {"metric": "jobs_announced", "india": 270, "world": 360, "share": 0.75},
        # Meetings: A three times, P twice, C once, of 8 + 3.
        {"metric": "meetings", "india": 6, "world": 11, "share": 6 / 11},
    ]


def test_share_ignores_the_country_filter_but_not_the_sector(session, india):
    with_country = DashboardFilters(period=year_period(2025), countries=("US",))
    assert get_india_share(session, with_country).equals(get_india_share(session, Y2025))
    energy = get_india_share(
        session, DashboardFilters(period=year_period(2025), sectors=("energy",))
    )
    # Energy leads: H1, H2 (India), G3, G5, G9. Energy wins: G2, H1 (India), G5 (60 jobs).
    # Meetings with energy organisations: P twice (India), F on 03-03, Creek Energy on 07-07.
    assert energy[["india", "world"]].values.tolist() == [[2, 5], [2, 3], [120, 180], [2, 4]]


def test_share_on_an_empty_period(session, india):
    frame = get_india_share(session, DashboardFilters(period=year_period(2030)))
    assert frame["india"].tolist() == [0, 0, 0, 0]
    assert frame["world"].tolist() == [0, 0, 0, 0]
    assert frame["share"].isna().all()


def test_yearly(session, india):
    frame = get_india_yearly(session, Y2025, 2023, 2026)
    assert frame.values.tolist() == [
        [2023, 1, 1, 0, 0, 0, 0],  # G10's lead
        [2024, 1, 1, 0, 0, 0, 0],  # G2's lead on 2024-12-31
        [2025, 4, 11, 4, 8, 270, 360],
        [2026, 0, 0, 0, 1, 0, 30],  # G3 (AE) won on 2026-01-01
    ]


def test_pipeline_at_the_period_end(session, india):
    # End of 2025: H2 qualified, H3 active; G1, G2, H1 won, G10 landed, G8 a target.
    frame = get_india_pipeline(session, Y2025, today=date(2026, 6, 1))
    assert frame.values.tolist() == [["qualified", 1, 20], ["active", 1, 12]]
    # On 2025-03-31 G1, G10, H1 and H2 were leads (G2 won on 03-01, H3 not yet a lead).
    q1 = DashboardFilters(period=Period(date(2025, 1, 1), date(2025, 3, 31)))
    frame = get_india_pipeline(session, q1, today=date(2026, 6, 1))
    assert frame.values.tolist() == [["lead", 4, 250]]


def test_sectors(session, india):
    frame = get_india_sectors(session, Y2025)
    assert frame.values.tolist() == [
        ["energy", 2, 2, 120],  # leads H1, H2; wins G2, H1
        ["digital", 1, 2, 150],  # lead G1; wins G1, G10
        ["health", 1, 0, 0],  # lead H3
    ]
    assert get_india_sectors(session, DashboardFilters(period=year_period(2030))).empty


def test_places(session, india):
    frame = get_india_places(session, Y2025)
    rows = frame[["city", "state_code", "lat", "lon", "leads"]].values.tolist()
    assert rows[0] == ["Pune", "IN-MH", 18.5196, 73.8554, 2]  # H1, H2
    assert rows[1] == ["Chennai", "IN-TN", 13.0878, 80.2785, 1]  # H3
    assert pd.isna(rows[2][0]) and rows[2][-1] == 1  # G1: its organisation has no city
    assert frame["state"].tolist()[:2] == ["Mahārāshtra", "Tamil Nādu"]


def test_meetings_by_month(session, india):
    frame = get_india_meetings_by_month(session, Y2025)
    assert len(frame) == 12
    by_month = {row.month.month: (row.meetings, row.organisations) for row in frame.itertuples()}
    assert by_month[1] == (1, 1)  # A
    assert by_month[2] == (2, 2)  # P, C
    assert (by_month[8], by_month[9], by_month[11]) == ((1, 1), (1, 1), (1, 1))
    assert sum(m for m, _ in by_month.values()) == 6


def test_indian_chambers(session, india):
    frame = get_indian_chambers_contribution(session, Y2025)
    assert frame.to_dict("records") == [
        {
            "chamber_id": india["IFCCI"],
            "name": "Indo-French Chamber of Commerce and Industry",
            "leads": 3,  # G1, H1, H3 (G8 never a lead, G10 a lead in 2023)
            "projects_won": 3,  # G1, G10, H1
            "jobs_announced": 230,
            "missions": 1,  # Pune week 2025
        }
    ]


def test_coming_actions(session, india):
    frame = list_coming_india_actions(session, today=date(2026, 1, 1))
    assert frame[["due_on", "kind", "label"]].values.tolist() == [
        [date(2026, 1, 10), "follow_up", "Send site offer"],
        [date(2026, 2, 1), "mission", "Mumbai roadshow 2026"],
    ]
    assert frame["organisation"].iloc[0] == "Pune Motors"
    assert pd.isna(frame["organisation"].iloc[1])  # a mission meets no one organisation
    assert list_coming_india_actions(session, today=date(2027, 1, 1)).empty
