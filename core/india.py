"""India focus: India's share of the figures, its pipeline, sectors, places, meetings, the
Indian chambers' contribution and the coming India-related actions. SQL aggregates only.

"Indian" means: a project whose ``origin_country_iso2`` is IN; a meeting whose organisation's
country of control (else HQ) is IN. The shared filters apply except the country and region of
origin ones, which would contradict the page's own focus (``india_filters``).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core import measures
from core.confidentiality import Masking, about_no_confidential_project
from core.filters import DashboardFilters, interaction_conditions, project_conditions
from core.kpis import query_frame, stage_at_end
from core.periods import Period, calendar_months, month_end, whole_months
from core.summaries import get_meetings_by_origin
from models import (
    OPEN_STAGES,
    Chamber,
    City,
    Interaction,
    Mission,
    Organisation,
    Project,
    Subdivision,
)

INDIA = "IN"
SHARE_METRICS = ("leads", "projects_won", "jobs_announced", "meetings")


def india_filters(filters: DashboardFilters) -> DashboardFilters:
    """The shared filters without countries and regions of origin (the page is India's)."""
    return dataclasses.replace(filters, countries=(), regions=())


_sum = measures.total


def _if(condition: Any, value: Any = 1) -> Any:
    return sa.case((condition, value), else_=0)


def _between(column: Any, start: date, end: date) -> Any:
    return column.between(start, end)


def _org_origin() -> Any:
    return sa.func.coalesce(Organisation.control_country_iso2, Organisation.hq_country_iso2)


def _won(start: date, end: date) -> Any:
    return measures.won_in(Period(start, end))


def _is_indian() -> Any:
    return Project.origin_country_iso2 == INDIA


# ---------------------------------------------------------------------------------------------
# India against the world
# ---------------------------------------------------------------------------------------------


def get_india_share(session: Session, filters: DashboardFilters) -> pd.DataFrame:
    """One row per figure of ``SHARE_METRICS``: metric, india, world, share (india / world,
    None when the world's figure is 0). World = every origin, unknown included."""
    narrow = project_conditions(india_filters(filters))
    start, end = filters.period.start, filters.period.end
    leads = session.execute(
        sa.select(sa.func.count(), _sum(_if(_is_indian()))).where(
            _between(Project.lead_on, start, end), *narrow
        )
    ).one()
    won = session.execute(
        sa.select(
            sa.func.count(),
            _sum(_if(_is_indian())),
            _sum(Project.jobs_announced),
            _sum(_if(_is_indian(), Project.jobs_announced)),
        ).where(_won(start, end), *narrow)
    ).one()
    # The world's meetings: a count of the period's interactions (no organisation needed);
    # India's: the months' sum (``_indian_meetings``, from the summary by origin when it can).
    world_met = session.execute(
        sa.select(sa.func.count())
        .select_from(Interaction)
        .where(
            _between(Interaction.occurred_on, start, end),
            *interaction_conditions(india_filters(filters)),
        )
    ).scalar_one()
    india_met = sum(n for n, _organisations in _indian_meetings(session, filters).values())
    pairs = {
        "leads": (leads[1], leads[0]),
        "projects_won": (won[1], won[0]),
        "jobs_announced": (won[3], won[2]),
        "meetings": (india_met, world_met),
    }
    rows = [
        (metric, int(india), int(world), int(india) / int(world) if world else None)
        for metric, (india, world) in pairs.items()
    ]
    return pd.DataFrame(rows, columns=["metric", "india", "world", "share"])


def get_india_yearly(
    session: Session, filters: DashboardFilters, first_year: int, last_year: int
) -> pd.DataFrame:
    """One row per calendar year: year, leads_india, leads_world, projects_won_india,
    projects_won_world, jobs_india, jobs_world (the filters' period is not used)."""
    narrow = project_conditions(india_filters(filters))
    start, end = date(first_year, 1, 1), date(last_year, 12, 31)
    lead_year = sa.extract("year", Project.lead_on).label("y")
    leads = session.execute(
        sa.select(lead_year, _sum(_if(_is_indian())), sa.func.count())
        .where(_between(Project.lead_on, start, end), *narrow)
        .group_by(lead_year)
    ).all()
    won_year = sa.extract("year", Project.decided_on).label("y")
    won = session.execute(
        sa.select(
            won_year,
            _sum(_if(_is_indian())),
            sa.func.count(),
            _sum(_if(_is_indian(), Project.jobs_announced)),
            _sum(Project.jobs_announced),
        )
        .where(_won(start, end), *narrow)
        .group_by(won_year)
    ).all()
    leads_by = {int(y): (int(a), int(b)) for y, a, b in leads}
    won_by = {int(y): tuple(int(v) for v in rest) for y, *rest in won}
    rows = [
        (year, *leads_by.get(year, (0, 0)), *won_by.get(year, (0, 0, 0, 0)))
        for year in range(first_year, last_year + 1)
    ]
    columns = [
        "year",
        "leads_india",
        "leads_world",
        "projects_won_india",
        "projects_won_world",
        "jobs_india",
        "jobs_world",
    ]
    return pd.DataFrame(rows, columns=columns).astype("int64")


# ---------------------------------------------------------------------------------------------
# Indian projects
# ---------------------------------------------------------------------------------------------


def get_india_pipeline(
    session: Session, filters: DashboardFilters, *, today: date | None = None
) -> pd.DataFrame:
    """Indian projects open at the period's end, by stage in pipeline order: stage, projects,
    jobs_announced (jobs in play). Stages without a project are left out."""
    stage, _ = stage_at_end(filters.period, today)
    stage = stage.label("stage")
    rows = session.execute(
        sa.select(stage, sa.func.count(), _sum(Project.jobs_announced))
        .where(_is_indian(), stage.in_(OPEN_STAGES), *project_conditions(india_filters(filters)))
        .group_by(stage)
    ).all()
    found = {(s.value if hasattr(s, "value") else str(s)): (int(n), int(j)) for s, n, j in rows}
    ordered = [(s.value, *found[s.value]) for s in OPEN_STAGES if s.value in found]
    frame = pd.DataFrame(ordered, columns=["stage", "projects", "jobs_announced"])
    return frame.astype({"projects": "int64", "jobs_announced": "int64"})


def get_india_sectors(session: Session, filters: DashboardFilters) -> pd.DataFrame:
    """Indian projects by sector in the period: sector_code, leads (entered the pipeline),
    projects_won, jobs_announced (of those won). Most wins first, then most leads, then code."""
    start, end = filters.period.start, filters.period.end
    lead_in = _between(Project.lead_on, start, end)
    won_in = _won(start, end)
    leads = _sum(_if(lead_in)).label("leads")
    won = _sum(_if(won_in)).label("projects_won")
    query = (
        sa.select(
            Project.sector_code,
            leads,
            won,
            _sum(_if(won_in, Project.jobs_announced)).label("jobs_announced"),
        )
        .where(_is_indian(), sa.or_(lead_in, won_in), *project_conditions(india_filters(filters)))
        .group_by(Project.sector_code)
        .order_by(won.desc(), leads.desc(), Project.sector_code)
    )
    frame = query_frame(session, query)
    if frame.empty:
        return pd.DataFrame(columns=["sector_code", "leads", "projects_won", "jobs_announced"])
    return frame.astype({"leads": "int64", "projects_won": "int64", "jobs_announced": "int64"})


def get_india_places(session: Session, filters: DashboardFilters) -> pd.DataFrame:
    """Leads of Indian projects in the period by their organisation's city: city, state
    (subdivision code and name), lat, lon, leads. Cities come from the City table (same name,
    India); an organisation without a known city is counted in a row whose city is None.
    Most leads first, then city."""
    leads = sa.func.count(Project.id).label("leads")
    query = (
        sa.select(
            City.name.label("city"),
            City.subdivision_code.label("state_code"),
            Subdivision.name.label("state"),
            City.lat,
            City.lon,
            leads,
        )
        .select_from(Project)
        .join(Organisation, Organisation.id == Project.organisation_id)
        .outerjoin(City, sa.and_(City.name == Organisation.city, City.country_iso2 == INDIA))
        .outerjoin(Subdivision, Subdivision.code == City.subdivision_code)
        .where(
            _is_indian(),
            _between(Project.lead_on, filters.period.start, filters.period.end),
            *project_conditions(india_filters(filters)),
        )
        .group_by(City.name, City.subdivision_code, Subdivision.name, City.lat, City.lon)
        .order_by(leads.desc(), City.name.asc().nulls_last())
    )
    frame = query_frame(session, query)
    columns = ["city", "state_code", "state", "lat", "lon", "leads"]
    if frame.empty:
        return pd.DataFrame(columns=columns).astype({"leads": "int64"})
    return frame.astype({"leads": "int64"})


# ---------------------------------------------------------------------------------------------
# Meetings, chambers, coming actions
# ---------------------------------------------------------------------------------------------


def _indian_meetings(session: Session, filters: DashboardFilters) -> dict[date, tuple[int, int]]:
    """{month's first day: (meetings, distinct organisations)} with Indian organisations in
    the period, for the months that have some. The months the period holds whole are read
    from the database's summary by origin (``meetingorigin``, migration 0018) when no other
    filter narrows the meetings; the days of the months it cuts, and everything when a filter
    applies, are counted from the interactions."""
    period = filters.period
    on_meetings = interaction_conditions(india_filters(filters))
    found: dict[date, tuple[int, int]] = {}
    days = [_between(Interaction.occurred_on, period.start, period.end)]
    full = whole_months(period)
    if full and not on_meetings:
        found = get_meetings_by_origin(session, (INDIA,), full[0], full[-1])
        days.append(sa.not_(Interaction.occurred_on.between(full[0], month_end(full[-1]))))
    year = sa.extract("year", Interaction.occurred_on).label("y")
    month = sa.extract("month", Interaction.occurred_on).label("m")
    rows = session.execute(
        sa.select(
            year,
            month,
            sa.func.count(),
            sa.func.count(sa.distinct(Interaction.organisation_id)),
        )
        .join(Organisation, Organisation.id == Interaction.organisation_id)
        .where(_org_origin() == INDIA, *days, *on_meetings)
        .group_by(year, month)
    ).all()
    found.update({date(int(y), int(m), 1): (int(n), int(o)) for y, m, n, o in rows})
    return found


def get_india_meetings_by_month(session: Session, filters: DashboardFilters) -> pd.DataFrame:
    """Meetings with Indian organisations per calendar month of the period: month (first
    day), meetings, organisations (distinct). Months without meetings are 0."""
    found = _indian_meetings(session, filters)
    out = [(m, *found.get(m, (0, 0))) for m in calendar_months(filters.period)]
    frame = pd.DataFrame(out, columns=["month", "meetings", "organisations"])
    return frame.astype({"meetings": "int64", "organisations": "int64"})


def get_indian_chambers_contribution(session: Session, filters: DashboardFilters) -> pd.DataFrame:
    """What each chamber based in India brought in the period: chamber_id, name, leads
    (projects sourced that entered the pipeline), projects_won and jobs_announced (sourced
    projects won), missions (with the chamber as partner, starting in the period). Every
    Indian chamber is listed, with zeros if need be."""
    start, end = filters.period.start, filters.period.end
    narrow = project_conditions(india_filters(filters))
    sourced = (
        sa.select(
            Project.source_chamber_id.label("chamber_id"),
            _sum(_if(_between(Project.lead_on, start, end))).label("leads"),
            _sum(_if(_won(start, end))).label("projects_won"),
            _sum(_if(_won(start, end), Project.jobs_announced)).label("jobs_announced"),
        )
        .where(Project.source_chamber_id.is_not(None), *narrow)
        .group_by(Project.source_chamber_id)
        .subquery("sourced")
    )
    missions = (
        sa.select(Mission.chamber_id.label("chamber_id"), sa.func.count().label("missions"))
        .where(Mission.chamber_id.is_not(None), _between(Mission.starts_on, start, end))
        .group_by(Mission.chamber_id)
        .subquery("missions")
    )
    query = (
        sa.select(
            Chamber.id.label("chamber_id"),
            Chamber.name,
            sa.func.coalesce(sourced.c.leads, 0).label("leads"),
            sa.func.coalesce(sourced.c.projects_won, 0).label("projects_won"),
            sa.func.coalesce(sourced.c.jobs_announced, 0).label("jobs_announced"),
            sa.func.coalesce(missions.c.missions, 0).label("missions"),
        )
        .outerjoin(sourced, sourced.c.chamber_id == Chamber.id)
        .outerjoin(missions, missions.c.chamber_id == Chamber.id)
        .where(Chamber.country_iso2 == INDIA)
        .order_by(Chamber.name)
    )
    frame = query_frame(session, query)
    counts = {"leads": "int64", "projects_won": "int64", "jobs_announced": "int64"}
    return frame.astype({**counts, "missions": "int64"}) if not frame.empty else frame


def list_coming_india_actions(
    session: Session, *, today: date, limit: int = 20, masking: Masking | None = None
) -> pd.DataFrame:
    """India-related actions from ``today`` on, soonest first: missions in India or with a
    partner chamber based in India (kind "mission"), and follow-ups not done with Indian
    organisations (kind "follow_up"). Columns: due_on, kind, label, organisation. For a
    ``masking`` (a viewer's), the follow-ups of meetings about a confidential project are left
    out: their text may name it, beside its company."""
    hidden = [] if masking is None else [about_no_confidential_project(Interaction.project_id)]
    indian_chambers = sa.select(Chamber.id).where(Chamber.country_iso2 == INDIA)
    missions = sa.select(
        Mission.starts_on.label("due_on"),
        sa.literal("mission").label("kind"),
        Mission.name.label("label"),
        sa.literal(None, sa.String).label("organisation"),
    ).where(
        Mission.starts_on >= today,
        sa.or_(Mission.country_iso2 == INDIA, Mission.chamber_id.in_(indian_chambers)),
    )
    follow_ups = (
        sa.select(
            Interaction.next_step_due_on.label("due_on"),
            sa.literal("follow_up").label("kind"),
            Interaction.next_step.label("label"),
            Organisation.name.label("organisation"),
        )
        .join(Organisation, Organisation.id == Interaction.organisation_id)
        .where(
            _org_origin() == INDIA,
            Interaction.next_step_due_on >= today,
            Interaction.next_step_done.is_(False),
            *hidden,
        )
    )
    union = sa.union_all(missions, follow_ups).subquery("actions")
    query = (
        sa.select(union.c.due_on, union.c.kind, union.c.label, union.c.organisation)
        .order_by(union.c.due_on, union.c.kind, union.c.label)
        .limit(limit)
    )
    frame = query_frame(session, query)
    if frame.empty:
        return pd.DataFrame(columns=["due_on", "kind", "label", "organisation"])
    return frame
