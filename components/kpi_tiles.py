"""The six headline tiles: value, change vs the comparison period, side figures, target."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from core.formatting import (
    format_delta,
    format_delta_eur,
    format_eur,
    format_integer,
    format_percent,
    format_period,
)
from core.i18n import t
from core.periods import Period


@dataclass(frozen=True)
class Tile:
    key: str  # catalog prefix kpi.<key> and list_kpi_records' kpi name
    field: str  # HeadlineKpis attribute
    money: bool = False
    target: str | None = None  # TargetKpi value


TILES: tuple[Tile, ...] = (
    Tile("projects_won", "projects_won", target="projects_won"),
    Tile("jobs_announced", "jobs_announced", target="jobs_announced"),
    Tile("capex_disclosed", "capex_disclosed_eur", money=True, target="capex_disclosed"),
    Tile("meetings", "meetings", target="meetings"),
    Tile("organisations_met", "organisations_met", target="organisations_met"),
    Tile("open_pipeline", "open_pipeline"),
)


def tile_value(tile: Tile, kpis: Any, lang: str) -> str:
    value = getattr(kpis, tile.field)
    return format_eur(value, lang) if tile.money else format_integer(value, lang)


def tile_delta(tile: Tile, kpis: Any, previous: Any, lang: str) -> str | int:
    """Signed change as text; the number 0 when nothing changed (st.metric greys it)."""
    change = getattr(kpis, tile.field) - getattr(previous, tile.field)
    if change == 0:
        return 0
    return format_delta_eur(change, lang) if tile.money else format_delta(change, lang)


def side_note(tile: Tile, kpis: Any, lang: str) -> str | None:
    """The figure kept apart from the headline number (foreign share, jobs kept...)."""
    notes: dict[str, Callable[[], str]] = {
        "projects_won": lambda: t(
            "kpi.projects_won.foreign",
            lang,
            n=format_integer(kpis.projects_won_foreign, lang),
            share=format_percent(
                kpis.projects_won_foreign / kpis.projects_won if kpis.projects_won else 0, lang
            ),
        ),
        "jobs_announced": lambda: t(
            "kpi.jobs_announced.kept", lang, n=format_integer(kpis.jobs_kept, lang)
        ),
        "capex_disclosed": lambda: t(
            "kpi.capex_disclosed.estimated", lang, amount=format_eur(kpis.capex_estimated_eur, lang)
        ),
        "open_pipeline": lambda: t(
            "kpi.open_pipeline.jobs", lang, n=format_integer(kpis.open_pipeline_jobs, lang)
        ),
    }
    make = notes.get(tile.key)
    return make() if make else None


def target_note(tile: Tile, kpis: Any, targets: dict[str, int], year: int | None, lang: str):
    """("72 / 70 — 103 %" text, progress ratio) when a yearly target applies, else None."""
    if year is None or tile.target is None or tile.target not in targets:
        return None
    actual, target = getattr(kpis, tile.field), targets[tile.target]
    fmt = format_eur if tile.money else format_integer
    ratio = actual / target if target else None
    text = t(
        "kpi.target",
        lang,
        year=year,
        actual=fmt(actual, lang),
        target=fmt(target, lang),
        pct=format_percent(ratio, lang),
    )
    return text, ratio


def tile_help(tile: Tile, period: Period, comparison: Period, source: str, lang: str) -> str:
    return "\n\n".join(
        (
            t(f"kpi.{tile.key}.definition", lang),
            t("kpi.help.period", lang, period=format_period(period.start, period.end, lang)),
            t(
                "kpi.help.delta",
                lang,
                previous=format_period(comparison.start, comparison.end, lang),
            ),
            t("common.source", lang, source=source),
        )
    )


def render_kpi_tile(tile: Tile, kpis: Any, previous: Any, context: dict[str, Any]) -> None:
    lang = context["lang"]
    with st.container(border=True, key=f"tile_{tile.key}"):
        st.metric(
            t(f"kpi.{tile.key}.label", lang),
            tile_value(tile, kpis, lang),
            delta=tile_delta(tile, kpis, previous, lang),
            delta_description=t("overview.delta_description", lang),
            help=tile_help(tile, context["period"], context["comparison"], context["source"], lang),
        )
        note = side_note(tile, kpis, lang)
        if note:
            st.caption(note)
        target = target_note(tile, kpis, context["targets"], context["year"], lang)
        if target:
            text, ratio = target
            st.progress(min(max(ratio or 0.0, 0.0), 1.0), text=text)


def render_kpi_tiles(kpis: Any, previous: Any, context: dict[str, Any]) -> None:
    """Six tiles in two rows of three. ``context``: lang, period, comparison, source,
    targets ({TargetKpi value: int}) and year (the calendar year, or None)."""
    for row in (TILES[:3], TILES[3:]):
        for col, tile in zip(st.columns(3), row, strict=True):
            with col:
                render_kpi_tile(tile, kpis, previous, context)
