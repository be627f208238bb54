"""Personal data of business contacts under the GDPR (see DOMAIN.md): anonymisation that leaves
every project and KPI as it was, the export of everything held on one person, the retention
list (no contact initiated by the person for three years), and the register of data-subject
requests with their one-month due dates.

Anonymising keeps the person's row, its organisation and every link (meetings, missions), so
that counts do not move; it removes the identity: names, job title, e-mail, phone, country,
tags, source, dates of contact; it replaces the person's full name, e-mail and phone where they
appear in the texts of the meetings they took part in; and it redacts the values of the audit
trail's entries on the person (the one change the trail allows).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, date, datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlmodel import Session, delete, select

from core.errors import RuleError
from core.writes import write_transaction
from models import (
    AccessLogEntry,
    AuditEntry,
    DataRequest,
    DataRequestCreate,
    Interaction,
    InteractionParticipant,
    Mission,
    MissionPerson,
    Organisation,
    Person,
    RequestStatus,
    Role,
    utcnow,
)

log = logging.getLogger(__name__)

ANONYMOUS_FIRST = "Anonyme"
REDACTED = "[anonymisé]"
#: Person fields that name or reach the person (all cleared or replaced on anonymisation).
IDENTITY = (
    "first_name",
    "last_name",
    "job_title",
    "email",
    "phone",
    "country_iso2",
    "tags",
    "data_source",
    "notice_sent_on",
    "last_inbound_contact_on",
)
RETENTION_YEARS = 3
ANSWER_WITHIN = relativedelta(months=1)


# ---------------------------------------------------------------------------------------------
# Anonymisation
# ---------------------------------------------------------------------------------------------


def _scrub(text: str | None, patterns: list[re.Pattern[str]]) -> str | None:
    if not text:
        return text
    for pattern in patterns:
        text = pattern.sub(REDACTED, text)
    return text


def _patterns(person: Person) -> list[re.Pattern[str]]:
    words = [
        f"{person.first_name} {person.last_name}",
        f"{person.last_name} {person.first_name}",
        person.email or "",
        person.phone or "",
    ]
    return [re.compile(re.escape(w), re.IGNORECASE) for w in words if w.strip()]


def _redact(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {k: (REDACTED if k in IDENTITY and v is not None else v) for k, v in values.items()}


def anonymise_person(session: Session, *, person_id: int, author: str) -> Person:
    """Remove a person's identity everywhere it is held, in one transaction; their links to
    organisations, meetings and missions stay, so every count stays the same."""
    with write_transaction(session, Role.ADMIN, author):
        person = session.get(Person, person_id)
        if person is None:
            raise LookupError(f"no person with id {person_id}")
        if person.anonymised_at is not None:
            raise RuleError("rule.person.already_anonymised")
        patterns = _patterns(person)
        meetings = session.exec(
            select(Interaction)
            .join(InteractionParticipant, InteractionParticipant.interaction_id == Interaction.id)
            .where(InteractionParticipant.person_id == person_id)
        ).all()
        for meeting in meetings:
            meeting.summary = _scrub(meeting.summary, patterns)
            meeting.next_step = _scrub(meeting.next_step, patterns)
            session.add(meeting)
        for name in IDENTITY:
            setattr(person, name, None)
        person.first_name, person.last_name = ANONYMOUS_FIRST, f"#{person_id}"
        person.data_source = "anonymised"
        person.anonymised_at = utcnow()
        session.add(person)
        session.flush()  # the audit entries of these writes exist from here on
        _redact_trail(session, person_id, [m.id for m in meetings], patterns)
    session.refresh(person)
    log.info("person %s anonymised by %s", person_id, author)
    return person


def _redact_trail(
    session: Session, person_id: int, meeting_ids: list[int], patterns: list[re.Pattern[str]]
) -> None:
    now = utcnow()
    entries = session.exec(
        select(AuditEntry).where(
            AuditEntry.table_name == "person",
            AuditEntry.row_key == str(person_id),
            AuditEntry.redacted_at.is_(None),
        )
    ).all()
    for entry in entries:
        entry.before, entry.after, entry.redacted_at = (
            _redact(entry.before),
            _redact(entry.after),
            now,
        )
        session.add(entry)
    texts = session.exec(
        select(AuditEntry).where(
            AuditEntry.table_name == "interaction",
            AuditEntry.row_key.in_([str(i) for i in meeting_ids]),
            AuditEntry.redacted_at.is_(None),
        )
    ).all()
    for entry in texts:

        def scrub(values: dict | None) -> dict | None:
            if values is None:
                return None
            return {
                k: (_scrub(v, patterns) if k in ("summary", "next_step") else v)
                for k, v in values.items()
            }

        before, after = scrub(entry.before), scrub(entry.after)
        if (before, after) != (entry.before, entry.after):
            entry.before, entry.after, entry.redacted_at = before, after, now
            session.add(entry)


# ---------------------------------------------------------------------------------------------
# Everything held on one person
# ---------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def export_person(session: Session, person_id: int) -> dict[str, Any]:
    """Everything the database holds on one person (GDPR art. 15): their record, their
    organisation, the meetings they took part in, the missions they were met at, the changes
    made to their record, and their requests."""
    person = session.get(Person, person_id)
    if person is None:
        raise LookupError(f"no person with id {person_id}")
    record = {
        k: _plain(v)
        for k, v in person.model_dump().items()
        if k not in ("is_demo", "created_at", "updated_at")
    }
    organisation = (
        session.get(Organisation, person.organisation_id) if person.organisation_id else None
    )
    meetings = session.exec(
        select(Interaction)
        .join(InteractionParticipant, InteractionParticipant.interaction_id == Interaction.id)
        .where(InteractionParticipant.person_id == person_id)
        .order_by(Interaction.occurred_on, Interaction.id)
    ).all()
    missions = session.exec(
        select(Mission.name, Mission.starts_on)
        .join(MissionPerson, MissionPerson.mission_id == Mission.id)
        .where(MissionPerson.person_id == person_id)
        .order_by(Mission.starts_on)
    ).all()
    changes = session.exec(
        select(AuditEntry)
        .where(AuditEntry.table_name == "person", AuditEntry.row_key == str(person_id))
        .order_by(AuditEntry.id)
    ).all()
    requests = session.exec(
        select(DataRequest).where(DataRequest.person_id == person_id).order_by(DataRequest.id)
    ).all()
    return {
        "person": record,
        "organisation": organisation.name if organisation else None,
        "meetings": [
            {
                "date": m.occurred_on.isoformat(),
                "kind": m.kind.value,
                "summary": m.summary,
                "next_step": m.next_step,
                "logged_by": m.author,
            }
            for m in meetings
        ],
        "missions": [{"name": n, "starts_on": s.isoformat()} for n, s in missions],
        "changes": [
            {
                "at": e.at.isoformat(),
                "by": e.actor,
                "action": e.action.value,
                "before": e.before,
                "after": e.after,
            }
            for e in changes
        ],
        "requests": [
            {
                "kind": r.kind.value,
                "received_on": r.received_on.isoformat(),
                "due_on": r.due_on.isoformat(),
                "status": r.status.value,
            }
            for r in requests
        ],
    }


def person_export_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def person_export_text(data: dict[str, Any], agency: str) -> str:
    """The same as a document a person can read (Markdown, French first, then English)."""
    person = data["person"]
    lines = [
        f"# Données personnelles détenues par {agency} / Personal data held by {agency}",
        "",
        "## Fiche / Record",
        "",
        *(f"- {k}: {v if v not in (None, '') else '—'}" for k, v in person.items()),
        f"- organisation: {data['organisation'] or '—'}",
        "",
        f"## Rendez-vous / Meetings ({len(data['meetings'])})",
        "",
        *(
            f"- {m['date']} ({m['kind']}): {m['summary'] or '—'}"
            + (f" — {m['next_step']}" if m["next_step"] else "")
            for m in data["meetings"]
        ),
        "",
        f"## Missions ({len(data['missions'])})",
        "",
        *(f"- {m['starts_on']}: {m['name']}" for m in data["missions"]),
        "",
        f"## Modifications de la fiche / Changes to the record ({len(data['changes'])})",
        "",
        *(f"- {c['at'][:16]} {c['by']} ({c['action']})" for c in data["changes"]),
        "",
        f"## Demandes / Requests ({len(data['requests'])})",
        "",
        *(
            f"- {r['received_on']} {r['kind']}: {r['status']} (échéance / due {r['due_on']})"
            for r in data["requests"]
        ),
        "",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Retention and requests
# ---------------------------------------------------------------------------------------------


def list_retention_due(session: Session, today: date, years: int = RETENTION_YEARS) -> list[dict]:
    """People not anonymised whose last contact initiated by them (or, without any, their
    record's creation) is more than ``years`` years old: to ask again or to anonymise."""
    limit = today - relativedelta(years=years)
    people = session.exec(
        select(Person, Organisation.name)
        .join(Organisation, Organisation.id == Person.organisation_id, isouter=True)
        .where(Person.anonymised_at.is_(None), Person.is_demo.is_(False))
        .order_by(Person.last_name, Person.id)
    ).all()
    due = []
    for person, organisation in people:
        last = person.last_inbound_contact_on or person.created_at.date()
        if last < limit:
            due.append(
                {
                    "id": person.id,
                    "name": f"{person.first_name} {person.last_name}",
                    "organisation": organisation,
                    "last_contact_on": person.last_inbound_contact_on,
                    "objection": person.objection,
                }
            )
    return due


def create_request(session: Session, *, data: DataRequestCreate, author: str) -> DataRequest:
    """Record a request; it is due one month after it was received."""
    with write_transaction(session, Role.ADMIN, author):
        data = DataRequestCreate.model_validate(data.model_dump())
        if data.person_id is not None and session.get(Person, data.person_id) is None:
            raise LookupError(f"no person with id {data.person_id}")
        request = DataRequest.model_validate(
            {**data.model_dump(), "due_on": data.received_on + ANSWER_WITHIN}
        )
        session.add(request)
    session.refresh(request)
    return request


def close_request(
    session: Session, *, request_id: int, status: RequestStatus, closed_on: date, author: str
) -> DataRequest:
    with write_transaction(session, Role.ADMIN, author):
        request = session.get(DataRequest, request_id)
        if request is None:
            raise LookupError(f"no request with id {request_id}")
        if status == RequestStatus.OPEN:
            raise RuleError("rule.request.close_open")
        request.status, request.closed_on, request.handled_by = status, closed_on, author
        session.add(request)
    session.refresh(request)
    return request


def list_requests(session: Session, today: date, *, open_only: bool = False) -> list[dict]:
    """The register, the oldest due first; ``overdue``: open past its due date."""
    query = select(DataRequest).order_by(DataRequest.due_on, DataRequest.id)
    if open_only:
        query = query.where(DataRequest.status == RequestStatus.OPEN)
    return [
        {
            "id": r.id,
            "requester": r.requester,
            "person_id": r.person_id,
            "kind": r.kind.value,
            "received_on": r.received_on,
            "due_on": r.due_on,
            "status": r.status.value,
            "closed_on": r.closed_on,
            "overdue": r.status == RequestStatus.OPEN and r.due_on < today,
        }
        for r in session.exec(query).all()
    ]


# ---------------------------------------------------------------------------------------------
# Access log
# ---------------------------------------------------------------------------------------------

ACCESS_LOG_KEPT = relativedelta(months=12)


def log_personal_data_access(session: Session, *, username: str, what: str) -> None:
    """Record that ``username`` viewed people's contact details (``what``: which list or
    record); entries older than 12 months are deleted at the same time."""
    with write_transaction(session, Role.STAFF):
        now = utcnow()
        oldest = datetime.combine((now - ACCESS_LOG_KEPT).date(), datetime.min.time(), tzinfo=UTC)
        session.exec(delete(AccessLogEntry).where(AccessLogEntry.at < oldest))
        session.add(AccessLogEntry(at=now, username=username[:60], what=what[:200]))


def list_access_log(session: Session, limit: int = 500) -> list[dict]:
    rows = session.exec(
        select(AccessLogEntry).order_by(AccessLogEntry.id.desc()).limit(limit)
    ).all()
    return [{"at": r.at, "username": r.username, "what": r.what} for r in rows]
