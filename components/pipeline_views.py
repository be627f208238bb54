"""Pipeline page pieces: cached readers of ``core.pipeline``, its charts and its tables.

Charts use the Okabe-Ito palette (safe for the common colour-vision deficiencies), French
separators inside plotly (``layout.separators``) and labels written by babel.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlmodel import Session

from components.charts import BLUE, ORANGE, SEPARATORS
from components.db import get_engine_for
from components.drilldown import Drill, DrillMap, month_period
from components.masking import mask_frame
from components.readers import TTL
from components.tables import date_format
from core import pipeline
from core.confidentiality import Masking
from core.filters import DashboardFilters
from core.formatting import format_eur, format_integer, format_month, format_number, format_percent
from core.i18n import enum_value_label, t
from models import CapexDisclosure, LostReason, Stage

GREEN = "#009E73"  # Okabe-Ito bluish green: decided stages
GREY = "#7F7F7F"  # Target: not yet in contact
VERMILLION = "#D55E00"  # Okabe-Ito vermillion: lost
STAGE_COLOURS = {
    Stage.TARGET.value: GREY,
    Stage.WON.value: GREEN,
    Stage.LANDED.value: GREEN,
    Stage.ON_HOLD.value: ORANGE,
}
INK = "#111827"
GRID = "#D9DEE6"


# ---------------------------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------------------------


def _session(db_url: str) -> Session:
    return Session(get_engine_for(db_url))


@st.cache_data(ttl=TTL, show_spinner=False)
def read_stage_funnel(db_url: str, filters: DashboardFilters, today: date) -> pd.DataFrame:
    with _session(db_url) as session:
        return pipeline.get_stage_funnel(session, filters, today=today)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_stage_conversion(db_url: str, filters: DashboardFilters) -> pd.DataFrame:
    with _session(db_url) as session:
        return pipeline.get_stage_conversion(session, filters)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_time_in_stage(db_url: str, filters: DashboardFilters) -> pd.DataFrame:
    with _session(db_url) as session:
        return pipeline.get_time_in_stage(session, filters)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_open_projects(
    db_url: str, filters: DashboardFilters, today: date, limit: int, *, masking: Masking | None
) -> tuple[pd.DataFrame, int]:
    with _session(db_url) as session:
        return pipeline.list_open_projects(
            session, filters, today=today, limit=limit, masking=masking
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def read_stale_projects(
    db_url: str,
    filters: DashboardFilters,
    days: int,
    today: date,
    limit: int,
    *,
    masking: Masking | None,
) -> tuple[pd.DataFrame, int]:
    with _session(db_url) as session:
        return pipeline.list_stale_projects(
            session, filters, days=days, today=today, limit=limit, masking=masking
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def read_won_lost_by_month(db_url: str, filters: DashboardFilters) -> pd.DataFrame:
    with _session(db_url) as session:
        return pipeline.get_won_lost_by_month(session, filters)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_lost_reasons(db_url: str, filters: DashboardFilters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(by reason, by location chosen instead)."""
    with _session(db_url) as session:
        return (
            pipeline.get_lost_reasons(session, filters),
            pipeline.get_lost_locations(session, filters),
        )


# ---------------------------------------------------------------------------------------------
# Shared chart layout
# ---------------------------------------------------------------------------------------------


def _stage(value: str, lang: str) -> str:
    return enum_value_label(Stage, value, lang)


def _layout(fig: go.Figure, lang: str, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 20}},
        separators=SEPARATORS.get(lang, ".,"),
        height=height,
        margin={"l": 10, "r": 40, "t": 60, "b": 10},
        font={"size": 15, "color": INK},
        showlegend=False,
    )
    fig.update_xaxes(gridcolor=GRID, tickfont={"size": 14, "color": INK})
    fig.update_yaxes(gridcolor=GRID, tickfont={"size": 14, "color": INK})
    return fig


def _hbar(labels: list[str], values: list, texts: list[str], colours, hover: list[str]) -> go.Bar:
    """Horizontal bars, first label on top, value written at the end of each bar."""
    return go.Bar(
        x=values,
        y=labels,
        orientation="h",
        marker_color=colours,
        text=texts,
        textposition="outside",
        cliponaxis=False,
        customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
    )


def _count_axis(fig: go.Figure, top: int, axis: str = "x") -> None:
    """Whole numbers only: small counts get a tick per unit (no "0, 1, 1, 2, 2")."""
    options = {"tickformat": ",d", "rangemode": "tozero"}
    if top <= 8:
        options["dtick"] = 1
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(**options)


# ---------------------------------------------------------------------------------------------
# Funnel and conversion
# ---------------------------------------------------------------------------------------------


def _capex_text(disclosed: int, estimated: int, lang: str) -> str:
    text = format_eur(disclosed, lang)
    if estimated:
        text += " + " + t("pipeline.capex.estimated", lang, amount=format_eur(estimated, lang))
    return text


def funnel_table(funnel: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The funnel for display: stage label, projects, jobs, capex (disclosed, estimated)."""
    return pd.DataFrame(
        {
            t("col.stage", lang): [_stage(s, lang) for s in funnel["stage"]],
            t("col.projects", lang): [format_integer(v, lang) for v in funnel["projects"]],
            t("col.jobs_announced", lang): [
                format_integer(v, lang) for v in funnel["jobs_announced"]
            ],
            t("pipeline.col.capex_disclosed", lang): [
                format_eur(v, lang) for v in funnel["capex_disclosed_eur"]
            ],
            t("pipeline.col.capex_estimated", lang): [
                format_eur(v, lang) for v in funnel["capex_estimated_eur"]
            ],
        }
    )


def build_funnel_figure(funnel: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Projects per stage at the period's end, the main path from top to bottom, On hold last."""
    labels = [_stage(s, lang) for s in funnel["stage"]]
    hover = [
        t(
            "pipeline.funnel.hover",
            lang,
            stage=label,
            projects=format_integer(row.projects, lang),
            jobs=format_integer(row.jobs_announced, lang),
            capex=_capex_text(row.capex_disclosed_eur, row.capex_estimated_eur, lang),
        )
        for label, row in zip(labels, funnel.itertuples(index=False), strict=True)
    ]
    colours = [STAGE_COLOURS.get(s, BLUE) for s in funnel["stage"]]
    texts = [format_integer(v, lang) for v in funnel["projects"]]
    fig = go.Figure(_hbar(labels, list(funnel["projects"]), texts, colours, hover))
    fig.update_yaxes(autorange="reversed")
    _count_axis(fig, int(funnel["projects"].max()))
    return _layout(fig, lang, title, height=80 + 44 * len(funnel))


def conversion_table(conversion: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("pipeline.conversion.col.step", lang): [
                f"{_stage(a, lang)} → {_stage(b, lang)}"
                for a, b in zip(conversion["from_stage"], conversion["to_stage"], strict=True)
            ],
            t("pipeline.conversion.col.reached_from", lang): [
                format_integer(v, lang) for v in conversion["reached_from"]
            ],
            t("pipeline.conversion.col.reached_to", lang): [
                format_integer(v, lang) for v in conversion["reached_to"]
            ],
            t("pipeline.conversion.col.rate", lang): [
                format_percent(v, lang) for v in conversion["conversion"]
            ],
        }
    )


# ---------------------------------------------------------------------------------------------
# Time in stage
# ---------------------------------------------------------------------------------------------


def build_time_in_stage_figure(times: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Median days per stage (stages without a finished stay are left out)."""
    timed = times[times["stays"] > 0]
    labels = [_stage(s, lang) for s in timed["stage"]]
    medians = [float(v) for v in timed["median_days"]]
    texts = [t("pipeline.time.days", lang, n=format_number(v, lang)) for v in medians]
    hover = [
        t(
            "pipeline.time.hover",
            lang,
            stage=label,
            days=format_number(median, lang),
            stays=format_integer(stays, lang),
        )
        for label, median, stays in zip(labels, medians, timed["stays"], strict=True)
    ]
    colours = [STAGE_COLOURS.get(s, BLUE) for s in timed["stage"]]
    fig = go.Figure(_hbar(labels, medians, texts, colours, hover))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(rangemode="tozero", title={"text": t("pipeline.time.axis", lang)})
    return _layout(fig, lang, title, height=120 + 44 * len(timed))


def time_in_stage_table(times: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("col.stage", lang): [_stage(s, lang) for s in times["stage"]],
            t("pipeline.time.col.stays", lang): [format_integer(v, lang) for v in times["stays"]],
            t("pipeline.time.col.median", lang): [
                format_number(v, lang) if v is not None else "—" for v in times["median_days"]
            ],
        }
    )


# ---------------------------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------------------------


def build_won_lost_figure(won_lost: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Projects won and lost per month of decision, side by side."""
    months = [format_month(m, lang) for m in won_lost["month"]]
    fig = go.Figure()
    colon = " : " if lang == "fr" else ": "
    for column, colour in (("won", GREEN), ("lost", VERMILLION)):
        name = t(f"pipeline.decisions.{column}", lang)
        fig.add_trace(
            go.Bar(
                x=months,
                y=won_lost[column],
                name=name,
                marker_color=colour,
                text=[format_integer(v, lang) if v else "" for v in won_lost[column]],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{x} — " + name + colon + "%{y:,d}<extra></extra>",
            )
        )
    top = max(int(won_lost[["won", "lost"]].to_numpy().max()), 1)
    _count_axis(fig, top, "y")
    fig.update_yaxes(range=[0, top * 1.25])
    fig.update_xaxes(type="category")
    _layout(fig, lang, title, height=420)
    fig.update_layout(
        showlegend=True,
        barmode="group",
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right"},
    )
    return fig


def build_lost_reasons_figure(reasons: pd.DataFrame, lang: str, title: str) -> go.Figure:
    labels = [enum_value_label(LostReason, r, lang) for r in reasons["lost_reason"]]
    hover = [
        t(
            "pipeline.lost.hover",
            lang,
            reason=label,
            projects=format_integer(n, lang),
            jobs=format_integer(jobs, lang),
        )
        for label, n, jobs in zip(
            labels, reasons["projects"], reasons["jobs_announced"], strict=True
        )
    ]
    texts = [format_integer(v, lang) for v in reasons["projects"]]
    fig = go.Figure(_hbar(labels, list(reasons["projects"]), texts, VERMILLION, hover))
    fig.update_yaxes(autorange="reversed")
    _count_axis(fig, int(reasons["projects"].max()))
    return _layout(fig, lang, title, height=100 + 44 * len(reasons))


def lost_reasons_table(reasons: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("pipeline.lost.col.reason", lang): [
                enum_value_label(LostReason, r, lang) for r in reasons["lost_reason"]
            ],
            t("col.projects", lang): [format_integer(v, lang) for v in reasons["projects"]],
            t("col.jobs_announced", lang): [
                format_integer(v, lang) for v in reasons["jobs_announced"]
            ],
        }
    )


def lost_locations_table(locations: pd.DataFrame, lang: str) -> pd.DataFrame:
    unknown = t("common.unknown", lang)
    return pd.DataFrame(
        {
            t("pipeline.lost.col.location", lang): [
                v if isinstance(v, str) else unknown for v in locations["location"]
            ],
            t("col.projects", lang): [format_integer(v, lang) for v in locations["projects"]],
            t("col.jobs_announced", lang): [
                format_integer(v, lang) for v in locations["jobs_announced"]
            ],
        }
    )


# ---------------------------------------------------------------------------------------------
# Drill-down: the records behind each bar
# ---------------------------------------------------------------------------------------------


def funnel_drills(funnel: pd.DataFrame, filters: DashboardFilters, lang: str) -> DrillMap:
    """Each stage's bar: the projects in that stage at the period's end."""
    return {
        (0, _stage(s, lang)): Drill(
            f"{_stage(s, lang)} — {t('col.projects', lang)}",
            "at_stage",
            filters.period,
            filters,
            stage=s,
        )
        for s in funnel["stage"]
    }


def time_in_stage_drills(times: pd.DataFrame, filters: DashboardFilters, lang: str) -> DrillMap:
    """Each stage's bar: the stays behind its median."""
    timed = times[times["stays"] > 0]
    return {
        (0, _stage(s, lang)): Drill(
            f"{_stage(s, lang)} — {t('pipeline.time.col.stays', lang)}",
            "stays",
            filters.period,
            filters,
            stage=s,
        )
        for s in timed["stage"]
    }


def won_lost_drills(won_lost: pd.DataFrame, filters: DashboardFilters, lang: str) -> DrillMap:
    """Each month's bars: the projects won (first trace) or lost (second) in that month."""
    drills: DrillMap = {}
    for month in won_lost["month"]:
        label = format_month(month, lang)
        for curve, column, kind in ((0, "won", "projects_won"), (1, "lost", "lost")):
            drills[(curve, label)] = Drill(
                f"{label} — {t(f'pipeline.decisions.{column}', lang)}",
                kind,
                month_period(month, filters.period),
                filters,
            )
    return drills


def lost_reason_drills(reasons: pd.DataFrame, filters: DashboardFilters, lang: str) -> DrillMap:
    """Each reason's bar: the projects lost for it (no drill for "reason not recorded")."""
    drills: DrillMap = {}
    for reason in reasons["lost_reason"]:
        if isinstance(reason, str):
            label = enum_value_label(LostReason, reason, lang)
            drills[(0, label)] = Drill(
                f"{t('pipeline.decisions.lost', lang)} — {label}",
                "lost",
                filters.period,
                filters,
                lost_reason=reason,
            )
    return drills


# ---------------------------------------------------------------------------------------------
# Project tables (sortable: numbers and dates stay typed)
# ---------------------------------------------------------------------------------------------


def directory_link(organisation_id: object, lang: str) -> str | None:
    """The organisation's page in the Directory; None for a confidential project."""
    if organisation_id is None or pd.isna(organisation_id):
        return None
    return f"/directory?org={int(organisation_id)}&lang={lang}"


def _organisation_names(frame: pd.DataFrame, lang: str) -> list[str]:
    hidden = t("pipeline.confidential", lang)
    return [
        name if isinstance(name, str) else hidden
        for name in frame["organisation"].astype("object").where(frame["organisation"].notna())
    ]


def projects_table(
    frame: pd.DataFrame, lang: str, names: dict[str, dict[str, str]]
) -> tuple[pd.DataFrame, dict[str, object]]:
    """(table, column_config) of open or stale projects, with a link to the Directory."""
    frame = mask_frame(frame)
    days_column = "days_in_stage" if "days_in_stage" in frame else "days_since_contact"
    table = {
        t("col.code_name", lang): frame["code_name"],
        t("col.organisation", lang): _organisation_names(frame, lang),
        t("pipeline.col.directory", lang): [
            directory_link(v, lang) for v in frame["organisation_id"].astype("object")
        ],
    }
    if "sector_code" in frame:
        table[t("col.sector_code", lang)] = [
            names["sectors"].get(v, v) for v in frame["sector_code"]
        ]
        table[t("col.origin_country_iso2", lang)] = [
            names["countries"].get(v, v) if isinstance(v, str) else ""
            for v in frame["origin_country_iso2"]
        ]
    table[t("col.stage", lang)] = [_stage(s, lang) for s in frame["stage"]]
    table[t(f"pipeline.col.{days_column}", lang)] = frame[days_column].astype("int64")
    if "jobs_announced" in frame:
        table[t("col.jobs_announced", lang)] = frame["jobs_announced"].astype("int64")
        # Capex as a number (it sorts as one), its disclosure in the next column.
        table[t("col.capex_eur", lang)] = pd.array(
            [None if a is None or pd.isna(a) else int(a) for a in frame["capex_eur"]],
            dtype="Int64",
        )
        table[t("col.capex_disclosure", lang)] = [
            enum_value_label(CapexDisclosure, d, lang) if isinstance(d, str) else ""
            for d in frame["capex_disclosure"]
        ]
    table[t("col.owner", lang)] = frame["owner"].astype("object").where(frame["owner"].notna(), "")
    table[t("pipeline.col.last_interaction_on", lang)] = pd.to_datetime(
        frame["last_interaction_on"]
    )
    config = {
        t("pipeline.col.directory", lang): st.column_config.LinkColumn(
            display_text=t("pipeline.directory_link", lang)
        ),
        t(f"pipeline.col.{days_column}", lang): st.column_config.NumberColumn(format="%d"),
        t("pipeline.col.last_interaction_on", lang): st.column_config.DateColumn(
            format=date_format(lang)
        ),
    }
    if "jobs_announced" in frame:
        config[t("col.jobs_announced", lang)] = st.column_config.NumberColumn(format="%d")
        config[t("col.capex_eur", lang)] = st.column_config.NumberColumn(format="localized")
    return pd.DataFrame(table), config
