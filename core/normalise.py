"""Clean what people type before it is stored or compared: phone numbers in E.164, website
domains, names reduced to what matters for finding duplicates."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import phonenumbers

from models import DOMAIN

#: Legal forms dropped before comparing organisation names ("Tata Steel Ltd" ~ "Tata Steel").
LEGAL_FORMS = frozenset(
    """sa sas sasu sarl eurl sci snc gie ag gmbh kg ug bv nv ltd limited plc llc llp inc
    incorporated corp corporation co company pvt private pte pty spa srl sl sa de cv kk
    bhd sdn fze fzco fz llc wll oy ab as asa""".split()
)
_DOMAIN = re.compile(DOMAIN)


def normalise_phone(text: str | None, region: str | None = None) -> tuple[str | None, bool]:
    """(the number in E.164, True) for a valid number; (None, True) for no number; (None,
    False) for a number that cannot be read. A number without its international prefix is
    read in ``region`` (an ISO-2 country code), e.g. "06 12 34 56 78" in FR."""
    if text is None or not text.strip():
        return None, True
    try:
        number = phonenumbers.parse(text, region.upper() if region else None)
    except phonenumbers.NumberParseException:
        return None, False
    if not phonenumbers.is_valid_number(number):
        return None, False
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), True


def domain_of(text: str | None) -> str | None:
    """The website domain of a URL, an e-mail address or a bare domain, lower-case, without
    "www."; None when there is none or it is not a domain
    ("https://www.Example.co.uk/about" -> "example.co.uk")."""
    if text is None or not text.strip():
        return None
    text = text.strip().lower()
    if "@" in text and "/" not in text:
        text = text.rsplit("@", 1)[1]
    if "://" not in text:
        text = "//" + text
    host = (urlsplit(text).hostname or "").rstrip(".")
    host = host.removeprefix("www.")
    return host if _DOMAIN.fullmatch(host) else None


def fold(text: str) -> str:
    """Lower-case, without accents, punctuation or repeated spaces ("L'Oréal-Paris" ->
    "l oreal paris")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def organisation_key(name: str) -> str:
    """An organisation's name for comparing: folded, legal forms dropped ("Tata Consultancy
    Services Pvt. Ltd." -> "tata consultancy services")."""
    words = [w for w in fold(name).split() if w not in LEGAL_FORMS]
    return " ".join(words) or fold(name)
