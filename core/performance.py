"""The catalogue's figures beyond the six headline tiles: time to decision, organisations met
per project won, delegations received, missions held (against their yearly target) and the
projects won split by origin (French, foreign, unknown).

Each is an SQL aggregate built on ``core.measures`` (won, met, missions by start date, origin),
narrowed by the shared dashboard filters as the headline figures are: projects by the project
filters, meetings by the meeting filters, missions by the chamber and mission filters (the
Missions page's rule). ``list_performance_records`` gives the records behind the figures that
have some (``RECORD_KPIS``); ``core.kpis.list_kpi_records`` hands them on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core import measures
from core.confidentiality import Masking, mask_project_rows
from core.filters import DashboardFilters, interaction_conditions, project_conditions
from core.periods import Period
from core.summaries import organisations_met_by_year
from models import Chamber, Mission, Organisation, Project, ProjectPath

#: The record lists of this module (``core.kpis.list_kpi_records`` accepts them).
RECORD_KPIS = ("time_to_decision", "delegations_received", "missions_held")


@dataclass(frozen=True)
class PerformanceKpis:
    #: Median days from entering the pipeline (``measures.entered_pipeline_on``) to the
    #: decision, over the projects won in the period that went through the pipeline; None
    #: when there is none. Half a day when the count is even (mean of the two middle ones).
    time_to_decision_days: float | None = None
    #: The projects that median is taken over (won in the period with a pipeline entry).
    time_to_decision_projects: int = 0
    projects_won: int = 0
    projects_won_home: int = 0
    projects_won_foreign: int = 0
    projects_won_unknown_origin: int = 0
    organisations_met: int = 0
    delegations_received: int = 0
    missions_held: int = 0

    @property
    def organisations_met_per_win(self) -> float | None:
        """Organisations met in the period per project won in it; None without a win."""
        return self.organisations_met / self.projects_won if self.projects_won else None


def _days(session: Session, start: Any, end: Any) -> Any:
    """Whole days from ``start`` to ``end`` (two dates), in SQL, on either dialect."""
    if session.get_bind().dialect.name == "sqlite":
        return sa.cast(sa.func.julianday(end) - sa.func.julianday(start), sa.Integer)
    return end - start


def _narrowing(filters: DashboardFilters | None) -> tuple[list[Any], list[Any], list[Any]]:
    """(conditions on projects, on interactions, on missions but their period)."""
    if filters is None:
        return [], [], []
    on_missions = []
    if filters.chamber_id is not None:
        on_missions.append(Mission.chamber_id == filters.chamber_id)
    if filters.mission_id is not None:
        on_missions.append(Mission.id == filters.mission_id)
    return project_conditions(filters), interaction_conditions(filters), on_missions


def _decision_times(session: Session, period: Period, narrow: list[Any]) -> Any:
    """One row per project won in ``period`` with a pipeline entry: id, entered_pipeline_on,
    days (to its decision)."""
    # The entry (``measures.entered_pipeline_on``) as the database keeps it (migration 0017):
    # a join by key instead of each won project's stage history read again.
    return (
        sa.select(
            Project.id.label("id"),
            ProjectPath.entered_on.label("entered_pipeline_on"),
            _days(session, ProjectPath.entered_on, Project.decided_on).label("days"),
        )
        .join(ProjectPath, ProjectPath.project_id == Project.id)
        .where(measures.won_in(period), ProjectPath.entered_on.is_not(None), *narrow)
        .subquery("decision_times")
    )


def _median_days(session: Session, period: Period, narrow: list[Any]) -> tuple[float | None, int]:
    """(median days, projects) of the decision times, in SQL: the middle row, or the mean of
    the two middle rows, of the times ranked with a window function."""
    times = _decision_times(session, period, narrow)
    ranked = sa.select(
        times.c.days,
        sa.func.row_number().over(order_by=(times.c.days, times.c.id)).label("rank"),
        sa.func.count().over().label("n"),
    ).subquery("ranked")
    middle = sa.or_(
        ranked.c.rank == (ranked.c.n + 1) // 2,
        ranked.c.rank == (ranked.c.n + 2) // 2,
    )
    median, n = session.exec(
        sa.select(sa.func.avg(ranked.c.days), sa.func.max(ranked.c.n)).where(middle)
    ).one()
    return (None if median is None else float(median)), int(n or 0)


def get_performance_kpis(
    session: Session,
    period: Period,
    *,
    home_country: str = "FR",
    filters: DashboardFilters | None = None,
) -> PerformanceKpis:
    """The figures of ``period`` (see the module docstring) in four queries."""
    on_projects, on_meetings, on_missions = _narrowing(filters)
    median, measured = _median_days(session, period, on_projects)
    won = session.exec(
        sa.select(
            sa.func.count(),
            measures.count_if(measures.is_home(home_country)),
            measures.count_if(measures.is_foreign(home_country)),
            measures.count_if(measures.origin_unknown()),
        ).where(measures.won_in(period), *on_projects)
    ).one()
    stored = None if on_meetings else organisations_met_by_year(session, period)
    met = (
        stored[0]
        if stored is not None
        else session.exec(
            sa.select(measures.organisations_met()).where(measures.met_in(period), *on_meetings)
        ).one()[0]
    )
    missions = session.exec(
        sa.select(
            measures.count_if(measures.delegation_in(period)),
            measures.count_if(measures.mission_in(period)),
        ).where(*on_missions)
    ).one()
    return PerformanceKpis(median, measured, *(int(v) for v in won), int(met), *map(int, missions))


def performance_figures(kpis: PerformanceKpis) -> dict[str, int | float | None]:
    """The figures a snapshot freezes (JSON-ready; ratios to four decimals). Projects won by
    origin but the home ones, and organisations met, are frozen with the headline figures."""
    ratio = kpis.organisations_met_per_win
    return {
        "time_to_decision_days": kpis.time_to_decision_days,
        "time_to_decision_projects": kpis.time_to_decision_projects,
        "organisations_met_per_win": None if ratio is None else round(ratio, 4),
        "projects_won_home": kpis.projects_won_home,
        "delegations_received": kpis.delegations_received,
        "missions_held": kpis.missions_held,
    }


def _mission_records(period: Period, narrow: list[Any], inbound_only: bool) -> tuple[Any, Any]:
    counted = measures.delegation_in(period) if inbound_only else measures.mission_in(period)
    query = (
        sa.select(
            Mission.id,
            Mission.name,
            Mission.kind,
            Mission.starts_on,
            Mission.ends_on,
            Mission.city,
            Mission.country_iso2,
            Chamber.name.label("chamber"),
        )
        .outerjoin(Chamber, Chamber.id == Mission.chamber_id)
        .where(counted, *narrow)
        .order_by(Mission.starts_on.desc(), Mission.id.desc())
    )
    return query, sa.select(sa.func.count()).select_from(Mission).where(counted, *narrow)


def _decision_time_records(
    session: Session, period: Period, home_country: str, narrow: list[Any]
) -> tuple[Any, Any]:
    times = _decision_times(session, period, narrow)
    query = (
        sa.select(
            Project.id,
            Project.code_name,
            Project.organisation_id,
            Organisation.name.label("organisation_name"),
            Project.sector_code,
            Project.origin_country_iso2,
            measures.is_foreign(home_country).label("foreign"),
            Project.stage,
            times.c.entered_pipeline_on,
            Project.decided_on,
            times.c.days,
        )
        .join(times, times.c.id == Project.id)
        .join(Organisation, Organisation.id == Project.organisation_id)
        .order_by(times.c.days.desc(), Project.id.desc())
    )
    return query, sa.select(sa.func.count()).select_from(times)


def list_performance_records(
    session: Session,
    kpi: str,
    period: Period,
    *,
    home_country: str = "FR",
    limit: int = 1000,
    filters: DashboardFilters | None = None,
    masking: Masking | None = None,
) -> tuple[pd.DataFrame, int]:
    """The records behind ``kpi`` (in ``RECORD_KPIS``): at most ``limit`` rows and their total.

    time_to_decision: the projects the median is taken over, longest first: id, code_name,
    organisation_id, organisation_name, sector_code, origin_country_iso2, foreign, stage,
    entered_pipeline_on, decided_on, days. delegations_received, missions_held: the missions
    counted, latest first: id, name, kind, starts_on, ends_on, city, country_iso2, chamber.
    """
    from core.kpis import query_frame  # core.kpis hands its drill-down on to this module

    on_projects, _, on_missions = _narrowing(filters)
    if kpi == "time_to_decision":
        query, count = _decision_time_records(session, period, home_country, on_projects)
    elif kpi in ("delegations_received", "missions_held"):
        query, count = _mission_records(period, on_missions, kpi == "delegations_received")
    else:
        raise ValueError(f"unknown KPI {kpi!r}: expected one of {', '.join(RECORD_KPIS)}")
    total = int(session.exec(count).one()[0])
    frame = query_frame(session, query.limit(max(0, limit)))
    if kpi == "time_to_decision":
        return mask_project_rows(session, frame, masking), total
    return frame, total
