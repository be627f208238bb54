"""Logging a meeting outcome in one go: the meeting, and the organisation and participants met
for the first time, in one transaction (an error leaves nothing written).

Staff log right after a meeting, often with a contact met for the first time: the form sends
the meeting (an ``InteractionCreate``), and optionally a new organisation and new people; this
module writes them together. Readers for the form's choices are here too.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core.errors import DuplicateDomainError as DuplicateDomainError  # also importable here
from core.errors import RuleError
from core.records import check_not_future
from core.writes import set_actor, write_transaction
from models import (
    Interaction,
    InteractionCreate,
    InteractionParticipant,
    Mission,
    MissionOrganisation,
    MissionPerson,
    Organisation,
    OrganisationCreate,
    Person,
    PersonCreate,
    Project,
    Role,
    StageChange,
)

log = logging.getLogger(__name__)


def log_meeting(
    *,
    session: Session,
    meeting: InteractionCreate,
    new_organisation: OrganisationCreate | None = None,
    new_people: Sequence[PersonCreate] = (),
) -> Interaction:
    """Write a meeting, creating first the organisation met (when ``new_organisation`` is
    given, it becomes the meeting's organisation) and new participants (attached to the
    meeting's organisation unless they name another). One transaction: on any error nothing
    is written and the error is raised (``ValidationError`` for a field, ``LookupError`` for
    an unknown id, ``RuleError`` for a broken rule)."""
    with write_transaction(session, Role.STAFF):
        meeting = InteractionCreate.model_validate(meeting.model_dump())
        set_actor(session, meeting.author)  # the trail names the meeting's author
        check_not_future(meeting.occurred_on, "rule.meeting.future", "occurred_on")
        organisation_id = meeting.organisation_id
        if new_organisation is not None:
            organisation_id = _add_organisation(session, new_organisation)
        elif organisation_id is not None and session.get(Organisation, organisation_id) is None:
            raise LookupError(f"no organisation with id {organisation_id}")
        check_project_and_mission(session, meeting, organisation_id)
        people = list(dict.fromkeys(meeting.participant_ids))
        check_people(session, people)
        for data in new_people:
            values = data.model_dump()
            values["organisation_id"] = values["organisation_id"] or organisation_id
            person = Person.model_validate(PersonCreate.model_validate(values).model_dump())
            session.add(person)
            session.flush()
            people.append(person.id)
        values = meeting.model_dump(exclude={"participant_ids"})
        values["organisation_id"] = organisation_id
        interaction = Interaction.model_validate(values)
        session.add(interaction)
        session.flush()
        for person_id in people:
            session.add(InteractionParticipant(interaction_id=interaction.id, person_id=person_id))
    session.refresh(interaction)
    log.info(
        "interaction %s logged by %s (%d new people%s)",
        interaction.id,
        interaction.author,
        len(new_people),
        ", new organisation" if new_organisation is not None else "",
    )
    return interaction


def _add_organisation(session: Session, data: OrganisationCreate) -> int:
    data = OrganisationCreate.model_validate(data.model_dump())
    if data.domain is not None:
        same = session.exec(select(Organisation.id).where(Organisation.domain == data.domain))
        existing = same.first()
        if existing is not None:
            raise DuplicateDomainError(data.domain, int(existing))
    organisation = Organisation.model_validate(data.model_dump())
    session.add(organisation)
    try:
        session.flush()
    except IntegrityError as error:  # a domain written by someone else meanwhile
        raise RuleError("rule.organisation.not_written", field="domain") from error
    return int(organisation.id)


def check_project_and_mission(
    session: Session, meeting: InteractionCreate, organisation_id: int | None
) -> None:
    if meeting.project_id is not None:
        project = session.get(Project, meeting.project_id)
        if project is None:
            raise LookupError(f"no project with id {meeting.project_id}")
        if organisation_id is not None and project.organisation_id != organisation_id:
            raise RuleError("rule.meeting.project_elsewhere")
    if meeting.mission_id is not None and session.get(Mission, meeting.mission_id) is None:
        raise LookupError(f"no mission with id {meeting.mission_id}")


def check_people(session: Session, person_ids: list[int]) -> None:
    if not person_ids:
        return
    found = set(session.exec(select(Person.id).where(Person.id.in_(person_ids))).all())
    missing = [str(i) for i in person_ids if i not in found]
    if missing:
        raise LookupError(f"no person with id {', '.join(missing)}")


# ---------------------------------------------------------------------------------------------
# The form's choices
# ---------------------------------------------------------------------------------------------


def list_organisation_people(session: Session, organisation_id: int) -> dict[int, str]:
    """Person id -> "First Last (job title)" of one organisation's people, by name; people
    anonymised are left out."""
    rows = session.exec(
        select(Person.id, Person.first_name, Person.last_name, Person.job_title)
        .where(Person.organisation_id == organisation_id, Person.anonymised_at.is_(None))
        .order_by(Person.last_name, Person.first_name, Person.id)
    ).all()
    return {
        int(i): f"{first} {last}" + (f" ({title})" if title else "")
        for i, first, last, title in rows
    }


def list_organisation_projects(session: Session, organisation_id: int) -> dict[int, str]:
    """Project id -> code name of one organisation's projects, newest first."""
    rows = session.exec(
        select(Project.id, Project.code_name)
        .where(Project.organisation_id == organisation_id)
        .order_by(Project.id.desc())
    ).all()
    return {int(i): name for i, name in rows}


def mission_under_way(session: Session, today: date) -> int | None:
    """The mission going on today (the latest to have started when several overlap)."""
    found = session.exec(
        select(Mission.id)
        .where(Mission.starts_on <= today, Mission.ends_on >= today)
        .order_by(Mission.starts_on.desc(), Mission.id.desc())
        .limit(1)
    ).first()
    return int(found) if found is not None else None


def search_projects(session: Session, text: str, limit: int = 20) -> list[dict]:
    """Projects whose code name or organisation name contains ``text`` (case-insensitive), by
    code name: id, code_name, organisation_name, stage, jobs_announced, capex_eur,
    capex_disclosure, last_change_on (date of the latest stage change, None without history)."""
    needle = f"%{text.strip().lower()}%"
    last_change = (
        select(sa.func.max(StageChange.changed_on))
        .where(StageChange.project_id == Project.id)
        .scalar_subquery()
    )
    rows = session.exec(
        select(
            Project.id,
            Project.code_name,
            Organisation.name,
            Project.stage,
            Project.jobs_announced,
            Project.capex_eur,
            Project.capex_disclosure,
            last_change,
        )
        .join(Organisation, Organisation.id == Project.organisation_id)
        .where(
            sa.or_(
                sa.func.lower(Project.code_name).like(needle),
                sa.func.lower(Organisation.name).like(needle),
            )
        )
        .order_by(Project.code_name, Project.id)
        .limit(limit)
    ).all()
    keys = (
        "id",
        "code_name",
        "organisation_name",
        "stage",
        "jobs_announced",
        "capex_eur",
        "capex_disclosure",
        "last_change_on",
    )
    return [
        {k: (v.value if hasattr(v, "value") else v) for k, v in zip(keys, row, strict=True)}
        for row in rows
    ]


def get_mission_participants(session: Session, mission_id: int) -> dict[str, dict[int, str]]:
    """The organisations and the people recorded as met (or hosted) at a mission, by name:
    {"organisations": {id: name}, "people": {id: "First Last"}}."""
    organisations = session.exec(
        select(Organisation.id, Organisation.name)
        .join(MissionOrganisation, MissionOrganisation.organisation_id == Organisation.id)
        .where(MissionOrganisation.mission_id == mission_id)
        .order_by(Organisation.name, Organisation.id)
    ).all()
    people = session.exec(
        select(Person.id, Person.first_name, Person.last_name)
        .join(MissionPerson, MissionPerson.person_id == Person.id)
        .where(MissionPerson.mission_id == mission_id)
        .order_by(Person.last_name, Person.first_name, Person.id)
    ).all()
    return {
        "organisations": {int(i): name for i, name in organisations},
        "people": {int(i): f"{first} {last}" for i, first, last in people},
    }
