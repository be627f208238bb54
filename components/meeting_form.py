"""The "log a meeting outcome" form: who was met (an organisation on record, found by name, or
a new one), then the meeting itself, its participants, outcome and next step.

The organisation is chosen outside the form (its people and projects fill the form's lists);
everything else is one ``st.form``, so that typing never reruns the page. A failed write keeps
every field as typed, with the message beside its field; a successful one starts a fresh form.
"""

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
from components.pickers import EXISTING, NEW, choose_organisation, new_organisation_fields
from components.readers import (
    read_filter_options,
    read_mission_under_way,
    read_organisation_people,
    read_organisation_projects,
)
from components.tables import date_format
from core.i18n import enum_label, t
from core.meetings import log_meeting
from core.normalise import normalise_phone
from models import (
    InteractionCreate,
    InteractionKind,
    InteractionOutcome,
    OrganisationCreate,
    PersonCreate,
)

FORM = "meeting"


def _key(name: str) -> str:
    return f"{FORM}_{name}_{generation(FORM)}"


def _new_person_fields(lang: str, errors: dict[str, str]) -> dict[str, Any]:
    st.markdown(f"**{t('meeting.new_person.title', lang)}**")
    cols = st.columns(3)
    first = cols[0].text_input(t("field.person.first_name", lang), key=_key("new_first"))
    last = cols[1].text_input(t("field.person.last_name", lang), key=_key("new_last"))
    title = cols[2].text_input(t("field.person.job_title", lang), key=_key("new_title"))
    with cols[0]:
        show_error(errors, "person.first_name")
    with cols[1]:
        show_error(errors, "person.last_name")
    cols = st.columns(3)
    email = cols[0].text_input(t("field.person.email", lang), key=_key("new_email"))
    phone = cols[1].text_input(
        t("field.person.phone", lang), key=_key("new_phone"), placeholder="+33 6 12 34 56 78"
    )
    with cols[0]:
        show_error(errors, "person.email")
    with cols[1]:
        show_error(errors, "person.phone")
    return {
        "first_name": text_or_none(first),
        "last_name": text_or_none(last),
        "job_title": text_or_none(title),
        "email": text_or_none(email),
        "phone": text_or_none(phone),
    }


def render_meeting_form(ctx: Any, author: str | None) -> None:
    """The whole form; writes on submit and reruns with a fresh form after a success."""
    lang, db_url, today = ctx.lang, ctx.db_url, ctx.today
    errors: dict[str, str] = st.session_state.get(_key("errors"), {})
    mode, organisation_id = choose_organisation(db_url, lang, _key)
    people = read_organisation_people(db_url, organisation_id) if organisation_id else {}
    projects = read_organisation_projects(db_url, organisation_id) if organisation_id else {}
    missions = read_filter_options(db_url)["missions"]
    under_way = read_mission_under_way(db_url, today)
    show_error(errors, "organisation")

    with st.form(_key("form"), clear_on_submit=False, enter_to_submit=False):
        new_org = new_organisation_fields(db_url, lang, errors, _key) if mode == NEW else None
        left, middle, right = st.columns(3)
        occurred_on = left.date_input(
            t("field.meeting.date", lang) + " *",
            value=today,
            format=date_format(lang),
            key=_key("date"),
        )
        with left:
            show_error(errors, "occurred_on")
        kind = middle.selectbox(
            t("field.meeting.kind", lang),
            options=list(InteractionKind),
            format_func=lambda k: enum_label(k, lang),
            key=_key("kind"),
        )
        mission = right.selectbox(
            t("field.meeting.mission", lang),
            options=list(missions),
            format_func=lambda i: missions.get(i, str(i)),
            index=list(missions).index(under_way) if under_way in missions else None,
            placeholder=t("field.meeting.mission_none", lang),
            key=_key("mission"),
        )
        project = st.selectbox(
            t("field.meeting.project", lang),
            options=list(projects),
            format_func=lambda i: projects.get(i, str(i)),
            index=None,
            placeholder=t("field.meeting.project_none", lang),
            key=_key("project"),
        )
        participants = st.multiselect(
            t("field.meeting.participants", lang),
            options=list(people),
            format_func=lambda i: people.get(i, str(i)),
            key=_key("participants"),
            placeholder=t("field.meeting.participants_none", lang),
        )
        person = _new_person_fields(lang, errors)
        outcome = st.selectbox(
            t("field.meeting.outcome", lang),
            options=list(InteractionOutcome),
            format_func=lambda o: enum_label(o, lang),
            # The model's default: a plain exchange, until the user says more.
            index=list(InteractionOutcome).index(InteractionOutcome.INFORMATION),
            key=_key("outcome"),
        )
        summary = st.text_area(
            t("field.meeting.summary", lang), max_chars=4000, key=_key("summary")
        )
        left, right = st.columns([2, 1])
        next_step = left.text_input(
            t("field.meeting.next_step", lang), max_chars=300, key=_key("next_step")
        )
        due = right.date_input(
            t("field.meeting.due", lang),
            value=None,
            format=date_format(lang),
            key=_key("due"),
        )
        with right:
            show_error(errors, "next_step_due_on")
        owner = st.text_input(
            t("field.meeting.owner", lang),
            key=_key("owner"),
            placeholder=author or "",
            help=t("field.meeting.owner_help", lang),
        )
        show_error(errors, "")
        submitted = st.form_submit_button(t("meeting.submit", lang), type="primary")

    if not submitted:
        return
    errors = {}
    if author is None:
        errors[""] = t("form.error.author", lang)
    if mode == EXISTING and organisation_id is None:
        errors["organisation"] = t("meeting.error.organisation", lang)
    org_data = None
    if new_org is not None:
        org_data = validate(OrganisationCreate, new_org, errors, lang, prefix="org.")
    new_people = []
    if any(person.values()):  # a participant met for the first time
        region = new_org["hq_country_iso2"] if new_org else None
        phone, phone_ok = normalise_phone(person["phone"], region)
        if not phone_ok:
            errors["person.phone"] = t("form.error.phone.string_pattern_mismatch", lang)
        person_values = {
            **person,
            "phone": phone,
            "data_source": t("meeting.data_source", lang, author=author),
        }
        data = validate(PersonCreate, person_values, errors, lang, prefix="person.")
        if data is not None:
            new_people.append(data)
    meeting_values = {
        "occurred_on": occurred_on,
        "kind": kind,
        "organisation_id": organisation_id,
        "project_id": project,
        "mission_id": mission,
        "outcome": outcome,
        "summary": text_or_none(summary),
        "next_step": text_or_none(next_step),
        "next_step_due_on": due,
        "author": author or "?",
        "owner": text_or_none(owner) or author,
        "participant_ids": participants,
    }
    meeting = validate(InteractionCreate, meeting_values, errors, lang)
    if not errors:

        def write(session: Any) -> Any:
            return log_meeting(
                session=session,
                meeting=meeting,
                new_organisation=org_data,
                new_people=new_people,
            )

        written = run_write(write, db_url, lang, errors)
        if "domain" in errors:  # the new organisation's website is already on record
            errors["org.domain"] = errors.pop("domain")
        if written is not None:
            next_generation(FORM)
            flash(t("meeting.saved", lang, date=occurred_on.isoformat()))
            st.rerun()
    st.session_state[_key("errors")] = errors
    st.rerun()
