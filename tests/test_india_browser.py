"""The India focus page in a real Chromium, on a demo database: its map of cities and its
charts are drawn and no request leaves localhost."""

from __future__ import annotations

import pytest

from core.i18n import t
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    is_local,
    larger_than,
    open_signed_in,
    require_chromium,
    streamlit_server,
    until,
)
from tests.test_world_map_browser import _distinct_colours
from tests.writers import writer

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def india_server(tmp_path_factory):
    require_chromium()
    tmp = tmp_path_factory.mktemp("india")
    env = {"DATABASE_URL": f"sqlite:///{tmp / 'demo.sqlite3'}", "DEMO_DATA": "true",
           "DEMO_SCALE": "0.1"}  # fmt: skip
    with streamlit_server(env, tmp / "streamlit.log", script=ROOT / "pages" / "india.py") as base:
        yield base, env["DATABASE_URL"]


def _year_with_indian_leads(db_url: str) -> int:
    from datetime import date

    from core.db import make_engine
    from core.filters import DashboardFilters
    from core.india import get_india_places
    from core.periods import year_period

    engine = make_engine(db_url)
    with writer(engine) as session:
        years = [
            year
            for year in range(date.today().year - 1, date.today().year - 6, -1)
            if not get_india_places(session, DashboardFilters(period=year_period(year))).empty
        ]
    engine.dispose()
    assert years, "the demo holds no Indian lead in five years"
    return years[0]


def test_india_page_is_drawn_offline(india_server):
    from playwright.sync_api import sync_playwright

    india_server, db_url = india_server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1100}, locale="fr-FR")
        seen: list[str] = []
        page.on("request", lambda request: seen.append(request.url))
        open_signed_in(
            page, f"{india_server}/?lang=fr", timeout=240_000
        )  # the first run creates the demo data
        # A year of the demo holding Indian leads, so that the map of cities has dots to draw.
        year = _year_with_indian_leads(db_url)
        open_signed_in(page, f"{india_server}/?lang=fr&period=year&year={year}")
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.locator("h1").first.inner_text().strip() == t("india.title", "fr")
        # Charts sure to have data in a year with Indian leads: the five years, the sectors.
        for key in ("india_yearly", "india_sectors"):
            chart = page.locator(f".st-key-{key} [data-testid='stPlotlyChart']").first
            chart.wait_for(timeout=30_000)
            chart.scroll_into_view_if_needed()
            chart.locator("svg.main-svg").first.wait_for(timeout=30_000)
            box = chart.bounding_box()
            assert box and box["width"] > 100 and box["height"] > 100
        deck = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
        deck.scroll_into_view_if_needed()
        assert until(lambda: larger_than(deck, 300, 300))
        # deck.gl draws on the next animation frames: screenshots until it has.
        assert until(lambda: _distinct_colours(deck.screenshot()) > 5)  # India and the dots
        ROOT.joinpath("test-artifacts").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "test-artifacts" / "india-fr.png"), full_page=True)
        assert [url for url in seen if not is_local(url)] == []
        browser.close()
