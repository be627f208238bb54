"""Move a project to its next stage (or to Lost, On hold...), with its history kept."""

from __future__ import annotations

import streamlit as st

from components.forms import render_author, show_flash
from components.shell import page_setup
from components.stage_form import render_stage_form
from core.i18n import t

ctx = page_setup(__file__)
author = render_author(ctx.lang)

st.title(t("stage.title", ctx.lang))
st.caption(t("stage.intro", ctx.lang))
show_flash()
render_stage_form(ctx, author)
