"""Aftercare on the follow-ups page: the check-ins due (12, 24 and 36 months after a win or a
landing), and the form that records one (jobs created and kept to date, capex spent, the
evidence and its date) with the project's earlier check-ins beside it."""

from __future__ import annotations

from typing import Any

import streamlit as st

from components.forms import (
    flash,
    generation,
    next_generation,
    run_write,
    show_error,
    text_or_none,
    validate,
)
from components.results_readers import read_checkins, read_checkins_due, read_won_projects
from components.tables import date_format, render_table
from core.aftercare import record_checkin
from core.formatting import format_day, format_integer
from core.i18n import column_label, enum_label, enum_value_label, t
from models import CheckInCreate, EvidenceKind, Stage

FORM = "checkin"
SHOWN = ("due_on", "milestone", "status", "days_overdue", "project_code_name",
         "organisation_name", "stage", "last_checked_on", "jobs_announced", "owner")  # fmt: skip


def _key(name: str) -> str:
    return f"{FORM}_{name}_{generation(FORM)}"


def render_checkins_due(ctx: Any, owner: str | None, horizon: int) -> None:
    lang = ctx.lang
    st.subheader(t("aftercare.due_title", lang))
    st.caption(t("aftercare.due_intro", lang))
    frame = read_checkins_due(ctx.db_url, owner, ctx.today, horizon)
    if frame.empty:
        st.caption(t("aftercare.none_due", lang))
        return
    overdue = int((frame["status"] == "overdue").sum())
    st.markdown(
        t("aftercare.counts", lang, overdue=format_integer(overdue, lang),
          soon=format_integer(len(frame) - overdue, lang))
    )  # fmt: skip
    shown = frame[list(SHOWN)].copy()
    shown["status"] = [t(f"followups.status.{s}", lang) for s in shown["status"]]
    shown["stage"] = [enum_label(Stage(s), lang) for s in shown["stage"]]
    shown["milestone"] = [t("aftercare.months", lang, n=m) for m in shown["milestone"]]
    shown = shown.astype({"days_overdue": "int64"})
    render_table(
        shown.rename(columns={c: column_label(c, lang) for c in shown.columns}),
        lang,
        key="checkins_due_table",
    )


def render_checkin_form(ctx: Any, author: str | None) -> None:
    lang, db_url = ctx.lang, ctx.db_url
    st.subheader(t("aftercare.form_title", lang))
    projects = dict(read_won_projects(db_url))
    if not projects:
        st.info(t("aftercare.no_won", lang))
        return
    project_id = st.selectbox(
        t("aftercare.project", lang) + " *",
        options=list(projects),
        format_func=lambda i: projects.get(i, str(i)),
        index=None,
        placeholder=t("aftercare.project_placeholder", lang),
        key=_key("project"),
    )
    errors: dict[str, str] = st.session_state.get(_key("errors"), {})
    show_error(errors, "project_id")
    if project_id is None:
        return
    history = read_checkins(db_url, project_id)
    if history.empty:
        st.caption(t("aftercare.no_history", lang))
    else:
        shown = history[["checked_on", "jobs_created", "jobs_kept", "capex_spent_eur",
                         "evidence", "company_left", "author"]].copy()  # fmt: skip
        shown["evidence"] = [enum_value_label(EvidenceKind, e, lang) for e in shown["evidence"]]
        st.caption(t("aftercare.history", lang))
        render_table(
            shown.rename(columns={c: column_label(c, lang) for c in shown.columns}),
            lang,
            key="checkin_history",
        )
    with st.form(_key("form"), clear_on_submit=False, enter_to_submit=False):
        left, right = st.columns(2)
        checked_on = left.date_input(
            t("aftercare.checked_on", lang) + " *", value=ctx.today, format=date_format(lang),
            key=_key("checked_on"),
        )  # fmt: skip
        with left:
            show_error(errors, "checked_on")
        evidence = right.selectbox(
            t("aftercare.evidence", lang) + " *", options=list(EvidenceKind),
            format_func=lambda e: enum_label(e, lang), index=None, key=_key("evidence"),
        )  # fmt: skip
        with right:
            show_error(errors, "evidence")
        left, middle, right = st.columns(3)
        created = left.number_input(
            t("aftercare.jobs_created", lang) + " *", min_value=0, step=1, value=None,
            key=_key("jobs_created"),
        )  # fmt: skip
        with left:
            show_error(errors, "jobs_created")
        kept = middle.number_input(
            t("aftercare.jobs_kept", lang), min_value=0, step=1, value=0, key=_key("jobs_kept")
        )
        with middle:
            show_error(errors, "jobs_kept")
        capex = right.number_input(
            t("aftercare.capex_spent", lang), min_value=0, step=100_000, value=None,
            key=_key("capex"),
        )  # fmt: skip
        with right:
            show_error(errors, "capex_spent_eur")
        left_company = st.checkbox(t("aftercare.company_left", lang), key=_key("left"))
        show_error(errors, "company_left")
        note = st.text_input(t("aftercare.note", lang), max_chars=500, key=_key("note"))
        show_error(errors, "evidence_note")
        show_error(errors, "")
        submitted = st.form_submit_button(t("aftercare.submit", lang), type="primary")
    if not submitted:
        return
    errors = {}
    if author is None:
        errors[""] = t("form.error.author", lang)
    values = {
        "project_id": project_id, "checked_on": checked_on, "evidence": evidence,
        "jobs_created": created, "jobs_kept": kept, "capex_spent_eur": capex,
        "company_left": left_company, "evidence_note": text_or_none(note),
    }  # fmt: skip
    if left_company and (created or kept):
        errors["company_left"] = t("form.error.checkin_left", lang)
    values = {k: v for k, v in values.items() if v is not None}  # unset: "required field"
    data = validate(CheckInCreate, values, errors, lang) if not errors else None
    if data is not None and run_write(
        lambda s: record_checkin(session=s, data=data, author=author), db_url, lang, errors
    ):
        next_generation(FORM)
        flash(t("aftercare.saved", lang, project=projects[project_id],
                day=format_day(checked_on, lang)))  # fmt: skip
        st.rerun()
    st.session_state[_key("errors")] = errors
    st.rerun()
