"""Data freshness: the moment of the latest write the dashboards' figures include.

One query of a few MAX() (the audit trail's, and each counted table's own timestamp, since
the demo generator's and the importer's bulk inserts leave no audit entry), the largest
taken: "données au 2 décembre 2026 à 14:05", in the territory's time zone (``core.clock``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session

from core import clock
from models import (
    AuditEntry,
    CheckIn,
    Claim,
    Interaction,
    Mission,
    Organisation,
    Project,
    StageChange,
    TrendNote,
)

#: The timestamp of each table the figures are counted from.
STAMPS = (
    AuditEntry.at,
    Project.updated_at,
    StageChange.recorded_at,
    Interaction.created_at,
    Mission.created_at,
    Organisation.updated_at,
    CheckIn.recorded_at,
    Claim.updated_at,
    TrendNote.created_at,
)


def _aware(value: datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite's MAX over a text column
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def latest_write(session: Session) -> datetime | None:
    """The latest of the tables' timestamps up to now (aware, UTC); None for an empty database.
    A timestamp after now is no write that happened (a clock ahead, a row dated by hand): it
    never makes the data look fresher than they are."""
    now = clock.utc_now()
    row = session.execute(
        sa.select(*(sa.select(sa.func.max(c)).where(c <= now).scalar_subquery() for c in STAMPS))
    ).one()
    stamps = [s for s in (_aware(v) for v in row) if s is not None]
    return max(stamps) if stamps else None
