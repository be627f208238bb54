"""First start and the command line: schema, reference data, demo data when asked for."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core.bootstrap import init_database, prepare_database
from core.config import Settings, get_settings
from core.demo import get_demo_info
from core.records import create_organisation
from manage import main
from models import Country, Interaction, Organisation, OrganisationCreate
from tests.writers import writer

ANCHOR = date(2026, 11, 28)


def count(engine: sa.Engine, model) -> int:
    with writer(engine) as session:
        return session.exec(sa.select(sa.func.count()).select_from(model)).one()[0]


def url_of(engine: sa.Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_first_start_loads_reference_and_demo_data_once(engine):
    settings = Settings(database_url=url_of(engine), demo_data=True, demo_scale=0.1)
    assert prepare_database(engine, settings, today=ANCHOR) is True
    assert count(engine, Country) == 249
    with writer(engine) as session:
        info = get_demo_info(session)
    assert info is not None and info["anchor"] == "2026-11-28"
    meetings = count(engine, Interaction)
    assert meetings > 0
    # A second start finds data and generates nothing more.
    assert prepare_database(engine, settings, today=ANCHOR) is False
    assert count(engine, Interaction) == meetings


def test_production_start_loads_no_demo(engine):
    settings = Settings(database_url=url_of(engine), demo_data=False)
    assert prepare_database(engine, settings) is False
    assert count(engine, Country) == 249
    assert count(engine, Organisation) == 0


def test_demo_is_not_added_to_a_database_holding_real_data(engine):
    init_database(engine)
    with writer(engine) as session:
        create_organisation(
            session=session, data=OrganisationCreate(name="Real Company"), author="test"
        )
    settings = Settings(database_url=url_of(engine), demo_data=True, demo_scale=0.1)
    assert prepare_database(engine, settings) is False
    assert count(engine, Organisation) == 1


@pytest.fixture
def demo_asked_for(monkeypatch):
    """``DEMO_DATA=true``: PostgreSQL refuses demo data unless asked for."""
    monkeypatch.setenv("DEMO_DATA", "true")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_command_line_init_seed_and_clear(engine, capsys, demo_asked_for):
    url = url_of(engine)
    assert main(["--database-url", url, "init"]) == 0
    assert "countries=249" in capsys.readouterr().out
    assert (
        main(["--database-url", url, "seed-demo", "--scale", "0.1", "--anchor", "2026-11-28"]) == 0
    )
    with writer(engine) as session:
        info = get_demo_info(session)
    assert info is not None and info["scale"] == 0.1
    assert count(engine, Organisation) == info["counts"]["organisations"]
    assert main(["--database-url", url, "status"]) == 0
    assert "Demo data: {" in capsys.readouterr().out
    assert main(["--database-url", url, "clear-demo"]) == 0
    assert count(engine, Organisation) == 0
    assert count(engine, Country) == 249
