"""The network (viewers and up): chambers ranked by the leads they referred, qualified and won
in a period, the map of chambers coloured by results, and the records behind each figure."""

from __future__ import annotations

import streamlit as st

from components.filters import render_period_caption, render_period_selector
from components.network_views import render_network
from components.shell import page_setup
from core.i18n import t

ctx = page_setup(__file__)

st.title(t("network.title", ctx.lang))
st.caption(t("network.intro", ctx.lang))
choice = render_period_selector(ctx.lang, ctx.today)
if choice is not None:
    render_period_caption(choice, ctx.lang)
    render_network(ctx, choice.period)
