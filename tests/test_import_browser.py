"""A staff member's import in a real Chromium (issue 10): back from GITEX, she uploads the list
of people met for that mission, reads the dry run, imports the valid rows, downloads the
rejected one, and finds the people on the mission's page and in the Directory."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlmodel import select

from core.db import make_engine
from core.i18n import t
from models import MissionPerson, Organisation, Person
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    is_local,
    open_signed_in,
    require_chromium,
    streamlit_server,
    wait_idle,
)
from tests.writers import writer

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

LIST = "\r\n".join(
    [
        "Prénom;Nom;E-mail;Société;Site web;Pays;Téléphone;Fonction",
        "Aarav;Journeyman;aarav@orbitjourney.in;Orbit Journey Pvt Ltd;orbitjourney.in;Inde;;CEO",
        "Lina;Journeywoman;lina@sandjourney.ae;Sand Journey LLC;;Émirats arabes unis;;CTO",
        "Bad;Address;bad@;Nowhere Journey SAS;;France;;",
    ]
).encode("cp1252")


def _choose(page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(text)
    page.get_by_role("option").filter(has_text=text).first.click()
    wait_idle(page)


def _nav(page, title: str) -> None:
    page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
    wait_idle(page)


def test_staff_imports_a_trade_fair_list(tmp_path):
    require_chromium()
    from playwright.sync_api import sync_playwright

    db_url = f"sqlite:///{tmp_path / 'import.sqlite3'}"
    env = {"DATABASE_URL": db_url, "DEMO_DATA": "true", "MAP_STYLE_URL": ""}
    gitex = f"GITEX Global {date.today().year}"
    path = tmp_path / "gitex-contacts.csv"
    path.write_bytes(LIST)
    requests: list[str] = []
    with streamlit_server(env, tmp_path / "streamlit.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1500, "height": 1100})
            page = context.new_page()
            page.on("request", lambda request: requests.append(request.url))
            open_signed_in(page, f"{base}/import_data?lang=en", role="staff")
            page.get_by_text(t("import.title", "en")).first.wait_for(timeout=60_000)
            _choose(page, t("import.mission", "en"), gitex)
            page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
                str(path)
            )
            page.locator("[data-testid='stMetric']").nth(5).wait_for(timeout=120_000)
            wait_idle(page, timeout=120_000)
            assert page.locator("[data-testid='stException']").count() == 0
            metrics = page.locator("[data-testid='stMetric']").all_inner_texts()
            assert [m.split("\n")[0] for m in metrics][:2] == [
                t("import.total.to_create", "en"),
                t("import.total.organisations", "en"),
            ]
            assert [m.split("\n")[-1] for m in metrics] == ["2", "2", "0", "0", "0", "1"]
            with page.expect_download() as download:
                page.get_by_role("button", name=t("import.download_rejected", "en")).click()
            rejected = download.value.path().read_bytes().decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(rejected), delimiter=";"))
            assert [r[0] for r in rows] == ["Prénom", "Bad"]
            assert rows[0][-1] == "Reason"
            page.get_by_role("button", name=t("import.go", "en", n="2")).click()
            wait_idle(page, timeout=120_000)
            done = page.get_by_text("Import done: 2 people created").first
            try:
                done.wait_for(timeout=60_000)
            except Exception:
                alerts = page.locator("[data-testid='stAlert']").all_inner_texts()
                raise AssertionError(alerts) from None

            engine = make_engine(db_url)
            with writer(engine) as session:
                people = session.exec(
                    select(Person.last_name, Organisation.name)
                    .join(Organisation)
                    .join(MissionPerson, MissionPerson.person_id == Person.id)
                    .where(Person.last_name.like("Journey%"))
                    .order_by(Person.last_name)
                ).all()
                mission_id = session.exec(
                    select(MissionPerson.mission_id)
                    .join(Person, Person.id == MissionPerson.person_id)
                    .where(Person.last_name == "Journeyman")
                ).one()
                attended = len(
                    session.exec(
                        select(MissionPerson.person_id).where(
                            MissionPerson.mission_id == mission_id
                        )
                    ).all()
                )
            engine.dispose()
            assert people == [
                ("Journeyman", "Orbit Journey Pvt Ltd"),
                ("Journeywoman", "Sand Journey LLC"),
            ]

            _nav(page, t("missions.page_title", "en"))
            _choose(page, t("missions.detail.label", "en"), gitex)
            # The demo's GITEX has people met already: the tab counts ours with them (its grid
            # shows only its first rows).
            tab = page.get_by_role("tab", name=t("missions.detail.tab.people", "en", n=attended))
            tab.click(timeout=60_000)
            wait_idle(page)

            _nav(page, t("page.directory.title", "en"))
            search = page.locator("[data-testid='stTextInput'] input").first
            search.fill("Sand Journey")
            search.press("Enter")
            wait_idle(page)
            page.get_by_text("Sand Journey LLC").first.wait_for(state="attached", timeout=20_000)
            # The person too, by name, in the People tab.
            page.get_by_role("tab", name=t("directory.tab.people", "en")).click(timeout=60_000)
            wait_idle(page)
            people_search = page.locator("[class*='st-key-people_text'] input")
            people_search.fill("Journeywoman")
            people_search.press("Enter")
            wait_idle(page)
            page.get_by_text("Journeywoman").first.wait_for(state="attached", timeout=20_000)
            assert page.get_by_text("Journeyman", exact=True).count() == 0
            assert page.locator("[data-testid='stException']").count() == 0
        finally:
            browser.close()
    assert requests and all(is_local(url) for url in requests)
