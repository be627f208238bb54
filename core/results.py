"""Results: the jobs announced beside the jobs verified by aftercare check-ins, the realisation
rate, the projects still awaiting a check, and what the network's accepted claims brought.

Every figure is one SQL aggregate over the measures of ``core.measures`` (``won_in``,
``checkable_in``, ``checked_in``, ``awaiting_check_in``, ``jobs_verified``, ``attributed_in``):
the rules are written there and on the Definitions page. ``as_of`` is the reading date (today
for the live figures): verified jobs are "to date".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from core import measures
from core.filters import DashboardFilters, project_conditions
from core.periods import Period, year_period
from models import ClaimantKind, Project

#: How many years before the statement's year its realisation rates cover.
STATEMENT_YEARS = 3


@dataclass(frozen=True)
class ResultFigures:
    """The announced-versus-verified figures of one period."""

    projects_won: int = 0
    jobs_announced: int = 0
    #: Won in the period and decided at least 12 months before ``as_of``.
    projects_checkable: int = 0
    #: Checkable, with at least one check-in.
    projects_checked: int = 0
    #: Checkable, with no check-in yet.
    projects_awaiting: int = 0
    #: The jobs announced of the checked projects (the rate's denominator).
    jobs_announced_checked: int = 0
    #: The jobs created of the checked projects' latest check-ins (the rate's numerator).
    jobs_verified: int = 0
    #: The capex spent of the checked projects' latest check-ins.
    capex_spent_eur: int = 0

    @property
    def realisation_rate(self) -> float | None:
        """Verified over announced, for the checked projects; None when none is checked."""
        if not self.jobs_announced_checked:
            return None
        return self.jobs_verified / self.jobs_announced_checked

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "realisation_rate": self.realisation_rate}


def get_results(
    session: Session,
    period: Period,
    *,
    as_of: date,
    filters: DashboardFilters | None = None,
) -> ResultFigures:
    """The results of the projects won in ``period``, verified to ``as_of``, in one query.
    ``filters`` narrows them like every dashboard figure (its own period is not used)."""
    narrow = project_conditions(filters) if filters is not None else []
    checked = measures.checked_in(period, as_of)
    row = session.execute(
        sa.select(
            sa.func.count(),
            measures.total(Project.jobs_announced),
            measures.count_if(measures.checkable_in(period, as_of)),
            measures.count_if(checked),
            measures.count_if(measures.awaiting_check_in(period, as_of)),
            measures.count_if(checked, Project.jobs_announced),
            measures.count_if(checked, measures.jobs_verified(as_of)),
            measures.count_if(checked, measures.capex_spent(as_of)),
        ).where(measures.won_in(period), *narrow)
    ).one()
    return ResultFigures(*(int(v) for v in row))


def get_results_by_year(
    session: Session, years: list[int], *, as_of: date
) -> dict[int, ResultFigures]:
    """``get_results`` of each calendar year of ``years``."""
    return {year: get_results(session, year_period(year), as_of=as_of) for year in years}


@dataclass(frozen=True)
class Attribution:
    """Projects won in a period with an accepted claim of the claimants counted, and their
    verified jobs (the latest check-ins of those among them that are checked)."""

    projects: int = 0
    jobs_announced: int = 0
    jobs_verified: int = 0


def get_attribution(
    session: Session,
    period: Period,
    *,
    as_of: date,
    kinds: tuple[ClaimantKind, ...] = measures.NETWORK_CLAIMANTS,
    chamber_id: int | None = None,
) -> Attribution:
    """What the accepted claims of ``kinds`` (the network's chambers by default; one chamber
    when ``chamber_id`` is given) brought in ``period``."""
    where = [measures.attributed_in(period, kinds)]
    if chamber_id is not None:
        from models import Claim, ClaimStatus

        where.append(
            sa.select(Claim.id)
            .where(
                Claim.project_id == Project.id,
                Claim.status == ClaimStatus.ACCEPTED,
                Claim.chamber_id == chamber_id,
            )
            .exists()
        )
    checked = measures.checked_in(period, as_of)
    row = session.execute(
        sa.select(
            sa.func.count(),
            measures.total(Project.jobs_announced),
            measures.count_if(checked, measures.jobs_verified(as_of)),
        ).where(*where)
    ).one()
    return Attribution(*(int(v) for v in row))


def earlier_years(period: Period) -> Period:
    """The ``STATEMENT_YEARS`` calendar years before ``period``'s first year: the wins whose
    realisation a presentation of ``period`` can already tell."""
    first = period.start.year - STATEMENT_YEARS
    return Period(date(first, 1, 1), date(period.start.year - 1, 12, 31))


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def results_figures(session: Session, period: Period, *, as_of: date) -> dict[str, Any]:
    """The results a snapshot and the deck hold (JSON-ready): the period's wins verified to
    ``as_of``, the network's accepted claims on them, and the realisation of the wins of the
    ``STATEMENT_YEARS`` years before (``earlier_*``, over ``earlier_years(period)``)."""
    own = get_results(session, period, as_of=as_of)
    network = get_attribution(session, period, as_of=as_of)
    earlier = get_results(session, earlier_years(period), as_of=as_of)
    return {
        "projects_checkable": own.projects_checkable,
        "projects_checked": own.projects_checked,
        "projects_awaiting": own.projects_awaiting,
        "jobs_announced_checked": own.jobs_announced_checked,
        "jobs_verified": own.jobs_verified,
        "realisation_rate": _rate(own.realisation_rate),
        "network_projects": network.projects,
        "network_jobs_verified": network.jobs_verified,
        "earlier_projects_awaiting": earlier.projects_awaiting,
        "earlier_jobs_announced_checked": earlier.jobs_announced_checked,
        "earlier_jobs_verified": earlier.jobs_verified,
        "earlier_realisation_rate": _rate(earlier.realisation_rate),
    }
