"""Access in a real browser: a deep link to an admin page as the very first request after the
server starts shows the sign-in form, not the page; a viewer gets a menu without entry pages
and a refusal on the admin page's URL; a session survives a page refresh; signing out ends it
(a refresh then asks to sign in again)."""

from __future__ import annotations

import pytest

from core.i18n import t
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SIGNED_IN,
    is_local,
    require_chromium,
    sign_in_demo,
    streamlit_server,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]


def test_sign_in_roles_refresh_and_sign_out(tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'access.sqlite3'}",
        "DEMO_DATA": "true",
        "DEMO_SCALE": "0.1",
    }
    requests: list[str] = []
    with streamlit_server(env, tmp_path / "streamlit.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            # The first request this server gets: the admin-only import page, signed out.
            page.goto(f"{base}/import_data?lang=fr", timeout=120_000)
            wait_idle(page, timeout=180_000)
            assert page.locator("h1").first.inner_text() == t("auth.title", "fr")
            assert page.get_by_text(t("import.title", "fr")).count() == 0
            assert page.locator("[data-testid='stFileUploader']").count() == 0
            assert page.locator("[data-testid='stSidebarNav'] a").count() == 0

            # A viewer (an official) lands on the Overview: the import page is not theirs. Its
            # URL opened again shows nothing of it, and the menu holds no entry page.
            sign_in_demo(page, "viewer")
            assert page.locator("h1").first.inner_text() == t("overview.title", "fr")
            page.goto(f"{base}/import_data?lang=fr", timeout=60_000)
            wait_idle(page)
            page.locator(SIGNED_IN).wait_for(timeout=30_000)
            assert page.get_by_text(t("import.title", "fr")).count() == 0
            assert page.locator("[data-testid='stFileUploader']").count() == 0
            links = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
            assert t("page.overview.title", "fr") in [x.strip() for x in links]
            assert t("meeting.page_title", "fr") not in [x.strip() for x in links]

            # The session survives a refresh (a new Streamlit session, resumed by its cookie).
            page.goto(f"{base}/?lang=fr", timeout=60_000)
            wait_idle(page)
            page.locator(SIGNED_IN).wait_for(timeout=30_000)
            assert page.locator("h1").first.inner_text() == t("overview.title", "fr")

            # Signing out ends it on the server: a refresh asks to sign in again.
            page.locator(f"{SIGNED_IN} button").click()
            wait_idle(page)
            page.get_by_role("heading", name=t("auth.title", "fr")).wait_for(timeout=30_000)
            page.reload()
            wait_idle(page)
            assert page.locator("h1").first.inner_text() == t("auth.title", "fr")
            assert page.locator(SIGNED_IN).count() == 0
            assert page.locator("[data-testid='stException']").count() == 0
        finally:
            browser.close()
    assert requests and all(is_local(url) for url in requests)
