"""Merging two records of the same organisation or person (admins only): everything that
points at the duplicate is moved to the record kept, the kept record's empty fields take the
duplicate's values, then the duplicate is deleted. One transaction, every change in the audit
trail, so the history of both records stays readable."""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel import Session, SQLModel, select

from core.errors import RuleError
from core.writes import write_transaction
from models import (
    DataRequest,
    Interaction,
    InteractionParticipant,
    MissionOrganisation,
    MissionPerson,
    Organisation,
    Person,
    Project,
    Role,
)

log = logging.getLogger(__name__)

#: Fields never copied from the duplicate (identity and bookkeeping).
KEEP = {"id", "is_demo", "created_at", "updated_at", "anonymised_at"}


def _fill_gaps(kept: SQLModel, duplicate: SQLModel) -> list[str]:
    filled = []
    for name, value in duplicate.model_dump().items():
        if name in KEEP or value in (None, "") or getattr(kept, name) not in (None, ""):
            continue
        setattr(kept, name, value)
        filled.append(name)
    return filled


def _move(session: Session, model: type[SQLModel], column: str, old: int, new: int) -> int:
    rows = session.exec(select(model).where(getattr(model, column) == old)).all()
    for row in rows:
        setattr(row, column, new)
        session.add(row)
    return len(rows)


def _move_links(
    session: Session, model: type[SQLModel], column: str, old: int, new: int, other: str
) -> int:
    """Move link rows (composite keys): a link the kept record already has is dropped."""
    moved = 0
    for link in session.exec(select(model).where(getattr(model, column) == old)).all():
        twin = session.get(model, {column: new, other: getattr(link, other)})
        if twin is None:
            session.add(model(**{column: new, other: getattr(link, other)}))
            moved += 1
        session.delete(link)
    return moved


def _begin(session: Session, model: type, keep_id: int, merge_id: int) -> Any:
    if keep_id == merge_id:
        raise RuleError("rule.merge.itself")
    kept, duplicate = session.get(model, keep_id), session.get(model, merge_id)
    if kept is None or duplicate is None:
        raise LookupError(f"no {model.__name__.lower()} {merge_id if kept else keep_id}")
    return kept, duplicate


def merge_organisations(session: Session, *, keep_id: int, merge_id: int) -> dict[str, int]:
    """Merge organisation ``merge_id`` into ``keep_id``; returns what moved, per kind."""
    with write_transaction(session, Role.ADMIN) as user:
        kept, duplicate = _begin(session, Organisation, keep_id, merge_id)
        if duplicate.domain and kept.domain in (None, ""):
            domain, duplicate.domain = duplicate.domain, None  # unique: free it first
            session.add(duplicate)
            session.flush()
            kept.domain = domain
        moved = {
            "people": _move(session, Person, "organisation_id", merge_id, keep_id),
            "projects": _move(session, Project, "organisation_id", merge_id, keep_id),
            "interactions": _move(session, Interaction, "organisation_id", merge_id, keep_id),
            "subsidiaries": _move(session, Organisation, "parent_id", merge_id, keep_id),
            "missions": _move_links(
                session, MissionOrganisation, "organisation_id", merge_id, keep_id, "mission_id"
            ),
        }
        if kept.parent_id == merge_id:
            kept.parent_id = None
        _fill_gaps(kept, duplicate)
        session.add(kept)
        session.flush()
        session.delete(duplicate)
    log.info("organisation %s merged into %s by %s", merge_id, keep_id, user.username)
    return moved


def merge_people(session: Session, *, keep_id: int, merge_id: int) -> dict[str, int]:
    """Merge person ``merge_id`` into ``keep_id``; returns what moved, per kind."""
    with write_transaction(session, Role.ADMIN) as user:
        kept, duplicate = _begin(session, Person, keep_id, merge_id)
        moved = {
            "meetings": _move_links(
                session, InteractionParticipant, "person_id", merge_id, keep_id, "interaction_id"
            ),
            "missions": _move_links(
                session, MissionPerson, "person_id", merge_id, keep_id, "mission_id"
            ),
            "requests": _move(session, DataRequest, "person_id", merge_id, keep_id),
        }
        _fill_gaps(kept, duplicate)
        kept.objection = kept.objection or duplicate.objection
        session.add(kept)
        session.flush()
        session.delete(duplicate)
    log.info("person %s merged into %s by %s", merge_id, keep_id, user.username)
    return moved
