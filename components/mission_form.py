"""Missions, fairs and delegations: create one, and record the organisations and people met
there (or hosted, for a delegation received in Provence)."""

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
from components.pickers import choose_organisation
from components.readers import (
    read_country_names,
    read_filter_options,
    read_mission_participants,
    read_organisation_people,
)
from components.tables import date_format
from core.edits import remove_mission_participants
from core.i18n import enum_label, t
from core.records import add_mission_organisation, add_mission_person, create_mission
from models import MissionCreate, MissionKind


def _key(form: str, name: str) -> str:
    return f"{form}_{name}_{generation(form)}"


def render_new_mission_form(ctx: Any, author: str | None) -> None:
    form, lang, db_url, today = "new_mission", ctx.lang, ctx.db_url, ctx.today
    errors: dict[str, str] = st.session_state.get(_key(form, "errors"), {})
    countries = read_country_names(db_url, lang)
    chambers = read_filter_options(db_url)["chambers"]
    with st.form(_key(form, "form"), clear_on_submit=False, enter_to_submit=False):
        left, right = st.columns([2, 1])
        name = left.text_input(t("field.mission.name", lang) + " *", key=_key(form, "name"))
        with left:
            show_error(errors, "name")
        kind = right.selectbox(
            t("field.mission.kind", lang) + " *",
            options=list(MissionKind),
            format_func=lambda k: enum_label(k, lang),
            key=_key(form, "kind"),
        )
        left, middle, right = st.columns(3)
        starts = left.date_input(
            t("field.mission.starts_on", lang) + " *",
            value=today,
            format=date_format(lang),
            key=_key(form, "starts"),
        )
        ends = middle.date_input(
            t("field.mission.ends_on", lang) + " *",
            value=today,
            format=date_format(lang),
            key=_key(form, "ends"),
        )
        with middle:
            show_error(errors, "ends_on")
        budget = right.number_input(
            t("field.mission.budget", lang),
            min_value=0,
            step=1000,
            value=None,
            key=_key(form, "budget"),
        )
        left, middle, right = st.columns(3)
        country = left.selectbox(
            t("field.mission.country", lang) + " *",
            options=sorted(countries, key=lambda c: countries[c]),
            format_func=lambda c: countries.get(c, c),
            index=None,
            key=_key(form, "country"),
        )
        with left:
            show_error(errors, "country_iso2")
        city = middle.text_input(t("field.mission.city", lang), key=_key(form, "city"))
        chamber = right.selectbox(
            t("field.mission.chamber", lang),
            options=list(chambers),
            format_func=lambda i: chambers.get(i, str(i)),
            index=None,
            key=_key(form, "chamber"),
        )
        description = st.text_area(
            t("field.mission.description", lang), max_chars=2000, key=_key(form, "description")
        )
        show_error(errors, "")
        submitted = st.form_submit_button(t("mission_form.submit", lang), type="primary")
    if not submitted:
        return
    errors = {}
    if author is None:
        errors[""] = t("form.error.author", lang)
    if country is None:
        errors["country_iso2"] = t("form.error.missing", lang)
    if ends < starts:  # checked here too: the model's own check waits for every field
        errors["ends_on"] = t("form.error.ends_before", lang)
    values = {
        "name": text_or_none(name) or "",
        "kind": kind,
        "starts_on": starts,
        "ends_on": ends,
        "city": text_or_none(city),
        "country_iso2": country or "",
        "chamber_id": chamber,
        "budget_eur": int(budget) if budget is not None else None,
        "description": text_or_none(description),
    }
    data = validate(MissionCreate, values, errors, lang)
    written = None
    if not errors:
        written = run_write(
            lambda session: create_mission(session=session, data=data, author=author),
            db_url,
            lang,
            errors,
        )
    if written is not None:
        next_generation(form)
        flash(t("mission_form.saved", lang, name=written.name))
    else:
        st.session_state[_key(form, "errors")] = errors
    st.rerun()


def render_participants_form(ctx: Any, author: str | None) -> None:
    """Pick a mission; see who was met there; add an organisation and its people."""
    form, lang, db_url = "mission_people", ctx.lang, ctx.db_url
    missions = read_filter_options(db_url)["missions"]
    mission_id = st.selectbox(
        t("mission_form.pick", lang),
        options=list(missions),
        format_func=lambda i: missions.get(i, str(i)),
        index=None,
        placeholder=t("mission_form.pick_placeholder", lang),
        key=_key(form, "mission"),
    )
    if mission_id is None:
        return
    met = read_mission_participants(db_url, mission_id)
    st.markdown(
        t(
            "mission_form.met",
            lang,
            organisations=len(met["organisations"]),
            people=len(met["people"]),
        )
    )
    if met["organisations"]:
        st.caption(", ".join(met["organisations"].values()))
    if met["people"]:
        st.caption(", ".join(met["people"].values()))
    if met["organisations"] or met["people"]:
        _render_removal(ctx, author, mission_id, met, missions.get(mission_id, ""))
    st.markdown(f"**{t('mission_form.add', lang)}**")
    _mode, organisation_id = choose_organisation(
        db_url, lang, lambda name: _key(form, name), allow_new=False
    )
    if organisation_id is None:
        return
    people = read_organisation_people(db_url, organisation_id)
    chosen = st.multiselect(
        t("mission_form.people", lang),
        options=list(people),
        format_func=lambda i: people.get(i, str(i)),
        key=_key(form, f"people_{organisation_id}"),
    )
    errors: dict[str, str] = {}
    if st.button(t("mission_form.add_submit", lang), key=_key(form, "add"), type="primary"):
        if author is None:
            errors[""] = t("form.error.author", lang)
        else:

            def write(session: Any) -> bool:
                add_mission_organisation(
                    session=session,
                    mission_id=mission_id,
                    organisation_id=organisation_id,
                    author=author,
                )
                for person_id in chosen:
                    add_mission_person(
                        session=session, mission_id=mission_id, person_id=person_id, author=author
                    )
                return True

            if run_write(write, db_url, lang, errors):
                next_generation(form)
                st.session_state[_key(form, "mission")] = mission_id
                flash(t("mission_form.added", lang, mission=missions.get(mission_id, "")))
                st.rerun()
    show_error(errors, "")


def _render_removal(
    ctx: Any, author: str | None, mission_id: int, met: dict[str, dict[int, str]], name: str
) -> None:
    """Take off organisations or people recorded by mistake as met during the mission."""
    form, lang = "mission_remove", ctx.lang
    with st.expander(t("mission_form.remove", lang)):
        organisations = st.multiselect(
            t("mission_form.remove_organisations", lang),
            options=list(met["organisations"]),
            format_func=lambda i: met["organisations"].get(i, str(i)),
            key=_key(form, f"orgs_{mission_id}"),
        )
        people = st.multiselect(
            t("mission_form.remove_people", lang),
            options=list(met["people"]),
            format_func=lambda i: met["people"].get(i, str(i)),
            key=_key(form, f"people_{mission_id}"),
        )
        st.caption(t("mission_form.remove_help", lang))
        errors: dict[str, str] = {}
        if st.button(
            t("mission_form.remove_submit", lang),
            key=_key(form, "go"),
            disabled=not (organisations or people),
        ):
            if author is None:
                errors[""] = t("form.error.author", lang)
            else:
                removed = run_write(
                    lambda session: remove_mission_participants(
                        session,
                        mission_id=mission_id,
                        organisation_ids=list(organisations),
                        person_ids=list(people),
                        author=author,
                    ),
                    ctx.db_url,
                    lang,
                    errors,
                )
                if removed is not None:
                    next_generation(form)
                    flash(t("mission_form.removed", lang, n=removed, mission=name))
                    st.rerun()
        show_error(errors, "")
