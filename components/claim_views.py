"""Attribution claims: staff record that a chamber, an event or a staff member brought a
project; administrators accept or refuse each pending claim with a reason, seeing the agency's
own contact history with the company before the claim ("déjà en contact depuis …")."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
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
from components.readers import read_filter_options
from components.results_readers import read_claims, read_contact_history
from components.stage_form import choose_project
from components.tables import date_format, render_table
from core.claims import REASON_MAX, create_claim, decide_claim
from core.formatting import format_day, format_integer
from core.i18n import column_label, enum_label, enum_value_label, t
from core.permissions import can
from models import ClaimantKind, ClaimCreate, ClaimStatus, Role

FORM = "claim"
DECIDE = "decide"
#: The claimant's field of each kind (what ``ClaimCreate`` holds it in).
CLAIMANT_FIELD = {
    ClaimantKind.CHAMBER: "chamber_id",
    ClaimantKind.EVENT: "mission_id",
    ClaimantKind.STAFF: "staff_name",
}
LISTED = ("status", "claimant_kind", "claimant", "project_code_name", "organisation_name",
          "claimed_on", "decided_on", "decided_by", "decision_reason")  # fmt: skip


def _key(name: str) -> str:
    return f"{FORM}_{name}_{generation(FORM)}"


def _decide_key(name: str) -> str:
    return f"{DECIDE}_{name}_{generation(DECIDE)}"


def render_claim_form(ctx: Any, author: str | None) -> None:
    """Record a claim: the project, who claims it (a chamber, an event, a staff member), the
    date of the claim and what it says. Errors beside their field; the form keeps its values."""
    lang, db_url = ctx.lang, ctx.db_url
    st.subheader(t("claims.form_title", lang))
    errors: dict[str, str] = st.session_state.get(_key("errors"), {})
    project = choose_project(db_url, lang, key=_key)
    show_error(errors, "project_id")
    if project is None:
        return
    kind = st.selectbox(
        t("claims.kind", lang) + " *",
        options=list(ClaimantKind),
        format_func=lambda k: enum_label(k, lang),
        key=_key("kind"),
    )
    options = read_filter_options(db_url)
    with st.form(_key("form"), clear_on_submit=False, enter_to_submit=False):
        left, right = st.columns(2)
        with left:
            if kind == ClaimantKind.CHAMBER:
                chambers = options["chambers"]
                claimant = st.selectbox(
                    t("claims.chamber", lang) + " *", options=list(chambers),
                    format_func=lambda i: chambers.get(i, str(i)), index=None,
                    placeholder=t("claims.choose", lang), key=_key("chamber"),
                )  # fmt: skip
            elif kind == ClaimantKind.EVENT:
                missions = options["missions"]
                claimant = st.selectbox(
                    t("claims.mission", lang) + " *", options=list(missions),
                    format_func=lambda i: missions.get(i, str(i)), index=None,
                    placeholder=t("claims.choose", lang), key=_key("mission"),
                )  # fmt: skip
            else:
                claimant = st.text_input(
                    t("claims.staff_name", lang) + " *", max_chars=120, key=_key("staff")
                )
            show_error(errors, "claimant")
        with right:
            claimed_on = st.date_input(
                t("claims.claimed_on", lang) + " *", value=ctx.today, format=date_format(lang),
                key=_key("claimed_on"),
            )  # fmt: skip
            show_error(errors, "claimed_on")
        statement = st.text_area(
            t("claims.statement", lang), max_chars=1000, key=_key("statement"),
            placeholder=t("claims.statement_placeholder", lang),
        )  # fmt: skip
        show_error(errors, "statement")
        show_error(errors, "")
        submitted = st.form_submit_button(t("claims.submit", lang), type="primary")
    if not submitted:
        return
    errors = {}
    if author is None:
        errors[""] = t("form.error.author", lang)
    if isinstance(claimant, str):
        claimant = text_or_none(claimant)
    if claimant is None:
        errors["claimant"] = t("form.error.missing", lang)
    values = {
        "project_id": project["id"], "claimant_kind": kind, "claimed_on": claimed_on,
        "statement": text_or_none(statement), CLAIMANT_FIELD[kind]: claimant,
    }  # fmt: skip
    data = validate(ClaimCreate, values, errors, lang) if not errors else None
    for field in CLAIMANT_FIELD.values():  # the claimant's own field is shown as "claimant"
        if field in errors:
            errors.setdefault("claimant", errors.pop(field))
    if data is not None and run_write(
        lambda s: create_claim(session=s, data=data, author=author), db_url, lang, errors
    ):
        next_generation(FORM)
        flash(t("claims.saved", lang, project=project["code_name"]))
        st.rerun()
    st.session_state[_key("errors")] = errors
    st.rerun()


def _claim_label(row: pd.Series, lang: str) -> str:
    return t(
        "claims.pending_label", lang, project=row["project_code_name"],
        organisation=row["organisation_name"], claimant=row["claimant"],
        kind=enum_label(ClaimantKind(row["claimant_kind"]), lang),
        day=format_day(row["claimed_on"], lang),
    )  # fmt: skip


def render_contact_history(ctx: Any, claim: pd.Series) -> date | None:
    """The agency's first contact with the claimed company and the exchanges before the claim:
    what tells a claim that brought the company from one that found it already in talks."""
    lang = ctx.lang
    first, before = read_contact_history(ctx.db_url, int(claim["id"]))
    if first is None:
        st.info(t("claims.no_contact", lang))
        return None
    if first < claim["claimed_on"]:
        st.warning(
            t("claims.in_contact_since", lang, day=format_day(first, lang),
              n=format_integer(len(before), lang))
        )  # fmt: skip
    else:
        st.info(t("claims.contact_after", lang, day=format_day(first, lang)))
    if not before.empty:
        shown = before[["occurred_on", "kind", "outcome", "mission", "author"]].copy()
        render_table(
            shown.rename(columns={c: column_label(c, lang) for c in shown.columns}),
            lang,
            key="claim_contact_history",
        )
    return first


def render_claim_decisions(ctx: Any, author: str | None) -> None:
    """Administrators: each pending claim, its contact history, and the decision form."""
    if ctx.user is None or not can(ctx.user.role, Role.ADMIN):
        return
    lang, db_url = ctx.lang, ctx.db_url
    st.subheader(t("claims.decide_title", lang))
    pending = read_claims(db_url, ClaimStatus.PENDING)
    if pending.empty:
        st.caption(t("claims.none_pending", lang))
        return
    by_id = {int(row["id"]): row for _, row in pending.iterrows()}
    claim_id = st.selectbox(
        t("claims.pending", lang),
        options=list(by_id),
        format_func=lambda i: _claim_label(by_id[i], lang) if i in by_id else str(i),
        key=_decide_key("claim"),
    )
    claim = by_id.get(claim_id)
    if claim is None:
        return
    if claim["statement"]:
        st.caption(t("claims.says", lang, statement=claim["statement"]))
    first = render_contact_history(ctx, claim)
    errors: dict[str, str] = st.session_state.get(_decide_key("errors"), {})
    suggestion = (
        t("claims.reason_in_contact", lang, day=format_day(first, lang))
        if first is not None and first < claim["claimed_on"]
        else ""
    )
    with st.form(_decide_key(f"form_{claim_id}"), clear_on_submit=False, enter_to_submit=False):
        left, right = st.columns(2)
        accept = left.radio(
            t("claims.decision", lang) + " *", options=[True, False],
            format_func=lambda a: t("claims.accept" if a else "claims.refuse", lang),
            index=None, horizontal=True, key=_decide_key(f"accept_{claim_id}"),
        )  # fmt: skip
        with left:
            show_error(errors, "decision")
        on = right.date_input(
            t("claims.decided_on", lang) + " *", value=ctx.today, format=date_format(lang),
            key=_decide_key(f"on_{claim_id}"),
        )  # fmt: skip
        with right:
            show_error(errors, "decided_on")
        reason = st.text_area(
            t("claims.reason", lang) + " *", max_chars=REASON_MAX,
            placeholder=suggestion or t("claims.reason_placeholder", lang),
            key=_decide_key(f"reason_{claim_id}"),
        )  # fmt: skip
        if claim["claimant_kind"] == ClaimantKind.CHAMBER:
            # Its partners read the reason beside the claim, unless the project is
            # confidential (core.partners.list_chamber_claims).
            hidden = bool(claim["project_confidential"])
            shown = "claims.reason_hidden" if hidden else "claims.reason_shown"
            st.caption(t(shown, lang, chamber=claim["claimant"]))
        show_error(errors, "reason")
        show_error(errors, "")
        submitted = st.form_submit_button(t("claims.decide", lang), type="primary")
    if not submitted:
        return
    errors = {}
    if author is None:
        errors[""] = t("form.error.author", lang)
    if accept is None:
        errors["decision"] = t("form.error.missing", lang)
    if not (reason or "").strip():
        errors["reason"] = t("rule.claim.reason", lang)
    if not errors and run_write(
        lambda s: decide_claim(
            session=s, claim_id=claim_id, accept=accept, reason=reason, on=on, author=author
        ),
        db_url,
        lang,
        errors,
    ):
        next_generation(DECIDE)
        status = ClaimStatus.ACCEPTED if accept else ClaimStatus.REFUSED
        flash(
            t("claims.decided", lang, project=claim["project_code_name"],
              status=enum_label(status, lang).lower())
        )  # fmt: skip
        st.rerun()
    st.session_state[_decide_key("errors")] = errors
    st.rerun()


def render_claims_list(ctx: Any) -> None:
    """Every claim, pending first, with its decision and reason."""
    lang = ctx.lang
    st.subheader(t("claims.list_title", lang))
    frame = read_claims(ctx.db_url, None)
    if frame.empty:
        st.caption(t("claims.none", lang))
        return
    shown = frame[list(LISTED)].copy()
    shown["status"] = [enum_value_label(ClaimStatus, s, lang) for s in shown["status"]]
    shown["claimant_kind"] = [
        enum_value_label(ClaimantKind, k, lang) for k in shown["claimant_kind"]
    ]
    render_table(
        shown.rename(columns={c: column_label(c, lang) for c in shown.columns}),
        lang,
        key="claims_table",
    )
