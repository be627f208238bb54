"""Frozen figures (admins): the figures of a year or a period frozen as announced, and where
the live figures now differ from them."""

from __future__ import annotations

import streamlit as st

from components.forms import show_flash
from components.shell import page_setup
from components.snapshot_views import render_freeze_form, render_snapshots
from core.i18n import t

ctx = page_setup(__file__)
st.title(t("snapshot.title", ctx.lang))
st.write(t("snapshot.intro", ctx.lang))
show_flash()
with st.expander(t("snapshot.freeze", ctx.lang), expanded=False):
    render_freeze_form(ctx)
render_snapshots(ctx)
