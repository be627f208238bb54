"""Entry point: page config, language, navigation. Everything else lives in pages/ and below.

Each page's URL path is its file name: a bookmark opened as the very first request after the
server starts is routed by Streamlit's legacy ``pages/`` mode, which knows pages only by their
file names (see ``components.shell.leave_legacy_pages_mode``).

Run with ``streamlit run app.py``. Each page also calls ``components.shell.page_setup`` itself,
so that a page opened first by a deep link works even if Streamlit runs it without this file.
"""

from __future__ import annotations

import streamlit as st

from components.shell import THROUGH_APP_KEY, resolve_language
from core.i18n import t

st.session_state[THROUGH_APP_KEY] = True
lang = resolve_language()
st.set_page_config(page_title=t("app.title", lang), layout="wide")

pages = {
    t("nav.section.dashboards", lang): [
        st.Page(
            "pages/overview.py",
            title=t("page.overview.title", lang),
            url_path="overview",
            default=True,
        ),
        st.Page("pages/sectors.py", title=t("sectors.page_title", lang), url_path="sectors"),
        st.Page("pages/pipeline.py", title=t("pipeline.page_title", lang), url_path="pipeline"),
        st.Page("pages/missions.py", title=t("missions.page_title", lang), url_path="missions"),
        st.Page("pages/world_map.py", title=t("map.page_title", lang), url_path="world_map"),
        st.Page("pages/india.py", title=t("india.page_title", lang), url_path="india"),
    ],
    t("nav.section.contacts", lang): [
        st.Page(
            "pages/directory.py",
            title=t("page.directory.title", lang),
            url_path="directory",
        ),
    ],
    t("nav.section.entry", lang): [
        st.Page(
            "pages/log_meeting.py",
            title=t("meeting.page_title", lang),
            url_path="log_meeting",
        ),
        st.Page(
            "pages/followups.py",
            title=t("followups.page_title", lang),
            url_path="followups",
        ),
        st.Page(
            "pages/new_record.py",
            title=t("new.page_title", lang),
            url_path="new_record",
        ),
        st.Page(
            "pages/edit_record.py",
            title=t("edit.page_title", lang),
            url_path="edit_record",
        ),
        st.Page(
            "pages/import_data.py",
            title=t("import.page_title", lang),
            url_path="import_data",
        ),
        st.Page(
            "pages/project_stage.py",
            title=t("stage.page_title", lang),
            url_path="project_stage",
        ),
        st.Page(
            "pages/mission_edit.py",
            title=t("mission_form.page_title", lang),
            url_path="mission_edit",
        ),
    ],
    t("nav.section.reference", lang): [
        st.Page(
            "pages/definitions.py",
            title=t("page.definitions.title", lang),
            url_path="definitions",
        ),
    ],
}
st.navigation(pages).run()
