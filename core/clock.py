"""The territory's clock: the date and the moment where the agency works, not the server's.

Servers run on UTC: between midnight and 1 a.m. in Paris (2 a.m. in summer) the server's date
is still yesterday, and a decision recorded just after midnight on 1 January would land in the
old year. Every "today" that means a local date (periods, default dates, validation) comes from
``today()``; timestamps stored in the database stay UTC (``models.utcnow``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def territory_zone() -> ZoneInfo:
    """The ``TERRITORY_TIMEZONE`` setting (``Europe/Paris`` by default)."""
    from core.config import get_settings

    return zone(get_settings().territory_timezone)


def utc_now() -> datetime:
    """The current instant (aware, UTC): the one place tests move the clock."""
    return datetime.now(UTC)


def now(instant: datetime | None = None) -> datetime:
    """``instant`` (default: now) as the territory's wall-clock time, timezone-aware. A naive
    ``instant`` is taken as UTC, as the database stores it."""
    instant = instant or utc_now()
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(territory_zone())


def today(instant: datetime | None = None) -> date:
    """The territory's date at ``instant`` (default: now): 2026-12-31T23:30Z is 2027-01-01 in
    Paris."""
    return now(instant).date()
