"""Frozen figures (admins): freeze a period's figures, browse the snapshots, and see where the
live figures now differ from what was announced."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from components.db import get_engine_for
from components.forms import flash, generation, next_generation, run_write, show_error
from components.readers import read_country_names, read_sector_labels
from components.tables import date_format, render_table
from core.formatting import (
    format_eur,
    format_integer,
    format_moment,
    format_number,
    format_percent,
    format_period,
)
from core.i18n import t
from core.periods import Period, year_period
from core.snapshots import compare_with_live, explain_differences, freeze, list_snapshots
from models import KpiSnapshot

FORM = "freeze"
GROUPS = (
    "headline", "previous", "targets", "sectors", "countries", "india", "performance",
    "results",  # since catalogue 1.3
)  # fmt: skip


@st.cache_data(show_spinner=False)
def read_snapshots(db_url: str) -> list[dict[str, Any]]:
    with Session(get_engine_for(db_url)) as session:
        return [s.model_dump() for s in list_snapshots(session)]


@st.cache_data(show_spinner=False)
def read_differences(db_url: str, snapshot_id: int, today: date) -> pd.DataFrame:
    with Session(get_engine_for(db_url)) as session:
        snapshot = session.get(KpiSnapshot, snapshot_id)
        gaps = compare_with_live(session, snapshot, today=today)
        gaps["reason"] = explain_differences(session, snapshot, gaps)
        return gaps


def figure_label(key: str, lang: str, sectors: dict[str, str], countries: dict[str, str]) -> str:
    """A readable name for a flattened figure key ("sectors.digital.won" -> "Secteurs ·
    Numérique · Projets gagnés")."""
    group, *rest = key.split(".")
    parts = [t(f"snapshot.group.{group}", lang)]
    if group in ("sectors", "countries", "india"):
        subject, name = rest
        names = {"sectors": sectors, "countries": countries}.get(group, {})
        if group == "india":
            parts += [t(f"snapshot.fig.{subject}", lang), t(f"snapshot.side.{name}", lang)]
        else:
            parts += [names.get(subject, subject), t(f"snapshot.fig.{name}", lang)]
    else:
        parts.append(t(f"snapshot.fig.{rest[0]}", lang))
    return " · ".join(parts)


def _value(key: str, value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if key.endswith("realisation_rate"):  # catalogue 1.3: verified over announced
        return format_percent(value, lang)
    if key.endswith(("_eur", "capex_disclosed")):
        return format_eur(value, lang)
    if isinstance(value, float):  # a median or a ratio (catalogue 1.2's figures)
        return format_number(value, lang, digits=1)
    return format_integer(value, lang)


def render_freeze_form(ctx: Any) -> None:
    lang, gen = ctx.lang, generation(FORM)
    errors: dict[str, str] = {}
    last_year = ctx.today.year - 1
    with st.form(f"{FORM}_{gen}", enter_to_submit=False):
        label = st.text_input(
            t("snapshot.label", lang) + " *",
            value=t("snapshot.label.default", lang, year=last_year),
            max_chars=160,
        )
        kind = st.radio(
            t("snapshot.period", lang),
            ("year", "custom"),
            format_func=lambda k: t(f"snapshot.period.{k}", lang),
            horizontal=True,
        )
        left, middle, right = st.columns(3)
        year = left.number_input(
            t("snapshot.year", lang), min_value=2000, max_value=2100, value=last_year, step=1
        )
        start = middle.date_input(
            t("snapshot.start", lang), date(last_year, 1, 1), format=date_format(lang)
        )
        end = right.date_input(
            t("snapshot.end", lang), date(last_year, 12, 31), format=date_format(lang)
        )
        note = st.text_area(t("snapshot.note", lang), max_chars=1000)
        submitted = st.form_submit_button(t("snapshot.submit", lang), type="primary")
    if submitted:
        if not (label or "").strip():
            errors["label"] = t("form.error.missing", lang)
        elif kind == "custom" and end < start:
            errors["period"] = t("snapshot.error.period", lang)
        else:
            period = year_period(int(year)) if kind == "year" else Period(start, end)
            done = run_write(
                lambda s: freeze(
                    s, label=label, period=period, home_country=ctx.settings.territory_country,
                    today=ctx.today, note=note,
                ),
                ctx.db_url,
                lang,
                errors,
            )  # fmt: skip
            if done is not None:
                next_generation(FORM)
                flash(t("snapshot.saved", lang, label=done.label))
                st.rerun()
    show_error(errors, "label")
    show_error(errors, "period")
    show_error(errors, "")


def snapshots_table(snapshots: list[dict[str, Any]], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("snapshot.col.label", lang): [s["label"] for s in snapshots],
            t("snapshot.col.period", lang): [
                format_period(s["period_start"], s["period_end"], lang) for s in snapshots
            ],
            t("snapshot.col.version", lang): [s["definitions_version"] for s in snapshots],
            t("snapshot.col.frozen_at", lang): [
                format_moment(s["frozen_at"], lang) for s in snapshots
            ],
            t("snapshot.col.frozen_by", lang): [s["frozen_by"] for s in snapshots],
            t("snapshot.col.note", lang): [s["note"] or "" for s in snapshots],
        }
    )


def headline_table(figures: dict[str, Any], lang: str) -> pd.DataFrame:
    """The snapshot's headline figures beside the previous period's and the year's target."""
    headline, previous = figures["headline"], figures["previous"]
    targets = figures.get("targets", {})
    target_of = {"capex_disclosed_eur": "capex_disclosed"}
    rows = []
    for name, value in headline.items():
        target = targets.get(target_of.get(name, name))
        rows.append(
            (
                t(f"snapshot.fig.{name}", lang),
                _value(name, value, lang),
                _value(name, previous.get(name), lang),
                _value(name, target, lang) if target is not None else "",
            )
        )
    # Since catalogue 1.2 (older snapshots have none): frozen for the period only.
    target_of_performance = {"missions_held": "missions"}
    for name, value in figures.get("performance", {}).items():
        target = targets.get(target_of_performance.get(name, ""))
        rows.append(
            (
                t(f"snapshot.fig.{name}", lang),
                _value(name, value, lang),
                "",
                _value(name, target, lang) if target is not None else "",
            )
        )
    # Since catalogue 1.3 (older snapshots have none): verified to the freeze date.
    for name, value in figures.get("results", {}).items():
        rows.append((t(f"snapshot.fig.{name}", lang), _value(name, value, lang), "", ""))
    columns = [t(f"snapshot.col.{c}", lang) for c in ("figure", "frozen", "previous", "target")]
    return pd.DataFrame(rows, columns=columns)


def differences_table(
    gaps: pd.DataFrame, lang: str, sectors: dict[str, str], countries: dict[str, str]
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("snapshot.col.figure", lang): [
                figure_label(k, lang, sectors, countries) for k in gaps["figure"]
            ],
            t("snapshot.col.frozen", lang): [
                _value(k, v, lang) for k, v in zip(gaps["figure"], gaps["frozen"], strict=True)
            ],
            t("snapshot.col.live", lang): [
                _value(k, v, lang) for k, v in zip(gaps["figure"], gaps["live"], strict=True)
            ],
            t("snapshot.col.difference", lang): [
                ("+" if v is not None and v > 0 else "") + _value(k, v, lang)
                for k, v in zip(gaps["figure"], gaps["difference"], strict=True)
            ],
            t("snapshot.col.reason", lang): [
                t(f"snapshot.reason.{key}", lang, **params)
                for key, params in gaps.get("reason", [("data", {})] * len(gaps))
            ],
        }
    )


def pick_snapshot(
    snapshots: list[dict[str, Any]], lang: str, label: str, *, key: str
) -> dict[str, Any]:
    """A select box of the snapshots (label and period); the one chosen."""
    by_id = {s["id"]: s for s in snapshots}
    chosen = st.selectbox(
        label,
        list(by_id),
        format_func=lambda i: (
            f"{by_id[i]['label']} — "
            + format_period(by_id[i]["period_start"], by_id[i]["period_end"], lang)
        ),
        key=key,
    )
    return by_id[chosen]


def render_snapshots(ctx: Any) -> None:
    lang, db_url = ctx.lang, ctx.db_url
    snapshots = read_snapshots(db_url)
    st.subheader(t("snapshot.list", lang))
    if not snapshots:
        st.info(t("snapshot.none", lang))
        return
    render_table(snapshots_table(snapshots, lang), lang, key="snapshots_table")
    snapshot = pick_snapshot(snapshots, lang, t("snapshot.choose", lang), key="snapshot_chosen")
    chosen = snapshot["id"]
    st.caption(
        t(
            "snapshot.caption",
            lang,
            version=snapshot["definitions_version"],
            at=format_moment(snapshot["frozen_at"], lang),
            by=snapshot["frozen_by"],
        )
    )
    st.dataframe(headline_table(snapshot["figures"], lang), hide_index=True, key="snapshot_head")
    st.download_button(
        t("snapshot.download", lang),
        data=json.dumps(
            {k: v for k, v in snapshot.items() if k != "is_demo"},
            ensure_ascii=False,
            indent=1,
            default=str,
        ).encode("utf-8"),
        file_name=f"snapshot-{snapshot['id']}.json",
        mime="application/json",
        key="snapshot_download",
        on_click="ignore",
    )
    st.subheader(t("snapshot.live", lang))
    gaps = read_differences(db_url, chosen, ctx.today)
    if gaps.empty:
        st.success(t("snapshot.same", lang))
        return
    st.warning(t("snapshot.differs", lang, n=format_integer(len(gaps), lang)))
    sectors, countries = read_sector_labels(db_url, lang), read_country_names(db_url, lang)
    render_table(
        differences_table(gaps, lang, sectors, countries), lang, key="snapshot_differences"
    )
