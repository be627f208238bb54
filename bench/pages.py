"""Per page: the SQL the page runs (its ``core`` queries with the page's default filters, the
current year to date), and a naive baseline computing the page's main figures by loading whole
tables into pandas, with a check that both give the same figures.

Used by ``bench/harness.py`` only; timings never go into the test suite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from bench.naive import OPEN, WON, naive_headline
from core.filters import DashboardFilters
from core.periods import Period, last_years, year_to_date


@dataclass(frozen=True)
class PageBench:
    sql: Callable[[Session, Period, date], Any]  # the page's queries
    naive: Callable[[sa.Engine, Period, date], dict]  # main figures from whole tables
    figures: Callable[[Session, Period, date], dict]  # the same figures from the SQL queries


def _filters(period: Period) -> DashboardFilters:
    return DashboardFilters(period=period)


def _tables(engine: sa.Engine, *names: str) -> list[pd.DataFrame]:
    with engine.connect() as conn:
        return [pd.read_sql_table(name, conn) for name in names]


def _dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame


def _between(series: pd.Series, period: Period) -> pd.Series:
    return series.notna() & (series >= period.start) & (series <= period.end)


# --- Overview -----------------------------------------------------------------------------------


def overview_sql(session: Session, period: Period, today: date) -> None:
    from core.kpis import (
        get_headline_kpis,
        get_monthly_trend,
        get_targets,
        get_won_breakdown,
        get_yearly_summary,
    )

    filters = _filters(period)
    get_headline_kpis(session, period, today=today, filters=filters)
    get_headline_kpis(session, period.previous(), today=today, filters=filters)
    get_targets(session, period.start.year)
    get_won_breakdown(session, period, by="country", filters=filters, limit=10)
    get_won_breakdown(session, period, by="sector", filters=filters, limit=10)
    get_yearly_summary(session, period.end.year - 4, period.end.year, filters=filters)
    get_monthly_trend(session, period, filters=filters)


def overview_figures(session: Session, period: Period, today: date) -> dict:
    from core.kpis import get_headline_kpis

    kpis = get_headline_kpis(session, period, today=today)
    return {k: getattr(kpis, k) for k in OVERVIEW_KEYS}


OVERVIEW_KEYS = (
    "projects_won",
    "projects_won_foreign",
    "jobs_announced",
    "capex_disclosed_eur",
    "meetings",
    "organisations_met",
    "open_pipeline",
)


def overview_naive(engine: sa.Engine, period: Period, today: date) -> dict:
    return naive_headline(engine, period.start, period.end)


# --- Sectors ------------------------------------------------------------------------------------


def sectors_sql(session: Session, period: Period, today: date) -> None:
    from core.sectors import (
        get_sector_country_matrix,
        get_sector_summary,
        get_sector_targets,
        get_sector_trend,
    )

    filters = _filters(period)
    get_sector_summary(session, filters)
    get_sector_trend(session, filters)
    get_sector_country_matrix(session, filters, measure="leads", top=8)
    get_sector_targets(session, period.start.year)


def sectors_figures(session: Session, period: Period, today: date) -> dict:
    from core.sectors import get_sector_summary

    summary = get_sector_summary(session, _filters(period))
    return {
        row.sector_code: (int(row.leads), int(row.won), int(row.jobs_announced))
        for row in summary.itertuples()
        if row.leads or row.won
    }


def sectors_naive(engine: sa.Engine, period: Period, today: date) -> dict:
    (projects,) = _tables(engine, "project")
    projects = _dates(projects, "lead_on", "decided_on")
    leads = projects[_between(projects["lead_on"], period)].groupby("sector_code").size()
    won = projects[projects["stage"].isin(WON) & _between(projects["decided_on"], period)]
    won_by = won.groupby("sector_code").agg(n=("id", "size"), jobs=("jobs_announced", "sum"))
    codes = set(leads.index) | set(won_by.index)
    return {
        code: (
            int(leads.get(code, 0)),
            int(won_by["n"].get(code, 0)),
            int(won_by["jobs"].get(code, 0)),
        )
        for code in codes
    }


# --- Pipeline -----------------------------------------------------------------------------------


def pipeline_sql(session: Session, period: Period, today: date) -> None:
    from core import pipeline as p

    filters = _filters(period)
    p.get_stage_funnel(session, filters, today=today)
    p.get_stage_conversion(session, filters)
    p.get_time_in_stage(session, filters)
    p.list_stale_projects(session, filters, today=today, limit=500)
    p.get_won_lost_by_month(session, filters)
    p.get_lost_reasons(session, filters)
    p.get_lost_locations(session, filters)
    p.list_open_projects(session, filters, today=today, limit=500)


def pipeline_figures(session: Session, period: Period, today: date) -> dict:
    from core.pipeline import get_stage_funnel

    funnel = get_stage_funnel(session, _filters(period), today=today)
    return {row.stage: int(row.projects) for row in funnel.itertuples() if row.projects}


def pipeline_naive(engine: sa.Engine, period: Period, today: date) -> dict:
    """The funnel of a period ending today: current stages (Target, open, On hold) and the
    won stages decided in the period."""
    (projects,) = _tables(engine, "project")
    projects = _dates(projects, "decided_on")
    counted = projects["stage"].isin(["target", *OPEN, "on_hold"]) | (
        projects["stage"].isin(WON) & _between(projects["decided_on"], period)
    )
    return {k: int(v) for k, v in projects[counted].groupby("stage").size().items()}


# --- Missions -----------------------------------------------------------------------------------


def missions_sql(session: Session, period: Period, today: date) -> None:
    from core.missions import get_mission_comparison, get_mission_figures

    filters = _filters(period)
    get_mission_figures(session, filters, today=today)
    ahead = Period(today + timedelta(days=1), today + timedelta(days=365))
    get_mission_figures(session, DashboardFilters(period=ahead), today=today)
    get_mission_comparison(session, filters, today=today)


def missions_figures(session: Session, period: Period, today: date) -> dict:
    from core.missions import get_mission_figures

    figures = get_mission_figures(session, _filters(period), today=today)
    return {int(r.id): (int(r.meetings), int(r.leads)) for r in figures.itertuples()}


def missions_naive(engine: sa.Engine, period: Period, today: date) -> dict:
    missions, interactions, projects = _tables(engine, "mission", "interaction", "project")
    missions = _dates(missions, "starts_on", "ends_on")
    chosen = missions[(missions["starts_on"] <= period.end) & (missions["ends_on"] >= period.start)]
    meetings = interactions.groupby("mission_id").size()
    leads = projects.groupby("source_mission_id").size()
    return {int(m): (int(meetings.get(m, 0)), int(leads.get(m, 0))) for m in chosen["id"]}


# --- World map ----------------------------------------------------------------------------------


def world_map_sql(session: Session, period: Period, today: date) -> None:
    from core import geo

    filters = _filters(period)
    geo.get_origin_figures(session, filters, "projects_won", lang="fr")
    geo.count_unknown_origin(session, filters, "projects_won")
    geo.list_chamber_points(session, filters)
    geo.get_iso2_by_numeric(session)


def world_map_figures(session: Session, period: Period, today: date) -> dict:
    from core.geo import get_origin_figures

    figures = get_origin_figures(session, _filters(period), "projects_won", lang="fr")
    return {row.iso2: int(row.value) for row in figures.itertuples()}


def world_map_naive(engine: sa.Engine, period: Period, today: date) -> dict:
    projects, countries = _tables(engine, "project", "country")
    projects = _dates(projects, "decided_on")
    won = projects[projects["stage"].isin(WON) & _between(projects["decided_on"], period)]
    won = won[won["origin_country_iso2"].isin(set(countries["iso2"]))]
    return {k: int(v) for k, v in won.groupby("origin_country_iso2").size().items()}


# --- India --------------------------------------------------------------------------------------


def india_sql(session: Session, period: Period, today: date) -> None:
    from core import india

    filters = _filters(period)
    india.get_india_share(session, filters)
    india.get_india_yearly(session, filters, period.end.year - 4, period.end.year)
    india.get_india_pipeline(session, filters, today=today)
    india.get_india_sectors(session, filters)
    india.get_india_places(session, filters)
    india.get_india_meetings_by_month(session, filters)
    india.get_indian_chambers_contribution(session, filters)
    india.list_coming_india_actions(session, today=today)


def india_figures(session: Session, period: Period, today: date) -> dict:
    from core.india import get_india_share

    share = get_india_share(session, _filters(period))
    return {row.metric: (int(row.india), int(row.world)) for row in share.itertuples()}


def india_naive(engine: sa.Engine, period: Period, today: date) -> dict:
    projects, interactions, organisations = _tables(
        engine, "project", "interaction", "organisation"
    )
    projects = _dates(projects, "lead_on", "decided_on")
    interactions = _dates(interactions, "occurred_on")
    indian = projects["origin_country_iso2"] == "IN"
    leads = _between(projects["lead_on"], period)
    won = projects["stage"].isin(WON) & _between(projects["decided_on"], period)
    origin = organisations["control_country_iso2"].fillna(organisations["hq_country_iso2"])
    indian_orgs = set(organisations["id"][origin == "IN"])
    met = interactions[_between(interactions["occurred_on"], period)]
    return {
        "leads": (int((leads & indian).sum()), int(leads.sum())),
        "projects_won": (int((won & indian).sum()), int(won.sum())),
        "jobs_announced": (
            int(projects["jobs_announced"][won & indian].sum()),
            int(projects["jobs_announced"][won].sum()),
        ),
        "meetings": (int(met["organisation_id"].isin(indian_orgs).sum()), len(met)),
    }


# --- Directory ----------------------------------------------------------------------------------


def directory_sql(session: Session, period: Period, today: date) -> None:
    from core import directory

    five = last_years(today, 5)
    directory.search_organisations(session, page=1, page_size=25)
    directory.search_people(session, page=1, page_size=25)
    directory.get_organisations_met(session, five.start, five.end, limit=1000)


def directory_figures(session: Session, period: Period, today: date) -> dict:
    from core.directory import count_organisations_met

    five = last_years(today, 5)
    return {"organisations_met": count_organisations_met(session, five.start, five.end)}


def directory_naive(engine: sa.Engine, period: Period, today: date) -> dict:
    interactions, missions, links = _tables(engine, "interaction", "mission", "missionorganisation")
    five = last_years(today, 5)
    interactions = _dates(interactions, "occurred_on")
    missions = _dates(missions, "starts_on", "ends_on")
    met = set(interactions["organisation_id"][_between(interactions["occurred_on"], five)].dropna())
    in_range = missions["id"][
        (missions["starts_on"] <= five.end) & (missions["ends_on"] >= five.start)
    ]
    hosted = set(links["organisation_id"][links["mission_id"].isin(set(in_range))])
    return {"organisations_met": len(met | hosted)}


PAGES: dict[str, PageBench] = {
    "pages/overview.py": PageBench(overview_sql, overview_naive, overview_figures),
    "pages/sectors.py": PageBench(sectors_sql, sectors_naive, sectors_figures),
    "pages/pipeline.py": PageBench(pipeline_sql, pipeline_naive, pipeline_figures),
    "pages/missions.py": PageBench(missions_sql, missions_naive, missions_figures),
    "pages/world_map.py": PageBench(world_map_sql, world_map_naive, world_map_figures),
    "pages/india.py": PageBench(india_sql, india_naive, india_figures),
    "pages/directory.py": PageBench(directory_sql, directory_naive, directory_figures),
}


def default_period(today: date) -> Period:
    """The dashboards' default period: this year to date."""
    return year_to_date(today)
