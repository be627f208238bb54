"""The Overview's trend with a mission and an administrator's note on it, in the period the
Overview shows by default: the current year to date (``core.clock.today()``), whatever day the
tests run. Everything falls in the current month, so that it is in that period even on
1 January: a meeting on the month's first day (the trend draws only with some activity), a
mission starting that day, and a note dated today. The month's mark is then "M+N" and its
tooltip lists both, by date."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from core import records
from core.formatting import format_day
from core.trend_notes import create_note
from models import (
    InteractionCreate,
    InteractionKind,
    MissionCreate,
    MissionKind,
    OrganisationCreate,
    TrendNoteCreate,
)

MISSION = "Mission Inde — Bangalore"
NOTE = "Ouverture du consulat indien"


def build_trend_marks(session: Session, today: date) -> None:
    first = today.replace(day=1)
    org = records.create_organisation(
        session=session, data=OrganisationCreate(name="Nordwind AS", hq_country_iso2="NO"),
        author="test",
    )  # fmt: skip
    records.create_interaction(
        session=session,
        data=InteractionCreate(occurred_on=first, kind=InteractionKind.MEETING,
                               organisation_id=org.id, author="alice"),
    )  # fmt: skip
    records.create_mission(
        session=session,
        data=MissionCreate(name=MISSION, kind=MissionKind.OUTBOUND, starts_on=first,
                           ends_on=first, city="Bengaluru", country_iso2="IN"),
        author="test",
    )  # fmt: skip
    create_note(session=session, data=TrendNoteCreate(noted_on=today, text=NOTE), author="Anne")


def expected_tooltip(today: date, lang: str) -> list[str]:
    """The month's tooltip lines: the mission (first of the month), then the note (today)."""
    first = today.replace(day=1)
    colon = " : " if lang == "fr" else ": "  # French typography: a space before the colon
    return [
        f"{format_day(first, lang)} — Mission{colon}{MISSION}",
        f"{format_day(today, lang)} — Note{colon}{NOTE}",
    ]
