"""India focus: India's weight in the figures and over time, its pipeline and sectors, the
cities projects come from, meetings, the Indian chambers, and what comes next."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from components.dashboard_filters import render_dashboard_filters
from components.india_views import (
    read_coming_india_actions,
    read_india_meetings,
    read_india_pipeline,
    read_india_places,
    read_india_sectors,
    read_india_share,
    read_india_yearly,
    read_indian_chambers,
    render_chambers,
    render_coming_actions,
    render_meetings,
    render_pipeline,
    render_places,
    render_sectors,
    render_share_tiles,
    render_yearly,
)
from components.masking import current_masking
from components.readers import read_sector_labels
from components.results_tiles import render_freshness, render_results_line
from components.shell import page_setup
from core.formatting import format_day, format_period
from core.i18n import t
from core.refdata import get_sector_colours

YEARS = 5

ctx = page_setup(__file__)
lang, db_url, settings, today = ctx.lang, ctx.db_url, ctx.settings, ctx.today
source = t("source.crm", lang, agency=settings.agency_name)

st.title(t("india.title", lang))
filters = render_dashboard_filters(ctx)
period = filters.period
render_freshness(ctx)
render_results_line(ctx, period, replace(filters, countries=("IN",), regions=()))
shown_period = format_period(period.start, period.end, lang)
if filters.countries or filters.regions:
    st.caption(t("india.origin_filters_ignored", lang))

st.subheader(t("india.share.title", lang, period=shown_period))
share = read_india_share(db_url, filters)
if int(share["world"].sum()) == 0:
    st.info(t("india.no_data", lang))
render_share_tiles(share, lang)

last = period.end.year
st.subheader(t("india.yearly.title", lang, first=last - YEARS + 1, last=last))
render_yearly(
    read_india_yearly(db_url, filters, last - YEARS + 1, last), lang, ctx=ctx, filters=filters
)

st.divider()
left, right = st.columns(2)
with left:
    st.subheader(t("india.pipeline.title", lang, day=format_day(period.end, lang)))
    render_pipeline(read_india_pipeline(db_url, filters, today), lang, ctx=ctx, filters=filters)
with right:
    st.subheader(t("india.sectors.title", lang, period=shown_period))
    render_sectors(
        read_india_sectors(db_url, filters),
        read_sector_labels(db_url, lang),
        get_sector_colours(),
        lang,
        ctx=ctx,
        filters=filters,
    )

st.divider()
st.subheader(t("india.places.title", lang, period=shown_period))
render_places(read_india_places(db_url, filters), lang, ctx=ctx, filters=filters)

st.divider()
st.subheader(t("india.meetings.title", lang, period=shown_period))
render_meetings(read_india_meetings(db_url, filters), lang, ctx=ctx, filters=filters)

st.subheader(t("india.chambers.title", lang, period=shown_period))
render_chambers(read_indian_chambers(db_url, filters), lang)

st.subheader(t("india.actions.title", lang))
render_coming_actions(read_coming_india_actions(db_url, today, masking=current_masking()), lang)
st.caption(t("common.source", lang, source=source))
