"""A staff member's journey in a real Chromium: after GITEX, she logs a meeting with a contact
met there for the first time (a new organisation and a new person), with a next step; then she
finds it on the mission's page, in the Directory and in her follow-ups, moving through the app
with its navigation (one browser session)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from core.auth import create_user
from core.db import make_engine
from core.i18n import t
from models import Interaction, Organisation, Person, Role
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    is_local,
    require_chromium,
    streamlit_server,
    wait_idle,
)
from tests.writers import writer

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

ORG = "Journey Hydrogen Test"
STEP = "Send the land offer"
EMAIL = "meera.iyer@journeyh2.in"


def _field(page, label: str):
    return page.get_by_label(label, exact=True)


def _choose(page, label: str, text: str) -> None:
    """Pick an option of a select box by typing part of it, as a keyboard user would."""
    box = _field(page, label)
    box.click()
    box.fill(text)
    page.get_by_role("option").filter(has_text=text).first.click()


def _nav(page, title: str) -> None:
    page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
    wait_idle(page)


def test_log_a_meeting_then_find_it_everywhere(tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    db_url = f"sqlite:///{tmp_path / 'journey.sqlite3'}"
    env = {"DATABASE_URL": db_url, "DEMO_DATA": "true", "MAP_STYLE_URL": ""}
    gitex = f"GITEX Global {date.today().year} — Dubai"
    due = date.today() + timedelta(days=3)
    requests: list[str] = []
    with streamlit_server(env, tmp_path / "streamlit.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1500, "height": 1100})
            page = context.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.goto(f"{base}/log_meeting?lang=en", timeout=120_000)
            wait_idle(page, timeout=240_000)
            # A staff member's own account (the app has created the schema by now): signed in
            # with the password, the page asked for opens, and entries are recorded in her name.
            engine = make_engine(db_url)
            with writer(engine) as session:
                create_user(
                    session,
                    username="claire",
                    display_name="Claire Martin",
                    role=Role.STAFF,
                    password="une phrase de passe",
                    author="test",
                )
            engine.dispose()
            _field(page, t("auth.username", "en")).fill("claire")
            _field(page, t("auth.password", "en")).fill("une phrase de passe")
            page.get_by_role("button", name=t("auth.submit", "en")).click()
            page.locator("[class*='st-key-sign_out']").wait_for(timeout=60_000)
            wait_idle(page)
            page.get_by_text(t("meeting.org.mode.new", "en"), exact=True).click()
            wait_idle(page)
            _field(page, f"{t('field.organisation.name', 'en')} *").fill(ORG)
            _choose(page, t("field.organisation.country", "en"), "India")
            _choose(page, t("field.meeting.mission", "en"), gitex)
            _field(page, t("field.person.first_name", "en")).fill("Meera")
            _field(page, t("field.person.last_name", "en")).fill("Iyer")
            _field(page, t("field.person.email", "en")).fill(EMAIL)
            _field(page, t("field.meeting.next_step", "en")).fill(STEP)
            # A date field of segments (year, month, day): typed digit by digit.
            _field(page, t("field.meeting.due", "en")).get_by_role("spinbutton").first.click()
            page.keyboard.type(due.strftime("%Y%m%d"))
            page.get_by_role("button", name=t("meeting.submit", "en")).click()
            wait_idle(page)
            assert page.locator("[data-testid='stException']").count() == 0
            saved = t("meeting.saved", "en", date=date.today().isoformat())
            page.get_by_text(saved).wait_for(timeout=20_000)

            # Written once, with the organisation, the person and the mission.
            engine = make_engine(db_url)
            with writer(engine) as session:
                org = session.exec(select(Organisation).where(Organisation.name == ORG)).one()
                person = session.exec(select(Person).where(Person.email == EMAIL)).one()
                meeting = session.exec(
                    select(Interaction).where(Interaction.organisation_id == org.id)
                ).one()
            engine.dispose()
            assert (org.hq_country_iso2, person.organisation_id) == ("IN", org.id)
            assert (meeting.next_step, meeting.next_step_due_on, meeting.author) == (
                STEP,
                due,
                "Claire Martin",
            )

            # On the mission's page: among the organisations met at GITEX.
            _nav(page, t("missions.page_title", "en"))
            _choose(page, t("missions.detail.label", "en"), gitex)
            wait_idle(page)
            page.get_by_text(ORG).first.wait_for(state="attached", timeout=20_000)  # a grid cell

            # In the Directory: found by name.
            _nav(page, t("page.directory.title", "en"))
            search = page.locator("[data-testid='stTextInput'] input").first
            search.fill("Journey Hydrogen")
            search.press("Enter")
            wait_idle(page)
            page.get_by_text(ORG).first.wait_for(state="attached", timeout=20_000)  # a grid cell

            # In her follow-ups: the next step, due in three days.
            _nav(page, t("followups.page_title", "en"))
            page.get_by_text(STEP).first.wait_for(state="attached", timeout=20_000)
            assert page.locator("[data-testid='stException']").count() == 0
        finally:
            browser.close()
    assert requests and all(is_local(url) for url in requests)
