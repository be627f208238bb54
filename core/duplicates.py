"""Likely existing records, shown before a new organisation or person is created.

A match is: the same e-mail address (people), the same website domain (organisations), or a
similar name in the same country: organisations by ``core.matching.similar_names`` (the rule
the import and the referrals use), people by their stored ``Person.name_key``
(``core.normalise.person_key``), compared with rapidfuzz's ``token_sort_ratio`` (word order
ignored), at least ``NAME_THRESHOLD`` out of 100.

The database narrows first (same country or organisation, and the key's longest word inside
the other key), so that only a few candidate names are ever compared in Python, whatever the
size of the table.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from rapidfuzz import fuzz
from sqlmodel import Session, select

from core.matching import CANDIDATES, NAME_THRESHOLD, similar_names
from core.normalise import domain_of, person_key
from models import Organisation, Person


@dataclass(frozen=True)
class Match:
    id: int  # the organisation's or the person's id
    label: str  # how to show it ("Tata Steel — IN", "Asha Rao — Infosys")
    reason: str  # "email", "domain" or "name"
    score: int  # 100 for an e-mail or a domain; the name similarity otherwise
    organisation_id: int | None  # where to open it in the Directory


def _contains_word(column: sa.ColumnElement, key: str) -> sa.ColumnElement:
    """The key column holds the longest word of ``key`` (its first four letters): a cheap
    filter that a similar name passes."""
    words = sorted(key.split(), key=len, reverse=True)
    if not words:
        return sa.true()
    return column.contains(words[0][:4], autoescape=True)


def _best(matches: list[Match], limit: int) -> list[Match]:
    """One match per record (its strongest reason), strongest first."""
    order = {"email": 0, "domain": 1, "name": 2}
    kept: dict[int, Match] = {}
    for match in sorted(matches, key=lambda m: (order[m.reason], -m.score, m.label)):
        kept.setdefault(match.id, match)
    return list(kept.values())[:limit]


def find_organisation_matches(
    session: Session,
    *,
    name: str,
    country_iso2: str | None = None,
    domain: str | None = None,
    exclude_id: int | None = None,
    limit: int = 5,
) -> list[Match]:
    """Existing organisations that are probably the one about to be created."""
    matches: list[Match] = []
    others = [Organisation.id != exclude_id] if exclude_id is not None else []
    domain = domain_of(domain)

    def label(org_name: str, iso2: str | None) -> str:
        return f"{org_name} — {iso2}" if iso2 else org_name

    if domain:
        rows = session.exec(
            select(Organisation.id, Organisation.name, Organisation.hq_country_iso2).where(
                Organisation.domain == domain, *others
            )
        ).all()
        matches += [Match(int(i), label(n, c), "domain", 100, int(i)) for i, n, c in rows]
    if country_iso2:
        similar = similar_names(
            session, name=name or "", country_iso2=country_iso2, exclude_id=exclude_id
        )
        matches += [
            Match(c.id, label(c.name, c.country_iso2), "name", c.score, c.id) for c in similar
        ]
    return _best(matches, limit)


def find_person_matches(
    session: Session,
    *,
    first_name: str,
    last_name: str,
    email: str | None = None,
    organisation_id: int | None = None,
    country_iso2: str | None = None,
    exclude_id: int | None = None,
    limit: int = 5,
) -> list[Match]:
    """Existing people who are probably the one about to be created: same e-mail, or a similar
    full name in the same organisation or the same country."""
    matches: list[Match] = []
    others = [Person.id != exclude_id] if exclude_id is not None else []
    alive = Person.anonymised_at.is_(None)
    columns = (
        Person.id,
        Person.first_name,
        Person.last_name,
        Person.organisation_id,
        Organisation.name,
        Person.name_key,
    )

    def label(first: str, last: str, org: str | None) -> str:
        return f"{first} {last} — {org}" if org else f"{first} {last}"

    base = select(*columns).outerjoin(Organisation, Organisation.id == Person.organisation_id)
    if email and email.strip():
        rows = session.exec(
            base.where(sa.func.lower(Person.email) == email.strip().lower(), alive, *others)
        ).all()
        matches += [
            Match(int(i), label(f, la, o), "email", 100, oid) for i, f, la, oid, o, _k in rows
        ]
    wanted = person_key(first_name, last_name)
    scope = []
    if organisation_id is not None:
        scope.append(Person.organisation_id == organisation_id)
    if country_iso2:
        scope.append(Person.country_iso2 == country_iso2)
    if wanted and scope:
        near = _contains_word(Person.name_key, person_key(None, last_name))
        query = base.where(sa.or_(*scope), near, alive, *others).limit(CANDIDATES)
        rows = session.exec(query).all()
        for i, first, last, oid, org, key in rows:
            score = int(fuzz.token_sort_ratio(wanted, key))
            if score >= NAME_THRESHOLD:
                matches.append(Match(int(i), label(first, last, org), "name", score, oid))
    return _best(matches, limit)
