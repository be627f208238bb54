"""World map: where leads, projects, jobs and meetings come from; flows to the territory; the
chamber network. A click on a country filters every page to it."""

from __future__ import annotations

import streamlit as st

from components.dashboard_filters import render_dashboard_filters, set_country_filter
from components.map_views import (
    PrebuiltDeck,
    get_world_map_json,
    read_chamber_points,
    read_origin_figures,
    read_unknown_origin,
    render_chamber_table,
    render_country_records,
    render_map_legend,
    render_top_countries,
    render_world_map,
)
from components.readers import read_country_names
from components.results_tiles import render_freshness, render_results_line
from components.shell import page_setup
from core.formatting import format_integer, format_period
from core.geo import MAP_METRICS
from core.i18n import t

TOP_N = 15
METRIC_KEY = "map_metric"
METRIC_PARAM = "metric"
DEFAULT_METRIC = "projects_won"


def handle_metric_change() -> None:
    st.query_params[METRIC_PARAM] = st.session_state[METRIC_KEY]


ctx = page_setup(__file__)
lang, db_url, settings = ctx.lang, ctx.db_url, ctx.settings
source = t("source.crm", lang, agency=settings.agency_name)

st.title(t("map.title", lang))
filters = render_dashboard_filters(ctx)
period = filters.period
render_freshness(ctx)
render_results_line(ctx, period, filters)

# The figure shown lives in the URL too, so a bookmarked map reopens on the same figure.
asked = st.query_params.get(METRIC_PARAM)
if asked in MAP_METRICS:
    st.session_state[METRIC_KEY] = asked
elif st.session_state.get(METRIC_KEY) not in MAP_METRICS:
    st.session_state[METRIC_KEY] = DEFAULT_METRIC
metric = st.segmented_control(
    t("map.metric.label", lang),
    options=list(MAP_METRICS),
    format_func=lambda m: t(f"map.metric.{m}", lang),
    key=METRIC_KEY,
    required=True,
    on_change=handle_metric_change,
)
st.query_params[METRIC_PARAM] = metric
metric_label = t(f"map.metric.{metric}", lang)
definition = t(f"map.definition.{metric}", lang)

figures = read_origin_figures(db_url, filters, metric, lang)
chambers = read_chamber_points(db_url, filters)
unknown = read_unknown_origin(db_url, filters, metric)
names = read_country_names(db_url, lang)

left, middle, right = st.columns(3)
left.metric(
    t("map.total", lang, metric=metric_label),
    format_integer(int(figures["value"].sum()), lang),
    help=definition,
)
middle.metric(
    t("map.countries", lang),
    format_integer(len(figures), lang),
    help=t("map.countries.help", lang),
)
right.metric(
    t("map.unknown", lang), format_integer(unknown, lang), help=t("map.unknown.help", lang)
)

st.subheader(
    t(
        "map.map_title",
        lang,
        metric=metric_label,
        period=format_period(period.start, period.end, lang),
    )
)
if figures.empty and chambers.empty:
    st.info(t("map.no_data", lang))
deck = PrebuiltDeck(
    get_world_map_json(
        db_url,
        figures,
        chambers,
        lang=lang,
        metric_label=metric_label,
        home=(settings.territory_lat, settings.territory_lon),
        home_country=settings.territory_country,
    )
)
render_world_map(deck, set_country_filter, filters.countries)
render_map_legend(figures, lang, metric_label)
st.caption(
    t(
        "map.caption",
        lang,
        definition=definition,
        territory=settings.territory_name,
        source=source,
    )
)

st.divider()
render_top_countries(
    figures,
    lang,
    metric_label,
    limit=TOP_N,
    file_stem=f"origins_{metric}_{period.start}_{period.end}",
)
render_country_records(figures, metric, metric_label, ctx, filters)
render_chamber_table(chambers, names, lang)
