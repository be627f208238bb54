"""What every page does first: language, database, demo badge, language switch, and the
check of the signed-in user and their role.

Each page calls ``page_setup(__file__)`` at its top, so a page opened first by a deep link
(which Streamlit may run without ``app.py``) still gets its language, its prepared database,
the demo badge, and is shown to no one without the role ``core.page_registry`` declares for
it; a page the registry does not declare is shown to no one at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NoReturn

import streamlit as st

from components.auth import require_user
from components.db import current_db_url
from components.health import ensure_database
from components.masking import set_mask
from components.readers import read_demo_info
from core import clock
from core.config import Settings, get_settings
from core.i18n import LANGUAGES, normalise_language, t
from core.page_registry import PageSpec, find_page
from core.permissions import SignedIn

LANG_KEY = "lang"
THROUGH_APP_KEY = "_through_app"  # set by app.py: this session has been routed by it
LANG_SWITCH_KEY = "lang_switch"


@dataclass(frozen=True)
class PageContext:
    lang: str
    db_url: str
    settings: Settings
    today: date
    user: SignedIn
    page: PageSpec


def resolve_language() -> str:
    """The URL's ``?lang=``, else the session's choice, else the configured default; kept in
    the URL on every run so that a copied link opens in the same language."""
    settings = get_settings()
    asked = st.query_params.get(LANG_KEY)
    if asked in LANGUAGES:
        lang = asked
    else:
        lang = normalise_language(st.session_state.get(LANG_KEY) or settings.default_language)
    st.session_state[LANG_KEY] = lang
    if st.query_params.get(LANG_KEY) != lang:
        st.query_params[LANG_KEY] = lang
    return lang


def handle_language_change() -> None:
    chosen = st.session_state.get(LANG_SWITCH_KEY)
    if chosen in LANGUAGES:
        st.session_state[LANG_KEY] = chosen
        st.query_params[LANG_KEY] = chosen


def render_language_switch(lang: str) -> None:
    st.session_state[LANG_SWITCH_KEY] = lang
    st.sidebar.segmented_control(
        t("shell.language", lang),
        options=list(LANGUAGES),
        format_func=lambda code: t(f"shell.language.{code}", lang),
        key=LANG_SWITCH_KEY,
        required=True,
        on_change=handle_language_change,
    )


def render_demo_badge(db_url: str, lang: str) -> bool:
    """The "demo data" badge, shown while the database holds the demo portfolio."""
    if read_demo_info(db_url) is None:
        return False
    st.badge(t("shell.demo_badge", lang), color="orange", help=t("shell.demo_help", lang))
    return True


def leave_legacy_pages_mode() -> None:
    """Run the page again through ``app.py``'s navigation if Streamlit ran it in its legacy
    multipage mode.

    With a ``pages/`` folder beside ``app.py``, Streamlit starts in that legacy mode until a
    script calls ``st.navigation``: a deep link opened as the very first request after the
    server starts (a bookmark, after a restart) runs ``pages/<name>.py`` alone, with a menu
    of raw file names (see GUIDE.md, "Traps"). Clearing the flag and rerunning makes that
    run go through ``app.py``, which routes to the same page (a v1 page's id is the hash of
    its file name, which is each page's URL path in ``app.py``)."""
    from streamlit.runtime.pages_manager import PagesManager

    # Only before app.py has ever run in this session: a rerun later would drop the click
    # that caused the current run (a form's submit button, say).
    if PagesManager.uses_pages_directory and not st.session_state.get(THROUGH_APP_KEY):
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_setup(page: str) -> PageContext:
    """Language, page config, prepared database, sidebar switch, demo badge, and the signed-in
    user with at least the role the registry declares for ``page`` (the page's ``__file__``, or
    its stem); else the sign-in form or a refusal, and the page stops. An undeclared page
    stops at once, for everyone."""
    leave_legacy_pages_mode()
    settings = get_settings()
    lang = resolve_language()
    spec = find_page(page)
    if spec is None:
        refuse_unknown_page(lang)
    st.set_page_config(
        page_title=f"{t(spec.title_key, lang)} — {t('app.title', lang)}",
        layout="wide",
    )
    ensure_database(lang)  # or what is wrong, in the user's language, and the page stops
    db_url = current_db_url()
    render_language_switch(lang)
    st.sidebar.caption(
        t("app.subtitle", lang, agency=settings.agency_name, territory=settings.territory_name)
    )
    render_demo_badge(db_url, lang)
    user = require_user(db_url, lang, settings, spec)
    set_mask(db_url, user, lang)
    return PageContext(
        lang=lang, db_url=db_url, settings=settings, today=clock.today(), user=user, page=spec
    )


def refuse_unknown_page(lang: str) -> NoReturn:
    """Fail closed: a page missing from ``core.page_registry.PAGES`` has no role, so nobody
    may see it (not even an admin: the registry, not the file, says who opens a page)."""
    st.set_page_config(page_title=t("app.title", lang), layout="wide")
    st.error(t("shell.unknown_page", lang))
    st.stop()
