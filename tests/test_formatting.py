"""Formats compared with babel's own output (narrow no-break spaces and all)."""

from __future__ import annotations

from datetime import UTC, date

from babel.dates import format_date
from babel.numbers import format_compact_currency, format_decimal

from core.formatting import (
    NO_VALUE,
    format_day,
    format_delta,
    format_delta_eur,
    format_eur,
    format_integer,
    format_month,
    format_number,
    format_percent,
    format_period,
)

NNBSP = "\u202f"  # narrow no-break space: CLDR's French thousands separator
NBSP = "\xa0"


def test_number_french_uses_babel_grouping():
    assert format_number(1234.5, "fr") == format_decimal(1234.5, locale="fr")
    assert format_number(1234.5, "fr") == f"1{NNBSP}234,5"
    assert format_number(1234.5, "en") == "1,234.5"


def test_number_rounds_to_the_digits_asked():
    assert format_number(2.346, "fr", digits=2) == "2,35"
    assert format_number(2.0, "fr") == "2"
    assert format_integer(1234567, "fr") == f"1{NNBSP}234{NNBSP}567"
    assert format_integer(None, "fr") == NO_VALUE


def test_large_amounts_in_euros_are_compact():
    expected_fr = format_compact_currency(12_500_000, "EUR", locale="fr", fraction_digits=1)
    assert format_eur(12_500_000, "fr") == expected_fr == f"12,5{NBSP}M{NBSP}€"
    assert format_eur(12_500_000, "en") == "€12.5M"
    assert format_eur(950_000, "fr") == f"950{NBSP}k{NBSP}€"


def test_small_amounts_in_whole_euros():
    assert format_eur(45_000, "fr") == f"45{NNBSP}000{NBSP}€"
    assert format_eur(45_000, "en") == "€45,000"
    assert format_eur(0, "fr") == f"0{NBSP}€"


def test_percentages():
    assert format_percent(1.034, "fr") == f"103{NBSP}%"
    assert format_percent(1.034, "en") == "103%"
    assert format_percent(0.4567, "fr", digits=1) == f"45,7{NBSP}%"
    assert format_percent(None, "fr") == NO_VALUE


def test_deltas_carry_their_sign():
    assert format_delta(12, "fr") == "+12"
    assert format_delta(-1234, "fr") == f"-1{NNBSP}234"
    assert format_delta(0, "en") == "0"
    assert format_delta_eur(-2_000_000, "fr") == f"-2{NBSP}M{NBSP}€"
    assert format_delta_eur(1_500_000, "en") == "+€1.5M"


def test_dates_and_months():
    day = date(2026, 11, 28)
    assert format_day(day, "fr") == format_date(day, "medium", locale="fr") == "28 nov. 2026"
    assert format_day(day, "en") == "Nov 28, 2026"
    assert format_month(day, "fr") == "nov. 2026"
    assert format_month(day, "en") == "Nov 2026"
    assert format_period(date(2026, 1, 1), day, "fr") == "1 janv. 2026 – 28 nov. 2026"


def test_signed_percent_marks_rises_only():
    from babel.numbers import format_percent as babel_percent

    from core.formatting import format_percent

    assert format_percent(0.25, "fr", signed=True) == "+" + babel_percent(0.25, locale="fr")
    assert format_percent(-0.25, "fr", signed=True) == babel_percent(-0.25, locale="fr")
    assert format_percent(0, "en", signed=True) == "0%"
    assert format_percent(None, "en", signed=True) == "—"


def test_memoised_texts_keep_what_babel_writes_for_equal_values():
    """Texts are memoised by value: values equal to each other yet written apart by babel
    (0.0 and -0.0; 1 and 1.0 are of two types; two zones' same instant on two days) each
    keep their own text, whichever comes first."""
    from datetime import datetime, timedelta, timezone

    for _ in range(2):  # the second round reads the memo
        assert format_number(-0.0, "fr") == format_decimal(-0.0, "#,##0.#", locale="fr") == "-0"
        assert format_number(0.0, "fr") == "0"
        assert format_number(-0.0, "en") == "-0"
        assert format_percent(-0.0, "fr") == f"-0{NBSP}%"
        assert format_percent(0.0, "fr") == f"0{NBSP}%"
        assert format_number(float("nan"), "en") == "NaN"
        assert format_number(1, "en", digits=2) == format_number(1.0, "en", digits=2) == "1"
        assert format_number(1234.5, "fr", digits=0) == f"1{NNBSP}234"
        assert format_number(1234.5, "fr", digits=1) == f"1{NNBSP}234,5"
        paris_new_year = datetime(2026, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1)))
        utc_same_instant = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
        assert paris_new_year == utc_same_instant
        assert format_day(paris_new_year, "fr") == "1 janv. 2026"
        assert format_day(utc_same_instant, "fr") == "31 déc. 2025"
        assert format_day(date(2025, 12, 31), "en") == "Dec 31, 2025"
        assert format_month(paris_new_year, "en") == "Jan 2026"
        assert format_month(utc_same_instant, "en") == "Dec 2025"
