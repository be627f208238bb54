"""The territory's clock (core.clock): "today" is the date in the territory, not on the server."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError
from streamlit.testing.v1 import AppTest

from components.auth import USER_KEY
from core import clock, records
from core.config import Settings, get_settings
from models import OrganisationCreate, ProjectCreate, Stage
from tests.apptest_support import ADMIN, RUN_TIMEOUT, point_app_at, reset_caches
from tests.writers import writer

NEW_YEAR_IN_PARIS = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 January in Paris


@pytest.fixture
def zone_setting(monkeypatch):
    """Set ``TERRITORY_TIMEZONE`` (None: unset, the default) for the test."""

    def set_zone(name: str | None) -> None:
        if name is None:
            monkeypatch.delenv("TERRITORY_TIMEZONE", raising=False)
        else:
            monkeypatch.setenv("TERRITORY_TIMEZONE", name)
        get_settings.cache_clear()

    set_zone(None)
    yield set_zone
    monkeypatch.undo()
    get_settings.cache_clear()


def test_today_is_the_date_in_paris(zone_setting):
    assert get_settings().territory_timezone == "Europe/Paris"
    assert clock.today(NEW_YEAR_IN_PARIS) == date(2027, 1, 1)
    assert clock.today(datetime(2026, 12, 31, 22, 59, tzinfo=UTC)) == date(2026, 12, 31)
    # Summer time: UTC+2, so 22:30 UTC is already tomorrow, 21:59 UTC not yet.
    assert clock.today(datetime(2026, 7, 14, 22, 30, tzinfo=UTC)) == date(2026, 7, 15)
    assert clock.today(datetime(2026, 7, 14, 21, 59, tzinfo=UTC)) == date(2026, 7, 14)
    # A naive instant is UTC, as the database stores it.
    assert clock.today(datetime(2026, 12, 31, 23, 30)) == date(2027, 1, 1)
    assert clock.now(NEW_YEAR_IN_PARIS).isoformat() == "2027-01-01T00:30:00+01:00"


def test_another_territory(zone_setting):
    zone_setting("America/Martinique")  # UTC-4 all year
    assert clock.today(NEW_YEAR_IN_PARIS) == date(2026, 12, 31)
    assert clock.today(datetime(2027, 1, 1, 3, 59, tzinfo=UTC)) == date(2026, 12, 31)
    assert clock.today(datetime(2027, 1, 1, 4, 0, tzinfo=UTC)) == date(2027, 1, 1)


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'"):
        Settings(_env_file=None, territory_timezone="Mars/Olympus")


def test_a_project_entered_just_after_midnight_on_new_years_day(
    ref_engine, zone_setting, monkeypatch
):
    monkeypatch.setattr(clock, "utc_now", lambda: NEW_YEAR_IN_PARIS)
    with writer(ref_engine) as session:
        org = records.create_organisation(
            session=session, data=OrganisationCreate(name="Nordwind AS"), author="t"
        )
        project = records.create_project(
            session=session,
            data=ProjectCreate(
                code_name="Projet Minuit", organisation_id=org.id, sector_code="energy"
            ),
            author="t",
        )
        assert (project.stage, project.lead_on) == (Stage.LEAD, date(2027, 1, 1))


def shown_today() -> None:
    import streamlit as st

    from components.shell import page_setup

    st.code(page_setup("overview").today.isoformat(), language=None)


def test_pages_get_the_territorys_today(ref_engine, monkeypatch):
    point_app_at(monkeypatch, ref_engine, demo=False)
    monkeypatch.delenv("TERRITORY_TIMEZONE", raising=False)
    reset_caches()
    monkeypatch.setattr(clock, "utc_now", lambda: NEW_YEAR_IN_PARIS)
    at = AppTest.from_function(shown_today, default_timeout=RUN_TIMEOUT)
    at.session_state[USER_KEY] = ADMIN
    at.run()
    assert not at.exception
    assert [c.value for c in at.code] == ["2027-01-01"]
    reset_caches()
