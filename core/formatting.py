"""Numbers, money, percentages and dates in the interface language, through babel (CLDR).

French output uses the narrow no-break space as thousands separator (``1 234,5``) and a
no-break space before units (``12,5 M €``, ``103 %``): what CLDR says, never hand-typed.

babel parses the locale (``Locale.parse``) and the pattern again on every call: 15-60 µs a
figure, most of a page's time where it formats thousands of them (the presentation's set-up).
So locales and patterns are parsed once and handed to babel ready, and the texts of plain
``int``, ``float`` and ``date`` values are memoised (``_memoised``); babel's output is
unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime, format_skeleton, get_timezone
from babel.numbers import (
    NumberPattern,
    format_compact_currency,
    format_currency,
    format_decimal,
    parse_pattern,
)

#: Amounts from this size on are written compactly ("12,5 M €" rather than "12 500 000 €").
COMPACT_FROM_EUR = 100_000
NO_VALUE = "—"
#: Texts memoised per function: a page's figures and a table's columns, a few MB at most.
MEMO_SIZE = 16_384


# ---------------------------------------------------------------------------------------------
# Parsed once, then only read (shared by every session's thread)
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


@lru_cache(maxsize=16)
def _decimal_pattern(digits: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "#" * digits if digits > 0 else ""))


@lru_cache(maxsize=32)
def _percent_pattern(lang: str, digits: int) -> NumberPattern:
    pattern = parse_pattern(_locale(lang).percent_formats[None].pattern)
    pattern.frac_prec = (0, digits)
    return pattern


@lru_cache(maxsize=8)
def _whole_eur_pattern(lang: str) -> NumberPattern:
    """The locale's standard currency pattern without its cents (``#,##0 ¤`` in French)."""
    pattern = _locale(lang).currency_formats["standard"].pattern.split(";")[0]
    return parse_pattern(pattern.replace(".00", ""))


def _memoised(text_of: Callable[..., str]) -> Callable[..., str]:
    """``text_of(value, *options)``, memoised where equal values always give the same text.

    That holds for ``int``, ``date`` and ``float`` but for two floats: ``-0.0 == 0.0`` yet
    babel writes ``-0`` and ``0``, and NaN equals nothing. Other types (bool, numpy, Decimal,
    datetime, whose day depends on its zone) are formatted each time. Types are part of the
    key, so ``1`` and ``1.0`` are memoised apart.
    """
    memo = lru_cache(maxsize=MEMO_SIZE, typed=True)(text_of)

    def text(value: object, *options: object) -> str:
        kind = type(value)
        if kind is int or kind is date or (kind is float and value == value and value != 0):
            return memo(value, *options)
        return text_of(value, *options)

    text.cache_info = memo.cache_info  # type: ignore[attr-defined]
    return text


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------


@_memoised
def _number(value: float | int, lang: str, digits: int) -> str:
    return format_decimal(value, format=_decimal_pattern(digits), locale=_locale(lang))


@_memoised
def _eur(value: float | int, lang: str) -> str:
    locale = _locale(lang)
    if abs(value) >= COMPACT_FROM_EUR:
        return format_compact_currency(value, "EUR", locale=locale, fraction_digits=1)
    pattern = _whole_eur_pattern(lang)
    return format_currency(value, "EUR", format=pattern, locale=locale, currency_digits=False)


@_memoised
def _percent(ratio: float, lang: str, digits: int) -> str:
    return _percent_pattern(lang, digits).apply(ratio, _locale(lang))


def format_number(value: float | int | None, lang: str, *, digits: int = 1) -> str:
    """A number with at most ``digits`` decimals: ``1234.5`` -> ``1 234,5`` in French."""
    if value is None:
        return NO_VALUE
    return _number(value, lang, digits)


def format_integer(value: int | None, lang: str) -> str:
    return format_number(value, lang, digits=0)


def format_eur(value: float | int | None, lang: str) -> str:
    """Euros: compact from ``COMPACT_FROM_EUR`` on (``12,5 M €``), else whole euros."""
    if value is None:
        return NO_VALUE
    return _eur(value, lang)


def format_percent(ratio: float | None, lang: str, *, digits: int = 0, signed: bool = False) -> str:
    """A ratio as a percentage: ``1.034`` -> ``103 %`` in French, ``103%`` in English;
    ``signed`` puts a ``+`` before a rise (a fall has its minus already)."""
    if ratio is None:
        return NO_VALUE
    text = _percent(ratio, lang, digits)
    return f"+{text}" if signed and ratio > 0 else text


def format_delta(value: float | int | None, lang: str, *, digits: int = 0) -> str:
    """A change with its sign: ``+12``, ``-3``, ``0``; ``None`` stays ``None`` (no change shown).

    The minus is the locale's minus sign (a hyphen-minus in French and English), which is
    also what ``st.metric`` reads to point the arrow down.
    """
    if value is None:
        return NO_VALUE
    text = format_number(abs(value), lang, digits=digits)
    if value > 0:
        return "+" + text
    if value < 0:
        return "-" + text
    return text


def format_delta_eur(value: float | int | None, lang: str) -> str:
    if value is None:
        return NO_VALUE
    text = format_eur(abs(value), lang)
    return ("+" if value > 0 else "-" if value < 0 else "") + text


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


@_memoised
def _day(value: date, lang: str) -> str:
    return babel_format_date(value, format="medium", locale=_locale(lang))


@_memoised
def _month(value: date, lang: str) -> str:
    return format_skeleton("yMMM", value, locale=_locale(lang))


def format_day(value: date | None, lang: str) -> str:
    """A date in medium form: ``28 nov. 2026`` / ``Nov 28, 2026``."""
    if value is None:
        return NO_VALUE
    return _day(value, lang)


def format_month(value: date | None, lang: str) -> str:
    """A month: ``nov. 2026`` / ``Nov 2026``."""
    if value is None:
        return NO_VALUE
    return _month(value, lang)


def format_period(start: date, end: date, lang: str) -> str:
    """``28 nov. 2025 – 27 nov. 2026`` (an en dash between two medium dates)."""
    return f"{format_day(start, lang)} – {format_day(end, lang)}"


def format_moment(value: datetime | None, lang: str) -> str:
    """A day and an hour of Paris: ``28 nov. 2026, 14:05`` / ``Nov 28, 2026, 14:05``."""
    if value is None:
        return NO_VALUE
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(get_timezone("Europe/Paris"))
    return f"{format_day(local.date(), lang)}, {format_time(value, lang)}"


def format_time(value: datetime | None, lang: str) -> str:
    """A moment as the hour and minute of Paris ("14:05"), e.g. the end of an account lock."""
    if value is None:
        return NO_VALUE
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return format_datetime(
        value, "HH:mm", tzinfo=get_timezone("Europe/Paris"), locale=_locale(lang)
    )
