"""A bookmark opened as the very first request after the server starts (the `pages/` trap of
GUIDE.md): Streamlit would run the page alone in its legacy multipage mode, with a menu of raw
file names; ``components.shell.leave_legacy_pages_mode`` sends the run through ``app.py``.
"""

from __future__ import annotations

import pytest

from core.i18n import t
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    is_local,
    open_signed_in,
    require_chromium,
    streamlit_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def test_first_request_deep_link_gets_the_app_navigation(tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deeplink.sqlite3'}",
        "DEMO_DATA": "true",
        "DEMO_SCALE": "0.1",
    }
    requests: list[str] = []
    with streamlit_server(env, tmp_path / "streamlit.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            # The first request this server ever gets: a bookmarked Sectors view with filters.
            open_signed_in(
                page, f"{base}/sectors?period=year&year=2025&sectors=health", timeout=180_000
            )
            nav = page.locator("[data-testid='stSidebarNav']")
            links = [text.strip() for text in nav.locator("a").all_inner_texts()]
            # The app's own navigation, titled in French, not the legacy list of file names:
            # every page an admin opens, none folded away behind Streamlit's "View more".
            assert links == [
                t("page.overview.title", "fr"),
                t("sectors.page_title", "fr"),
                t("pipeline.page_title", "fr"),
                t("missions.page_title", "fr"),
                t("map.page_title", "fr"),
                t("india.page_title", "fr"),
                t("deck.page_title", "fr"),
                t("network.page_title", "fr"),
                t("page.directory.title", "fr"),
                t("meeting.page_title", "fr"),
                t("followups.page_title", "fr"),
                t("new.page_title", "fr"),
                t("edit.page_title", "fr"),
                t("stage.page_title", "fr"),
                t("mission_form.page_title", "fr"),
                t("import.page_title", "fr"),
                t("claims.page_title", "fr"),
                t("page.definitions.title", "fr"),
                t("merge.page_title", "fr"),
                t("audit.page_title", "fr"),
                t("privacy.page_title", "fr"),
                t("snapshot.page_title", "fr"),
            ]
            assert not {"app", "overview", "sectors", "world_map"} & set(links)
            assert page.locator("h1").first.inner_text() == t("sectors.title", "fr")
            # The bookmark's filters are kept.
            assert "sectors=health" in page.url and "year=2025" in page.url
            assert page.locator("[data-testid='stException']").count() == 0
        finally:
            browser.close()
    assert requests and all(is_local(url) for url in requests)


def test_every_page_url_is_its_file_name():
    """The legacy mode that serves a first request knows pages by file name only: a URL path
    that differs opens "Page not found" on a bookmark after a restart."""
    from core.page_registry import PAGES

    assert sorted(p.stem for p in PAGES) == sorted(f.stem for f in (ROOT / "pages").glob("*.py"))
    for page in PAGES:
        assert page.url_path == page.stem
        assert page.script == f"pages/{page.stem}.py"
