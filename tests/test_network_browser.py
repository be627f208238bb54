"""The agency's Network page in a real Chromium: the chambers' map is drawn offline (a WebGL
canvas with colours on it, no request leaving the machine) beside the ranking."""

from __future__ import annotations

import io

import pytest

from core.i18n import t
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    is_local,
    open_signed_in,
    require_chromium,
    streamlit_server,
    until,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

CHART = "[data-testid='stDeckGlJsonChart']"


def _distinct_colours(png: bytes) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").resize((200, 100))
    return len(set(image.get_flattened_data()))


def test_the_chambers_map_is_drawn_offline(tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    db_url = f"sqlite:///{tmp_path / 'network.sqlite3'}"
    env = {"DATABASE_URL": db_url, "DEMO_DATA": "true", "DEMO_SCALE": "0.1", "MAP_STYLE_URL": ""}
    requests: list[str] = []
    with streamlit_server(env, tmp_path / "streamlit.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1200}).new_page()
            page.on("request", lambda request: requests.append(request.url))
            open_signed_in(page, f"{base}/network?lang=en&period=last12", role="viewer")
            page.get_by_text(t("network.ranking", "en")).wait_for(timeout=30_000)
            assert page.locator("[data-testid='stException']").count() == 0
            canvas = page.locator(f"{CHART} canvas").first
            canvas.wait_for(timeout=30_000)
            assert until(lambda: _distinct_colours(canvas.screenshot()) > 5)
        finally:
            browser.close()
    assert requests and all(is_local(url) for url in requests)
