"""Corrections of existing records: an organisation, a person or a mission, validated through
the same models as their creation, one transaction each (an error changes nothing)."""

from __future__ import annotations

import logging
from typing import TypeVar

from sqlmodel import Session, SQLModel, select

from core.meetings import DuplicateDomainError
from models import (
    Mission,
    MissionCreate,
    Organisation,
    OrganisationCreate,
    Person,
    PersonCreate,
    utcnow,
)

log = logging.getLogger(__name__)

M = TypeVar("M", bound=SQLModel)


def _update(session: Session, model: type[M], ident: int, data: SQLModel, author: str) -> M:
    try:
        row = session.get(model, ident)
        if row is None:
            raise LookupError(f"no {model.__name__.lower()} with id {ident}")
        checked = type(data).model_validate(data.model_dump())
        for name, value in checked.model_dump().items():
            if hasattr(row, name):
                setattr(row, name, value)
        if hasattr(row, "updated_at"):
            row.updated_at = utcnow()
        session.add(row)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    session.refresh(row)
    log.info("%s %s updated by %s", model.__name__.lower(), ident, author)
    return row


def update_organisation(
    session: Session, *, organisation_id: int, data: OrganisationCreate, author: str
) -> Organisation:
    """New values of every field of an organisation; its website stays unique."""
    if data.domain is not None:
        other = session.exec(
            select(Organisation.id).where(
                Organisation.domain == data.domain, Organisation.id != organisation_id
            )
        ).first()
        if other is not None:
            raise DuplicateDomainError(data.domain, int(other))
    return _update(session, Organisation, organisation_id, data, author)


def update_person(session: Session, *, person_id: int, data: PersonCreate, author: str) -> Person:
    return _update(session, Person, person_id, data, author)


def update_mission(
    session: Session, *, mission_id: int, data: MissionCreate, author: str
) -> Mission:
    return _update(session, Mission, mission_id, data, author)


def get_record(session: Session, model: type[M], ident: int) -> dict | None:
    """The editable fields of one record, as a form prefills them (enums as their values)."""
    row = session.get(model, ident)
    if row is None:
        return None
    return {
        name: (value.value if hasattr(value, "value") else value)
        for name, value in row.model_dump().items()
    }
