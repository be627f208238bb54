"""The Overview's monthly trend in Chromium, on its default period (the current year to date):
this month's mission and administrator's note drawn on it (the month's mark "M+N" in the chart's
SVG; hovered, its tooltip names both by date), nothing fetched from outside
(tests/fixtures_trend_marks.py; tests/test_trend_marks_page.py reads the same in AppTest)."""

from __future__ import annotations

import pytest

from core import clock
from core.auth import create_user
from core.db import make_engine, upgrade_schema
from core.i18n import t
from core.refdata import load_reference_data
from models import Role
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SIGNED_IN,
    is_local,
    require_chromium,
    streamlit_server,
    wait_idle,
)
from tests.fixtures_trend_marks import MISSION, NOTE, build_trend_marks, expected_tooltip
from tests.writers import writer

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

PASSWORD = "une phrase de passe"
CHART = "[data-testid='stPlotlyChart']"


def test_the_overview_draws_this_months_mission_and_note(tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    today = clock.today()
    db = f"sqlite:///{tmp_path / 'marks.sqlite3'}"
    engine = make_engine(db)
    upgrade_schema(engine)
    with writer(engine, expire_on_commit=False) as s:
        load_reference_data(s)
        s.commit()
        build_trend_marks(s, today)
        create_user(
            s, username="anne", display_name="Anne Admin", role=Role.ADMIN, password=PASSWORD,
            author="t",
        )  # fmt: skip
    engine.dispose()
    outside: list[str] = []
    env = {"DATABASE_URL": db, "DEMO_DATA": "false", "MAP_STYLE_URL": ""}
    with streamlit_server(env, tmp_path / "streamlit.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="fr-FR")
            page.on("request", lambda r: outside.append(r.url) if not is_local(r.url) else None)
            page.goto(base, timeout=120_000)
            wait_idle(page, timeout=120_000)
            page.get_by_role("textbox", name="Nom d'utilisateur").fill("anne")
            page.get_by_role("textbox", name="Mot de passe").fill(PASSWORD)
            page.get_by_role("button", name="Se connecter").click()
            page.locator(SIGNED_IN).wait_for(timeout=60_000)
            page.locator("h1", has_text=t("overview.title", "fr")).wait_for(timeout=60_000)
            wait_idle(page)
            assert page.locator("[data-testid='stException']").count() == 0
            # The month's mark, drawn as SVG text on the trend (the only chart with points).
            mark = page.locator(f"{CHART} .scatterlayer .textpoint text")
            mark.first.wait_for(timeout=30_000)
            assert mark.all_text_contents() == ["M+N"]
            trend = page.locator(CHART).filter(has=page.locator(".scatterlayer .textpoint"))
            title = trend.locator(".gtitle").text_content()
            assert title.startswith("Activité mois par mois, ")
            # Hovered, its tooltip names the mission and the note, by date (Plotly's drag layer
            # takes the pointer above the point: the mouse goes to the point's centre).
            point = trend.locator(".scatterlayer .points path").first
            point.scroll_into_view_if_needed()
            box = point.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            tooltip = trend.locator(".hoverlayer .hovertext")
            tooltip.first.wait_for(timeout=30_000)
            text = tooltip.first.text_content()
            for line in expected_tooltip(today, "fr"):
                assert line in text
            assert text.index(MISSION) < text.index(NOTE)
        finally:
            browser.close()
    assert outside == []
