"""Pipeline: where the projects stand at the period's end, how they move from stage to stage,
where they stall, which ones nobody has contacted lately, and why projects are lost.

Definitions are those of ``core.pipeline`` (its docstring), repeated in the captions.
"""

from __future__ import annotations

import streamlit as st

from components.dashboard_filters import render_dashboard_filters
from components.drilldown import render_drill_chart
from components.masking import current_masking
from components.pipeline_views import (
    build_funnel_figure,
    build_lost_reasons_figure,
    build_time_in_stage_figure,
    build_won_lost_figure,
    conversion_table,
    funnel_drills,
    funnel_table,
    lost_locations_table,
    lost_reason_drills,
    lost_reasons_table,
    projects_table,
    read_lost_reasons,
    read_open_projects,
    read_stage_conversion,
    read_stage_funnel,
    read_stale_projects,
    read_time_in_stage,
    read_won_lost_by_month,
    time_in_stage_drills,
    time_in_stage_table,
    won_lost_drills,
)
from components.readers import read_country_names, read_sector_labels
from components.results_tiles import render_freshness
from components.shell import page_setup
from components.tables import render_downloads
from core.formatting import format_day, format_integer, format_period
from core.i18n import t
from core.pipeline import DEFAULT_STALE_DAYS, as_of_day

ROWS = 500  # rows of the project tables (the CSV holds the same rows)

ctx = page_setup(__file__)
lang, db_url, today = ctx.lang, ctx.db_url, ctx.today
home = ctx.settings.territory_country
source = t("source.crm", lang, agency=ctx.settings.agency_name)

st.title(t("pipeline.title", lang))
filters = render_dashboard_filters(ctx)
render_freshness(ctx)
period = filters.period
span = format_period(period.start, period.end, lang)
as_of = format_day(as_of_day(period, today), lang)
stem = f"{period.start}_{period.end}"
names = {
    "sectors": read_sector_labels(db_url, lang),
    "countries": read_country_names(db_url, lang),
}


def _caption(key: str, **kwargs: str) -> None:
    st.caption(t(key, lang, **kwargs) + " " + t("common.source", lang, source=source))


def _table(frame, key: str, file_stem: str) -> None:
    st.dataframe(frame, hide_index=True, key=key)
    render_downloads(frame, lang, file_stem=file_stem, key=key)


# --- Funnel ------------------------------------------------------------------------------------
st.header(t("pipeline.funnel.header", lang))
funnel = read_stage_funnel(db_url, filters, today)
if int(funnel["projects"].sum()) == 0:
    st.info(t("pipeline.funnel.empty", lang))
else:
    left, right = st.columns([3, 2])
    with left:
        render_drill_chart(
            build_funnel_figure(funnel, lang, t("pipeline.funnel.title", lang, day=as_of)),
            funnel_drills(funnel, filters, lang),
            ctx,
            key="pipeline_funnel",
            home_country=home,
        )
    with right:
        _table(funnel_table(funnel, lang), "pipeline_funnel_table", f"pipeline-funnel_{stem}")
_caption("pipeline.funnel.caption", day=as_of, period=span)

# --- Conversion --------------------------------------------------------------------------------
st.header(t("pipeline.conversion.header", lang))
conversion = read_stage_conversion(db_url, filters)
if int(conversion["reached_from"].iloc[0]) == 0:
    st.info(t("pipeline.conversion.empty", lang))
else:
    _table(
        conversion_table(conversion, lang),
        "pipeline_conversion_table",
        f"pipeline-conversion_{stem}",
    )
_caption("pipeline.conversion.caption", period=span)

# --- Time in stage -----------------------------------------------------------------------------
st.header(t("pipeline.time.header", lang))
times = read_time_in_stage(db_url, filters)
if int(times["stays"].sum()) == 0:
    st.info(t("pipeline.time.empty", lang))
else:
    left, right = st.columns([3, 2])
    with left:
        render_drill_chart(
            build_time_in_stage_figure(times, lang, t("pipeline.time.title", lang)),
            time_in_stage_drills(times, filters, lang),
            ctx,
            key="pipeline_time",
            home_country=home,
        )
    with right:
        _table(time_in_stage_table(times, lang), "pipeline_time_table", f"pipeline-time_{stem}")
_caption("pipeline.time.caption", period=span)

# --- Stale projects ----------------------------------------------------------------------------
st.header(t("pipeline.stale.header", lang))
days = st.number_input(
    t("pipeline.stale.days", lang),
    min_value=0,
    max_value=3650,
    value=DEFAULT_STALE_DAYS,
    step=15,
    key="pipeline_stale_days",
    help=t("pipeline.stale.days_help", lang),
)
stale, stale_total = read_stale_projects(
    db_url, filters, int(days), today, ROWS, masking=current_masking()
)
if stale.empty:
    st.success(t("pipeline.stale.empty", lang, days=format_integer(int(days), lang), day=as_of))
else:
    st.markdown(
        t(
            "pipeline.stale.count",
            lang,
            n=format_integer(stale_total, lang),
            days=format_integer(int(days), lang),
            day=as_of,
        )
    )
    table, config = projects_table(stale, lang, names)
    st.dataframe(table, hide_index=True, column_config=config, key="pipeline_stale_table")
    render_downloads(table, lang, file_stem=f"pipeline-stale_{stem}", key="pipeline_stale")
_caption("pipeline.stale.caption", day=as_of)

# --- Won and lost ------------------------------------------------------------------------------
st.header(t("pipeline.decisions.header", lang))
won_lost = read_won_lost_by_month(db_url, filters)
if int(won_lost[["won", "lost"]].to_numpy().sum()) == 0:
    st.info(t("pipeline.decisions.empty", lang))
else:
    render_drill_chart(
        build_won_lost_figure(won_lost, lang, t("pipeline.decisions.title", lang, period=span)),
        won_lost_drills(won_lost, filters, lang),
        ctx,
        key="pipeline_won_lost",
        home_country=home,
    )
_caption("pipeline.decisions.caption", period=span)

reasons, locations = read_lost_reasons(db_url, filters)
st.subheader(t("pipeline.lost.header", lang, period=span))
if reasons.empty:
    st.info(t("pipeline.lost.empty", lang))
else:
    left, right = st.columns(2)
    with left:
        render_drill_chart(
            build_lost_reasons_figure(reasons, lang, t("pipeline.lost.title", lang)),
            lost_reason_drills(reasons, filters, lang),
            ctx,
            key="pipeline_lost_reasons",
            home_country=home,
        )
        _table(
            lost_reasons_table(reasons, lang),
            "pipeline_lost_reasons_table",
            f"pipeline-lost-reasons_{stem}",
        )
    with right:
        st.markdown(f"**{t('pipeline.lost.locations', lang)}**")
        _table(
            lost_locations_table(locations, lang),
            "pipeline_lost_locations_table",
            f"pipeline-lost-locations_{stem}",
        )
_caption("pipeline.lost.caption", period=span)

# --- Open projects -----------------------------------------------------------------------------
st.header(t("pipeline.open.header", lang, day=as_of))
projects, total = read_open_projects(db_url, filters, today, ROWS, masking=current_masking())
if projects.empty:
    st.info(t("pipeline.open.empty", lang))
else:
    st.caption(
        t(
            "common.rows_shown",
            lang,
            shown=format_integer(len(projects), lang),
            total=format_integer(total, lang),
        )
    )
    table, config = projects_table(projects, lang, names)
    st.dataframe(table, hide_index=True, column_config=config, key="pipeline_open_table")
    render_downloads(table, lang, file_stem=f"pipeline-open_{stem}", key="pipeline_open")
_caption("pipeline.open.caption", day=as_of)
