"""Filters shared by pages: the reporting period selector (kept in the URL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from components.tables import date_format
from core.formatting import format_period
from core.i18n import t
from core.periods import Period, last_12_months, year_period, year_to_date

PERIOD_KINDS = ("ytd", "last12", "year", "custom")
YEARS_BACK = 10
PERIOD_PARAM = "period"
PERIOD_KEY = "period_kind"


#: Year and custom dates are written into the URL on every run, even when they equal the
#: default: a widget bound with ``bind="query-params"`` leaves default values out of the URL,
#: and a bookmark of "2025" would then reopen next year on another year.
STATE = "period."
WIDGET = "period_widget."


def _as_text(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _url_value(name: str, parse, default):
    """The URL's value if valid, else the session's, else ``default``; put back in the URL."""
    value = None
    raw = st.query_params.get(name)
    if raw:
        try:
            value = parse(raw)
        except ValueError:
            value = None
    if value is None:
        value = st.session_state.get(STATE + name, default)
    st.session_state[STATE + name] = value
    st.session_state[WIDGET + name] = value
    if value is not None:
        st.query_params[name] = _as_text(value)
    return value


def handle_url_value_change(name: str) -> None:
    value = st.session_state.get(WIDGET + name)
    st.session_state[STATE + name] = value
    if value is not None:
        st.query_params[name] = _as_text(value)
    elif name in st.query_params:
        del st.query_params[name]


def handle_period_change() -> None:
    kind = st.session_state.get(PERIOD_KEY)
    if kind in PERIOD_KINDS:
        st.query_params[PERIOD_PARAM] = kind


@dataclass(frozen=True)
class PeriodChoice:
    """The period shown and the period it is compared with."""

    kind: str
    period: Period
    comparison: Period


def make_period_choice(
    kind: str,
    today: date,
    *,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> PeriodChoice:
    if kind == "ytd":
        period = year_to_date(today)
    elif kind == "last12":
        period = last_12_months(today)
    elif kind == "year":
        period = year_period(year or today.year - 1)
    else:
        period = Period(start or date(today.year, 1, 1), end or today)
    return PeriodChoice(kind, period, period.previous())


def render_period_selector(lang: str, today: date) -> PeriodChoice | None:
    """Period kind, then a year or two dates; all bound to the URL. None if dates are invalid."""
    asked = st.query_params.get(PERIOD_PARAM)
    kind = asked if asked in PERIOD_KINDS else st.session_state.get(PERIOD_KEY, "ytd")
    st.session_state[PERIOD_KEY] = kind
    st.query_params[PERIOD_PARAM] = kind
    cols = st.columns([3, 2, 2])
    with cols[0]:
        # Synced by hand rather than with bind="query-params", which would put the
        # translated label in the URL and break links shared across languages.
        st.segmented_control(
            t("overview.period.label", lang),
            options=list(PERIOD_KINDS),
            required=True,
            format_func=lambda k: t(f"overview.period.{k}", lang),
            key=PERIOD_KEY,
            on_change=handle_period_change,
        )
    if kind == "year":
        years = [str(y) for y in range(today.year, today.year - YEARS_BACK, -1)]
        chosen = _url_value("year", lambda raw: raw if raw in years else None, years[1])
        with cols[1]:
            st.selectbox(
                t("overview.year.label", lang),
                options=years,
                key=WIDGET + "year",
                on_change=handle_url_value_change,
                args=("year",),
            )
        return make_period_choice(kind, today, year=int(chosen))
    if kind == "custom":
        start = _url_value("from", date.fromisoformat, date(today.year, 1, 1))
        end = _url_value("to", date.fromisoformat, today)
        order = date_format(lang)
        with cols[1]:
            st.date_input(
                t("overview.custom.start", lang),
                max_value=today,
                format=order,
                key=WIDGET + "from",
                on_change=handle_url_value_change,
                args=("from",),
            )
        with cols[2]:
            st.date_input(
                t("overview.custom.end", lang),
                format=order,
                key=WIDGET + "to",
                on_change=handle_url_value_change,
                args=("to",),
            )
        if start is None or end is None or end < start:
            st.warning(t("overview.custom.invalid", lang))
            return None
        return make_period_choice(kind, today, start=start, end=end)
    return make_period_choice(kind or "ytd", today)


def render_period_caption(choice: PeriodChoice, lang: str, *, comparison: bool = True) -> None:
    """The period shown and, on pages that show changes, the period it is compared with."""
    p, c = choice.period, choice.comparison
    if not comparison:
        st.caption(t("filters.period_only", lang, period=format_period(p.start, p.end, lang)))
        return
    st.caption(
        t(
            "overview.period.caption",
            lang,
            period=format_period(p.start, p.end, lang),
            previous=format_period(c.start, c.end, lang),
        )
    )
