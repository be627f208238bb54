"""Which organisation on record a name, a website or a registration number means: the one
matching rule of the import, the look-alike check before a new record, and the partner
referrals.

``match_organisation`` tries, in this order, the website domain (``core.normalise.domain_of``),
the registration number (compared without spaces, dots or dashes), then the name: the stored
``Organisation.name_key`` (``core.normalise.organisation_key``: accents, case, punctuation and
legal forms folded) compared with rapidfuzz's ``token_sort_ratio`` among the organisations of
the same country (HQ or control). Its answer is one clear match, none, or several candidates
for a person to choose from: a name that is only similar is never taken by itself.

The database narrows first (same country, the key's longest word inside the other key, on
the stored keys), so only a few candidate names are compared in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from rapidfuzz import fuzz
from sqlmodel import Session, select

from core.normalise import domain_of, organisation_key
from models import Organisation

#: Names at least this similar (out of 100) are look-alikes: shown, offered to choose from.
NAME_THRESHOLD = 85
#: A lone look-alike at least this similar is a clear match (a typo: "Tata Steels").
CLEAR_THRESHOLD = 95
#: Candidates read from the database per search, at most.
CANDIDATES = 2000

MATCHED, NONE, CHOOSE = "matched", "none", "choose"
_REGISTRATION_NOISE = re.compile(r"[\s.\-/]+")


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    country_iso2: str | None  # HQ
    reason: str  # "domain", "registration" or "name"
    score: int  # 100 for a domain, a registration number or the same key


@dataclass(frozen=True)
class OrganisationMatch:
    """``status`` is MATCHED (``candidates`` holds the one), NONE or CHOOSE (several, or one
    that is only similar), candidates strongest first."""

    status: str
    candidates: tuple[Candidate, ...] = ()

    @property
    def organisation_id(self) -> int | None:
        return self.candidates[0].id if self.status == MATCHED else None

    @property
    def reason(self) -> str | None:
        return self.candidates[0].reason if self.status == MATCHED else None


def registration_key(text: str | None) -> str:
    """A registration number as compared: upper-case, without spaces, dots, dashes or
    slashes ("552 120 222" -> "552120222")."""
    return _REGISTRATION_NOISE.sub("", text or "").upper()


def _registration_column() -> sa.ColumnElement:
    column: sa.ColumnElement = sa.func.upper(Organisation.registration_number)
    for noise in (" ", ".", "-", "/"):
        column = sa.func.replace(column, noise, "")
    return column


def _in_country(country_iso2: str | None) -> list[sa.ColumnElement]:
    if not country_iso2:
        return []
    return [
        sa.or_(
            Organisation.hq_country_iso2 == country_iso2,
            Organisation.control_country_iso2 == country_iso2,
        )
    ]


def _decided(candidates: list[Candidate]) -> OrganisationMatch:
    if not candidates:
        return OrganisationMatch(NONE)
    return OrganisationMatch(MATCHED if len(candidates) == 1 else CHOOSE, tuple(candidates))


def _rows(
    session: Session, *conditions: sa.ColumnElement
) -> list[tuple[int, str, str | None, str]]:
    query = (
        select(
            Organisation.id, Organisation.name, Organisation.hq_country_iso2, Organisation.name_key
        )
        .where(*conditions)
        .order_by(Organisation.name, Organisation.id)
        .limit(CANDIDATES)
    )
    return [(int(i), n, c, k) for i, n, c, k in session.exec(query).all()]


def similar_names(
    session: Session,
    *,
    name: str,
    country_iso2: str | None,
    exclude_id: int | None = None,
    threshold: int = NAME_THRESHOLD,
) -> list[Candidate]:
    """Organisations whose key is at least ``threshold`` similar to ``name``'s, in
    ``country_iso2`` (HQ or control; every country when None), most similar first; the same
    key scores 100."""
    key = organisation_key(name)
    if not key:
        return []
    scope = [*_in_country(country_iso2)]
    if exclude_id is not None:
        scope.append(Organisation.id != exclude_id)
    longest = max(key.split(), key=len)
    near = Organisation.name_key.contains(longest[:4], autoescape=True)
    scores: dict[int, Candidate] = {}
    for i, other, iso2, _key in _rows(session, Organisation.name_key == key, *scope):
        scores[i] = Candidate(i, other, iso2, "name", 100)
    for i, other, iso2, other_key in _rows(session, near, *scope):
        score = 100 if other_key == key else int(fuzz.token_sort_ratio(key, other_key))
        if score >= threshold and i not in scores:
            scores[i] = Candidate(i, other, iso2, "name", score)
    return sorted(scores.values(), key=lambda c: (-c.score, c.name, c.id))


def match_organisation(
    session: Session,
    *,
    name: str | None = None,
    domain: str | None = None,
    registration: str | None = None,
    country: str | None = None,
    exclude_id: int | None = None,
) -> OrganisationMatch:
    """The organisation on record that these details mean (see the module's docstring).

    ``domain`` may be a URL, a bare domain or an e-mail address. The first of domain,
    registration number and name that finds anything decides: one organisation with the
    same domain or registration number, or exactly one with the same name key, is a match;
    several are to choose from. Failing those, one look-alike name at least
    ``CLEAR_THRESHOLD`` similar is a match, and look-alikes less similar, or several, are to
    choose from."""
    others = [Organisation.id != exclude_id] if exclude_id is not None else []
    wanted = domain_of(domain)
    if wanted:
        rows = _rows(session, Organisation.domain == wanted, *others)
        if rows:
            return _decided([Candidate(i, n, c, "domain", 100) for i, n, c, _k in rows])
    number = registration_key(registration)
    if number:
        rows = _rows(session, _registration_column() == number, *_in_country(country), *others)
        if rows:
            found = [Candidate(i, n, c, "registration", 100) for i, n, c, _k in rows]
            return _decided(found)
    similar = similar_names(session, name=name or "", country_iso2=country, exclude_id=exclude_id)
    same = [c for c in similar if c.score == 100]
    if same:
        return _decided(same)
    if len(similar) == 1 and similar[0].score >= CLEAR_THRESHOLD:
        return OrganisationMatch(MATCHED, tuple(similar))
    return OrganisationMatch(CHOOSE, tuple(similar)) if similar else OrganisationMatch(NONE)
