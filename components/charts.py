"""Plotly charts, drawn from local data only (no CDN locale, no web fonts).

French number format inside a chart comes from ``layout.separators`` and month labels are
written by babel, since plotly's locale files would be fetched from a CDN.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from components.drilldown import Drill, DrillMap, month_period, render_drill_chart
from core.filters import DashboardFilters
from core.formatting import format_month
from core.i18n import t
from core.trend_notes import mark_line


def chart_text(value: object) -> str:
    """Free text typed by a user (a mission's name, a city) for a Plotly label or tooltip.
    Plotly reads a little HTML in them (<b>, <br>, <a href>): escaped, the text shows exactly as
    typed (Plotly turns the entities back into characters when it draws)."""
    return html.escape(str(value), quote=False)


#: Okabe-Ito blue and orange: safe for the common colour-vision deficiencies.
BLUE = "#0072B2"
ORANGE = "#E69F00"
SEPARATORS = {"fr": ", ", "en": ".,"}  # plotly: decimal mark then thousands separator


#: Okabe-Ito vermilion and bluish green: the marks of the trend (missions, notes).
MISSION_COLOUR = "#D55E00"
NOTE_COLOUR = "#009E73"


def add_trend_marks(fig: go.Figure, marks: pd.DataFrame, labels: list[str], lang: str) -> None:
    """Why did it move? The missions and notes of each month, as one marker above the top
    panel's bar of that month (an M for missions, an N for notes, both: M+N), its tooltip
    listing them by date. Added last, so that the drill-down's curve numbers stay the bars'."""
    if marks is None or marks.empty:
        return
    top = max(fig.layout.yaxis.range[1] if fig.layout.yaxis.range else 1, 1)
    months = [format_month(on.replace(day=1), lang) for on in marks["on"]]
    xs, texts, hovers, colours = [], [], [], []
    for month in labels:
        rows = marks[[m == month for m in months]]
        if rows.empty:
            continue
        kinds = set(rows["kind"])
        xs.append(month)
        texts.append("+".join(k for k, kind in (("M", "mission"), ("N", "note")) if kind in kinds))
        colours.append(NOTE_COLOUR if "note" in kinds else MISSION_COLOUR)
        hovers.append(
            "<br>".join(
                mark_line(r.on, r.kind, chart_text(r.label), lang) for r in rows.itertuples()
            )
        )
    fig.add_trace(
        go.Scatter(
            x=xs, y=[top * 0.97] * len(xs), mode="markers+text", text=texts,
            textposition="middle center", marker={"size": 26, "color": colours, "opacity": 0.85},
            textfont={"color": "white", "size": 12}, hovertext=hovers, hoverinfo="text",
            name=t("trend.marks", lang), showlegend=False,
        ),
        row=1, col=1,
    )  # fmt: skip


def build_monthly_trend_figure(
    trend: pd.DataFrame, lang: str, title: str, marks: pd.DataFrame | None = None
) -> go.Figure:
    """Two stacked bar panels sharing the month axis: projects won, meetings logged; the
    month's missions and notes marked above the top panel (``marks``: ``list_trend_marks``).

    Separate panels rather than two y-axes on one plot: the counts differ by an order of
    magnitude and a dual axis invites misreading.
    """
    months = pd.to_datetime(trend["month"]).dt.date
    labels = [format_month(m, lang) for m in months]
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.14,
        subplot_titles=(t("col.projects_won", lang), t("kpi.meetings.label", lang)),
    )
    series = (
        ("projects_won", t("col.projects_won", lang), BLUE, 1),
        ("meetings", t("kpi.meetings.label", lang), ORANGE, 2),
    )
    for column, name, colour, row in series:
        top = max(int(trend[column].max()), 1)
        fig.update_yaxes(range=[0, top * 1.25], row=row, col=1)
        fig.add_trace(
            go.Bar(
                x=labels,
                y=trend[column],
                name=name,
                marker_color=colour,
                text=trend[column],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{x} : %{y:,d}<extra>" + name + "</extra>"
                if lang == "fr"
                else "%{x}: %{y:,d}<extra>" + name + "</extra>",
            ),
            row=row,
            col=1,
        )
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 20}},
        separators=SEPARATORS.get(lang, ".,"),
        showlegend=False,
        height=520,
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        font={"size": 15},
        bargap=0.25,
    )
    fig.update_xaxes(type="category", tickangle=0, tickfont={"size": 14, "color": "#111827"})
    fig.update_yaxes(
        tickformat=",d",
        gridcolor="#D9DEE6",
        tickfont={"size": 14, "color": "#111827"},
    )
    fig.update_annotations(font={"size": 16, "color": "#111827"})
    add_trend_marks(fig, marks, labels, lang)
    return fig


def monthly_trend_drills(trend: pd.DataFrame, filters: DashboardFilters, lang: str) -> DrillMap:
    """Each bar of the trend: the projects won (top panel) or the meetings (bottom panel) of
    its month, within the period."""
    drills: DrillMap = {}
    months = pd.to_datetime(trend["month"]).dt.date
    for month in months:
        label = format_month(month, lang)
        period = month_period(month, filters.period)
        for curve, kind, name in (
            (0, "projects_won", t("col.projects_won", lang)),
            (1, "meetings", t("kpi.meetings.label", lang)),
        ):
            drills[(curve, label)] = Drill(f"{label} — {name}", kind, period, filters)
    return drills


def render_monthly_trend(
    trend: pd.DataFrame,
    lang: str,
    title: str,
    *,
    ctx: Any,
    filters: DashboardFilters,
    home: str,
    marks: pd.DataFrame | None = None,
) -> None:
    has_activity = not trend.empty and (
        int(trend["projects_won"].sum()) + int(trend["meetings"].sum()) > 0
    )
    if not has_activity:
        st.subheader(title)
        st.info(t("overview.trend.empty", lang))
        return
    render_drill_chart(
        build_monthly_trend_figure(trend, lang, title, marks),
        monthly_trend_drills(trend, filters, lang),
        ctx,
        key="monthly_trend",
        home_country=home,
    )
