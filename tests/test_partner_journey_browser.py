"""In a real Chromium (issue 11): the Indo-French chamber's partner refers a lead; a staff
member finds it among the referred leads to qualify, moves it to Qualified and shares an
update; the partner, signed in again, sees the new stage and the update. Every request stays
on the machine."""

from __future__ import annotations

import pytest

from core.i18n import enum_label, t
from models import Stage
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    is_local,
    open_signed_in,
    require_chromium,
    streamlit_server,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

COMPANY = "Journey Robotics Pvt"
UPDATE = "Site visit held in Fos, decision expected in Q2"


def _field(page, label: str):
    return page.get_by_label(label, exact=True)


def _choose(page, label: str, text: str) -> None:
    box = _field(page, label)
    box.click()
    box.fill(text)
    page.get_by_role("option").filter(has_text=text).first.click()


def _no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


def test_refer_qualify_share_and_see(tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    db_url = f"sqlite:///{tmp_path / 'partner.sqlite3'}"
    env = {"DATABASE_URL": db_url, "DEMO_DATA": "true", "DEMO_SCALE": "0.05", "MAP_STYLE_URL": ""}
    requests: list[str] = []
    with streamlit_server(env, tmp_path / "streamlit.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # The partner refers a lead.
            partner = browser.new_context(viewport={"width": 1500, "height": 1200})
            page = partner.new_page()
            page.on("request", lambda request: requests.append(request.url))
            open_signed_in(page, f"{base}/refer_lead?lang=en", role="partner_in")
            page.get_by_text(
                t("partner.chamber", "en", chamber="Indo-French Chamber of Commerce and Industry")
            ).wait_for(timeout=30_000)
            _field(page, t("refer.field.company", "en") + " *").fill(COMPANY)
            _choose(page, t("refer.field.country", "en") + " *", "India")
            _choose(page, t("refer.field.sector", "en") + " *", "Digital")
            _field(page, t("field.person.first_name", "en") + " *").fill("Kavya")
            _field(page, t("field.person.last_name", "en") + " *").fill("Menon")
            _field(page, t("field.person.email", "en") + " *").fill("kavya@journeyrobotics.in")
            _choose(page, t("field.person.lawful_basis", "en") + " *", "Consent")
            page.get_by_role("button", name=t("refer.submit", "en")).click()
            wait_idle(page)
            _no_exception(page)
            page.get_by_text(t("refer.saved", "en", company=COMPANY)).wait_for(timeout=30_000)

            # A staff member qualifies it and shares an update.
            staff = browser.new_context(viewport={"width": 1500, "height": 1200})
            desk = staff.new_page()
            desk.on("request", lambda request: requests.append(request.url))
            open_signed_in(desk, f"{base}/followups?lang=en", role="staff")
            desk.get_by_text(t("shared.title", "en")).wait_for(timeout=30_000)
            desk.get_by_text(COMPANY).first.wait_for(state="attached", timeout=30_000)
            desk.goto(f"{base}/project_stage?lang=en")
            wait_idle(desk)
            search = _field(desk, t("stage.search", "en"))
            search.fill("Journey Robotics")
            search.press("Enter")
            wait_idle(desk)
            _choose(desk, t("stage.to", "en"), enum_label(Stage.QUALIFIED, "en"))
            wait_idle(desk)
            desk.get_by_role("button", name=t("stage.submit", "en")).click()
            wait_idle(desk)
            _no_exception(desk)
            desk.get_by_text(
                t("stage.saved", "en", project=COMPANY, stage=enum_label(Stage.QUALIFIED, "en"))
            ).wait_for(timeout=30_000)
            desk.goto(f"{base}/followups?lang=en")
            wait_idle(desk)
            _choose(desk, t("shared.project", "en"), COMPANY)
            _field(desk, t("shared.text", "en")).fill(UPDATE)
            desk.get_by_role("button", name=t("shared.submit", "en")).click()
            wait_idle(desk)
            _no_exception(desk)
            desk.get_by_text(t("shared.saved", "en")).wait_for(timeout=30_000)

            # The partner sees the new stage and the update.
            page.goto(f"{base}/my_referrals?lang=en")
            wait_idle(page)
            _no_exception(page)
            grid = page.locator("[data-testid='stDataFrame']").first
            grid.wait_for(timeout=30_000)
            page.get_by_text(UPDATE).first.wait_for(state="attached", timeout=30_000)
            row_text = page.get_by_text(COMPANY).first
            row_text.wait_for(state="attached", timeout=30_000)
            assert page.get_by_text(enum_label(Stage.QUALIFIED, "en")).count() >= 1
        finally:
            browser.close()
    assert requests and all(is_local(url) for url in requests)
