"""Attribution claims: staff record who claims a project; administrators decide each claim with
a reason, in view of the agency's own contact history with the company."""

from __future__ import annotations

import streamlit as st

from components.claim_views import render_claim_decisions, render_claim_form, render_claims_list
from components.forms import render_author, show_flash
from components.shell import page_setup
from core.i18n import t

ctx = page_setup(__file__)
author = render_author(ctx.lang)

st.title(t("claims.title", ctx.lang))
st.caption(t("claims.intro", ctx.lang))
show_flash()
render_claim_decisions(ctx, author)
st.divider()
render_claim_form(ctx, author)
st.divider()
render_claims_list(ctx)
