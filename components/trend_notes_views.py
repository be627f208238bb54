"""Administrators' dated notes on the monthly trend ("closure of the X plant", "new
consulate"): added under the Overview's trend, drawn on it and on the press kit's trend."""

from __future__ import annotations

from typing import Any

import streamlit as st

from components.forms import (
    flash,
    generation,
    next_generation,
    run_write,
    show_error,
    show_flash,
    validate,
)
from components.results_readers import read_trend_notes
from components.tables import date_format, render_table
from core.i18n import column_label, t
from core.trend_notes import create_note
from models import Role, TrendNoteCreate

FORM = "trendnote"


def _key(name: str) -> str:
    return f"{FORM}_{name}_{generation(FORM)}"


def render_trend_notes_admin(ctx: Any) -> None:
    """The notes and the form that adds one, for administrators only."""
    if ctx.user is None or ctx.user.role != Role.ADMIN:
        return
    lang = ctx.lang
    show_flash()  # the Overview shows no other flash
    errors: dict[str, str] = st.session_state.get(_key("errors"), {})
    with st.expander(t("trend.notes.title", lang), expanded=bool(errors)):
        notes = read_trend_notes(ctx.db_url)
        if not notes.empty:
            shown = notes[["noted_on", "text", "author"]]
            render_table(
                shown.rename(columns={c: column_label(c, lang) for c in shown.columns}),
                lang,
                key="trend_notes_table",
            )
        with st.form(_key("form"), clear_on_submit=False, enter_to_submit=False):
            left, right = st.columns([1, 3])
            noted_on = left.date_input(
                t("trend.notes.on", lang) + " *", value=ctx.today, format=date_format(lang),
                key=_key("on"),
            )  # fmt: skip
            with left:
                show_error(errors, "noted_on")
            text = right.text_input(
                t("trend.notes.text", lang) + " *", max_chars=160, key=_key("text")
            )
            with right:
                show_error(errors, "text")
            show_error(errors, "")
            submitted = st.form_submit_button(t("trend.notes.submit", lang))
    if not submitted:
        return
    errors = {}
    data = validate(TrendNoteCreate, {"noted_on": noted_on, "text": text}, errors, lang)
    author = ctx.user.display_name
    if data is not None and run_write(
        lambda s: create_note(session=s, data=data, author=author), ctx.db_url, lang, errors
    ):
        next_generation(FORM)
        flash(t("trend.notes.saved", lang))
        st.rerun()
    st.session_state[_key("errors")] = errors
    st.rerun()
