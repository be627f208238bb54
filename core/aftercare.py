"""Aftercare: what a won project actually delivered, checked at 12, 24 and 36 months.

The schedule is read from the stage history, not stored: a project Won or Landed now is due a
check-in 12, 24 and 36 months after its *anchor*, its latest move into Won or Landed (so the
schedule is made when it is won, and made again from the landing date when it lands: jobs are
created once the site opens). A milestone is done when a check-in is dated at most
``WINDOW_DAYS`` before it, or any time after; the next check-in due is the first milestone not
done. A project whose latest check-in says the company left is due nothing more. The
check-ins due are the owner's (the project's owner), on their follow-ups page.

A check-in is never changed (the database refuses it): a correction is a new check-in, the
latest (by date, then as recorded) is the one the figures count (``core.measures``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlmodel import Session

from core import clock
from core.errors import RuleError
from core.kpis import query_frame
from core.writes import write_transaction
from models import (
    WON_STAGES,
    CheckIn,
    CheckInCreate,
    Organisation,
    Project,
    Role,
    Stage,
    StageChange,
)

log = logging.getLogger(__name__)

#: The check-ins due after the anchor, in months.
MILESTONES: tuple[int, ...] = (12, 24, 36)
#: A check-in this many days before a milestone's date answers it.
WINDOW_DAYS = 90
DEFAULT_HORIZON_DAYS = 14


@dataclass(frozen=True)
class DueCheckIn:
    project_id: int
    milestone: int
    due_on: date


def next_due(anchor: date, checked: list[date], left: bool) -> DueCheckIn | None:
    """The first milestone after ``anchor`` that no check-in dated in ``checked`` answers;
    None when all are answered or the company left (``project_id`` is left 0)."""
    if left:
        return None
    for months in MILESTONES:
        due = anchor + relativedelta(months=months)
        if not any(on >= due - timedelta(days=WINDOW_DAYS) for on in checked):
            return DueCheckIn(0, months, due)
    return None


def _anchor() -> sa.ScalarSelect:
    return (
        sa.select(sa.func.max(StageChange.changed_on))
        .where(StageChange.project_id == Project.id, StageChange.to_stage.in_(WON_STAGES))
        .scalar_subquery()
    )


def _left() -> sa.ScalarSelect:
    return (
        sa.select(CheckIn.company_left)
        .where(CheckIn.project_id == Project.id)
        .order_by(CheckIn.checked_on.desc(), CheckIn.id.desc())
        .limit(1)
        .scalar_subquery()
    )


COLUMNS = [
    "project_id", "due_on", "milestone", "status", "days_overdue", "project_code_name",
    "organisation_name", "stage", "anchor_on", "last_checked_on", "jobs_announced", "owner",
]  # fmt: skip


def list_checkins_due(
    session: Session,
    *,
    owner: str | None,
    today: date,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
) -> pd.DataFrame:
    """The check-ins due up to ``horizon_days`` after ``today`` (overdue ones included), of
    one owner (all when None), overdue first. One row per project (its next milestone).
    Confidential projects are the agency's own: this list is for staff."""
    where = [Project.stage.in_(WON_STAGES)]
    if owner:
        where.append(Project.owner == owner)
    projects = session.execute(
        sa.select(
            Project.id,
            Project.code_name,
            Organisation.name,
            Project.stage,
            _anchor().label("anchor_on"),
            _left().label("left"),
            Project.jobs_announced,
            Project.owner,
        )
        .join(Organisation, Organisation.id == Project.organisation_id)
        .where(*where)
    ).all()
    dates: dict[int, list[date]] = {}
    ids = [row.id for row in projects]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for project_id, on in session.execute(
            sa.select(CheckIn.project_id, CheckIn.checked_on).where(CheckIn.project_id.in_(chunk))
        ):
            dates.setdefault(project_id, []).append(on)
    limit = today + timedelta(days=horizon_days)
    rows = []
    for row in projects:
        if row.anchor_on is None:
            continue
        checked = dates.get(row.id, [])
        due = next_due(row.anchor_on, checked, bool(row.left))
        if due is None or due.due_on > limit:
            continue
        status = (
            "overdue" if due.due_on < today else "due_today" if due.due_on == today else "upcoming"
        )
        rows.append(
            [row.id, due.due_on, due.milestone, status, max((today - due.due_on).days, 0),
             row.code_name, row.name, Stage(row.stage), row.anchor_on,
             max(checked) if checked else None, row.jobs_announced, row.owner]
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["due_on", "project_id"], ignore_index=True)


def count_checkins_due(session: Session, *, owner: str | None, today: date) -> tuple[int, int]:
    """(overdue, due within the default horizon, today included) of one owner (or all)."""
    frame = list_checkins_due(session, owner=owner, today=today)
    overdue = int((frame["status"] == "overdue").sum())
    return overdue, len(frame) - overdue


def list_checkins(session: Session, project_id: int) -> pd.DataFrame:
    """Every check-in of a project, the latest first (the one the figures count)."""
    query = (
        sa.select(
            CheckIn.id,
            CheckIn.checked_on,
            CheckIn.jobs_created,
            CheckIn.jobs_kept,
            CheckIn.capex_spent_eur,
            CheckIn.evidence,
            CheckIn.evidence_note,
            CheckIn.company_left,
            CheckIn.author,
            CheckIn.recorded_at,
        )
        .where(CheckIn.project_id == project_id)
        .order_by(CheckIn.checked_on.desc(), CheckIn.id.desc())
    )
    return query_frame(session, query)


def list_won_projects(session: Session) -> list[tuple[int, str]]:
    """(id, "code name — organisation") of every project Won or Landed, by name: what a
    check-in can be recorded for."""
    rows = session.execute(
        sa.select(Project.id, Project.code_name, Organisation.name)
        .join(Organisation, Organisation.id == Project.organisation_id)
        .where(Project.stage.in_(WON_STAGES))
        .order_by(Project.code_name, Project.id)
    )
    return [(pid, f"{code} — {org}") for pid, code, org in rows]


def record_checkin(*, session: Session, data: CheckInCreate, author: str) -> CheckIn:
    """A new check-in of a won project, dated between its decision and today. One
    transaction; it corrects nothing in place: an earlier check-in stays as it was."""
    with write_transaction(session, Role.STAFF, author):
        data = CheckInCreate.model_validate(data.model_dump())
        project = session.get(Project, data.project_id)
        if project is None:
            raise LookupError(f"no project with id {data.project_id}")
        if project.stage not in WON_STAGES:
            raise RuleError("rule.checkin.not_won", field="project_id")
        if data.checked_on > clock.today():
            raise RuleError("rule.checkin.future", field="checked_on")
        if project.decided_on is not None and data.checked_on < project.decided_on:
            raise RuleError(
                "rule.checkin.before_decision", field="checked_on", day=project.decided_on
            )
        row = CheckIn(**data.model_dump(), author=author, is_demo=project.is_demo)
        session.add(row)
        session.flush()
        session.refresh(row)
    log.info("check-in %s of project %s recorded by %s", row.id, row.project_id, author)
    return row
