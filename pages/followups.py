"""My follow-ups: what is due and overdue, marked done or moved in a click."""

from __future__ import annotations

import streamlit as st

from components.followup_views import render_followups
from components.forms import render_author, show_flash
from components.shell import page_setup
from core.i18n import t

ctx = page_setup(__file__)
author = render_author(ctx.lang)

st.title(t("followups.title", ctx.lang))
st.caption(t("followups.intro", ctx.lang))
show_flash()
render_followups(ctx, author)
