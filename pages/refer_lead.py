"""Refer a lead (partners): a company that may invest, its contact and its plans."""

from __future__ import annotations

import streamlit as st

from components.forms import show_flash
from components.partner_views import partner_scope_of, render_chamber_caption, render_referral_form
from components.shell import page_setup
from core.i18n import t

ctx = page_setup(__file__)
scope = partner_scope_of(ctx)

st.title(t("refer.title", ctx.lang))
render_chamber_caption(ctx, scope)
st.write(t("refer.intro", ctx.lang))
show_flash()
render_referral_form(ctx, scope)
