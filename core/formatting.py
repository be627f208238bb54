"""Numbers, money, percentages and dates in the interface language, through babel (CLDR).

French output uses the narrow no-break space as thousands separator (``1 234,5``) and a
no-break space before units (``12,5 M €``, ``103 %``): what CLDR says, never hand-typed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime, format_skeleton, get_timezone
from babel.numbers import (
    format_compact_currency,
    format_currency,
    format_decimal,
    parse_pattern,
)

#: Amounts from this size on are written compactly ("12,5 M €" rather than "12 500 000 €").
COMPACT_FROM_EUR = 100_000
NO_VALUE = "—"


def format_number(value: float | int | None, lang: str, *, digits: int = 1) -> str:
    """A number with at most ``digits`` decimals: ``1234.5`` -> ``1 234,5`` in French."""
    if value is None:
        return NO_VALUE
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=lang)


def format_integer(value: int | None, lang: str) -> str:
    return format_number(value, lang, digits=0)


def format_eur(value: float | int | None, lang: str) -> str:
    """Euros: compact from ``COMPACT_FROM_EUR`` on (``12,5 M €``), else whole euros."""
    if value is None:
        return NO_VALUE
    if abs(value) >= COMPACT_FROM_EUR:
        return format_compact_currency(value, "EUR", locale=lang, fraction_digits=1)
    pattern = Locale.parse(lang).currency_formats["standard"].pattern.split(";")[0]
    pattern = pattern.replace(".00", "")
    return format_currency(value, "EUR", format=pattern, locale=lang, currency_digits=False)


def format_percent(ratio: float | None, lang: str, *, digits: int = 0, signed: bool = False) -> str:
    """A ratio as a percentage: ``1.034`` -> ``103 %`` in French, ``103%`` in English;
    ``signed`` puts a ``+`` before a rise (a fall has its minus already)."""
    if ratio is None:
        return NO_VALUE
    pattern = parse_pattern(Locale.parse(lang).percent_formats[None].pattern)
    pattern.frac_prec = (0, digits)
    text = pattern.apply(ratio, Locale.parse(lang))
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


def format_day(value: date | None, lang: str) -> str:
    """A date in medium form: ``28 nov. 2026`` / ``Nov 28, 2026``."""
    if value is None:
        return NO_VALUE
    return babel_format_date(value, format="medium", locale=lang)


def format_month(value: date | None, lang: str) -> str:
    """A month: ``nov. 2026`` / ``Nov 2026``."""
    if value is None:
        return NO_VALUE
    return format_skeleton("yMMM", value, locale=lang)


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
    return format_datetime(value, "HH:mm", tzinfo=get_timezone("Europe/Paris"), locale=lang)
