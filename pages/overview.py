"""Overview: the six headline figures of a period, the records behind them, the monthly trend."""

from __future__ import annotations

import streamlit as st

from components.charts import render_monthly_trend
from components.dashboard_filters import render_dashboard_filters
from components.kpi_tiles import TILES, render_kpi_tiles
from components.masking import current_masking
from components.overview_views import render_breakdown, render_yearly_table
from components.performance_tiles import PERFORMANCE_RECORDS, render_performance_tiles
from components.readers import (
    read_country_names,
    read_headline_kpis,
    read_kpi_records,
    read_monthly_trend,
    read_performance_kpis,
    read_sector_labels,
    read_targets,
    read_won_breakdown,
    read_yearly_summary,
)
from components.results_readers import read_trend_marks
from components.results_tiles import render_freshness, render_results_line
from components.shell import page_setup
from components.tables import localise_frame, render_downloads, render_table
from components.trend_notes_views import render_trend_notes_admin
from core.formatting import format_integer, format_period
from core.i18n import t
from core.refdata import get_sector_colours
from models import InteractionKind, MissionKind, OrganisationKind

DETAIL_LIMIT = 1000
#: The enum of each record list's "kind" column (organisations' unless said here).
RECORD_KINDS = {
    "meetings": InteractionKind,
    "delegations_received": MissionKind,
    "missions_held": MissionKind,
}
TOP_N = 10

ctx = page_setup(__file__)
lang, db_url, settings = ctx.lang, ctx.db_url, ctx.settings
home = settings.territory_country
source = t("source.crm", lang, agency=settings.agency_name)

st.title(t("overview.title", lang))
filters = render_dashboard_filters(ctx, comparison=True)
period = filters.period
render_freshness(ctx)
comparison = period.previous()

kpis = read_headline_kpis(db_url, period.start, period.end, home, filters)
previous = read_headline_kpis(db_url, comparison.start, comparison.end, home, filters)
if not any(getattr(kpis, tile.field) for tile in TILES):
    st.info(t("overview.no_data", lang))

year = period.start.year if period.is_calendar_year else None
tile_context = {
    "lang": lang,
    "period": period,
    "comparison": comparison,
    "source": source,
    # Targets are for the whole portfolio: none is compared with a filtered figure.
    "targets": read_targets(db_url, year) if year and not filters.is_narrowed else {},
    "year": year,
}
render_kpi_tiles(kpis, previous, tile_context)
render_performance_tiles(
    read_performance_kpis(db_url, period.start, period.end, home, filters),
    read_performance_kpis(db_url, comparison.start, comparison.end, home, filters),
    tile_context,
)
render_results_line(ctx, period, filters)

detail = st.selectbox(
    t("overview.detail.label", lang),
    options=[tile.key for tile in TILES] + list(PERFORMANCE_RECORDS),
    index=None,
    placeholder=t("overview.detail.placeholder", lang),
    format_func=lambda k: t(f"kpi.{k}.label", lang),
    key="kpi_detail",
)
if detail:
    records, total = read_kpi_records(
        db_url,
        detail,
        period.start,
        period.end,
        home,
        DETAIL_LIMIT,
        filters,
        masking=current_masking(),
    )
    if records.empty:
        st.info(t("overview.detail.empty", lang))
    else:
        shown = localise_frame(
            records,
            lang,
            countries=read_country_names(db_url, lang),
            sectors=read_sector_labels(db_url, lang),
            drop=("id", "organisation_id"),
            kind=RECORD_KINDS.get(detail, OrganisationKind),
        )
        st.caption(
            t(
                "common.rows_shown",
                lang,
                shown=format_integer(len(records), lang),
                total=format_integer(total, lang),
            )
        )
        render_table(shown, lang, key="kpi_detail_table")
        render_downloads(
            shown, lang, file_stem=f"{detail}_{period.start}_{period.end}", key="kpi_detail"
        )

st.divider()
left, right = st.columns(2)
with left:
    render_breakdown(
        read_won_breakdown(db_url, period.start, period.end, "country", filters, TOP_N),
        read_country_names(db_url, lang),
        None,
        lang,
        title=t("overview.top.title.countries", lang),
        key="top_countries",
        dimension="countries",
        ctx=ctx,
        filters=filters,
        home=home,
    )
with right:
    render_breakdown(
        read_won_breakdown(db_url, period.start, period.end, "sector", filters, TOP_N),
        read_sector_labels(db_url, lang),
        get_sector_colours(),
        lang,
        title=t("overview.top.title.sectors", lang),
        key="top_sectors",
        dimension="sectors",
        ctx=ctx,
        filters=filters,
        home=home,
    )
st.caption(t("overview.top.caption", lang, source=source))

st.divider()
last_year = period.end.year
summary = read_yearly_summary(db_url, last_year - 4, last_year, filters)
yearly_targets = (
    {}
    if filters.is_narrowed
    else {year: read_targets(db_url, year) for year in range(last_year - 4, last_year + 1)}
)
render_yearly_table(summary, yearly_targets, lang, source)

st.divider()
trend = read_monthly_trend(db_url, period.start, period.end, filters)
render_monthly_trend(
    trend,
    lang,
    t("overview.trend.title", lang, period=format_period(period.start, period.end, lang)),
    ctx=ctx,
    filters=filters,
    home=home,
    marks=read_trend_marks(db_url, period),
)
st.caption(t("common.source", lang, source=source))
render_trend_notes_admin(ctx)
