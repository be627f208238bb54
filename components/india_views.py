"""India focus: cached readers and the page's charts, map and tables.

Charts are plotly bar charts (no geo trace, so nothing is fetched from plotly's CDN); the map
of Indian cities is pydeck without basemap, like the world map.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk
import streamlit as st
from sqlmodel import Session

from components.charts import BLUE, ORANGE, SEPARATORS
from components.db import get_engine_for
from components.drilldown import (
    Drill,
    DrillMap,
    month_period,
    narrowed,
    render_drill_chart,
    render_drilldown,
    year_period,
)
from components.map_views import CHAMBER_LINE, MAP_ENTRIES, TOOLTIP_SPEC, PrebuiltDeck
from components.tables import render_downloads
from core import geo, india
from core.confidentiality import Masking
from core.config import get_settings
from core.filters import DashboardFilters
from core.formatting import format_day, format_integer, format_month, format_percent
from core.i18n import enum_value_label, t
from models import Stage

TTL = get_settings().cache_ttl_seconds
GREY = "#9CA3AF"
INDIA_NUMERIC = "356"


def _session(db_url: str) -> Session:
    return Session(get_engine_for(db_url))


# ---------------------------------------------------------------------------------------------
# Cached readers
# ---------------------------------------------------------------------------------------------


@st.cache_data(ttl=TTL, show_spinner=False)
def read_india_share(db_url: str, filters: DashboardFilters) -> pd.DataFrame:
    with _session(db_url) as session:
        return india.get_india_share(session, filters)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_india_yearly(
    db_url: str, filters: DashboardFilters, first_year: int, last_year: int
) -> pd.DataFrame:
    with _session(db_url) as session:
        return india.get_india_yearly(session, filters, first_year, last_year)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_india_pipeline(db_url: str, filters: DashboardFilters, today: date) -> pd.DataFrame:
    with _session(db_url) as session:
        return india.get_india_pipeline(session, filters, today=today)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_india_sectors(db_url: str, filters: DashboardFilters) -> pd.DataFrame:
    with _session(db_url) as session:
        return india.get_india_sectors(session, filters)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_india_places(db_url: str, filters: DashboardFilters) -> pd.DataFrame:
    with _session(db_url) as session:
        return india.get_india_places(session, filters)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_india_meetings(db_url: str, filters: DashboardFilters) -> pd.DataFrame:
    with _session(db_url) as session:
        return india.get_india_meetings_by_month(session, filters)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_indian_chambers(db_url: str, filters: DashboardFilters) -> pd.DataFrame:
    with _session(db_url) as session:
        return india.get_indian_chambers_contribution(session, filters)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_coming_india_actions(db_url: str, today: date, *, masking: Masking | None) -> pd.DataFrame:
    with _session(db_url) as session:
        return india.list_coming_india_actions(session, today=today, masking=masking)


# ---------------------------------------------------------------------------------------------
# Share of India
# ---------------------------------------------------------------------------------------------


def render_share_tiles(share: pd.DataFrame, lang: str) -> None:
    """India's share of each figure, its count against the world's in the help."""
    for column, row in zip(st.columns(len(share)), share.itertuples(), strict=True):
        column.metric(
            t(f"india.share.{row.metric}", lang),
            format_percent(row.share, lang),
            help=t(
                "india.share.help",
                lang,
                india=format_integer(row.india, lang),
                world=format_integer(row.world, lang),
                definition=t(f"map.definition.{row.metric}", lang),
            ),
        )


def build_yearly_figure(yearly: pd.DataFrame, lang: str) -> go.Figure:
    """Projects won per year, India and the rest of the world stacked."""
    years = [str(y) for y in yearly["year"]]
    rest = yearly["projects_won_world"] - yearly["projects_won_india"]
    fig = go.Figure()
    for name, values, colour in (
        (t("india.series.india", lang), yearly["projects_won_india"], ORANGE),
        (t("india.series.rest", lang), rest, GREY),
    ):
        fig.add_trace(
            go.Bar(
                x=years,
                y=values,
                name=name,
                marker_color=colour,
                hovertemplate="%{x} : %{y:,d}<extra>" + name + "</extra>",
            )
        )
    return _layout(
        fig, lang, int(yearly["projects_won_world"].max()), barmode="stack", showlegend=True
    )


def _dtick(top: int) -> int | None:
    """Tick step 1 for small counts (plotly would show 0.5 steps, rounded twice), else auto."""
    return 1 if top < 8 else None


def _layout(fig: go.Figure, lang: str, top: int, **kwargs: Any) -> go.Figure:
    layout = {
        "separators": SEPARATORS.get(lang, ".,"),
        "height": 360,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "font": {"size": 15},
        "legend": {"orientation": "h", "y": -0.15},
    }
    fig.update_layout(**{**layout, **kwargs})
    # Counts: whole ticks only (a small maximum would otherwise give 0.5 steps shown twice).
    fig.update_yaxes(tickformat=",d", gridcolor="#D9DEE6", tick0=0, dtick=_dtick(top))
    fig.update_xaxes(type="category")
    return fig


def yearly_table(yearly: pd.DataFrame, lang: str) -> pd.DataFrame:
    rows = {t("india.col.year", lang): [str(y) for y in yearly["year"]]}
    for figure in ("leads", "projects_won", "jobs"):
        india_values, world = yearly[f"{figure}_india"], yearly[f"{figure}_world"]
        rows[t(f"india.col.{figure}", lang)] = [
            f"{format_integer(i, lang)} / {format_integer(w, lang)}"
            for i, w in zip(india_values, world, strict=True)
        ]
    return pd.DataFrame(rows)


def india_only(filters: DashboardFilters) -> DashboardFilters:
    """The page's filters narrowed to projects and organisations from India."""
    return narrowed(india.india_filters(filters), countries=(india.INDIA,))


def render_yearly(yearly: pd.DataFrame, lang: str, *, ctx: Any, filters: DashboardFilters) -> None:
    if int(yearly["projects_won_world"].sum()) == 0:
        st.info(t("india.no_data", lang))
    else:
        # The Indian part of each year's bar: India's projects won that year. (The rest of the
        # world is no single filter: no drill of its own.)
        india = t("india.series.india", lang)
        drills = {
            (0, str(year)): Drill(
                f"{year} — {india} — {t('india.col.projects_won', lang)}",
                "projects_won",
                year_period(int(year)),
                india_only(filters),
            )
            for year in yearly["year"]
        }
        render_drill_chart(
            build_yearly_figure(yearly, lang),
            drills,
            ctx,
            key="india_yearly",
            home_country=ctx.settings.territory_country,
        )
    st.dataframe(yearly_table(yearly, lang), hide_index=True, key="india_yearly_table")
    st.caption(t("india.yearly.caption", lang))


# ---------------------------------------------------------------------------------------------
# Pipeline, sectors
# ---------------------------------------------------------------------------------------------


def _bars(
    labels: list[str],
    values: list[int],
    colours: list[str] | str,
    lang: str,
    key: str,
    drills: DrillMap,
    ctx: Any,
) -> None:
    fig = go.Figure(
        go.Bar(
            x=values[::-1],
            y=labels[::-1],
            orientation="h",
            marker_color=colours[::-1] if isinstance(colours, list) else colours,
            text=values[::-1],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y} : %{x:,d}<extra></extra>",
        )
    )
    _layout(fig, lang, 0, height=max(200, 46 * len(labels) + 40), showlegend=False)
    fig.update_yaxes(type="category", tickformat=None, dtick=None, tick0=None)
    fig.update_xaxes(type="linear", tickformat=",d", tick0=0, dtick=_dtick(max(values)))
    render_drill_chart(fig, drills, ctx, key=key, home_country=ctx.settings.territory_country)


def render_pipeline(
    pipeline: pd.DataFrame, lang: str, *, ctx: Any, filters: DashboardFilters
) -> None:
    if pipeline.empty:
        st.info(t("india.pipeline.empty", lang))
        return
    labels = [enum_value_label(Stage, s, lang) for s in pipeline["stage"]]
    drills = {
        (0, label): Drill(
            f"{label} — {t('india.col.projects', lang)}",
            "at_stage",
            filters.period,
            india_only(filters),
            stage=stage,
        )
        for label, stage in zip(labels, pipeline["stage"], strict=True)
    }
    _bars(labels, list(pipeline["projects"]), BLUE, lang, "india_pipeline", drills, ctx)
    st.dataframe(
        pd.DataFrame(
            {
                t("india.col.stage", lang): labels,
                t("india.col.projects", lang): [
                    format_integer(v, lang) for v in pipeline["projects"]
                ],
                t("india.col.jobs_in_play", lang): [
                    format_integer(v, lang) for v in pipeline["jobs_announced"]
                ],
            }
        ),
        hide_index=True,
        key="india_pipeline_table",
    )


def render_sectors(
    sectors: pd.DataFrame,
    labels: dict[str, str],
    colours: dict[str, str],
    lang: str,
    *,
    ctx: Any,
    filters: DashboardFilters,
) -> None:
    if sectors.empty:
        st.info(t("india.no_data", lang))
        return
    names = [labels.get(c, c) for c in sectors["sector_code"]]
    drills = {
        (0, name): Drill(
            f"{name} — {t('india.col.leads', lang)}",
            "leads",
            filters.period,
            narrowed(india_only(filters), sectors=(code,)),
        )
        for name, code in zip(names, sectors["sector_code"], strict=True)
    }
    _bars(
        names,
        list(sectors["leads"]),
        [colours.get(c, BLUE) for c in sectors["sector_code"]],
        lang,
        "india_sectors",
        drills,
        ctx,
    )
    table = pd.DataFrame(
        {
            t("india.col.sector", lang): names,
            t("india.col.leads", lang): [format_integer(v, lang) for v in sectors["leads"]],
            t("india.col.projects_won", lang): [
                format_integer(v, lang) for v in sectors["projects_won"]
            ],
            t("india.col.jobs", lang): [format_integer(v, lang) for v in sectors["jobs_announced"]],
        }
    )
    st.dataframe(table, hide_index=True, key="india_sectors_table")


# ---------------------------------------------------------------------------------------------
# Cities map
# ---------------------------------------------------------------------------------------------


def build_city_dots(places: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """One dot per known city; radius 5 to 16 pixels by the square root of its leads."""
    known = places[places["lat"].notna()]
    if known.empty:
        return []
    top = max(int(known["leads"].max()), 1)
    sep = " : " if lang == "fr" else ": "
    return [
        {
            "position": [float(row.lon), float(row.lat)],
            "radius": round(5 + 11 * math.sqrt(int(row.leads) / top), 2),
            "name": f"{row.city} ({row.state})",
            "city": row.city,
            "detail": f"{t('india.col.leads', lang)}{sep}{format_integer(row.leads, lang)}",
        }
        for row in known.itertuples()
    ]


def build_india_deck(dots: list[dict[str, Any]]) -> pdk.Deck:
    world = geo.load_world_geojson()
    world["features"] = [f for f in world["features"] if f["id"] == INDIA_NUMERIC]
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            world,
            id="india",
            filled=True,
            stroked=True,
            get_fill_color=[229, 231, 235],
            get_line_color=[156, 163, 175],
            line_width_min_pixels=1,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            dots,
            id="cities",
            pickable=True,
            get_position="position",
            get_radius="radius",
            radius_units=pdk.types.String("pixels"),
            stroked=True,
            get_fill_color=[230, 159, 0, 220],
            get_line_color=list(CHAMBER_LINE),
            line_width_min_pixels=1.5,
        ),
    ]
    # No map provider and pydeck's default style: no basemap, nothing fetched (see map_views).
    return pdk.Deck(
        layers=layers,
        map_provider=None,
        initial_view_state=pdk.ViewState(latitude=22.5, longitude=80, zoom=3.4),
        tooltip=TOOLTIP_SPEC,
    )


@st.cache_data(ttl=TTL, max_entries=MAP_ENTRIES, show_spinner=False)
def get_india_map_json(places: pd.DataFrame, lang: str) -> str:
    """The map of Indian cities (``build_india_deck`` of ``build_city_dots``) as JSON, written
    once per places shown: each run otherwise read the world's shapes again to keep India's,
    and pydeck wrote the deck again."""
    return build_india_deck(build_city_dots(places, lang)).to_json()


def render_places(places: pd.DataFrame, lang: str, *, ctx: Any, filters: DashboardFilters) -> None:
    if places.empty:
        st.info(t("india.places.empty", lang))
        return
    event = st.pydeck_chart(
        PrebuiltDeck(get_india_map_json(places, lang)),
        height=480,
        key="india_map",
        on_select="rerun",
        selection_mode="single-object",
    )
    unknown = t("common.unknown", lang)
    table = pd.DataFrame(
        {
            t("india.col.city", lang): [
                c if isinstance(c, str) else unknown for c in places["city"]
            ],
            t("india.col.state", lang): [s if isinstance(s, str) else "" for s in places["state"]],
            t("india.col.leads", lang): [format_integer(v, lang) for v in places["leads"]],
        }
    )
    st.dataframe(table, hide_index=True, key="india_places_table")
    st.caption(t("india.places.caption", lang))
    # A click on a city's dot (or the picker) lists the Indian leads from that city.
    drills = {
        row.city: Drill(
            f"{row.city} — {t('india.col.leads', lang)}",
            "leads",
            filters.period,
            india_only(filters),
            city=row.city,
        )
        for row in places.itertuples()
        if isinstance(row.city, str)
    }
    picked = None
    selection = (event.get("selection") or {}) if isinstance(event, dict) else {}
    for dot in (selection.get("objects") or {}).get("cities") or []:
        picked = drills.get(str(dot.get("city")))
    render_drilldown(
        list(drills.values()),
        ctx,
        key="india_places",
        home_country=ctx.settings.territory_country,
        picked=picked,
    )


# ---------------------------------------------------------------------------------------------
# Meetings, chambers, coming actions
# ---------------------------------------------------------------------------------------------


def build_meetings_figure(meetings: pd.DataFrame, lang: str) -> go.Figure:
    labels = [format_month(m, lang) for m in meetings["month"]]
    name = t("india.col.meetings", lang)
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=meetings["meetings"],
            marker_color=ORANGE,
            text=meetings["meetings"],
            textposition="outside",
            cliponaxis=False,
            customdata=meetings["organisations"],
            hovertemplate="%{x} : %{y:,d} — %{customdata:,d} "
            + t("india.col.organisations", lang).lower()
            + "<extra>"
            + name
            + "</extra>",
        )
    )
    return _layout(fig, lang, int(meetings["meetings"].max()), showlegend=False)


def render_meetings(
    meetings: pd.DataFrame, lang: str, *, ctx: Any, filters: DashboardFilters
) -> None:
    if int(meetings["meetings"].sum()) == 0:
        st.info(t("india.meetings.empty", lang))
        return
    drills = {
        (0, format_month(month, lang)): Drill(
            f"{format_month(month, lang)} — {t('india.col.meetings', lang)}",
            "meetings",
            month_period(month, filters.period),
            india_only(filters),
        )
        for month in meetings["month"]
    }
    render_drill_chart(
        build_meetings_figure(meetings, lang),
        drills,
        ctx,
        key="india_meetings",
        home_country=ctx.settings.territory_country,
    )


def render_chambers(chambers: pd.DataFrame, lang: str) -> None:
    if chambers.empty:
        st.info(t("india.chambers.empty", lang))
        return
    table = pd.DataFrame(
        {
            t("india.col.chamber", lang): list(chambers["name"]),
            **{
                t(f"india.col.{column}", lang): [format_integer(v, lang) for v in chambers[source]]
                for column, source in (
                    ("leads", "leads"),
                    ("projects_won", "projects_won"),
                    ("jobs", "jobs_announced"),
                    ("missions", "missions"),
                )
            },
        }
    )
    st.dataframe(table, hide_index=True, key="india_chambers_table")
    st.caption(t("india.chambers.caption", lang))


def render_coming_actions(actions: pd.DataFrame, lang: str) -> None:
    if actions.empty:
        st.info(t("india.actions.empty", lang))
        return
    table = pd.DataFrame(
        {
            t("india.col.due_on", lang): [format_day(d, lang) for d in actions["due_on"]],
            t("india.col.kind", lang): [t(f"india.kind.{k}", lang) for k in actions["kind"]],
            t("india.col.action", lang): [
                v if isinstance(v, str) else "" for v in actions["label"]
            ],
            t("india.col.organisation", lang): [
                v if isinstance(v, str) else "" for v in actions["organisation"]
            ],
        }
    )
    st.dataframe(table, hide_index=True, key="india_actions_table")
    render_downloads(table, lang, file_stem="india-coming-actions", key="india_actions")
