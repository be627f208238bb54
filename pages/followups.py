"""My follow-ups: what is due and overdue, marked done or moved in a click."""

from __future__ import annotations

import streamlit as st

from components.aftercare_views import render_checkin_form, render_checkins_due
from components.followup_views import OWNER_KEY, render_followups
from components.forms import render_author, show_flash
from components.referral_views import render_leads_to_qualify, render_shared_update_form
from components.shell import page_setup
from core.i18n import t

ctx = page_setup(__file__)
author = render_author(ctx.lang)

st.title(t("followups.title", ctx.lang))
st.caption(t("followups.intro", ctx.lang))
show_flash()
render_followups(ctx, author)
st.divider()
render_leads_to_qualify(ctx)
render_shared_update_form(ctx, author)
st.divider()
render_checkins_due(
    ctx, st.session_state.get(OWNER_KEY), int(st.session_state.get("followups_horizon", 14))
)
render_checkin_form(ctx, author)
