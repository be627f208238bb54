"""The audit trail (admins): who changed what, when, before and after; an earlier value put
back."""

from __future__ import annotations

import streamlit as st

from components.admin_views import render_audit_trail
from components.shell import page_setup
from core.i18n import t

ctx = page_setup(__file__)
st.title(t("audit.title", ctx.lang))
st.write(t("audit.intro", ctx.lang))
render_audit_trail(ctx)
