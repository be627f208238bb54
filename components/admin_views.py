"""Admin views: the audit trail (browse, filter, put back an earlier value) and personal data
(retention list, export of everything held on one person, anonymisation, register of
data-subject requests)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from components.db import get_engine_for
from components.forms import flash, run_write, show_error, show_flash
from components.masking import note_personal_data_view
from components.tables import date_format, render_table
from core.audit import AUDITED, AuditFilters, list_entries, restore_value
from core.formatting import format_integer
from core.i18n import enum_label, t
from core.personal_data import (
    anonymise_person,
    close_request,
    create_request,
    export_person,
    list_access_log,
    list_requests,
    list_retention_due,
    person_export_json,
    person_export_text,
)
from models import DataRequestCreate, RequestKind, RequestStatus

AUDIT_LIMIT = 500


def _json(values: dict | None) -> str:
    return "" if values is None else json.dumps(values, ensure_ascii=False, sort_keys=True)


def render_audit_trail(ctx: Any) -> None:
    lang, db_url = ctx.lang, ctx.db_url
    show_flash()
    cols = st.columns([2, 1, 2, 2, 2])
    table = cols[0].selectbox(
        t("audit.table", lang), [None, *sorted(AUDITED)], key="audit_table",
        format_func=lambda v: v or t("audit.all", lang),
    )  # fmt: skip
    record = cols[1].text_input(t("audit.record", lang), key="audit_record")
    actor = cols[2].text_input(t("audit.actor", lang), key="audit_actor")
    since = cols[3].date_input(
        t("audit.since", lang), ctx.today - timedelta(days=30), format=date_format(lang),
        key="audit_since",
    )  # fmt: skip
    until = cols[4].date_input(
        t("audit.until", lang), ctx.today, format=date_format(lang), key="audit_until"
    )
    filters = AuditFilters(
        table_name=table, row_key=(record or "").strip() or None,
        actor=(actor or "").strip() or None, since=since, until=until,
    )  # fmt: skip
    with Session(get_engine_for(db_url)) as session:
        entries = list_entries(session, filters, limit=AUDIT_LIMIT)
    st.caption(t("audit.count", lang, n=format_integer(len(entries), lang), limit=AUDIT_LIMIT))
    frame = pd.DataFrame(
        [
            {
                t("audit.col.id", lang): e.id,
                t("audit.col.at", lang): e.at,
                t("audit.actor", lang): e.actor,
                t("audit.col.action", lang): enum_label(e.action, lang),
                t("audit.table", lang): e.table_name,
                t("audit.record", lang): e.row_key,
                t("audit.col.before", lang): _json(e.before),
                t("audit.col.after", lang): _json(e.after),
            }
            for e in entries
        ]
    )
    render_table(frame, lang, key="audit_entries")
    st.subheader(t("audit.restore", lang))
    left, middle, right = st.columns([1, 2, 1])
    entry_id = left.number_input(t("audit.col.id", lang), min_value=1, step=1, value=None)
    chosen = next((e for e in entries if e.id == entry_id), None)
    fields = sorted((chosen.before or {}) if chosen and chosen.action == "update" else {})
    field = middle.selectbox(t("audit.field", lang), fields, index=None, key="audit_field")
    errors: dict[str, str] = {}
    if right.button(t("audit.restore_submit", lang), disabled=not field, key="audit_go"):
        done = run_write(
            lambda s: restore_value(
                s, entry_id=int(entry_id), field=field, actor=ctx.user.display_name
            ),
            db_url,
            lang,
            errors,
        )
        if done is not None:
            flash(t("audit.restored", lang, field=field, id=int(entry_id)))
            st.rerun()
    show_error(errors, "")


def render_retention(ctx: Any) -> None:
    lang, db_url = ctx.lang, ctx.db_url
    with Session(get_engine_for(db_url)) as session:
        due = list_retention_due(session, ctx.today)
    st.caption(t("privacy.retention.intro", lang, n=format_integer(len(due), lang)))
    render_table(pd.DataFrame(due), lang, key="privacy_retention")


def render_person_rights(ctx: Any) -> None:
    """One person: everything held on them (JSON and a readable file), or anonymise them."""
    lang, db_url = ctx.lang, ctx.db_url
    person_id = st.number_input(
        t("privacy.person_id", lang), min_value=1, step=1, value=None, key="privacy_person",
        help=t("privacy.person_id_help", lang),
    )  # fmt: skip
    if person_id is None:
        return
    with Session(get_engine_for(db_url)) as session:
        try:
            data = export_person(session, int(person_id))
        except LookupError:
            st.warning(t("edit.none_found", lang))
            return
    note_personal_data_view(db_url, ctx.user, f"person #{int(person_id)}: everything held")
    person = data["person"]
    st.markdown(f"**{person['first_name']} {person['last_name']}** — {data['organisation'] or '—'}")
    left, right = st.columns(2)
    left.download_button(
        t("privacy.export_json", lang), data=person_export_json(data),
        file_name=f"person-{int(person_id)}.json", mime="application/json",
        key="privacy_json", on_click="ignore",
    )  # fmt: skip
    right.download_button(
        t("privacy.export_text", lang),
        data=person_export_text(data, ctx.settings.agency_name).encode("utf-8"),
        file_name=f"person-{int(person_id)}.md", mime="text/markdown",
        key="privacy_text", on_click="ignore",
    )  # fmt: skip
    if person.get("anonymised_at"):
        st.info(t("privacy.already", lang))
        return
    sure = st.checkbox(t("privacy.anonymise_confirm", lang), key="privacy_sure")
    errors: dict[str, str] = {}
    if st.button(t("privacy.anonymise", lang), disabled=not sure, key="privacy_anonymise"):
        done = run_write(
            lambda s: anonymise_person(s, person_id=int(person_id), author=ctx.user.display_name),
            db_url,
            lang,
            errors,
        )
        if done is not None:
            flash(t("privacy.anonymised", lang, id=int(person_id)))
            st.rerun()
    show_error(errors, "")


def render_access_log(ctx: Any) -> None:
    with Session(get_engine_for(ctx.db_url)) as session:
        entries = list_access_log(session)
    st.caption(t("privacy.access.intro", ctx.lang))
    render_table(pd.DataFrame(entries), ctx.lang, key="privacy_access_log")


def render_requests(ctx: Any) -> None:
    lang, db_url = ctx.lang, ctx.db_url
    with Session(get_engine_for(db_url)) as session:
        register = list_requests(session, ctx.today)
    frame = pd.DataFrame(register)
    if not frame.empty:
        frame["kind"] = [enum_label(RequestKind(k), lang) for k in frame["kind"]]
        frame["status"] = [enum_label(RequestStatus(k), lang) for k in frame["status"]]
    render_table(frame, lang, key="privacy_requests")
    errors: dict[str, str] = {}
    with st.form("privacy_new_request", enter_to_submit=False):
        st.markdown(f"**{t('privacy.request.new', lang)}**")
        left, middle, right = st.columns(3)
        requester = left.text_input(t("privacy.request.requester", lang) + " *")
        kind = middle.selectbox(
            t("privacy.request.kind", lang), list(RequestKind),
            format_func=lambda k: enum_label(k, lang),
        )  # fmt: skip
        received = right.date_input(
            t("privacy.request.received", lang), ctx.today, format=date_format(lang)
        )
        person = st.number_input(t("privacy.person_id", lang), min_value=1, value=None)
        submitted = st.form_submit_button(t("privacy.request.submit", lang), type="primary")
    if submitted and not (requester or "").strip():
        errors["requester"] = t("form.error.missing", lang)
    elif submitted:
        data = DataRequestCreate(
            requester=requester.strip(), kind=kind, received_on=received,
            person_id=int(person) if person else None,
        )  # fmt: skip
        done = run_write(
            lambda s: create_request(s, data=data, author=ctx.user.display_name),
            db_url,
            lang,
            errors,
        )
        if done is not None:
            flash(t("privacy.request.saved", lang, due=done.due_on.isoformat()))
            st.rerun()
    show_error(errors, "requester")
    open_ids = [r["id"] for r in register if r["status"] == RequestStatus.OPEN.value]
    if open_ids:
        left, middle, right = st.columns(3)
        chosen = left.selectbox(t("privacy.request.close", lang), open_ids, key="privacy_close")
        status = middle.selectbox(
            t("privacy.request.status", lang), [RequestStatus.DONE, RequestStatus.REFUSED],
            format_func=lambda k: enum_label(k, lang), key="privacy_status",
        )  # fmt: skip
        if right.button(t("privacy.request.close_submit", lang), key="privacy_close_go"):
            done = run_write(
                lambda s: close_request(
                    s, request_id=chosen, status=status, closed_on=ctx.today,
                    author=ctx.user.display_name,
                ),
                db_url,
                lang,
                errors,
            )  # fmt: skip
            if done is not None:
                flash(t("privacy.request.closed", lang, id=chosen))
                st.rerun()
    show_error(errors, "")
