"""Formats compared with babel's own output (narrow no-break spaces and all)."""

from __future__ import annotations

from datetime import date

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
