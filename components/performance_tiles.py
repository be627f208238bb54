"""The Overview's second row: catalogue 1.2's figures (time to decision, organisations met per
project won, delegations received, missions held against their yearly target, projects won by
origin), each with its definition, period, change and source in its help."""

from __future__ import annotations

from typing import Any

import streamlit as st

from components.kpi_tiles import Tile, tile_help
from core.formatting import format_delta, format_integer, format_number, format_percent
from core.i18n import t
from core.performance import RECORD_KPIS, PerformanceKpis

#: Each tile: catalogue key, and whether a fall is good news (the delta's colour).
PERFORMANCE_TILES = (
    ("time_to_decision", "inverse"),
    ("organisations_met_per_win", "off"),
    ("delegations_received", "normal"),
    ("missions_held", "normal"),
    ("projects_won_by_origin", "off"),
)
#: The tiles with records behind them (the Overview's "see the detail of").
PERFORMANCE_RECORDS = RECORD_KPIS


def _figure(key: str, kpis: PerformanceKpis) -> float | int | None:
    return {
        "time_to_decision": kpis.time_to_decision_days,
        "organisations_met_per_win": kpis.organisations_met_per_win,
        "delegations_received": kpis.delegations_received,
        "missions_held": kpis.missions_held,
    }.get(key)


def performance_value(key: str, kpis: PerformanceKpis, lang: str) -> str:
    if key == "time_to_decision":
        days = kpis.time_to_decision_days
        return format_number(None, lang) if days is None else (
            t("kpi.time_to_decision.days", lang, days=format_number(days, lang))
        )  # fmt: skip
    if key == "organisations_met_per_win":
        return format_number(kpis.organisations_met_per_win, lang)
    if key == "projects_won_by_origin":
        return " · ".join(
            format_integer(v, lang)
            for v in (
                kpis.projects_won_home,
                kpis.projects_won_foreign,
                kpis.projects_won_unknown_origin,
            )
        )
    return format_integer(_figure(key, kpis), lang)


def performance_delta(key: str, kpis: PerformanceKpis, previous: PerformanceKpis, lang: str):
    """The change on the comparison period as text, 0 when none, None when not comparable."""
    now, before = _figure(key, kpis), _figure(key, previous)
    if now is None or before is None:
        return None
    change = now - before
    return 0 if change == 0 else format_delta(change, lang, digits=1)


def performance_note(key: str, kpis: PerformanceKpis, lang: str) -> str | None:
    notes = {
        "time_to_decision": lambda: t(
            "kpi.time_to_decision.projects",
            lang,
            n=format_integer(kpis.time_to_decision_projects, lang),
        ),
        "organisations_met_per_win": lambda: t(
            "kpi.organisations_met_per_win.note",
            lang,
            orgs=format_integer(kpis.organisations_met, lang),
            won=format_integer(kpis.projects_won, lang),
        ),
        "delegations_received": lambda: t(
            "kpi.delegations_received.note", lang, n=format_integer(kpis.missions_held, lang)
        ),
        "projects_won_by_origin": lambda: t(
            "kpi.projects_won.split",
            lang,
            home=format_integer(kpis.projects_won_home, lang),
            foreign=format_integer(kpis.projects_won_foreign, lang),
            unknown=format_integer(kpis.projects_won_unknown_origin, lang),
        ),
    }
    make = notes.get(key)
    return make() if make else None


def render_performance_tiles(
    kpis: PerformanceKpis, previous: PerformanceKpis, context: dict[str, Any]
) -> None:
    """One row of tiles; ``context`` as ``components.kpi_tiles.render_kpi_tiles``'s (lang,
    period, comparison, source, targets, year)."""
    lang = context["lang"]
    st.subheader(t("overview.more.title", lang))
    for column, (key, colour) in zip(
        st.columns(len(PERFORMANCE_TILES)), PERFORMANCE_TILES, strict=True
    ):
        with column, st.container(border=True, key=f"tile_{key}"):
            st.metric(
                t(f"kpi.{key}.label", lang),
                performance_value(key, kpis, lang),
                delta=performance_delta(key, kpis, previous, lang),
                delta_color=colour,
                delta_description=t("overview.delta_description", lang),
                help=tile_help(
                    Tile(key, key),
                    context["period"],
                    context["comparison"],
                    context["source"],
                    lang,
                ),
            )
            note = performance_note(key, kpis, lang)
            if note:
                st.caption(note)
            target = context["targets"].get("missions") if key == "missions_held" else None
            if target and context["year"] is not None:
                ratio = kpis.missions_held / target
                st.progress(
                    min(ratio, 1.0),
                    text=t(
                        "kpi.target",
                        lang,
                        year=context["year"],
                        actual=format_integer(kpis.missions_held, lang),
                        target=format_integer(target, lang),
                        pct=format_percent(ratio, lang),
                    ),
                )
