"""Single sign-on with OpenID Connect (``st.login``), in Chromium, against a small OpenID
provider started on localhost (oidc-provider-mock): a registered identity signs in with its
account's role, an unknown one is refused in the user's language, and sign-out ends the session
on the server and Streamlit's identity cookie."""

from __future__ import annotations

import secrets

import pytest
from sqlmodel import select

from core.auth import create_user
from core.db import make_engine, upgrade_schema
from core.i18n import t
from core.refdata import load_reference_data
from models import Role, UserAccount, UserSession
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SIGNED_IN,
    free_port,
    is_local,
    require_chromium,
    streamlit_server,
    wait_idle,
)
from tests.writers import writer

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

LEA = "lea.roux@provence-promotion.example"
SSO_BUTTON = "[class*='st-key-sign_in_sso'] button"


def _secrets(path, app_port: int, provider_port: int) -> None:
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "attractiveness-dashboard"\n'
        'client_secret = "a-test-secret"\n'
        f'server_metadata_url = "http://localhost:{provider_port}/.well-known/openid-configuration"\n'
    )


def _sign_in_with_provider(page, subject: str) -> None:
    """Click the single-sign-on button, then, on the provider's page, authorise ``subject``
    (the provider gives it as the e-mail claim)."""
    page.locator(SSO_BUTTON).click(timeout=60_000)
    page.locator("input[name='sub']").fill(subject, timeout=60_000)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url("http://127.0.0.1:*/**", timeout=60_000)
    wait_idle(page, timeout=120_000)


def test_single_sign_on_with_a_local_openid_provider(tmp_path):
    require_chromium()
    from oidc_provider_mock import run_server_in_thread
    from playwright.sync_api import sync_playwright

    db = f"sqlite:///{tmp_path / 'sso.sqlite3'}"
    engine = make_engine(db)
    upgrade_schema(engine)
    with writer(engine) as s:
        load_reference_data(s)
        s.commit()
        create_user(
            s, username="lea", display_name="Léa Roux", role=Role.STAFF, password=None,
            email=LEA, author="t",
        )  # fmt: skip
    app_port = free_port()
    env = {"DATABASE_URL": db, "DEMO_DATA": "false"}
    with run_server_in_thread() as provider:
        _secrets(tmp_path / "secrets.toml", app_port, provider.server_port)
        args = ["--secrets.files", str(tmp_path / "secrets.toml")]
        with (
            streamlit_server(env, tmp_path / "streamlit.log", port=app_port, args=args) as base,
            sync_playwright() as pw,
        ):
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                # Nothing leaves the machine (the provider's page links a CDN stylesheet).
                context.route(
                    "**/*",
                    lambda route: (
                        route.continue_() if is_local(route.request.url) else route.abort()
                    ),
                )
                page = context.new_page()
                page.goto(f"{base}/?lang=fr", timeout=120_000)
                wait_idle(page, timeout=120_000)
                assert page.locator("h1").first.inner_text() == t("auth.title", "fr")

                # A registered identity: signed in, with its account's role (staff).
                _sign_in_with_provider(page, LEA)
                page.locator(SIGNED_IN).wait_for(timeout=60_000)
                sidebar = page.locator("[data-testid='stSidebar']").inner_text()
                assert "Léa Roux" in sidebar
                nav = page.locator("[data-testid='stSidebarNav']").inner_text()
                assert t("meeting.page_title", "fr") in nav  # staff enter meetings
                assert t("import.page_title", "fr") in nav  # staff import trade-fair lists
                assert t("merge.page_title", "fr") not in nav  # admins only
                with writer(engine) as s:
                    account = s.exec(select(UserAccount).where(UserAccount.username == "lea")).one()
                    live = s.exec(
                        select(UserSession).where(UserSession.user_id == account.id)
                    ).all()
                assert [row.ended_at for row in live] == [None]
                assert account.last_login_at is not None

                # Sign-out ends the session on the server and the identity cookie: the sign-in
                # page comes back (after the provider's own end-of-session page).
                page.locator(f"{SIGNED_IN} button").click()
                page.get_by_role("button", name="End session").click(timeout=60_000)
                page.wait_for_url("http://127.0.0.1:*/**", timeout=60_000)
                wait_idle(page, timeout=60_000)
                page.locator(SSO_BUTTON).wait_for(timeout=60_000)
                assert page.locator(SIGNED_IN).count() == 0
                with writer(engine) as s:
                    ended = s.exec(select(UserSession.ended_at)).all()
                assert len(ended) == 1 and ended[0] is not None

                # An identity the provider knows but the dashboard does not: refused, plainly.
                _sign_in_with_provider(page, "intrus@example.org")
                refusal = t("auth.sso.unknown", "fr", email="intrus@example.org")
                page.get_by_text(refusal.split(" : ")[0], exact=False).wait_for(timeout=60_000)
                assert page.locator(SIGNED_IN).count() == 0
                with writer(engine) as s:
                    assert len(s.exec(select(UserSession)).all()) == 1  # no new session
            finally:
                browser.close()
    engine.dispose()
