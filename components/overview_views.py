"""Overview sections below the tiles: five years against their targets, top origins and sectors."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.charts import BLUE, SEPARATORS
from components.drilldown import Drill, DrillMap, narrowed, render_drill_chart
from components.tables import render_downloads
from core.filters import DashboardFilters
from core.formatting import format_eur, format_integer, format_percent
from core.i18n import t

#: Figures of the five-year table, with the target each is compared with.
YEARLY_FIGURES = (
    ("projects_won", False),
    ("jobs_announced", False),
    ("capex_disclosed_eur", True),
    ("meetings", False),
    ("organisations_met", False),
)
TARGET_OF = {"capex_disclosed_eur": "capex_disclosed"}


def yearly_table(
    summary: pd.DataFrame, targets: dict[int, dict[str, int]], lang: str
) -> pd.DataFrame:
    """Rows: years, newest first. Per figure: the actual, its change on the year before and,
    where a target exists, the target and the share reached. Formatted for display."""
    rows = []
    records = summary.to_dict("records")
    for i, row in enumerate(records):
        shown = {t("overview.years.col.year", lang): str(row["year"])}
        for figure, money in YEARLY_FIGURES:
            fmt = format_eur if money else format_integer
            label = t(f"overview.years.col.{figure}", lang)
            shown[label] = fmt(row[figure], lang)
            before = records[i - 1][figure] if i else None
            change = (row[figure] - before) / before if before else None
            shown[f"{label} — {t('overview.years.change', lang)}"] = format_percent(
                change, lang, signed=True
            )
            target = targets.get(row["year"], {}).get(TARGET_OF.get(figure, figure))
            if target:
                shown[f"{label} — {t('overview.years.target', lang)}"] = (
                    f"{fmt(target, lang)} ({format_percent(row[figure] / target, lang)})"
                )
        rows.append(shown)
    return pd.DataFrame(rows[::-1]).fillna("—")


def render_yearly_table(
    summary: pd.DataFrame, targets: dict[int, dict[str, int]], lang: str, source: str
) -> None:
    st.subheader(t("overview.years.title", lang))
    table = yearly_table(summary, targets, lang)
    st.dataframe(table, hide_index=True, key="yearly_table")
    st.caption(t("overview.years.caption", lang, source=source))
    render_downloads(table, lang, file_stem="overview-years", key="yearly")


def breakdown_names(frame: pd.DataFrame, names: dict[str, str], lang: str) -> list[str]:
    """The name of each row's code; "unknown" for a missing code (origin not recorded)."""
    unknown = t("common.unknown", lang)
    return [names.get(c, c) if isinstance(c, str) else unknown for c in frame["code"]]


def build_breakdown_figure(
    frame: pd.DataFrame, names: dict[str, str], colours: dict[str, str] | None, lang: str
) -> go.Figure:
    """Horizontal bars of projects won, largest on top, with the value written on each bar."""
    labels = breakdown_names(frame, names, lang)
    colour = [
        (colours or {}).get(code, BLUE) if isinstance(code, str) else "#7F7F7F"
        for code in frame["code"]
    ]
    fig = go.Figure(
        go.Bar(
            x=frame["projects_won"][::-1],
            y=labels[::-1],
            orientation="h",
            marker_color=colour[::-1],
            text=frame["projects_won"][::-1],
            textposition="outside",
            cliponaxis=False,
            customdata=frame["jobs_announced"][::-1],
            hovertemplate="%{y} : %{x:,d} — %{customdata:,d} "
            + t("overview.top.jobs", lang)
            + "<extra></extra>",
        )
    )
    fig.update_layout(
        separators=SEPARATORS.get(lang, ".,"),
        height=max(220, 44 * len(frame) + 60),
        margin={"l": 10, "r": 30, "t": 10, "b": 10},
        font={"size": 15},
        showlegend=False,
    )
    fig.update_xaxes(tickformat=",d", gridcolor="#D9DEE6")
    return fig


def breakdown_drills(
    frame: pd.DataFrame, names: dict[str, str], dimension: str, filters: DashboardFilters, lang: str
) -> DrillMap:
    """Each bar: the projects won in the period of its country or sector (``dimension`` is
    "countries" or "sectors"). A bar of unknown origin has no filter to narrow to: none."""
    drills: DrillMap = {}
    for code, label in zip(frame["code"], breakdown_names(frame, names, lang), strict=True):
        if isinstance(code, str):
            drills[(0, label)] = Drill(
                f"{label} — {t('col.projects_won', lang)}",
                "projects_won",
                filters.period,
                narrowed(filters, **{dimension: (code,)}),
            )
    return drills


def render_breakdown(
    frame: pd.DataFrame,
    names: dict[str, str],
    colours: dict[str, str] | None,
    lang: str,
    *,
    title: str,
    key: str,
    dimension: str,
    ctx: Any,
    filters: DashboardFilters,
    home: str,
) -> None:
    st.markdown(f"**{title}**")
    if frame.empty:
        st.info(t("overview.top.empty", lang))
        return
    render_drill_chart(
        build_breakdown_figure(frame, names, colours, lang),
        breakdown_drills(frame, names, dimension, filters, lang),
        ctx,
        key=key,
        home_country=home,
    )
    with st.expander(t("overview.top.records", lang)):
        table = pd.DataFrame(
            {
                t("overview.top.col.name", lang): breakdown_names(frame, names, lang),
                t("col.projects_won", lang): frame["projects_won"].map(
                    lambda v: format_integer(v, lang)
                ),
                t("overview.top.jobs", lang): frame["jobs_announced"].map(
                    lambda v: format_integer(v, lang)
                ),
            }
        )
        st.dataframe(table, hide_index=True, key=f"{key}_table")
