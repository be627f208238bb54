"""The agency's Network page: chambers ranked by leads referred, qualified and won, beside them
the projects won attributed to each by accepted claims with their verified jobs and realisation
rate, the network's attributed total (the presentation's figure), the map of chambers coloured
by results (drawn offline: no basemap, the shipped country shapes), and the records behind
every figure."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pydeck as pdk
import streamlit as st
from sqlmodel import Session

from components.db import get_engine_for
from components.map_views import (
    BORDER,
    MAP_ENTRIES,
    NO_DATA,
    TOOLTIP_SPEC,
    PrebuiltDeck,
    _rgba,
    class_breaks,
    class_colours,
    class_of,
    legend_labels,
)
from components.masking import current_masking
from components.results_readers import read_attribution
from components.tables import render_downloads, render_table
from core import network
from core.confidentiality import Masking
from core.config import get_settings
from core.formatting import format_day, format_integer, format_percent
from core.geo import load_world_geojson
from core.i18n import enum_value_label, t
from core.periods import Period
from models import Stage

TTL = get_settings().cache_ttl_seconds


def _session(db_url: str) -> Session:
    return Session(get_engine_for(db_url))


@st.cache_data(ttl=TTL, show_spinner=False)
def read_chamber_results(db_url: str, start: date, end: date, as_of: date) -> pd.DataFrame:
    with _session(db_url) as session:
        return network.list_chamber_results(session, Period(start, end), as_of=as_of)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_chamber_records(
    db_url: str,
    start: date,
    end: date,
    figure: str,
    chamber_id: int | None,
    *,
    masking: Masking | None,
    as_of: date,
) -> pd.DataFrame:
    with _session(db_url) as session:
        return network.list_chamber_records(
            session,
            Period(start, end),
            figure=figure,
            chamber_id=chamber_id,
            masking=masking,
            as_of=as_of,
        )


RANKED = ("chamber", "country_iso2", *network.CHAMBER_FIGURES, "jobs_announced",
          *network.ATTRIBUTION_FIGURES, "realisation_rate")  # fmt: skip


def ranking_table(results: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ranking as shown and downloaded: the rate as a percentage ("—" when no attributed
    project is checked), headers translated."""
    shown = results[list(RANKED)].copy()
    shown["realisation_rate"] = [
        format_percent(None if pd.isna(v) else float(v), lang, digits=1)
        for v in shown["realisation_rate"]
    ]
    return shown.rename(columns={c: t(f"network.column.{c}", lang) for c in shown.columns})


def attributed_text(projects: int, jobs_verified: int, lang: str) -> str:
    """The network's total line, in the presentation's words (``deck.results.network``)."""
    if not projects:
        return t("network.attributed_none", lang)
    return t(
        "deck.results.network",
        lang,
        n=format_integer(projects, lang),
        m=format_integer(jobs_verified, lang),
    )


def records_verified_text(records: pd.DataFrame, lang: str) -> str:
    """Under an attribution figure's records: their verified jobs and the jobs the checked
    ones announced (the realisation rate's two terms, read off the rows)."""
    checked = records["jobs_verified"].notna()
    verified = int(records.loc[checked, "jobs_verified"].sum())
    announced = int(records.loc[checked, "jobs_announced"].sum())
    return t(
        "network.records.verified",
        lang,
        verified=format_integer(verified, lang),
        announced=format_integer(announced, lang),
        rate=format_percent(verified / announced if announced else None, lang, digits=1),
    )


def _definitions(lang: str, *keys: str) -> str:
    return "\n\n".join(
        f"**{t(f'kpi.{key}.label', lang)}**: {t(f'kpi.{key}.definition', lang)}" for key in keys
    )


def build_chamber_deck(results: pd.DataFrame, lang: str) -> pdk.Deck:
    """The world's shapes (grey) and one dot per chamber, coloured by its leads won."""
    breaks = class_breaks([int(v) for v in results["won"]])
    colours = class_colours(breaks)
    sep = " : " if lang == "fr" else ": "
    dots = []
    for row in results.itertuples():
        index = class_of(int(row.won), breaks)
        detail = ", ".join(
            f"{t(f'network.column.{f}', lang)}{sep}{format_integer(getattr(row, f), lang)}"
            for f in (*network.CHAMBER_FIGURES, "attributed")
        )
        dots.append(
            {
                "position": [float(row.lon), float(row.lat)],
                "name": row.chamber,
                "detail": detail,
                "fill": _rgba(NO_DATA if index is None else colours[index]),
            }
        )
    world = load_world_geojson()
    for feature in world["features"]:
        feature["properties"] = {"name": "", "detail": "", "fill": _rgba(NO_DATA)}
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            world,
            id="countries",
            stroked=True,
            filled=True,
            get_fill_color="properties.fill",
            get_line_color=list(BORDER),
            line_width_min_pixels=0.6,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            dots,
            id="chambers",
            pickable=True,
            get_position="position",
            get_radius=7,
            radius_units=pdk.types.String("pixels"),
            stroked=True,
            get_fill_color="fill",
            get_line_color=[17, 24, 39],
            line_width_min_pixels=1.5,
        ),
    ]
    return pdk.Deck(
        layers=layers,
        map_provider=None,
        initial_view_state=pdk.ViewState(latitude=25, longitude=30, zoom=1),
        tooltip=TOOLTIP_SPEC,
    )


@st.cache_data(ttl=TTL, max_entries=MAP_ENTRIES, show_spinner=False)
def get_chamber_map_json(results: pd.DataFrame, lang: str) -> str:
    """The chambers' map (``build_chamber_deck``) as JSON, written once per results shown: the
    world's shapes make 1.1 MB of it, which pydeck wrote again on every run. The key hashes
    the results (a row per chamber), not the shapes."""
    return build_chamber_deck(results, lang).to_json()


def render_network(ctx: Any, period: Period) -> None:
    lang = ctx.lang
    results = read_chamber_results(ctx.db_url, period.start, period.end, ctx.today)
    if results.empty:
        st.info(t("network.none", lang))
        return
    totals = st.columns(3)
    for column, figure in zip(totals, network.CHAMBER_FIGURES, strict=True):
        column.metric(
            t(f"network.column.{figure}", lang), format_integer(int(results[figure].sum()), lang)
        )
    # Each project once, however many chambers it is attributed to: the presentation's figure.
    attributed = read_attribution(ctx.db_url, period, ctx.today)
    st.caption(
        attributed_text(attributed.projects, attributed.jobs_verified, lang),
        help=_definitions(lang, "attributed_to_network"),
    )
    st.subheader(t("network.ranking", lang))
    render_table(ranking_table(results, lang), lang, key="network_ranking")
    st.caption(
        t("network.ranking.rule", lang, day=format_day(ctx.today, lang)),
        help=_definitions(lang, "network", "attributed_to_chamber", "realisation_rate"),
    )
    st.subheader(t("network.map", lang))
    st.pydeck_chart(PrebuiltDeck(get_chamber_map_json(results, lang)), key="network_map")
    breaks = class_breaks([int(v) for v in results["won"]])
    if breaks:
        st.caption(t("network.legend", lang) + " " + " · ".join(legend_labels(breaks, lang)))
    render_records(ctx, period, results)


def render_records(ctx: Any, period: Period, results: pd.DataFrame) -> None:
    lang = ctx.lang
    st.subheader(t("network.records", lang))
    left, right = st.columns(2)
    figure = left.selectbox(
        t("network.records.figure", lang),
        options=list(network.RECORD_FIGURES),
        format_func=lambda f: t(f"network.column.{f}", lang),
        key="network_figure",
    )
    names = dict(zip(results["chamber_id"], results["chamber"], strict=True))
    chamber = right.selectbox(
        t("network.records.chamber", lang),
        options=[None, *names],
        format_func=lambda c: t("network.records.all", lang) if c is None else names[c],
        key="network_chamber",
    )
    records = read_chamber_records(
        ctx.db_url,
        period.start,
        period.end,
        figure,
        None if chamber is None else int(chamber),
        masking=current_masking(),
        as_of=ctx.today,
    )
    shown = records.drop(columns=["organisation_id"]).copy()
    shown["stage"] = [enum_value_label(Stage, v, lang) for v in shown["stage"]]
    shown = shown.rename(columns={c: t(f"network.record.{c}", lang) for c in shown.columns})
    st.caption(t("network.records.count", lang, count=format_integer(len(records), lang)))
    if figure in network.ATTRIBUTION_FIGURES:
        st.caption(records_verified_text(records, lang))
    render_table(shown, lang, key="network_records")
    render_downloads(shown, lang, file_stem=f"network_{figure}", key="network_records_dl")
