"""Correct an organisation, a person, a mission, a project or a logged meeting: find it, change
what is wrong, save. The form is prefilled with the record's values and validated like a
creation."""

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
    read_organisation_interactions,
    read_organisation_people,
    read_organisation_projects,
    read_people,
    read_record,
    read_sector_labels,
)
from components.stage_form import choose_project
from components.tables import date_format
from core.edits import (
    update_interaction,
    update_mission,
    update_organisation,
    update_person,
    update_project,
)
from core.formatting import format_day
from core.i18n import enum_label, t
from core.normalise import domain_of, normalise_phone
from models import (
    CapexDisclosure,
    InteractionCreate,
    InteractionKind,
    InteractionOutcome,
    LawfulBasis,
    MissionCreate,
    MissionKind,
    OrganisationCreate,
    OrganisationKind,
    PersonCreate,
    ProjectEdit,
    ProjectFunction,
    ProjectType,
    SourceChannel,
)


def _keys(form: str, ident: int):
    return lambda name: f"{form}_{name}_{ident}_{generation(form)}"


def _select(label: str, options: list, value: Any, key: str, fmt=str) -> Any:
    return st.selectbox(
        label,
        options=options,
        index=options.index(value) if value in options else None,
        format_func=fmt,
        key=key,
    )


def _save(form: str, write: Any, ctx: Any, errors: dict[str, str], message: str) -> None:
    if not errors and run_write(write, ctx.db_url, ctx.lang, errors) is not None:
        next_generation(form)
        flash(message)
        st.rerun()
    st.session_state[f"{form}_errors"] = errors
    st.rerun()


def render_organisation_edit(ctx: Any, author: str | None) -> None:
    form, lang, db_url = "edit_org", ctx.lang, ctx.db_url
    _mode, ident = choose_organisation(
        db_url, lang, lambda n: f"{form}_{n}_{generation(form)}", allow_new=False
    )
    if ident is None:
        return
    record = read_record(db_url, "organisation", ident)
    key, errors = _keys(form, ident), st.session_state.get(f"{form}_errors", {})
    countries, sectors = read_country_names(db_url, lang), read_sector_labels(db_url, lang)
    country_codes = sorted(countries, key=lambda c: countries[c])
    with st.form(key("form"), clear_on_submit=False, enter_to_submit=False):
        name = st.text_input(
            t("field.organisation.name", lang) + " *", record["name"], key=key("name")
        )
        show_error(errors, "name")
        left, right = st.columns(2)
        with left:
            kind = _select(
                t("field.organisation.kind", lang),
                list(OrganisationKind),
                OrganisationKind(record["kind"]),
                key("kind"),
                lambda k: enum_label(k, lang),
            )
            hq = _select(
                t("field.organisation.country", lang),
                country_codes,
                record["hq_country_iso2"],
                key("hq"),
                lambda c: countries.get(c, c),
            )
            city = st.text_input(
                t("field.organisation.city", lang), record["city"] or "", key=key("city")
            )
        with right:
            website = st.text_input(
                t("field.organisation.website", lang), record["domain"] or "", key=key("web")
            )
            show_error(errors, "domain")
            control = _select(
                t("field.organisation.control_country", lang),
                country_codes,
                record["control_country_iso2"],
                key("control"),
                lambda c: countries.get(c, c),
            )
            sector = _select(
                t("field.organisation.sector", lang),
                list(sectors),
                record["sector_code"],
                key("sector"),
                lambda c: sectors.get(c, c),
            )
        show_error(errors, "")
        submitted = st.form_submit_button(t("edit.submit", lang), type="primary")
    if not submitted:
        return
    errors = {} if author else {"": t("form.error.author", lang)}
    domain = domain_of(website) if text_or_none(website) else None
    if text_or_none(website) and domain is None:
        errors["domain"] = t("form.error.domain.string_pattern_mismatch", lang)
    values = {
        **{k: record[k] for k in ("size", "registration_number", "parent_id", "chamber_id")},
        "name": text_or_none(name) or "",
        "kind": kind,
        "domain": domain,
        "hq_country_iso2": hq,
        "control_country_iso2": control,
        "sector_code": sector,
        "city": text_or_none(city),
    }
    data = validate(OrganisationCreate, values, errors, lang)
    _save(
        form,
        lambda s: update_organisation(s, organisation_id=ident, data=data, author=author),
        ctx,
        errors,
        t("edit.saved", lang, name=values["name"]),
    )


def render_person_edit(ctx: Any, author: str | None) -> None:
    form, lang, db_url = "edit_person", ctx.lang, ctx.db_url
    text = st.text_input(t("edit.person.search", lang), key=f"{form}_search")
    if not (text or "").strip():
        return
    found, _total = read_people(db_url, text.strip(), None, None, None, 1, 20)
    if found.empty:
        st.warning(t("edit.none_found", lang))
        return
    labels = {
        int(r["id"]): f"{r['first_name']} {r['last_name']} — {r['organisation_name'] or '—'}"
        for r in found.to_dict("records")
    }
    ident = st.selectbox(
        t("edit.person.pick", lang), list(labels), format_func=labels.get, key=f"{form}_pick"
    )
    record = read_record(db_url, "person", ident)
    key, errors = _keys(form, ident), st.session_state.get(f"{form}_errors", {})
    countries = read_country_names(db_url, lang)
    with st.form(key("form"), clear_on_submit=False, enter_to_submit=False):
        left, middle, right = st.columns(3)
        first = left.text_input(
            t("field.person.first_name", lang) + " *", record["first_name"], key=key("first")
        )
        last = middle.text_input(
            t("field.person.last_name", lang) + " *", record["last_name"], key=key("last")
        )
        title = right.text_input(
            t("field.person.job_title", lang), record["job_title"] or "", key=key("title")
        )
        left, middle, right = st.columns(3)
        email = left.text_input(
            t("field.person.email", lang), record["email"] or "", key=key("email")
        )
        phone = middle.text_input(
            t("field.person.phone", lang), record["phone"] or "", key=key("phone")
        )
        with right:
            country = _select(
                t("field.person.country", lang),
                sorted(countries, key=lambda c: countries[c]),
                record["country_iso2"],
                key("country"),
                lambda c: countries.get(c, c),
            )
        with left:
            show_error(errors, "email")
        with middle:
            show_error(errors, "phone")
        basis = _select(
            t("field.person.lawful_basis", lang),
            list(LawfulBasis),
            LawfulBasis(record["lawful_basis"]),
            key("basis"),
            lambda b: enum_label(b, lang),
        )
        show_error(errors, "")
        submitted = st.form_submit_button(t("edit.submit", lang), type="primary")
    if not submitted:
        return
    errors = {} if author else {"": t("form.error.author", lang)}
    normalised, ok = normalise_phone(text_or_none(phone), country)
    if not ok:
        errors["phone"] = t("form.error.phone.string_pattern_mismatch", lang)
    keep = (
        "organisation_id",
        "tags",
        "data_source",
        "notice_sent_on",
        "objection",
        "last_inbound_contact_on",
    )
    values = {
        **{k: record[k] for k in keep},
        "first_name": text_or_none(first) or "",
        "last_name": text_or_none(last) or "",
        "job_title": text_or_none(title),
        "email": text_or_none(email),
        "phone": normalised,
        "country_iso2": country,
        "lawful_basis": basis,
    }
    data = validate(PersonCreate, values, errors, lang)
    _save(
        form,
        lambda s: update_person(s, person_id=ident, data=data, author=author),
        ctx,
        errors,
        t("edit.saved", lang, name=f"{values['first_name']} {values['last_name']}"),
    )


def render_mission_edit(ctx: Any, author: str | None) -> None:
    form, lang, db_url = "edit_mission", ctx.lang, ctx.db_url
    missions = read_filter_options(db_url)["missions"]
    ident = st.selectbox(
        t("mission_form.pick", lang),
        list(missions),
        format_func=missions.get,
        index=None,
        key=f"{form}_pick",
    )
    if ident is None:
        return
    record = read_record(db_url, "mission", ident)
    key, errors = _keys(form, ident), st.session_state.get(f"{form}_errors", {})
    fmt = date_format(lang)
    with st.form(key("form"), clear_on_submit=False, enter_to_submit=False):
        name = st.text_input(t("field.mission.name", lang) + " *", record["name"], key=key("name"))
        left, middle, right = st.columns(3)
        kind = _select(
            t("field.mission.kind", lang),
            list(MissionKind),
            MissionKind(record["kind"]),
            key("kind"),
            lambda k: enum_label(k, lang),
        )
        starts = left.date_input(
            t("field.mission.starts_on", lang), record["starts_on"], format=fmt, key=key("starts")
        )
        ends = middle.date_input(
            t("field.mission.ends_on", lang), record["ends_on"], format=fmt, key=key("ends")
        )
        with middle:
            show_error(errors, "ends_on")
        budget = right.number_input(
            t("field.mission.budget", lang),
            min_value=0,
            step=1000,
            value=record["budget_eur"],
            key=key("budget"),
        )
        description = st.text_area(
            t("field.mission.description", lang),
            record["description"] or "",
            max_chars=2000,
            key=key("description"),
        )
        show_error(errors, "")
        submitted = st.form_submit_button(t("edit.submit", lang), type="primary")
    if not submitted:
        return
    errors = {} if author else {"": t("form.error.author", lang)}
    if ends < starts:
        errors["ends_on"] = t("form.error.ends_before", lang)
    values = {
        **{k: record[k] for k in ("city", "country_iso2", "chamber_id")},
        "name": text_or_none(name) or "",
        "kind": kind,
        "starts_on": starts,
        "ends_on": ends,
        "budget_eur": int(budget) if budget is not None else None,
        "description": text_or_none(description),
    }
    data = validate(MissionCreate, values, errors, lang)
    _save(
        form,
        lambda s: update_mission(s, mission_id=ident, data=data, author=author),
        ctx,
        errors,
        t("edit.saved", lang, name=values["name"]),
    )


def render_project_edit(ctx: Any, author: str | None) -> None:
    """A project's own fields; its stage moves on the stage page (with its history)."""
    form, lang, db_url = "edit_project", ctx.lang, ctx.db_url
    found = choose_project(db_url, lang, key=lambda n: f"{form}_{n}")
    if found is None:
        return
    ident = int(found["id"])
    record = read_record(db_url, "project", ident)
    key, errors = _keys(form, ident), st.session_state.get(f"{form}_errors", {})
    sectors = read_sector_labels(db_url, lang)
    options = read_filter_options(db_url)
    countries = read_country_names(db_url, lang)
    origins = [None, *sorted(countries, key=lambda c: countries[c])]
    st.caption(t("edit.project.stage_elsewhere", lang))
    with st.form(key("form"), clear_on_submit=False, enter_to_submit=False):
        left, right = st.columns(2)
        code_name = left.text_input(
            t("field.project.code_name", lang) + " *", record["code_name"], key=key("code")
        )
        with left:
            show_error(errors, "code_name")
        with right:
            sector = _select(
                t("field.organisation.sector", lang) + " *",
                list(sectors),
                record["sector_code"],
                key("sector"),
                lambda c: sectors.get(c, c),
            )
        left, middle, right = st.columns(3)
        with left:
            kind = _select(
                t("field.project.type", lang),
                list(ProjectType),
                ProjectType(record["project_type"]),
                key("type"),
                lambda k: enum_label(k, lang),
            )
        with middle:
            function = _select(
                t("field.project.function", lang),
                list(ProjectFunction),
                ProjectFunction(record["function"]),
                key("function"),
                lambda k: enum_label(k, lang),
            )
        with right:
            channel = _select(
                t("field.project.source_channel", lang),
                list(SourceChannel),
                SourceChannel(record["source_channel"]),
                key("channel"),
                lambda k: enum_label(k, lang),
            )
        left, middle, right = st.columns(3)
        jobs = left.number_input(
            t("field.project.jobs", lang),
            min_value=0,
            step=1,
            value=int(record["jobs_announced"]),
            key=key("jobs"),
        )
        capex = middle.number_input(
            t("field.project.capex", lang),
            min_value=0,
            step=100_000,
            value=record["capex_eur"],
            key=key("capex"),
        )
        with middle:
            show_error(errors, "capex_eur")
        with right:
            disclosure = _select(
                t("field.project.capex_disclosure", lang),
                list(CapexDisclosure),
                CapexDisclosure(record["capex_disclosure"]),
                key("disclosure"),
                lambda k: enum_label(k, lang),
            )
        left, middle, right = st.columns(3)
        chamber = _select(
            t("field.project.source_chamber", lang),
            list(options["chambers"]),
            record["source_chamber_id"],
            key("chamber"),
            lambda i: options["chambers"].get(i, str(i)),
        )
        mission = _select(
            t("field.project.source_mission", lang),
            list(options["missions"]),
            record["source_mission_id"],
            key("mission"),
            lambda i: options["missions"].get(i, str(i)),
        )
        expected = st.date_input(
            t("field.project.expected_decision", lang),
            value=record["expected_decision_on"],
            format=date_format(lang),
            key=key("expected"),
        )
        left, right = st.columns(2)
        owner = left.text_input(
            t("field.meeting.owner", lang), record["owner"] or "", key=key("owner")
        )
        commune = right.text_input(
            t("field.project.target_commune", lang),
            record["target_commune"] or "",
            max_chars=100,
            key=key("commune"),
        )
        stated_origin = _select(
            t("field.project.origin", lang),
            origins,
            record["stated_origin_iso2"],
            key("origin"),
            lambda c: countries.get(c, c) if c else t("field.project.origin_of_organisation", lang),
        )
        competing = st.text_input(
            t("field.project.competing_locations", lang),
            record["competing_locations"] or "",
            max_chars=300,
            key=key("competing"),
        )
        confidential = st.checkbox(
            t("field.project.confidential", lang),
            value=bool(record["confidential"]),
            key=key("confidential"),
            help=t("field.project.confidential_help", lang),
        )
        show_error(errors, "")
        submitted = st.form_submit_button(t("edit.submit", lang), type="primary")
    if not submitted:
        return
    errors = {} if author else {"": t("form.error.author", lang)}
    keep = (
        "organisation_id",
        "jobs_kept",
        "jobs_created",
        "first_site_france",
        "first_site_europe",
    )
    values = {
        **{k: record[k] for k in keep},
        "code_name": text_or_none(code_name) or "",
        "sector_code": sector or "",
        "project_type": kind,
        "function": function,
        "source_channel": channel,
        "jobs_announced": int(jobs or 0),
        "capex_eur": int(capex) if capex is not None else None,
        "capex_disclosure": disclosure,
        "source_chamber_id": chamber,
        "source_mission_id": mission,
        "expected_decision_on": expected,
        "owner": text_or_none(owner),
        "target_commune": text_or_none(commune),
        "competing_locations": text_or_none(competing),
        "confidential": confidential,
        "stated_origin_iso2": stated_origin,
    }
    data = validate(ProjectEdit, values, errors, lang)
    _save(
        form,
        lambda s: update_project(s, project_id=ident, data=data, author=author),
        ctx,
        errors,
        t("edit.saved", lang, name=values["code_name"]),
    )


def render_interaction_edit(ctx: Any, author: str | None) -> None:
    """A logged meeting, found through its organisation: every field and its participants."""
    form, lang, db_url = "edit_meeting", ctx.lang, ctx.db_url
    _mode, organisation_id = choose_organisation(
        db_url, lang, lambda n: f"{form}_{n}_{generation(form)}", allow_new=False
    )
    if organisation_id is None:
        return
    meetings = {m["id"]: m for m in read_organisation_interactions(db_url, organisation_id)}
    if not meetings:
        st.info(t("edit.meeting.none", lang))
        return
    ident = st.selectbox(
        t("edit.meeting.pick", lang),
        list(meetings),
        format_func=lambda i: (
            f"{format_day(meetings[i]['occurred_on'], lang)} — "
            f"{enum_label(InteractionKind(meetings[i]['kind']), lang)} — "
            f"{(meetings[i]['summary'] or '')[:80]}"
        ),
        key=f"{form}_pick_{organisation_id}",
    )
    record = read_record(db_url, "interaction", ident)
    key, errors = _keys(form, ident), st.session_state.get(f"{form}_errors", {})
    people = read_organisation_people(db_url, organisation_id)
    projects = read_organisation_projects(db_url, organisation_id)
    missions = read_filter_options(db_url)["missions"]
    fmt = date_format(lang)
    with st.form(key("form"), clear_on_submit=False, enter_to_submit=False):
        left, middle, right = st.columns(3)
        occurred = left.date_input(
            t("field.meeting.date", lang) + " *", record["occurred_on"], format=fmt, key=key("on")
        )
        with left:
            show_error(errors, "occurred_on")
        with middle:
            kind = _select(
                t("field.meeting.kind", lang),
                list(InteractionKind),
                InteractionKind(record["kind"]),
                key("kind"),
                lambda k: enum_label(k, lang),
            )
        with right:
            outcome = _select(
                t("field.meeting.outcome", lang),
                list(InteractionOutcome),
                InteractionOutcome(record["outcome"]),
                key("outcome"),
                lambda k: enum_label(k, lang),
            )
        left, right = st.columns(2)
        with left:
            project = _select(
                t("field.meeting.project", lang),
                list(projects),
                record["project_id"],
                key("project"),
                lambda i: projects.get(i, str(i)),
            )
        with right:
            mission = _select(
                t("field.meeting.mission", lang),
                list(missions),
                record["mission_id"],
                key("mission"),
                lambda i: missions.get(i, str(i)),
            )
        chosen = st.multiselect(
            t("field.meeting.participants", lang),
            options=list(people),
            default=[i for i in record["participant_ids"] if i in people],
            format_func=lambda i: people.get(i, str(i)),
            key=key("people"),
        )
        summary = st.text_area(
            t("field.meeting.summary", lang),
            record["summary"] or "",
            max_chars=4000,
            key=key("summary"),
        )
        left, middle, right = st.columns(3)
        next_step = left.text_input(
            t("field.meeting.next_step", lang),
            record["next_step"] or "",
            max_chars=300,
            key=key("next"),
        )
        due = middle.date_input(
            t("field.meeting.due", lang), record["next_step_due_on"], format=fmt, key=key("due")
        )
        with middle:
            show_error(errors, "next_step_due_on")
        owner = right.text_input(
            t("field.meeting.owner", lang), record["owner"] or "", key=key("owner")
        )
        done = st.checkbox(
            t("edit.meeting.done", lang), value=bool(record["next_step_done"]), key=key("done")
        )
        show_error(errors, "")
        submitted = st.form_submit_button(t("edit.submit", lang), type="primary")
    if not submitted:
        return
    errors = {} if author else {"": t("form.error.author", lang)}
    if due is not None and occurred is not None and due < occurred:
        errors["next_step_due_on"] = t("form.error.due", lang)
    values = {
        "occurred_on": occurred,
        "kind": kind,
        "outcome": outcome,
        "organisation_id": organisation_id,
        "project_id": project,
        "mission_id": mission,
        "place": record["place"],
        "summary": text_or_none(summary),
        "next_step": text_or_none(next_step),
        "next_step_due_on": due,
        "next_step_done": done,
        "owner": text_or_none(owner),
        "author": record["author"],
        "participant_ids": list(chosen),
    }
    data = validate(InteractionCreate, values, errors, lang)
    _save(
        form,
        lambda s: update_interaction(s, interaction_id=ident, data=data, author=author),
        ctx,
        errors,
        t("edit.meeting.saved", lang, day=format_day(occurred, lang)),
    )
