"""My follow-ups: the next steps due and overdue for one owner, marked done or moved."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pandas as pd
import streamlit as st

from components.forms import flash, run_write, show_error
from components.readers import read_followup_counts, read_followup_owners, read_followups
from components.tables import date_format, render_downloads, render_table
from core.followups import DEFAULT_HORIZON_DAYS, mark_followup_done, reschedule_followup
from core.formatting import format_day, format_integer
from core.i18n import column_label, t

OWNER_KEY, DEFAULT_KEY = "followups_owner", "followups_owner_default"
SHOWN = ("due_on", "status", "days_overdue", "next_step", "organisation_name",
         "project_code_name", "mission", "occurred_on", "owner")  # fmt: skip


def choose_owner(db_url: str, lang: str, author: str | None) -> str | None:
    owners = read_followup_owners(db_url)
    if author and author not in owners:
        owners = sorted([*owners, author])
    # The signed-in author by default; once the user picks another owner, that choice stays.
    if st.session_state.get(OWNER_KEY) == st.session_state.get(DEFAULT_KEY):
        st.session_state[OWNER_KEY] = author
    st.session_state[DEFAULT_KEY] = author
    if st.session_state.get(OWNER_KEY) not in owners:
        st.session_state[OWNER_KEY] = None
    return st.selectbox(
        t("followups.owner", lang),
        options=owners,
        placeholder=t("followups.everyone", lang),
        key=OWNER_KEY,
    )


def followups_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    shown = frame[list(SHOWN)].copy()
    shown["status"] = [t(f"followups.status.{s}", lang) for s in shown["status"]]
    shown = shown.astype({"days_overdue": "int64"})
    return shown.rename(columns={c: column_label(c, lang) for c in shown.columns})


def render_followups(ctx: Any, author: str | None) -> None:
    lang, db_url, today = ctx.lang, ctx.db_url, ctx.today
    owner = choose_owner(db_url, lang, author)
    horizon = st.number_input(
        t("followups.horizon", lang),
        min_value=0,
        max_value=365,
        value=DEFAULT_HORIZON_DAYS,
        step=7,
        key="followups_horizon",
    )
    overdue, soon = read_followup_counts(db_url, owner, today)
    left, right = st.columns(2)
    left.metric(t("followups.overdue", lang), format_integer(overdue, lang))
    right.metric(t("followups.soon", lang, days=DEFAULT_HORIZON_DAYS), format_integer(soon, lang))
    frame = read_followups(db_url, owner, today, int(horizon))
    if frame.empty:
        st.success(t("followups.none", lang))
        return
    table = followups_table(frame, lang)
    render_table(table, lang, key="followups_table")
    render_downloads(table, lang, file_stem=f"followups_{today}", key="followups")
    st.subheader(t("followups.act", lang))
    labels = {
        int(row["id"]): f"{format_day(row['due_on'], lang)} — "
        f"{row['organisation_name'] or '—'} — {row['next_step']}"
        for row in frame.to_dict("records")
    }
    chosen = st.selectbox(
        t("followups.pick", lang),
        options=list(labels),
        format_func=lambda i: labels.get(i, str(i)),
        index=None,
        placeholder=t("followups.pick_placeholder", lang),
        key="followups_pick",
    )
    if chosen is None:
        return
    errors: dict[str, str] = {}
    left, right = st.columns(2)
    if left.button(t("followups.done", lang), key="followups_done", type="primary"):
        if run_write(
            lambda s: mark_followup_done(s, interaction_id=chosen, author=author or "?"),
            db_url,
            lang,
            errors,
        ):
            flash(t("followups.done_saved", lang))
            st.rerun()
    with right:
        new_due = st.date_input(
            t("followups.new_due", lang),
            value=today + timedelta(days=7),
            format=date_format(lang),
            key="followups_due",
        )
        if st.button(t("followups.move", lang), key="followups_move"):
            if run_write(
                lambda s: reschedule_followup(
                    s, interaction_id=chosen, due_on=new_due, author=author or "?"
                ),
                db_url,
                lang,
                errors,
            ):
                flash(t("followups.moved", lang, day=format_day(new_due, lang)))
                st.rerun()
        show_error(errors, "due_on")
    show_error(errors, "")
