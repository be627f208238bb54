from datetime import date

import pytest

from core.periods import Period, last_12_months, last_years, year_period, year_to_date


def test_calendar_year_is_compared_with_the_year_before():
    assert year_period(2025).previous() == Period(date(2024, 1, 1), date(2024, 12, 31))
    assert year_period(2025).is_calendar_year
    assert year_period(2025).days == 365


def test_year_to_date_is_compared_with_the_same_dates_a_year_earlier():
    ytd = year_to_date(date(2026, 11, 28))
    assert ytd == Period(date(2026, 1, 1), date(2026, 11, 28))
    assert not ytd.is_calendar_year
    assert ytd.previous() == Period(date(2025, 1, 1), date(2025, 11, 28))


def test_29_february_maps_to_28_february():
    assert year_to_date(date(2024, 2, 29)).previous() == Period(date(2023, 1, 1), date(2023, 2, 28))


def test_other_periods_compare_with_the_same_number_of_days_just_before():
    q4 = Period(date(2024, 10, 1), date(2024, 12, 31))
    assert q4.days == 92
    assert q4.previous() == Period(date(2024, 7, 1), date(2024, 9, 30))
    one_day = Period(date(2025, 3, 1), date(2025, 3, 1))
    assert one_day.previous() == Period(date(2025, 2, 28), date(2025, 2, 28))


def test_last_12_months_has_365_days_ending_today():
    assert last_12_months(date(2026, 11, 28)) == Period(date(2025, 11, 29), date(2026, 11, 28))


def test_end_before_start_is_rejected():
    with pytest.raises(ValueError, match="before its start"):
        Period(date(2025, 1, 2), date(2025, 1, 1))


def test_last_five_years_starts_on_the_same_date():
    assert last_years(date(2026, 11, 28), 5) == Period(date(2021, 11, 28), date(2026, 11, 28))
    assert last_years(date(2028, 2, 29), 5) == Period(date(2023, 2, 28), date(2028, 2, 29))
