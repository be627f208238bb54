"""Demo organisations and people: who the agency knows, with invented names and domains."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from core.demo import vocab as V
from core.demo.plan import DemoContext, allocate, random_day, slug, stem, weighted

ORGS_PER_SCALE = 3500


@dataclass(slots=True)
class OrgPlan:
    id: int
    kind: str
    name: str
    domain: str
    hq: str
    control: str
    sector: str | None
    size: str | None
    city: str | None
    parent_id: int | None = None
    chamber_id: int | None = None
    registration_number: str | None = None
    n_people: int = 1
    first_person_id: int = 0
    first_on: int | None = None  # ordinal of the first contact (meeting, mission, project)
    met: bool = False  # False: only known from a directory, never met or hosted

    def touch(self, ordinal: int) -> None:
        if self.first_on is None or ordinal < self.first_on:
            self.first_on = ordinal


class DomainRegistry:
    """Hands out unique ``.example`` domains, avoiding those already in the database."""

    def __init__(self, taken: list[str]) -> None:
        self.taken = set(taken)
        self.suffix: dict[str, int] = {}  # last number tried per label: no rescans at scale

    def claim(self, base: str) -> str:
        label = slug(base)[:60].strip("-")
        n = self.suffix.get(label, 0)
        candidate = f"{label}.example" if n == 0 else f"{label}-{n}.example"
        while candidate in self.taken:
            n = max(n, 1) + 1
            candidate = f"{label}-{n}.example"
        self.suffix[label] = n
        self.taken.add(candidate)
        return candidate


def _city(ctx: DemoContext, rng: random.Random, iso2: str) -> str | None:
    if iso2 == "IN" and ctx.india_cities:
        # Bigger cities first in the list: favour them without ignoring the others.
        top = ctx.india_cities
        return top[min(int(rng.expovariate(1 / 6)), len(top) - 1)]
    cities = V.CITIES.get(iso2)
    return rng.choice(cities) if cities else None


def _company_name(rng: random.Random, sector: str, country: str) -> tuple[str, str]:
    root = stem(rng, V.SYLLABLES)
    word = rng.choice(V.SECTOR_WORDS[sector])
    form = rng.choice(V.LEGAL_FORMS.get(country, ("Ltd",)))
    return f"{root} {word} {form}", f"{root} {word}"


def _other_name(rng: random.Random, kind: str, french: bool) -> str:
    root = stem(rng, V.SYLLABLES)
    if kind == "investor":
        return f"{root} {rng.choice(V.INVESTOR_WORDS)}"
    if kind == "university":
        if french:
            return rng.choice((f"Institut {root} de Provence", f"École supérieure {root}"))
        return rng.choice((f"{root} Institute of Technology", f"University of {root}"))
    if french:
        return rng.choice((f"Agence {root} de développement", f"Pôle {root}"))
    return rng.choice((f"{root} Investment Authority", f"{root} Trade Agency"))


def _chamber_orgs(ctx: DemoContext) -> list[tuple[int, str, str | None, str]]:
    """All chambers at scale 1; at small scales the ones of the main countries and a few more."""
    main = [c for c in ctx.chambers if c[1] in V.CONTROL_COUNTRY_WEIGHTS]
    others = [c for c in ctx.chambers if c[1] not in V.CONTROL_COUNTRY_WEIGHTS]
    return main + others[: round(len(others) * min(1.0, ctx.scale))]


def plan_organisations(ctx: DemoContext, taken_domains: list[str]) -> list[OrgPlan]:
    """Chambers and consulates first, then companies, investors, universities, public bodies."""
    rng = ctx.rng("organisations")
    domains = DomainRegistry(taken_domains)
    orgs: list[OrgPlan] = []

    def add(**fields) -> OrgPlan:
        org = OrgPlan(id=ctx.take_ids("organisation", 1), **fields)
        orgs.append(org)
        return org

    for chamber_id, iso2, city, name in _chamber_orgs(ctx):
        add(kind="chamber", name=name, domain=domains.claim(name), hq=iso2, control=iso2,
            sector=None, size="sme", city=city, chamber_id=chamber_id)  # fmt: skip
    for iso2 in V.CONSULATES:
        if iso2 in ctx.countries:
            name = f"Consulate General of {ctx.countries[iso2]} in Marseille"
            add(kind="consulate", name=name, domain=domains.claim(f"cg-{iso2}-marseille"),
                hq="FR", control=iso2, sector=None, size=None, city="Marseille")  # fmt: skip

    n_rest = max(40, round(ORGS_PER_SCALE * ctx.scale) - len(orgs))
    kinds = allocate(rng, {"company": 85, "investor": 6, "university": 4, "public_body": 5}, n_rest)
    n_business = sum(1 for k in kinds if k in ("company", "investor"))
    control_weights = {k: w for k, w in V.CONTROL_COUNTRY_WEIGHTS.items() if k in ctx.countries}
    controls = iter(allocate(rng, control_weights, n_business))
    sectors = iter(allocate(rng, V.ORG_SECTOR_WEIGHTS, n_business))
    sizes = iter(allocate(rng, {"micro": 15, "sme": 45, "midcap": 25, "large": 15}, n_business))
    heads: dict[str, list[OrgPlan]] = {}  # foreign headquarters, possible parents
    for kind in kinds:
        if kind in ("company", "investor"):
            org = _business(ctx, rng, domains, kind, next(controls), next(sectors), next(sizes),
                            heads)  # fmt: skip
        else:
            org = _institution(ctx, rng, domains, kind, control_weights)
        org.id = ctx.take_ids("organisation", 1)
        orgs.append(org)
        if org.control != "FR" and org.hq == org.control and kind == "company":
            heads.setdefault(org.control, []).append(org)
    _assign_people_counts(ctx, rng, orgs)
    return orgs


def _business(ctx, rng, domains, kind, control, sector, size, heads) -> OrgPlan:
    foreign = control != "FR"
    subsidiary = foreign and rng.random() < 0.3
    hq = "FR" if subsidiary else control
    parent = None
    if kind == "investor":
        name = _other_name(rng, kind, not foreign)
        base = name
    elif subsidiary and heads.get(control) and rng.random() < 0.5:
        parent = rng.choice(heads[control])
        base = parent.name.rsplit(" ", 1)[0] if " " in parent.name else parent.name
        base = f"{base} France"
        name = f"{base} SAS"
    else:
        name, base = _company_name(rng, sector, hq)
    registration = None
    if hq == "FR" and rng.random() < 0.7:
        registration = str(rng.randint(900_000_000, 999_999_999))
    return OrgPlan(
        id=0, kind=kind, name=name, domain=domains.claim(base), hq=hq, control=control,
        sector=sector, size=size if kind == "company" else rng.choice(("sme", "midcap")),
        city=_city(ctx, rng, hq), parent_id=parent.id if parent else None,
        registration_number=registration,
    )  # fmt: skip


def _institution(ctx, rng, domains, kind, control_weights) -> OrgPlan:
    french = rng.random() < 0.75
    control = "FR" if french else weighted(rng, {k: w for k, w in control_weights.items()
                                                 if k != "FR"})  # fmt: skip
    name = _other_name(rng, kind, french)
    sector = rng.choice(("digital", "health", "energy")) if kind == "university" else "other"
    return OrgPlan(
        id=0, kind=kind, name=name, domain=domains.claim(name), hq=control, control=control,
        sector=sector, size="large" if kind == "university" else None,
        city=_city(ctx, rng, control),
    )  # fmt: skip


def _assign_people_counts(ctx: DemoContext, rng: random.Random, orgs: list[OrgPlan]) -> None:
    for org in orgs:
        if org.kind == "company":
            org.n_people = rng.choices((1, 2, 3), weights=(40, 40, 20))[0]
        else:
            org.n_people = rng.choices((1, 2), weights=(60, 40))[0]
        org.first_person_id = ctx.take_ids("person", org.n_people)


# ---------------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------------


def at_nine(day: date) -> datetime:
    """A deterministic timestamp for rows created on ``day``."""
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


def organisation_rows(ctx: DemoContext, orgs: list[OrgPlan]) -> Iterator[dict]:
    """Rows for the organisation table; never-met organisations were added on a random day.
    Consume them before ``person_rows``, which reads the first contacts settled here."""
    rng = ctx.rng("organisation-rows")
    for org in orgs:
        org.met = org.first_on is not None
        if org.first_on is None:
            org.first_on = random_day(rng, ctx.start, ctx.anchor).toordinal()
        created = at_nine(date.fromordinal(org.first_on))
        yield {
            "id": org.id, "name": org.name, "kind": org.kind, "domain": org.domain,
            "registration_number": org.registration_number, "hq_country_iso2": org.hq,
            "control_country_iso2": org.control, "sector_code": org.sector, "size": org.size,
            "city": org.city, "parent_id": org.parent_id, "chamber_id": org.chamber_id,
            "is_demo": True, "created_at": created, "updated_at": created,
        }  # fmt: skip


def _phone(rng: random.Random, iso2: str) -> str | None:
    code = V.CALLING_CODES.get(iso2)
    if code is None:
        return None
    digits = 12 - len(code)  # E.164 allows 15 digits; 12 stays safely under
    return f"+{code}{rng.randint(1, 9)}{rng.randint(0, 10 ** (digits - 1) - 1):0{digits - 1}d}"


def person_rows(ctx: DemoContext, orgs: list[OrgPlan]) -> Iterator[dict]:
    """One to three contacts per organisation, collected on the organisation's first contact."""
    rng = ctx.rng("people")
    for org in orgs:
        collected = date.fromordinal(org.first_on or ctx.anchor.toordinal())
        used_emails: set[str] = set()
        for i in range(org.n_people):
            yield _person(ctx, rng, org, org.first_person_id + i, collected, used_emails)


def _person(ctx, rng, org, person_id, collected, used_emails) -> dict:
    country = org.hq
    if org.hq != org.control and rng.random() < 0.5:
        country = org.control
    culture = V.CULTURE.get(country, "en")
    first = rng.choice(V.FIRST_NAMES[culture])
    last = rng.choice(V.LAST_NAMES[culture])
    local = f"{slug(first)}.{slug(last)}".replace("-", "")
    email = f"{local}@{org.domain}"
    n = 1
    while email in used_emails:
        n += 1
        email = f"{local}{n}@{org.domain}"
    used_emails.add(email)
    notice: date | None = collected + timedelta(days=rng.randint(1, 25))
    roll = rng.random()
    if roll < 0.03:
        notice = collected + timedelta(days=rng.randint(35, 70))  # sent late
    if notice > ctx.anchor:
        notice = None  # not sent yet
    last_inbound = None
    if rng.random() < 0.6:
        last_inbound = random_day(rng, collected, ctx.anchor)
    basis = "public_task" if org.kind in ("consulate", "public_body") else weighted(
        rng, {"legitimate_interest": 84, "consent": 11, "contract": 5})  # fmt: skip
    source = V.DATA_SOURCES[rng.randrange(len(V.DATA_SOURCES))]
    if not org.met or org.kind == "chamber":
        source = "Referral by a partner chamber"
    return {
        "id": person_id, "first_name": first, "last_name": last,
        "job_title": rng.choice(V.JOB_TITLES) if org.kind == "company" else "Director",
        "organisation_id": org.id, "email": email, "phone": _phone(rng, country),
        "country_iso2": country if country in ctx.countries else None,
        "tags": rng.choice(V.PERSON_TAGS), "data_source": source, "lawful_basis": basis,
        "notice_sent_on": notice, "objection": rng.random() < 0.02,
        "last_inbound_contact_on": last_inbound, "is_demo": True,
        "created_at": at_nine(collected), "updated_at": at_nine(collected),
    }  # fmt: skip
