"""One definition per figure: the predicates and sums every KPI is built from.

Each function returns a SQLAlchemy expression (a condition, a sum or a subquery) that the
dashboards (``core.kpis``, ``core.sectors``, ``core.pipeline``, ``core.india``, ``core.geo``,
``core.missions``), the Directory's figure, the presentation, the snapshots and the press kit
use, so that one label always counts one thing. ``core.definitions`` names, for each catalogue
entry, the measure of this module it uses; the rules below are written out, in French and
English, on the Definitions page (``kpi.<key>.definition`` and ``rule.<name>``).

Rules (each tested in ``tests/test_measures.py``):

- **Won in a period**: the project is Won or Landed *now* and its decision date (its last move
  into Won, or into Landed with no Won before it, in its current run) falls in the period. A
  project won twice (won, lost, won again) counts once, in the period of its last win. A win
  later lost or reopened drops out of its period in the live figures; a frozen figure keeps it,
  and ``core.snapshots.compare_with_live`` says why the live figure moved
  (``won_then_left``).
- **Origin**: the project's country of origin (the organisation's country of control, else its
  HQ). Foreign: an origin other than the home country; home: the home country; a project with
  neither is counted apart as "origine inconnue", never as home.
- **Met in a period**: an interaction dated in the period; organisations met are the distinct
  organisations of those interactions. "Organisations met or hosted" (the Directory's figure)
  adds the organisations attending a mission counted in the period.
- **Missions in a period**: by start date, once (a mission spanning New Year belongs to the year
  it starts in), everywhere.
- **Time to decision**: from the project's entry into the pipeline in its current run (its
  first move into Lead to Advanced negotiation after its last loss or abandonment) to its
  decision date, in days; the median over the projects won in the period. A project recorded
  directly as won has no entry and is not measured.
- **Delegations received**: missions of kind inbound, counted as every mission (start date).
- **Companies** ("entreprises"): organisations of kind company only; investors, public bodies,
  chambers, universities and consulates are organisations, not companies.
- **Verified jobs** (issue 14): a won project is *checkable* once its decision date is at least
  12 months before the reading date (``as_of``: today for the live figures); it is *checked*
  when it also has an aftercare check-in dated on or before ``as_of``, and *awaiting a check*
  when it has none. Its verified jobs are the jobs created of its latest check-in (by date,
  then as recorded): a correction is a newer check-in; a company that left counts 0. The
  realisation rate of a period is the verified jobs of its checked projects over the jobs
  announced of the same projects; projects not yet checkable are left out of both.
- **Conversion**: two meanings, two labels. "Taux de conversion" (Sectors) is a flow: projects
  won in the period over projects qualified in the period. "Passage d'une étape à la suivante"
  (Pipeline) is a cohort: of the projects that became leads in the period, the share that
  reached each next stage.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import aliased

from core import clock
from core.periods import Period
from models import (
    OPEN_STAGES,
    STAGE_ORDER,
    WON_STAGES,
    CapexDisclosure,
    CheckIn,
    Claim,
    ClaimantKind,
    ClaimStatus,
    Interaction,
    Mission,
    MissionKind,
    MissionOrganisation,
    Organisation,
    OrganisationKind,
    Project,
    Stage,
    StageChange,
)

#: The kinds of organisation counted as "entreprises" (companies).
COMPANY_KINDS: tuple[OrganisationKind, ...] = (OrganisationKind.COMPANY,)


def total(expr: Any) -> Any:
    """SUM that is 0, not NULL, over no rows."""
    return sa.func.coalesce(sa.func.sum(expr), 0)


def count_if(condition: Any, value: Any = 1) -> Any:
    """SUM of ``value`` over the rows meeting ``condition``."""
    return total(sa.case((condition, value), else_=0))


def between(column: Any, period: Period) -> Any:
    return column.between(period.start, period.end)


# ---------------------------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------------------------


def decided_in(period: Period) -> Any:
    """The project's decision date falls in the period (won, landed, lost or abandoned)."""
    return between(Project.decided_on, period)


def is_won() -> Any:
    """The project is Won or Landed now, whatever its decision date (a mission's wins)."""
    return Project.stage.in_(WON_STAGES)


def won_in(period: Period) -> Any:
    """Projects won in ``period``: Won or Landed now, decision date in the period."""
    return sa.and_(is_won(), decided_in(period))


def lead_in(period: Period) -> Any:
    """Projects that became a lead (entered the pipeline) in the period."""
    return between(Project.lead_on, period)


def attributed_to(chamber_id: int | None = None) -> Any:
    """The project is attributed to chamber ``chamber_id`` (None: to any chamber): the chamber
    recorded as its source (a change of source is kept in the audit trail)."""
    if chamber_id is None:
        return Project.source_chamber_id.is_not(None)
    return Project.source_chamber_id == chamber_id


def was_qualified() -> Any:
    """The project is, or has been, at Qualified or a later main stage (its stage history)."""
    later = STAGE_ORDER[STAGE_ORDER.index(Stage.QUALIFIED) :]
    moved = sa.select(StageChange.id).where(
        StageChange.project_id == Project.id, StageChange.to_stage.in_(later)
    )
    return sa.or_(Project.stage.in_(later), moved.exists())


def is_foreign(home_country: str) -> Any:
    """Origin known and other than the home country."""
    return sa.and_(
        Project.origin_country_iso2.is_not(None), Project.origin_country_iso2 != home_country
    )


def is_home(home_country: str) -> Any:
    """Origin is the home country (an unknown origin is not home)."""
    return Project.origin_country_iso2 == home_country


def origin_unknown() -> Any:
    """Neither a country of control nor an HQ country: counted apart ("origine inconnue")."""
    return Project.origin_country_iso2.is_(None)


def capex_if(disclosure: CapexDisclosure) -> Any:
    """The project's capex when its flag is ``disclosure``, else 0 (to be summed)."""
    return sa.case((Project.capex_disclosure == disclosure, Project.capex_eur), else_=0)


def won_then_left(period: Period) -> Any:
    """Projects that were decided as won in ``period`` (a move into Won dated in it, or into
    Landed for a project never marked Won) and are not counted as won in it today (lost,
    abandoned, reopened, or won again later): why a live figure of a past period can be lower
    than the one announced."""
    ever_won = sa.select(StageChange.project_id).where(StageChange.to_stage == Stage.WON)
    decided = sa.select(StageChange.project_id).where(
        between(StageChange.changed_on, period),
        sa.or_(
            StageChange.to_stage == Stage.WON,
            sa.and_(StageChange.to_stage == Stage.LANDED, StageChange.project_id.not_in(ever_won)),
        ),
    )
    return sa.and_(Project.id.in_(decided), sa.not_(won_in(period)))


def _latest_change_on_or_before(on: date, column: Any) -> Any:
    """``column`` of the project's latest stage change on or before ``on`` (ties broken by id),
    as a correlated subquery: one index seek per project on ix_stagechange_project_on."""
    return (
        sa.select(column)
        .where(StageChange.project_id == Project.id, StageChange.changed_on <= on)
        .order_by(StageChange.changed_on.desc(), StageChange.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def stage_at_end(period: Period, today: date | None = None) -> tuple[Any, Any]:
    """(stage, stage_entered_on) of each project at the end of ``period``, as expressions on
    ``Project``. A period ending today or later reads the current stage; an earlier one reads
    the stage history (latest change on or before the end, ties broken by id)."""
    if period.end >= (today or clock.today()):
        entered = (
            sa.select(sa.func.max(StageChange.changed_on))
            .where(StageChange.project_id == Project.id)
            .scalar_subquery()
        )
        return Project.stage, entered
    return (
        _latest_change_on_or_before(period.end, StageChange.to_stage),
        _latest_change_on_or_before(period.end, StageChange.changed_on),
    )


def stay_on(on: date) -> Any:
    """The stage change in force on ``on`` (the project's latest change on or before it, ties
    broken by id), as a condition on ``StageChange``: its stay began on or before ``on`` and
    ends after it or not yet. A change followed by another the same day ends that day
    (``left_on`` = ``changed_on``), so exactly one change per project passes: a range read on
    ``ix_stagechange_left`` (``left_on`` is kept by the database, migration 0013)."""
    return sa.and_(
        StageChange.changed_on <= on,
        sa.or_(StageChange.left_on > on, StageChange.left_on.is_(None)),
    )


def open_at_end(period: Period, today: date | None = None) -> Any:
    """Projects in an open stage (Lead to Advanced negotiation) at the end of ``period``. For
    a past end, the stays in an open stage in force on that day (``stay_on``): the same stage
    as ``stage_at_end``'s, read as a range of the stays ending after it instead of one seek
    per project."""
    if period.end >= (today or clock.today()):
        return Project.stage.in_(OPEN_STAGES)
    return Project.id.in_(
        sa.select(StageChange.project_id).where(
            StageChange.to_stage.in_(OPEN_STAGES), stay_on(period.end)
        )
    )


# ---------------------------------------------------------------------------------------------
# Meetings, organisations, missions
# ---------------------------------------------------------------------------------------------


def met_in(period: Period) -> Any:
    """Interactions dated in the period (meetings logged)."""
    return between(Interaction.occurred_on, period)


def organisations_met() -> Any:
    """COUNT of the distinct organisations of the interactions selected."""
    return sa.func.count(sa.distinct(Interaction.organisation_id))


def is_company(kind: Any = Organisation.kind) -> Any:
    """The organisation is a company ("entreprise")."""
    return kind.in_(COMPANY_KINDS)


def companies_met() -> Any:
    """COUNT of the distinct companies of the interactions selected (needs no join). The kind
    is looked up per interaction by the organisation's key: an ``IN (every company)`` list
    was not hashed by PostgreSQL once a million organisations outgrew its work memory, and
    was scanned for every interaction (minutes at a million meetings)."""
    kind = (
        sa.select(Organisation.kind)
        .where(Organisation.id == Interaction.organisation_id)
        .scalar_subquery()
    )
    return sa.func.count(sa.distinct(sa.case((is_company(kind), Interaction.organisation_id))))


def mission_in(period: Period) -> Any:
    """Missions counted in the period: those starting in it (once, by start date)."""
    return between(Mission.starts_on, period)


def met_or_hosted_ids(period: Period) -> Any:
    """The ids of the organisations met (an interaction in the period) or attending a mission
    counted in the period, each once: the Directory's "organisations met or hosted"."""
    return sa.union(
        sa.select(Interaction.organisation_id.label("organisation_id")).where(
            met_in(period), Interaction.organisation_id.is_not(None)
        ),
        sa.select(MissionOrganisation.organisation_id)
        .join(Mission, Mission.id == MissionOrganisation.mission_id)
        .where(mission_in(period)),
    )


# ---------------------------------------------------------------------------------------------
# Time to decision, delegations
# ---------------------------------------------------------------------------------------------

#: The moves that end a run: the next move starts a new one (as in ``core.decisions``).
RUN_ENDS: tuple[Stage, ...] = (Stage.LOST, Stage.ABANDONED)


def stage_rank(column: Any) -> Any:
    """Position of a stage on the main path (Target 0 ... Landed 7); -1 off the path."""
    return sa.case(*((column == s, i) for i, s in enumerate(STAGE_ORDER)), else_=-1)


def entered_pipeline_on() -> Any:
    """The date the project entered the pipeline in its current run, as a correlated subquery
    on ``Project``: its first move into an open stage (Lead to Advanced negotiation) after its
    last loss or abandonment (moves ordered by date, then as recorded). None for a project
    with no such move (recorded directly as won): it has no time to decision to measure.
    Time to decision runs from this date to the decision date (``Project.decided_on``)."""
    moves, ends = aliased(StageChange), aliased(StageChange)
    ended_later = (
        sa.select(ends.id)
        .where(
            ends.project_id == moves.project_id,
            ends.to_stage.in_(RUN_ENDS),
            sa.or_(
                ends.changed_on > moves.changed_on,
                sa.and_(ends.changed_on == moves.changed_on, ends.id > moves.id),
            ),
        )
        .exists()
    )
    return (
        sa.select(sa.func.min(moves.changed_on))
        .where(moves.project_id == Project.id, moves.to_stage.in_(OPEN_STAGES), ~ended_later)
        .scalar_subquery()
    )


def delegation_in(period: Period) -> Any:
    """Delegations received: missions of kind inbound (a delegation hosted in the territory)
    counted in the period (by start date, once)."""
    return sa.and_(Mission.kind == MissionKind.INBOUND, mission_in(period))


# ---------------------------------------------------------------------------------------------
# Verified jobs, attribution (issue 14)
# ---------------------------------------------------------------------------------------------

#: A won project can be checked this many months after its decision.
CHECKABLE_AFTER_MONTHS = 12


def checkable_cutoff(as_of: date) -> date:
    """The latest decision date of a project old enough to have been checked on ``as_of``."""
    return as_of - relativedelta(months=CHECKABLE_AFTER_MONTHS)


def _checkins_to(as_of: date) -> Any:
    return sa.and_(CheckIn.project_id == Project.id, CheckIn.checked_on <= as_of)


def has_checkin(as_of: date) -> Any:
    """The project has a check-in dated on or before ``as_of``."""
    return sa.select(CheckIn.id).where(_checkins_to(as_of)).exists()


def latest_checkin(column: Any, as_of: date) -> Any:
    """``column`` of the project's latest check-in on or before ``as_of`` (by date, then as
    recorded), as a correlated subquery on ``Project``."""
    return (
        sa.select(column)
        .where(_checkins_to(as_of))
        .order_by(CheckIn.checked_on.desc(), CheckIn.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def checkable_in(period: Period, as_of: date) -> Any:
    """Won in ``period`` and decided at least 12 months before ``as_of``."""
    return sa.and_(won_in(period), Project.decided_on <= checkable_cutoff(as_of))


def checked_in(period: Period, as_of: date) -> Any:
    """Checkable projects of ``period`` with at least one check-in by ``as_of``."""
    return sa.and_(checkable_in(period, as_of), has_checkin(as_of))


def awaiting_check_in(period: Period, as_of: date) -> Any:
    """Checkable projects of ``period`` with no check-in yet."""
    return sa.and_(checkable_in(period, as_of), sa.not_(has_checkin(as_of)))


def jobs_verified(as_of: date) -> Any:
    """The jobs created of the project's latest check-in (to be summed over checked ones)."""
    return sa.func.coalesce(latest_checkin(CheckIn.jobs_created, as_of), 0)


def capex_spent(as_of: date) -> Any:
    """The capex spent of the project's latest check-in, 0 when it gives none."""
    return sa.func.coalesce(latest_checkin(CheckIn.capex_spent_eur, as_of), 0)


#: The claimants whose accepted claims are "the network" (the chambers of CCI France
#: International); events and staff members are counted apart.
NETWORK_CLAIMANTS: tuple[ClaimantKind, ...] = (ClaimantKind.CHAMBER,)


def accepted_claim(kinds: tuple[ClaimantKind, ...] = NETWORK_CLAIMANTS) -> Any:
    """The project has an accepted claim of one of ``kinds`` (pending and refused claims
    count nowhere)."""
    return (
        sa.select(Claim.id)
        .where(
            Claim.project_id == Project.id,
            Claim.status == ClaimStatus.ACCEPTED,
            Claim.claimant_kind.in_(kinds),
        )
        .exists()
    )


def attributed_in(period: Period, kinds: tuple[ClaimantKind, ...] = NETWORK_CLAIMANTS) -> Any:
    """Projects won in ``period`` attributed (an accepted claim) to ``kinds``."""
    return sa.and_(won_in(period), accepted_claim(kinds))
