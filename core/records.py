"""Writes: create organisations, people, projects, interactions, missions and targets, and move
projects through the pipeline.

Every function is keyword-only and is one transaction: it validates its input again through
the ``Create`` model (a model changed after construction is not re-validated by pydantic),
checks the ids it points at, writes, and commits. On any error the session is rolled back and
the error raised, so nothing is half-written (``core.writes.write_transaction``, which checks the
role first). Unknown ids raise ``LookupError``; breaking a business rule raises
``core.errors.RuleError``, whose message the interface shows in the user's language.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TypeVar

from sqlmodel import Session, SQLModel, select

from core import clock
from core.decisions import decision_date
from core.errors import DuplicateDomainError, RuleError
from core.writes import set_actor, write_transaction
from models import (
    STAGE_ORDER,
    CapexDisclosure,
    Interaction,
    InteractionCreate,
    InteractionParticipant,
    LostReason,
    Mission,
    MissionCreate,
    MissionOrganisation,
    MissionPerson,
    Organisation,
    OrganisationCreate,
    Person,
    PersonCreate,
    Project,
    ProjectCreate,
    Role,
    Stage,
    StageChange,
    Target,
    TargetCreate,
    utcnow,
)

log = logging.getLogger(__name__)

M = TypeVar("M", bound=SQLModel)

#: Stages from which a project counts as a lead (first contact made): Lead and later main stages.
LEAD_OR_LATER: frozenset[Stage] = frozenset(STAGE_ORDER[STAGE_ORDER.index(Stage.LEAD) :])


def _revalidate(data: M) -> M:
    return type(data).model_validate(data.model_dump())


def _require(session: Session, model: type[M], ident: int | None, what: str) -> M | None:
    """The row of ``model`` with primary key ``ident`` (None passes through)."""
    if ident is None:
        return None
    row = session.get(model, ident)
    if row is None:
        raise LookupError(f"no {what} with id {ident}")
    return row


def _add(session: Session, row: M) -> M:
    session.add(row)
    session.flush()
    session.refresh(row)
    return row


# ---------------------------------------------------------------------------------------------
# Organisations and people
# ---------------------------------------------------------------------------------------------


def create_organisation(*, session: Session, data: OrganisationCreate, author: str) -> Organisation:
    """A new organisation. Its website domain is the dedupe key: a second one is refused."""
    with write_transaction(session, Role.STAFF, author):
        data = _revalidate(data)
        _require(session, Organisation, data.parent_id, "parent organisation")
        if data.domain is not None:
            same = session.exec(
                select(Organisation.id).where(Organisation.domain == data.domain)
            ).first()
            if same is not None:
                raise DuplicateDomainError(data.domain, int(same))
        org = _add(session, Organisation.model_validate(data.model_dump()))
    log.info("organisation %s created by %s", org.id, author)
    return org


def create_person(*, session: Session, data: PersonCreate, author: str) -> Person:
    with write_transaction(session, Role.STAFF, author):
        data = _revalidate(data)
        _require(session, Organisation, data.organisation_id, "organisation")
        person = _add(session, Person.model_validate(data.model_dump()))
    log.info("person %s created by %s", person.id, author)
    return person


# ---------------------------------------------------------------------------------------------
# Projects and their stage history
# ---------------------------------------------------------------------------------------------


def create_project(*, session: Session, data: ProjectCreate, author: str) -> Project:
    """A new project entering the pipeline at ``data.stage`` on ``data.stage_on`` (default today).

    Its country of origin is the one it states, else its organisation's country of control,
    else its HQ country (kept by the database: ``Project.origin_country_iso2``). A
    project created as won (an import of past wins) is decided on ``stage_on``. It cannot be
    created as lost, since a loss needs its reason: create it, then ``change_stage``.
    """
    with write_transaction(session, Role.STAFF, author):
        data = _revalidate(data)
        if data.stage == Stage.LOST:
            raise RuleError("rule.project.created_lost")
        _require(session, Organisation, data.organisation_id, "organisation")
        _require(session, Mission, data.source_mission_id, "mission")
        on = data.stage_on or clock.today()
        check_not_future(on, "rule.stage.future", "")  # the form dates a new project today
        fields = data.model_dump(exclude={"stage", "stage_on"})
        project = Project.model_validate(fields)
        project.stage = data.stage
        project.lead_on = on if data.stage in LEAD_OR_LATER else None
        project.decided_on = decision_date([(data.stage, on)])
        project = _add(session, project)
        session.add(
            StageChange(
                project_id=project.id,
                from_stage=None,
                to_stage=data.stage,
                changed_on=on,
                author=author,
            )
        )
    return project


def _last_change(session: Session, project_id: int) -> StageChange | None:
    query = (
        select(StageChange)
        .where(StageChange.project_id == project_id)
        .order_by(StageChange.changed_on.desc(), StageChange.id.desc())
        .limit(1)
    )
    return session.exec(query).first()


def check_not_future(on: date, message_key: str, field: str) -> None:
    """What happened is dated today at the latest (the territory's today): a stage change or a
    meeting dated later would count before it happens."""
    today = clock.today()
    if on > today:
        raise RuleError(message_key, field=field, today=today)


def _stage_history(session: Session, project_id: int) -> list[tuple[Stage, date]]:
    rows = session.exec(
        select(StageChange.to_stage, StageChange.changed_on)
        .where(StageChange.project_id == project_id)
        .order_by(StageChange.changed_on, StageChange.id)
    ).all()
    return [(stage, on) for stage, on in rows]


def _check_stage_change(
    project: Project,
    last: StageChange | None,
    to_stage: Stage,
    on: date,
    lost_reason: LostReason | None,
    figures: dict[str, int | None],
) -> None:
    if to_stage == project.stage:
        raise RuleError("stage.error.same", field="to_stage")
    check_not_future(on, "rule.stage.future", "on")
    if last is not None and on < last.changed_on:
        raise RuleError("stage.error.before_last", field="on", day=last.changed_on)
    if to_stage == Stage.LOST and lost_reason is None:
        raise RuleError("rule.stage.lost_needs_reason", field="lost_reason")
    if to_stage != Stage.LOST and lost_reason is not None:
        raise RuleError("rule.stage.reason_not_lost")
    for name, value in figures.items():
        if value is not None and value < 0:
            raise RuleError(f"rule.negative.{name}", field=name)


def _set_capex(project: Project, capex_eur: int | None, disclosure: CapexDisclosure | None) -> None:
    """The capex announced with a move, with its flag (checked before anything is set)."""
    amount = capex_eur if capex_eur is not None else project.capex_eur
    flag = CapexDisclosure(disclosure) if disclosure is not None else project.capex_disclosure
    if disclosure is not None and disclosure != CapexDisclosure.UNKNOWN and amount is None:
        raise RuleError("form.error.capex_flag", field="capex_eur")
    if capex_eur is not None and flag == CapexDisclosure.UNKNOWN:
        raise RuleError("rule.stage.capex_needs_flag", field="capex_disclosure")
    project.capex_eur, project.capex_disclosure = amount, flag


def change_stage(
    *,
    session: Session,
    project_id: int,
    to_stage: Stage,
    on: date,
    author: str,
    note: str | None = None,
    lost_reason: LostReason | None = None,
    lost_to_location: str | None = None,
    jobs_announced: int | None = None,
    capex_eur: int | None = None,
    capex_disclosure: CapexDisclosure | None = None,
) -> Project:
    """Move a project to ``to_stage`` on ``on`` (today at the latest) and append the change to
    its history.

    The decision date is then worked out from the whole history (``core.decisions``: the last
    move into Won, or Landed without Won, of the current run; a loss's date while lost);
    entering Lead or a later main stage sets the lead date if still empty.
    ``jobs_announced``, ``capex_eur`` and ``capex_disclosure``, when given, update the
    project's figures (typically at the announcement); an amount needs its flag (disclosed or
    estimated: an amount of unknown status counts nowhere), and a flag needs an amount.
    """
    with write_transaction(session, Role.STAFF, author):
        to_stage = Stage(to_stage)
        project = _require(session, Project, project_id, "project")
        last = _last_change(session, project_id)
        figures = {"jobs_announced": jobs_announced, "capex_eur": capex_eur}
        _check_stage_change(project, last, to_stage, on, lost_reason, figures)
        if note is not None and len(note) > 500:
            raise RuleError("rule.stage.note_too_long", field="note", max_length=500)
        _set_capex(project, capex_eur, capex_disclosure)
        session.add(
            StageChange(
                project_id=project_id,
                from_stage=project.stage,
                to_stage=to_stage,
                changed_on=on,
                author=author,
                note=note,
            )
        )
        session.flush()
        project.stage = to_stage
        project.decided_on = decision_date(_stage_history(session, project_id))
        if to_stage in LEAD_OR_LATER and project.lead_on is None:
            project.lead_on = on
        if to_stage == Stage.LOST:
            project.lost_reason = LostReason(lost_reason)
            project.lost_to_location = lost_to_location
        if jobs_announced is not None:
            project.jobs_announced = jobs_announced
        project.updated_at = utcnow()
        session.add(project)
        session.flush()
        session.refresh(project)
    return project


# ---------------------------------------------------------------------------------------------
# Interactions and missions
# ---------------------------------------------------------------------------------------------


def _require_people(session: Session, person_ids: list[int]) -> list[int]:
    wanted = list(dict.fromkeys(person_ids))
    if not wanted:
        return wanted
    found = set(session.exec(select(Person.id).where(Person.id.in_(wanted))).all())
    missing = [pid for pid in wanted if pid not in found]
    if missing:
        raise LookupError(f"no person with id {', '.join(map(str, missing))}")
    return wanted


def create_interaction(*, session: Session, data: InteractionCreate) -> Interaction:
    """A logged meeting, call, site visit or event encounter, with its participants."""
    with write_transaction(session, Role.STAFF):
        data = _revalidate(data)
        set_actor(session, data.author)  # the trail names the meeting's author
        check_not_future(data.occurred_on, "rule.meeting.future", "occurred_on")
        _require(session, Organisation, data.organisation_id, "organisation")
        _require(session, Project, data.project_id, "project")
        _require(session, Mission, data.mission_id, "mission")
        participants = _require_people(session, data.participant_ids)
        interaction = _add(
            session, Interaction.model_validate(data.model_dump(exclude={"participant_ids"}))
        )
        for person_id in participants:
            session.add(InteractionParticipant(interaction_id=interaction.id, person_id=person_id))
    return interaction


def create_mission(*, session: Session, data: MissionCreate, author: str) -> Mission:
    with write_transaction(session, Role.STAFF, author):
        data = _revalidate(data)
        mission = _add(session, Mission.model_validate(data.model_dump()))
    log.info("mission %s created by %s", mission.id, author)
    return mission


def add_mission_organisation(
    *, session: Session, mission_id: int, organisation_id: int, author: str | None = None
) -> MissionOrganisation:
    """Record an organisation met or hosted during a mission (adding it twice is a no-op)."""
    with write_transaction(session, Role.STAFF, author):
        _require(session, Mission, mission_id, "mission")
        _require(session, Organisation, organisation_id, "organisation")
        link = session.get(MissionOrganisation, (mission_id, organisation_id))
        if link is None:
            link = _add(
                session, MissionOrganisation(mission_id=mission_id, organisation_id=organisation_id)
            )
    return link


def add_mission_person(
    *, session: Session, mission_id: int, person_id: int, author: str | None = None
) -> MissionPerson:
    """Record a person met during a mission, or a member of it (adding twice is a no-op)."""
    with write_transaction(session, Role.STAFF, author):
        _require(session, Mission, mission_id, "mission")
        _require(session, Person, person_id, "person")
        link = session.get(MissionPerson, (mission_id, person_id))
        if link is None:
            link = _add(session, MissionPerson(mission_id=mission_id, person_id=person_id))
    return link


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------


def set_target(*, session: Session, data: TargetCreate) -> Target:
    """Create or replace the target of one KPI for one year."""
    with write_transaction(session, Role.ADMIN):
        data = _revalidate(data)
        target = session.exec(
            select(Target).where(Target.year == data.year, Target.kpi == data.kpi)
        ).first()
        if target is None:
            target = Target.model_validate(data.model_dump())
        else:
            target.value = data.value
            target.source = data.source
        target = _add(session, target)
    return target
