"""Pipeline figures: where the projects stand, how they move, where they stall and why they are
lost. SQL aggregates in, small DataFrames out; the shared filters (sectors, origins, chamber,
mission, owner) narrow every figure through ``project_conditions``.

Definitions (``period`` is the filters' period; "today" defaults to the real date):

- **funnel**: the stage of each project at the period's end (``kpis.stage_at_end``: its current
  stage when the period ends today or later, else the stage history). Target, open stages
  and On hold count every project standing there (a stock); Won and Landed count only the
  projects whose decision falls in the period, or years of wins would dwarf the pipeline.
  Jobs announced and capex (disclosed and estimated apart) are summed per stage;
- **conversion** (a cohort): the projects whose lead date falls in the period. A project
  "reached" a stage when its history, up to today, holds an entry into that stage or into a
  later stage of the main path (a project may skip a stage: Lead straight to Active passed
  Qualified). Of those that reached a stage, the share that reached the next one. A young
  cohort's ratios still rise as its projects move on;
- **time in stage**: one stay per stage change, from the day the stage was entered to the
  project's next change; stays that ended in the period count (an ongoing stay has no length
  yet: the open-projects table shows its days so far). Median per stage;
- **open projects / stale projects**: projects in an open stage (Lead to Advanced negotiation)
  at the period's end, looked at on that day (or today, if earlier). Last contact: the later
  of the lead date (first contact, by definition) and the last interaction about the project
  or with its organisation up to that day. Stale: no contact for at least N days;
- **won / lost per month**: projects now Won or Landed (resp. Lost) whose decision date falls
  in the period, by month of decision. Lost reasons and the locations chosen instead: same
  lost projects.

Confidential projects appear by their code name only: their organisation is not named nor
linked.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core import clock, measures
from core.confidentiality import Masking, mask_project_rows
from core.filters import DashboardFilters, project_conditions
from core.kpis import query_frame, stage_at_end
from core.periods import Period, calendar_months
from models import (
    OPEN_STAGES,
    STAGE_ORDER,
    WON_STAGES,
    CapexDisclosure,
    Interaction,
    Organisation,
    Project,
    ProjectPath,
    Stage,
    StageChange,
)

#: Funnel rows: the main path, then On hold.
FUNNEL_STAGES: tuple[Stage, ...] = (*STAGE_ORDER, Stage.ON_HOLD)
#: Stages whose stays are timed: the main path before the decision, and On hold.
TIMED_STAGES: tuple[Stage, ...] = (*STAGE_ORDER[: STAGE_ORDER.index(Stage.WON)], Stage.ON_HOLD)
#: Stage pairs of the conversion table, from Lead on.
CONVERSION_STAGES: tuple[Stage, ...] = STAGE_ORDER[STAGE_ORDER.index(Stage.LEAD) :]
FUNNEL_COLUMNS = ("projects", "jobs_announced", "capex_disclosed_eur", "capex_estimated_eur")
DEFAULT_STALE_DAYS = 90
DEFAULT_LIMIT = 500


# The shared definitions (core.measures).
_sum = measures.total
_capex_if = measures.capex_if
_decided_in = measures.decided_in
_stage_rank = measures.stage_rank


def _days_between(session: Session, later: Any, earlier: Any) -> Any:
    """Whole days from ``earlier`` to ``later`` (two date expressions), in SQL."""
    if session.get_bind().dialect.name == "sqlite":
        return sa.cast(sa.func.julianday(later) - sa.func.julianday(earlier), sa.Integer)
    return later - earlier  # PostgreSQL: date - date is an integer number of days


def _month_key(session: Session, column: Any) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return sa.func.strftime("%Y-%m", column)
    return sa.func.to_char(column, "YYYY-MM")


def as_of_day(period: Period, today: date | None = None) -> date:
    """The day the open pipeline is looked at: the period's end, or today if earlier."""
    return min(period.end, today or clock.today())


# ---------------------------------------------------------------------------------------------
# Funnel and conversion
# ---------------------------------------------------------------------------------------------


def get_stage_funnel(
    session: Session, filters: DashboardFilters, *, today: date | None = None
) -> pd.DataFrame:
    """One row per stage of ``FUNNEL_STAGES`` (zeros included): stage, projects,
    jobs_announced, capex_disclosed_eur, capex_estimated_eur, at the period's end."""
    period = filters.period
    stage, _ = stage_at_end(period, today)
    counted = sa.or_(
        stage.in_((Stage.TARGET, *OPEN_STAGES, Stage.ON_HOLD)),
        sa.and_(stage.in_(WON_STAGES), _decided_in(period)),
    )
    per_project = (
        sa.select(
            stage.label("stage"),
            Project.jobs_announced.label("jobs"),
            _capex_if(CapexDisclosure.DISCLOSED).label("disclosed"),
            _capex_if(CapexDisclosure.ESTIMATED).label("estimated"),
        )
        .where(counted, *project_conditions(filters))
        .subquery("at_end")
    )
    query = sa.select(
        per_project.c.stage,
        sa.func.count(),
        _sum(per_project.c.jobs),
        _sum(per_project.c.disclosed),
        _sum(per_project.c.estimated),
    ).group_by(per_project.c.stage)
    found = {Stage(row[0]): tuple(int(v) for v in row[1:]) for row in session.execute(query)}
    rows = [(s.value, *found.get(s, (0, 0, 0, 0))) for s in FUNNEL_STAGES]
    frame = pd.DataFrame(rows, columns=["stage", *FUNNEL_COLUMNS])
    return frame.astype(dict.fromkeys(FUNNEL_COLUMNS, "int64"))


def get_stage_conversion(session: Session, filters: DashboardFilters) -> pd.DataFrame:
    """One row per consecutive pair of ``CONVERSION_STAGES``: from_stage, to_stage, reached_from,
    reached_to, conversion (reached_to / reached_from; None when nobody reached from_stage).
    The cohort and "reached" are defined in the module docstring."""
    period = filters.period
    # Each project's furthest place on the main path, as the database keeps it (migration
    # 0017, ``ProjectPath``: the highest ``_stage_rank`` of its changes; no row without any).
    furthest = ProjectPath.furthest_rank
    ranks = [STAGE_ORDER.index(s) for s in CONVERSION_STAGES]
    counts = session.execute(
        sa.select(*(_sum(sa.case((furthest >= r, 1), else_=0)) for r in ranks))
        .select_from(Project)
        .join(ProjectPath, ProjectPath.project_id == Project.id)
        .where(Project.lead_on.between(period.start, period.end), *project_conditions(filters))
    ).one()
    reached = [int(n) for n in counts]
    rows = [
        (
            CONVERSION_STAGES[i].value,
            CONVERSION_STAGES[i + 1].value,
            reached[i],
            reached[i + 1],
            reached[i + 1] / reached[i] if reached[i] else None,
        )
        for i in range(len(CONVERSION_STAGES) - 1)
    ]
    columns = ["from_stage", "to_stage", "reached_from", "reached_to"]
    frame = pd.DataFrame([row[:-1] for row in rows], columns=columns)
    frame["conversion"] = pd.Series([row[-1] for row in rows], dtype="object")
    return frame


# ---------------------------------------------------------------------------------------------
# Time in stage
# ---------------------------------------------------------------------------------------------


def get_time_in_stage(session: Session, filters: DashboardFilters) -> pd.DataFrame:
    """One row per stage of ``TIMED_STAGES``: stage, stays (ended in the period), median_days
    (float, None without stays).

    A stay ends on the project's next change (by date, then id), which the database keeps in
    ``stagechange.left_on`` (migration 0013_summaries), so the stays ended in the period are a
    range read on ``ix_stagechange_left`` (covering: stage, end and start). The database
    counts the stays per stage and length in days (a histogram: one row per stage and
    length, a few hundred, however long the history); the median is taken from it, the
    middle stay or the mean of the two middle ones (exactly ``percentile_cont(0.5)``, which
    SQLite lacks), without ranking every stay.
    """
    period = filters.period
    days = _days_between(session, StageChange.left_on, StageChange.changed_on).label("d")
    histogram = sa.select(StageChange.to_stage, days, sa.func.count()).where(
        StageChange.left_on.between(period.start, period.end),
        StageChange.to_stage.in_(TIMED_STAGES),
    )
    narrowing = project_conditions(filters)
    if narrowing:  # the project's own columns: joined only when a filter asks for them
        histogram = histogram.join(Project, Project.id == StageChange.project_id).where(*narrowing)
    lengths: dict[Stage, list[tuple[int, int]]] = {}
    for stage, d, n in session.execute(histogram.group_by(StageChange.to_stage, days)):
        lengths.setdefault(Stage(stage), []).append((int(d), int(n)))
    found = {stage: _median_of_histogram(counts) for stage, counts in lengths.items()}
    rows = [(s.value, *found.get(s, (0, None))) for s in TIMED_STAGES]
    frame = pd.DataFrame([row[:2] for row in rows], columns=["stage", "stays"])
    frame["median_days"] = pd.Series([row[2] for row in rows], dtype="object")
    return frame.astype({"stays": "int64"})


def _median_of_histogram(counts: list[tuple[int, int]]) -> tuple[int, float]:
    """(stays, median) of (length, how many) pairs: the length of the middle stay by length,
    or the mean of the two middle ones when the count is even."""
    counts = sorted(counts)
    total = sum(n for _, n in counts)
    middle = {(total + 1) // 2, (total + 2) // 2}  # ranks from 1, as ROW_NUMBER's
    picked, seen = [], 0
    for length, n in counts:
        picked += [length] * sum(1 for rank in middle if seen < rank <= seen + n)
        seen += n
    return total, sum(picked) / len(picked)


def stay_records(
    session: Session, period: Period, stage: Stage, narrow: list[Any], home_country: str
) -> tuple[Any, list[Any], Any]:
    """The stays behind ``get_time_in_stage``'s median of ``stage``: one row per stay in that
    stage ended in ``period`` (id, code_name, organisation_id, organisation_name, sector_code,
    origin_country_iso2, foreign, entered_on, left_on, days), longest first; as
    ``core.kpis.list_kpi_records`` takes them (rows query, ordering, count query)."""
    stays = (
        sa.select(
            StageChange.project_id,
            StageChange.to_stage.label("stage"),
            StageChange.changed_on.label("entered_on"),
            StageChange.left_on,
        )
        .join(Project, Project.id == StageChange.project_id)
        .where(StageChange.left_on.between(period.start, period.end), *narrow)
        .subquery("stays")
    )
    where = [stays.c.stage == stage, stays.c.left_on.between(period.start, period.end)]
    days = _days_between(session, stays.c.left_on, stays.c.entered_on).label("days")
    foreign = sa.and_(
        Project.origin_country_iso2.is_not(None), Project.origin_country_iso2 != home_country
    )
    query = (
        sa.select(
            Project.id,
            Project.code_name,
            Project.organisation_id,
            Organisation.name.label("organisation_name"),
            Project.sector_code,
            Project.origin_country_iso2,
            foreign.label("foreign"),
            stays.c.entered_on,
            stays.c.left_on,
            days,
        )
        .join(Project, Project.id == stays.c.project_id)
        .join(Organisation, Organisation.id == Project.organisation_id)
        .where(*where)
    )
    count = sa.select(sa.func.count()).select_from(stays).where(*where)
    return query, [days.desc(), Project.id], count


# ---------------------------------------------------------------------------------------------
# Open and stale projects
# ---------------------------------------------------------------------------------------------


def _last_interaction(about: Any, day: Any) -> Any:
    """The latest interaction date matching ``about`` up to ``day``: one backward seek on
    ``ix_interaction_project_on`` or ``ix_interaction_org_on`` per project (an OR of the two
    in one subquery could use neither and read every interaction of the period)."""
    return (
        sa.select(sa.func.max(Interaction.occurred_on))
        .where(about, Interaction.occurred_on <= day)
        .scalar_subquery()
    )


def _later(session: Session, a: Any, b: Any) -> Any:
    """The later of two dates, either or both possibly NULL (NULL when both are)."""
    if session.get_bind().dialect.name == "sqlite":
        # SQLite's two-argument max() is NULL when either is; its dates are ISO text, after
        # '' (each subquery is run once, as a coalesce of the two would run each twice).
        later = sa.func.max(sa.func.coalesce(a, ""), sa.func.coalesce(b, ""))
        return sa.func.nullif(later, "", type_=sa.Date)
    return sa.func.greatest(a, b, type_=sa.Date)  # PostgreSQL's greatest() ignores NULLs


def _last_interaction_of_project(session: Session, day: Any) -> Any:
    """The latest interaction about the project or with its organisation up to ``day``, as
    an expression correlated to ``Project``."""
    return _later(
        session,
        _last_interaction(Interaction.project_id == Project.id, day),
        _last_interaction(Interaction.organisation_id == Project.organisation_id, day),
    )


def _open_projects(
    session: Session,
    filters: DashboardFilters,
    today: date | None,
    *,
    in_stage: bool = True,
    contact: bool = True,
) -> Any:
    """Subquery of the projects open at the period's end: project_id, stage, entered_on,
    last_interaction_on (up to the day looked at), last_contact_on, days_in_stage,
    days_since_contact. ``in_stage`` False leaves entered_on and days_in_stage NULL (the
    stale list needs neither: one index seek fewer per open project); ``contact`` False
    leaves the last interaction out (the open list reads it for its shown rows only)."""
    day = sa.literal(as_of_day(filters.period, today), sa.Date)
    stage, entered = stage_at_end(filters.period, today)
    if not in_stage:
        entered = sa.null().cast(sa.Date)
    last = _last_interaction_of_project(session, day) if contact else sa.null().cast(sa.Date)
    base = (
        sa.select(
            Project.id.label("project_id"),
            stage.label("stage"),
            entered.label("entered_on"),
            last.label("last_interaction_on"),
            Project.lead_on.label("lead_on"),
        )
        .where(stage.in_(OPEN_STAGES), *project_conditions(filters))
        .cte("open_base")
        # Computed once: inlined, each reference to its columns (the filter, the order, the
        # days) would run the subqueries of every open project again.
        .prefix_with("MATERIALIZED")
    )
    contact = sa.case(
        (
            sa.and_(
                base.c.last_interaction_on.is_not(None),
                sa.or_(base.c.lead_on.is_(None), base.c.last_interaction_on > base.c.lead_on),
            ),
            base.c.last_interaction_on,
        ),
        else_=base.c.lead_on,
    )
    return sa.select(
        base,
        contact.label("last_contact_on"),
        _days_between(session, day, base.c.entered_on).label("days_in_stage"),
        _days_between(session, day, contact).label("days_since_contact"),
    ).subquery("open_projects")


def _organisation_columns() -> list[Any]:
    """Organisation id and name, hidden for a confidential project."""
    return [
        sa.case((Project.confidential, None), else_=Project.organisation_id).label(
            "organisation_id"
        ),
        sa.case((Project.confidential, None), else_=Organisation.name).label("organisation"),
    ]


def list_open_projects(
    session: Session,
    filters: DashboardFilters,
    *,
    today: date | None = None,
    limit: int | None = DEFAULT_LIMIT,
    masking: Masking | None = None,
) -> tuple[pd.DataFrame, int]:
    """(rows, total): the projects open at the period's end, most advanced stage first, then
    longest in their stage; at most ``limit`` rows. Columns: project_id, organisation_id,
    code_name, organisation, sector_code, origin_country_iso2, stage, days_in_stage,
    jobs_announced, capex_eur, capex_disclosure, owner, last_interaction_on, confidential."""
    # The order does not depend on the last interaction: the open projects are ranked and
    # counted first, and the last interaction read for the rows shown only.
    open_ = _open_projects(session, filters, today, contact=False)
    order = (
        _stage_rank(open_.c.stage).desc(),
        open_.c.days_in_stage.desc(),
        Project.code_name,
        Project.id,
    )
    ranked = (
        sa.select(
            open_.c.project_id,
            open_.c.stage,
            open_.c.days_in_stage,
            sa.func.row_number().over(order_by=order).label("_row"),
        )
        .join(Project, Project.id == open_.c.project_id)
        .order_by(*order)
    )
    if limit is not None and limit <= 0:
        shown = ranked.limit(0).subquery("shown")
        total = int(session.execute(sa.select(sa.func.count()).select_from(open_)).scalar_one())
        total_column = sa.literal(total).label("_total")
    else:
        ranked = ranked.add_columns(sa.func.count().over().label("_total"))
        shown = (ranked if limit is None else ranked.limit(limit)).subquery("shown")
        total_column = shown.c._total
    day = sa.literal(as_of_day(filters.period, today), sa.Date)
    query = (
        sa.select(
            Project.id.label("project_id"),
            *_organisation_columns()[:1],
            Project.code_name,
            *_organisation_columns()[1:],
            Project.sector_code,
            Project.origin_country_iso2,
            shown.c.stage,
            shown.c.days_in_stage,
            Project.jobs_announced,
            Project.capex_eur,
            Project.capex_disclosure,
            Project.owner,
            _last_interaction_of_project(session, day).label("last_interaction_on"),
            Project.confidential,
            total_column,
        )
        .select_from(shown)
        .join(Project, Project.id == shown.c.project_id)
        .join(Organisation, Organisation.id == Project.organisation_id)
        .order_by(shown.c._row)
    )
    frame = query_frame(session, query)
    if not (limit is not None and limit <= 0):
        total = int(frame["_total"].iloc[0]) if len(frame) else 0
    frame = frame.drop(columns="_total")
    return mask_project_rows(session, frame, masking, id_column="project_id"), total


def list_stale_projects(
    session: Session,
    filters: DashboardFilters,
    *,
    days: int = DEFAULT_STALE_DAYS,
    today: date | None = None,
    limit: int | None = DEFAULT_LIMIT,
    masking: Masking | None = None,
) -> tuple[pd.DataFrame, int]:
    """(rows, total): open projects without contact for at least ``days`` days at the period's
    end, longest silence first. Columns: project_id, organisation_id, code_name, organisation,
    stage, owner, last_interaction_on, days_since_contact."""
    if days < 0:
        raise ValueError("the number of days must not be negative")
    open_ = _open_projects(session, filters, today, in_stage=False)
    stale = open_.c.days_since_contact >= days
    organisation_id, organisation = _organisation_columns()
    query = (
        sa.select(
            Project.id.label("project_id"),
            organisation_id,
            Project.code_name,
            organisation,
            open_.c.stage,
            Project.owner,
            open_.c.last_interaction_on,
            open_.c.days_since_contact,
        )
        .join(Project, Project.id == open_.c.project_id)
        .join(Organisation, Organisation.id == Project.organisation_id)
        .where(stale)
        .order_by(open_.c.days_since_contact.desc(), Project.code_name, Project.id)
    )
    frame, total = _rows_and_total(session, query, open_, stale, limit)
    return mask_project_rows(session, frame, masking, id_column="project_id"), total


def _rows_and_total(
    session: Session, query: Any, open_: Any, where: Any, limit: int | None
) -> tuple[pd.DataFrame, int]:
    """At most ``limit`` rows of ``query`` and how many there are, in one query (the total as
    ``COUNT(*) OVER ()``, taken before the limit): the open projects are computed once."""
    if limit is not None and limit <= 0:
        counted = sa.select(sa.func.count()).select_from(open_)
        if where is not None:
            counted = counted.where(where)
        frame = query_frame(session, query.limit(0))
        return frame, int(session.execute(counted).scalar_one())
    frame = query_frame(
        session, query.add_columns(sa.func.count().over().label("_total")).limit(limit)
    )
    total = int(frame["_total"].iloc[0]) if len(frame) else 0
    return frame.drop(columns="_total"), total


# ---------------------------------------------------------------------------------------------
# Decisions: won and lost per month, lost reasons and locations
# ---------------------------------------------------------------------------------------------


def get_won_lost_by_month(session: Session, filters: DashboardFilters) -> pd.DataFrame:
    """One row per calendar month touching the period: month (first day), won, lost."""
    period = filters.period
    month = _month_key(session, Project.decided_on).label("m")
    is_won = Project.stage.in_(WON_STAGES)
    query = (
        sa.select(
            month,
            _sum(sa.case((is_won, 1), else_=0)),
            _sum(sa.case((Project.stage == Stage.LOST, 1), else_=0)),
        )
        .where(
            _decided_in(period),
            Project.stage.in_((*WON_STAGES, Stage.LOST)),
            *project_conditions(filters),
        )
        .group_by(month)
    )
    found = {m: (int(won), int(lost)) for m, won, lost in session.execute(query)}
    rows = [(m, *found.get(f"{m.year:04d}-{m.month:02d}", (0, 0))) for m in calendar_months(period)]
    return pd.DataFrame(rows, columns=["month", "won", "lost"]).astype(
        {"won": "int64", "lost": "int64"}
    )


def _lost_in(filters: DashboardFilters) -> list[Any]:
    return [
        Project.stage == Stage.LOST,
        _decided_in(filters.period),
        *project_conditions(filters),
    ]


def get_lost_reasons(session: Session, filters: DashboardFilters) -> pd.DataFrame:
    """Projects lost in the period by reason: lost_reason, projects, jobs_announced; most
    projects first."""
    projects = sa.func.count().label("projects")
    query = (
        sa.select(
            Project.lost_reason, projects, _sum(Project.jobs_announced).label("jobs_announced")
        )
        .where(*_lost_in(filters))
        .group_by(Project.lost_reason)
        .order_by(projects.desc(), Project.lost_reason)
    )
    return query_frame(session, query)


def get_lost_locations(session: Session, filters: DashboardFilters) -> pd.DataFrame:
    """Projects lost in the period by location chosen instead: location (None when not
    recorded), projects, jobs_announced; most projects first."""
    location = sa.func.nullif(sa.func.trim(Project.lost_to_location), "")
    projects = sa.func.count().label("projects")
    query = (
        sa.select(
            location.label("location"),
            projects,
            _sum(Project.jobs_announced).label("jobs_announced"),
        )
        .where(*_lost_in(filters))
        .group_by(location)
        .order_by(projects.desc(), location.is_(None), location)
    )
    return query_frame(session, query)
