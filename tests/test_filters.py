"""Shared dashboard filters on the hand-made fixture of tests/fixtures.py (see its docstring)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core.filters import DashboardFilters, interaction_conditions, project_conditions
from core.periods import year_period
from models import WON_STAGES, Interaction, Project
from tests.fixtures import build_fixture

Y2024 = year_period(2024)


@pytest.fixture
def ids(session):
    return build_fixture(session)


def won_2024(session, **kwargs) -> set[str]:
    filters = DashboardFilters(period=Y2024, **kwargs)
    rows = session.exec(
        sa.select(Project.code_name).where(
            Project.stage.in_(WON_STAGES),
            Project.decided_on.between(Y2024.start, Y2024.end),
            *project_conditions(filters),
        )
    ).all()
    return {name for (name,) in rows}


def met_2024(session, **kwargs) -> int:
    filters = DashboardFilters(period=Y2024, **kwargs)
    query = sa.select(sa.func.count()).where(
        Interaction.occurred_on.between(Y2024.start, Y2024.end), *interaction_conditions(filters)
    )
    return session.exec(query).one()[0]


def test_projects_by_sector_country_and_region(session, ids):
    # Won in 2024: P2 Mumbai Solar (IN, energy), P4 Rhine Turbines (US, energy), P5 Vital Lab
    # (FR, health).
    assert won_2024(session) == {"Mumbai Solar", "Rhine Turbines", "Vital Lab"}
    assert won_2024(session, sectors=("energy",)) == {"Mumbai Solar", "Rhine Turbines"}
    assert won_2024(session, countries=("IN",)) == {"Mumbai Solar"}
    assert won_2024(session, regions=("europe",)) == {"Vital Lab"}
    assert won_2024(session, regions=("south_asia", "north_america")) == {
        "Mumbai Solar",
        "Rhine Turbines",
    }
    assert won_2024(session, sectors=("health",), countries=("IN",)) == set()
    assert won_2024(session, owner="nobody") == set()


def test_interactions_by_organisation_mission_and_owner(session, ids):
    # 2024: I7..I15, nine interactions.
    assert met_2024(session) == 9
    assert met_2024(session, sectors=("energy",)) == 4  # I10, I11, I13, I15
    assert met_2024(session, countries=("IN",)) == 2  # I10, I13 (O2)
    assert met_2024(session, countries=("FR",)) == 2  # I7, I8: O4 has only an HQ country
    assert met_2024(session, regions=("middle_east_north_africa",)) == 2  # I9, I12 (O5, AE)
    assert met_2024(session, mission_id=ids["M1"]) == 2  # I12, I13
    assert met_2024(session, mission_id=ids["M1"], sectors=("energy",)) == 1  # I13
    assert met_2024(session, owner="nobody") == 0


def test_is_narrowed():
    assert not DashboardFilters(period=Y2024).is_narrowed
    assert DashboardFilters(period=Y2024, owner="alice").is_narrowed
    assert DashboardFilters(period=Y2024, chamber_id=0).is_narrowed
    assert hash(DashboardFilters(period=Y2024, sectors=("a",))) == hash(
        DashboardFilters(period=year_period(2024), sectors=("a",))
    )
    assert DashboardFilters(period=Y2024).period.end == date(2024, 12, 31)
