"""Real-browser journeys in Chromium against `streamlit run`, on the app's own first start.

The server starts on an empty SQLite file with the demo enabled, exactly as a newcomer's first
`streamlit run app.py`: the schema, the reference data and the demo portfolio are created by the
app itself. Every request the browser makes is recorded: none may leave localhost.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.db import make_engine
from core.formatting import format_eur, format_integer
from core.i18n import t
from core.kpis import get_headline_kpis
from core.periods import year_to_date
from tests.browser_support import (
    ROOT,
    is_local,
    launch_chromium,
    open_signed_in,
    recorded_page,
    require_chromium,
    streamlit_server,
    wait_idle,
)
from tests.writers import writer

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

TILES = [
    ("projects_won", "projects_won", False),
    ("jobs_announced", "jobs_announced", False),
    ("capex_disclosed", "capex_disclosed_eur", True),
    ("meetings", "meetings", False),
    ("organisations_met", "organisations_met", False),
    ("open_pipeline", "open_pipeline", False),
]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    require_chromium()
    tmp = tmp_path_factory.mktemp("browser")
    db_url = f"sqlite:///{tmp / 'first-start.sqlite3'}"
    env = {"DATABASE_URL": db_url, "DEMO_DATA": "true", "DEMO_SCALE": "0.1"}
    with streamlit_server(env, tmp / "streamlit.log") as base:
        yield base, db_url


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    with recorded_page(browser, 1600, 1000) as pg:
        yield pg


def expected_tiles(db_url: str, lang: str) -> dict[str, tuple[str, str]]:
    """Label and value of each tile for this year to date, formatted as the user must see them."""
    engine = make_engine(db_url)
    with writer(engine) as session:
        kpis = get_headline_kpis(session, year_to_date(date.today()))
    engine.dispose()
    result = {}
    for key, field, money in TILES:
        value = getattr(kpis, field)
        shown = format_eur(value, lang) if money else format_integer(value, lang)
        result[key] = (t(f"kpi.{key}.label", lang), shown)
    return result


def assert_no_error(page) -> None:
    """No exception box and no "page not found" dialog."""
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Page not found").count() == 0


def read_tiles(page) -> dict[str, tuple[str, str]]:
    tiles = {}
    for key, _, _ in TILES:
        tile = page.locator(f".st-key-tile_{key}")
        label = tile.locator("[data-testid='stMetricLabel']").inner_text().strip()
        value = tile.locator("[data-testid='stMetricValue']").inner_text().strip()
        tiles[key] = (label, value)
    return tiles


def test_overview_tiles_language_switch_and_no_outside_request(app_server, page):
    base, db_url = app_server
    open_signed_in(
        page, f"{base}/", timeout=180_000
    )  # the first run creates the schema and the demo data

    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text(t("shell.demo_badge", "fr")).first.is_visible()
    assert page.locator("h1").first.inner_text().strip() == t("overview.title", "fr")
    assert read_tiles(page) == expected_tiles(db_url, "fr")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview-fr.png"), full_page=True)

    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text(t("shell.language.en", "fr"), exact=True).click()
    wait_idle(page)
    assert page.locator("h1").first.inner_text().strip() == t("overview.title", "en")
    assert read_tiles(page) == expected_tiles(db_url, "en")
    assert "lang=en" in page.url

    # The language follows the user to the other page, and stays in the URL.
    sidebar.get_by_text(t("page.directory.title", "en"), exact=True).click()
    wait_idle(page)
    assert page.locator("h1").first.inner_text().strip() == t("directory.title", "en")
    assert "lang=en" in page.url
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "directory-en.png"), full_page=True)

    outside = [url for url in page.requests_seen if not is_local(url)]
    assert page.requests_seen, "the browser made no request at all"
    assert outside == []


def test_chart_is_drawn_with_french_month_labels(app_server, page):
    base, _ = app_server
    # A bookmarked view: the Overview is the default page, at "/".
    open_signed_in(page, f"{base}/?lang=fr&period=year&year=2025", timeout=180_000)
    assert_no_error(page)
    assert "period=year" in page.url and "year=2025" in page.url
    chart = page.locator(".st-key-monthly_trend [data-testid='stPlotlyChart']").first
    chart.wait_for(timeout=30_000)
    chart.locator("g.xaxislayer-above text").first.wait_for(timeout=30_000)
    ticks = chart.locator("g.xaxislayer-above text").all_text_contents()
    assert "janv. 2025" in ticks and "déc. 2025" in ticks
    outside = [url for url in page.requests_seen if not is_local(url)]
    assert outside == []


def test_directory_search_opens_a_record(app_server, page):
    base, db_url = app_server
    from core.directory import search_organisations

    engine = make_engine(db_url)
    with writer(engine) as session:
        rows, total = search_organisations(session, kind=None, page=1, page_size=1)
    engine.dispose()
    assert total > 0
    name = rows.iloc[0]["name"]
    org_id = int(rows.iloc[0]["id"])

    open_signed_in(page, f"{base}/directory?lang=fr&org={org_id}", timeout=180_000)
    assert_no_error(page)
    assert page.get_by_text(name).first.is_visible()


def test_companies_met_count_and_csv_export(app_server, page):
    """The five-years question: the count on screen, and the full list as a CSV file."""
    from core.directory import count_organisations_met
    from core.formatting import format_integer
    from core.periods import last_years

    base, db_url = app_server
    start, end = last_years(date.today(), 5).start, date.today()
    engine = make_engine(db_url)
    with writer(engine) as session:
        expected = count_organisations_met(session, start, end)
    engine.dispose()

    open_signed_in(page, f"{base}/directory?lang=fr", timeout=180_000)
    page.get_by_role("tab", name=t("directory.tab.met", "fr")).click()
    shown = page.locator("[data-testid='stMetricValue']").first.inner_text().strip()
    assert shown == format_integer(expected, "fr")
    with page.expect_download() as download_info:
        page.get_by_text(t("directory.met.download", "fr")).click()
    raw = Path(download_info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: French Excel reads UTF-8
    lines = raw.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == expected + 1  # header + one line per organisation
    assert ";" in lines[0]
