"""A partner's pages: refer a lead, the chamber's referrals and attribution claims, the
network's results.

Everything here reads through ``components.partner_readers`` with the signed-in partner's
scope (``partner_scope_of``), and the reference data (countries, sectors). The referral form
sends no chamber: ``core.referrals.refer_lead`` takes it from the signed-in partner.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from components.filters import render_period_caption, render_period_selector
from components.forms import (
    flash,
    generation,
    next_generation,
    run_write,
    show_error,
    text_or_none,
    validate,
)
from components.partner_readers import (
    read_chamber_claims,
    read_chamber_name,
    read_referral_figures,
    read_referrals,
)
from components.readers import read_country_names, read_sector_labels
from components.tables import date_format, render_csv_download, render_table
from core.formatting import format_number, format_percent
from core.i18n import enum_label, enum_value_label, t
from core.normalise import domain_of, normalise_phone
from core.partners import PartnerScope, partner_scope
from core.permissions import AccessDenied
from core.referrals import ReferralCreate, refer_lead
from models import ClaimStatus, LawfulBasis, ProjectFunction, ProjectType, Stage

FORM = "refer"


def partner_scope_of(ctx: Any) -> PartnerScope:
    """The signed-in partner's scope (its chamber, from the session; page_setup let only a
    partner in)."""
    try:
        return partner_scope(ctx.user, t("common.confidential_project", ctx.lang).lower())
    except AccessDenied:  # a partner without a chamber: the database refuses one; fail closed
        st.error(t("auth.forbidden.partner_page", ctx.lang))
        st.stop()


def render_chamber_caption(ctx: Any, scope: PartnerScope) -> None:
    st.caption(t("partner.chamber", ctx.lang, chamber=read_chamber_name(ctx.db_url, scope)))


# ---------------------------------------------------------------------------------------------
# Refer a lead
# ---------------------------------------------------------------------------------------------


def _key(name: str) -> str:
    return f"{FORM}_{name}_{generation(FORM)}"


def _errors() -> dict[str, str]:
    return st.session_state.get(_key("errors"), {})


def _select(label: str, options: list, labels: dict | None, key: str, lang: str, **kw) -> Any:
    return st.selectbox(
        label,
        options=options,
        format_func=(lambda v: labels.get(v, v)) if labels is not None else None,
        key=key,
        placeholder=t("refer.choose", lang),
        **kw,
    )


def _enum(label: str, enum: type, lang: str, key: str, **kw) -> Any:
    return st.selectbox(
        label, options=list(enum), format_func=lambda v: enum_label(v, lang), key=key, **kw
    )


def render_referral_form(ctx: Any, scope: PartnerScope) -> None:
    """The referral form; bad input is said beside its field and the form keeps what was
    typed; a referral written starts an empty form and says thank you."""
    lang, db_url, errors = ctx.lang, ctx.db_url, _errors()
    countries = read_country_names(db_url, lang)
    sectors = read_sector_labels(db_url, lang)
    with st.form(_key("form"), clear_on_submit=False, enter_to_submit=False):
        st.subheader(t("refer.company", lang))
        left, right = st.columns(2)
        company = left.text_input(t("refer.field.company", lang) + " *", key=_key("company"))
        website = right.text_input(
            t("refer.field.website", lang), key=_key("website"), placeholder="societe.com"
        )
        with left:
            show_error(errors, "company")
        with right:
            show_error(errors, "website")
        left, right = st.columns(2)
        with left:
            country = _select(
                t("refer.field.country", lang) + " *",
                sorted(countries, key=lambda c: countries[c]),
                countries,
                _key("country"),
                lang,
                index=None,
            )
            show_error(errors, "country_iso2")
        with right:
            sector = _select(
                t("refer.field.sector", lang) + " *",
                list(sectors),
                sectors,
                _key("sector"),
                lang,
                index=None,
            )
            show_error(errors, "sector_code")
        st.subheader(t("refer.contact", lang))
        left, middle, right = st.columns(3)
        first = left.text_input(t("field.person.first_name", lang) + " *", key=_key("first"))
        last = middle.text_input(t("field.person.last_name", lang) + " *", key=_key("last"))
        title = right.text_input(t("field.person.job_title", lang), key=_key("title"))
        with left:
            show_error(errors, "first_name")
        with middle:
            show_error(errors, "last_name")
        left, middle, right = st.columns(3)
        email = left.text_input(t("field.person.email", lang) + " *", key=_key("email"))
        phone = middle.text_input(
            t("field.person.phone", lang), key=_key("phone"), placeholder="+91 98200 12345"
        )
        with right:
            basis = _enum(
                t("field.person.lawful_basis", lang) + " *",
                LawfulBasis,
                lang,
                _key("basis"),
                index=None,
                placeholder=t("refer.choose", lang),
            )
        with left:
            show_error(errors, "email")
        with middle:
            show_error(errors, "phone")
        with right:
            show_error(errors, "lawful_basis")
        st.subheader(t("refer.plans", lang))
        left, middle, right = st.columns(3)
        with left:
            kind = _enum(t("field.project.type", lang), ProjectType, lang, _key("type"))
        with middle:
            function = _enum(t("field.project.function", lang), ProjectFunction, lang, _key("fn"))
        with right:
            timing = st.date_input(
                t("refer.field.timing", lang),
                value=None,
                format=date_format(lang),
                key=_key("timing"),
            )
            show_error(errors, "expected_decision_on")
        left, right = st.columns(2)
        jobs = left.number_input(
            t("refer.field.jobs", lang), min_value=0, value=None, step=1, key=_key("jobs")
        )
        capex = right.number_input(
            t("refer.field.capex", lang), min_value=0, value=None, step=100_000, key=_key("capex")
        )
        with left:
            show_error(errors, "jobs")
        with right:
            show_error(errors, "capex_eur")
        text = st.text_area(t("refer.field.description", lang), key=_key("text"), max_chars=500)
        show_error(errors, "description")
        show_error(errors, "")
        submitted = st.form_submit_button(t("refer.submit", lang), type="primary")
    if submitted:
        handle_referral(
            ctx,
            {
                "company": company,
                "website": website,
                "country_iso2": country,
                "sector_code": sector,
                "first_name": first,
                "last_name": last,
                "job_title": title,
                "email": email,
                "phone": phone,
                "lawful_basis": basis,
                "project_type": kind,
                "function": function,
                "expected_decision_on": timing,
                "jobs": jobs,
                "capex_eur": capex,
                "description": text,
            },
        )


def handle_referral(ctx: Any, typed: dict[str, Any]) -> None:
    """Validate and write the referral; on refusal keep the messages (and the typed values,
    whose widget keys stay) for the next run."""
    lang, errors = ctx.lang, {}
    values = {k: (text_or_none(v) if isinstance(v, str) else v) for k, v in typed.items()}
    website = values.get("website")
    values["website"] = domain_of(website)
    if website and values["website"] is None:
        errors["website"] = t("form.error.domain.string_pattern_mismatch", lang)
    phone, phone_ok = normalise_phone(values.get("phone"), values.get("country_iso2"))
    values["phone"] = phone
    if not phone_ok:
        errors["phone"] = t("form.error.phone.string_pattern_mismatch", lang)
    for field in ("country_iso2", "sector_code", "lawful_basis"):
        if values.get(field) is None:
            errors[field] = t("form.error.missing", lang)
    values["company"] = values.get("company") or ""
    values["first_name"] = values.get("first_name") or ""
    values["last_name"] = values.get("last_name") or ""
    values["email"] = values.get("email") or ""
    data = validate(
        ReferralCreate, {k: v for k, v in values.items() if v is not None}, errors, lang
    )
    if errors or data is None:
        st.session_state[_key("errors")] = errors
        st.rerun()
    written = run_write(
        lambda session: refer_lead(session=session, data=data), ctx.db_url, lang, errors
    )
    if written is None:
        st.session_state[_key("errors")] = errors
        st.rerun()
    next_generation(FORM)
    flash(t("refer.saved", lang, company=data.company))
    st.rerun()


# ---------------------------------------------------------------------------------------------
# The chamber's referrals
# ---------------------------------------------------------------------------------------------


def referral_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The referrals as shown and downloaded: stages as labels, headers translated."""
    out = frame.drop(columns=["id"]).copy()
    out["stage"] = [enum_value_label(Stage, v, lang) for v in out["stage"]]
    for column in ("company", "owner", "update"):
        out[column] = out[column].where(out[column].notna(), "")
    return out.rename(columns={c: t(f"referrals.column.{c}", lang) for c in out.columns})


def render_referrals(ctx: Any, scope: PartnerScope) -> None:
    lang = ctx.lang
    frame = read_referrals(ctx.db_url, scope)
    st.metric(t("referrals.count", lang), format_number(len(frame), lang, digits=0))
    if frame.empty:
        st.info(t("referrals.none", lang))
        return
    shown = referral_rows(frame, lang)
    render_table(shown, lang, key="referrals_table")
    render_csv_download(shown, lang, file_name="referrals.csv", key="referrals_csv")


# ---------------------------------------------------------------------------------------------
# The chamber's attribution claims
# ---------------------------------------------------------------------------------------------


def claim_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The claims as shown and downloaded: a project the chamber did not refer as its label,
    decisions as labels, headers translated."""
    out = frame.drop(columns=["id"]).copy()
    out["company"] = [t("my_claims.not_referred", lang) if c is None else c for c in out["company"]]
    out["status"] = [enum_value_label(ClaimStatus, v, lang) for v in out["status"]]
    out["reason"] = out["reason"].where(out["reason"].notna(), "")
    out["jobs_verified"] = out["jobs_verified"].astype("Int64")
    return out.rename(columns={c: t(f"my_claims.column.{c}", lang) for c in out.columns})


def render_claims(ctx: Any, scope: PartnerScope) -> None:
    lang = ctx.lang
    st.subheader(t("my_claims.title", lang))
    st.caption(t("my_claims.intro", lang))
    frame = read_chamber_claims(ctx.db_url, scope, ctx.today)
    if frame.empty:
        st.info(t("my_claims.none", lang))
        return
    shown = claim_rows(frame, lang)
    render_table(shown, lang, key="claims_table")
    st.caption(t("my_claims.jobs_rule", lang))
    render_csv_download(shown, lang, file_name="claims.csv", key="claims_csv")


# ---------------------------------------------------------------------------------------------
# The network's results
# ---------------------------------------------------------------------------------------------

FIGURES = ("referred", "qualified", "won", "jobs_announced", "conversion", "median_days")


def figure_value(figures: Any, name: str, lang: str) -> str:
    if name == "conversion":
        return format_percent(figures.conversion, lang)
    if name == "median_days":
        return format_number(figures.median_days_to_decision, lang, digits=1)
    return format_number(getattr(figures, name), lang, digits=0)


def render_network_results(ctx: Any, scope: PartnerScope) -> None:
    lang = ctx.lang
    choice = render_period_selector(lang, ctx.today)
    if choice is None:
        return
    render_period_caption(choice, lang)
    period = choice.period
    both = read_referral_figures(ctx.db_url, scope, period.start, period.end)
    chamber, network = both["chamber"], both["network"]
    head = st.columns([2, 1, 1])
    head[1].markdown(f"**{t('network_results.chamber', lang)}**")
    head[2].markdown(f"**{t('network_results.network', lang)}**")
    for name in FIGURES:
        row = st.columns([2, 1, 1])
        row[0].markdown(t(f"network_results.figure.{name}", lang))
        row[1].markdown(figure_value(chamber, name, lang))
        row[2].markdown(figure_value(network, name, lang))
    st.caption(t("network_results.rule", lang))
