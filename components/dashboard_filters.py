"""The filter bar shared by every dashboard page.

Period (in the page), then sectors, world regions, countries of origin, source chamber, mission
and owner (in the sidebar). Each value lives in three places kept in step on every run:
the URL (so a view can be bookmarked or e-mailed and reopens identically), a plain session key
(so filters stay set when moving between pages, whose URLs Streamlit clears) and the widget.
A URL that carries a filter always wins over the session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from components.filters import render_period_caption, render_period_selector
from components.readers import read_country_names, read_filter_options, read_sector_labels
from components.shell import PageContext
from core.filters import DashboardFilters
from core.i18n import t
from core.refdata import get_region_labels

#: URL parameter of each filter; lists are comma-separated (``?sectors=digital,health``).
LIST_FILTERS = ("sectors", "regions", "countries")
ONE_FILTERS = ("chamber", "mission", "owner")
STATE = "filter."  # plain session keys, not widget keys (those vanish on other pages)
WIDGET = "filter_widget."


def _from_url(name: str) -> Any:
    raw = st.query_params.get(name)
    if raw is None:
        return None
    if name in LIST_FILTERS:
        return [v for v in raw.split(",") if v]
    return raw or None


def _to_url(name: str, value: Any) -> None:
    text = ",".join(value) if isinstance(value, list) else (value or "")
    if text:
        st.query_params[name] = text
    elif name in st.query_params:
        del st.query_params[name]


def _resolve(name: str, valid: Callable[[str], bool]) -> Any:
    """The filter's value: the URL's, else the session's, else empty; invalid codes dropped."""
    value = _from_url(name)
    if value is None:
        value = st.session_state.get(STATE + name)
    if name in LIST_FILTERS:
        value = [v for v in (value or []) if valid(v)]
    elif value is not None and not valid(str(value)):
        value = None
    st.session_state[STATE + name] = value
    st.session_state[WIDGET + name] = value
    _to_url(name, value)
    return value


def handle_filter_change(name: str) -> None:
    value = st.session_state.get(WIDGET + name)
    st.session_state[STATE + name] = value
    _to_url(name, value)


def handle_reset_filters() -> None:
    for name in (*LIST_FILTERS, *ONE_FILTERS):
        st.session_state[STATE + name] = [] if name in LIST_FILTERS else None
        _to_url(name, None)


def set_country_filter(iso2: str) -> None:
    """Filter every dashboard page to one country of origin (a click on the world map)."""
    st.session_state[STATE + "countries"] = [iso2]
    _to_url("countries", [iso2])


def _options(ctx: PageContext) -> dict[str, dict[str, str]]:
    lang, db_url = ctx.lang, ctx.db_url
    found = read_filter_options(db_url)
    countries = read_country_names(db_url, lang)
    return {
        "sectors": read_sector_labels(db_url, lang),
        "regions": get_region_labels(lang),
        "countries": dict(sorted(countries.items(), key=lambda item: item[1])),
        "chamber": {str(k): v for k, v in found["chambers"].items()},
        "mission": {str(k): v for k, v in found["missions"].items()},
        "owner": {name: name for name in found["owners"]},
    }


def _render_widget(name: str, labels: dict[str, str], lang: str) -> None:
    kwargs = {
        "label": t(f"filters.{name}", lang),
        "options": list(labels),
        "format_func": lambda code: labels.get(code, code),
        "key": WIDGET + name,
        "on_change": handle_filter_change,
        "args": (name,),
    }
    if name in LIST_FILTERS:
        st.multiselect(placeholder=t("filters.all", lang), **kwargs)
    else:
        st.selectbox(placeholder=t("filters.all", lang), index=None, **kwargs)


def render_active_filters(values: dict[str, Any], options: dict[str, dict[str, str]], lang: str):
    """One caption naming every active filter, or saying that none is."""
    parts = []
    for name in (*LIST_FILTERS, *ONE_FILTERS):
        value = values[name]
        chosen = value if isinstance(value, list) else ([value] if value else [])
        if chosen:
            names = ", ".join(options[name].get(v, v) for v in chosen)
            parts.append(
                f"{t(f'filters.{name}', lang)} : {names}"
                if lang == "fr"
                else (f"{t(f'filters.{name}', lang)}: {names}")
            )
    st.caption(
        t("filters.active", lang, filters=" · ".join(parts)) if parts else t("filters.none", lang)
    )


def render_dashboard_filters(ctx: PageContext, *, comparison: bool = False) -> DashboardFilters:
    """Period selector and caption in the page, the other filters in the sidebar.
    ``comparison``: the page shows changes against the previous period (the caption says
    which period that is)."""
    lang = ctx.lang
    choice = render_period_selector(lang, ctx.today)
    if choice is None:  # invalid custom dates: the selector has said why
        st.stop()
    render_period_caption(choice, lang, comparison=comparison)
    options = _options(ctx)
    values = {
        name: _resolve(name, lambda code, name=name: code in options[name])
        for name in (*LIST_FILTERS, *ONE_FILTERS)
    }
    with st.sidebar:
        st.subheader(t("filters.title", lang))
        for name in (*LIST_FILTERS, *ONE_FILTERS):
            _render_widget(name, options[name], lang)
        st.button(t("filters.reset", lang), on_click=handle_reset_filters, key="filter_reset")
    render_active_filters(values, options, lang)
    return DashboardFilters(
        period=choice.period,
        sectors=tuple(values["sectors"]),
        countries=tuple(values["countries"]),
        regions=tuple(values["regions"]),
        chamber_id=int(values["chamber"]) if values["chamber"] else None,
        mission_id=int(values["mission"]) if values["mission"] else None,
        owner=values["owner"],
    )
