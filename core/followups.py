"""Follow-ups: the next steps of logged meetings, due or overdue, by owner; marking one done or
moving its due date.

A follow-up is an interaction with a next step and a due date, not done. Its owner is the
interaction's owner, or its author when no owner was given. Statuses on a given day: overdue
(due before it), due today, upcoming (due within the horizon).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core.errors import RuleError
from core.kpis import query_frame
from core.writes import write_transaction
from models import Interaction, Mission, Organisation, Project, Role

log = logging.getLogger(__name__)

DEFAULT_HORIZON_DAYS = 14


class DueBeforeMeetingError(RuleError):
    """A new due date before the meeting's date."""

    def __init__(self) -> None:
        super().__init__("form.error.due", field="due_on")


def _owner() -> sa.ColumnElement:
    return sa.func.coalesce(Interaction.owner, Interaction.author)


def _pending() -> list[sa.ColumnElement]:
    return [
        Interaction.next_step.is_not(None),
        Interaction.next_step_due_on.is_not(None),
        Interaction.next_step_done.is_(False),
    ]


def list_followups(
    session: Session,
    *,
    owner: str | None,
    today: date,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    limit: int = 500,
) -> pd.DataFrame:
    """The follow-ups due up to ``horizon_days`` after ``today`` (overdue ones included), of
    one owner (all owners when None); overdue first, then by due date. Columns: id, due_on,
    status, days_overdue, next_step, occurred_on, organisation_id, organisation_name,
    project_code_name, mission, owner."""
    due = Interaction.next_step_due_on
    status = sa.case((due < today, "overdue"), (due == today, "due_today"), else_="upcoming").label(
        "status"
    )
    where = [*_pending(), due <= today + timedelta(days=horizon_days)]
    if owner:
        where.append(_owner() == owner)
    query = (
        sa.select(
            Interaction.id,
            due.label("due_on"),
            status,
            Interaction.next_step,
            Interaction.occurred_on,
            Interaction.organisation_id,
            Organisation.name.label("organisation_name"),
            Project.code_name.label("project_code_name"),
            Mission.name.label("mission"),
            _owner().label("owner"),
        )
        .outerjoin(Organisation, Organisation.id == Interaction.organisation_id)
        .outerjoin(Project, Project.id == Interaction.project_id)
        .outerjoin(Mission, Mission.id == Interaction.mission_id)
        .where(*where)
        .order_by(due, Interaction.id)
        .limit(limit)
    )
    frame = query_frame(session, query)
    if frame.empty:
        frame = pd.DataFrame(
            columns=[
                "id", "due_on", "status", "next_step", "occurred_on", "organisation_id",
                "organisation_name", "project_code_name", "mission", "owner",
            ]
        )  # fmt: skip
    frame.insert(3, "days_overdue", [max((today - d).days, 0) if d else 0 for d in frame["due_on"]])
    return frame


def count_followups(session: Session, *, owner: str | None, today: date) -> tuple[int, int]:
    """(overdue, due within the default horizon, today included) of one owner (or all)."""
    due = Interaction.next_step_due_on
    where = _pending()
    if owner:
        where.append(_owner() == owner)
    soon = today + timedelta(days=DEFAULT_HORIZON_DAYS)
    overdue, upcoming = session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(sa.case((due < today, 1), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(sa.case((due.between(today, soon), 1), else_=0)), 0),
        ).where(*where)
    ).one()
    return int(overdue), int(upcoming)


def list_followup_owners(session: Session) -> list[str]:
    """Everyone with a follow-up not done, by name."""
    owner = _owner()
    rows = session.execute(sa.select(owner).where(*_pending()).distinct().order_by(owner))
    return [row[0] for row in rows]


def _interaction(session: Session, interaction_id: int) -> Interaction:
    interaction = session.get(Interaction, interaction_id)
    if interaction is None:
        raise LookupError(f"no interaction with id {interaction_id}")
    return interaction


def mark_followup_done(session: Session, *, interaction_id: int, author: str) -> Interaction:
    """The follow-up is done. One transaction."""
    with write_transaction(session, Role.STAFF, author):
        interaction = _interaction(session, interaction_id)
        interaction.next_step_done = True
        session.add(interaction)
    log.info("follow-up of interaction %s marked done by %s", interaction_id, author)
    return interaction


def reschedule_followup(
    session: Session, *, interaction_id: int, due_on: date, author: str
) -> Interaction:
    """A new due date, not before the meeting. One transaction."""
    with write_transaction(session, Role.STAFF, author):
        interaction = _interaction(session, interaction_id)
        if due_on < interaction.occurred_on:
            raise DueBeforeMeetingError()
        interaction.next_step_due_on = due_on
        session.add(interaction)
    log.info("follow-up of interaction %s moved to %s by %s", interaction_id, due_on, author)
    return interaction
