"""The Sectors page's cached readers, charts and tables.

Every chart gives each sector its fixed colour (``get_sector_colours``), writes numbers in the
interface language (plotly ``separators``) and month labels with babel.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlmodel import Session

from components.charts import SEPARATORS
from components.db import get_engine_for
from components.drilldown import (
    Drill,
    DrillMap,
    month_period,
    narrowed,
    render_drill_chart,
    year_period,
)
from components.tables import render_downloads
from core import sectors
from core.config import get_settings
from core.filters import DashboardFilters
from core.formatting import format_eur, format_integer, format_month, format_percent
from core.i18n import t
from core.refdata import get_sector_colours

TTL = get_settings().cache_ttl_seconds
GREY = "#7F7F7F"
INK = "#111827"
#: Columns of the comparison table: (summary column, money?).
TABLE_COLUMNS = (
    ("leads", False),
    ("qualified", False),
    ("won", False),
    ("jobs_announced", False),
    ("capex_disclosed_eur", True),
    ("capex_estimated_eur", True),
)
#: Figures of the grouped bar chart.
BAR_FIGURES = ("leads", "qualified", "won")
#: The records behind each figure of the sectors' charts (core.kpis.list_kpi_records kinds).
RECORDS_OF = {"leads": "leads", "qualified": "qualified", "won": "projects_won"}


def _session(db_url: str) -> Session:
    return Session(get_engine_for(db_url))


# ---------------------------------------------------------------------------------------------
# Cached readers
# ---------------------------------------------------------------------------------------------


@st.cache_data(ttl=TTL, show_spinner=False)
def read_sector_summary(db_url: str, filters: DashboardFilters) -> pd.DataFrame:
    with _session(db_url) as session:
        return sectors.get_sector_summary(session, filters)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_sector_trend(db_url: str, filters: DashboardFilters) -> pd.DataFrame:
    with _session(db_url) as session:
        return sectors.get_sector_trend(session, filters)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_sector_matrix(
    db_url: str, filters: DashboardFilters, measure: str, top: int
) -> pd.DataFrame:
    with _session(db_url) as session:
        return sectors.get_sector_country_matrix(session, filters, measure=measure, top=top)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_sector_targets(db_url: str, year: int, only: tuple[str, ...]) -> pd.DataFrame:
    with _session(db_url) as session:
        return sectors.get_sector_targets(session, year, sectors=only)


# ---------------------------------------------------------------------------------------------
# Comparison table and grouped bars
# ---------------------------------------------------------------------------------------------


def comparison_table(summary: pd.DataFrame, labels: dict[str, str], lang: str) -> pd.DataFrame:
    """One row per sector, figures formatted in ``lang``, headers translated."""
    table = pd.DataFrame({t("sectors.col.sector", lang): summary["sector_code"].map(labels)})
    for column, money in TABLE_COLUMNS:
        fmt = format_eur if money else format_integer
        table[t(f"sectors.col.{column}", lang)] = [fmt(int(v), lang) for v in summary[column]]
    table[t("sectors.col.conversion", lang)] = [
        format_percent(v, lang) for v in summary["conversion"]
    ]
    return table


def render_comparison_table(summary: pd.DataFrame, labels: dict[str, str], lang: str) -> None:
    table = comparison_table(summary, labels, lang)
    names = [column for column, _money in TABLE_COLUMNS] + ["conversion"]
    config = {
        t(f"sectors.col.{name}", lang): st.column_config.TextColumn(
            help=t(f"sectors.def.{name}", lang), alignment="right"
        )
        for name in names
    }
    st.dataframe(table, hide_index=True, column_config=config, key="sectors_table")
    render_downloads(table, lang, file_stem="sectors", key="sectors_table")


def _layout(fig: go.Figure, lang: str, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 20}},
        separators=SEPARATORS.get(lang, ".,"),
        height=height,
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
        font={"size": 15, "color": INK},
        legend={"orientation": "h", "y": -0.15, "font": {"size": 14}},
    )
    return fig


def _integer_axis(fig: go.Figure, top: int) -> None:
    """Whole-number ticks (a step of 1 on small counts, never "1, 1, 2, 2")."""
    fig.update_yaxes(
        tickformat=",d",
        gridcolor="#D9DEE6",
        rangemode="tozero",
        dtick=1 if top <= 8 else None,
        tickfont={"size": 14, "color": INK},
    )


def build_sector_bars(
    summary: pd.DataFrame, labels: dict[str, str], lang: str, title: str
) -> go.Figure:
    """Leads, qualified and won side by side: one bar per sector in each group."""
    colours = get_sector_colours()
    groups = [t(f"sectors.col.{name}", lang) for name in BAR_FIGURES]
    fig = go.Figure()
    for row in summary.itertuples(index=False):
        values = [int(getattr(row, name)) for name in BAR_FIGURES]
        name = labels.get(row.sector_code, row.sector_code)
        fig.add_trace(
            go.Bar(
                x=groups,
                y=values,
                name=name,
                marker_color=colours.get(row.sector_code, GREY),
                text=values,
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"{name}<br>%{{x}} : %{{y:,d}}<extra></extra>",
            )
        )
    top = max(int(summary[list(BAR_FIGURES)].to_numpy().max()), 1)
    _integer_axis(fig, top)
    fig.update_yaxes(range=[0, top * 1.2])
    fig.update_layout(barmode="group", bargap=0.2)
    return _layout(fig, lang, title, 460)


def sector_bar_drills(
    summary: pd.DataFrame, labels: dict[str, str], filters: DashboardFilters, lang: str
) -> DrillMap:
    """Each bar (a sector's trace, a figure's group): the projects behind it."""
    drills: DrillMap = {}
    for curve, code in enumerate(summary["sector_code"]):
        name = labels.get(code, code)
        for figure in BAR_FIGURES:
            group = t(f"sectors.col.{figure}", lang)
            drills[(curve, group)] = Drill(
                f"{name} — {group}",
                RECORDS_OF[figure],
                filters.period,
                narrowed(filters, sectors=(code,)),
            )
    return drills


# ---------------------------------------------------------------------------------------------
# Trend
# ---------------------------------------------------------------------------------------------


def bucket_label(bucket: date, unit: str, lang: str) -> str:
    return str(bucket.year) if unit == "year" else format_month(bucket, lang)


def build_trend_figure(
    trend: pd.DataFrame, measure: str, unit: str, labels: dict[str, str], lang: str, title: str
) -> go.Figure:
    """``measure`` per sector (its fixed colour): stacked bars by month (small counts, the
    month's total stays readable), one line per sector by year (the sectors' paths)."""
    colours = get_sector_colours()
    fig = go.Figure()
    for code, rows in trend.groupby("sector_code", sort=False):
        name, colour = labels.get(code, code), colours.get(code, GREY)
        common = {
            "x": [bucket_label(b, unit, lang) for b in rows["bucket"]],
            "y": rows[measure],
            "name": name,
            "hovertemplate": f"{name}<br>%{{x}} : %{{y:,d}}<extra></extra>",
        }
        if unit == "month":
            fig.add_trace(go.Bar(marker_color=colour, **common))
        else:
            fig.add_trace(
                go.Scatter(
                    mode="lines+markers",
                    line={"color": colour, "width": 3},
                    marker={"size": 9},
                    **common,
                )
            )
    per_bucket = trend.groupby("bucket")[measure]
    top = int((per_bucket.sum() if unit == "month" else per_bucket.max()).max())
    fig.update_xaxes(type="category", tickfont={"size": 14, "color": INK})
    _integer_axis(fig, top)
    _layout(fig, lang, title, 460)
    # Stacked bars reverse the legend by default: keep the sectors' display order.
    fig.update_layout(barmode="stack", bargap=0.25, legend_traceorder="normal")
    return fig


def trend_drills(
    trend: pd.DataFrame,
    measure: str,
    unit: str,
    labels: dict[str, str],
    filters: DashboardFilters,
    lang: str,
) -> DrillMap:
    """Each bar or point of the trend: the sector's projects of that month (or year)."""
    drills: DrillMap = {}
    for curve, (code, rows) in enumerate(trend.groupby("sector_code", sort=False)):
        name = labels.get(code, code)
        for bucket in rows["bucket"]:
            label = bucket_label(bucket, unit, lang)
            period = (
                year_period(bucket.year, filters.period)
                if unit == "year"
                else month_period(bucket, filters.period)
            )
            drills[(curve, label)] = Drill(
                f"{name} — {label} — {t(f'sectors.col.{measure}', lang)}",
                RECORDS_OF[measure],
                period,
                narrowed(filters, sectors=(code,)),
            )
    return drills


# ---------------------------------------------------------------------------------------------
# Sector x country matrix
# ---------------------------------------------------------------------------------------------


def matrix_table(
    matrix: pd.DataFrame, labels: dict[str, str], countries: dict[str, str], lang: str
) -> pd.DataFrame:
    """The matrix with sector and country names, and a total per sector."""
    names = {
        sectors.OTHERS: t("sectors.matrix.others", lang),
        sectors.UNKNOWN: t("common.unknown", lang),
    }
    codes = [c for c in matrix.columns if c != "sector_code"]
    table = matrix.rename(columns={c: names.get(c) or countries.get(c, c) for c in codes})
    table["sector_code"] = table["sector_code"].map(lambda c: labels.get(c, c))
    table[t("sectors.matrix.total", lang)] = matrix[codes].sum(axis=1).astype("int64")
    return table.rename(columns={"sector_code": t("sectors.col.sector", lang)})


def build_matrix_figure(table: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """A heatmap (single-hue sequential blues, safe for colour-blind readers), values written."""
    sector_column = table.columns[0]
    values = table.drop(columns=[sector_column, table.columns[-1]])
    fig = go.Figure(
        go.Heatmap(
            z=values.to_numpy(),
            x=list(values.columns),
            y=list(table[sector_column]),
            colorscale="Blues",
            texttemplate="%{z:,d}",
            textfont={"size": 15},
            hovertemplate="%{y} — %{x} : %{z:,d}<extra></extra>",
            xgap=2,
            ygap=2,
            colorbar={"tickformat": ",d"},
        )
    )
    fig.update_yaxes(autorange="reversed", tickfont={"size": 14, "color": INK})
    fig.update_xaxes(tickfont={"size": 14, "color": INK})
    return _layout(fig, lang, title, 120 + 52 * len(table))


def matrix_drills(
    matrix: pd.DataFrame,
    measure: str,
    labels: dict[str, str],
    countries: dict[str, str],
    filters: DashboardFilters,
    lang: str,
) -> DrillMap:
    """Each cell of a named country: that sector's projects from that country. The "other
    countries" and "unknown" columns are sums with no single filter: no drill."""
    drills: DrillMap = {}
    codes = [c for c in matrix.columns if c not in ("sector_code", sectors.OTHERS, sectors.UNKNOWN)]
    for sector_code in matrix["sector_code"]:
        name = labels.get(sector_code, sector_code)
        for code in codes:
            country = countries.get(code, code)
            drills[(0, f"{name}|{country}")] = Drill(
                f"{name} — {country} — {t(f'sectors.col.{measure}', lang)}",
                RECORDS_OF[measure],
                filters.period,
                narrowed(filters, sectors=(sector_code,), countries=(code,), regions=()),
            )
    return drills


def render_matrix(
    matrix: pd.DataFrame,
    labels: dict[str, str],
    countries: dict[str, str],
    lang: str,
    *,
    title: str,
    file_stem: str,
    measure: str,
    ctx: Any,
    filters: DashboardFilters,
    home: str,
) -> None:
    table = matrix_table(matrix, labels, countries, lang)
    if len(table.columns) <= 2 or int(table[table.columns[-1]].sum()) == 0:
        st.subheader(title)
        st.info(t("sectors.matrix.empty", lang))
        return
    render_drill_chart(
        build_matrix_figure(table, lang, title),
        matrix_drills(matrix, measure, labels, countries, filters, lang),
        ctx,
        key="sectors_matrix",
        home_country=home,
    )
    with st.expander(t("sectors.matrix.table", lang)):
        shown = table.copy()
        for column in shown.columns[1:]:
            shown[column] = [format_integer(int(v), lang) for v in shown[column]]
        st.dataframe(shown, hide_index=True, key="sectors_matrix_table")
        render_downloads(table, lang, file_stem=file_stem, key="sectors_matrix")


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------


def target_text(row: pd.Series, lang: str) -> str:
    """ "2 / 4 — 50 %" (actual / target — progress), euros for a capex target."""
    fmt = format_eur if row["kpi"] == "capex_disclosed" else format_integer
    actual = None if pd.isna(row["actual"]) else int(row["actual"])
    return t(
        "sectors.targets.progress",
        lang,
        actual=fmt(actual, lang),
        target=fmt(int(row["target"]), lang),
        share=format_percent(row["progress"], lang),
    )


def render_targets(targets: pd.DataFrame, labels: dict[str, str], lang: str) -> None:
    """One progress bar per sector target, grouped by sector, two sectors per row."""
    codes = list(dict.fromkeys(targets["sector_code"]))
    for start in range(0, len(codes), 2):
        for column, code in zip(st.columns(2), codes[start : start + 2], strict=False):
            with column:
                st.markdown(f"**{labels.get(code, code)}**")
                for _, row in targets[targets["sector_code"] == code].iterrows():
                    progress = row["progress"]
                    kpi = t(f"sectors.kpi.{row['kpi']}", lang)
                    st.progress(
                        min(float(progress), 1.0) if progress is not None else 0.0,
                        text=f"{kpi} — {target_text(row, lang)}",
                    )
