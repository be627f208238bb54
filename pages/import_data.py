"""Import organisations or people from a spreadsheet, checked row by row before anything is
written."""

from __future__ import annotations

import streamlit as st

from components.forms import render_author, show_flash
from components.import_views import render_import
from components.shell import page_setup
from core.i18n import t

ctx = page_setup(__file__)
author = render_author(ctx.lang)

st.title(t("import.title", ctx.lang))
st.caption(t("import.intro", ctx.lang))
show_flash()
render_import(ctx, author)
