"""The presentation in Chromium at 1920x1080, as on a projector: every slide drawn without error
and without the sidebar, moved through with the keyboard (right arrow, a clicker's Page Down,
left arrow, Esc), nothing fetched from outside, and a screenshot of each slide saved in
``test-artifacts/slides/`` for a human to look at."""

from __future__ import annotations

from datetime import date

import pytest

from core.auth import create_user
from core.db import make_engine, upgrade_schema
from core.i18n import t
from core.periods import year_period
from core.presentation import SLIDES
from core.refdata import load_reference_data
from core.snapshots import freeze
from models import Role
from tests.apptest_support import ROOT
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DECK,
    PLOTLY_SVG,
    SIGNED_IN,
    is_local,
    require_chromium,
    streamlit_server,
    wait_idle,
)
from tests.fixtures import build_fixture
from tests.writers import writer

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

ARTIFACTS = ROOT / "test-artifacts" / "slides"
PASSWORD = "une phrase de passe"


def test_every_slide_at_1920x1080_with_the_keyboard(tmp_path):
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    db = f"sqlite:///{tmp_path / 'deck.sqlite3'}"
    engine = make_engine(db)
    upgrade_schema(engine)
    with writer(engine, expire_on_commit=False) as s:
        load_reference_data(s)
        s.commit()
        build_fixture(s)
        freeze(
            s, label="Bilan 2024", period=year_period(2024), home_country="FR",
            today=date(2026, 11, 28),
        )  # fmt: skip
        create_user(
            s, username="elodie", display_name="Élodie Élue", role=Role.VIEWER,
            password=PASSWORD, author="t",
        )  # fmt: skip
    engine.dispose()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):  # an earlier run's, numbered for another deck
        old.unlink()
    outside: list[str] = []
    env = {"DATABASE_URL": db, "DEMO_DATA": "false", "MAP_STYLE_URL": ""}
    with streamlit_server(env, tmp_path / "streamlit.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
            page.on("request", lambda r: outside.append(r.url) if not is_local(r.url) else None)
            page.goto(f"{base}/presentation", timeout=120_000)
            wait_idle(page, timeout=120_000)
            page.get_by_role("textbox", name="Nom d'utilisateur").fill("elodie")
            page.get_by_role("textbox", name="Mot de passe").fill(PASSWORD)
            page.get_by_role("button", name="Se connecter").click()
            page.locator(SIGNED_IN).wait_for(timeout=60_000)
            wait_idle(page)
            page.locator("[class*='st-key-deck_start'] button").click()
            wait_idle(page)
            keys = ["ArrowRight", "PageDown"] * 5
            for number, slide in enumerate(SLIDES, start=1):
                title = t(f"deck.title.{slide}", "fr", period="2024")
                page.locator("h1", has_text=title).wait_for(timeout=60_000)
                wait_idle(page)
                if slide == "map":
                    expect(page.locator(f"{DECK} canvas").first).to_be_visible(timeout=30_000)
                elif slide in ("trend", "sectors", "countries"):
                    expect(page.locator(PLOTLY_SVG).first).to_be_visible(timeout=30_000)
                assert page.locator("[data-testid='stException']").count() == 0
                assert not page.locator("[data-testid='stSidebar']").is_visible()
                page.screenshot(path=str(ARTIFACTS / f"{number:02d}-{slide}.png"))
                if number < len(SLIDES):
                    page.keyboard.press(keys[number - 1])
            page.keyboard.press("ArrowLeft")
            page.locator("h1", has_text=t("deck.title.success", "fr")).wait_for(timeout=60_000)
            # A shortcut pressed while the run that drew this slide is still going can land on a
            # button about to be replaced: wait until the slide has finished drawing, as a
            # presenter does before pressing Esc.
            wait_idle(page)
            page.keyboard.press("Escape")
            page.locator("h1", has_text=t("deck.title", "fr")).wait_for(timeout=60_000)
            wait_idle(page)
            # Auto-advance: 5 seconds a slide, then the second slide comes by itself.
            auto = page.get_by_label(t("deck.auto", "fr"))
            auto.fill("5")
            auto.press("Enter")
            wait_idle(page)
            page.locator("[class*='st-key-deck_start'] button").click()
            page.locator("h1", has_text=t("deck.title.headline", "fr", period="2024")).wait_for()
            second = t("deck.title.trend", "fr", period="2024")
            page.locator("h1", has_text=second).wait_for(timeout=20_000)
        finally:
            browser.close()
    assert outside == []
    assert sorted(p.name for p in ARTIFACTS.glob("*.png")) == [
        f"{n:02d}-{s}.png" for n, s in enumerate(SLIDES, start=1)
    ]
