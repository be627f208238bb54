"""Log a meeting outcome: right after a meeting, in under a minute, without losing a word."""

from __future__ import annotations

import streamlit as st

from components.forms import render_author, show_flash
from components.meeting_form import render_meeting_form
from components.shell import page_setup
from core.i18n import t

ctx = page_setup(__file__)
author = render_author(ctx.lang)

st.title(t("meeting.title", ctx.lang))
st.caption(t("meeting.intro", ctx.lang))
show_flash()
render_meeting_form(ctx, author)
