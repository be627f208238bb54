"""The world map: origin countries filled by a figure, flows to the territory, chamber points.

Drawn with pydeck (deck.gl ships inside Streamlit's frontend) from shapes shipped in ``data/``,
so the map works without internet. Two traps avoided:
- ``pdk.Deck(map_style=None)`` makes Streamlit fetch CARTO's basemap style from a CDN; leaving
  pydeck's default style sentinel with ``map_provider=None`` draws no basemap at all;
- plotly's geo charts fetch their topojson from cdn.plot.ly as soon as a trace has a
  ``locationmode`` (a GeoJSON choropleth has one), so plotly is not used here.

An online deployment may add a basemap under the countries: ``MAP_STYLE_URL`` (environment)
is the URL of a MapLibre GL style JSON, e.g. a self-hosted tile server's style.

The world's shapes make a deck of 1.1 MB of JSON, which pydeck took 0.2-0.3 s to write on every
run (``st.pydeck_chart`` calls the deck's ``to_json``): ``get_world_map_json`` writes it once per
figures shown (cached), and ``PrebuiltDeck`` hands that text to Streamlit as it is.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pydeck as pdk
import streamlit as st
from sqlmodel import Session

from components.db import get_engine_for
from components.drilldown import Drill, narrowed, render_drilldown
from components.readers import read_country_names
from components.tables import render_downloads
from core import geo
from core.config import get_settings
from core.filters import DashboardFilters
from core.formatting import format_integer, format_percent
from core.i18n import t

TTL = get_settings().cache_ttl_seconds
#: URL of a MapLibre GL style JSON drawn under the countries; empty: no basemap (offline).
MAP_STYLE_URL = get_settings().map_style_url.strip()
MAP_KEY = "world_map"
#: Every object of every layer carries a plain-text ``name`` and ``detail``.
TOOLTIP = "<b>{name}</b><br/>{detail}"
#: The tooltip as the deck carries it (Streamlit reads it from the Deck, beside its JSON).
TOOLTIP_SPEC = {"html": TOOLTIP, "style": {"fontSize": "15px"}}
#: Cached map JSONs (about 1.1 MB each): a few filters' worth for every figure and language.
MAP_ENTRIES = 32
#: ColorBrewer YlGnBu, five classes: sequential and safe for colour-blind readers.
PALETTE = ("#C7E9B4", "#7FCDBB", "#41B6C4", "#2C7FB8", "#253494")
NO_DATA = "#E5E7EB"
BORDER = (255, 255, 255)
FLOW_FROM, FLOW_TO = (230, 159, 0), (213, 94, 0)  # Okabe-Ito orange to vermillion
CHAMBER_FILL, CHAMBER_LINE = (17, 24, 39), (255, 255, 255)


# ---------------------------------------------------------------------------------------------
# Cached readers
# ---------------------------------------------------------------------------------------------


def _session(db_url: str) -> Session:
    return Session(get_engine_for(db_url))


@st.cache_data(ttl=TTL, show_spinner=False)
def read_origin_figures(
    db_url: str, filters: DashboardFilters, metric: str, lang: str
) -> pd.DataFrame:
    with _session(db_url) as session:
        return geo.get_origin_figures(session, filters, metric, lang=lang)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_unknown_origin(db_url: str, filters: DashboardFilters, metric: str) -> int:
    with _session(db_url) as session:
        return geo.count_unknown_origin(session, filters, metric)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_chamber_points(db_url: str, filters: DashboardFilters) -> pd.DataFrame:
    with _session(db_url) as session:
        return geo.list_chamber_points(session, filters)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_iso2_by_numeric(db_url: str) -> dict[str, str]:
    with _session(db_url) as session:
        return geo.get_iso2_by_numeric(session)


# ---------------------------------------------------------------------------------------------
# Colour classes
# ---------------------------------------------------------------------------------------------


def class_breaks(values: list[int], classes: int = len(PALETTE)) -> list[int]:
    """Upper bounds (ascending, the last one the maximum) of at most ``classes`` colour
    classes: one class per distinct value when there are few, else quantiles of the values,
    so that a single large country does not leave every other one in the palest class."""
    distinct = sorted({int(v) for v in values if v > 0})
    if len(distinct) <= classes:
        return distinct
    ordered = sorted(int(v) for v in values if v > 0)
    bounds = {ordered[math.ceil(len(ordered) * k / classes) - 1] for k in range(1, classes + 1)}
    return sorted(bounds)


def class_of(value: int, breaks: list[int]) -> int | None:
    """Index of the class holding ``value``; None for 0 (no data)."""
    if value <= 0 or not breaks:
        return None
    return next((i for i, bound in enumerate(breaks) if value <= bound), len(breaks) - 1)


def class_colours(breaks: list[int]) -> list[str]:
    """The palette's colours of ``len(breaks)`` classes, spread from pale to dark."""
    if not breaks:
        return []
    if len(breaks) == 1:
        return [PALETTE[-1]]
    last = len(PALETTE) - 1
    return [PALETTE[round(i * last / (len(breaks) - 1))] for i in range(len(breaks))]


def legend_labels(breaks: list[int], lang: str) -> list[str]:
    """ "1", "2 – 5", ... one label per class."""
    labels, low = [], 1
    for bound in breaks:
        labels.append(
            format_integer(bound, lang)
            if low == bound
            else f"{format_integer(low, lang)} – {format_integer(bound, lang)}"
        )
        low = bound + 1
    return labels


def _rgba(colour: str, alpha: int = 255) -> list[int]:
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)] + [alpha]


# ---------------------------------------------------------------------------------------------
# Layers' data
# ---------------------------------------------------------------------------------------------


def build_country_features(
    figures: pd.DataFrame,
    iso2_by_numeric: dict[str, str],
    names: dict[str, str],
    *,
    lang: str,
    metric_label: str,
) -> dict[str, Any]:
    """The world's shapes, each with its iso2, name, formatted figure (``detail``), fill."""
    world = geo.load_world_geojson()
    values = dict(zip(figures["iso2"], figures["value"], strict=True))
    breaks = class_breaks(list(values.values()))
    colours = class_colours(breaks)
    alpha = 200 if MAP_STYLE_URL else 255
    for feature in world["features"]:
        iso2 = iso2_by_numeric.get(feature["id"] or "", "")
        name = names.get(iso2) or feature["properties"].get("name", "")
        value = int(values.get(iso2, 0))
        index = class_of(value, breaks)
        sep = " : " if lang == "fr" else ": "
        feature["properties"] = {
            "iso2": iso2,
            "name": name,
            "detail": f"{metric_label}{sep}{format_integer(value, lang)}",
            "fill": _rgba(NO_DATA if index is None else colours[index], alpha),
        }
    return world


def build_flows(
    figures: pd.DataFrame,
    *,
    home: tuple[float, float],
    home_country: str,
    lang: str,
    metric_label: str,
) -> list[dict[str, Any]]:
    """One arc per foreign origin to the territory (``home`` = lat, lon); the width follows
    the square root of the figure (1.5 to 9 pixels)."""
    foreign = figures[figures["iso2"] != home_country]
    if foreign.empty:
        return []
    top = max(int(foreign["value"].max()), 1)
    sep = " : " if lang == "fr" else ": "
    return [
        {
            "source": [float(row.lon), float(row.lat)],
            "target": [home[1], home[0]],
            "iso2": row.iso2,
            "width": round(1.5 + 7.5 * math.sqrt(int(row.value) / top), 2),
            "name": row.name,
            "detail": f"{metric_label}{sep}{format_integer(row.value, lang)}",
        }
        for row in foreign.itertuples()
    ]


def build_chamber_dots(chambers: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """One dot per chamber; its radius (4 to 9 pixels) grows with the leads it sourced."""
    if chambers.empty:
        return []
    top = max(int(chambers["leads"].max()), 1)
    sep = " : " if lang == "fr" else ": "
    return [
        {
            "position": [float(row.lon), float(row.lat)],
            "radius": round(4 + 5 * math.sqrt(int(row.leads) / top), 2),
            "name": row.name,
            "detail": f"{t('map.chamber_leads', lang)}{sep}{format_integer(row.leads, lang)}",
        }
        for row in chambers.itertuples()
    ]


def build_world_deck(
    countries: dict[str, Any],
    flows: list[dict[str, Any]],
    dots: list[dict[str, Any]],
    *,
    home: tuple[float, float],
) -> pdk.Deck:
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            countries,
            id="countries",
            pickable=True,
            stroked=True,
            filled=True,
            get_fill_color="properties.fill",
            get_line_color=list(BORDER),
            line_width_min_pixels=0.6,
            # Borders are not picked (the fill under them is): picking the thin border paths
            # cost about 270 ms a click in software WebGL (a laptop without GPU driver), which
            # made deck.gl drop the click (its tap must end within 250 ms); the fill: 11 ms.
            **{"_subLayerProps": {"polygons-stroke": {"pickable": False}}},
        ),
        pdk.Layer(
            "ArcLayer",
            flows,
            id="flows",
            pickable=True,
            get_source_position="source",
            get_target_position="target",
            get_width="width",
            get_source_color=list(FLOW_FROM),
            get_target_color=list(FLOW_TO),
            great_circle=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            dots,
            id="chambers",
            pickable=True,
            get_position="position",
            get_radius="radius",
            radius_units=pdk.types.String("pixels"),
            stroked=True,
            get_fill_color=list(CHAMBER_FILL),
            get_line_color=list(CHAMBER_LINE),
            line_width_min_pixels=1.5,
        ),
    ]
    extra = {"map_style": MAP_STYLE_URL} if MAP_STYLE_URL else {}
    return pdk.Deck(
        layers=layers,
        # No map provider and pydeck's default style: Streamlit draws no basemap and fetches
        # nothing (``map_style=None`` would make it fetch CARTO's style).
        map_provider=None,
        initial_view_state=pdk.ViewState(latitude=home[0] - 8, longitude=home[1] + 20, zoom=1),
        # Streamlit escapes the values put into the template: names stay plain text.
        tooltip=TOOLTIP_SPEC,
        **extra,
    )


@st.cache_data(ttl=TTL, max_entries=MAP_ENTRIES, show_spinner=False)
def get_world_map_json(
    db_url: str,
    figures: pd.DataFrame,
    chambers: pd.DataFrame | None,
    *,
    lang: str,
    metric_label: str,
    home: tuple[float, float],
    home_country: str,
) -> str:
    """The world map's deck (``build_world_deck``) as JSON, written once per figures shown:
    countries filled by ``figures``, flows from them to ``home``, a dot per row of
    ``chambers`` (None: no dots). The key hashes the two small frames, not the shapes; the
    country names and codes are the database's reference data (their readers are cached)."""
    countries = build_country_features(
        figures,
        read_iso2_by_numeric(db_url),
        read_country_names(db_url, lang),
        lang=lang,
        metric_label=metric_label,
    )
    flows = build_flows(
        figures, home=home, home_country=home_country, lang=lang, metric_label=metric_label
    )
    dots = [] if chambers is None else build_chamber_dots(chambers, lang)
    return build_world_deck(countries, flows, dots, home=home).to_json()


class PrebuiltDeck(pdk.Deck):
    """A deck whose JSON is already written (``get_world_map_json``): ``st.pydeck_chart`` asks
    a Deck for ``to_json()`` and for its tooltip, and gets the cached text and the map's
    tooltip, without writing 1.1 MB of JSON again. No layers of its own, no map provider:
    the JSON says it all, and Streamlit fetches no basemap for it either."""

    def __init__(self, spec: str) -> None:
        super().__init__(layers=[], map_provider=None, tooltip=TOOLTIP_SPEC)
        self._spec = spec

    def to_json(self) -> str:
        return self._spec


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def handle_map_selection(key: str, set_country: Any) -> None:
    """A click on a country, or on the arc leaving it, filters every page to that country
    (``set_country(iso2)``)."""
    event = st.session_state.get(key) or {}
    objects = (event.get("selection") or {}).get("objects") or {}
    for layer in ("countries", "flows"):
        for picked in objects.get(layer) or []:
            iso2 = (picked.get("properties") or picked).get("iso2")
            if iso2:
                set_country(iso2)
                return


def render_world_map(deck: pdk.Deck, set_country: Any, countries: tuple[str, ...]) -> None:
    """The map. Its key follows the country filter, so that a new filter (a click, a reset)
    starts a map without a selection, which would dim every other country."""
    key = f"{MAP_KEY}_{'_'.join(countries) or 'all'}"
    st.pydeck_chart(
        deck,
        height=560,
        key=key,
        on_select=lambda: handle_map_selection(key, set_country),
        selection_mode="single-object",
    )


def render_map_legend(figures: pd.DataFrame, lang: str, metric_label: str) -> None:
    """Colour classes, flows and chamber dots explained in one line under the map."""
    breaks = class_breaks(list(figures["value"]))
    swatch = (
        '<span style="display:inline-block;width:1.1em;height:1.1em;vertical-align:middle;'
        'border:1px solid #9CA3AF;background:{}"></span>'
    )
    items = [f"{swatch.format(NO_DATA)} {format_integer(0, lang)}"]
    items += [
        f"{swatch.format(colour)} {label}"
        for colour, label in zip(class_colours(breaks), legend_labels(breaks, lang), strict=True)
    ]
    st.markdown(
        f"**{metric_label}** &nbsp; " + " &nbsp; ".join(items) + " &nbsp; · &nbsp; "
        f"<span style='color:#D55E00'>━━</span> {t('map.legend.flows', lang)} &nbsp; "
        f"<span style='color:#111827'>●</span> {t('map.legend.chambers', lang)}",
        unsafe_allow_html=True,
    )


def top_countries_table(figures: pd.DataFrame, lang: str, metric_label: str) -> pd.DataFrame:
    """Rank, country, figure and share of the total with a known origin, formatted."""
    total = int(figures["value"].sum())
    return pd.DataFrame(
        {
            t("map.col.rank", lang): range(1, len(figures) + 1),
            t("map.col.country", lang): list(figures["name"]),
            metric_label: [format_integer(v, lang) for v in figures["value"]],
            t("map.col.share", lang): [format_percent(v / total, lang) for v in figures["value"]],
        }
    )


def top_countries_csv(figures: pd.DataFrame, lang: str, metric_label: str) -> pd.DataFrame:
    """The same rows for a spreadsheet: plain numbers, ISO codes kept."""
    return pd.DataFrame(
        {
            t("map.col.country", lang): list(figures["name"]),
            "iso2": list(figures["iso2"]),
            "iso3": list(figures["iso3"]),
            metric_label: [int(v) for v in figures["value"]],
        }
    )


def render_top_countries(
    figures: pd.DataFrame, lang: str, metric_label: str, *, limit: int, file_stem: str
) -> None:
    st.subheader(t("map.top.title", lang, metric=metric_label, n=limit))
    if figures.empty:
        st.info(t("map.no_data", lang))
        return
    table = top_countries_table(figures, lang, metric_label)
    st.dataframe(table.head(limit), hide_index=True, key="map_top_table")
    render_downloads(
        top_countries_csv(figures, lang, metric_label), lang, file_stem=file_stem, key="map_top"
    )


#: The records behind each metric of the map (core.kpis.list_kpi_records kinds).
RECORDS_OF_METRIC = {
    "leads": "leads",
    "projects_won": "projects_won",
    "jobs_announced": "jobs_announced",
    "meetings": "meetings",
}


def render_country_records(
    figures: pd.DataFrame, metric: str, metric_label: str, ctx: Any, filters: DashboardFilters
) -> None:
    """The records behind one country's figure on the map; the country clicked (the country
    filter, when it holds one country) is chosen at once."""
    drills = [
        Drill(
            f"{name} — {metric_label}",
            RECORDS_OF_METRIC[metric],
            filters.period,
            narrowed(filters, countries=(iso2,), regions=()),
        )
        for iso2, name in zip(figures["iso2"], figures["name"], strict=True)
    ]
    picked = next(
        (
            d
            for d, iso2 in zip(drills, figures["iso2"], strict=True)
            if filters.countries == (iso2,)
        ),
        None,
    )
    render_drilldown(
        drills,
        ctx,
        key="map_country",
        home_country=ctx.settings.territory_country,
        picked=picked,
    )


def chamber_table(chambers: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("map.col.chamber", lang): list(chambers["name"]),
            t("map.col.country", lang): [names.get(c, c) for c in chambers["country_iso2"]],
            t("map.col.city", lang): [c or "" for c in chambers["city"]],
            t("map.chamber_leads", lang): [format_integer(v, lang) for v in chambers["leads"]],
        }
    )


def render_chamber_table(chambers: pd.DataFrame, names: dict[str, str], lang: str) -> None:
    with st.expander(t("map.chambers.title", lang, n=format_integer(len(chambers), lang))):
        if chambers.empty:
            st.caption(t("map.chambers.none", lang))
            return
        st.dataframe(chamber_table(chambers, names, lang), hide_index=True, key="map_chambers")
        st.caption(t("map.chambers.caption", lang))
