"""Data freshness: the latest write the figures include, never a timestamp after now."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import Session

from core import clock
from core.freshness import latest_write
from models import Mission, MissionKind


def _mission(name: str, created_at: datetime) -> dict:
    return {
        "name": name,
        "kind": MissionKind.TRADE_FAIR,
        "starts_on": date(2027, 6, 10),
        "ends_on": date(2027, 6, 12),
        "country_iso2": "AE",
        "is_demo": False,
        "created_at": created_at,
    }


def test_a_timestamp_after_now_never_makes_the_data_look_fresher(ref_engine, monkeypatch):
    with Session(ref_engine) as s:
        assert latest_write(s) is None  # nothing written yet
        # Plain inserts (as the demo's bulk load writes): no audit entry, only the row's stamp.
        s.execute(
            sa.insert(Mission),
            [
                _mission("Salon passé", datetime(2026, 11, 30, 8, 0, tzinfo=UTC)),
                _mission("Salon planifié", datetime(2027, 2, 15, 9, 0, tzinfo=UTC)),
            ],
        )
        s.commit()
        monkeypatch.setattr(clock, "utc_now", lambda: datetime(2026, 12, 3, 12, 0, tzinfo=UTC))
        assert latest_write(s) == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
        # Once that moment has come, it counts.
        monkeypatch.setattr(clock, "utc_now", lambda: datetime(2027, 3, 1, 12, 0, tzinfo=UTC))
        assert latest_write(s) == datetime(2027, 2, 15, 9, 0, tzinfo=UTC)
