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
    incorporated corp corporation co company pvt private pte pty spa srl sl cv kk
    bhd sdn fze fzco fz wll oy ab as asa""".split()
)
#: Legal forms of several words whose middle word is an ordinary one ("S.A. de C.V."): the
#: "de" goes only inside them, never from "Électricité de Provence".
LEGAL_PHRASES = (("sa", "de", "cv"),)
#: Longest stored keys (the columns' lengths in models.py).
ORGANISATION_KEY_LENGTH = 200
PERSON_KEY_LENGTH = 200
_DOMAIN = re.compile(DOMAIN)
#: Initials written with dots ("S.A.S.", "S.A", "C.V."): read as one word ("sas").
_DOTTED = re.compile(r"\b\w(?:\.\w)+\b\.?")


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


def _without_phrases(words: list[str]) -> list[str]:
    for phrase in LEGAL_PHRASES:
        size = len(phrase)
        i = 0
        while i + size <= len(words):
            if tuple(words[i : i + size]) == phrase:
                del words[i : i + size]
            else:
                i += 1
    return words


def organisation_key(name: str | None) -> str:
    """An organisation's name for comparing and searching: folded, initials joined, legal
    forms dropped ("Tata Consultancy Services Pvt. Ltd." -> "tata consultancy services",
    "Crédit Agricole S.A." -> "credit agricole"). A name made only of legal forms keeps them
    ("SA" -> "sa"). This is what ``Organisation.name_key`` stores."""
    if not name:
        return ""
    folded = fold(_DOTTED.sub(lambda m: m.group(0).replace(".", ""), name))
    words = [w for w in _without_phrases(folded.split()) if w not in LEGAL_FORMS]
    return (" ".join(words) or folded)[:ORGANISATION_KEY_LENGTH]


def person_key(first_name: str | None, last_name: str | None) -> str:
    """A person's full name for comparing and searching: first and last name folded
    ("Hélène", "Dupont-Aignan" -> "helene dupont aignan"). What ``Person.name_key`` stores."""
    return fold(f"{first_name or ''} {last_name or ''}")[:PERSON_KEY_LENGTH]
