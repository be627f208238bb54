"""Sign-in, sign-out and the role check every page makes at its top.

The signed-in user lives in the session state; the session's token lives in a cookie too, so
that a page refresh (a new Streamlit session) resumes it. Streamlit can read cookies but not
set them: the cookie is written by a small script in the next run's page (and removed the same
way on sign-out, which also ends the session on the server).

Single sign-on: when Streamlit's secrets hold an ``[auth]`` section (OpenID Connect), the
sign-in page also offers ``st.login``. The identity the provider vouches for opens a session
here only if an active account is registered with its e-mail (its role is the account's), and
only if it was issued after that account's last session here (see ``core.auth.sso_sign_in``).
Sign-out then also signs out of Streamlit's identity cookie (``st.logout``).
"""

from __future__ import annotations

import time
from typing import Any

import streamlit as st
from sqlmodel import Session

from components.db import get_engine_for
from components.readers import read_demo_info
from core.auth import (
    authenticate,
    demo_account,
    demo_account_named,
    demo_partner_accounts,
    end_session,
    resume_session,
    sso_sign_in,
    start_session,
)
from core.formatting import format_time
from core.i18n import enum_label, t
from core.page_registry import PageSpec
from core.permissions import BRANCHES, RANK, SignedIn
from models import Role

USER_KEY = "_signed_in"
RESUMED_KEY = "_resumed_by_app"  # app.py resumed the session in this run: the page need not
TOKEN_KEY = "_session_token"
COOKIE_KEY = "_cookie_to_write"
COOKIE = "dashboard_session"
#: The cookie frame's script, fixed (its hash is in the proxy's Content-Security-Policy).
COOKIE_SCRIPT = "parent.document.cookie = document.currentScript.dataset.cookie;"
SSO_REFUSED_KEY = "_sso_refused"  # why the provider's identity opened no session, and whose


def current_user() -> SignedIn | None:
    return st.session_state.get(USER_KEY)


def _write_pending_cookie() -> None:
    """Write (or remove, when empty) the session cookie asked for by the previous run."""
    if COOKIE_KEY not in st.session_state:
        return
    token = st.session_state.pop(COOKIE_KEY)
    age = 60 * 60 * 24 * 30 if token else 0
    # A same-origin frame of our own script (the token is ours, never user input). The script's
    # text is fixed, the cookie rides in an attribute: the proxy's Content-Security-Policy
    # allows exactly this script by its hash (deploy/nginx/dashboard.conf), no inline script
    # else. A fixed height: with the default height="content", Streamlit appends its own
    # size-measuring inline script to the frame, which that policy blocks.
    cookie = f"{COOKIE}={token}; path=/; max-age={age}; SameSite=Strict"
    st.iframe(f'<script data-cookie="{cookie}">{COOKIE_SCRIPT}</script>', height=1)


def _begin(db_url: str, user: SignedIn) -> None:
    with Session(get_engine_for(db_url)) as session:
        token = start_session(session, user)
    st.session_state[USER_KEY], st.session_state[TOKEN_KEY] = user, token
    st.session_state[COOKIE_KEY] = token


def sso_configured() -> bool:
    """Single sign-on is configured: Streamlit's secrets hold an ``[auth]`` section (then
    ``st.user`` always says whether someone is logged in)."""
    try:
        return "is_logged_in" in st.user
    except Exception:  # unreadable secrets: no single sign-on
        return False


def handle_sign_out(db_url: str) -> None:
    token = st.session_state.pop(TOKEN_KEY, None)
    if token:
        with Session(get_engine_for(db_url)) as session:
            end_session(session, token)
    st.session_state.pop(USER_KEY, None)
    st.session_state[COOKIE_KEY] = ""
    if sso_configured() and st.user.is_logged_in:
        st.logout()  # Streamlit's identity cookie too (and the provider's session, if it can)


def _from_identity(db_url: str) -> SignedIn | None:
    """A new session for the identity single sign-on vouched for, if it may open one."""
    if not (sso_configured() and st.user.is_logged_in):
        return None
    claims = st.user.to_dict()
    with Session(get_engine_for(db_url)) as session:
        result = sso_sign_in(session, claims)
    if result.user is None:
        st.session_state[SSO_REFUSED_KEY] = (result.reason, str(claims.get("email") or ""))
        return None
    st.session_state.pop(SSO_REFUSED_KEY, None)
    _begin(db_url, result.user)
    return result.user


def _resume(db_url: str, idle_minutes: int) -> SignedIn | None:
    """The user of this browser's live session, if any; None once it has ended."""
    token = st.session_state.get(TOKEN_KEY) or st.context.cookies.get(COOKIE)
    if not isinstance(token, str) or not token:
        if USER_KEY in st.session_state:
            return st.session_state[USER_KEY]  # set without a token: tests only
        return _from_identity(db_url)
    with Session(get_engine_for(db_url)) as session:
        user = resume_session(session, token, idle_minutes=idle_minutes)
    if user is None:
        st.session_state.pop(USER_KEY, None)
        st.session_state.pop(TOKEN_KEY, None)
        return _from_identity(db_url)
    st.session_state[USER_KEY], st.session_state[TOKEN_KEY] = user, token
    return user


def signed_in_user() -> SignedIn | None:
    """The signed-in user of this browser, resuming its session from the cookie on the first
    run after a refresh (app.py builds the menu from it before any page runs)."""
    from components.db import current_db_url, get_engine
    from core.config import get_settings

    get_engine()
    user = _resume(current_db_url(), get_settings().session_idle_minutes)
    st.session_state[RESUMED_KEY] = True
    return user


def render_sign_in(db_url: str, lang: str, settings: Any) -> None:
    st.title(t("auth.title", lang))
    st.write(t("auth.intro", lang, agency=settings.agency_name))
    if sso_configured():
        _render_sso(lang)
    with st.form("sign_in", enter_to_submit=True):
        username = st.text_input(t("auth.username", lang), key="sign_in_username")
        password = st.text_input(t("auth.password", lang), type="password", key="sign_in_pw")
        submitted = st.form_submit_button(t("auth.submit", lang), type="primary")
    if submitted:
        with Session(get_engine_for(db_url)) as session:
            result = authenticate(
                session,
                username or "",
                password or "",
                max_failures=settings.login_max_failures,
                lock_minutes=settings.login_lock_minutes,
            )
        if result.delay_seconds:
            time.sleep(result.delay_seconds)  # repeated failures are answered more slowly
        if result.user is not None:
            _begin(db_url, result.user)
            st.rerun()
        elif result.reason == "locked":
            st.error(t("auth.locked", lang, time=format_time(result.locked_until, lang)))
        else:
            st.error(t("auth.invalid", lang))
    # Password-less demo sign-in only where demo data are allowed (never on a PostgreSQL
    # database that holds demo rows while DEMO_DATA is unset).
    if settings.demo_allowed(db_url) and read_demo_info(db_url) is not None:
        st.info(t("auth.demo", lang))
        agency = [role for role in Role if role in RANK]
        columns = st.columns(len(agency))
        for column, role in zip(columns, agency, strict=True):
            if column.button(t(f"auth.demo.{role.value}", lang), key=f"sign_in_demo_{role.value}"):
                with Session(get_engine_for(db_url)) as session:
                    user = demo_account(session, role)
                if user is not None:
                    _begin(db_url, user)
                    st.rerun()
        _render_demo_partners(db_url, lang)


def _render_demo_partners(db_url: str, lang: str) -> None:
    """One button per demo partner (a chamber of the network), like the agency's roles'."""
    with Session(get_engine_for(db_url)) as session:
        partners = demo_partner_accounts(session)
    if not partners:
        return
    columns = st.columns(len(partners))
    for column, (partner, chamber) in zip(columns, partners, strict=True):
        label = t("auth.demo.partner", lang, chamber=chamber)
        key = "sign_in_demo_" + partner.username.removeprefix("demo-").replace("-", "_")
        if column.button(label, key=key):
            with Session(get_engine_for(db_url)) as session:
                user = demo_account_named(session, partner.username)
            if user is not None:
                _begin(db_url, user)
                st.rerun()


def _render_sso(lang: str) -> None:
    refused = st.session_state.get(SSO_REFUSED_KEY)
    if refused and refused[0] == "invalid":
        st.error(t("auth.sso.unknown", lang, email=refused[1] or "?"))
        st.button(t("auth.sso.leave", lang), key="sso_leave", on_click=st.logout)
    elif refused:
        st.info(t("auth.sso.again", lang))
    st.button(t("auth.sso.submit", lang), key="sign_in_sso", type="primary", on_click=st.login)
    st.caption(t("auth.sso.or_local", lang))


def require_user(db_url: str, lang: str, settings: Any, page: PageSpec) -> SignedIn:
    """The signed-in user, if their role opens ``page`` (``PageSpec.opens``). Otherwise the
    sign-in form (no one signed in) or a refusal is shown, and the page stops there: nothing
    of its content is drawn."""
    _write_pending_cookie()
    if st.session_state.pop(RESUMED_KEY, False):
        user = current_user()  # app.py checked the session a moment ago, in this run
    else:  # the page runs alone (a first-request deep link) or after a sign-in
        user = _resume(db_url, settings.session_idle_minutes)
    if user is None:
        render_sign_in(db_url, lang, settings)
        st.stop()
    st.sidebar.caption(
        t("auth.signed_in", lang, name=user.display_name, role=enum_label(user.role, lang))
    )
    st.sidebar.button(
        t("auth.sign_out", lang),
        key="sign_out",
        on_click=handle_sign_out,
        args=(db_url,),
    )
    if not page.opens(user.role):
        if page.role in BRANCHES:
            st.error(t("auth.forbidden.partner_page", lang))
        elif user.role in BRANCHES:
            st.error(t("auth.forbidden.agency_page", lang))
        else:
            st.error(t("auth.forbidden", lang, role=enum_label(page.role, lang)))
        st.stop()
    return user
