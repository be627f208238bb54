"""Attribution claims: a chamber, an event (a mission) or a staff member says it brought a
project; the agency accepts or refuses each claim once, with a reason, looking at the
project's interaction history ("already in contact since …"). Only accepted claims count
(``core.measures.accepted_claim``): the network's figures are the accepted claims of chambers.
"""

from __future__ import annotations

import logging
from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core import clock
from core.errors import RuleError
from core.kpis import query_frame
from core.writes import write_transaction
from models import (
    Chamber,
    Claim,
    ClaimCreate,
    ClaimStatus,
    Interaction,
    Mission,
    Organisation,
    Project,
    Role,
    utcnow,
)

log = logging.getLogger(__name__)

REASON_MAX = 500


def create_claim(*, session: Session, data: ClaimCreate, author: str) -> Claim:
    """A new claim, pending. Its claimant must exist; the claim is dated today at the latest.
    One transaction."""
    with write_transaction(session, Role.STAFF, author):
        data = ClaimCreate.model_validate(data.model_dump())
        project = session.get(Project, data.project_id)
        if project is None:
            raise LookupError(f"no project with id {data.project_id}")
        if data.chamber_id is not None and session.get(Chamber, data.chamber_id) is None:
            raise LookupError(f"no chamber with id {data.chamber_id}")
        if data.mission_id is not None and session.get(Mission, data.mission_id) is None:
            raise LookupError(f"no mission with id {data.mission_id}")
        if data.claimed_on > clock.today():
            raise RuleError("rule.claim.future", field="claimed_on")
        values = data.model_dump()
        if values.get("staff_name"):
            values["staff_name"] = values["staff_name"].strip()
        row = Claim(**values, author=author, is_demo=project.is_demo)
        session.add(row)
        session.flush()
        session.refresh(row)
    log.info("claim %s on project %s recorded by %s", row.id, row.project_id, author)
    return row


def decide_claim(
    *, session: Session, claim_id: int, accept: bool, reason: str, on: date, author: str
) -> Claim:
    """Accept or refuse a pending claim, with a reason (required). Decided once: a decided
    claim is refused a second decision. Administrators only. One transaction."""
    with write_transaction(session, Role.ADMIN, author):
        claim = session.get(Claim, claim_id)
        if claim is None:
            raise LookupError(f"no claim with id {claim_id}")
        if claim.status != ClaimStatus.PENDING:
            raise RuleError("rule.claim.decided", field="decision", status=claim.status)
        reason = (reason or "").strip()
        if not reason:
            raise RuleError("rule.claim.reason", field="reason")
        if len(reason) > REASON_MAX:
            raise RuleError("rule.claim.reason_long", field="reason", max_length=REASON_MAX)
        if on > clock.today():
            raise RuleError("rule.claim.future", field="decided_on")
        if on < claim.claimed_on:
            raise RuleError("rule.claim.before_claim", field="decided_on", day=claim.claimed_on)
        claim.status = ClaimStatus.ACCEPTED if accept else ClaimStatus.REFUSED
        claim.decision_reason = reason
        claim.decided_on = on
        claim.decided_by = author
        claim.updated_at = utcnow()
        session.add(claim)
        session.flush()
        session.refresh(claim)
    log.info("claim %s %s by %s", claim_id, claim.status.value, author)
    return claim


def _claimant() -> sa.ColumnElement:
    return sa.func.coalesce(Chamber.name, Mission.name, Claim.staff_name)


def list_claims(
    session: Session, *, status: ClaimStatus | None = None, chamber_id: int | None = None
) -> pd.DataFrame:
    """Claims (pending first, then the latest decided), with their project and claimant.
    ``chamber_id`` keeps one chamber's claims (what a partner may see of them)."""
    where = []
    if status is not None:
        where.append(Claim.status == status)
    if chamber_id is not None:
        where.append(Claim.chamber_id == chamber_id)
    query = (
        sa.select(
            Claim.id,
            Claim.status,
            Claim.claimant_kind,
            _claimant().label("claimant"),
            Claim.claimed_on,
            Claim.project_id,
            Project.code_name.label("project_code_name"),
            Organisation.name.label("organisation_name"),
            Project.organisation_id,
            Project.confidential.label("project_confidential"),
            Claim.statement,
            Claim.decided_on,
            Claim.decided_by,
            Claim.decision_reason,
        )
        .join(Project, Project.id == Claim.project_id)
        .join(Organisation, Organisation.id == Project.organisation_id)
        .outerjoin(Chamber, Chamber.id == Claim.chamber_id)
        .outerjoin(Mission, Mission.id == Claim.mission_id)
        .where(*where)
        .order_by(
            sa.case((Claim.status == ClaimStatus.PENDING, 0), else_=1),
            Claim.claimed_on.desc(),
            Claim.id.desc(),
        )
    )
    return query_frame(session, query)


def contact_history(session: Session, claim_id: int) -> tuple[date | None, pd.DataFrame]:
    """(the agency's first contact with the claimed project's organisation, the interactions
    with it or about the project dated before the claim): what a decision looks at."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise LookupError(f"no claim with id {claim_id}")
    project = session.get(Project, claim.project_id)
    about = sa.or_(
        Interaction.organisation_id == project.organisation_id,
        Interaction.project_id == project.id,
    )
    first = session.execute(sa.select(sa.func.min(Interaction.occurred_on)).where(about)).scalar()
    query = (
        sa.select(
            Interaction.id,
            Interaction.occurred_on,
            Interaction.kind,
            Interaction.outcome,
            Interaction.author,
            Mission.name.label("mission"),
        )
        .outerjoin(Mission, Mission.id == Interaction.mission_id)
        .where(about, Interaction.occurred_on <= claim.claimed_on)
        .order_by(Interaction.occurred_on, Interaction.id)
    )
    return first, query_frame(session, query)
