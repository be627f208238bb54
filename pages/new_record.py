"""Create an organisation, a person or a project (a lead), with look-alike records shown first."""

from __future__ import annotations

import streamlit as st

from components.forms import render_author, show_flash
from components.record_forms import (
    render_organisation_form,
    render_person_form,
    render_project_form,
)
from components.shell import page_setup
from core.i18n import t

ctx = page_setup(__file__)
author = render_author(ctx.lang)

st.title(t("new.title", ctx.lang))
st.caption(t("new.intro", ctx.lang))
show_flash()
organisation, person, project = st.tabs(
    [t(f"new.tab.{name}", ctx.lang) for name in ("organisation", "person", "project")]
)
with organisation:
    render_organisation_form(ctx, author)
with person:
    render_person_form(ctx, author)
with project:
    render_project_form(ctx, author)
