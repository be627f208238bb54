"""The staff's side of referrals (on the follow-ups page): the leads the network's chambers
referred that are still to qualify, and the form that shares an update with the chamber."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from components.db import get_engine_for
from components.forms import flash, generation, next_generation, run_write, show_error, validate
from components.masking import current_masking
from components.tables import date_format, render_table
from core import referrals
from core.confidentiality import Masking
from core.config import get_settings
from core.i18n import t
from models import SharedUpdateCreate

TTL = get_settings().cache_ttl_seconds
FORM = "shared_update"


def _session(db_url: str) -> Session:
    return Session(get_engine_for(db_url))


@st.cache_data(ttl=TTL, show_spinner=False)
def read_leads_to_qualify(db_url: str, *, masking: Masking | None) -> pd.DataFrame:
    with _session(db_url) as session:
        return referrals.list_leads_to_qualify(session, masking=masking)


@st.cache_data(ttl=TTL, show_spinner=False)
def read_referred_projects(db_url: str) -> dict[int, str]:
    with _session(db_url) as session:
        return referrals.list_referred_projects(session)


def render_leads_to_qualify(ctx: Any) -> None:
    lang = ctx.lang
    st.subheader(t("shared.title", lang))
    st.caption(t("shared.intro", lang))
    frame = read_leads_to_qualify(ctx.db_url, masking=current_masking())
    if frame.empty:
        st.info(t("shared.none", lang))
        return
    shown = frame[["code_name", "organisation_name", "chamber", "referred_on", "owner"]]
    shown = shown.rename(columns={c: t(f"shared.column.{c}", lang) for c in shown.columns})
    render_table(shown, lang, key="leads_to_qualify")


def _key(name: str) -> str:
    return f"{FORM}_{name}_{generation(FORM)}"


def render_shared_update_form(ctx: Any, author: str | None) -> None:
    """Staff tell the referring chamber what became of its lead (the only text it reads)."""
    lang = ctx.lang
    projects = read_referred_projects(ctx.db_url)
    if not projects:
        return
    errors: dict[str, str] = st.session_state.get(_key("errors"), {})
    with st.form(_key("form"), clear_on_submit=False, enter_to_submit=False):
        st.subheader(t("shared.form", lang))
        project = st.selectbox(
            t("shared.project", lang),
            options=list(projects),
            format_func=lambda i: projects.get(i, str(i)),
            index=None,
            key=_key("project"),
        )
        show_error(errors, "project")
        text = st.text_area(t("shared.text", lang), max_chars=500, key=_key("text"))
        show_error(errors, "text")
        on = st.date_input(
            t("shared.on", lang),
            value=ctx.today,
            max_value=ctx.today,
            format=date_format(lang),
            key=_key("on"),
        )
        show_error(errors, "written_on")
        show_error(errors, "")
        submitted = st.form_submit_button(t("shared.submit", lang), type="primary")
    if submitted:
        handle_shared_update(ctx, author, project, text, on)


def handle_shared_update(
    ctx: Any, author: str | None, project: int | None, text: str, on: date | None
) -> None:
    lang, errors = ctx.lang, {}
    if author is None:
        errors[""] = t("form.error.author", lang)
    if project is None:
        errors["project"] = t("form.error.missing", lang)
    values = {"project_id": project or 0, "text": (text or "").strip(), "written_on": on}
    data = validate(SharedUpdateCreate, values, errors, lang)
    if not errors and data is not None:
        written = run_write(
            lambda session: referrals.add_shared_update(
                session=session, data=data, author=author or ""
            ),
            ctx.db_url,
            lang,
            errors,
        )
        if written is not None:
            next_generation(FORM)
            flash(t("shared.saved", lang))
            st.rerun()
    st.session_state[_key("errors")] = errors
    st.rerun()
