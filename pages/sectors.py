"""Sectors: the six strategic sectors side by side, over time, by origin and against targets."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from components.dashboard_filters import render_dashboard_filters
from components.drilldown import render_drill_chart
from components.readers import read_country_names, read_sector_labels
from components.results_tiles import render_freshness, render_results_line
from components.sectors_views import (
    BAR_FIGURES,
    TABLE_COLUMNS,
    build_sector_bars,
    build_trend_figure,
    read_sector_matrix,
    read_sector_summary,
    read_sector_targets,
    read_sector_trend,
    render_comparison_table,
    render_matrix,
    render_targets,
    sector_bar_drills,
    trend_drills,
)
from components.shell import page_setup
from core.formatting import format_period
from core.i18n import t
from core.sectors import MATRIX_MEASURES, trend_unit

TOP_COUNTRIES = 8

ctx = page_setup(__file__)
lang, db_url, settings = ctx.lang, ctx.db_url, ctx.settings
source = t("source.crm", lang, agency=settings.agency_name)
home = settings.territory_country

st.title(t("sectors.title", lang))
filters = render_dashboard_filters(ctx)
period = filters.period
render_freshness(ctx)
render_results_line(ctx, period, filters)
period_text = format_period(period.start, period.end, lang)
labels = read_sector_labels(db_url, lang)

# --- Sectors side by side ---------------------------------------------------------------------
summary = read_sector_summary(db_url, filters)
figures = [column for column, _money in TABLE_COLUMNS]
has_data = int(summary[figures].to_numpy().sum()) > 0 if not summary.empty else False
st.subheader(t("sectors.compare.title", lang, period=period_text))
if not has_data:
    st.info(t("sectors.no_data", lang))
render_comparison_table(summary, labels, lang)
st.caption(t("sectors.compare.caption", lang, source=source))
with st.expander(t("sectors.definitions", lang)):
    for name in [*figures, "conversion"]:
        st.markdown(f"**{t(f'sectors.col.{name}', lang)}** — {t(f'sectors.def.{name}', lang)}")
if has_data and int(summary[list(BAR_FIGURES)].to_numpy().sum()) > 0:
    render_drill_chart(
        build_sector_bars(summary, labels, lang, t("sectors.bars.title", lang, period=period_text)),
        sector_bar_drills(summary, labels, filters, lang),
        ctx,
        key="sectors_bars",
        home_country=home,
    )

# --- Trend ------------------------------------------------------------------------------------
st.divider()
unit = trend_unit(period)
measure = st.radio(
    t("sectors.trend.measure", lang),
    options=["won", "leads"],
    format_func=lambda m: t(f"sectors.col.{m}", lang),
    horizontal=True,
    key="sectors_trend_measure",
)
trend = read_sector_trend(db_url, filters)
trend_title = t(
    f"sectors.trend.title.{unit}.{measure}",
    lang,
    period=period_text,
)
if trend.empty or int(trend[measure].sum()) == 0:
    st.subheader(trend_title)
    st.info(t("sectors.trend.empty", lang))
else:
    render_drill_chart(
        build_trend_figure(trend, measure, unit, labels, lang, trend_title),
        trend_drills(trend, measure, unit, labels, filters, lang),
        ctx,
        key="sectors_trend",
        home_country=home,
    )
st.caption(t(f"sectors.trend.caption.{unit}", lang, source=source))

# --- Sector x country of origin ---------------------------------------------------------------
st.divider()
matrix_measure = st.radio(
    t("sectors.matrix.measure", lang),
    options=list(MATRIX_MEASURES),
    format_func=lambda m: t(f"sectors.col.{m}", lang),
    horizontal=True,
    key="sectors_matrix_measure",
)
render_matrix(
    read_sector_matrix(db_url, filters, matrix_measure, TOP_COUNTRIES),
    labels,
    read_country_names(db_url, lang),
    lang,
    title=t(f"sectors.matrix.title.{matrix_measure}", lang, period=period_text),
    file_stem=f"sectors-origins-{matrix_measure}_{period.start}_{period.end}",
    measure=matrix_measure,
    ctx=ctx,
    filters=filters,
    home=home,
)
st.caption(t("sectors.matrix.caption", lang, top=TOP_COUNTRIES, source=source))

# --- Targets ----------------------------------------------------------------------------------
st.divider()
if period.is_calendar_year:
    year = period.start.year
    st.subheader(t("sectors.targets.title", lang, year=year))
    targets = read_sector_targets(db_url, year, filters.sectors)
    if targets.empty:
        st.info(t("sectors.targets.none", lang, year=year))
    else:
        render_targets(targets, labels, lang)
        if replace(filters, sectors=()).is_narrowed:
            st.caption(t("sectors.targets.unfiltered", lang))
        st.caption(t("sectors.targets.caption", lang, source=t("source.targets", lang)))
else:
    st.subheader(t("sectors.targets.title_any", lang))
    st.info(t("sectors.targets.yearly_only", lang))
