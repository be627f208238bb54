"""Directory pieces: search filters, a paged result table, an organisation's record."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from components.masking import current_masking
from components.readers import (
    read_country_names,
    read_organisation_countries,
    read_organisation_detail,
    read_record_history,
    read_sector_labels,
)
from components.tables import localise_frame, render_table
from core.formatting import format_integer
from core.i18n import enum_label, t
from core.periods import last_years
from models import AuditAction, InteractionKind, MissionKind, OrganisationKind

PAGE_SIZES = (25, 50, 100)
#: The organisation's fields shown on its record, in this order.
RECORD_FIELDS = (
    "name",
    "kind",
    "sector_code",
    "hq_country_iso2",
    "control_country_iso2",
    "city",
    "domain",
    "registration_number",
    "size",
    "parent_name",
    "chamber_name",
)
ROW_HEIGHT = 36
#: Technical ids never shown in the record's tables.
HIDDEN_IDS = ("id", "organisation_id", "project_id")
ORG_PARAM = "org"


def render_search_filters(db_url: str, lang: str, prefix: str) -> dict[str, Any]:
    """Search text and country / sector / kind filters; returns the search arguments."""
    countries = read_country_names(db_url, lang)
    sectors = read_sector_labels(db_url, lang)
    in_use = sorted(read_organisation_countries(db_url), key=lambda c: countries.get(c, c))
    cols = st.columns([3, 2, 2, 2])
    text = cols[0].text_input(t(f"directory.search.{prefix}", lang), key=f"{prefix}_text")
    country = cols[1].selectbox(
        t("directory.filter.country", lang),
        options=in_use,
        index=None,
        placeholder=t("common.all", lang),
        format_func=lambda c: countries.get(c, c),
        key=f"{prefix}_country",
    )
    sector = cols[2].selectbox(
        t("directory.filter.sector", lang),
        options=list(sectors),
        index=None,
        placeholder=t("common.all", lang),
        format_func=lambda s: sectors.get(s, s),
        key=f"{prefix}_sector",
    )
    kind = cols[3].selectbox(
        t("directory.filter.kind", lang),
        options=[k.value for k in OrganisationKind],
        index=None,
        placeholder=t("common.all", lang),
        format_func=lambda k: enum_label(OrganisationKind(k), lang),
        key=f"{prefix}_kind",
    )
    return {"text": text.strip(), "country": country, "sector": sector, "kind": kind}


def current_page(prefix: str, filters: dict[str, Any]) -> tuple[int, int]:
    """(page, page_size) chosen in the pager drawn under the previous results; back to page 1
    whenever the search or a filter changes."""
    signature = repr(sorted(filters.items()))
    if st.session_state.get(f"{prefix}_filters") != signature:
        st.session_state[f"{prefix}_filters"] = signature
        st.session_state[f"{prefix}_page"] = 1
    size = st.session_state.get(f"{prefix}_page_size", PAGE_SIZES[0])
    return st.session_state.get(f"{prefix}_page", 1), size


def render_pager(lang: str, prefix: str, total: int, page: int, size: int) -> None:
    """Page number and page size, under the results."""
    pages = max(1, math.ceil(total / size))
    if page > pages:
        st.session_state[f"{prefix}_page"] = pages
    cols = st.columns([2, 2, 4])
    cols[0].number_input(
        t("directory.page", lang), min_value=1, max_value=pages, step=1, key=f"{prefix}_page"
    )
    cols[1].selectbox(t("directory.page_size", lang), PAGE_SIZES, key=f"{prefix}_page_size")
    cols[2].caption(
        t(
            "directory.results",
            lang,
            total=format_integer(total, lang),
            page=format_integer(page, lang),
            pages=format_integer(pages, lang),
        )
    )


def selected_organisation_id() -> int | None:
    raw = st.query_params.get(ORG_PARAM)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def handle_close_record() -> None:
    if ORG_PARAM in st.query_params:
        del st.query_params[ORG_PARAM]
    st.session_state["org_table_version"] = st.session_state.get("org_table_version", 0) + 1


def _fields_frame(
    fields: dict[str, Any], lang: str, countries: dict, sectors: dict
) -> pd.DataFrame:
    shown = {name: fields.get(name) for name in RECORD_FIELDS}
    one_row = localise_frame(pd.DataFrame([shown]), lang, countries=countries, sectors=sectors)
    values = [
        "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
        for v in one_row.iloc[0]
    ]
    return pd.DataFrame(
        {
            t("directory.detail.field", lang): list(one_row.columns),
            t("directory.detail.value", lang): values,
        }
    )


def render_record_history(db_url: str, table_name: str, row_key: int, lang: str) -> None:
    """Who changed the record, when, from what to what (the audit trail), newest last."""
    history = read_record_history(db_url, table_name, str(row_key))
    frame = pd.DataFrame(
        {
            t("audit.col.at", lang): history["at"],
            t("audit.actor", lang): history["actor"],
            t("audit.col.action", lang): [
                enum_label(AuditAction(a), lang) for a in history["action"]
            ],
            t("audit.col.before", lang): [_json_text(v) for v in history["before"]],
            t("audit.col.after", lang): [_json_text(v) for v in history["after"]],
        }
    )
    render_table(frame, lang, key=f"history_{table_name}_{row_key}")


def _json_text(values: object) -> str:
    if not isinstance(values, dict):
        return ""
    return ", ".join(f"{k}: {v}" for k, v in sorted(values.items()))


def render_organisation_record(
    db_url: str, organisation_id: int, lang: str, *, show_history: bool = False
) -> None:
    """The record of one organisation: fields, people, projects and their stage history,
    interaction timeline."""
    detail = read_organisation_detail(db_url, organisation_id, masking=current_masking())
    if detail is None:
        st.warning(t("directory.detail.not_found", lang, id=organisation_id))
        st.button(t("directory.detail.close", lang), on_click=handle_close_record)
        return
    countries = read_country_names(db_url, lang)
    sectors = read_sector_labels(db_url, lang)
    with st.container(border=True, key="org_record"):
        head = st.columns([5, 1])
        name = detail.organisation.get("name", "")
        head[0].subheader(t("directory.detail.title", lang, name=name))
        head[1].button(
            t("directory.detail.close", lang), on_click=handle_close_record, key="close_record"
        )
        left, right = st.columns([2, 3])
        with left:
            st.markdown(f"**{t('directory.detail.fields', lang)}**")
            fields = _fields_frame(detail.organisation, lang, countries, sectors)
            st.dataframe(
                fields,
                hide_index=True,
                key="org_fields",
                row_height=ROW_HEIGHT,
                height=ROW_HEIGHT * (len(fields) + 1) + 3,  # every field visible, no scroll
            )
        with right:
            sections = (
                ("people", detail.people, OrganisationKind),
                ("projects", detail.projects, OrganisationKind),
                ("stage_history", detail.stage_history, OrganisationKind),
                ("interactions", detail.interactions, InteractionKind),
                ("missions", detail.missions, MissionKind),
            )
            for name, frame, kind in sections:
                st.markdown(f"**{t(f'directory.detail.{name}', lang)}**")
                shown = localise_frame(
                    frame, lang, countries=countries, sectors=sectors, drop=HIDDEN_IDS, kind=kind
                )
                render_table(shown, lang, key=f"org_{name}")
            if show_history:
                st.markdown(f"**{t('directory.detail.history', lang)}**")
                render_record_history(db_url, "organisation", organisation_id, lang)


def default_met_range(today: date) -> tuple[date, date]:
    """The last five years, today included."""
    period = last_years(today, 5)
    return period.start, period.end
