"""KPI queries: SQL aggregates run in the database, small dataclasses and DataFrames out.

Definitions follow DOMAIN.md ("KPI catalogue"). Every query runs unchanged on SQLite and
PostgreSQL; the only dialect-specific piece is the date bucketing of ``_date_key``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, select

from core import measures
from core.confidentiality import Masking, mask_meeting_rows, mask_project_rows
from core.filters import DashboardFilters, interaction_conditions, project_conditions
from core.periods import Period, calendar_months, month_end, whole_months
from core.summaries import get_meeting_counts, organisations_met_by_year
from models import (
    OPEN_STAGES,
    WON_STAGES,
    CapexDisclosure,
    Interaction,
    Mission,
    Organisation,
    Project,
    Stage,
    StageChange,
    Target,
    TargetKpi,
)

#: The names ``list_kpi_records`` accepts (one per headline tile).
RECORD_KPIS = (
    "projects_won",
    "jobs_announced",
    "capex_disclosed",
    "meetings",
    "organisations_met",
    "open_pipeline",
    # Behind the dashboards' charts (see list_kpi_records):
    "leads",
    "qualified",
    "lost",
    "at_stage",
    "stays",
    # The catalogue's further figures (core.performance):
    "time_to_decision",
    "delegations_received",
    "missions_held",
)


@dataclass(frozen=True)
class HeadlineKpis:
    projects_won: int = 0
    projects_won_foreign: int = 0
    jobs_announced: int = 0
    jobs_kept: int = 0
    capex_disclosed_eur: int = 0
    capex_estimated_eur: int = 0
    meetings: int = 0
    organisations_met: int = 0
    open_pipeline: int = 0
    open_pipeline_jobs: int = 0
    #: Of the projects won, those with no known origin (counted apart, neither home nor foreign).
    projects_won_unknown_origin: int = 0
    #: Of the organisations met, the companies (kind "company": the deck's "entreprises").
    companies_met: int = 0


def _narrowing(filters: DashboardFilters | None) -> tuple[list[Any], list[Any]]:
    """(conditions on projects, conditions on interactions) of the shared dashboard filters,
    but their period: each KPI says itself which date falls in which period."""
    if filters is None:
        return [], []
    return project_conditions(filters), interaction_conditions(filters)


# The shared definitions (core.measures), under the names this module has always used.
_sum = measures.total
_won_in = measures.won_in
_met_in = measures.met_in
_is_foreign = measures.is_foreign
_capex_if = measures.capex_if
stage_at_end = measures.stage_at_end


# ---------------------------------------------------------------------------------------------
# Headline figures, targets, monthly trend
# ---------------------------------------------------------------------------------------------


def get_headline_kpis(
    session: Session,
    period: Period,
    *,
    home_country: str = "FR",
    today: date | None = None,
    filters: DashboardFilters | None = None,
) -> HeadlineKpis:
    """The six headline figures of ``period`` (and their side figures) in three queries.

    ``today`` (default: the real date) decides whether the open pipeline at the period's end
    can be read from the projects' current stage or must come from the stage history.
    ``filters`` narrows every figure (sectors, origins, chamber, mission, owner); its own
    period is not used, so the same filters serve the period and its comparison.
    """
    on_projects, on_meetings = _narrowing(filters)
    won = session.exec(
        sa.select(
            sa.func.count(),
            measures.count_if(measures.is_foreign(home_country)),
            _sum(Project.jobs_announced),
            _sum(Project.jobs_kept),
            _sum(_capex_if(CapexDisclosure.DISCLOSED)),
            _sum(_capex_if(CapexDisclosure.ESTIMATED)),
            measures.count_if(measures.origin_unknown()),
        ).where(_won_in(period), *on_projects)
    ).one()
    met = _meetings_met(session, period, on_meetings)
    pipeline_query = sa.select(sa.func.count(), _sum(Project.jobs_announced)).where(
        measures.open_at_end(period, today), *on_projects
    )
    pipeline = session.exec(pipeline_query).one()
    *won_figures, unknown_origin = (int(v) for v in won)
    meetings, organisations, companies = (int(v) for v in met)
    return HeadlineKpis(
        *won_figures,
        meetings,
        organisations,
        *(int(v) for v in pipeline),
        projects_won_unknown_origin=unknown_origin,
        companies_met=companies,
    )


def _meetings_met(session: Session, period: Period, on_meetings: list[Any]) -> tuple:
    """(meetings, organisations met, companies met) of ``period``. Unfiltered, in a period
    the database's yearly summary serves (``summaries.organisations_met_by_year``: from 1
    January or to 31 December of one year), the distinct organisations and companies are a
    range count on it, and the meetings a count on the date index; else one distinct count
    over the period's interactions."""
    stored = None if on_meetings else organisations_met_by_year(session, period)
    if stored is not None:
        meetings = session.exec(sa.select(sa.func.count()).where(_met_in(period))).one()[0]
        return (meetings, *stored)
    return session.exec(
        sa.select(sa.func.count(), measures.organisations_met(), measures.companies_met()).where(
            _met_in(period), *on_meetings
        )
    ).one()


def get_targets(session: Session, year: int) -> dict[TargetKpi, int]:
    rows = session.exec(select(Target.kpi, Target.value).where(Target.year == year)).all()
    return {TargetKpi(kpi): int(value) for kpi, value in rows}


_DATE_FORMATS = {"month": ("%Y-%m", "YYYY-MM"), "year": ("%Y", "YYYY")}


def _date_key(session: Session, column: Any, unit: str = "month") -> Any:
    """``YYYY-MM`` (or ``YYYY``) of a date column, in SQL, on either dialect."""
    sqlite_format, postgres_format = _DATE_FORMATS[unit]
    if session.get_bind().dialect.name == "sqlite":
        return sa.func.strftime(sqlite_format, column)
    return sa.func.to_char(column, postgres_format)


def get_monthly_trend(
    session: Session, period: Period, *, filters: DashboardFilters | None = None
) -> pd.DataFrame:
    """One row per calendar month overlapping ``period`` (days outside it are not counted):
    month (first day), projects_won, jobs_announced, meetings. Months without data are 0.
    ``filters`` narrows the counts as in ``get_headline_kpis``."""
    on_projects, on_meetings = _narrowing(filters)
    won_month = _date_key(session, Project.decided_on).label("m")
    won = session.exec(
        sa.select(won_month, sa.func.count(), _sum(Project.jobs_announced))
        .where(_won_in(period), *on_projects)
        .group_by(won_month)
    ).all()
    met_month = _date_key(session, Interaction.occurred_on).label("m")
    counted: list[tuple[str, int]] = []
    days = [_met_in(period)]
    full = whole_months(period)
    if full and not on_meetings:  # whole months: kept by the database (core.summaries)
        stored = get_meeting_counts(session, "month", full[0], full[-1])
        counted = [(f"{m.year:04d}-{m.month:02d}", n) for m, (n, _orgs) in stored.items()]
        inside = Interaction.occurred_on.between(full[0], month_end(full[-1]))
        days.append(sa.not_(inside))  # the days of the months the period cuts
    met = session.exec(
        sa.select(met_month, sa.func.count()).where(*days, *on_meetings).group_by(met_month)
    ).all()
    won_by = {m: (int(n), int(jobs)) for m, n, jobs in won}
    met_by = {m: int(n) for m, n in [*counted, *met]}
    rows = []
    for month in calendar_months(period):
        key = f"{month.year:04d}-{month.month:02d}"
        projects, jobs = won_by.get(key, (0, 0))
        rows.append((month, projects, jobs, met_by.get(key, 0)))
    frame = pd.DataFrame(rows, columns=["month", "projects_won", "jobs_announced", "meetings"])
    return frame.astype({"projects_won": "int64", "jobs_announced": "int64", "meetings": "int64"})


def get_yearly_summary(
    session: Session, first_year: int, last_year: int, *, filters: DashboardFilters | None = None
) -> pd.DataFrame:
    """One row per calendar year from ``first_year`` to ``last_year``: year, projects_won,
    jobs_announced, capex_disclosed_eur, meetings, organisations_met (same definitions as the
    headline figures), in two grouped queries. Years without data are 0."""
    on_projects, on_meetings = _narrowing(filters)
    span = Period(date(first_year, 1, 1), date(last_year, 12, 31))
    won_year = _date_key(session, Project.decided_on, "year").label("y")
    won = session.exec(
        sa.select(
            won_year,
            sa.func.count(),
            _sum(Project.jobs_announced),
            _sum(_capex_if(CapexDisclosure.DISCLOSED)),
        )
        .where(_won_in(span), *on_projects)
        .group_by(won_year)
    ).all()
    if on_meetings:
        met_year = _date_key(session, Interaction.occurred_on, "year").label("y")
        met = session.exec(
            sa.select(met_year, sa.func.count(), measures.organisations_met())
            .where(_met_in(span), *on_meetings)
            .group_by(met_year)
        ).all()
    else:  # the same figures, kept per year by the database (core.summaries)
        counts = get_meeting_counts(session, "year", span.start, span.end)
        met = [(on.year, n, orgs) for on, (n, orgs) in counts.items()]
    won_by = {int(y): (int(n), int(jobs), int(capex)) for y, n, jobs, capex in won}
    met_by = {int(y): (int(n), int(orgs)) for y, n, orgs in met}
    rows = [
        (year, *won_by.get(year, (0, 0, 0)), *met_by.get(year, (0, 0)))
        for year in range(first_year, last_year + 1)
    ]
    columns = [
        "year",
        "projects_won",
        "jobs_announced",
        "capex_disclosed_eur",
        "meetings",
        "organisations_met",
    ]
    return pd.DataFrame(rows, columns=columns).astype("int64")


def get_won_breakdown(
    session: Session,
    period: Period,
    *,
    by: str,
    filters: DashboardFilters | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Projects won in ``period`` grouped ``by`` "country" (of origin; None when unknown) or
    "sector": code, projects_won, jobs_announced; most projects first, then most jobs."""
    column = {"country": Project.origin_country_iso2, "sector": Project.sector_code}.get(by)
    if column is None:
        raise ValueError(f"unknown breakdown {by!r}: expected 'country' or 'sector'")
    on_projects, _ = _narrowing(filters)
    won, jobs = sa.func.count().label("projects_won"), _sum(Project.jobs_announced)
    query = (
        sa.select(column.label("code"), won, jobs.label("jobs_announced"))
        .where(_won_in(period), *on_projects)
        .group_by(column)
        .order_by(won.desc(), jobs.desc(), column)
        .limit(limit)
    )
    return query_frame(session, query)


# ---------------------------------------------------------------------------------------------
# Drill-down: the records behind each headline figure
# ---------------------------------------------------------------------------------------------


def query_frame(session: Session, query: Any) -> pd.DataFrame:
    """Rows as a DataFrame: enums as their values, integer columns with gaps as Int64."""
    result = session.execute(query)
    columns = list(result.keys())
    rows = [tuple(v.value if hasattr(v, "value") else v for v in row) for row in result]
    frame = pd.DataFrame(rows, columns=columns)
    for i, column in enumerate(columns):
        values = [row[i] for row in rows if row[i] is not None]
        if values and len(values) < len(rows) and all(type(v) is int for v in values):
            frame[column] = pd.array([row[i] for row in rows], dtype="Int64")
    return frame


def _count(session: Session, query: Any) -> int:
    return int(session.exec(query).one()[0])


def _project_columns(home_country: str, *stage_columns: Any) -> list[Any]:
    return [
        Project.id,
        Project.code_name,
        Project.organisation_id,
        Organisation.name.label("organisation_name"),
        Project.sector_code,
        Project.origin_country_iso2,
        _is_foreign(home_country).label("foreign"),
        *stage_columns,
        Project.jobs_announced,
        Project.jobs_kept,
        Project.capex_eur,
        Project.capex_disclosure,
    ]


#: A drill-down: the rows query (without order) or a function of the limit building the final
#: query, its ordering, and the query counting the rows.
Records = tuple[Any, list[Any], Any]


def _won_records(kpi: str, period: Period, home_country: str, narrow: list[Any]) -> Records:
    where = [_won_in(period), *narrow]
    order = [Project.decided_on.desc(), Project.id.desc()]
    if kpi == "jobs_announced":
        order = [Project.jobs_announced.desc(), *order]
    if kpi == "capex_disclosed":
        where.append(Project.capex_disclosure == CapexDisclosure.DISCLOSED)
        order = [Project.capex_eur.desc(), *order]
    query = (
        sa.select(*_project_columns(home_country, Project.stage, Project.decided_on))
        .join(Organisation, Organisation.id == Project.organisation_id)
        .where(*where)
    )
    return query, order, sa.select(sa.func.count()).select_from(Project).where(*where)


def _meeting_records(period: Period, narrow: list[Any]) -> Records:
    query = (
        sa.select(
            Interaction.id,
            Interaction.occurred_on,
            Interaction.kind,
            Interaction.organisation_id,
            Organisation.name.label("organisation_name"),
            Project.code_name.label("project_code_name"),
            Mission.name.label("mission"),
            Interaction.place,
            Interaction.outcome,
            Interaction.author,
        )
        .outerjoin(Organisation, Organisation.id == Interaction.organisation_id)
        .outerjoin(Project, Project.id == Interaction.project_id)
        .outerjoin(Mission, Mission.id == Interaction.mission_id)
        .where(_met_in(period), *narrow)
    )
    count = sa.select(sa.func.count()).select_from(Interaction).where(_met_in(period), *narrow)
    return query, [Interaction.occurred_on.desc(), Interaction.id.desc()], count


def _organisation_met_records(period: Period, narrow: list[Any]) -> Records:
    per_org = (
        sa.select(
            Interaction.organisation_id,
            sa.func.count().label("meetings"),
            sa.func.min(Interaction.occurred_on).label("first_met_on"),
            sa.func.max(Interaction.occurred_on).label("last_met_on"),
        )
        .where(_met_in(period), Interaction.organisation_id.is_not(None), *narrow)
        .group_by(Interaction.organisation_id)
        .subquery("per_org")
    )
    query = sa.select(
        Organisation.id,
        Organisation.name,
        Organisation.kind,
        Organisation.hq_country_iso2.label("country_iso2"),
        Organisation.sector_code,
        per_org.c.meetings,
        per_org.c.first_met_on,
        per_org.c.last_met_on,
    ).join(per_org, per_org.c.organisation_id == Organisation.id)
    count = sa.select(measures.organisations_met()).where(_met_in(period), *narrow)
    return query, [Organisation.name, Organisation.id], count


def _open_records(
    period: Period,
    home_country: str,
    today: date | None,
    narrow: list[Any],
    stage_is: Stage | None = None,
) -> Records:
    """Open projects at the period's end (or, given ``stage_is``, the projects in that stage at
    the period's end, as the Pipeline funnel counts them: a won stage only if decided in the
    period). The stage subqueries are costly, so the page of ids is chosen first and the
    readable columns are computed for that page only."""
    stage, entered = stage_at_end(period, today)
    order = [Project.jobs_announced.desc(), Project.id.desc()]
    if stage_is is None:
        where = [stage.in_(OPEN_STAGES)]
    elif stage_is in WON_STAGES:
        where = [stage == stage_is, Project.decided_on.between(period.start, period.end)]
    else:
        where = [stage == stage_is]
    ids = sa.select(Project.id, Project.jobs_announced).where(*where, *narrow)
    columns = _project_columns(
        home_country, stage.label("stage"), entered.label("stage_entered_on"), Project.lead_on
    )

    def rows(limit: int) -> Any:
        page = ids.order_by(*order).limit(limit).subquery("page")
        return (
            sa.select(*columns)
            .join(page, page.c.id == Project.id)
            .join(Organisation, Organisation.id == Project.organisation_id)
            .order_by(*order)
        )

    return rows, [], sa.select(sa.func.count()).select_from(ids.subquery())


def _project_records(where: list[Any], home_country: str, order: list[Any], *extra: Any) -> Records:
    query = (
        sa.select(*_project_columns(home_country, Project.stage, *extra))
        .join(Organisation, Organisation.id == Project.organisation_id)
        .where(*where)
    )
    return query, order, sa.select(sa.func.count()).select_from(Project).where(*where)


def _lead_records(period: Period, home_country: str, narrow: list[Any]) -> Records:
    """Projects that became a lead in the period (the Sectors page's "leads")."""
    where = [Project.lead_on.between(period.start, period.end), *narrow]
    order = [Project.lead_on.desc(), Project.id.desc()]
    return _project_records(where, home_country, order, Project.lead_on)


def _qualified_records(period: Period, home_country: str, narrow: list[Any]) -> Records:
    """Projects that moved to Qualified in the period (the Sectors page's "qualified")."""
    qualified_on = (
        sa.select(sa.func.max(StageChange.changed_on))
        .where(
            StageChange.project_id == Project.id,
            StageChange.to_stage == Stage.QUALIFIED,
            StageChange.changed_on.between(period.start, period.end),
        )
        .scalar_subquery()
    )
    where = [qualified_on.is_not(None), *narrow]
    order = [Project.id.desc()]
    return _project_records(where, home_country, order, qualified_on.label("qualified_on"))


def _lost_records(
    period: Period, home_country: str, narrow: list[Any], lost_reason: str | None
) -> Records:
    """Projects lost in the period (decision date in it), optionally for one reason."""
    where = [
        Project.stage == Stage.LOST,
        Project.decided_on.between(period.start, period.end),
        *narrow,
    ]
    if lost_reason is not None:
        where.append(Project.lost_reason == lost_reason)
    order = [Project.decided_on.desc(), Project.id.desc()]
    return _project_records(
        where,
        home_country,
        order,
        Project.decided_on,
        Project.lost_reason,
        Project.lost_to_location,
    )


def list_kpi_records(
    session: Session,
    kpi: str,
    period: Period,
    *,
    home_country: str = "FR",
    limit: int = 1000,
    today: date | None = None,
    filters: DashboardFilters | None = None,
    stage: str | None = None,
    lost_reason: str | None = None,
    organisation_city: str | None = None,
    masking: Masking | None = None,
) -> tuple[pd.DataFrame, int]:
    """The records behind one figure (``kpi`` in ``RECORD_KPIS``): at most ``limit`` rows, and
    the total number of records. The shared filters narrow the records but their period:
    ``period`` says which dates count (a chart's month, a tile's period...).

    Projects (projects_won, jobs_announced, capex_disclosed, open_pipeline, leads, qualified,
    lost, at_stage): id, code_name, organisation_id, organisation_name, sector_code,
    origin_country_iso2, foreign, then stage and: decided_on (won); stage_entered_on, lead_on
    (open_pipeline, at_stage); lead_on (leads); qualified_on (qualified); decided_on,
    lost_reason, lost_to_location (lost); then jobs_announced, jobs_kept, capex_eur,
    capex_disclosure. Meetings: id, occurred_on, kind, organisation_id, organisation_name,
    project_code_name, mission, place, outcome, author. Organisations met: id, name, kind,
    country_iso2 (HQ), sector_code, meetings, first_met_on, last_met_on.

    Stays (the time spent in ``stage``, ended in the period): id, code_name, organisation_id,
    organisation_name, sector_code, origin_country_iso2, foreign, entered_on, left_on, days.

    ``at_stage`` needs ``stage`` (the stage at the period's end, as the Pipeline funnel counts
    it), and so does ``stays``; ``lost`` takes an optional ``lost_reason``;
    ``organisation_city`` keeps the records of organisations in that city. ``masking`` (a
    viewer's) hides confidential projects' code names and companies (core.confidentiality).
    """
    on_projects, on_meetings = _narrowing(filters)
    if organisation_city is not None:  # the India focus's cities map
        in_city = sa.select(Organisation.id).where(Organisation.city == organisation_city)
        on_projects = [*on_projects, Project.organisation_id.in_(in_city)]
        on_meetings = [*on_meetings, Interaction.organisation_id.in_(in_city)]
    if kpi in ("time_to_decision", "delegations_received", "missions_held"):
        from core.performance import list_performance_records  # it builds on this module

        return list_performance_records(
            session, kpi, period, home_country=home_country, limit=limit, filters=filters,
            masking=masking,
        )  # fmt: skip
    if kpi in ("projects_won", "jobs_announced", "capex_disclosed"):
        query, order, count = _won_records(kpi, period, home_country, on_projects)
    elif kpi == "meetings":
        query, order, count = _meeting_records(period, on_meetings)
    elif kpi == "organisations_met":
        query, order, count = _organisation_met_records(period, on_meetings)
    elif kpi == "open_pipeline":
        query, order, count = _open_records(period, home_country, today, on_projects)
    elif kpi == "at_stage":
        if stage is None:
            raise ValueError("the at_stage records need a stage")
        query, order, count = _open_records(period, home_country, today, on_projects, Stage(stage))
    elif kpi == "stays":
        from core.pipeline import stay_records  # core.pipeline builds on this module

        if stage is None:
            raise ValueError("the stays records need a stage")
        query, order, count = stay_records(session, period, Stage(stage), on_projects, home_country)
    elif kpi == "leads":
        query, order, count = _lead_records(period, home_country, on_projects)
    elif kpi == "qualified":
        query, order, count = _qualified_records(period, home_country, on_projects)
    elif kpi == "lost":
        query, order, count = _lost_records(period, home_country, on_projects, lost_reason)
    else:
        raise ValueError(f"unknown KPI {kpi!r}: expected one of {', '.join(RECORD_KPIS)}")
    total = _count(session, count)
    limit = max(0, limit)
    final = query(limit) if callable(query) else query.order_by(*order).limit(limit)
    frame = query_frame(session, final)
    if kpi == "meetings":
        return mask_meeting_rows(session, frame, masking), total
    if kpi == "organisations_met":  # organisations, no project named
        return frame, total
    return mask_project_rows(session, frame, masking), total
