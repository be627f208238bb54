"""Drill-down: from a chart (a click on a bar, a cell, a point) or from a picker below it, the
list of records behind the number, with the page's filters, downloadable as CSV and Excel.

A view describes each clickable mark of its chart as a ``Drill``: which records
(``core.kpis.list_kpi_records`` kinds), over which period, with which filters. The chart is
drawn with Plotly's point selection; the picker below it lists the same drills, so that the
records are also reachable with the keyboard (and by AppTest, which cannot click a chart).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.masking import current_masking
from components.readers import read_country_names, read_kpi_records, read_sector_labels
from components.tables import localise_frame, render_downloads, render_table
from core.confidentiality import Masking
from core.filters import DashboardFilters
from core.formatting import format_integer, format_period
from core.i18n import t
from core.periods import Period
from models import InteractionKind, OrganisationKind

#: Rows shown under a chart; the downloads hold every record (up to ``EXPORT_LIMIT``).
SHOWN_LIMIT = 500
EXPORT_LIMIT = 200_000


@dataclass(frozen=True)
class Drill:
    """The records behind one mark of a chart."""

    label: str  # what the mark is, in the interface language ("Santé — projets gagnés")
    kind: str  # a name of core.kpis.RECORD_KPIS
    period: Period
    filters: DashboardFilters
    stage: str | None = None
    lost_reason: str | None = None
    city: str | None = None  # the organisations' city (the India focus's cities map)


#: A chart's drills by (trace index, category shown on the axis): the category is the bar's
#: label on its category axis (x for vertical bars, y for horizontal ones) or "y|x" for a
#: heatmap cell.
DrillMap = dict[tuple[int, str], Drill]


def narrowed(filters: DashboardFilters, **changes: Any) -> DashboardFilters:
    """The filters with some dimensions replaced by the clicked mark's (a sector, a country...)."""
    return replace(filters, **changes)


def month_period(month: date, within: Period) -> Period:
    """The days of ``month`` inside ``within`` (a chart's month at the edge of the period counts
    only the period's days, as the chart does)."""
    last = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
    return Period(max(month, within.start), min(last, within.end))


def year_period(year: int, within: Period | None = None) -> Period:
    """A calendar year, clipped to ``within`` when given."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    if within is not None:
        start, end = max(start, within.start), min(end, within.end)
    return Period(start, end)


def drills_of_point(point: dict[str, Any], drills: DrillMap) -> Drill | None:
    """The drill of one selected Plotly point, or None if the point has none."""
    curve = int(point.get("curve_number", 0) or 0)
    x, y = point.get("x"), point.get("y")
    for category in (f"{y}|{x}", str(y), str(x)):
        drill = drills.get((curve, category))
        if drill is not None:
            return drill
    return None


def selected_drill(event: Any, drills: DrillMap) -> Drill | None:
    """The drill of the first selected point of a ``st.plotly_chart`` selection event."""
    try:
        points = event.selection.points
    except AttributeError:
        return None
    for point in points or ():
        drill = drills_of_point(dict(point), drills)
        if drill is not None:
            return drill
    return None


def unique(drills: Iterable[Drill]) -> list[Drill]:
    """Drills in order, without repeated labels."""
    seen: dict[str, Drill] = {}
    for drill in drills:
        seen.setdefault(drill.label, drill)
    return list(seen.values())


def render_drill_chart(
    fig: go.Figure, drills: DrillMap, ctx: Any, *, key: str, home_country: str
) -> None:
    """A Plotly chart whose marks open the records behind them, and the picker of those."""
    event = st.plotly_chart(
        fig,
        config={"displaylogo": False},
        key=key,
        on_select="rerun",
        selection_mode="points",
    )
    render_drilldown(
        unique(drills.values()),
        ctx,
        key=key,
        home_country=home_country,
        picked=selected_drill(event, drills),
    )


def render_drilldown(
    drills: list[Drill],
    ctx: Any,
    *,
    key: str,
    home_country: str,
    picked: Drill | None = None,
) -> None:
    """The picker of a chart's drills and, once one is picked (or clicked), its records."""
    if not drills:
        return
    lang = ctx.lang
    select_key, seen_key = f"{key}_drill", f"{key}_drill_seen"
    by_label = {d.label: d for d in drills}
    # A click on the chart picks its drill, once per new click (the chart's selection stays
    # set across reruns, so that the picker can still be changed by hand afterwards).
    clicked = picked.label if picked is not None else None
    if clicked != st.session_state.get(seen_key):
        st.session_state[seen_key] = clicked
        if clicked is not None:
            st.session_state[select_key] = clicked
    if st.session_state.get(select_key) not in by_label:
        st.session_state.pop(select_key, None)  # the filters changed: the choice is gone
    choice = st.selectbox(
        t("drill.label", lang),
        options=list(by_label),
        index=None,
        placeholder=t("drill.placeholder", lang),
        key=select_key,
    )
    if choice is not None:
        render_drill_records(by_label[choice], ctx, key=key, home_country=home_country)


def _localise(frame: pd.DataFrame, drill: Drill, ctx: Any) -> pd.DataFrame:
    return localise_frame(
        frame,
        ctx.lang,
        countries=read_country_names(ctx.db_url, ctx.lang),
        sectors=read_sector_labels(ctx.db_url, ctx.lang),
        drop=("id", "organisation_id"),
        kind=InteractionKind if drill.kind == "meetings" else OrganisationKind,
    )


def _read(
    drill: Drill, ctx: Any, home_country: str, limit: int, masking: Masking | None
) -> tuple[pd.DataFrame, int]:
    return read_kpi_records(
        ctx.db_url,
        drill.kind,
        drill.period.start,
        drill.period.end,
        home_country,
        limit,
        drill.filters,
        drill.stage,
        drill.lost_reason,
        drill.city,
        masking=masking,
    )


def render_drill_records(drill: Drill, ctx: Any, *, key: str, home_country: str) -> None:
    """The records of one drill: what they are, how many, the first rows, the downloads."""
    lang = ctx.lang
    # Decided now: the downloads are built later, on the click, with the same masking.
    masking = current_masking()
    records, total = _read(drill, ctx, home_country, SHOWN_LIMIT, masking)
    st.markdown(f"**{drill.label}**")
    st.caption(
        t(
            "drill.caption",
            lang,
            what=t(f"drill.kind.{drill.kind}", lang),
            period=format_period(drill.period.start, drill.period.end, lang),
            total=format_integer(total, lang),
            shown=format_integer(len(records), lang),
        )
    )
    if records.empty:
        st.info(t("drill.empty", lang))
        return
    render_table(_localise(records, drill, ctx), lang, key=f"{key}_records")

    def everything() -> pd.DataFrame:
        return _localise(_read(drill, ctx, home_country, EXPORT_LIMIT, masking)[0], drill, ctx)

    stem = f"{drill.kind}_{drill.period.start}_{drill.period.end}"
    render_downloads(everything, lang, file_stem=stem, key=f"{key}_records")
