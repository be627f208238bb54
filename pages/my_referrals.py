"""My chamber's referrals (partners): each lead's stage, owner and the agency's last update;
then the chamber's attribution claims and the agency's decisions."""

from __future__ import annotations

import streamlit as st

from components.partner_views import (
    partner_scope_of,
    render_chamber_caption,
    render_claims,
    render_referrals,
)
from components.shell import page_setup
from core.i18n import t

ctx = page_setup(__file__)
scope = partner_scope_of(ctx)

st.title(t("referrals.title", ctx.lang))
render_chamber_caption(ctx, scope)
st.caption(t("referrals.intro", ctx.lang))
render_referrals(ctx, scope)
render_claims(ctx, scope)
