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

import streamlit as st

from components.auth import signed_in_user
from components.shell import THROUGH_APP_KEY, resolve_language
from core.i18n import t
from core.page_registry import PageSpec, pages_by_section
from core.permissions import can

st.session_state[THROUGH_APP_KEY] = True
lang = resolve_language()
st.set_page_config(page_title=t("app.title", lang), layout="wide")


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
    st.navigation(every, position="hidden").run()
else:
    allowed = {
        t(section.title_key, lang): [page for spec, page in entries if spec.opens(user.role)]
        for section, entries in menu.items()
    }
    st.navigation({title: pages for title, pages in allowed.items() if pages}).run()
