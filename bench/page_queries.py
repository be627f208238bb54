"""The core queries each dashboard page runs on its first screen, with the page's defaults.

A page reaches the database through cached readers (``components/readers.py`` and the
``components/*_views.py`` modules); these lists call the ``core`` functions behind those
readers directly, with a plain ``Session``, so that the harness can time a page's SQL alone
and each query on its own. Defaults are the pages' own: period = year to date (the period
selector's default), no other filter, language "fr" (the configured default), metric
"projects_won" on the map, "leads" in the sectors' matrix, 90 days for stale projects, the
first page of 25 rows in the directory and the last five years for "organisations met".

Every page but the directory, the network and the presentation draws the shared filter bar,
whose choices (chambers, missions, owners, countries, sectors) are read on every page: they are
part of each page's SQL. The Overview also reads its performance tiles (period and
comparison), the results line, the data's freshness, the trend's marks and (signed in as an
administrator, as the harness is) the trend notes.

The Network page opens on the year to date (its own period selector, no filter bar): the
chambers' results, the network's attributed total and the records of the first figure
("referred", every chamber, unmasked for an administrator). The Presentation page opens on
its set-up: the snapshots (the newest chosen when there is one, else the live figures of last
year) and the success story's candidates of that period; the deck's figures are read only
once the presenter starts (or builds the press kit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from core import (
    directory,
    freshness,
    geo,
    india,
    kpis,
    lookups,
    missions,
    network,
    performance,
    pipeline,
    presentation,
    results,
    sectors,
    snapshots,
    trend_notes,
)
from core.demo import get_demo_info
from core.filters import DashboardFilters
from core.periods import Period, last_years, year_period, year_to_date

LANG = "fr"
HOME = "FR"

Query = tuple[str, Callable[[Session], Any]]


def _shell() -> list[Query]:
    """What ``page_setup`` reads: the demo badge."""
    return [("demo.get_demo_info", get_demo_info)]


def _filter_bar() -> list[Query]:
    """What ``render_dashboard_filters`` reads (``read_filter_options`` and the labels)."""
    return [
        ("lookups.get_country_names", lambda s: lookups.get_country_names(s, LANG)),
        ("lookups.get_sector_labels", lambda s: lookups.get_sector_labels(s, LANG)),
        ("lookups.list_chambers", lookups.list_chambers),
        ("lookups.list_missions", lookups.list_missions),
        ("lookups.list_owners", lookups.list_owners),
    ]


def _overview(today: date, f: DashboardFilters) -> list[Query]:
    period = f.period
    previous = period.previous()
    last = period.end.year
    # Targets of the tiles only for a calendar year; the yearly table asks for five years.
    tiles_year = [period.start.year] if period.is_calendar_year else []

    def targets(s: Session) -> None:
        for year in [*tiles_year, *range(last - 4, last + 1)]:
            kpis.get_targets(s, year)

    return [
        (
            "kpis.get_headline_kpis",
            lambda s: kpis.get_headline_kpis(s, period, home_country=HOME, filters=f, today=today),
        ),
        (
            "kpis.get_headline_kpis (previous)",
            lambda s: kpis.get_headline_kpis(
                s, previous, home_country=HOME, filters=f, today=today
            ),
        ),
        ("kpis.get_targets (x5)", targets),
        (
            "kpis.get_won_breakdown (country)",
            lambda s: kpis.get_won_breakdown(s, period, by="country", filters=f, limit=10),
        ),
        (
            "kpis.get_won_breakdown (sector)",
            lambda s: kpis.get_won_breakdown(s, period, by="sector", filters=f, limit=10),
        ),
        (
            "kpis.get_yearly_summary",
            lambda s: kpis.get_yearly_summary(s, last - 4, last, filters=f),
        ),
        ("kpis.get_monthly_trend", lambda s: kpis.get_monthly_trend(s, period, filters=f)),
        ("freshness.latest_write", freshness.latest_write),
        (
            "performance.get_performance_kpis",
            lambda s: performance.get_performance_kpis(s, period, home_country=HOME, filters=f),
        ),
        (
            "performance.get_performance_kpis (previous)",
            lambda s: performance.get_performance_kpis(s, previous, home_country=HOME, filters=f),
        ),
        ("results.get_results", lambda s: results.get_results(s, period, as_of=today, filters=f)),
        ("trend_notes.list_trend_marks", lambda s: trend_notes.list_trend_marks(s, period)),
        ("trend_notes.list_notes", trend_notes.list_notes),
    ]


def _sectors(today: date, f: DashboardFilters) -> list[Query]:
    queries: list[Query] = [
        ("sectors.get_sector_summary", lambda s: sectors.get_sector_summary(s, f)),
        ("sectors.get_sector_trend", lambda s: sectors.get_sector_trend(s, f)),
        (
            "sectors.get_sector_country_matrix",
            lambda s: sectors.get_sector_country_matrix(s, f, measure="leads", top=8),
        ),
    ]
    if f.period.is_calendar_year:
        queries.append(
            (
                "sectors.get_sector_targets",
                lambda s: sectors.get_sector_targets(s, f.period.start.year),
            )
        )
    return queries


def _pipeline(today: date, f: DashboardFilters) -> list[Query]:
    return [
        ("pipeline.get_stage_funnel", lambda s: pipeline.get_stage_funnel(s, f, today=today)),
        ("pipeline.get_stage_conversion", lambda s: pipeline.get_stage_conversion(s, f)),
        ("pipeline.get_time_in_stage", lambda s: pipeline.get_time_in_stage(s, f)),
        (
            "pipeline.list_stale_projects",
            lambda s: pipeline.list_stale_projects(
                s, f, days=pipeline.DEFAULT_STALE_DAYS, today=today, limit=500
            ),
        ),
        ("pipeline.get_won_lost_by_month", lambda s: pipeline.get_won_lost_by_month(s, f)),
        ("pipeline.get_lost_reasons", lambda s: pipeline.get_lost_reasons(s, f)),
        ("pipeline.get_lost_locations", lambda s: pipeline.get_lost_locations(s, f)),
        (
            "pipeline.list_open_projects",
            lambda s: pipeline.list_open_projects(s, f, today=today, limit=500),
        ),
    ]


def _missions(today: date, f: DashboardFilters) -> list[Query]:
    queries: list[Query] = [
        ("missions.get_mission_figures", lambda s: missions.get_mission_figures(s, f, today=today))
    ]
    if f.period.end >= today:  # the calendar also shows the coming year's missions
        ahead = replace(f, period=Period(today + timedelta(days=1), today + timedelta(days=365)))
        queries.append(
            (
                "missions.get_mission_figures (coming)",
                lambda s: missions.get_mission_figures(s, ahead, today=today),
            )
        )
    queries.append(
        (
            "missions.get_mission_comparison",
            lambda s: missions.get_mission_comparison(s, f, today=today),
        )
    )
    return queries


def _world_map(today: date, f: DashboardFilters) -> list[Query]:
    metric = "projects_won"
    return [
        (
            "geo.get_origin_figures",
            lambda s: geo.get_origin_figures(s, f, metric, lang=LANG),
        ),
        ("geo.list_chamber_points", lambda s: geo.list_chamber_points(s, f)),
        ("geo.count_unknown_origin", lambda s: geo.count_unknown_origin(s, f, metric)),
        ("geo.get_iso2_by_numeric", geo.get_iso2_by_numeric),
    ]


def _india(today: date, f: DashboardFilters) -> list[Query]:
    last = f.period.end.year
    return [
        ("india.get_india_share", lambda s: india.get_india_share(s, f)),
        ("india.get_india_yearly", lambda s: india.get_india_yearly(s, f, last - 4, last)),
        ("india.get_india_pipeline", lambda s: india.get_india_pipeline(s, f, today=today)),
        ("india.get_india_sectors", lambda s: india.get_india_sectors(s, f)),
        ("india.get_india_places", lambda s: india.get_india_places(s, f)),
        ("india.get_india_meetings_by_month", lambda s: india.get_india_meetings_by_month(s, f)),
        (
            "india.get_indian_chambers_contribution",
            lambda s: india.get_indian_chambers_contribution(s, f),
        ),
        (
            "india.list_coming_india_actions",
            lambda s: india.list_coming_india_actions(s, today=today),
        ),
    ]


def _directory(today: date) -> list[Query]:
    five_years = last_years(today, 5)
    search = {"text": "", "country": None, "sector": None, "kind": None, "page": 1}
    return [
        ("lookups.get_country_names", lambda s: lookups.get_country_names(s, LANG)),
        ("lookups.get_sector_labels", lambda s: lookups.get_sector_labels(s, LANG)),
        ("lookups.list_organisation_countries", lookups.list_organisation_countries),
        (
            "directory.search_organisations",
            lambda s: directory.search_organisations(s, **search, page_size=25),
        ),
        ("directory.search_people", lambda s: directory.search_people(s, **search, page_size=25)),
        (
            "directory.get_organisations_met",
            lambda s: directory.get_organisations_met(
                s, five_years.start, five_years.end, limit=1000
            ),
        ),
    ]


def _network(today: date) -> list[Query]:
    """``render_network`` with the period selector's default: the chambers' results, the
    network's attributed total and the records of the first figure ("referred"), every
    chamber's."""
    period = year_to_date(today)
    return [
        (
            "network.list_chamber_results",
            lambda s: network.list_chamber_results(s, period, as_of=today),
        ),
        ("results.get_attribution", lambda s: results.get_attribution(s, period, as_of=today)),
        (
            "network.list_chamber_records",
            lambda s: network.list_chamber_records(
                s, period, figure="referred", chamber_id=None, masking=None, as_of=today
            ),
        ),
    ]


def _presentation(today: date) -> list[Query]:
    """``render_setup``: the snapshots (the newest is chosen when there is one, else the live
    figures of last year), then the success story's candidates of the chosen period."""
    chosen: dict[str, Period] = {}

    def list_snapshots(s: Session) -> list:
        found = snapshots.list_snapshots(s)
        chosen["period"] = (
            Period(found[0].period_start, found[0].period_end)
            if found
            else year_period(today.year - 1)
        )
        return found

    return [
        ("snapshots.list_snapshots", list_snapshots),
        (
            "presentation.list_success_candidates",
            lambda s: presentation.list_success_candidates(s, chosen["period"]),
        ),
        # What the presenter's start reads (the live figures of last year, as the naive
        # baseline computes them): without it the ratio would compare the set-up's two small
        # reads with the baseline's whole headline slide.
        (
            "presentation.deck_figures (start, live last year)",
            lambda s: presentation.deck_figures(
                s, home_country=HOME, today=today, period=year_period(today.year - 1)
            ),
        ),
    ]


DASHBOARD_PAGES = {
    "pages/overview.py": _overview,
    "pages/sectors.py": _sectors,
    "pages/pipeline.py": _pipeline,
    "pages/missions.py": _missions,
    "pages/world_map.py": _world_map,
    "pages/india.py": _india,
}


def default_filters(today: date) -> DashboardFilters:
    """The filters a page opens with: the year to date, nothing else."""
    return DashboardFilters(period=year_to_date(today))


def page_queries(page: str, today: date) -> list[Query]:
    """The queries ``page`` runs when opened with its defaults, in the page's order."""
    if page == "pages/directory.py":
        return [*_shell(), *_directory(today)]
    if page == "pages/network.py":
        return [*_shell(), *_network(today)]
    if page == "pages/presentation.py":
        return [*_shell(), *_presentation(today)]
    if page not in DASHBOARD_PAGES:
        raise ValueError(f"no query list for {page}")
    return [*_shell(), *_filter_bar(), *DASHBOARD_PAGES[page](today, default_filters(today))]
