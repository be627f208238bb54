"""Entry point: page config, language, navigation. Everything else lives in pages/ and below.

The pages, their titles, menu sections and roles are declared once, in
``core.page_registry.PAGES``. Each page's URL path is its file name: a bookmark opened as the
very first request after the server starts is routed by Streamlit's legacy ``pages/`` mode,
which knows pages only by their file names (see ``components.shell.leave_legacy_pages_mode``).

Run with ``streamlit run app.py``. Each page also calls ``components.shell.page_setup`` itself,
so that a page opened first by a deep link works even if Streamlit runs it without this file,
and checks there the signed-in user's role: the menu below is a convenience, not the guard.
"""

from __future__ import annotations

import time

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

from components.auth import current_user, signed_in_user
from components.health import ensure_database
from components.shell import THROUGH_APP_KEY, resolve_language
from core import logs
from core.i18n import t
from core.page_registry import PageSpec, pages_by_section

started = time.perf_counter()
st.session_state[THROUGH_APP_KEY] = True
lang = resolve_language()
st.set_page_config(page_title=t("app.title", lang), layout="wide")
ensure_database(lang)  # database reachable, schema known, secrets complete; else says what


def menu_page(spec: PageSpec) -> st.Page:
    return st.Page(
        spec.script, title=t(spec.title_key, lang), url_path=spec.url_path, default=spec.default
    )


sections = pages_by_section()
menu = {section: [(spec, menu_page(spec)) for spec in specs] for section, specs in sections.items()}
# The menu shows the pages the signed-in user's role opens. Signed out, every page stays
# reachable by its URL (a bookmark) but none is listed: each shows the sign-in form instead of
# its content (components.auth.require_user), and is then opened with the role it needs.
user = signed_in_user()
if user is None:
    every = [page for entries in menu.values() for _, page in entries]
    current = st.navigation(every, position="hidden")
else:
    allowed = {
        t(section.title_key, lang): [page for spec, page in entries if spec.opens(user.role)]
        for section, entries in menu.items()
    }
    # expanded=True: every page the role opens stays listed. By default Streamlit folds a menu
    # of more than twelve pages after ten behind "View more", which hid staff's daily entry
    # pages (follow-ups, new record...) under the dashboards.
    current = st.navigation(
        {title: pages for title, pages in allowed.items() if pages}, expanded=True
    )
# One structured log line per run: user id, page, outcome, duration (core.logs).
logs.current_page.set("/" + current.url_path)
outcome = "error"
try:
    current.run()
    outcome = "ok"
except (StopException, RerunException) as control:  # Streamlit's own control flow
    outcome = "rerun" if isinstance(control, RerunException) else "stop"
    raise
finally:
    logs.log_request(
        page="/" + current.url_path, user=current_user(), started=started, outcome=outcome
    )
