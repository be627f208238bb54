"""Interface strings in French (the default) and English.

The catalogs are flat JSON files in ``core/locales/`` (``fr.json``, ``en.json``) holding the
same keys. ``t`` raises ``KeyError`` on a key missing from a catalog: the test suite checks
that both catalogs hold the same keys and that every key the code asks for exists, so a
missing string is caught before it reaches a screen instead of showing a raw key to a minister.
"""

from __future__ import annotations

import json
from enum import StrEnum
from functools import cache
from pathlib import Path

LANGUAGES: tuple[str, ...] = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"


@cache
def load_catalog(lang: str) -> dict[str, str]:
    """The catalog of one language: ``{key: text}``."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGUAGES}")
    with (LOCALES_DIR / f"{lang}.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def normalise_language(lang: str | None) -> str:
    """A supported language code: ``lang`` if supported, else the default (French)."""
    if lang and lang.lower() in LANGUAGES:
        return lang.lower()
    return DEFAULT_LANGUAGE


def has_key(key: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    return key in load_catalog(lang)


def t(key: str, lang: str, **kwargs: object) -> str:
    """The text of ``key`` in ``lang``, with ``{placeholders}`` filled from ``kwargs``.

    Raises ``ValueError`` for an unsupported language and ``KeyError`` for an unknown key.
    """
    text = load_catalog(lang)[key]
    return text.format(**kwargs) if kwargs else text


def enum_label(member: StrEnum, lang: str) -> str:
    """The label of an enum member, e.g. ``Stage.WON`` -> "Gagné"."""
    return t(f"enum.{type(member).__name__}.{member.value}", lang)


def enum_value_label(enum: type[StrEnum], value: str | None, lang: str) -> str:
    """The label of a stored enum value (a plain string from a query); '' for None."""
    if value is None or value == "":
        return ""
    return enum_label(enum(value), lang)


def column_label(name: str, lang: str) -> str:
    """A table column header: its catalog label (``col.<name>``) or, failing that, the name."""
    key = f"col.{name}"
    return t(key, lang) if has_key(key, lang) else name
