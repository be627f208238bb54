"""Import a spreadsheet of organisations or people: upload, check the columns, see the dry run
row by row, import with a progress bar, download the rejected rows."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from components.auth import current_user
from components.db import get_engine_for
from components.forms import flash
from components.tables import render_table
from core.formatting import format_integer
from core.i18n import has_key, t
from core.importing import (
    ALIASES,
    KINDS,
    apply_import,
    guess_mapping,
    plan_import,
    read_table,
    rejected_rows_csv,
)
from core.permissions import AccessDenied, act_as

NONE = ""


def _error_text(field: str, code: str, params: dict, lang: str) -> str:
    """ "Country: unknown country Atlantide" in the user's language."""
    key = f"import.error.{code}"
    what = t(key, lang, **{k: str(v) for k, v in params.items()}) if has_key(key, lang) else code
    label = f"import.field.{field}"
    sep = " : " if lang == "fr" else ": "
    return f"{t(label, lang) if has_key(label, lang) else field}{sep}{what}"


def plan_table(plan: Any, lang: str) -> pd.DataFrame:
    """One line per row of the file: its line number, what will happen, why."""
    rows = []
    for row in plan.rows:
        if row.rejected:
            status = t("import.status.rejected", lang)
        else:
            status = t(f"import.status.{row.action}", lang)
        reasons = "; ".join(_error_text(f, c, p, lang) for f, c, p in row.errors)
        first = next((v for v in row.values.values() if v), "")
        rows.append([row.line, status, first, reasons])
    columns = [t(f"import.col.{c}", lang) for c in ("line", "status", "record", "errors")]
    return pd.DataFrame(rows, columns=columns)


def render_import(ctx: Any, author: str | None) -> None:
    lang, db_url = ctx.lang, ctx.db_url
    kind = st.radio(
        t("import.kind", lang),
        options=list(KINDS),
        format_func=lambda k: t(f"import.kind.{k}", lang),
        horizontal=True,
        key="import_kind",
    )
    upload = st.file_uploader(
        t("import.file", lang), type=["csv", "xlsx"], key="import_file", help=t("import.help", lang)
    )
    if upload is None:
        return
    try:
        table = read_table(upload.getvalue(), upload.name)
    except Exception:  # a file that is no spreadsheet: say so
        st.error(t("import.unreadable", lang))
        return
    if not table.headers:
        st.warning(t("import.empty", lang))
        return
    st.caption(t("import.read", lang, rows=format_integer(len(table.rows), lang)))
    st.subheader(t("import.mapping", lang))
    guessed = guess_mapping(table.headers, kind)
    mapping: dict[str, str] = {}
    columns = st.columns(3)
    for i, name in enumerate(ALIASES[kind]):
        options = [NONE, *table.headers]
        chosen = columns[i % 3].selectbox(
            t(f"import.field.{name}", lang),
            options=options,
            index=options.index(guessed.get(name, NONE)),
            format_func=lambda h: h or t("import.unmapped", lang),
            key=f"import_map_{kind}_{name}",
        )
        if chosen:
            mapping[name] = chosen
    engine = get_engine_for(db_url)
    with Session(engine) as session:
        plan = plan_import(session, table, mapping, kind)
    st.subheader(t("import.dry_run", lang))
    left, middle, right = st.columns(3)
    left.metric(t("import.to_create", lang), format_integer(plan.count("create"), lang))
    middle.metric(t("import.existing", lang), format_integer(plan.count("exists"), lang))
    right.metric(t("import.rejected", lang), format_integer(plan.count("rejected"), lang))
    render_table(plan_table(plan, lang), lang, key="import_plan")
    if plan.count("rejected"):
        st.download_button(
            t("import.download_rejected", lang),
            data=rejected_rows_csv(table, plan),
            file_name=f"rejected-{upload.name.rsplit('.', 1)[0]}.csv",
            mime="text/csv",
            key="import_rejected",
            on_click="ignore",
        )
    if author is None:
        st.info(t("form.error.author", lang))
        return
    if not plan.count("create"):
        return
    if st.button(
        t("import.go", lang, n=format_integer(plan.count("create"), lang)),
        type="primary",
        key="import_go",
    ):
        bar = st.progress(0.0, text=t("import.writing", lang))

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=t("import.written", lang, done=done, total=total))

        try:
            with Session(engine) as session:
                report = apply_import(
                    act_as(session, current_user()), plan, author=author, progress=progress
                )
        except AccessDenied:  # the role was lowered since the page opened: nothing written
            st.error(t("form.error.forbidden", lang))
            return
        except Exception:  # the database refused a batch: say so
            st.cache_data.clear()
            st.error(t("import.failed", lang))
            return
        st.cache_data.clear()
        flash(
            t(
                "import.done",
                lang,
                created=format_integer(report.created, lang),
                existing=format_integer(report.existing, lang),
                rejected=format_integer(len(report.rejected), lang),
            )
        )
        st.rerun()
