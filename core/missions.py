"""Missions, trade fairs and delegations: what each one produced, in SQL.

The period of the shared filters selects the missions that start in it
(``core.measures.mission_in``: a mission spanning New Year counts once, in the year it starts,
as everywhere else); the partner chamber and mission filters select missions too. The
other filters (sectors, countries and regions of origin, owner) narrow what is counted inside
each mission. Everything tied to a selected mission is counted whatever its own date: a lead
created three months after a fair still belongs to that fair.

Definitions (one row per mission):

- organisations met: distinct organisations that either appear in an interaction logged with
  the mission (``Interaction.mission_id``) or are linked to it in ``MissionOrganisation`` (met
  or hosted, recorded without a meeting note). Links carry no owner: with an owner filter only
  the owner's interactions count.
- meetings: interactions logged with the mission (every kind: meeting, call, visit, event).
- leads: projects whose source mission is the mission (``Project.source_mission_id``).
- projects won: those leads now Won or Landed, whatever their decision date.
- jobs announced: the jobs announced by those projects won.
- follow-ups done: the mission's interactions with a next step marked done.
- follow-ups overdue: the mission's interactions with a next step not done, due before today.
- cost per lead: budget / leads, in EUR; None without a budget or without a lead.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core import measures
from core.confidentiality import Masking, mask_meeting_rows, mask_project_rows
from core.filters import (
    DashboardFilters,
    interaction_conditions,
    organisation_conditions,
    project_conditions,
)
from core.kpis import query_frame
from core.periods import Period
from models import (
    Chamber,
    Interaction,
    Mission,
    MissionOrganisation,
    MissionPerson,
    Organisation,
    Person,
    Project,
)

STATUSES = ("past", "ongoing", "coming")
FIGURES = (
    "organisations_met",
    "meetings",
    "leads",
    "projects_won",
    "jobs_announced",
    "follow_ups_done",
    "follow_ups_overdue",
)
LIST_COLUMNS = (
    "id",
    "name",
    "kind",
    "starts_on",
    "ends_on",
    "city",
    "country_iso2",
    "chamber_name",
    "budget_eur",
    "status",
)


# ---------------------------------------------------------------------------------------------
# Conditions
# ---------------------------------------------------------------------------------------------


def _inner(filters: DashboardFilters) -> DashboardFilters:
    """The filters that narrow what is counted inside a mission: chamber and mission select
    the missions themselves (a mission's leads need no source chamber of their own)."""
    return replace(filters, chamber_id=None, mission_id=None)


def _mission_conditions(filters: DashboardFilters) -> list[Any]:
    period = filters.period
    conditions = [measures.mission_in(period)]
    if filters.chamber_id is not None:
        conditions.append(Mission.chamber_id == filters.chamber_id)
    if filters.mission_id is not None:
        conditions.append(Mission.id == filters.mission_id)
    return conditions


def _selected_ids(filters: DashboardFilters) -> Any:
    return sa.select(Mission.id).where(*_mission_conditions(filters))


def _status(today: date) -> Any:
    return sa.case(
        (Mission.ends_on < today, "past"),
        (Mission.starts_on > today, "coming"),
        else_="ongoing",
    )


def _has_step() -> Any:
    return Interaction.next_step.is_not(None)


def _overdue(today: date) -> Any:
    return sa.and_(
        _has_step(),
        Interaction.next_step_done.is_(False),
        Interaction.next_step_due_on.is_not(None),
        Interaction.next_step_due_on < today,
    )


_count_if = measures.count_if


# ---------------------------------------------------------------------------------------------
# Aggregates, one grouped subquery per source table
# ---------------------------------------------------------------------------------------------


def _interaction_figures(filters: DashboardFilters, today: date) -> Any:
    return (
        sa.select(
            Interaction.mission_id.label("mission_id"),
            sa.func.count().label("meetings"),
            _count_if(sa.and_(_has_step(), Interaction.next_step_done.is_(True))).label(
                "follow_ups_done"
            ),
            _count_if(_overdue(today)).label("follow_ups_overdue"),
        )
        .where(Interaction.mission_id.in_(_selected_ids(filters)))
        .where(*interaction_conditions(_inner(filters)))
        .group_by(Interaction.mission_id)
        .subquery("meeting_figures")
    )


def _organisations_met(filters: DashboardFilters, missions: Any) -> Any:
    """(mission_id, organisation_id) pairs met during ``missions`` (ids, or a select of ids):
    from interactions and from mission links."""
    inner = _inner(filters)
    from_meetings = sa.select(
        Interaction.mission_id.label("mission_id"),
        Interaction.organisation_id.label("organisation_id"),
    ).where(
        Interaction.mission_id.in_(missions),
        Interaction.organisation_id.is_not(None),
        *interaction_conditions(inner),
    )
    if filters.owner:
        return from_meetings
    org_conditions = organisation_conditions(inner)
    from_links = sa.select(
        MissionOrganisation.mission_id.label("mission_id"),
        MissionOrganisation.organisation_id.label("organisation_id"),
    ).where(MissionOrganisation.mission_id.in_(missions))
    if org_conditions:
        orgs = sa.select(Organisation.id).where(*org_conditions)
        from_links = from_links.where(MissionOrganisation.organisation_id.in_(orgs))
    return sa.union(from_meetings, from_links)


def _organisation_figures(filters: DashboardFilters) -> Any:
    pairs = _organisations_met(filters, _selected_ids(filters)).subquery("pairs")
    return (
        sa.select(pairs.c.mission_id, sa.func.count().label("organisations_met"))
        .group_by(pairs.c.mission_id)
        .subquery("organisation_figures")
    )


def _project_figures(filters: DashboardFilters) -> Any:
    won = measures.is_won()
    return (
        sa.select(
            Project.source_mission_id.label("mission_id"),
            sa.func.count().label("leads"),
            _count_if(won).label("projects_won"),
            sa.func.coalesce(sa.func.sum(sa.case((won, Project.jobs_announced), else_=0)), 0).label(
                "jobs_announced"
            ),
        )
        .where(Project.source_mission_id.in_(_selected_ids(filters)))
        .where(*project_conditions(_inner(filters)))
        .group_by(Project.source_mission_id)
        .subquery("project_figures")
    )


def _list_columns(today: date) -> list[Any]:
    return [
        Mission.id,
        Mission.name,
        Mission.kind,
        Mission.starts_on,
        Mission.ends_on,
        Mission.city,
        Mission.country_iso2,
        Chamber.name.label("chamber_name"),
        Mission.budget_eur,
        _status(today).label("status"),
    ]


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


# ---------------------------------------------------------------------------------------------
# Public readers
# ---------------------------------------------------------------------------------------------


def list_missions(session: Session, filters: DashboardFilters, *, today: date) -> pd.DataFrame:
    """Missions starting in the period (past, ongoing and coming relative to ``today``), by
    start date: id, name, kind, starts_on, ends_on, city, country_iso2, chamber_name,
    budget_eur, status."""
    query = (
        sa.select(*_list_columns(today))
        .outerjoin(Chamber, Chamber.id == Mission.chamber_id)
        .where(*_mission_conditions(filters))
        .order_by(Mission.starts_on, Mission.id)
    )
    frame = query_frame(session, query)
    return _empty(LIST_COLUMNS) if frame.empty else frame


def get_mission_figures(
    session: Session, filters: DashboardFilters, *, today: date
) -> pd.DataFrame:
    """``list_missions`` plus, per mission, the figures of ``FIGURES`` (0 when none) and
    ``cost_per_lead_eur`` (float, None without a budget or a lead). See the module docstring
    for each definition."""
    meetings = _interaction_figures(filters, today)
    orgs = _organisation_figures(filters)
    projects = _project_figures(filters)
    zero = {
        "organisations_met": orgs.c.organisations_met,
        "meetings": meetings.c.meetings,
        "leads": projects.c.leads,
        "projects_won": projects.c.projects_won,
        "jobs_announced": projects.c.jobs_announced,
        "follow_ups_done": meetings.c.follow_ups_done,
        "follow_ups_overdue": meetings.c.follow_ups_overdue,
    }
    cost = sa.case(
        (
            sa.and_(Mission.budget_eur.is_not(None), projects.c.leads > 0),
            sa.cast(Mission.budget_eur, sa.Float) / projects.c.leads,
        ),
        else_=None,
    )
    query = (
        sa.select(
            *_list_columns(today),
            *(sa.func.coalesce(column, 0).label(name) for name, column in zero.items()),
            cost.label("cost_per_lead_eur"),
        )
        .outerjoin(Chamber, Chamber.id == Mission.chamber_id)
        .outerjoin(meetings, meetings.c.mission_id == Mission.id)
        .outerjoin(orgs, orgs.c.mission_id == Mission.id)
        .outerjoin(projects, projects.c.mission_id == Mission.id)
        .where(*_mission_conditions(filters))
        .order_by(Mission.starts_on, Mission.id)
    )
    frame = query_frame(session, query)
    if frame.empty:
        return _empty((*LIST_COLUMNS, *FIGURES, "cost_per_lead_eur"))
    for name in FIGURES:
        frame[name] = frame[name].astype(int)
    frame["cost_per_lead_eur"] = pd.array(
        [None if pd.isna(v) else float(v) for v in frame["cost_per_lead_eur"]], dtype="Float64"
    )
    return frame


def get_mission_comparison(
    session: Session, filters: DashboardFilters, *, today: date
) -> pd.DataFrame:
    """The missions of the period already started (past or ongoing) side by side: id, name,
    kind, starts_on, leads, projects_won, cost_per_lead_eur; most leads first."""
    figures = get_mission_figures(session, filters, today=today)
    columns = ["id", "name", "kind", "starts_on", "leads", "projects_won", "cost_per_lead_eur"]
    started = figures[figures["status"] != "coming"][columns]
    return started.sort_values(
        ["leads", "starts_on", "id"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# One mission in detail
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MissionDetail:
    """One mission: its row of ``get_mission_figures`` (a dict) and the records behind it."""

    mission: dict[str, Any]
    organisations: pd.DataFrame  # id, name, origin_country_iso2, sector_code, meetings
    meetings: pd.DataFrame  # id, occurred_on, interaction_kind, organisation_name, ...
    leads: pd.DataFrame  # id, code_name, organisation_name, sector_code, stage, ...
    #: id, person_name, job_title, organisation_name: the people met (``MissionPerson``,
    #: e.g. a trade fair's list imported for the mission)
    people: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def overdue(self) -> pd.DataFrame:
        """The meetings whose next step is overdue."""
        if self.meetings.empty:
            return self.meetings
        return self.meetings[self.meetings["overdue"]].reset_index(drop=True)


def _detail_organisations(session: Session, filters: DashboardFilters, mission_id: int) -> Any:
    pairs = _organisations_met(filters, [mission_id]).subquery("pairs")
    counts = (
        sa.select(Interaction.organisation_id, sa.func.count().label("meetings"))
        .where(Interaction.mission_id == mission_id, *interaction_conditions(_inner(filters)))
        .group_by(Interaction.organisation_id)
        .subquery("counts")
    )
    origin = sa.func.coalesce(Organisation.control_country_iso2, Organisation.hq_country_iso2)
    query = (
        sa.select(
            Organisation.id,
            Organisation.name,
            origin.label("origin_country_iso2"),
            Organisation.sector_code,
            sa.func.coalesce(counts.c.meetings, 0).label("meetings"),
        )
        .join(pairs, pairs.c.organisation_id == Organisation.id)
        .outerjoin(counts, counts.c.organisation_id == Organisation.id)
        .order_by(sa.func.coalesce(counts.c.meetings, 0).desc(), Organisation.name, Organisation.id)
    )
    return query_frame(session, query)


def _detail_meetings(
    session: Session, filters: DashboardFilters, mission_id: int, today: date
) -> pd.DataFrame:
    query = (
        sa.select(
            Interaction.id,
            Interaction.occurred_on,
            Interaction.kind.label("interaction_kind"),
            Organisation.name.label("organisation_name"),
            Project.code_name.label("project_code_name"),
            Interaction.outcome,
            Interaction.next_step,
            Interaction.next_step_due_on,
            Interaction.next_step_done,
            _overdue(today).label("overdue"),
            Interaction.owner,
        )
        .outerjoin(Organisation, Organisation.id == Interaction.organisation_id)
        .outerjoin(Project, Project.id == Interaction.project_id)
        .where(Interaction.mission_id == mission_id, *interaction_conditions(_inner(filters)))
        .order_by(Interaction.occurred_on, Interaction.id)
    )
    frame = query_frame(session, query)
    if not frame.empty:
        frame["overdue"] = frame["overdue"].astype(bool)
        frame["next_step_done"] = frame["next_step_done"].astype(bool)
    return frame


def _detail_leads(session: Session, filters: DashboardFilters, mission_id: int) -> pd.DataFrame:
    query = (
        sa.select(
            Project.id,
            Project.code_name,
            Organisation.name.label("organisation_name"),
            Project.sector_code,
            Project.origin_country_iso2,
            Project.stage,
            Project.lead_on,
            Project.decided_on,
            Project.jobs_announced,
        )
        .join(Organisation, Organisation.id == Project.organisation_id)
        .where(Project.source_mission_id == mission_id, *project_conditions(_inner(filters)))
        .order_by(Project.lead_on, Project.id)
    )
    return query_frame(session, query)


def _detail_people(session: Session, mission_id: int) -> pd.DataFrame:
    full_name = Person.first_name + " " + Person.last_name
    query = (
        sa.select(
            Person.id,
            full_name.label("person_name"),
            Person.job_title,
            Organisation.name.label("organisation_name"),
        )
        .join(MissionPerson, MissionPerson.person_id == Person.id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(MissionPerson.mission_id == mission_id)
        .order_by(Organisation.name, Person.last_name, Person.first_name, Person.id)
    )
    return query_frame(session, query)


def get_mission_detail(
    session: Session,
    mission_id: int,
    filters: DashboardFilters,
    *,
    today: date,
    masking: Masking | None = None,
) -> MissionDetail | None:
    """The mission ``mission_id`` with the records behind its figures, narrowed by the inner
    filters (sectors, origins, owner) like the figures; None if no such mission. The period
    does not apply: the detail of a mission is the whole mission. ``masking`` (a viewer's)
    hides confidential projects' code names and companies (core.confidentiality)."""
    whole = replace(filters, mission_id=mission_id, chamber_id=None)
    whole = replace(whole, period=Period(date.min, date.max))
    figures = get_mission_figures(session, whole, today=today)
    if figures.empty:
        return None
    return MissionDetail(
        mission=figures.iloc[0].to_dict(),
        organisations=_detail_organisations(session, filters, mission_id),
        meetings=mask_meeting_rows(
            session, _detail_meetings(session, filters, mission_id, today), masking
        ),
        leads=mask_project_rows(session, _detail_leads(session, filters, mission_id), masking),
        people=_detail_people(session, mission_id),
    )
