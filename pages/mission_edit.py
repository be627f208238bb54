"""Missions, fairs and delegations: create one, record who was met there."""

from __future__ import annotations

import streamlit as st

from components.forms import render_author, show_flash
from components.mission_form import render_new_mission_form, render_participants_form
from components.shell import page_setup
from core.i18n import t

ctx = page_setup(__file__)
author = render_author(ctx.lang)

st.title(t("mission_form.title", ctx.lang))
show_flash()
met, new = st.tabs([t("mission_form.tab.met", ctx.lang), t("mission_form.tab.new", ctx.lang)])
with met:
    render_participants_form(ctx, author)
with new:
    render_new_mission_form(ctx, author)
