"""Correct an organisation, a person, a mission, a project or a logged meeting."""

from __future__ import annotations

import streamlit as st

from components.edit_forms import (
    render_interaction_edit,
    render_mission_edit,
    render_organisation_edit,
    render_person_edit,
    render_project_edit,
)
from components.forms import render_author, show_flash
from components.shell import page_setup
from core.i18n import t

ctx = page_setup(__file__)
author = render_author(ctx.lang)

st.title(t("edit.title", ctx.lang))
show_flash()
organisation, person, project, meeting, mission = st.tabs(
    [
        t("new.tab.organisation", ctx.lang),
        t("new.tab.person", ctx.lang),
        t("edit.tab.project", ctx.lang),
        t("edit.tab.meeting", ctx.lang),
        t("edit.tab.mission", ctx.lang),
    ]
)
with organisation:
    render_organisation_edit(ctx, author)
with person:
    render_person_edit(ctx, author)
with project:
    render_project_edit(ctx, author)
with meeting:
    render_interaction_edit(ctx, author)
with mission:
    render_mission_edit(ctx, author)
