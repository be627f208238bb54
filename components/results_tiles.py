"""Issue 14 on every dashboard: beside "jobs announced", the jobs verified to date, the
realisation rate and the projects awaiting a check (one line, under the page's figures), and
the data's freshness ("données au 2 décembre 2026 à 14:05")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import streamlit as st
from babel.dates import format_date, format_datetime

from components.results_readers import read_latest_write, read_results
from core import clock
from core.filters import DashboardFilters
from core.formatting import format_integer, format_percent
from core.i18n import t
from core.periods import Period
from core.results import ResultFigures


def results_text(figures: ResultFigures, lang: str) -> str:
    """The one line: jobs verified, of how many announced, the rate, the projects awaiting."""
    if not figures.projects_checkable:
        return t("results.none_checkable", lang, won=format_integer(figures.projects_won, lang))
    return t(
        "results.line",
        lang,
        verified=format_integer(figures.jobs_verified, lang),
        announced=format_integer(figures.jobs_announced_checked, lang),
        checked=format_integer(figures.projects_checked, lang),
        rate=format_percent(figures.realisation_rate, lang),
        awaiting=format_integer(figures.projects_awaiting, lang),
    )


def render_results_line(
    ctx: Any, period: Period, filters: DashboardFilters | None = None
) -> ResultFigures:
    """The results of ``period`` read today, as a caption whose help gives the definitions."""
    figures = read_results(ctx.db_url, period, ctx.today, filters)
    lang = ctx.lang
    help_text = "\n\n".join(
        f"**{t(f'kpi.{key}.label', lang)}**: {t(f'kpi.{key}.definition', lang)}"
        for key in ("jobs_verified", "realisation_rate", "projects_awaiting_check")
    )
    st.caption(results_text(figures, lang), help=help_text)
    return figures


def freshness_text(instant: datetime | None, lang: str) -> str:
    """The freshness line ("données au 2 décembre 2026 à 14:05"), in the territory's zone."""
    if instant is None:
        return t("freshness.empty", lang)
    local = clock.now(instant)
    return t(
        "freshness.at",
        lang,
        day=format_date(local.date(), "long", locale=lang),
        time=format_datetime(local, "HH:mm", tzinfo=local.tzinfo, locale=lang),
    )


def render_freshness(ctx: Any) -> None:
    st.caption(freshness_text(read_latest_write(ctx.db_url), ctx.lang))
