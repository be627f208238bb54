"""Correct an organisation, a person or a mission: find it, change what is wrong, save. The
form is prefilled with the record's values and validated like a creation."""

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
    read_people,
    read_record,
    read_sector_labels,
)
from components.tables import date_format
from core.edits import update_mission, update_organisation, update_person
from core.i18n import enum_label, t
from core.normalise import domain_of, normalise_phone
from models import (
    LawfulBasis,
    MissionCreate,
    MissionKind,
    OrganisationCreate,
    OrganisationKind,
    PersonCreate,
)


def _keys(form: str, ident: int):  # noqa: ANN202
    return lambda name: f"{form}_{name}_{ident}_{generation(form)}"


def _select(label: str, options: list, value: Any, key: str, fmt=str) -> Any:  # noqa: ANN001
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
