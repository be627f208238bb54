"""The Missions page's cached readers, charts and tables.

Mission kinds have fixed Okabe-Ito colours (safe for the common colour-vision deficiencies)
and coming missions are hatched, so kind and status never rest on colour alone. Dates inside
charts are written by babel (no plotly locale file), numbers with the language's separators.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots
from sqlmodel import Session

from components.charts import SEPARATORS, chart_text
from components.db import get_engine_for
from components.masking import mask_frame
from components.tables import render_downloads
from core import missions
from core.confidentiality import Masking
from core.config import get_settings
from core.filters import DashboardFilters
from core.formatting import format_day, format_eur, format_integer, format_month
from core.i18n import enum_value_label, t
from models import InteractionKind, InteractionOutcome, MissionKind, Stage

TTL = get_settings().cache_ttl_seconds
INK = "#111827"
GRID = "#D9DEE6"
KIND_COLOURS = {"outbound": "#0072B2", "trade_fair": "#E69F00", "inbound": "#009E73"}
#: One neutral colour for the leads and cost bars: colour there means nothing.
BAR_COLOUR = "#4B6A88"
DAY_MS = 86_400_000
DETAIL_KEY = "missions_detail"  # the picker of the mission shown in detail
TABLE_ROW_PX = 35  # st.dataframe's row height: the table shows up to 15 missions unscrolled
#: Figures of the comparison table, with money ones flagged.
TABLE_FIGURES = (
    ("budget_eur", True),
    *((name, False) for name in missions.FIGURES),
    ("cost_per_lead_eur", True),
)
ENUMS = {
    "kind": MissionKind,
    "interaction_kind": InteractionKind,
    "outcome": InteractionOutcome,
    "stage": Stage,
}


def _session(db_url: str) -> Session:
    return Session(get_engine_for(db_url))


# ---------------------------------------------------------------------------------------------
# Cached readers
# ---------------------------------------------------------------------------------------------


@st.cache_data(ttl=TTL, show_spinner=False)
def read_mission_figures(db_url: str, filters: DashboardFilters, today: date) -> pd.DataFrame:
    with _session(db_url) as session:
        return missions.get_mission_figures(session, filters, today=today)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_mission_comparison(db_url: str, filters: DashboardFilters, today: date) -> pd.DataFrame:
    with _session(db_url) as session:
        return missions.get_mission_comparison(session, filters, today=today)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_mission_detail(
    db_url: str,
    mission_id: int,
    filters: DashboardFilters,
    today: date,
    *,
    masking: Masking | None,
) -> missions.MissionDetail | None:
    with _session(db_url) as session:
        return missions.get_mission_detail(
            session, mission_id, filters, today=today, masking=masking
        )


# ---------------------------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------------------------


def kind_label(kind: str, lang: str) -> str:
    return enum_value_label(MissionKind, kind, lang)


def date_range_text(start: date, end: date, lang: str) -> str:
    if start == end:
        return format_day(start, lang)
    return f"{format_day(start, lang)} – {format_day(end, lang)}"


def place_text(city: object, country: object, countries: dict[str, str]) -> str:
    name = countries.get(str(country), str(country)) if not pd.isna(country) else ""
    return ", ".join(p for p in (None if pd.isna(city) else str(city), name) if p)


def mission_option(row: dict, lang: str) -> str:
    """A mission in a select box: its name and dates."""
    return f"{row['name']} ({date_range_text(row['starts_on'], row['ends_on'], lang)})"


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------


def _month_ticks(lo: date, hi: date, lang: str) -> tuple[list[str], list[str]]:
    """First days of months between ``lo`` and ``hi``, every 1, 2, 3 or 6 months so that
    about a dozen labels show, written by babel."""
    months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    step = next((s for s in (1, 2, 3, 6) if months / s <= 12), 12)
    day = date(lo.year, lo.month, 1)
    values, texts = [], []
    while day <= hi:
        if (day.month - 1) % step == 0:
            values.append(day.isoformat())
            texts.append(format_month(day, lang))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return values, texts


def _timeline_range(frame: pd.DataFrame) -> tuple[date, date]:
    lo, hi = min(frame["starts_on"]), max(frame["ends_on"]) + timedelta(days=1)
    pad = timedelta(days=max(3, (hi - lo).days // 25))
    return lo - pad, hi + pad


def timeline_frame(figures: pd.DataFrame, coming: pd.DataFrame) -> pd.DataFrame:
    """The period's missions and, after them, the ``coming`` ones not already among them."""
    extra = coming[~coming["id"].isin(figures["id"])]
    if extra.empty:
        return figures
    both = pd.concat([figures, extra], ignore_index=True)
    return both.sort_values(["starts_on", "id"], kind="stable").reset_index(drop=True)


def _mark_today(fig: go.Figure, today: date, lang: str) -> None:
    fig.add_shape(
        type="line",
        x0=today.isoformat(),
        x1=today.isoformat(),
        y0=0,
        y1=1,
        yref="paper",
        line={"color": INK, "width": 2, "dash": "dot"},
    )
    fig.add_annotation(
        x=today.isoformat(),
        y=1,
        yref="paper",
        xanchor="right",
        yanchor="top",
        showarrow=False,
        bgcolor="rgba(255,255,255,0.85)",
        text=t("missions.timeline.today", lang, day=format_day(today, lang)),
        font={"size": 14, "color": INK},
    )


def timeline_labels(frame: pd.DataFrame, lang: str) -> dict[int, str]:
    """Mission id -> its label on the timeline: the name, with the dates when two missions
    share a name (plotly would draw them on one row)."""
    counts = frame["name"].value_counts()
    return {
        int(row["id"]): chart_text(
            mission_option(row, lang) if counts[row["name"]] > 1 else row["name"]
        )
        for row in frame.to_dict("records")
    }


def build_timeline_figure(
    frame: pd.DataFrame, lang: str, title: str, today: date, countries: dict[str, str]
) -> go.Figure:
    """One bar per mission from its first to its last day, coloured by kind, coming ones
    hatched; a dotted line marks today when it falls in the chart. Earliest mission on top."""
    fig = go.Figure()
    labels = timeline_labels(frame, lang)
    names = list(labels.values())
    for kind, colour in KIND_COLOURS.items():
        rows = frame[frame["kind"] == kind]
        if rows.empty:
            continue
        hover = [
            [
                chart_text(mission_option(row, lang)),
                kind_label(kind, lang),
                chart_text(place_text(row["city"], row["country_iso2"], countries)),
                t(f"missions.status.{row['status']}", lang),
            ]
            for row in rows.to_dict("records")
        ]
        fig.add_trace(
            go.Bar(
                name=kind_label(kind, lang),
                y=[labels[int(i)] for i in rows["id"]],
                base=[d.isoformat() for d in rows["starts_on"]],
                x=[
                    ((e - s).days + 1) * DAY_MS
                    for s, e in zip(rows["starts_on"], rows["ends_on"], strict=True)
                ],
                orientation="h",
                marker={
                    "color": colour,
                    "line": {"color": colour, "width": 1},
                    "pattern": {
                        "shape": ["/" if s == "coming" else "" for s in rows["status"]],
                        "fillmode": "overlay",
                        "fgcolor": "white",
                        "size": 7,
                        "solidity": 0.45,
                    },
                },
                customdata=hover,
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[2]}"
                "<br>%{customdata[3]}<extra></extra>",
            )
        )
    lo, hi = _timeline_range(frame)
    ticks, texts = _month_ticks(lo, hi, lang)
    if lo <= today <= hi:
        _mark_today(fig, today, lang)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 20}},
        separators=SEPARATORS.get(lang, ".,"),
        barmode="overlay",
        height=max(260, 38 * len(names) + 150),
        margin={"l": 10, "r": 10, "t": 110, "b": 10},
        font={"size": 15},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "title": None},
    )
    fig.update_xaxes(
        type="date",
        range=[lo.isoformat(), hi.isoformat()],
        tickmode="array",
        tickvals=ticks,
        ticktext=texts,
        gridcolor=GRID,
        tickfont={"size": 14, "color": INK},
        automargin=True,
    )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=names[::-1],
        tickfont={"size": 14, "color": INK},
        automargin=True,
    )
    return fig


def comparison_ids_by_label(frame: pd.DataFrame) -> dict[str, int]:
    """Mission id by its label on the comparison chart (for a click on a bar)."""
    return {chart_text(n): int(i) for n, i in zip(frame["name"], frame["id"], strict=True)}


def build_leads_cost_figure(frame: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Two panels sharing the mission axis: leads per mission, cost per lead (EUR). Separate
    panels rather than two x-axes on one plot: counts and euros do not share a scale."""
    names = [chart_text(n) for n in frame["name"]][::-1]
    leads = [int(v) for v in frame["leads"]][::-1]
    costs = [None if pd.isna(v) else float(v) for v in frame["cost_per_lead_eur"]][::-1]
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.06,
        subplot_titles=(t("missions.col.leads", lang), t("missions.col.cost_per_lead_eur", lang)),
    )
    panels = (
        (leads, [format_integer(v, lang) for v in leads], 1),
        (costs, [format_eur(v, lang) for v in costs], 2),
    )
    for values, texts, col in panels:
        fig.add_trace(
            go.Bar(
                x=values,
                y=names,
                orientation="h",
                marker_color=BAR_COLOUR,
                text=texts,
                textposition="outside",
                cliponaxis=False,
                customdata=texts,
                hovertemplate="%{y} : %{customdata}<extra></extra>"
                if lang == "fr"
                else "%{y}: %{customdata}<extra></extra>",
                showlegend=False,
            ),
            row=1,
            col=col,
        )
        top = max([v for v in values if v is not None] or [0]) or 1
        fig.update_xaxes(range=[0, top * 1.35], row=1, col=col)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 20}},
        separators=SEPARATORS.get(lang, ".,"),
        height=max(260, 44 * len(names) + 130),
        margin={"l": 10, "r": 30, "t": 100, "b": 10},
        font={"size": 15},
    )
    fig.update_xaxes(gridcolor=GRID, tickfont={"size": 13, "color": INK}, automargin=True)
    fig.update_xaxes(tickformat=",d", row=1, col=1)
    money = {"ticksuffix": " €"} if lang == "fr" else {"tickprefix": "€"}
    fig.update_xaxes(tickformat=",.0f", row=1, col=2, **money)
    fig.update_yaxes(tickfont={"size": 14, "color": INK}, automargin=True)
    fig.update_annotations(font={"size": 16, "color": INK})
    return fig


def render_chart(
    fig: go.Figure, key: str, ids_by_label: dict[str, int], *, detail_key: str = DETAIL_KEY
) -> None:
    """A chart with one mission per row: a click on a mission opens its detail below (the
    records behind its figures), by choosing it in the detail picker ``detail_key``."""
    event = st.plotly_chart(
        fig, config={"displaylogo": False}, key=key, on_select="rerun", selection_mode="points"
    )
    points = getattr(getattr(event, "selection", None), "points", None) or ()
    clicked = next(
        (ids_by_label[str(p.get("y"))] for p in points if str(p.get("y")) in ids_by_label), None
    )
    seen = f"{key}_seen"
    # Once per new click: the chart keeps its selection across reruns, and the picker must
    # stay free to change by hand afterwards.
    if clicked != st.session_state.get(seen):
        st.session_state[seen] = clicked
        if clicked is not None:
            st.session_state[detail_key] = clicked


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

#: How each column of a records table is shown: "date", "int", "eur", "enum", "country",
#: "sector", "bool" or "text".
COLUMN_TYPES = {
    "starts_on": "date",
    "ends_on": "date",
    "occurred_on": "date",
    "next_step_due_on": "date",
    "lead_on": "date",
    "decided_on": "date",
    "budget_eur": "eur",
    "cost_per_lead_eur": "eur",
    "country_iso2": "country",
    "origin_country_iso2": "country",
    "sector_code": "sector",
    "next_step_done": "bool",
    **dict.fromkeys(ENUMS, "enum"),
    **dict.fromkeys((*missions.FIGURES, "jobs_announced"), "int"),
}


def _cell(value: object, kind: str, column: str, lang: str, names: dict, csv: bool) -> object:
    if kind == "enum":
        return enum_value_label(ENUMS[column], None if pd.isna(value) else str(value), lang)
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "" if csv else "—" if kind in ("int", "eur") else ""
    if kind == "status":
        return t(f"missions.status.{value}", lang)
    if kind in ("country", "sector"):
        return names[kind].get(str(value), str(value))
    if kind == "bool":
        return t("common.yes", lang) if value else t("common.no", lang)
    if csv:  # raw numbers and ISO dates: what a spreadsheet reads back
        return value.isoformat() if isinstance(value, date) else value
    if kind == "date":
        return format_day(value, lang)
    if kind == "int":
        return format_integer(int(value), lang)
    if kind == "eur":
        return format_eur(float(value), lang)
    return value


def records_table(
    frame: pd.DataFrame,
    columns: tuple[str, ...],
    lang: str,
    names: dict[str, dict[str, str]],
    *,
    csv: bool = False,
) -> pd.DataFrame:
    """``columns`` of ``frame`` ready to show (formatted) or to download (``csv``: raw numbers,
    ISO dates), with translated headers. ``names``: {"country": ..., "sector": ...}."""
    out = {}
    for column in columns:
        kind = "status" if column == "status" else COLUMN_TYPES.get(column, "text")
        out[t(f"missions.col.{column}", lang)] = [
            _cell(v, kind, column, lang, names, csv) for v in frame[column]
        ]
    return pd.DataFrame(out, columns=[t(f"missions.col.{c}", lang) for c in columns])


def comparison_table(frame: pd.DataFrame, lang: str, countries: dict[str, str]) -> pd.DataFrame:
    """One formatted row per mission: name, kind, dates, place, chamber, status, figures."""
    rows = frame.to_dict("records")
    shown = pd.DataFrame(
        {
            t("missions.col.name", lang): [r["name"] for r in rows],
            t("missions.col.kind", lang): [kind_label(r["kind"], lang) for r in rows],
            t("missions.col.dates", lang): [
                date_range_text(r["starts_on"], r["ends_on"], lang) for r in rows
            ],
            t("missions.col.place", lang): [
                place_text(r["city"], r["country_iso2"], countries) for r in rows
            ],
            t("missions.col.chamber_name", lang): [
                "" if pd.isna(r["chamber_name"]) else r["chamber_name"] for r in rows
            ],
            t("missions.col.status", lang): [
                t(f"missions.status.{r['status']}", lang) for r in rows
            ],
        }
    )
    figures = records_table(frame, tuple(c for c, _money in TABLE_FIGURES), lang, {})
    return pd.concat([shown, figures], axis=1)


def render_comparison_table(frame: pd.DataFrame, lang: str, countries: dict[str, str]) -> None:
    config = {
        t(f"missions.col.{name}", lang): st.column_config.TextColumn(
            help=t(f"missions.def.{name}", lang), alignment="right"
        )
        for name, _money in TABLE_FIGURES
    }
    config[t("missions.col.status", lang)] = st.column_config.TextColumn(
        help=t("missions.def.status", lang)
    )
    st.dataframe(
        comparison_table(frame, lang, countries),
        hide_index=True,
        column_config=config,
        height=TABLE_ROW_PX * (min(len(frame), 15) + 1) + 3,
        key="missions_table",
    )
    csv_columns = (
        "name", "kind", "starts_on", "ends_on", "city", "country_iso2", "chamber_name",
        "status", *(c for c, _money in TABLE_FIGURES),
    )  # fmt: skip
    names = {"country": countries, "sector": {}}
    render_downloads(
        records_table(frame, csv_columns, lang, names, csv=True),
        lang,
        file_stem="missions",
        key="missions",
    )


# ---------------------------------------------------------------------------------------------
# Headline figures and one mission in detail
# ---------------------------------------------------------------------------------------------

HEADLINE = ("meetings", "leads", "projects_won", "jobs_announced", "follow_ups_overdue")
DETAIL_METRICS = (*missions.FIGURES, "cost_per_lead_eur")
ORG_COLUMNS = ("organisation_name", "origin_country_iso2", "sector_code", "meetings")
MEETING_COLUMNS = (
    "occurred_on", "interaction_kind", "organisation_name", "project_code_name", "outcome",
    "next_step", "next_step_due_on", "next_step_done", "owner",
)  # fmt: skip
LEAD_COLUMNS = (
    "code_name", "organisation_name", "sector_code", "origin_country_iso2", "stage", "lead_on",
    "decided_on", "lead_jobs",
)  # fmt: skip
COLUMN_TYPES["lead_jobs"] = "int"


def render_headline(frame: pd.DataFrame, lang: str, period_text: str) -> None:
    """Missions of the period by status, then the sums of their figures (each interaction and
    each project belongs to one mission at most, so the sums count nothing twice)."""
    statuses = {s: int((frame["status"] == s).sum()) for s in missions.STATUSES}
    columns = [*st.columns(3), *st.columns(3)]  # two rows: labels stay whole
    columns[0].metric(
        t("missions.metric.missions", lang),
        format_integer(len(frame), lang),
        help=t(
            "missions.def.missions",
            lang,
            period=period_text,
            **{s: format_integer(n, lang) for s, n in statuses.items()},
        ),
    )
    for column, name in zip(columns[1:], HEADLINE, strict=True):
        column.metric(
            t(f"missions.col.{name}", lang),
            format_integer(int(frame[name].sum()), lang),
            help=t(f"missions.def.{name}", lang),
        )


def _mission_caption(mission: dict, lang: str, countries: dict[str, str]) -> str:
    parts = [
        kind_label(mission["kind"], lang),
        date_range_text(mission["starts_on"], mission["ends_on"], lang),
        place_text(mission["city"], mission["country_iso2"], countries),
        t(f"missions.status.{mission['status']}", lang),
    ]
    if not pd.isna(mission["chamber_name"]):
        parts.append(str(mission["chamber_name"]))
    budget = mission["budget_eur"]
    parts.append(
        t("missions.detail.budget", lang, budget=format_eur(float(budget), lang))
        if not pd.isna(budget)
        else t("missions.detail.no_budget", lang)
    )
    return " · ".join(p for p in parts if p)


def _render_records(
    frame: pd.DataFrame,
    columns: tuple[str, ...],
    lang: str,
    names: dict[str, dict[str, str]],
    *,
    key: str,
    file_stem: str,
) -> None:
    if frame.empty:
        st.info(t("missions.detail.none", lang))
        return
    frame = mask_frame(frame)
    st.dataframe(records_table(frame, columns, lang, names), hide_index=True, key=key)
    render_downloads(
        records_table(frame, columns, lang, names, csv=True),
        lang,
        file_stem=file_stem,
        key=key,
    )


def render_mission_detail(
    detail: missions.MissionDetail, lang: str, names: dict[str, dict[str, str]]
) -> None:
    """A mission's figures, then its organisations met, meetings, leads and overdue
    follow-ups, each as a table with its CSV download."""
    mission = detail.mission
    st.subheader(str(mission["name"]))
    st.caption(_mission_caption(mission, lang, names["country"]))
    columns = st.columns(len(DETAIL_METRICS))
    for column, name in zip(columns, DETAIL_METRICS, strict=True):
        value = mission[name]
        shown = (
            format_eur(None if pd.isna(value) else float(value), lang)
            if name == "cost_per_lead_eur"
            else format_integer(int(value), lang)
        )
        column.metric(t(f"missions.col.{name}", lang), shown, help=t(f"missions.def.{name}", lang))
    stem = f"mission-{mission['id']}"
    organisations = detail.organisations.rename(columns={"name": "organisation_name"})
    leads = detail.leads.rename(columns={"jobs_announced": "lead_jobs"})
    tables = (
        ("organisations", organisations, ORG_COLUMNS),
        ("meetings", detail.meetings, MEETING_COLUMNS),
        ("leads", leads, LEAD_COLUMNS),
        ("overdue", detail.overdue, MEETING_COLUMNS[:-2] + ("owner",)),
        ("people", detail.people, ("person_name", "job_title", "organisation_name")),
    )
    tabs = st.tabs(
        [
            t(f"missions.detail.tab.{name}", lang, n=format_integer(len(frame), lang))
            for name, frame, _columns in tables
        ]
    )
    for tab, (name, frame, table_columns) in zip(tabs, tables, strict=True):
        with tab:
            _render_records(
                frame,
                table_columns,
                lang,
                names,
                key=f"mission_{name}",
                file_stem=f"{stem}-{name}",
            )
