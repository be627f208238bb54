"""Missions: the calendar of missions, fairs and delegations, and what each one produced."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import streamlit as st

from components.dashboard_filters import render_dashboard_filters
from components.masking import current_masking
from components.missions_views import (
    DETAIL_KEY,
    build_leads_cost_figure,
    build_timeline_figure,
    comparison_ids_by_label,
    mission_option,
    read_mission_comparison,
    read_mission_detail,
    read_mission_figures,
    render_chart,
    render_comparison_table,
    render_headline,
    render_mission_detail,
    timeline_frame,
    timeline_labels,
)
from components.readers import read_country_names, read_sector_labels
from components.results_tiles import render_freshness
from components.shell import page_setup
from core.formatting import format_period
from core.i18n import t
from core.periods import Period

#: How far ahead the calendar looks for coming missions when the period reaches today.
COMING_DAYS = 365

ctx = page_setup(__file__)
lang, db_url, settings, today = ctx.lang, ctx.db_url, ctx.settings, ctx.today
source = t("source.crm", lang, agency=settings.agency_name)

st.title(t("missions.title", lang))
filters = render_dashboard_filters(ctx)
render_freshness(ctx)
period = filters.period
period_text = format_period(period.start, period.end, lang)
countries = read_country_names(db_url, lang)
names = {"country": countries, "sector": read_sector_labels(db_url, lang)}

figures = read_mission_figures(db_url, filters, today)
if figures.empty:
    st.info(t("missions.no_data", lang, period=period_text))
    st.stop()

render_headline(figures, lang, period_text)
if filters.is_narrowed:
    st.caption(t("missions.narrowed", lang))

# --- Calendar ---------------------------------------------------------------------------------
st.divider()
calendar, caption, title = figures, "missions.timeline.caption", "missions.timeline.title"
if period.end >= today:
    # A period reaching today also shows what is coming in the next months.
    ahead = Period(today + timedelta(days=1), today + timedelta(days=COMING_DAYS))
    coming = read_mission_figures(db_url, replace(filters, period=ahead), today)
    calendar = timeline_frame(figures, coming)
    caption, title = "missions.timeline.caption_coming", "missions.timeline.title_coming"
# A click on a mission of the period opens its detail below (coming ones have no figures yet).
detail_ids = {int(i) for i in figures["id"]}
render_chart(
    build_timeline_figure(
        calendar, lang, t(title, lang, period=period_text, days=COMING_DAYS), today, countries
    ),
    key="missions_timeline",
    ids_by_label={
        label: i for i, label in timeline_labels(calendar, lang).items() if i in detail_ids
    },
)
st.caption(t(caption, lang, source=source, days=COMING_DAYS) + " " + t("missions.click", lang))

# --- Missions side by side --------------------------------------------------------------------
st.divider()
st.subheader(t("missions.table.title", lang, period=period_text))
render_comparison_table(figures, lang, countries)
st.caption(t("missions.table.caption", lang, source=source))

comparison = read_mission_comparison(db_url, filters, today)
if comparison.empty:
    st.info(t("missions.bars.empty", lang))
else:
    render_chart(
        build_leads_cost_figure(comparison, lang, t("missions.bars.title", lang)),
        key="missions_bars",
        ids_by_label=comparison_ids_by_label(comparison),
    )
    st.caption(t("missions.bars.caption", lang, source=source))

# --- One mission ------------------------------------------------------------------------------
st.divider()
options = {int(row["id"]): mission_option(row, lang) for row in figures.to_dict("records")}
chosen = st.selectbox(
    t("missions.detail.label", lang),
    options=list(options),
    index=None,
    format_func=lambda mission_id: options.get(mission_id, str(mission_id)),
    placeholder=t("missions.detail.placeholder", lang),
    key=DETAIL_KEY,
)
if chosen is not None:
    detail = read_mission_detail(db_url, chosen, filters, today, masking=current_masking())
    if detail is None:
        st.info(t("missions.detail.missing", lang))
    else:
        render_mission_detail(detail, lang, names)
        st.caption(t("missions.detail.caption", lang, source=source))
