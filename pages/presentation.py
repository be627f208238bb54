"""Presentation (press conference): the year's results as full-screen slides for a projector,
from frozen figures or the live data; keyboard and clicker navigation, optional auto-advance."""

from __future__ import annotations

import streamlit as st

from components.presentation_views import DECK_KEY, render_presentation, render_setup
from components.shell import page_setup
from core.i18n import t

ctx = page_setup(__file__)
if st.session_state.get(DECK_KEY):
    render_presentation(ctx)
else:
    st.title(t("deck.title", ctx.lang))
    st.write(t("deck.intro", ctx.lang))
    render_setup(ctx)
