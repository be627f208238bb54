"""Merge two records of the same organisation or person (admins only)."""

from __future__ import annotations

import streamlit as st

from components.forms import show_flash
from components.merge_forms import render_merge
from components.shell import page_setup
from core.i18n import t

ctx = page_setup(__file__)

st.title(t("merge.title", ctx.lang))
st.write(t("merge.intro", ctx.lang))
show_flash()
organisations, people = st.tabs(
    [t("new.tab.organisation", ctx.lang), t("new.tab.person", ctx.lang)]
)
with organisations:
    render_merge(ctx, "organisation")
with people:
    render_merge(ctx, "person")
