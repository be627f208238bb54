"""The network's results (partners): the chamber's figures beside the whole network's."""

from __future__ import annotations

import streamlit as st

from components.partner_views import (
    partner_scope_of,
    render_chamber_caption,
    render_network_results,
)
from components.shell import page_setup
from core.i18n import t

ctx = page_setup(__file__)
scope = partner_scope_of(ctx)

st.title(t("network_results.title", ctx.lang))
render_chamber_caption(ctx, scope)
render_network_results(ctx, scope)
