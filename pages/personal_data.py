"""Personal data (admins): retention list, one person's rights (export, anonymisation), the
register of data-subject requests."""

from __future__ import annotations

import streamlit as st

from components.admin_views import (
    render_access_log,
    render_person_rights,
    render_requests,
    render_retention,
)
from components.forms import show_flash
from components.shell import page_setup
from core.i18n import t

ctx = page_setup(__file__)
st.title(t("privacy.title", ctx.lang))
show_flash()
retention, person, requests, access = st.tabs(
    [t(f"privacy.tab.{name}", ctx.lang) for name in ("retention", "person", "requests", "access")]
)
with retention:
    render_retention(ctx)
with person:
    render_person_rights(ctx)
with requests:
    render_requests(ctx)
with access:
    render_access_log(ctx)
