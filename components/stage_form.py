"""Move a project's stage: find the project, choose the new stage, then date, note, and what the
stage asks for (the reason and the location chosen instead for Lost; the figures announced for
Won). Every move goes into the project's stage history."""

from __future__ import annotations

from typing import Any

import streamlit as st

from components.forms import flash, generation, next_generation, run_write, show_error, text_or_none
from components.readers import read_project_search
from components.tables import date_format
from core.formatting import format_day
from core.i18n import enum_label, t
from core.records import change_stage
from models import WON_STAGES, CapexDisclosure, LostReason, Stage

FORM = "stage"
SEARCH_LIMIT = 20


def _key(name: str) -> str:
    return f"{FORM}_{name}_{generation(FORM)}"


def choose_project(db_url: str, lang: str, key: Any = _key) -> dict[str, Any] | None:
    """Find a project by its code name or its organisation's name; None until one is found."""
    text = st.text_input(
        t("stage.search", lang),
        key=key("search"),
        placeholder=t("stage.search_placeholder", lang),
    )
    if not (text or "").strip():
        st.caption(t("stage.search_hint", lang))
        return None
    found = read_project_search(db_url, text.strip(), SEARCH_LIMIT)
    if not found:
        st.warning(t("stage.none_found", lang))
        return None
    by_id = {row["id"]: row for row in found}
    chosen = st.selectbox(
        t("stage.pick", lang),
        options=list(by_id),
        format_func=lambda i: (
            f"{by_id[i]['code_name']} — {by_id[i]['organisation_name']} "
            f"({enum_label(Stage(by_id[i]['stage']), lang)})"
        ),
        key=key("pick"),
    )
    return by_id.get(chosen)


def render_stage_form(ctx: Any, author: str | None) -> None:
    lang, db_url, today = ctx.lang, ctx.db_url, ctx.today
    project = choose_project(db_url, lang)
    if project is None:
        return
    errors: dict[str, str] = st.session_state.get(_key("errors"), {})
    last = project["last_change_on"]
    st.caption(
        t(
            "stage.current",
            lang,
            stage=enum_label(Stage(project["stage"]), lang),
            day=format_day(last, lang) if last else "—",
        )
    )
    to_stage = st.selectbox(
        t("stage.to", lang),
        options=[s for s in Stage if s.value != project["stage"]],
        format_func=lambda s: enum_label(s, lang),
        key=_key(f"to_{project['id']}"),
    )
    show_error(errors, "to_stage")
    with st.form(_key(f"form_{project['id']}"), clear_on_submit=False, enter_to_submit=False):
        left, right = st.columns(2)
        on = left.date_input(
            t("stage.on", lang) + " *",
            value=today,
            format=date_format(lang),
            key=_key("on"),
        )
        with left:
            show_error(errors, "on")
        note = right.text_input(t("stage.note", lang), max_chars=500, key=_key("note"))
        with right:
            show_error(errors, "note")
        reason = location = None
        if to_stage == Stage.LOST:
            left, right = st.columns(2)
            reason = left.selectbox(
                t("stage.lost_reason", lang) + " *",
                options=list(LostReason),
                format_func=lambda r: enum_label(r, lang),
                index=None,
                key=_key("reason"),
            )
            with left:
                show_error(errors, "lost_reason")
            location = right.text_input(
                t("stage.lost_location", lang), max_chars=120, key=_key("location")
            )
        jobs = capex = flag = None
        if to_stage in WON_STAGES:
            st.caption(t("stage.won_hint", lang))
            left, right = st.columns(2)
            jobs = left.number_input(
                t("stage.jobs", lang),
                min_value=0,
                step=1,
                value=int(project["jobs_announced"] or 0),
                key=_key("jobs"),
            )
            with left:
                show_error(errors, "jobs_announced")
            capex = right.number_input(
                t("stage.capex", lang),
                min_value=0,
                step=100_000,
                value=int(project["capex_eur"]) if project["capex_eur"] is not None else None,
                key=_key("capex"),
            )
            with right:
                show_error(errors, "capex_eur")
            flags = [CapexDisclosure.DISCLOSED, CapexDisclosure.ESTIMATED]
            known = project["capex_disclosure"]
            flag = right.selectbox(
                t("stage.capex_disclosure", lang),
                options=flags,
                format_func=lambda f: enum_label(f, lang),
                index=flags.index(CapexDisclosure(known)) if known in flags else None,
                placeholder=t("stage.capex_disclosure_placeholder", lang),
                key=_key("capex_flag"),
            )
            with right:
                show_error(errors, "capex_disclosure")
        show_error(errors, "")
        submitted = st.form_submit_button(t("stage.submit", lang), type="primary")
    if not submitted:
        return
    errors = {}  # the write checks the rules of a move and names the field each one belongs to
    if author is None:
        errors[""] = t("form.error.author", lang)
    if not errors:

        def write(session: Any) -> Any:
            return change_stage(
                session=session,
                project_id=project["id"],
                to_stage=to_stage,
                on=on,
                author=author,
                note=text_or_none(note),
                lost_reason=reason,
                lost_to_location=text_or_none(location),
                jobs_announced=int(jobs) if jobs is not None else None,
                capex_eur=int(capex) if capex is not None else None,
                capex_disclosure=flag,
            )

        if run_write(write, db_url, lang, errors) is not None:
            next_generation(FORM)
            flash(
                t(
                    "stage.saved",
                    lang,
                    project=project["code_name"],
                    stage=enum_label(to_stage, lang),
                )
            )
            st.rerun()
    st.session_state[_key("errors")] = errors
    st.rerun()
