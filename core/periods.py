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
        """The period this one is compared with.

        A period starting on 1 January and ending in the same year (a calendar year, or a year
        to date) is compared with the same dates one year earlier (29 February becomes the
        28th); any other period with the same number of days ending the day before ``start``.
        """
        if (self.start.month, self.start.day) == (1, 1) and self.end.year == self.start.year:
            return Period(_year_before(self.start), _year_before(self.end))
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)


def as_date(value: object) -> date | None:
    """A date read from a computed column (a UNION, a CASE): SQLite gives its text back."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _year_before(day: date, years: int = 1) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def year_to_date(today: date) -> Period:
    return Period(date(today.year, 1, 1), today)


def last_12_months(today: date) -> Period:
    """The 365 days ending today (today included)."""
    return Period(today - timedelta(days=364), today)


def last_years(today: date, years: int) -> Period:
    """From the same date ``years`` years ago to today (the "five years" question)."""
    return Period(_year_before(today, years), today)


def calendar_months(period: Period) -> list[date]:
    """The first day of each calendar month overlapping ``period``."""
    months, year, month = [], period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_end(first: date) -> date:
    """The last day of the month of ``first``."""
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def whole_months(period: Period) -> list[date]:
    """The first day of each calendar month lying wholly inside ``period``."""
    return [m for m in calendar_months(period) if m >= period.start and month_end(m) <= period.end]
