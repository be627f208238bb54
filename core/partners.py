"""What a partner (a chamber of the network) may read: its own chamber's referrals, and the
network's figures without names.

A partner's session carries its chamber: ``partner_scope(user)`` makes the ``PartnerScope``
every reader of this module takes as its first argument after the session, and applies in
SQL (``referred_by(scope)``), so that screens, downloads and cached results alike are the
chamber's own. ``PartnerScope`` is a small frozen value: cached readers take it as an
argument, so that two chambers never share a cache entry.

Attribution (the catalogue's rule, ``core.definitions``): a project belongs to the chamber
recorded as its source (``Project.source_chamber_id``); a change of source is kept in the
audit trail. A referral's figures follow its cohort: the leads that entered the pipeline in
the period (``lead_on``), how many of them were qualified (reached Qualified or a later main
stage, at any time), how many are won (Won or Landed now), the jobs those announced, the
conversion (won / referred) and the median days from pipeline entry to decision of those won.

What a partner never reads: notes, competing locations, capex estimates, code names, the
companies behind confidential projects (shown as ``PartnerScope.confidential``, with their
stage only), anyone's contact details. The only text of a project it reads is the agency's
shared updates (``SharedUpdate``), and of its chamber's attribution claims the reason the
agency gave for its decision (the decision form says it is shown to the chamber).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from core import measures
from core.periods import Period
from core.permissions import AccessDenied, SignedIn
from models import (
    WON_STAGES,
    Chamber,
    CheckIn,
    Claim,
    ClaimantKind,
    ClaimStatus,
    Organisation,
    Project,
    Role,
    SharedUpdate,
    Stage,
    StageChange,
)

#: The columns of a partner's list of referrals, in order.
REFERRAL_COLUMNS = (
    "id",
    "company",
    "stage",
    "stage_on",
    "referred_on",
    "owner",
    "update",
    "update_on",
)
#: The columns of a partner's list of its chamber's attribution claims, in order.
CLAIM_COLUMNS = (
    "id",
    "company",
    "claimed_on",
    "status",
    "decided_on",
    "reason",
    "jobs_verified",
    "checked_on",
)
#: A far end for "won to date" over a cohort (no decision is later).
_LATEST = date(9999, 12, 31)


@dataclass(frozen=True)
class PartnerScope:
    """The chamber a partner reads for, and what a confidential project reads instead of its
    company (in the interface language)."""

    chamber_id: int
    confidential: str = "projet confidentiel"


def partner_scope(user: SignedIn, confidential: str = "projet confidentiel") -> PartnerScope:
    """The scope of a signed-in partner; AccessDenied for anyone else (or a partner without a
    chamber, which the database does not allow)."""
    if user.role != Role.PARTNER or user.chamber_id is None:
        raise AccessDenied("partner role with a chamber needed")
    return PartnerScope(int(user.chamber_id), confidential)


def referred_by(scope: PartnerScope) -> sa.ColumnElement:
    """SQL: the project is attributed to the scope's chamber (``core.measures.attributed_to``)."""
    return measures.attributed_to(scope.chamber_id)


def attributed() -> sa.ColumnElement:
    """SQL: the project is attributed to a chamber (any)."""
    return measures.attributed_to(None)


was_qualified = measures.was_qualified


def get_chamber_name(session: Session, scope: PartnerScope) -> str:
    name = session.execute(sa.select(Chamber.name).where(Chamber.id == scope.chamber_id))
    return str(name.scalar_one())


# ---------------------------------------------------------------------------------------------
# The chamber's referrals
# ---------------------------------------------------------------------------------------------


def _last_update() -> tuple[sa.Subquery, sa.ColumnElement]:
    newest = aliased(SharedUpdate)
    later = sa.select(newest.id).where(
        newest.project_id == SharedUpdate.project_id,
        sa.or_(
            newest.written_on > SharedUpdate.written_on,
            sa.and_(newest.written_on == SharedUpdate.written_on, newest.id > SharedUpdate.id),
        ),
    )
    last = (
        sa.select(SharedUpdate.project_id, SharedUpdate.text, SharedUpdate.written_on)
        .where(~later.exists())
        .subquery("last_update")
    )
    return last, last.c.project_id


def _stage_on() -> sa.ScalarSelect:
    return (
        sa.select(sa.func.max(StageChange.changed_on))
        .where(StageChange.project_id == Project.id, StageChange.to_stage == Project.stage)
        .scalar_subquery()
    )


def list_referrals(session: Session, scope: PartnerScope) -> pd.DataFrame:
    """The scope's chamber's referrals, newest first, confidential ones last
    (``REFERRAL_COLUMNS``): the company, the
    stage and the date it was entered, the date referred, the agency owner's name, and the
    last update the agency shared. A confidential project reads ``scope.confidential`` with
    its stage only."""
    last, last_project = _last_update()
    query = (
        sa.select(
            Project.id.label("id"),
            Organisation.name.label("company"),
            Project.stage.label("stage"),
            _stage_on().label("stage_on"),
            Project.lead_on.label("referred_on"),
            Project.owner.label("owner"),
            last.c.text.label("update"),
            last.c.written_on.label("update_on"),
            Project.confidential.label("confidential"),
        )
        .join(Organisation, Organisation.id == Project.organisation_id)
        .outerjoin(last, last_project == Project.id)
        .where(referred_by(scope))
        # Confidential projects last: their place among the dated rows would date them.
        .order_by(Project.confidential, Project.lead_on.desc(), Project.id.desc())
    )
    rows = [dict(r._mapping) for r in session.execute(query)]
    for row in rows:
        row["stage"] = Stage(row["stage"]).value
        if row.pop("confidential"):
            row.update(
                company=scope.confidential,
                stage_on=None,
                referred_on=None,
                owner=None,
                update=None,
                update_on=None,
            )
    frame = pd.DataFrame(rows, columns=list(REFERRAL_COLUMNS)).astype(object)
    return frame.where(frame.notna(), None)


# ---------------------------------------------------------------------------------------------
# The chamber's attribution claims
# ---------------------------------------------------------------------------------------------


def list_chamber_claims(session: Session, scope: PartnerScope, *, as_of: date) -> pd.DataFrame:
    """The attribution claims the agency recorded for the scope's chamber (``CLAIM_COLUMNS``),
    pending first, then the latest claimed: the date claimed, the status, the date decided and
    the agency's reason. The project reads as the partner may see it: its company when it is
    one of the chamber's referrals (``referred_by``), None for a project the chamber did not
    refer (another chamber's, or the agency's own: its company is not the chamber's to read).
    A confidential project reads ``scope.confidential`` with its status only, last (as in
    ``list_referrals``: no date, no reason, which could tell it). For an accepted claim on a
    referral the partner may name, the jobs created of its latest check-in to ``as_of`` and
    that check-in's date (None before any). Never the claim's statement, the code name, who
    decided, nor any other claimant's claim."""
    latest = measures.latest_checkin
    query = (
        sa.select(
            Claim.id.label("id"),
            Organisation.name.label("company"),
            Claim.claimed_on.label("claimed_on"),
            Claim.status.label("status"),
            Claim.decided_on.label("decided_on"),
            Claim.decision_reason.label("reason"),
            latest(CheckIn.jobs_created, as_of).label("jobs_verified"),
            latest(CheckIn.checked_on, as_of).label("checked_on"),
            sa.case((referred_by(scope), 1), else_=0).label("referred"),
            Project.confidential.label("confidential"),
        )
        .join(Project, Project.id == Claim.project_id)
        .join(Organisation, Organisation.id == Project.organisation_id)
        .where(Claim.claimant_kind == ClaimantKind.CHAMBER, Claim.chamber_id == scope.chamber_id)
        # Confidential projects last: their place among the dated rows would date them.
        .order_by(
            Project.confidential,
            sa.case((Claim.status == ClaimStatus.PENDING, 0), else_=1),
            Claim.claimed_on.desc(),
            Claim.id.desc(),
        )
    )
    rows = [dict(r._mapping) for r in session.execute(query)]
    for row in rows:
        row["status"] = ClaimStatus(row["status"]).value
        referred, confidential = bool(row.pop("referred")), bool(row.pop("confidential"))
        if confidential:
            row.update(company=scope.confidential, claimed_on=None, decided_on=None, reason=None)
        elif not referred:
            row["company"] = None
        if not referred or confidential or row["status"] != ClaimStatus.ACCEPTED.value:
            row.update(jobs_verified=None, checked_on=None)
    return pd.DataFrame(rows, columns=list(CLAIM_COLUMNS), dtype=object)


# ---------------------------------------------------------------------------------------------
# Figures: the chamber's beside the network's
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralFigures:
    referred: int
    qualified: int
    won: int
    jobs_announced: int
    median_days_to_decision: float | None

    @property
    def conversion(self) -> float | None:
        """Won / referred, None when nothing was referred."""
        return None if self.referred == 0 else self.won / self.referred


def _figures(session: Session, period: Period, narrow: list) -> ReferralFigures:
    from core.performance import _median_days

    referred, qualified, won, jobs = session.execute(
        sa.select(
            sa.func.count(),
            measures.count_if(was_qualified()),
            measures.count_if(Project.stage.in_(WON_STAGES)),
            measures.count_if(Project.stage.in_(WON_STAGES), Project.jobs_announced),
        ).where(measures.lead_in(period), *narrow)
    ).one()
    # Time to decision of the cohort's wins: decided on or after the period's start (a lead
    # is decided after it entered), whenever that was.
    median, _n = _median_days(
        session, Period(period.start, _LATEST), [measures.lead_in(period), *narrow]
    )
    return ReferralFigures(int(referred), int(qualified), int(won), int(jobs), median)


def get_referral_figures(
    session: Session, scope: PartnerScope, period: Period
) -> dict[str, ReferralFigures]:
    """``{"chamber": the scope's chamber's figures, "network": every chamber's together}``
    for the leads referred in ``period`` (no name in either)."""
    return {
        "chamber": _figures(session, period, [referred_by(scope)]),
        "network": _figures(session, period, [attributed()]),
    }
