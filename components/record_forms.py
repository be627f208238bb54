"""New organisation, new person, new project (a lead): three short forms with few required
fields. Before an organisation or a person is created, the likely existing matches are shown
(same email, same website, a similar name in the same country): the user opens the existing
record or confirms that this one is new."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
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
from components.pickers import NEW, choose_organisation, new_organisation_fields
from components.readers import (
    read_country_names,
    read_duplicate_organisations,
    read_duplicate_people,
    read_filter_options,
    read_sector_labels,
)
from components.tables import date_format
from core.i18n import enum_label, t
from core.normalise import domain_of, normalise_phone
from core.records import create_organisation, create_person, create_project
from models import (
    CapexDisclosure,
    LawfulBasis,
    OrganisationCreate,
    OrganisationKind,
    OrganisationSize,
    PersonCreate,
    ProjectCreate,
    ProjectFunction,
    ProjectType,
    SourceChannel,
    Stage,
)


def _keys(form: str) -> Callable[[str], str]:
    return lambda name: f"{form}_{name}_{generation(form)}"


def _enum_select(label: str, enum: type[StrEnum], lang: str, key: str, **kwargs: Any) -> Any:
    return st.selectbox(
        label, options=list(enum), format_func=lambda v: enum_label(v, lang), key=key, **kwargs
    )


def _country_select(label: str, db_url: str, lang: str, key: str) -> str | None:
    countries = read_country_names(db_url, lang)
    return st.selectbox(
        label,
        options=sorted(countries, key=lambda c: countries[c]),
        format_func=lambda c: countries.get(c, c),
        index=None,
        key=key,
    )


def _errors(form: str) -> dict[str, str]:
    return st.session_state.get(_keys(form)("errors"), {})


def _keep_errors(form: str, errors: dict[str, str]) -> None:
    st.session_state[_keys(form)("errors")] = errors
    st.rerun()


def _done(form: str, message: str) -> None:
    next_generation(form)
    flash(message)
    st.rerun()


def render_matches(matches: list[Any], lang: str, what: str) -> None:
    """The likely existing records, each with its reason and a link to its record."""
    st.warning(t(f"new.matches.{what}", lang))
    for match in matches:
        reason = t(f"new.match.{match.reason}", lang, score=int(match.score))
        link = f"/directory?org={match.organisation_id}&lang={lang}"
        st.markdown(f"- [{match.label}]({link}) — {reason}")


def _confirm_new(form: str, key: Callable[[str], str], lang: str, matches: list[Any]) -> bool:
    """True when there is no likely match, or the user confirmed that this record is new."""
    if not matches:
        return True
    return bool(st.session_state.get(key("confirm_new")))


# ---------------------------------------------------------------------------------------------
# Organisation
# ---------------------------------------------------------------------------------------------


def render_organisation_form(ctx: Any, author: str | None) -> None:
    form, lang, db_url = "new_org", ctx.lang, ctx.db_url
    key, errors = _keys(form), _errors(form)
    sectors = read_sector_labels(db_url, lang)
    matches = st.session_state.get(key("matches"), [])
    if matches:
        render_matches(matches, lang, "organisation")
        st.checkbox(t("new.confirm.organisation", lang), key=key("confirm_new"))
    with st.form(key("form"), clear_on_submit=False, enter_to_submit=False):
        left, right = st.columns(2)
        name = left.text_input(t("field.organisation.name", lang) + " *", key=key("name"))
        with left:
            show_error(errors, "name")
        kind = _enum_select(t("field.organisation.kind", lang), OrganisationKind, lang, key("kind"))
        with right:
            website = st.text_input(
                t("field.organisation.website", lang), key=key("website"), placeholder="https://"
            )
            show_error(errors, "domain")
        left, right = st.columns(2)
        with left:
            hq = _country_select(t("field.organisation.country", lang), db_url, lang, key("hq"))
            city = st.text_input(t("field.organisation.city", lang), key=key("city"))
        with right:
            control = _country_select(
                t("field.organisation.control_country", lang), db_url, lang, key("control")
            )
            st.caption(t("field.organisation.control_help", lang))
        left, right = st.columns(2)
        sector = left.selectbox(
            t("field.organisation.sector", lang),
            options=list(sectors),
            format_func=lambda c: sectors.get(c, c),
            index=None,
            key=key("sector"),
        )
        with right:
            size = _enum_select(
                t("field.organisation.size", lang), OrganisationSize, lang, key("size"), index=None
            )
        show_error(errors, "")
        submitted = st.form_submit_button(t("new.organisation.submit", lang), type="primary")
    if not submitted:
        return
    errors = {}
    if author is None:
        errors[""] = t("form.error.author", lang)
    domain = domain_of(website) if text_or_none(website) else None
    if text_or_none(website) and domain is None:
        errors["domain"] = t("form.error.domain.string_pattern_mismatch", lang)
    values = {
        "name": text_or_none(name) or "",
        "kind": kind,
        "domain": domain,
        "hq_country_iso2": hq,
        "control_country_iso2": control or hq,
        "sector_code": sector,
        "size": size,
        "city": text_or_none(city),
    }
    data = validate(OrganisationCreate, values, errors, lang)
    if errors or data is None:
        _keep_errors(form, errors)
        return
    found = read_duplicate_organisations(db_url, data.name, data.control_country_iso2, domain)
    st.session_state[key("matches")] = found
    if not _confirm_new(form, key, lang, found):
        _keep_errors(form, {"": t("new.confirm.needed", lang)})
        return
    written = run_write(
        lambda session: create_organisation(session=session, data=data, author=author),
        db_url,
        lang,
        errors,
    )
    if written is None:
        _keep_errors(form, errors)
        return
    _done(form, t("new.organisation.saved", lang, name=written.name))


# ---------------------------------------------------------------------------------------------
# Person
# ---------------------------------------------------------------------------------------------


def render_person_form(ctx: Any, author: str | None) -> None:
    form, lang, db_url = "new_person", ctx.lang, ctx.db_url
    key, errors = _keys(form), _errors(form)
    mode, organisation_id = choose_organisation(db_url, lang, key)
    show_error(errors, "organisation")
    matches = st.session_state.get(key("matches"), [])
    if matches:
        render_matches(matches, lang, "person")
        st.checkbox(t("new.confirm.person", lang), key=key("confirm_new"))
    with st.form(key("form"), clear_on_submit=False, enter_to_submit=False):
        new_org = new_organisation_fields(db_url, lang, errors, key) if mode == NEW else None
        left, middle, right = st.columns(3)
        first = left.text_input(t("field.person.first_name", lang) + " *", key=key("first"))
        last = middle.text_input(t("field.person.last_name", lang) + " *", key=key("last"))
        title = right.text_input(t("field.person.job_title", lang), key=key("title"))
        with left:
            show_error(errors, "first_name")
        with middle:
            show_error(errors, "last_name")
        left, middle, right = st.columns(3)
        email = left.text_input(t("field.person.email", lang), key=key("email"))
        phone = middle.text_input(
            t("field.person.phone", lang), key=key("phone"), placeholder="+33 6 12 34 56 78"
        )
        with right:
            country = _country_select(t("field.person.country", lang), db_url, lang, key("country"))
        with left:
            show_error(errors, "email")
        with middle:
            show_error(errors, "phone")
        left, right = st.columns(2)
        with left:
            basis = _enum_select(
                t("field.person.lawful_basis", lang), LawfulBasis, lang, key("basis")
            )
        source = right.text_input(
            t("field.person.data_source", lang),
            key=key("source"),
            placeholder=t("new.person.source_default", lang, author=author or "…"),
        )
        notice = st.date_input(
            t("field.person.notice_sent_on", lang),
            value=None,
            format=date_format(lang),
            key=key("notice"),
        )
        show_error(errors, "")
        submitted = st.form_submit_button(t("new.person.submit", lang), type="primary")
    if not submitted:
        return
    errors = {}
    if author is None:
        errors[""] = t("form.error.author", lang)
    if mode != NEW and organisation_id is None:
        errors["organisation"] = t("new.error.organisation", lang)
    org_data = None
    if new_org is not None:
        org_data = validate(OrganisationCreate, new_org, errors, lang, prefix="org.")
    region = country or (org_data.hq_country_iso2 if org_data else None)
    normalised, phone_ok = normalise_phone(text_or_none(phone), region)
    if not phone_ok:
        errors["phone"] = t("form.error.phone.string_pattern_mismatch", lang)
    values = {
        "first_name": text_or_none(first) or "",
        "last_name": text_or_none(last) or "",
        "job_title": text_or_none(title),
        "organisation_id": organisation_id,
        "email": text_or_none(email),
        "phone": normalised,
        "country_iso2": country,
        "lawful_basis": basis,
        "data_source": text_or_none(source)
        or t("new.person.source_default", lang, author=author or "?"),
        "notice_sent_on": notice,
    }
    data = validate(PersonCreate, values, errors, lang)
    if errors or data is None:
        _keep_errors(form, errors)
        return
    found = read_duplicate_people(
        db_url, data.first_name, data.last_name, data.email, organisation_id, region
    )
    st.session_state[key("matches")] = found
    if not _confirm_new(form, key, lang, found):
        _keep_errors(form, {"": t("new.confirm.needed", lang)})
        return

    def write(session: Any) -> Any:
        if org_data is not None:
            org = create_organisation(session=session, data=org_data, author=author)
            data.organisation_id = org.id
        return create_person(session=session, data=data, author=author)

    written = run_write(write, db_url, lang, errors)
    if "domain" in errors:
        errors["org.domain"] = errors.pop("domain")
    if written is None:
        _keep_errors(form, errors)
        return
    _done(form, t("new.person.saved", lang, name=f"{written.first_name} {written.last_name}"))


# ---------------------------------------------------------------------------------------------
# Project (a lead)
# ---------------------------------------------------------------------------------------------


def render_project_form(ctx: Any, author: str | None) -> None:
    form, lang, db_url, today = "new_project", ctx.lang, ctx.db_url, ctx.today
    key, errors = _keys(form), _errors(form)
    sectors = read_sector_labels(db_url, lang)
    options = read_filter_options(db_url)
    _mode, organisation_id = choose_organisation(db_url, lang, key, allow_new=False)
    show_error(errors, "organisation")
    with st.form(key("form"), clear_on_submit=False, enter_to_submit=False):
        left, right = st.columns(2)
        code_name = left.text_input(t("field.project.code_name", lang) + " *", key=key("code"))
        with left:
            show_error(errors, "code_name")
        sector = right.selectbox(
            t("field.organisation.sector", lang) + " *",
            options=list(sectors),
            format_func=lambda c: sectors.get(c, c),
            index=None,
            key=key("sector"),
        )
        with right:
            show_error(errors, "sector_code")
        left, middle, right = st.columns(3)
        with left:
            kind = _enum_select(t("field.project.type", lang), ProjectType, lang, key("type"))
        with middle:
            function = _enum_select(
                t("field.project.function", lang), ProjectFunction, lang, key("function")
            )
        with right:
            stage = st.selectbox(
                t("field.project.stage", lang),
                options=[Stage.LEAD, Stage.TARGET],
                format_func=lambda s: enum_label(s, lang),
                key=key("stage"),
            )
        left, middle, right = st.columns(3)
        jobs = left.number_input(
            t("field.project.jobs", lang), min_value=0, step=1, value=0, key=key("jobs")
        )
        capex = middle.number_input(
            t("field.project.capex", lang), min_value=0, step=100_000, value=None, key=key("capex")
        )
        with right:
            disclosure = _enum_select(
                t("field.project.capex_disclosure", lang),
                CapexDisclosure,
                lang,
                key("disclosure"),
                index=list(CapexDisclosure).index(CapexDisclosure.UNKNOWN),
            )
        with middle:
            show_error(errors, "capex_eur")
        left, middle, right = st.columns(3)
        with left:
            channel = _enum_select(
                t("field.project.source_channel", lang), SourceChannel, lang, key("channel")
            )
        chamber = middle.selectbox(
            t("field.project.source_chamber", lang),
            options=list(options["chambers"]),
            format_func=lambda i: options["chambers"].get(i, str(i)),
            index=None,
            key=key("chamber"),
        )
        mission = right.selectbox(
            t("field.project.source_mission", lang),
            options=list(options["missions"]),
            format_func=lambda i: options["missions"].get(i, str(i)),
            index=None,
            key=key("mission"),
        )
        left, right = st.columns(2)
        owner = left.text_input(
            t("field.meeting.owner", lang), key=key("owner"), placeholder=author or ""
        )
        expected = right.date_input(
            t("field.project.expected_decision", lang),
            value=None,
            format=date_format(lang),
            key=key("expected"),
        )
        confidential = st.checkbox(
            t("field.project.confidential", lang),
            key=key("confidential"),
            help=t("field.project.confidential_help", lang),
        )
        show_error(errors, "")
        submitted = st.form_submit_button(t("new.project.submit", lang), type="primary")
    if not submitted:
        return
    errors = {}
    if author is None:
        errors[""] = t("form.error.author", lang)
    if organisation_id is None:
        errors["organisation"] = t("new.error.organisation", lang)
    values = {
        "code_name": text_or_none(code_name) or "",
        "organisation_id": organisation_id or 0,
        "sector_code": sector or "",
        "project_type": kind,
        "function": function,
        "jobs_announced": int(jobs or 0),
        "capex_eur": int(capex) if capex is not None else None,
        "capex_disclosure": disclosure,
        "source_channel": channel,
        "source_chamber_id": chamber,
        "source_mission_id": mission,
        "owner": text_or_none(owner) or author,
        "expected_decision_on": expected,
        "confidential": confidential,
        "stage": stage,
        "stage_on": today,
    }
    if not sector:
        errors["sector_code"] = t("form.error.missing", lang)
    data = validate(ProjectCreate, values, errors, lang)
    if errors or data is None:
        _keep_errors(form, errors)
        return
    written = run_write(
        lambda session: create_project(session=session, data=data, author=author),
        db_url,
        lang,
        errors,
    )
    if written is None:
        _keep_errors(form, errors)
        return
    _done(form, t("new.project.saved", lang, name=written.code_name))
