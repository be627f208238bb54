"""Corrections of existing records: an organisation, a person, a mission, a project or a
logged meeting, validated through the same models as their creation, one transaction each
(``core.writes.write_transaction``: an error changes nothing); and the removal of
organisations or people wrongly recorded as met during a mission."""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, select

from core.errors import DuplicateDomainError, RuleError
from core.meetings import check_people, check_project_and_mission
from core.records import check_not_future
from core.writes import write_transaction
from models import (
    Interaction,
    InteractionCreate,
    InteractionParticipant,
    Mission,
    MissionCreate,
    MissionOrganisation,
    MissionPerson,
    Organisation,
    OrganisationCreate,
    Person,
    PersonCreate,
    Project,
    ProjectEdit,
    Role,
    utcnow,
)

log = logging.getLogger(__name__)

M = TypeVar("M", bound=SQLModel)


def _update(session: Session, model: type[M], ident: int, data: SQLModel, also: Any = None) -> M:
    """Set the row's fields from ``data`` (validated again), inside the caller's transaction;
    ``also(session, row, checked)`` runs first."""
    row = session.get(model, ident)
    if row is None:
        raise LookupError(f"no {model.__name__.lower()} with id {ident}")
    checked = type(data).model_validate(data.model_dump())
    if also is not None:
        also(session, row, checked)
    for name, value in checked.model_dump().items():
        if hasattr(row, name):
            setattr(row, name, value)
    if hasattr(row, "updated_at"):
        row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return row


def _updated(row: M, author: str) -> M:
    log.info("%s %s updated by %s", type(row).__name__.lower(), row.id, author)
    return row


def update_organisation(
    session: Session, *, organisation_id: int, data: OrganisationCreate, author: str
) -> Organisation:
    """New values of every field of an organisation; its website stays unique."""
    with write_transaction(session, Role.STAFF, author):
        if data.domain is not None:
            other = session.exec(
                select(Organisation.id).where(
                    Organisation.domain == data.domain, Organisation.id != organisation_id
                )
            ).first()
            if other is not None:
                raise DuplicateDomainError(data.domain, int(other))
        row = _update(session, Organisation, organisation_id, data)
    return _updated(row, author)


def update_person(session: Session, *, person_id: int, data: PersonCreate, author: str) -> Person:
    with write_transaction(session, Role.STAFF, author):
        row = _update(session, Person, person_id, data)
    return _updated(row, author)


def update_mission(
    session: Session, *, mission_id: int, data: MissionCreate, author: str
) -> Mission:
    with write_transaction(session, Role.STAFF, author):
        row = _update(session, Mission, mission_id, data)
    return _updated(row, author)


def update_project(session: Session, *, project_id: int, data: ProjectEdit, author: str) -> Project:
    """New values of a project's own fields. Its organisation stays (a project does not change
    hands), and so do its stage, decision and history (moved on the stage page)."""
    with write_transaction(session, Role.STAFF, author):
        row = _update(session, Project, project_id, data, also=_same_organisation)
    return _updated(row, author)


def _same_organisation(_session: Session, row: Project, checked: ProjectEdit) -> None:
    if checked.organisation_id != row.organisation_id:
        raise RuleError("rule.project.keeps_organisation")


def update_interaction(
    session: Session, *, interaction_id: int, data: InteractionCreate, author: str
) -> Interaction:
    """New values of a logged meeting, its participants replaced by ``data.participant_ids``.
    Who logged it (``author``) stays; its project must belong to its organisation."""
    with write_transaction(session, Role.STAFF, author):
        row = _update(session, Interaction, interaction_id, data, also=_participants)
    return _updated(row, author)


def _participants(session: Session, row: Interaction, checked: InteractionCreate) -> None:
    check_not_future(checked.occurred_on, "rule.meeting.future", "occurred_on")
    check_project_and_mission(session, checked, checked.organisation_id)
    people = list(dict.fromkeys(checked.participant_ids))
    check_people(session, people)
    checked.author = row.author
    old = session.exec(
        select(InteractionParticipant).where(InteractionParticipant.interaction_id == row.id)
    ).all()
    for link in old:  # ORM deletes, so that the audit trail sees them
        session.delete(link)
    session.flush()
    for person_id in people:
        session.add(InteractionParticipant(interaction_id=row.id, person_id=person_id))


def get_interaction_participants(session: Session, interaction_id: int) -> list[int]:
    return [
        int(i)
        for i in session.exec(
            select(InteractionParticipant.person_id)
            .where(InteractionParticipant.interaction_id == interaction_id)
            .order_by(InteractionParticipant.person_id)
        ).all()
    ]


def list_organisation_interactions(
    session: Session, organisation_id: int, limit: int = 200
) -> list[dict]:
    """An organisation's logged meetings, newest first: id, occurred_on, kind, summary."""
    rows = session.exec(
        select(Interaction.id, Interaction.occurred_on, Interaction.kind, Interaction.summary)
        .where(Interaction.organisation_id == organisation_id)
        .order_by(Interaction.occurred_on.desc(), Interaction.id.desc())
        .limit(limit)
    ).all()
    return [
        {"id": int(i), "occurred_on": on, "kind": kind.value, "summary": summary}
        for i, on, kind, summary in rows
    ]


def remove_mission_participants(
    session: Session,
    *,
    mission_id: int,
    organisation_ids: list[int],
    person_ids: list[int],
    author: str,
) -> int:
    """Remove organisations and people recorded as met during a mission (one transaction);
    returns how many links went. Meetings logged at the mission stay: they are records of
    their own, corrected one by one."""
    with write_transaction(session, Role.STAFF, author):
        if session.get(Mission, mission_id) is None:
            raise LookupError(f"no mission with id {mission_id}")
        links = [
            *session.exec(
                select(MissionOrganisation).where(
                    MissionOrganisation.mission_id == mission_id,
                    MissionOrganisation.organisation_id.in_(organisation_ids),
                )
            ).all(),
            *session.exec(
                select(MissionPerson).where(
                    MissionPerson.mission_id == mission_id,
                    MissionPerson.person_id.in_(person_ids),
                )
            ).all(),
        ]
        for link in links:  # ORM deletes, so that the audit trail sees them
            session.delete(link)
        removed = len(links)
    log.info("%d participant(s) of mission %s removed by %s", removed, mission_id, author)
    return removed


def get_record(session: Session, model: type[M], ident: int) -> dict | None:
    """The editable fields of one record, as a form prefills them (enums as their values)."""
    row = session.get(model, ident)
    if row is None:
        return None
    return {
        name: (value.value if hasattr(value, "value") else value)
        for name, value in row.model_dump().items()
    }
