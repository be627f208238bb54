"""A fast path for checking e-mail addresses in bulk (a 100,000-row import), with exactly the
acceptance of the models' ``EmailStr`` (pydantic calling ``email_validator``).

Most of ``email_validator``'s time goes into the domain (IDNA tables, character by character),
and the addresses of a file share few domains. ``known_valid`` answers only for the plain
addresses whose every check is certain: a short ASCII address, no spaces, quotes, angle
brackets or display name, whose local part is an ASCII dot-atom (which ``email_validator``
always accepts as it is) and whose domain ``email_validator`` itself accepted, once per domain
(cached). It returns what the model would store (the domain as ``email_validator`` normalises
it). Any other address, and any address whose domain was refused, gets None: the caller lets
the model decide, with its own error.
"""

from __future__ import annotations

from functools import lru_cache

import email_validator
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES, DOT_ATOM_TEXT

#: Far below every length limit (local part 64, address 254 in UTF-8 bytes, pydantic's 2048).
_SHORT = 200
_LOCAL_MAX = 64
_UNSURE = frozenset(' \t\r\n"<>()[]\\,;:')


@lru_cache(maxsize=65_536)
def _domain(domain: str) -> str | None:
    """The domain as ``email_validator`` normalises it, or None when it refuses it."""
    try:
        return email_validator.validate_email(f"a@{domain}", check_deliverability=False).domain
    except email_validator.EmailNotValidError:
        return None


def known_valid(text: str) -> str | None:
    """``text`` as ``EmailStr`` stores it, when it is surely valid; None when only the model can
    tell (it may be valid or not)."""
    if len(text) > _SHORT or not text.isascii() or not _UNSURE.isdisjoint(text):
        return None
    local, at, domain = text.partition("@")
    if not at or not local or len(local) > _LOCAL_MAX or not DOT_ATOM_TEXT.match(local):
        return None
    if local.lower() in CASE_INSENSITIVE_MAILBOX_NAMES:
        return None  # email_validator lower-cases these (Postmaster@): the model decides
    normalised = _domain(domain) if domain else None
    if normalised is None or len(normalised) > len(domain):
        return None
    return f"{local}@{normalised}"
