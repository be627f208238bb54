"""Why did it move? What the monthly trend is annotated with: the missions (drawn on their
start month automatically: missions count by start date everywhere) and the dated notes
administrators add ("closure of the X plant", "new consulate")."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core import measures
from core.errors import RuleError
from core.formatting import format_day
from core.i18n import t
from core.kpis import get_monthly_trend, query_frame
from core.periods import Period
from core.writes import write_transaction
from models import Mission, Role, TrendNote, TrendNoteCreate

log = logging.getLogger(__name__)

MARK_COLUMNS = ["on", "kind", "label", "mission_kind", "id"]


def mark_line(on: date, kind: str, label: str, lang: str) -> str:
    """One mark in words, as the chart's tooltip and the press kit's alternative text say it:
    "14 oct. 2024 — Mission : GITEX Dubai 2024" ("Oct 14, 2024 — Mission: …" in English)."""
    return t("trend.mark.line", lang, day=format_day(on, lang), kind=t(f"trend.mark.{kind}", lang),
             label=label)  # fmt: skip


def list_trend_marks(session: Session, period: Period) -> pd.DataFrame:
    """The marks of ``period``, by date: missions (kind "mission", on their start date) and
    notes (kind "note"). Columns: on, kind, label, mission_kind, id."""
    missions = sa.select(
        Mission.starts_on.label("on"),
        sa.literal("mission").label("kind"),
        Mission.name.label("label"),
        Mission.kind.label("mission_kind"),
        Mission.id.label("id"),
    ).where(measures.mission_in(period))
    notes = sa.select(
        TrendNote.noted_on.label("on"),
        sa.literal("note").label("kind"),
        TrendNote.text.label("label"),
        sa.null().label("mission_kind"),
        TrendNote.id.label("id"),
    ).where(measures.between(TrendNote.noted_on, period))
    union = sa.union_all(missions, notes).subquery()
    frame = query_frame(session, sa.select(union).order_by(union.c.on, union.c.kind, union.c.id))
    if frame.empty:
        return pd.DataFrame(columns=MARK_COLUMNS)
    frame["on"] = pd.to_datetime(frame["on"]).dt.date
    return frame[MARK_COLUMNS]


def trend_figures(session: Session, period: Period) -> dict[str, list[dict[str, Any]]]:
    """The monthly trend of ``period`` as the Overview draws it (whole portfolio, no filter:
    ``core.kpis.get_monthly_trend``) and its marks (``list_trend_marks``), JSON-ready: what the
    press kit's trend slide draws and what a snapshot freezes ("trend", "trend_marks")."""
    trend = get_monthly_trend(session, period)
    marks = list_trend_marks(session, period)
    return {
        "trend": [
            {"month": month.isoformat(), "projects_won": int(won), "meetings": int(met)}
            for month, won, met in zip(
                trend["month"], trend["projects_won"], trend["meetings"], strict=True
            )
        ],
        "trend_marks": [
            {"on": on.isoformat(), "kind": kind, "label": str(label)}
            for on, kind, label in zip(marks["on"], marks["kind"], marks["label"], strict=True)
        ],
    }


def list_notes(session: Session) -> pd.DataFrame:
    """Every note, the latest date first."""
    query = sa.select(
        TrendNote.id, TrendNote.noted_on, TrendNote.text, TrendNote.author, TrendNote.created_at
    ).order_by(TrendNote.noted_on.desc(), TrendNote.id.desc())
    return query_frame(session, query)


def create_note(*, session: Session, data: TrendNoteCreate, author: str) -> TrendNote:
    """A dated note on the trend. Administrators only. One transaction."""
    with write_transaction(session, Role.ADMIN, author):
        data = TrendNoteCreate.model_validate(data.model_dump())
        text = data.text.strip()
        if not text:
            raise RuleError("rule.note.empty", field="text")
        row = TrendNote(noted_on=data.noted_on, text=text, author=author)
        session.add(row)
        session.flush()
        session.refresh(row)
    log.info("trend note %s added by %s", row.id, author)
    return row


def delete_note(*, session: Session, note_id: int, author: str) -> None:
    """Remove a note (the audit trail keeps it). Administrators only."""
    with write_transaction(session, Role.ADMIN, author):
        row = session.get(TrendNote, note_id)
        if row is None:
            raise LookupError(f"no trend note with id {note_id}")
        session.delete(row)
    log.info("trend note %s removed by %s", note_id, author)
