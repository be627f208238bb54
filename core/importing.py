"""Imports of organisations, people and interactions (the meeting log) from CSV or Excel files
(``core.import_files`` reads them), as staff get them: a trade fair's list of people met, a
delegation's participants, a chamber's member extract.

The flow: ``read_table`` (the file's header and rows), ``guess_mapping`` (which column holds
which field, from French and English headers, with or without accents), ``plan_import`` (the
dry run: every row checked and what would happen to it, nothing written), then
``apply_import`` (the valid rows written: all of them in one transaction, or only the valid
ones, batch by batch).

People and meetings bring their organisations. A row's organisation (name, website,
registration number) is matched by ``core.matching.match_organisation`` in the row's country:
one clear match is used; none creates the organisation (name, domain, country, kind company)
in the same transaction as the row's person or meeting, once however many rows name it; several
close ones hold the row for the user to choose (``choices``), never guessed.

Importing the same file twice creates nothing the second time: a row whose record already
exists (an organisation matched as above; a person with the same e-mail, or the same name in
the same organisation; a meeting of the same kind with the same organisation on the same day
and the same summary) is "already there", and a row repeated in the file is counted once.

A people file may be attached to a mission: every person of it, new or already on record, and
their organisation are recorded as met during that mission (``MissionPerson``,
``MissionOrganisation``), which the mission's page lists and "organisations met" counts for the
mission's dates. Every imported person carries the data source and lawful basis given with the
import (GDPR).

Meetings name their project (code name, within that organisation), mission (name) and
participants (e-mails) as they are on record: an unknown one rejects the row. Dates are day
first (28/11/2026, 28.11.2026), ISO (2026-11-28) or Excel dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from rapidfuzz import fuzz, process
from sqlmodel import Session, select

from core.audit import record_inserts
from core.emails import known_valid
from core.errors import RuleError
from core.i18n import LANGUAGES, has_key, t
from core.import_files import ImportFileError, RawTable, read_table, table_file
from core.matching import (
    CHOOSE,
    MATCHED,
    NAME_THRESHOLD,
    NONE,
    OrganisationMatch,
    match_organisation,
    registration_key,
)
from core.normalise import domain_of, fold, normalise_phone, organisation_key, person_key
from core.permissions import authorise
from core.writes import write_transaction
from models import (
    Country,
    Interaction,
    InteractionCreate,
    InteractionKind,
    InteractionOutcome,
    InteractionParticipant,
    LawfulBasis,
    Mission,
    MissionOrganisation,
    MissionPerson,
    Organisation,
    OrganisationCreate,
    OrganisationKind,
    Person,
    PersonCreate,
    Project,
    Role,
    Sector,
)

__all__ = ["ImportFileError", "RawTable", "read_table"]

KINDS = ("organisations", "people", "interactions")
#: Rows written per transaction when only the valid rows are imported.
BATCH = 2000
#: Rows between two calls of a progress callback.
STEP = 1000
#: Who an import names as the source of its people when the form or command says nothing.
DEFAULT_SOURCE = "import"

_COMPANY = (
    "organisation",
    "organization",
    "company",
    "societe",
    "entreprise",
    "raison sociale",
    "employeur",
    "employer",
    "structure",
    "nom de l entreprise",
    "company name",
)
_WEBSITE = (
    "website",
    "site web",
    "site",
    "site internet",
    "web",
    "url",
    "domain",
    "domaine",
    "company website",
    "site de l entreprise",
)
_REGISTRATION = (
    "registration number",
    "registration",
    "company number",
    "siren",
    "siret",
    "n siren",
    "numero siren",
    "numero d immatriculation",
    "immatriculation",
    "cin",
    "registre",
)
_COUNTRY = ("country", "pays", "country code", "code pays", "pays siege", "hq country")
#: Field -> header names that mean it (folded: lower-case, no accents or punctuation).
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "organisations": {
        "name": ("name", "nom", *_COMPANY),
        "country": _COUNTRY,
        "website": _WEBSITE,
        "registration": _REGISTRATION,
        "sector": ("sector", "secteur", "filiere"),
        "city": ("city", "ville"),
        "kind": ("kind", "type"),
    },
    "people": {
        "first_name": ("first name", "firstname", "prenom", "given name"),
        "last_name": ("last name", "lastname", "nom", "surname", "family name", "nom de famille"),
        "email": ("email", "e mail", "mail", "courriel", "adresse e mail", "adresse email",
                  "email address", "adresse mail"),
        "phone": ("phone", "telephone", "tel", "mobile", "portable", "phone number",
                  "numero de telephone", "gsm"),
        "job_title": ("job title", "title", "fonction", "poste", "titre"),
        "organisation": _COMPANY,
        "website": _WEBSITE,
        "registration": _REGISTRATION,
        "country": _COUNTRY,
    },
    "interactions": {
        "date": ("date", "date du rendez vous", "date du rdv", "date rdv", "meeting date",
                 "occurred on", "jour"),
        "organisation": _COMPANY,
        "website": _WEBSITE,
        "country": _COUNTRY,
        "kind": ("kind", "type", "type de contact", "nature"),
        "outcome": ("outcome", "resultat", "issue"),
        "summary": ("summary", "resume", "compte rendu", "notes", "note", "commentaire",
                    "comments"),
        "next_step": ("next step", "prochaine etape", "suite a donner", "action"),
        "due_on": ("due date", "due on", "echeance", "date de relance", "a faire avant"),
        "owner": ("owner", "responsable", "charge d affaires", "suivi par"),
        "participants": ("participants", "participant emails", "e mails des participants",
                         "emails des participants", "contacts", "email", "e mail", "courriel"),
        "project": ("project", "projet", "code name", "nom de code"),
        "mission": ("mission", "evenement", "event", "salon"),
        "place": ("place", "lieu", "location"),
    },
}  # fmt: skip
REQUIRED = {
    "organisations": ("name",),
    "people": ("first_name", "last_name"),
    "interactions": ("date", "organisation"),
}
#: Words staff write for a kind of interaction or an outcome, besides the interface's labels.
KIND_WORDS = {
    "rdv": InteractionKind.MEETING,
    "reunion": InteractionKind.MEETING,
    "rendez vous": InteractionKind.MEETING,
    "appel": InteractionKind.CALL,
    "telephone": InteractionKind.CALL,
    "phone": InteractionKind.CALL,
    "visio": InteractionKind.CALL,
    "visite": InteractionKind.SITE_VISIT,
    "visit": InteractionKind.SITE_VISIT,
    "salon": InteractionKind.EVENT,
    "evenement": InteractionKind.EVENT,
}
OUTCOME_WORDS = {
    "lead": InteractionOutcome.NEW_LEAD,
    "piste": InteractionOutcome.NEW_LEAD,
    "relance": InteractionOutcome.FOLLOW_UP,
    "a relancer": InteractionOutcome.FOLLOW_UP,
    "info": InteractionOutcome.INFORMATION,
    "sans suite": InteractionOutcome.NO_INTEREST,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S")


@dataclass(slots=True)  # 100,000 of them in a big file
class PlannedRow:
    line: int
    values: dict[str, str | None]  # the mapped cells
    errors: list[tuple[str, str, dict]] = field(default_factory=list)  # (field, code, params)
    #: "create", "exists" (already on record, or earlier in the file) or "choose" (held: its
    #: organisation is one of several on record, for the user to choose)
    action: str = "create"
    existing_id: int | None = None
    #: The validated Create model (``data``), kept as its class and field values: a model
    #: instance weighs a kilobyte, and a big file has 100,000 rows.
    packed: tuple[type, tuple[Any, ...]] | None = None
    #: What the dry run says of the row: a catalog key under "import.row." and its params.
    status: str = "create"
    params: dict[str, Any] = field(default_factory=dict)
    organisation_id: int | None = None  # the organisation on record it names
    new_organisation: str | None = None  # or the key of the one it creates (plan.organisations)
    held: str | None = None  # the key of the organisation to choose (plan.held)
    link: bool = False  # a person to record as met during the plan's mission

    @property
    def rejected(self) -> bool:
        return bool(self.errors)

    @property
    def data(self) -> Any:
        """The validated Create model (a copy: set ``data`` to change it), or None."""
        if self.packed is None:
            return None
        model, values = self.packed
        return model.model_construct(**dict(zip(model.model_fields, values, strict=True)))

    @data.setter
    def data(self, model: Any) -> None:
        if model is None:
            self.packed = None
        else:
            self.packed = (type(model), tuple(getattr(model, n) for n in type(model).model_fields))

    def replace_data(self, name: str, value: Any) -> None:
        """Set one field of the validated Create model."""
        assert self.packed is not None
        model, values = self.packed
        pairs = zip(model.model_fields, values, strict=True)
        self.packed = (model, tuple(value if n == name else v for n, v in pairs))

    def data_values(self) -> dict[str, Any]:
        """The validated Create model's ``model_dump()`` (its fields are plain values)."""
        assert self.packed is not None
        model, values = self.packed
        return dict(zip(model.model_fields, values, strict=True))


@dataclass
class HeldOrganisation:
    """An organisation named in the file like several on record: the user chooses one of
    ``candidates`` ((id, name, country), most similar first) or a new one."""

    key: str
    name: str
    country_iso2: str | None
    candidates: list[tuple[int, str, str | None]]
    lines: list[int] = field(default_factory=list)


@dataclass
class ImportPlan:
    kind: str
    rows: list[PlannedRow]
    #: The organisations the import creates, by key, in the order of their first row.
    organisations: dict[str, OrganisationCreate] = field(default_factory=dict)
    held: dict[str, HeldOrganisation] = field(default_factory=dict)
    mission_id: int | None = None
    source: str = DEFAULT_SOURCE
    lawful_basis: LawfulBasis = LawfulBasis.LEGITIMATE_INTEREST

    def count(self, what: str) -> int:
        if what == "rejected":
            return sum(r.rejected for r in self.rows)
        return sum(not r.rejected and r.action == what for r in self.rows)

    def totals(self) -> dict[str, int]:
        """The dry run's figures: people (or records) to create, organisations to create,
        organisations on record matched, rows already there (on record or repeated), rows held
        for a choice, rows rejected, attendances of the mission to record."""
        valid = [r for r in self.rows if not r.rejected]
        matched = {r.organisation_id for r in valid if r.organisation_id and r.action != "choose"}
        writes = [r for r in valid if r.action == "create" or (r.link and r.action != "choose")]
        new = {r.new_organisation for r in writes if r.new_organisation}
        return {
            "to_create": sum(r.action == "create" for r in valid),
            "organisations": len(new),
            "matched": len(matched),
            "duplicates": sum(r.action == "exists" for r in valid),
            "to_choose": sum(r.action == "choose" for r in valid),
            "rejected": len(self.rows) - len(valid),
            "attendances": sum(r.link for r in valid if r.action != "choose"),
        }


@dataclass
class ImportReport:
    created: int
    existing: int
    rejected: list[PlannedRow]
    organisations: int = 0
    held: int = 0
    attendances: int = 0


Progress = Callable[[int, int], None]


# ---------------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------------


def guess_mapping(headers: list[str], kind: str) -> dict[str, str]:
    """Field -> header, for the headers that say what they hold (first one wins)."""
    folded = {fold(h): h for h in reversed(headers) if h}
    mapping: dict[str, str] = {}
    for name, aliases in ALIASES[kind].items():
        for alias in aliases:
            if alias in folded and folded[alias] not in mapping.values():
                mapping[name] = folded[alias]
                break
    return mapping


def check_mapping(mapping: dict[str, str], kind: str) -> None:
    """``ImportFileError`` "no header row" when no column of the file says what it holds."""
    if not mapping:
        raise ImportFileError("import.file.no_header", example=", ".join(
            t(f"import.field.{name}", "en") for name in REQUIRED[kind]))  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Dry run
# ---------------------------------------------------------------------------------------------


def country_codes(session: Session) -> dict[str, str]:
    """Every way to write a country -> its ISO-2 code: "IN", "IND", "Inde", "India", folded."""
    codes: dict[str, str] = {}
    for iso2, iso3, name_fr, name_en in session.exec(
        select(Country.iso2, Country.iso3, Country.name_fr, Country.name_en)
    ).all():
        for text in (iso2, iso3, name_fr, name_en):
            if text:
                codes[fold(text)] = iso2
    return codes


def _sectors(session: Session) -> dict[str, str]:
    codes: dict[str, str] = {}
    for code, fr, en in session.exec(select(Sector.code, Sector.label_fr, Sector.label_en)):
        for text in (code, fr, en):
            codes[fold(text)] = code
    return codes


def _validate(row: PlannedRow, model: type, values: dict[str, Any]) -> None:
    try:
        row.data = model.model_validate(values)
    except ValidationError as error:
        for item in error.errors():
            loc = [str(p) for p in item.get("loc", ()) if not isinstance(p, int)]
            ctx = {k: v for k, v in (item.get("ctx") or {}).items() if isinstance(v, int)}
            row.errors.append((loc[-1] if loc else "", item.get("type", "invalid"), ctx))


#: A file names each organisation and country on many rows: their keys are worked out once.
_organisation_key = lru_cache(maxsize=65_536)(organisation_key)
_fold = lru_cache(maxsize=4096)(fold)


class _OnRecord:
    """What the organisations on record are known by, read once, to tell quickly that a
    name, website and registration number match none of them: no organisation has that
    domain, none that registration number, and no name key in that country is even
    ``NAME_THRESHOLD`` similar (rapidfuzz's ``token_sort_ratio``, the scorer of
    ``core.matching``) to the name's. When that holds, ``match_organisation`` would look
    at a subset of those names with the same scorer and threshold and find nothing, so it
    is not asked (a 100,000-row file asks it only for the names that could match). Any
    other name is decided by ``match_organisation``."""

    def __init__(self, session: Session) -> None:
        self.domains: set[str] = set()
        self.registrations: set[str] = set()
        self.keys: dict[str | None, set[str]] = {None: set()}
        query = select(
            Organisation.domain,
            Organisation.registration_number,
            Organisation.name_key,
            Organisation.hq_country_iso2,
            Organisation.control_country_iso2,
        )
        for domain, registration, key, hq, control in session.exec(query):
            if domain:
                self.domains.add(domain)
            if registration:
                self.registrations.add(registration_key(registration))
            self.keys[None].add(key)
            for country in {hq, control} - {None}:
                self.keys.setdefault(country, set()).add(key)
        self._lists = {country: sorted(keys) for country, keys in self.keys.items()}

    def cannot_match(
        self, name: str | None, domain: str | None, registration: str, country: str | None
    ) -> bool:
        if domain and domain in self.domains:
            return False
        if registration and registration in self.registrations:
            return False
        key = _organisation_key(name)
        if not key:
            return True
        keys = self._lists.get(country, []) if country else self._lists[None]
        best = process.extractOne(
            key, keys, scorer=fuzz.token_sort_ratio, score_cutoff=NAME_THRESHOLD
        )
        return best is None


class _Planner:
    """What a plan reads once: countries, sectors, the people on record, the organisations
    already matched (one ``match_organisation`` per distinct organisation of the file)."""

    def __init__(self, session: Session, plan: ImportPlan, choices: dict[str, int | None]):
        self.session, self.plan, self.choices = session, plan, choices
        self.countries = country_codes(session)
        self.sectors = _sectors(session)
        self.seen: dict[Any, int] = {}  # a record's key -> the line that first had it
        self.matches: dict[tuple, Any] = {}
        self.new_by_domain: dict[str, str] = {}  # domain -> key of an organisation to create
        self.missions: dict[str, int] = {}
        self.on_record = _OnRecord(session)
        self._people: tuple[dict[str, int], dict[tuple[int, str], int]] | None = None
        self._linked: set[tuple[str, int]] | None = None

    def people(self) -> tuple[dict[str, int], dict[tuple[int, str], int]]:
        """(e-mail -> person, (organisation, name key) -> person), read once."""
        if self._people is None:
            by_email: dict[str, int] = {}
            by_name: dict[tuple[int, str], int] = {}
            query = select(Person.id, Person.email, Person.organisation_id, Person.name_key)
            for person_id, email, organisation_id, key in self.session.exec(query):
                if email:
                    by_email.setdefault(email.lower(), int(person_id))
                if organisation_id is not None:
                    by_name.setdefault((int(organisation_id), key), int(person_id))
            self._people = by_email, by_name
        return self._people

    def linked(self, what: str, record_id: int) -> bool:
        """Whether the record is already recorded as met during the plan's mission."""
        if self._linked is None:
            mission = self.plan.mission_id
            people = self.session.exec(
                select(MissionPerson.person_id).where(MissionPerson.mission_id == mission)
            ).all()
            orgs = self.session.exec(
                select(MissionOrganisation.organisation_id).where(
                    MissionOrganisation.mission_id == mission
                )
            ).all()
            self._linked = {("person", int(i)) for i in people}
            self._linked |= {("organisation", int(i)) for i in orgs}
        return (what, record_id) in self._linked

    def country(self, row: PlannedRow, column: str = "country") -> str | None:
        text = row.values.get(column)
        if not text:
            return None
        code = self.countries.get(_fold(text))
        if code is None:
            row.errors.append((column, "unknown_country", {"value": text}))
        return code

    def organisation(self, row: PlannedRow, *, country: str | None, field_name: str) -> None:
        """The organisation a row names (its name, website, registration number): sets the
        row's ``organisation_id``, ``new_organisation`` or ``held``, or an error."""
        values = row.values
        name = values.get(field_name)
        website = values.get("website")
        domain = domain_of(website)
        if website and domain is None:
            row.errors.append(("website", "bad_website", {"value": website}))
            return
        if not name and not domain:
            return
        registration = registration_key(values.get("registration"))
        key = f"{domain or ''}|{registration}|{_organisation_key(name)}|{country or ''}"
        found = self.matches.get(key)
        if found is None:
            if self.on_record.cannot_match(name, domain, registration, country):
                found = OrganisationMatch(NONE)
            else:
                found = match_organisation(
                    self.session,
                    name=name,
                    domain=domain,
                    registration=registration,
                    country=country,
                )
            self.matches[key] = found
        if found.status == MATCHED:
            row.organisation_id = found.organisation_id
            row.params["organisation"] = found.candidates[0].name
            row.params["id"] = found.organisation_id
            row.params["reason"] = found.reason if found.candidates[0].score == 100 else "similar"
            return
        if found.status == CHOOSE:
            chosen = self.choices.get(key, -1)
            if chosen is None or chosen == 0:
                pass  # the user chose a new organisation
            elif chosen in {c.id for c in found.candidates}:
                candidate = next(c for c in found.candidates if c.id == chosen)
                row.organisation_id = chosen
                row.params.update(organisation=candidate.name, id=chosen, reason="chosen")
                return
            else:
                held = self.plan.held.get(key)
                if held is None:
                    held = HeldOrganisation(
                        key=key,
                        name=name or domain or "",
                        country_iso2=country,
                        candidates=[(c.id, c.name, c.country_iso2) for c in found.candidates],
                    )
                    self.plan.held[key] = held
                held.lines.append(row.line)
                row.held = key
                row.params.update(
                    value=held.name,
                    count=len(held.candidates),
                    names=", ".join(f"{n} (#{i})" for i, n, _c in held.candidates[:5]),
                )
                return
        self._new_organisation(row, name=name, domain=domain, registration=values.get(
            "registration"), country=country)  # fmt: skip

    def _new_organisation(
        self,
        row: PlannedRow,
        *,
        name: str | None,
        domain: str | None,
        registration: str | None,
        country: str | None,
    ) -> None:
        """An organisation to create, or one another row of the file creates already."""
        key = f"{_organisation_key(name or domain)}|{country or ''}"
        if domain and domain in self.new_by_domain:
            key = self.new_by_domain[domain]
        existing = self.plan.organisations.get(key)
        if existing is None:
            try:
                data = OrganisationCreate(
                    name=(name or domain or "")[:200],
                    kind=OrganisationKind.COMPANY,
                    domain=domain,
                    registration_number=(registration or None) and registration[:40],
                    hq_country_iso2=country,
                )
            except ValidationError:
                row.errors.append(("organisation", "value_error", {}))
                return
            self.plan.organisations[key] = data
            existing = data
            if domain:
                self.new_by_domain[domain] = key
        elif domain and existing.domain is None:
            existing.domain = domain
            self.new_by_domain[domain] = key
        row.new_organisation = key
        row.params["organisation"] = existing.name


def plan_import(
    session: Session,
    table: RawTable,
    mapping: dict[str, str],
    kind: str,
    *,
    mission_id: int | None = None,
    source: str | None = None,
    lawful_basis: LawfulBasis | str | None = None,
    choices: dict[str, int | None] | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Every row checked, nothing written: its errors (field, code, params), whether its
    record already exists (on record, or earlier in the same file), the organisations it
    matches or creates, the rows held for a choice (``choices``: a held organisation's key ->
    the id chosen, or 0 for a new one). ``mission_id``, ``source`` and ``lawful_basis`` are
    the import form's: the mission the people were met at, and what GDPR records of them."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    if mission_id is not None and session.get(Mission, mission_id) is None:
        raise RuleError("import.error.no_such_mission", field="mission", id=mission_id)
    plan = ImportPlan(
        kind=kind,
        rows=[],
        mission_id=mission_id if kind == "people" else None,
        source=(source or "").strip()[:200] or DEFAULT_SOURCE,
        lawful_basis=LawfulBasis(lawful_basis or LawfulBasis.LEGITIMATE_INTEREST),
    )
    planner = _Planner(session, plan, choices or {})
    if kind == "interactions":
        planner.missions = {
            fold(name): int(mission_id)
            for mission_id, name in session.exec(select(Mission.id, Mission.name)).all()
        }
    plan_row = {
        "organisations": _plan_organisation,
        "people": _plan_person,
        "interactions": _plan_interaction,
    }[kind]
    index = {name: table.headers.index(header) for name, header in mapping.items()}
    total = len(table.rows)
    for done, (line, cells) in enumerate(zip(table.lines, table.rows, strict=True), start=1):
        values = {name: (cells[i].strip() or None) for name, i in index.items()}
        row = PlannedRow(line=line, values=values)
        for name in REQUIRED[kind]:
            if not values.get(name):
                row.errors.append((name, "missing", {}))
        if not row.errors:
            plan_row(planner, row)
        if row.errors:
            row.status = "rejected"
        plan.rows.append(row)
        if progress is not None and (done % STEP == 0 or done == total):
            progress(done, total)
    return plan


def _repeated(planner: _Planner, row: PlannedRow, keys: list[Any]) -> bool:
    """True (the row marked) if a record key of the row was one of an earlier row's."""
    earlier = next((planner.seen[k] for k in keys if k in planner.seen), None)
    if earlier is not None:
        row.action, row.status, row.params = "exists", "repeated", {"line": earlier}
        return True
    for key in keys:
        planner.seen[key] = row.line
    return False


def _plan_organisation(planner: _Planner, row: PlannedRow) -> None:
    values = row.values
    country = planner.country(row)
    domain = domain_of(values.get("website"))
    if values.get("website") and domain is None:
        row.errors.append(("website", "bad_website", {"value": values["website"]}))
    sector = None
    if values.get("sector"):
        sector = planner.sectors.get(fold(values["sector"]))
        if sector is None:
            row.errors.append(("sector", "unknown_sector", {"value": values["sector"]}))
    kind = OrganisationKind.COMPANY
    if values.get("kind"):
        kinds = {fold(k.value): k for k in OrganisationKind}
        kind = kinds.get(fold(values["kind"]), OrganisationKind.COMPANY)
    _validate(
        row,
        OrganisationCreate,
        {
            "name": values["name"],
            "kind": kind,
            "domain": domain,
            "registration_number": values.get("registration"),
            "hq_country_iso2": country,
            "control_country_iso2": country,
            "sector_code": sector,
            "city": values.get("city"),
        },
    )
    if row.errors:
        return
    keys: list[Any] = [("organisation", organisation_key(values["name"]), country)]
    if domain:
        keys.append(("domain", domain))
    if _repeated(planner, row, keys):
        return
    found = match_organisation(
        planner.session,
        name=values["name"],
        domain=domain,
        registration=values.get("registration"),
        country=country,
    )
    if found.status == MATCHED:
        row.action, row.existing_id = "exists", found.organisation_id
        row.status = "exists_organisation"
        row.params = {"organisation": found.candidates[0].name, "id": found.organisation_id}


def _plan_person(planner: _Planner, row: PlannedRow) -> None:
    values = row.values
    country = planner.country(row)
    planner.organisation(row, country=country, field_name="organisation")
    phone, phone_ok = normalise_phone(values.get("phone"), country)
    if not phone_ok:
        row.errors.append(("phone", "bad_phone", {"value": values["phone"]}))
    email = (values.get("email") or "").strip().lower() or None
    # A plain address on a domain already accepted is checked here, as the model would (its
    # EmailStr is most of the dry run's time otherwise); any other one by the model itself.
    known = known_valid(email) if email else None
    _validate(
        row,
        PersonCreate,
        {
            "first_name": values["first_name"],
            "last_name": values["last_name"],
            "job_title": values.get("job_title"),
            "email": None if known else email,
            "phone": phone,
            "country_iso2": country,
            "organisation_id": row.organisation_id,
            "data_source": planner.plan.source,
            "lawful_basis": planner.plan.lawful_basis,
        },
    )
    if row.errors:
        return
    if known:
        row.replace_data("email", known)
    name_key = person_key(values["first_name"], values["last_name"])
    organisation = row.organisation_id or row.new_organisation or row.held
    keys: list[Any] = [("person", name_key, organisation)]
    if email:
        keys.append(("email", email))
    if _repeated(planner, row, keys):
        return
    by_email, by_name = planner.people()
    existing = by_email.get(email) if email else None
    reason = "email"
    if existing is None and row.organisation_id is not None:
        existing, reason = by_name.get((row.organisation_id, name_key)), "name"
    if existing is not None:
        row.action, row.existing_id, row.status = "exists", existing, f"exists_{reason}"
    elif row.held:
        row.action, row.status = "choose", "choose"
    elif row.new_organisation:
        row.status = "new_person_new_organisation"
    elif row.organisation_id:
        row.status = "new_person_matched"
    else:
        row.status = "new_person"
    if planner.plan.mission_id is not None and row.action != "choose":
        person_linked = existing is not None and planner.linked("person", existing)
        org_linked = row.organisation_id is None or planner.linked(
            "organisation", row.organisation_id
        )
        row.link = not (person_linked and org_linked)


def parse_date(text: str | None) -> date | None:
    """A date as spreadsheets write it: day first (28/11/2026, 28.11.2026, 28/11/26), ISO
    (2026-11-28) or an Excel date cell (2026-11-28 00:00:00); None if it is none of them."""
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _enum_choice(text: str | None, enum: type, words: dict[str, Any]) -> Any:
    """The member of ``enum`` that ``text`` names (its value, its label in any language of the
    interface, or a usual word), or None."""
    if not text:
        return None
    folded = fold(text)
    for member in enum:
        names = {fold(member.value)}
        names |= {fold(t(f"enum.{enum.__name__}.{member.value}", lang)) for lang in LANGUAGES}
        if folded in names:
            return member
    return words.get(folded)


def _plan_interaction(planner: _Planner, row: PlannedRow) -> None:
    session, values = planner.session, row.values
    occurred_on = parse_date(values["date"])
    if occurred_on is None:
        row.errors.append(("date", "bad_date", {"value": values["date"]}))
    due_on = parse_date(values.get("due_on"))
    if values.get("due_on") and due_on is None:
        row.errors.append(("due_on", "bad_date", {"value": values["due_on"]}))
    if occurred_on and due_on and due_on < occurred_on:
        row.errors.append(("due_on", "due_before_date", {}))
    kind = _enum_choice(values.get("kind"), InteractionKind, KIND_WORDS)
    if values.get("kind") and kind is None:
        row.errors.append(("kind", "unknown_value", {"value": values["kind"]}))
    outcome = _enum_choice(values.get("outcome"), InteractionOutcome, OUTCOME_WORDS)
    if values.get("outcome") and outcome is None:
        row.errors.append(("outcome", "unknown_value", {"value": values["outcome"]}))
    text = values["organisation"] or ""
    if not values.get("website") and "." in text and " " not in text.strip() and domain_of(text):
        values = row.values = {**values, "website": text, "organisation": None}
    planner.organisation(row, country=planner.country(row), field_name="organisation")
    organisation_id = row.organisation_id
    if values.get("project") and row.new_organisation:
        row.errors.append(("project", "unknown_project", {"value": values["project"]}))
    project_id = None
    if values.get("project") and organisation_id is not None:
        project_id = next(
            (
                int(i)
                for i, name in session.exec(
                    select(Project.id, Project.code_name).where(
                        Project.organisation_id == organisation_id
                    )
                ).all()
                if fold(name) == fold(values["project"])
            ),
            None,
        )
        if project_id is None:
            row.errors.append(("project", "unknown_project", {"value": values["project"]}))
    mission_id = None
    if values.get("mission"):
        mission_id = planner.missions.get(fold(values["mission"]))
        if mission_id is None:
            row.errors.append(("mission", "unknown_mission", {"value": values["mission"]}))
    participants: list[int] = []
    for email in re.split(r"[;,\s]+", (values.get("participants") or "").lower()):
        if not email:
            continue
        found = session.exec(select(Person.id).where(sa.func.lower(Person.email) == email))
        person_id = found.first()
        if person_id is None:
            row.errors.append(("participants", "unknown_person", {"value": email}))
        elif int(person_id) not in participants:
            participants.append(int(person_id))
    if row.errors:
        return
    _validate(
        row,
        InteractionCreate,
        {
            "occurred_on": occurred_on,
            "kind": kind or InteractionKind.MEETING,
            "organisation_id": organisation_id,
            "project_id": project_id,
            "mission_id": mission_id,
            "place": values.get("place"),
            "outcome": outcome or InteractionOutcome.INFORMATION,
            "summary": values.get("summary"),
            "next_step": values.get("next_step"),
            "next_step_due_on": due_on,
            "author": "import",  # the importing user, set when written
            "owner": values.get("owner"),
            "participant_ids": participants,
        },
    )
    if row.errors:
        return
    if row.held:
        row.action, row.status = "choose", "choose"
        return
    summary = fold(values.get("summary") or "")
    organisation = organisation_id or row.new_organisation
    if _repeated(
        planner, row, [("interaction", occurred_on, organisation, row.data.kind, summary)]
    ):
        return
    if organisation_id is None:
        return  # a new organisation: no meeting of it on record
    same_day = session.exec(
        select(Interaction.id, Interaction.summary).where(
            Interaction.occurred_on == occurred_on,
            Interaction.organisation_id == organisation_id,
            Interaction.kind == row.data.kind,
        )
    ).all()
    existing = next((i for i, text in same_day if fold(text or "") == summary), None)
    if existing is not None:
        row.action, row.existing_id, row.status = "exists", int(existing), "exists_meeting"


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def apply_import(
    session: Session,
    plan: ImportPlan,
    *,
    author: str,
    all_or_nothing: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Write the plan: its new valid rows, the organisations they create, and the mission
    attendances. ``all_or_nothing``: every row or none, in one transaction (a rejected or
    held row refuses the whole file: ``RuleError``, nothing written); otherwise the valid rows
    only, ``BATCH`` rows per transaction (a batch the database refuses is rolled back whole
    and the error raised: the rows of earlier batches stay written, and a second run of the
    same file skips them as already there). An organisation is written in the transaction of
    the first row that names it."""
    authorise(session, Role.STAFF)
    totals = plan.totals()
    if all_or_nothing and (totals["rejected"] or totals["to_choose"]):
        raise RuleError(
            "import.error.not_all_valid", rejected=totals["rejected"], held=totals["to_choose"]
        )
    todo = [r for r in plan.rows if not r.rejected and (r.action == "create" or r.link)]
    size = len(todo) if all_or_nothing else BATCH
    writer = _Writer(session, plan, author)
    done = 0
    for start in range(0, max(len(todo), 1), max(size, 1)):
        batch = todo[start : start + size]
        if not batch:
            break
        with write_transaction(session, Role.STAFF, author):
            for offset in range(0, len(batch), STEP):
                chunk = batch[offset : offset + STEP]
                writer.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, len(todo))
        writer.committed()
    return ImportReport(
        created=sum(r.action == "create" for r in todo),
        existing=plan.count("exists"),
        rejected=[r for r in plan.rows if r.rejected],
        organisations=writer.organisations_created,
        held=plan.count("choose"),
        attendances=writer.attendances,
    )


_DEFAULTS: dict[type, list[tuple[str, Callable[[], Any] | None, Any]]] = {}


def _table_row(model: type, values: dict[str, Any]) -> dict[str, Any]:
    """Every column of a new ``model`` row from a Create model's values, the table model's own
    defaults as constructing it would give them (``created_at``: its factory called for each
    row); not its id nor name key (the database and the column default give them)."""
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        defaults = _DEFAULTS[model] = [
            (name, info.default_factory, info.default)  # type: ignore[misc]
            for name, info in model.model_fields.items()
            if name not in ("id", "name_key")
        ]
    row = dict(values)
    for name, factory, default in defaults:
        if name not in row:
            row[name] = factory() if factory is not None else default
    return row


class _Writer:
    """Writes rows of a plan chunk by chunk, the new organisations first (their ids are the
    rows' to name), then the rows, then the mission's attendances.

    Organisations and people go in by one Core INSERT ... RETURNING id per chunk
    (executemany, in the rows' order on both engines), their name keys by the column
    default, and their audit entries by ``core.audit.record_inserts`` with the content the
    ORM's flush would give them; meetings and attendances go through the ORM."""

    def __init__(self, session: Session, plan: ImportPlan, author: str) -> None:
        self.session, self.plan, self.author = session, plan, author
        self.organisation_ids: dict[str, int] = {}
        self._uncommitted: list[str] = []
        self.linked: set[tuple[str, int]] | None = None
        self.organisations_created = 0
        self.attendances = 0

    def committed(self) -> None:
        self._uncommitted.clear()

    def _insert(self, model: type, rows: list[dict[str, Any]]) -> list[int]:
        if not rows:
            return []
        table, connection = model.__table__, self.session.connection()
        if connection.dialect.name == "sqlite":
            # SQLite gives a new row the largest rowid plus one, and this transaction holds
            # the write lock from its first insert: one executemany's rows get consecutive
            # ids ending at the largest (its RETURNING in parameter order would go row by row).
            connection.execute(sa.insert(table), rows)
            last = int(connection.execute(sa.select(sa.func.max(table.c.id))).scalar_one())
            ids = list(range(last - len(rows) + 1, last + 1))
        else:
            # PostgreSQL: the ids taken from the table's sequence first (as the ORM's inserts
            # would take them, in the rows' order), then one executemany (its pipeline): an
            # INSERT ... RETURNING of 1,000 rows is one huge statement psycopg parses slowly.
            sequence = sa.func.pg_get_serial_sequence(table.name, "id")
            taken = sa.select(sa.func.nextval(sequence)).select_from(
                sa.func.generate_series(1, len(rows))
            )
            ids = sorted(int(i) for i in connection.execute(taken).scalars())
            for row, new_id in zip(rows, ids, strict=True):
                row["id"] = new_id
            connection.execute(sa.insert(table), rows)
        for row, new_id in zip(rows, ids, strict=True):
            row["id"] = new_id
        record_inserts(self.session, model, rows)
        return ids

    def _organisations(self, rows: list[PlannedRow]) -> None:
        keys: list[str] = []
        for row in rows:
            key = row.new_organisation
            if key and key not in self.organisation_ids and key not in keys:
                keys.append(key)
        if not keys:
            return
        new = [_table_row(Organisation, self.plan.organisations[key].model_dump()) for key in keys]
        for key, new_id in zip(keys, self._insert(Organisation, new), strict=True):
            self.organisation_ids[key] = new_id
            self._uncommitted.append(key)
        self.organisations_created += len(keys)

    def _organisation_of(self, row: PlannedRow) -> int | None:
        if row.new_organisation:
            return self.organisation_ids[row.new_organisation]
        return row.organisation_id

    def write(self, rows: list[PlannedRow]) -> None:
        self._organisations(rows)
        kind = self.plan.kind
        new: list[dict[str, Any]] = []
        for row in rows:
            if row.action != "create":
                continue
            values = row.data_values()  # validated by the dry run
            if kind == "people":
                values["organisation_id"] = self._organisation_of(row)
                new.append(_table_row(Person, values))
            elif kind == "organisations":
                new.append(_table_row(Organisation, values))
            else:
                self._interaction(values, self._organisation_of(row))
        if kind == "interactions":
            return
        ids = iter(self._insert(Person if kind == "people" else Organisation, new))
        if self.plan.mission_id is None:
            return
        for row in rows:
            person_id = next(ids) if row.action == "create" else row.existing_id
            self._attend(person_id, self._organisation_of(row))

    def _interaction(self, values: dict[str, Any], organisation_id: int | None) -> None:
        people = values.pop("participant_ids")
        values["author"] = self.author
        values["organisation_id"] = organisation_id
        interaction = Interaction.model_validate(values)
        self.session.add(interaction)
        if people:
            self.session.flush()
            for person_id in people:
                self.session.add(
                    InteractionParticipant(interaction_id=interaction.id, person_id=person_id)
                )

    def _linked(self, mission: int) -> set[tuple[str, int]]:
        """What is recorded as met during the mission, read once (then kept as written)."""
        if self.linked is None:
            people = self.session.exec(
                select(MissionPerson.person_id).where(MissionPerson.mission_id == mission)
            ).all()
            orgs = self.session.exec(
                select(MissionOrganisation.organisation_id).where(
                    MissionOrganisation.mission_id == mission
                )
            ).all()
            self.linked = {("person", int(i)) for i in people}
            self.linked |= {("organisation", int(i)) for i in orgs}
        return self.linked

    def _attend(self, person_id: int | None, organisation_id: int | None) -> None:
        mission = self.plan.mission_id
        assert mission is not None
        linked = self._linked(mission)
        if person_id is not None and ("person", person_id) not in linked:
            self.session.add(MissionPerson(mission_id=mission, person_id=person_id))
            self.attendances += 1
            linked.add(("person", person_id))
        if organisation_id is not None and ("organisation", organisation_id) not in linked:
            self.session.add(
                MissionOrganisation(mission_id=mission, organisation_id=organisation_id)
            )
            linked.add(("organisation", organisation_id))


# ---------------------------------------------------------------------------------------------
# What the dry run says, and the rejected rows
# ---------------------------------------------------------------------------------------------

_REASONS = {"domain", "registration", "name", "similar", "chosen"}


def _field_label(name: str, lang: str) -> str:
    key = f"import.field.{name}"
    return t(key, lang) if name and has_key(key, lang) else name


def error_text(code: str, params: dict, lang: str = "en") -> str:
    """An error code's text in ``lang`` ("unknown country Atlantide")."""
    key = f"import.error.{code}"
    if not has_key(key, lang):
        return code
    return t(key, lang, **{k: str(v) for k, v in params.items()})


def row_errors(row: PlannedRow, lang: str) -> str:
    """ "Country: unknown country « Atlantide »; E-mail: invalid value" in ``lang``."""
    sep = " : " if lang == "fr" else ": "
    return "; ".join(
        f"{_field_label(f, lang)}{sep}{error_text(c, p, lang)}" for f, c, p in row.errors
    )


def row_status(row: PlannedRow, lang: str) -> str:
    """What the dry run says of the row in ``lang``: "new person · new organisation Example
    Tech", "already on record (same e-mail)", "to choose: 2 similar organisations",
    "rejected: E-mail: invalid value"."""
    if row.rejected:
        return t("import.row.rejected", lang, errors=row_errors(row, lang))
    params = {k: str(v) for k, v in row.params.items()}
    if row.params.get("reason") in _REASONS:
        params["reason"] = t(f"import.reason.{row.params['reason']}", lang)
    return t(f"import.row.{row.status}", lang, **params)


def rejected_rows_file(table: RawTable, plan: ImportPlan, lang: str, fmt: str = "csv") -> bytes:
    """The rows not imported (rejected, or held for a choice) as they were in the file, in
    its columns, plus a last column saying why in ``lang``: to fix in Excel and import again
    (the reason column is not read back)."""
    by_line = dict(zip(table.lines, table.rows, strict=True))
    rows = [
        [*by_line[row.line], row_status(row, lang)]
        for row in plan.rows
        if row.rejected or row.action == "choose"
    ]
    headers = [*table.headers, t("import.reason_column", lang)]
    return table_file(headers, rows, fmt=fmt, delimiter=table.delimiter)


def rejected_rows_csv(table: RawTable, plan: ImportPlan, lang: str = "en") -> bytes:
    """``rejected_rows_file`` as CSV."""
    return rejected_rows_file(table, plan, lang, "csv")
