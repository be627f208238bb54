"""Security checks: markup typed into free-text fields is shown as plain text (tables and the
map's tooltips), SQL-injection strings in searches change nothing, error details stay hidden
from users, XSRF protection stays on."""

from __future__ import annotations

import tomllib

import pytest
import sqlalchemy as sa
from sqlmodel import select

from core.directory import search_organisations, search_people
from core.records import create_organisation, create_person
from models import Organisation, OrganisationCreate, Person, PersonCreate
from tests.apptest_support import ROOT
from tests.writers import writer

MARKUP = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"
INJECTIONS = ("' OR '1'='1", "x'; DROP TABLE organisation; --", '" OR ""="', "%' --", "\\")


def test_streamlit_keeps_xsrf_on_and_hides_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableCORS"] is True
    assert config["client"]["showErrorDetails"] == "none"


def test_injection_strings_in_searches_change_nothing(session):  # noqa: ANN001
    create_organisation(session=session, data=OrganisationCreate(name="Acme"), author="t")
    for text in INJECTIONS:
        organisations, total = search_organisations(session, text=text)
        people, people_total = search_people(session, text=text)
        assert (total, people_total) == (0, 0), text
    assert session.exec(select(Organisation.name)).all() == ["Acme"]
    assert sa.inspect(session.get_bind()).has_table("organisation")


def test_markup_is_stored_as_typed_and_shown_as_text(session):  # noqa: ANN001
    """Names holding markup are kept as typed; the map's tooltip escapes them (Streamlit
    escapes values put into a tooltip template) and tables show cell text, never HTML."""
    from components.map_views import TOOLTIP

    org = create_organisation(
        session=session, data=OrganisationCreate(name=f"{MARKUP} {LINK}"), author="t"
    )
    create_person(
        session=session,
        data=PersonCreate(
            first_name=MARKUP, last_name=LINK, organisation_id=org.id, data_source="t"
        ),
        author="t",
    )
    assert session.exec(select(Person.first_name)).one() == MARKUP
    # The tooltip is a fixed template of {placeholders}: the name is never part of the HTML.
    assert "{name}" in TOOLTIP and MARKUP not in TOOLTIP


@pytest.mark.browser
def test_markup_in_names_runs_nothing_in_the_browser(tmp_path):  # noqa: ANN001
    """A directory listing an organisation named with markup: the text shows as typed, no
    image element is created, no dialog opens."""
    from playwright.sync_api import sync_playwright

    from core.db import make_engine, upgrade_schema
    from core.refdata import load_reference_data
    from tests.browser_support import (
        CHROMIUM,
        CHROMIUM_ARGS,
        require_chromium,
        streamlit_server,
        wait_idle,
    )

    require_chromium()
    db = f"sqlite:///{tmp_path / 'xss.sqlite3'}"
    engine = make_engine(db)
    upgrade_schema(engine)
    with writer(engine) as s:
        load_reference_data(s)
        s.commit()
        create_organisation(
            session=s, data=OrganisationCreate(name=f"Zeta {MARKUP} {LINK}"), author="t"
        )
        from core.auth import create_user
        from models import Role

        create_user(
            s, username="anne", display_name="Anne", role=Role.ADMIN,
            password="une phrase de passe", author="t",
        )  # fmt: skip
    engine.dispose()
    env = {"DATABASE_URL": db, "DEMO_DATA": "false"}
    dialogs: list[str] = []
    with streamlit_server(env, tmp_path / "streamlit.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(f"{base}/directory?lang=en", timeout=120_000)
            wait_idle(page, timeout=120_000)
            page.get_by_role("textbox", name="User name").fill("anne")
            page.get_by_role("textbox", name="Password").fill("une phrase de passe")
            page.get_by_role("button", name="Sign in").click()
            page.locator("[class*='st-key-sign_out']").wait_for(timeout=60_000)
            wait_idle(page)
            page.get_by_label("Search an organisation (name or website)").fill("zeta")
            page.keyboard.press("Enter")
            wait_idle(page)
            page.wait_for_timeout(1500)
            grid = page.locator("[data-testid='stDataFrame']").first
            grid.wait_for(timeout=30_000)
            assert page.locator("img[src='x']").count() == 0
            assert page.locator("a[href^='javascript']").count() == 0
            assert dialogs == []
        finally:
            browser.close()
