"""Imports of organisations, people and interactions (the meeting log) from CSV or Excel files,
as spreadsheet programs save them in France and elsewhere: comma or semicolon separators, UTF-8
with or without BOM or Windows-1252, or ``.xlsx``.

The flow: ``read_table`` (the file's header and rows), ``guess_mapping`` (which column holds
which field, guessed from French and English headers), ``plan_import`` (a dry run: every row
checked through the models, its errors and its likely duplicates, nothing written), then
``apply_import`` (the valid new rows written, in batches, one transaction per batch).

Importing the same file twice creates nothing the second time: a row whose record already
exists (an organisation with the same website, or the same name in the same country; a person
with the same e-mail, or the same name in the same organisation; an interaction of the same
kind with the same organisation on the same day and the same summary) is skipped as "already
there".

Interactions name their organisation (by name or website), project (code name, within that
organisation), mission (name) and participants (e-mails) as they are on record: an unknown one
rejects the row, so import organisations and people first. Dates are day first (28/11/2026,
28.11.2026), ISO (2026-11-28) or Excel dates.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from openpyxl import load_workbook
from pydantic import ValidationError
from sqlmodel import Session, select

from core.i18n import LANGUAGES, t
from core.matching import CHOOSE, MATCHED, NONE, OrganisationMatch, match_organisation
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
    Mission,
    Organisation,
    OrganisationCreate,
    OrganisationKind,
    Person,
    PersonCreate,
    Project,
    Role,
    Sector,
)

KINDS = ("organisations", "people", "interactions")
BATCH = 200

#: Field -> header names that mean it (folded: lower-case, no accents or punctuation).
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "organisations": {
        "name": ("name", "nom", "raison sociale", "organisation", "organization", "company",
                 "societe", "entreprise"),
        "country": ("country", "pays", "pays siege", "hq country", "country code", "code pays"),
        "website": ("website", "site web", "site", "site internet", "web", "url", "domain",
                    "domaine"),
        "sector": ("sector", "secteur", "filiere"),
        "city": ("city", "ville"),
        "kind": ("kind", "type"),
    },
    "people": {
        "first_name": ("first name", "firstname", "prenom", "given name"),
        "last_name": ("last name", "lastname", "nom", "surname", "family name", "nom de famille"),
        "email": ("email", "e mail", "mail", "courriel", "adresse e mail", "adresse email"),
        "phone": ("phone", "telephone", "tel", "mobile", "portable"),
        "job_title": ("job title", "title", "fonction", "poste", "titre"),
        "organisation": ("organisation", "organization", "company", "societe", "entreprise",
                         "raison sociale"),
        "country": ("country", "pays"),
    },
    "interactions": {
        "date": ("date", "date du rendez vous", "date du rdv", "date rdv", "meeting date",
                 "occurred on", "jour"),
        "organisation": ("organisation", "organization", "company", "societe", "entreprise",
                         "raison sociale"),
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


@dataclass
class RawTable:
    headers: list[str]
    rows: list[list[str]]  # blank lines left out; short rows padded
    lines: list[int]  # each row's line number in the file (header = 1)


@dataclass
class PlannedRow:
    line: int
    values: dict[str, str | None]  # the mapped cells
    errors: list[tuple[str, str, dict]] = field(default_factory=list)  # (field, code, params)
    action: str = "create"  # "create", "exists" (already on record or earlier in the file)
    existing_id: int | None = None
    data: Any = None  # the validated Create model

    @property
    def rejected(self) -> bool:
        return bool(self.errors)


@dataclass
class ImportPlan:
    kind: str
    rows: list[PlannedRow]

    def count(self, what: str) -> int:
        if what == "rejected":
            return sum(r.rejected for r in self.rows)
        return sum(not r.rejected and r.action == what for r in self.rows)


@dataclass
class ImportReport:
    created: int
    existing: int
    rejected: list[PlannedRow]


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) if the bytes are valid UTF-8, else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _delimiter(text: str) -> str:
    header = text.splitlines()[0] if text else ""
    return max((";", ",", "\t"), key=header.count)


def read_table(data: bytes, filename: str) -> RawTable:
    """The header and the non-blank rows of a ``.csv`` or ``.xlsx`` file."""
    if filename.lower().endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        raw = [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(
            values_only=True)]  # fmt: skip
    else:
        text = decode(data)
        raw = [[cell.strip() for cell in row] for row in csv.reader(
            io.StringIO(text), delimiter=_delimiter(text))]  # fmt: skip
    numbered = [(i + 1, row) for i, row in enumerate(raw)]
    numbered = [(n, row) for n, row in numbered if any(cell for cell in row)]
    if not numbered:
        return RawTable(headers=[], rows=[], lines=[])
    (_, headers), body = numbered[0], numbered[1:]
    width = len(headers)
    rows = [(row + [""] * width)[:width] for _, row in body]
    return RawTable(headers=headers, rows=rows, lines=[n for n, _ in body])


def guess_mapping(headers: list[str], kind: str) -> dict[str, str]:
    """Field -> header, for the headers that say what they hold (first one wins)."""
    folded = {fold(h): h for h in reversed(headers)}
    mapping: dict[str, str] = {}
    for name, aliases in ALIASES[kind].items():
        for alias in aliases:
            if alias in folded and folded[alias] not in mapping.values():
                mapping[name] = folded[alias]
                break
    return mapping


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
            codes[fold(text)] = iso2
    return codes


def _sectors(session: Session) -> dict[str, str]:
    codes: dict[str, str] = {}
    for code, fr, en in session.exec(select(Sector.code, Sector.label_fr, Sector.label_en)):
        for text in (code, fr, en):
            codes[fold(text)] = code
    return codes


def _cells(table: RawTable, mapping: dict[str, str]) -> list[tuple[int, dict[str, str | None]]]:
    index = {name: table.headers.index(header) for name, header in mapping.items()}
    return [
        (line, {name: (row[i].strip() or None) for name, i in index.items()})
        for line, row in zip(table.lines, table.rows, strict=True)
    ]


def _validate(row: PlannedRow, model: type, values: dict[str, Any]) -> None:
    try:
        row.data = model.model_validate(values)
    except ValidationError as error:
        for item in error.errors():
            loc = [str(p) for p in item.get("loc", ()) if not isinstance(p, int)]
            ctx = {k: v for k, v in (item.get("ctx") or {}).items() if isinstance(v, int)}
            row.errors.append((loc[-1] if loc else "", item.get("type", "invalid"), ctx))


def plan_import(
    session: Session, table: RawTable, mapping: dict[str, str], kind: str
) -> ImportPlan:
    """Every row checked, nothing written: its errors (field, code, params) and whether its
    record already exists (on record, or earlier in the same file)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    planner = {
        "organisations": _plan_organisation,
        "people": _plan_person,
        "interactions": _plan_interaction,
    }[kind]
    countries = country_codes(session)
    context: dict[str, Any] = {"countries": countries, "sectors": _sectors(session), "seen": {}}
    if kind == "interactions":
        context["missions"] = {
            fold(name): int(mission_id)
            for mission_id, name in session.exec(select(Mission.id, Mission.name)).all()
        }
    rows = []
    for line, values in _cells(table, mapping):
        row = PlannedRow(line=line, values=values)
        for name in REQUIRED[kind]:
            if not values.get(name):
                row.errors.append((name, "missing", {}))
        if not row.errors:
            planner(session, row, context)
        rows.append(row)
    return ImportPlan(kind=kind, rows=rows)


def _country(row: PlannedRow, context: dict, column: str = "country") -> str | None:
    text = row.values.get(column)
    if not text:
        return None
    code = context["countries"].get(fold(text))
    if code is None:
        row.errors.append((column, "unknown_country", {"value": text}))
    return code


def _plan_organisation(session: Session, row: PlannedRow, context: dict) -> None:
    values = row.values
    country = _country(row, context)
    domain = domain_of(values.get("website"))
    if values.get("website") and domain is None:
        row.errors.append(("website", "bad_website", {"value": values["website"]}))
    sector = None
    if values.get("sector"):
        sector = context["sectors"].get(fold(values["sector"]))
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
            "hq_country_iso2": country,
            "control_country_iso2": country,
            "sector_code": sector,
            "city": values.get("city"),
        },
    )
    if row.errors:
        return
    key = (organisation_key(values["name"]), country)
    seen = context["seen"]
    if domain and ("domain", domain) in seen or key in seen:
        row.action = "exists"  # earlier in the same file
        return
    found = match_organisation(session, name=values["name"], domain=domain, country=country)
    if found.status == MATCHED:
        row.action, row.existing_id = "exists", found.organisation_id
    seen[key] = True
    if domain:
        seen[("domain", domain)] = True


def _organisation_named(row: PlannedRow, match: OrganisationMatch, text: str) -> int | None:
    """The organisation a row names, or None with the row's error (none, or to choose)."""
    if match.status == MATCHED:
        return match.organisation_id
    if match.status == CHOOSE:
        names = ", ".join(f"{c.name} (#{c.id})" for c in match.candidates[:5])
        params = {"value": text, "count": len(match.candidates), "names": names}
        row.errors.append(("organisation", "ambiguous_organisation", params))
    else:
        row.errors.append(("organisation", "unknown_organisation", {"value": text}))
    return None


def _plan_person(session: Session, row: PlannedRow, context: dict) -> None:
    values = row.values
    country = _country(row, context)
    organisation_id = None
    if values.get("organisation"):
        found = match_organisation(session, name=values["organisation"])
        organisation_id = _organisation_named(row, found, values["organisation"])
    phone, phone_ok = normalise_phone(values.get("phone"), country)
    if not phone_ok:
        row.errors.append(("phone", "bad_phone", {"value": values["phone"]}))
    email = (values.get("email") or "").strip().lower() or None
    _validate(
        row,
        PersonCreate,
        {
            "first_name": values["first_name"],
            "last_name": values["last_name"],
            "job_title": values.get("job_title"),
            "email": email,
            "phone": phone,
            "country_iso2": country,
            "organisation_id": organisation_id,
            "data_source": context.get("source") or "import",
        },
    )
    if row.errors:
        return
    seen = context["seen"]
    key = (person_key(values["first_name"], values["last_name"]), organisation_id)
    if (email and ("email", email) in seen) or key in seen:
        row.action = "exists"
        return
    existing = None
    if email:
        existing = session.exec(
            select(Person.id).where(sa.func.lower(Person.email) == email)
        ).first()
    if existing is None and organisation_id is not None:
        existing = session.exec(
            select(Person.id).where(
                Person.organisation_id == organisation_id, Person.name_key == key[0]
            )
        ).first()
    if existing is not None:
        row.action, row.existing_id = "exists", int(existing)
    seen[key] = True
    if email:
        seen[("email", email)] = True


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


def _plan_interaction(session: Session, row: PlannedRow, context: dict) -> None:
    values = row.values
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
    organisation_id = _organisation_of(session, row, values["organisation"])
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
        mission_id = context["missions"].get(fold(values["mission"]))
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
    summary = fold(values.get("summary") or "")
    key = ("interaction", occurred_on, organisation_id, row.data.kind, summary)
    if key in context["seen"]:
        row.action = "exists"
        return
    context["seen"][key] = True
    same_day = session.exec(
        select(Interaction.id, Interaction.summary).where(
            Interaction.occurred_on == occurred_on,
            Interaction.organisation_id == organisation_id,
            Interaction.kind == row.data.kind,
        )
    ).all()
    existing = next((i for i, text in same_day if fold(text or "") == summary), None)
    if existing is not None:
        row.action, row.existing_id = "exists", int(existing)


def _organisation_of(session: Session, row: PlannedRow, text: str) -> int | None:
    """The organisation a cell names: by its website when the cell is one, else by name."""
    website = "." in text and " " not in text.strip() and domain_of(text)
    found = match_organisation(session, domain=text) if website else None
    if found is None or found.status == NONE:
        found = match_organisation(session, name=text)
    return _organisation_named(row, found, text)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def apply_import(
    session: Session,
    plan: ImportPlan,
    *,
    author: str,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Write the plan's new, valid rows, ``BATCH`` rows per transaction (a batch that fails
    is rolled back whole and the error raised: rows of earlier batches stay written, and a
    second run of the same file skips them as already there)."""
    authorise(session, Role.ADMIN)
    todo = [r for r in plan.rows if not r.rejected and r.action == "create"]
    for start in range(0, len(todo), BATCH):
        batch = todo[start : start + BATCH]
        with write_transaction(session, Role.ADMIN, author):
            for row in batch:
                _add_row(session, plan.kind, row, author)
        if progress is not None:
            progress(start + len(batch), len(todo))
    return ImportReport(
        created=len(todo),
        existing=plan.count("exists"),
        rejected=[r for r in plan.rows if r.rejected],
    )


def _add_row(session: Session, kind: str, row: PlannedRow, author: str) -> None:
    values = row.data.model_dump()
    if kind == "organisations":
        session.add(Organisation.model_validate(values))
    elif kind == "people":
        values["data_source"] = f"import by {author}"
        session.add(Person.model_validate(values))
    else:
        people = values.pop("participant_ids")
        values["author"] = author
        interaction = Interaction.model_validate(values)
        session.add(interaction)
        session.flush()
        for person_id in people:
            session.add(InteractionParticipant(interaction_id=interaction.id, person_id=person_id))


def error_text(code: str, params: dict) -> str:
    """An English text of an error code (the interface translates the codes itself)."""
    texts = {
        "missing": "required",
        "unknown_country": "unknown country {value}",
        "unknown_sector": "unknown sector {value}",
        "unknown_organisation": "no organisation named {value}",
        "ambiguous_organisation": "{count} organisations like {value}: {names}",
        "bad_website": "not a website: {value}",
        "bad_phone": "not a phone number: {value}",
        "bad_date": "not a date: {value}",
        "due_before_date": "due before the meeting",
        "unknown_value": "unknown value {value}",
        "unknown_project": "no project {value} of this organisation",
        "unknown_mission": "no mission named {value}",
        "unknown_person": "no person with e-mail {value}",
        "value_error": "invalid value",
        "string_too_long": "too long",
    }
    return texts.get(code, code).format(**params)


def rejected_rows_csv(table: RawTable, plan: ImportPlan) -> bytes:
    """The rejected rows as they were in the file, with their line and errors first (UTF-8
    with BOM, ";"), to correct and import again."""
    by_line = dict(zip(table.lines, table.rows, strict=True))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["line", "errors", *table.headers])
    for row in plan.rows:
        if row.rejected:
            errors = "; ".join(f"{f}: {error_text(c, p)}" for f, c, p in row.errors)
            writer.writerow([row.line, errors, *by_line[row.line]])
    return buffer.getvalue().encode("utf-8-sig")
