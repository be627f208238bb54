"""Merge two records of the same organisation or person (admins): pick the record to keep and
the duplicate, see both side by side, confirm, merge (core.merging)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from components.forms import flash, generation, next_generation, run_write, show_error
from components.pickers import choose_organisation
from components.readers import read_people, read_record
from core.i18n import column_label, t
from core.merging import merge_organisations, merge_people

SHOWN = {
    "organisation": ("name", "kind", "domain", "hq_country_iso2", "city", "sector_code"),
    "person": ("first_name", "last_name", "job_title", "email", "phone", "organisation_id"),
}


def _key(form: str, name: str) -> str:
    return f"{form}_{name}_{generation(form)}"


def _side_by_side(db_url: str, kind: str, keep: int, merge: int, lang: str) -> None:
    records = [read_record(db_url, kind, i) or {} for i in (keep, merge)]
    frame = pd.DataFrame(
        {
            t("merge.field", lang): [column_label(f, lang) for f in SHOWN[kind]],
            t("merge.kept", lang): [str(records[0].get(f) or "") for f in SHOWN[kind]],
            t("merge.duplicate", lang): [str(records[1].get(f) or "") for f in SHOWN[kind]],
        }
    )
    st.dataframe(frame, hide_index=True, key=f"merge_{kind}_compare")


def _pick_person(db_url: str, lang: str, key: str) -> int | None:
    text = st.text_input(t("edit.person.search", lang), key=f"{key}_search")
    if not (text or "").strip():
        return None
    found, _total = read_people(db_url, text.strip(), None, None, None, 1, 20)
    if found.empty:
        st.warning(t("edit.none_found", lang))
        return None
    labels = {
        int(r["id"]): f"{r['first_name']} {r['last_name']} — {r['organisation_name'] or '—'}"
        f" (#{int(r['id'])})"
        for r in found.to_dict("records")
    }
    return st.selectbox(
        t("edit.person.pick", lang), list(labels), format_func=labels.get, key=f"{key}_pick"
    )


def render_merge(ctx: Any, kind: str) -> None:
    form, lang, db_url = f"merge_{kind}", ctx.lang, ctx.db_url
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('merge.kept', lang)}**")
        if kind == "organisation":
            _m, keep = choose_organisation(
                db_url, lang, lambda n: _key(form, f"keep_{n}"), allow_new=False
            )
        else:
            keep = _pick_person(db_url, lang, _key(form, "keep"))
    with right:
        st.markdown(f"**{t('merge.duplicate', lang)}**")
        if kind == "organisation":
            _m, merge = choose_organisation(
                db_url, lang, lambda n: _key(form, f"dup_{n}"), allow_new=False
            )
        else:
            merge = _pick_person(db_url, lang, _key(form, "dup"))
    if keep is None or merge is None:
        st.caption(t("merge.hint", lang))
        return
    if keep == merge:
        st.warning(t("merge.same", lang))
        return
    _side_by_side(db_url, kind, keep, merge, lang)
    st.caption(t(f"merge.explain.{kind}", lang))
    sure = st.checkbox(t("merge.confirm", lang), key=_key(form, "sure"))
    errors: dict[str, str] = {}
    if st.button(t("merge.submit", lang), type="primary", disabled=not sure, key=_key(form, "go")):
        merge_fn = merge_organisations if kind == "organisation" else merge_people
        moved = run_write(
            lambda session: merge_fn(session, keep_id=keep, merge_id=merge),
            db_url,
            lang,
            errors,
        )
        if moved is not None:
            next_generation(form)
            flash(t("merge.done", lang, n=sum(moved.values())))
            st.rerun()
    show_error(errors, "")
