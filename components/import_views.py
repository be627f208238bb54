"""Import a spreadsheet of organisations, people or meetings: what the file is (and, for
people, the mission they were met at, their source and lawful basis), the columns, the dry run
row by row with its totals, the choices of look-alike organisations, the import (the valid
rows, or all or nothing) with a progress bar, and the rows not imported as CSV or Excel."""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from components.auth import current_user
from components.db import get_engine_for
from components.forms import flash
from components.readers import read_filter_options
from components.tables import render_table
from core.errors import RuleError
from core.formatting import format_integer
from core.i18n import enum_label, t
from core.importing import (
    ALIASES,
    KINDS,
    ImportPlan,
    apply_import,
    check_mapping,
    guess_mapping,
    plan_import,
    read_table,
    rejected_rows_file,
    row_status,
)
from core.permissions import AccessDenied, act_as
from models import LawfulBasis

NONE = ""
#: Look-alike organisations offered to choose on the page, at most (the others stay held).
CHOICES_SHOWN = 30
TOTALS = ("to_create", "organisations", "matched", "duplicates", "to_choose", "rejected")


def plan_table(plan: ImportPlan, lang: str) -> pd.DataFrame:
    """One line per row of the file: its line number, the record, what will happen."""
    rows = []
    for row in plan.rows:
        first = next((v for v in row.values.values() if v), "")
        if plan.kind == "people":
            first = " ".join(v for v in (row.values.get("first_name"), row.values.get(
                "last_name")) if v) or first  # fmt: skip
        rows.append([row.line, first, row_status(row, lang)])
    columns = [t(f"import.col.{c}", lang) for c in ("line", "record", "status")]
    return pd.DataFrame(rows, columns=columns)


def _options(kind: str, lang: str, file_name: str, db_url: str) -> dict[str, Any]:
    """The mission, source and lawful basis of a people file."""
    if kind != "people":
        return {}
    missions = read_filter_options(db_url)["missions"]
    left, middle, right = st.columns(3)
    mission = left.selectbox(
        t("import.mission", lang),
        options=list(missions),
        format_func=lambda i: missions.get(i, str(i)),
        index=None,
        placeholder=t("import.mission_none", lang),
        key="import_mission",
    )
    default = (
        missions[mission].rsplit(" (", 1)[0]
        if mission
        else t("import.source_default", lang, file=file_name)
    )
    source = middle.text_input(
        t("import.source", lang),
        key="import_source",
        placeholder=default,
        help=t("import.source_help", lang),
        max_chars=200,
    )
    basis = right.selectbox(
        t("import.lawful_basis", lang),
        options=list(LawfulBasis),
        format_func=lambda b: enum_label(b, lang),
        key="import_basis",
    )
    return {"mission_id": mission, "source": source.strip() or default, "lawful_basis": basis}


def _mapping(table: Any, kind: str, lang: str) -> dict[str, str]:
    st.subheader(t("import.mapping", lang))
    guessed = guess_mapping(table.headers, kind)
    mapping: dict[str, str] = {}
    columns = st.columns(3)
    for i, name in enumerate(ALIASES[kind]):
        options = [NONE, *[h for h in table.headers if h]]
        chosen = columns[i % 3].selectbox(
            t(f"import.field.{name}", lang),
            options=options,
            index=options.index(guessed.get(name, NONE)),
            format_func=lambda h: h or t("import.unmapped", lang),
            key=f"import_map_{kind}_{name}",
        )
        if chosen:
            mapping[name] = chosen
    return mapping


def _choices(plan: ImportPlan, lang: str) -> dict[str, int | None]:
    """The user's choice for each organisation held (a candidate's id, or 0 for a new one)."""
    chosen: dict[str, int | None] = {}
    if not plan.held:
        return chosen
    st.subheader(t("import.choose_title", lang))
    st.caption(t("import.choose_help", lang))
    for n, held in enumerate(list(plan.held.values())[:CHOICES_SHOWN]):
        names = {c[0]: f"{c[1]} (#{c[0]}, {c[2] or '?'})" for c in held.candidates}
        names[0] = t("import.choose_new", lang, name=held.name)
        lines = ", ".join(str(line) for line in held.lines[:10])
        value = st.selectbox(
            t("import.choose_label", lang, value=held.name, lines=lines),
            options=list(names),
            format_func=lambda i, names=names: names[i],
            index=None,
            placeholder=t("import.choose_placeholder", lang),
            key=f"import_choose_{hashlib.sha1(held.key.encode()).hexdigest()[:12]}_{n}",
        )
        if value is not None:
            chosen[held.key] = value
    return chosen


def _plan(
    engine: Any, table: Any, mapping: dict, kind: str, options: dict, choices: dict, lang: str
):
    """The dry run, kept while the file, columns, options and choices stay the same."""
    signature = repr((id(table), sorted(mapping.items()), kind, options, sorted(choices.items())))
    kept = st.session_state.get("import_plan_cache")
    if kept and kept[0] == signature:
        return kept[1]
    bar = st.progress(0.0, text=t("import.checking", lang))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=t("import.checked", lang, done=done, total=total))

    with Session(engine) as session:
        plan = plan_import(
            session, table, mapping, kind, choices=choices, progress=progress, **options
        )
    bar.empty()
    st.session_state["import_plan_cache"] = (signature, plan)
    return plan


def _table(data: bytes, name: str) -> Any:
    """The file read once per upload (the same bytes give the same table object)."""
    digest = hashlib.sha256(data).hexdigest()
    kept = st.session_state.get("import_table_cache")
    if kept and kept[0] == (digest, name):
        return kept[1]
    table = read_table(data, name)
    st.session_state["import_table_cache"] = ((digest, name), table)
    return table


def _totals(plan: ImportPlan, lang: str) -> None:
    figures = plan.totals()
    shown = TOTALS if plan.kind != "organisations" else ("to_create", "duplicates", "rejected")
    for column, what in zip(st.columns(len(shown)), shown, strict=True):
        column.metric(t(f"import.total.{what}", lang), format_integer(figures[what], lang))
    if plan.mission_id is not None:
        st.caption(t("import.attendances", lang, n=format_integer(figures["attendances"], lang)))


def _downloads(table: Any, plan: ImportPlan, upload: Any, lang: str) -> None:
    if not (plan.count("rejected") or plan.count("choose")):
        return
    stem = upload.name.rsplit(".", 1)[0]
    left, right = st.columns(2)
    left.download_button(
        t("import.download_rejected", lang),
        data=rejected_rows_file(table, plan, lang, "csv"),
        file_name=f"{t('import.rejected_file', lang)}-{stem}.csv",
        mime="text/csv",
        key="import_rejected",
        on_click="ignore",
    )
    right.download_button(
        t("import.download_rejected_xlsx", lang),
        data=rejected_rows_file(table, plan, lang, "xlsx"),
        file_name=f"{t('import.rejected_file', lang)}-{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="import_rejected_xlsx",
        on_click="ignore",
    )


def render_import(ctx: Any, author: str | None) -> None:
    lang, db_url = ctx.lang, ctx.db_url
    kind = st.radio(
        t("import.kind", lang),
        options=list(KINDS),
        format_func=lambda k: t(f"import.kind.{k}", lang),
        horizontal=True,
        index=1,
        key="import_kind",
    )
    upload = st.file_uploader(
        t("import.file", lang), type=["csv", "xlsx"], key="import_file", help=t("import.help", lang)
    )
    options = _options(kind, lang, upload.name if upload else "", db_url)
    if upload is None:
        return
    try:
        table = _table(upload.getvalue(), upload.name)
        mapping = _mapping(table, kind, lang)
        check_mapping(mapping, kind)
    except RuleError as error:  # not a spreadsheet, empty, no header...: say which
        st.error(error.message(lang))
        return
    st.caption(t("import.read", lang, rows=format_integer(len(table.rows), lang)))
    engine = get_engine_for(db_url)
    plan = _plan(engine, table, mapping, kind, options, {}, lang)
    choices = _choices(plan, lang)
    if choices:
        plan = _plan(engine, table, mapping, kind, options, choices, lang)
    st.subheader(t("import.dry_run", lang))
    _totals(plan, lang)
    render_table(plan_table(plan, lang), lang, key="import_plan")
    _downloads(table, plan, upload, lang)
    if author is None:
        st.info(t("form.error.author", lang))
        return
    figures = plan.totals()
    if not (figures["to_create"] or figures["attendances"]):
        return
    mode = st.radio(
        t("import.mode", lang),
        options=["valid", "all"],
        format_func=lambda m: t(f"import.mode.{m}", lang),
        horizontal=True,
        key="import_mode",
    )
    if st.button(
        t("import.go", lang, n=format_integer(figures["to_create"], lang)),
        type="primary",
        key="import_go",
    ):
        _run(engine, plan, author, mode == "all", lang)


def _run(engine: Any, plan: ImportPlan, author: str, all_or_nothing: bool, lang: str) -> None:
    bar = st.progress(0.0, text=t("import.writing", lang))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=t("import.written", lang, done=done, total=total))

    try:
        with Session(engine) as session:
            report = apply_import(
                act_as(session, current_user()),
                plan,
                author=author,
                all_or_nothing=all_or_nothing,
                progress=progress,
            )
    except AccessDenied:  # the role was lowered since the page opened: nothing written
        st.error(t("form.error.forbidden", lang))
        return
    except RuleError as error:  # all or nothing, and some rows are not valid
        st.error(error.message(lang))
        return
    except Exception:  # the database refused a batch: say so
        st.cache_data.clear()
        st.error(t("import.failed", lang))
        return
    st.cache_data.clear()
    st.session_state.pop("import_plan_cache", None)
    n = {k: format_integer(v, lang) for k, v in vars(report).items() if isinstance(v, int)}
    key = "import.done_people" if plan.kind == "people" else "import.done"
    flash(t(key, lang, rejected=format_integer(len(report.rejected), lang), **n))
    st.rerun()
