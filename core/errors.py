"""The one error type of a refused write: a business rule the input breaks.

A ``RuleError`` carries a catalog key (``core/locales``), its parameters and, when the rule
belongs to one field, that field's name, so that a form shows the refusal beside the field in
the user's language (``message(lang)``). Its ``str()`` is the English text of the same key,
for logs and the command line. It is a ``ValueError``, so callers that catch broken rules as
``ValueError`` keep working.

Parameters are localised when rendered: a date is written the language's way, an enum member
by its label (ids and counts stay as they are).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from core.formatting import format_day
from core.i18n import enum_label, t


class RuleError(ValueError):
    """A write refused by a rule: nothing was written."""

    def __init__(self, message_key: str, *, field: str = "", **params: Any) -> None:
        self.message_key = message_key
        self.field = field
        self.params = params
        super().__init__(message_key)

    def message(self, lang: str) -> str:
        """The refusal in ``lang``, its parameters written that language's way."""
        return t(self.message_key, lang, **{k: _local(v, lang) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.message("en")


def _local(value: Any, lang: str) -> Any:
    if isinstance(value, StrEnum):
        return enum_label(value, lang)
    if isinstance(value, date):
        return format_day(value, lang)
    return value


class DuplicateDomainError(RuleError):
    """A new organisation has the website domain of an existing one (the dedupe key)."""

    def __init__(self, domain: str, existing_id: int) -> None:
        super().__init__("form.error.domain_taken", field="domain", domain=domain)
        self.existing_id = existing_id
