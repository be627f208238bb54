"""Security checks: markup typed into free-text fields is shown as plain text (tables, the
map's tooltips, chart labels and tooltips, CSV and Excel exports), text never runs as a formula
in a spreadsheet, SQL-injection strings in searches change nothing, error details stay hidden
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


def test_injection_strings_in_searches_change_nothing(session):
    create_organisation(session=session, data=OrganisationCreate(name="Acme"), author="t")
    for text in INJECTIONS:
        organisations, total = search_organisations(session, text=text)
        people, people_total = search_people(session, text=text)
        assert (total, people_total) == (0, 0), text
    assert session.exec(select(Organisation.name)).all() == ["Acme"]
    assert sa.inspect(session.get_bind()).has_table("organisation")


def test_markup_is_stored_as_typed_and_shown_as_text(session):
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


MISSION = f"<b>Gras</b> {MARKUP}"
FORMULA = '=HYPERLINK("http://example.org/x","clic")'


def test_exports_keep_text_as_typed_and_never_as_a_formula(session, tmp_path):
    """CSV and Excel downloads and the whole-database workbook: markup comes out as typed; a
    text starting like a formula is text (in CSV, with the spreadsheet's apostrophe)."""
    import io

    import pandas as pd
    from openpyxl import load_workbook

    from core.dump import export_workbook
    from core.export import csv_bytes, excel_bytes

    names = [MARKUP, LINK, FORMULA, "@SUM(A1)", "-2+3+cmd|' /C calc'!A0", "+33491000000"]
    frame = pd.DataFrame({"name": names, "jobs": [1, -2, 3, 4, 5, 6]})
    text = csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert text == [
        "name;jobs",
        f"{MARKUP};1",
        f"{LINK};-2",
        '"\'=HYPERLINK(""http://example.org/x"",""clic"")";3',
        "'@SUM(A1);4",
        "'-2+3+cmd|' /C calc'!A0;5",
        "+33491000000;6",  # a phone number stays as it is
    ]
    sheet = load_workbook(io.BytesIO(excel_bytes(frame))).active
    cells = [(c.value, c.data_type) for c in sheet["A"][1:]]
    assert cells == [(name, "s") for name in names]
    # The whole database as a workbook (manage.py export).
    create_organisation(session=session, data=OrganisationCreate(name=FORMULA), author="t")
    export_workbook(session.get_bind(), tmp_path / "all.xlsx")
    orgs = load_workbook(tmp_path / "all.xlsx")["organisation"]
    column = [c.value for c in orgs[1]].index("name")
    assert [(r[column].value, r[column].data_type) for r in orgs.iter_rows(min_row=2)] == [
        (FORMULA, "s")
    ]


def test_chart_labels_show_markup_as_typed():
    """Plotly reads <b>, <br> and <a href> in labels: a mission's name is escaped for it (Plotly
    turns the entities back into the typed characters when it draws; the browser test below
    reads the drawn text)."""
    from datetime import date

    import pandas as pd

    from components.missions_views import build_leads_cost_figure, timeline_labels

    frame = pd.DataFrame(
        {
            "id": [1, 2],
            "name": [f"<b>Gras</b> {MARKUP}", "GITEX & co"],
            "starts_on": [date(2026, 6, 10), date(2026, 10, 12)],
            "ends_on": [date(2026, 6, 12), date(2026, 10, 16)],
            "leads": [3, 2],
            "cost_per_lead_eur": [1000.0, None],
        }
    )
    assert timeline_labels(frame, "fr") == {
        1: "&lt;b&gt;Gras&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt;",
        2: "GITEX &amp; co",
    }
    figure = build_leads_cost_figure(frame, "fr", "t")
    assert list(figure.data[0].y) == [
        "GITEX &amp; co",
        "&lt;b&gt;Gras&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt;",
    ]


@pytest.mark.browser
def test_markup_in_names_runs_nothing_in_the_browser(tmp_path):
    """A directory listing an organisation named with markup: the text shows as typed, no
    image element is created, no dialog opens."""
    from datetime import date

    from playwright.sync_api import expect, sync_playwright

    from core.db import make_engine, upgrade_schema
    from core.records import create_mission
    from core.refdata import load_reference_data
    from models import MissionCreate, MissionKind
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
        create_mission(
            session=s,
            data=MissionCreate(
                name=MISSION, kind=MissionKind.OUTBOUND, starts_on=date(2026, 6, 10),
                ends_on=date(2026, 6, 12), city=LINK, country_iso2="IN",
            ),
            author="t",
        )  # fmt: skip
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
            grid = page.locator("[data-testid='stDataFrame']").first
            grid.wait_for(timeout=30_000)
            # The grid draws its cells on a canvas: the search has run when it shows one row.
            expect(grid).to_contain_text("Zeta", timeout=30_000)
            assert page.locator("img[src='x']").count() == 0
            assert page.locator("a[href^='javascript']").count() == 0
            # A mission named with markup: the timeline's label is drawn as typed.
            page.goto(f"{base}/missions?lang=en&period=year&year=2026", timeout=120_000)
            wait_idle(page, timeout=120_000)
            ticks = page.locator("[data-testid='stPlotlyChart'] .ytick text")
            ticks.first.wait_for(timeout=60_000)
            assert MISSION in ticks.all_text_contents()
            assert page.locator("[data-testid='stPlotlyChart'] b").count() == 0
            assert page.locator("img[src='x']").count() == 0
            assert page.locator("a[href^='javascript']").count() == 0
            assert dialogs == []
        finally:
            browser.close()
