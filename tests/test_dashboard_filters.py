"""The shared filter bar: read from the URL, kept in the session across pages, reset."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from components.auth import USER_KEY
from core.records import create_mission
from models import MissionCreate, MissionKind
from tests.apptest_support import ADMIN, RUN_TIMEOUT, point_app_at, reset_caches
from tests.writers import writer


def filter_page() -> None:
    """A minimal dashboard page: the filter bar, then the filters it produced."""
    import streamlit as st

    from components.dashboard_filters import render_dashboard_filters
    from components.shell import page_setup

    ctx = page_setup("overview")
    filters = render_dashboard_filters(ctx)
    st.code(repr(filters), language=None)


@pytest.fixture(autouse=True)
def _clean_caches():
    reset_caches()
    yield
    reset_caches()


@pytest.fixture
def mission_id(ref_engine, monkeypatch):
    with writer(ref_engine) as session:
        mission = create_mission(
            session=session,
            data=MissionCreate(
                name="GITEX Global",
                kind=MissionKind.TRADE_FAIR,
                starts_on=date(2025, 10, 13),
                ends_on=date(2025, 10, 17),
                city="Dubai",
                country_iso2="AE",
            ),
            author="test",
        )
    point_app_at(monkeypatch, ref_engine, demo=False)
    return mission.id


def run(params: dict[str, str], at: AppTest | None = None) -> AppTest:
    if at is None:
        at = AppTest.from_function(filter_page, default_timeout=RUN_TIMEOUT)
        at.session_state[USER_KEY] = ADMIN
    at.query_params.clear()
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    return at.code[0].value


def test_no_filter_by_default(mission_id):
    at = run({"lang": "fr", "period": "year", "year": "2025"})
    assert "sectors=(), countries=(), regions=(), chamber_id=None, mission_id=None" in shown(at)
    assert "start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31)" in shown(at)
    assert at.main.caption[-1].value.startswith("Aucun filtre actif")


def test_filters_come_from_the_url_and_bad_codes_are_dropped(mission_id):
    at = run(
        {
            "lang": "en",
            "sectors": "digital,health,not_a_sector",
            "countries": "IN,ZZ",
            "regions": "middle_east_north_africa",
            "mission": str(mission_id),
        }
    )
    text = shown(at)
    assert "sectors=('digital', 'health')" in text
    assert "countries=('IN',)" in text
    assert "regions=('middle_east_north_africa',)" in text
    assert f"mission_id={mission_id}" in text
    assert at.query_params["sectors"] == "digital,health"
    assert at.query_params["countries"] == "IN"
    caption = at.main.caption[-1].value
    assert "Sectors: Digital, Health" in caption
    assert "Countries of origin: India" in caption
    assert "Mission: GITEX Global (2025-10-13)" in caption


def test_filters_stay_set_when_the_url_loses_them(mission_id):
    at = run({"lang": "fr", "sectors": "energy"})
    # Moving to another page clears the URL: the session keeps the filter and puts it back.
    at = run({"lang": "fr"}, at)
    assert "sectors=('energy',)" in shown(at)
    assert at.query_params["sectors"] == "energy"


def test_reset_clears_every_filter(mission_id):
    at = run({"lang": "fr", "sectors": "energy", "countries": "IN", "owner": "nobody"})
    assert "countries=('IN',)" in shown(at)
    assert "owner=None" in shown(at)  # an owner nobody has is not a filter
    at.button(key="filter_reset").click().run()
    assert "sectors=(), countries=()" in shown(at)
    assert "sectors" not in at.query_params and "countries" not in at.query_params


def test_choosing_a_sector_in_the_sidebar_updates_the_url(mission_id):
    at = run({"lang": "fr"})
    at.multiselect(key="filter_widget.sectors").set_value(["tourism"]).run()
    assert "sectors=('tourism',)" in shown(at)
    assert at.query_params["sectors"] == "tourism"


def test_year_is_always_written_in_the_url(mission_id):
    last_year = date.today().year - 1
    at = run({"lang": "fr", "period": "year"})
    # The default year is written too, so the bookmark still means that year next year.
    assert at.query_params["year"] == str(last_year)
    assert f"start=datetime.date({last_year}, 1, 1)" in shown(at)
    at = run({"lang": "fr", "period": "year", "year": "2023"})
    assert "start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31)" in shown(at)
    at.selectbox(key="period_widget.year").set_value("2022").run()
    assert at.query_params["year"] == "2022"
    assert "start=datetime.date(2022, 1, 1)" in shown(at)


def test_custom_dates_come_from_the_url_and_bad_ones_fall_back(mission_id):
    at = run({"lang": "en", "period": "custom", "from": "2024-03-01", "to": "2024-06-30"})
    assert "start=datetime.date(2024, 3, 1), end=datetime.date(2024, 6, 30)" in shown(at)
    at = run({"lang": "en", "period": "custom", "from": "not-a-date", "to": "2024-06-30"}, at)
    # An unreadable date keeps the session's (here the one chosen before).
    assert "start=datetime.date(2024, 3, 1)" in shown(at)
    at = run({"lang": "fr", "period": "custom", "from": "2024-06-30", "to": "2024-03-01"})
    warning = "La date de fin précède la date de début : choisissez d'autres dates."
    assert [w.value for w in at.warning] == [warning]
    assert not at.code  # nothing computed on a reversed range
