"""Reporting periods: closed date ranges, with the previous period of the same length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("period end is before its start")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_calendar_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (
            1,
            1,
            12,
            31,
        ) and (self.start.year == self.end.year)

    def previous(self) -> Period:
        """The period just before: the previous year for a calendar year, else the same
        number of days ending the day before ``start``."""
        if self.is_calendar_year:
            return year_period(self.start.year - 1)
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def year_to_date(today: date) -> Period:
    return Period(date(today.year, 1, 1), today)


def last_12_months(today: date) -> Period:
    """The 365 days ending today (today included)."""
    return Period(today - timedelta(days=364), today)
