"""Every dashboard page in a real Chromium against ``streamlit run app.py`` on the app's own
demo data: no error, the charts and maps drawn, no request leaving localhost; a click on a
country of the world map filters the other pages; a bookmarked URL with filters reopens the
same view in a new session; a click on a chart's bar opens the records behind it.
"""

from __future__ import annotations

import pytest

from core.i18n import t
from tests.browser_support import (
    ROOT,
    is_local,
    larger_than,
    launch_chromium,
    open_signed_in,
    require_chromium,
    streamlit_server,
    until,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

YEAR = "period=year&year=2025"
PLOTLY = "[data-testid='stPlotlyChart']"
DECK = "[data-testid='stDeckGlJsonChart'] canvas"
#: Page path, its title's catalog key, its Plotly charts and its maps, for a full past year of
#: the demo portfolio (every chart has data then).
PAGES = [
    ("/", "overview.title", 3, 0),
    ("/sectors", "sectors.title", 3, 0),
    ("/pipeline", "pipeline.title", 4, 0),
    ("/missions", "missions.title", 2, 0),
    ("/world_map", "map.title", 0, 1),
    ("/india", "india.title", 4, 1),
    ("/directory", "directory.title", 0, 0),
    ("/definitions", "definitions.title", 0, 0),
]


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    require_chromium()
    tmp = tmp_path_factory.mktemp("dashboards")
    db_url = f"sqlite:///{tmp / 'demo.sqlite3'}"
    env = {"DATABASE_URL": db_url, "DEMO_DATA": "true", "MAP_STYLE_URL": ""}
    with streamlit_server(env, tmp / "streamlit.log") as base:
        yield base, db_url


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def requests_seen() -> list[str]:
    return []


@pytest.fixture
def new_page(browser, requests_seen):
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1600, "height": 1100}, locale="fr-FR")
        contexts.append(context)
        page = context.new_page()
        page.on("request", lambda request: requests_seen.append(request.url))
        return page

    yield make
    for context in contexts:
        context.close()


def _open(page, url: str) -> None:
    open_signed_in(page, url, timeout=240_000)  # the first run creates the schema and the demo data


def _assert_no_error(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    assert page.get_by_text("Page not found").count() == 0


#: The Overview's tiles: six headline figures, then five activity figures (time to decision,
#: organisations met per win, delegations, missions held, won French / foreign / unknown).
OVERVIEW_TILES = 11


def _tile_values(page) -> list[str]:
    """The Overview's tiles' values, once every one is drawn (a page opened after a sign-in
    draws its tiles over a few deltas: a CI run read 7 of the 11)."""
    values = page.locator("[data-testid='stMetricValue']")
    page.wait_for_function(
        "n => document.querySelectorAll(\"[data-testid='stMetricValue']\").length >= n",
        arg=OVERVIEW_TILES,
        timeout=60_000,
    )
    wait_idle(page)
    return values.all_inner_texts()


def _title(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def _scroll_through(page) -> None:
    """Bring every shown element of the main area into view in turn (Playwright scrolls to
    each and waits until it is stable), so that every lazily drawn element is drawn. Elements
    of a tab not open (the Directory's People and companies-met tabs) are in the page but
    hidden: nothing to draw there, and Playwright would wait for them to show forever."""
    elements = page.locator("[data-testid='stMain'] [data-testid='stElementContainer']")
    for element in elements.filter(visible=True).all():
        element.scroll_into_view_if_needed()
    wait_idle(page)


def _drawn_plotly_charts(page) -> int:
    """Plotly charts whose SVG has been drawn with a real size."""
    drawn = 0
    for chart in page.locator(PLOTLY).all():
        chart.scroll_into_view_if_needed()
        svg = chart.locator(".main-svg").first
        svg.wait_for(timeout=20_000)
        box = svg.bounding_box()
        drawn += bool(box and box["width"] > 200 and box["height"] > 150)
    return drawn


@pytest.mark.parametrize(("path", "title", "charts", "maps"), PAGES)
def test_every_dashboard_page_draws_without_error(app_server, new_page, path, title, charts, maps):
    base, _ = app_server
    page = new_page()
    _open(page, f"{base}{path}?lang=fr&{YEAR}")
    _assert_no_error(page)
    assert _title(page) == t(title, "fr")
    _scroll_through(page)
    if charts:  # the chart library loads once the charts are in view
        page.wait_for_function(
            f'() => document.querySelectorAll("{PLOTLY}").length >= {charts}', timeout=30_000
        )
    assert page.locator(PLOTLY).count() == charts
    assert _drawn_plotly_charts(page) == charts
    canvases = page.locator(DECK)
    assert canvases.count() == maps
    for canvas in canvases.all():
        canvas.scroll_into_view_if_needed()
        assert until(lambda canvas=canvas: larger_than(canvas, 300, 300))
    ROOT.joinpath("test-artifacts").mkdir(exist_ok=True)
    name = path.strip("/") or "overview"
    page.screenshot(path=str(ROOT / "test-artifacts" / f"dashboard-{name}-fr.png"))


def test_a_click_on_a_bar_opens_the_records_behind_it(app_server, new_page):
    from playwright.sync_api import expect

    base, _ = app_server
    page = new_page()
    _open(page, f"{base}/sectors?lang=fr&{YEAR}")
    chart = page.locator(f".st-key-sectors_bars {PLOTLY}")
    _scroll_through(page)
    chart.scroll_into_view_if_needed()
    chart.locator(".main-svg").first.wait_for(timeout=30_000)
    expect(chart.locator("g.point path").nth(6)).to_be_visible(timeout=30_000)
    picker = page.locator(".st-key-sectors_bars_drill input")
    for attempt in range(4):  # a click now and then lands between two redraws: try again
        bar = chart.locator("g.point path").nth(3 + attempt)  # a sector's new leads
        box = bar.bounding_box()
        assert box
        at = (box["x"] + box["width"] / 2, box["y"] + box["height"] - 3)
        page.mouse.move(*at)
        expect(chart.locator(".hoverlayer .hovertext").first).to_be_visible(timeout=10_000)
        page.mouse.click(*at)
        wait_idle(page)
        try:
            expect(picker).not_to_have_value("", timeout=5_000)
            break
        except AssertionError:
            continue
    # The picker names the bar clicked (a sector's new leads) and its records are listed,
    # with a caption saying what they are and over which period.
    assert picker.input_value().endswith(f" — {t('sectors.col.leads', 'fr')}")
    wait_idle(page)
    caption = page.get_by_text(t("drill.kind.leads", "fr"), exact=False).first
    caption.wait_for(timeout=20_000)
    assert "1 janv. 2025 – 31 déc. 2025" in caption.inner_text()
    assert page.locator("[data-testid='stDataFrame']").count() >= 2  # the table, the records
    _assert_no_error(page)


def test_a_country_chosen_on_the_map_filters_the_other_pages(app_server, new_page):
    """A click on a country sets ``countries=<ISO>`` (the click itself, through deck.gl's
    picking, is tested in ``test_world_map_browser.py``); from there every page is filtered."""
    base, _ = app_server
    page = new_page()
    _open(page, f"{base}/world_map?lang=fr&metric=leads&countries=IN&{YEAR}")
    india = t("filters.active", "fr", filters=f"{t('filters.countries', 'fr')} : Inde")
    assert page.get_by_text(india).first.is_visible()
    # The country's records open under the map at once.
    assert page.locator(".st-key-map_country_drill input").input_value() == (
        f"Inde — {t('map.metric.leads', 'fr')}"
    )
    for title, heading in (
        ("sectors.page_title", "sectors.title"),
        ("pipeline.page_title", "pipeline.title"),
    ):
        page.locator("[data-testid='stSidebarNav'] a", has_text=t(title, "fr")).click()
        wait_idle(page)
        assert _title(page) == t(heading, "fr")
        assert "countries=IN" in page.url
        assert page.get_by_text(india).first.is_visible()
        _assert_no_error(page)


def test_a_bookmarked_view_reopens_identically(app_server, new_page):
    base, _ = app_server
    page = new_page()
    _open(page, f"{base}/?lang=fr&{YEAR}")
    everything = _tile_values(page)
    # Choose a sector in the sidebar filter, as a user would.
    sectors = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    sectors.click()
    page.keyboard.type("Santé")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_idle(page)
    page.wait_for_function("() => location.search.includes('sectors=health')", timeout=10_000)
    bookmark = page.url
    caption = page.get_by_text(t("filters.active", "fr", filters="").rstrip(" .:"), exact=False)
    active = caption.first.inner_text()
    assert "Santé" in active
    tiles = _tile_values(page)  # read once the caption shows the new filter
    assert tiles != everything  # the health sector alone: smaller figures
    # The bookmark opened in a new browser session: same filters, same figures.
    other = new_page()
    _open(other, bookmark)
    _assert_no_error(other)
    assert _tile_values(other) == tiles
    assert other.get_by_text(active).first.is_visible()
    chosen = other.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    assert "Santé" in chosen.inner_text()  # the chosen sector is shown as a tag


def test_no_request_left_localhost(requests_seen):
    assert requests_seen, "the browser made no request at all"
    assert [url for url in requests_seen if not is_local(url)] == []
