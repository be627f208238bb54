"""Pickers shared by the entry forms: an organisation found by name or website (or created on
the spot, with its few essential fields)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from components.forms import show_error, text_or_none
from components.readers import read_country_names, read_organisations, read_sector_labels
from core.i18n import enum_label, t
from models import OrganisationKind

SEARCH_LIMIT = 20
EXISTING, NEW = "existing", "new"


def choose_organisation(
    db_url: str, lang: str, key: Callable[[str], str], *, allow_new: bool = True
) -> tuple[str, int | None]:
    """("existing", id or None) or ("new", None): an organisation found by name or website,
    or one to create (``allow_new``). ``key`` makes the widget keys of the calling form."""
    countries = read_country_names(db_url, lang)
    mode = EXISTING
    if allow_new:
        mode = st.radio(
            t("meeting.org.mode", lang),
            options=[EXISTING, NEW],
            format_func=lambda m: t(f"meeting.org.mode.{m}", lang),
            horizontal=True,
            key=key("org_mode"),
        )
    if mode == NEW:
        return NEW, None
    text = st.text_input(
        t("meeting.org.search", lang),
        key=key("org_search"),
        placeholder=t("meeting.org.search_placeholder", lang),
    )
    if not (text or "").strip():
        st.caption(t("meeting.org.search_hint", lang))
        return EXISTING, None
    found, total = read_organisations(db_url, text.strip(), None, None, None, 1, SEARCH_LIMIT)
    if found.empty:
        st.warning(t("meeting.org.none_found", lang))
        return EXISTING, None
    labels = {
        int(row["id"]): f"{row['name']} — {countries.get(row['country_iso2'], '') or '?'}"
        for row in found.to_dict("records")
    }
    if total > SEARCH_LIMIT:
        st.caption(t("meeting.org.more", lang, shown=SEARCH_LIMIT, total=total))
    chosen = st.selectbox(
        t("meeting.org.pick", lang),
        options=list(labels),
        format_func=lambda i: labels.get(i, str(i)),
        key=key("org_pick"),
    )
    return EXISTING, chosen


def new_organisation_fields(
    db_url: str, lang: str, errors: dict[str, str], key: Callable[[str], str]
) -> dict[str, Any]:
    """The fields of an organisation created on the spot (errors under "org.<field>")."""
    countries = read_country_names(db_url, lang)
    sectors = read_sector_labels(db_url, lang)
    st.markdown(f"**{t('meeting.new_org.title', lang)}**")
    left, right = st.columns(2)
    with left:
        name = st.text_input(t("field.organisation.name", lang) + " *", key=key("new_org_name"))
        show_error(errors, "org.name")
        country = st.selectbox(
            t("field.organisation.country", lang),
            options=sorted(countries, key=lambda c: countries[c]),
            format_func=lambda c: countries.get(c, c),
            index=None,
            key=key("new_org_country"),
        )
        show_error(errors, "org.hq_country_iso2")
    with right:
        kind = st.selectbox(
            t("field.organisation.kind", lang),
            options=list(OrganisationKind),
            format_func=lambda k: enum_label(k, lang),
            key=key("new_org_kind"),
        )
        sector = st.selectbox(
            t("field.organisation.sector", lang),
            options=list(sectors),
            format_func=lambda c: sectors.get(c, c),
            index=None,
            key=key("new_org_sector"),
        )
        domain = st.text_input(
            t("field.organisation.domain", lang),
            key=key("new_org_domain"),
            placeholder="example.com",
        )
        show_error(errors, "org.domain")
    return {
        "name": text_or_none(name) or "",
        "kind": kind,
        "hq_country_iso2": country,
        "control_country_iso2": country,
        "sector_code": sector,
        "domain": (text_or_none(domain) or "").lower() or None,
    }
