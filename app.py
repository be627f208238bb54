"""Entry point: page config, language, navigation. Everything else lives in pages/ and below.

Each page's URL path is its file name: a bookmark opened as the very first request after the
server starts is routed by Streamlit's legacy ``pages/`` mode, which knows pages only by their
file names (see ``components.shell.leave_legacy_pages_mode``).

Run with ``streamlit run app.py``. Each page also calls ``components.shell.page_setup`` itself,
so that a page opened first by a deep link works even if Streamlit runs it without this file,
and checks there the signed-in user's role: the menu below is a convenience, not the guard.
"""

from __future__ import annotations

import streamlit as st

from components.auth import signed_in_user
from components.shell import PAGE_ROLES, THROUGH_APP_KEY, resolve_language
from core.i18n import t
from core.permissions import can

st.session_state[THROUGH_APP_KEY] = True
lang = resolve_language()
st.set_page_config(page_title=t("app.title", lang), layout="wide")

STEMS: dict[int, str] = {}


def page(stem: str, **options: object) -> st.Page:
    """A page of ``pages/<stem>.py``; its stem is remembered (it says the role it needs)."""
    made = st.Page(f"pages/{stem}.py", **options)
    STEMS[id(made)] = stem
    return made


pages = {
    t("nav.section.dashboards", lang): [
        page(
            "overview",
            title=t("page.overview.title", lang),
            url_path="overview",
            default=True,
        ),
        page("sectors", title=t("sectors.page_title", lang), url_path="sectors"),
        page("pipeline", title=t("pipeline.page_title", lang), url_path="pipeline"),
        page("missions", title=t("missions.page_title", lang), url_path="missions"),
        page("world_map", title=t("map.page_title", lang), url_path="world_map"),
        page("india", title=t("india.page_title", lang), url_path="india"),
        page("presentation", title=t("deck.page_title", lang), url_path="presentation"),
    ],
    t("nav.section.contacts", lang): [
        page(
            "directory",
            title=t("page.directory.title", lang),
            url_path="directory",
        ),
    ],
    t("nav.section.entry", lang): [
        page(
            "log_meeting",
            title=t("meeting.page_title", lang),
            url_path="log_meeting",
        ),
        page(
            "followups",
            title=t("followups.page_title", lang),
            url_path="followups",
        ),
        page(
            "new_record",
            title=t("new.page_title", lang),
            url_path="new_record",
        ),
        page(
            "edit_record",
            title=t("edit.page_title", lang),
            url_path="edit_record",
        ),
        page(
            "import_data",
            title=t("import.page_title", lang),
            url_path="import_data",
        ),
        page(
            "merge_records",
            title=t("merge.page_title", lang),
            url_path="merge_records",
        ),
        page(
            "audit_trail",
            title=t("audit.page_title", lang),
            url_path="audit_trail",
        ),
        page(
            "personal_data",
            title=t("privacy.page_title", lang),
            url_path="personal_data",
        ),
        page(
            "frozen_figures",
            title=t("snapshot.page_title", lang),
            url_path="frozen_figures",
        ),
        page(
            "project_stage",
            title=t("stage.page_title", lang),
            url_path="project_stage",
        ),
        page(
            "mission_edit",
            title=t("mission_form.page_title", lang),
            url_path="mission_edit",
        ),
    ],
    t("nav.section.reference", lang): [
        page(
            "definitions",
            title=t("page.definitions.title", lang),
            url_path="definitions",
        ),
    ],
}
# The menu shows the pages the signed-in user's role opens. Signed out, every page stays
# reachable by its URL (a bookmark) but none is listed: each shows the sign-in form instead of
# its content (components.auth.require_user), and is then opened with the role it needs.
user = signed_in_user()
if user is None:
    st.navigation([p for section in pages.values() for p in section], position="hidden").run()
else:
    allowed = {
        section: [p for p in section_pages if can(user.role, PAGE_ROLES[STEMS[id(p)]])]
        for section, section_pages in pages.items()
    }
    st.navigation({s: ps for s, ps in allowed.items() if ps}).run()
