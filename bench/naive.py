"""The naive baseline: each dashboard page's main figures computed by loading whole tables into
pandas, as a dashboard without SQL aggregates would. Used only to measure what SQL saves.

Each baseline loads the tables it needs in full (``pd.read_sql_table``, dates parsed) and
computes, with the page's default filters (the year to date, nothing else), the figures the page
opens with. ``BASELINES`` pairs each with the same figures read through ``core`` (the SQL the
page uses), shaped alike, so that the harness can check on a small database that the two agree:
a baseline that computed something else would make the comparison meaningless.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

OPEN = ["lead", "qualified", "active", "site_visit", "negotiation"]
WON = ["won", "landed"]
HOME = "FR"
INDIA = "IN"

DATES = {
    "project": ["lead_on", "decided_on"],
    "interaction": ["occurred_on", "next_step_due_on"],
    "stagechange": ["changed_on"],
    "mission": ["starts_on", "ends_on"],
    "checkin": ["checked_on"],
}
QUALIFIED_ON = ["qualified", "active", "site_visit", "negotiation", *WON]
CHECKABLE_MONTHS = 12


def _load(engine: sa.Engine, *tables: str) -> list[pd.DataFrame]:
    with engine.connect() as conn:
        return [pd.read_sql_table(t, conn, parse_dates=DATES.get(t)) for t in tables]


def _between(column: pd.Series, start: date, end: date) -> pd.Series:
    return (column >= pd.Timestamp(start)) & (column <= pd.Timestamp(end))


def _ytd(today: date) -> tuple[date, date]:
    return date(today.year, 1, 1), today


def _origin(organisations: pd.DataFrame) -> pd.Series:
    """Country of control, else HQ, indexed by organisation id."""
    frame = organisations.set_index("id")
    return frame["control_country_iso2"].fillna(frame["hq_country_iso2"])


# ---------------------------------------------------------------------------------------------
# Overview: the headline figures of the period (and of the previous one, which the page shows)
# ---------------------------------------------------------------------------------------------


HEADLINE_KEYS = (
    "projects_won",
    "projects_won_foreign",
    "jobs_announced",
    "capex_disclosed_eur",
    "meetings",
    "organisations_met",
    "open_pipeline",
)


def _headline(projects: pd.DataFrame, interactions: pd.DataFrame, start: date, end: date) -> dict:
    won = projects[projects["stage"].isin(WON) & _between(projects["decided_on"], start, end)]
    met = interactions[_between(interactions["occurred_on"], start, end)]
    disclosed = won[won["capex_disclosure"] == "disclosed"]
    open_now = projects[projects["stage"].isin(OPEN)]
    return {
        "projects_won": len(won),
        "projects_won_foreign": int(
            (won["origin_country_iso2"].notna() & (won["origin_country_iso2"] != HOME)).sum()
        ),
        "jobs_announced": int(won["jobs_announced"].sum()),
        "capex_disclosed_eur": int(disclosed["capex_eur"].fillna(0).sum()),
        "meetings": len(met),
        "organisations_met": int(met["organisation_id"].nunique()),
        "open_pipeline": len(open_now),
    }


def naive_overview(engine: sa.Engine, today: date) -> dict:
    projects, interactions = _load(engine, "project", "interaction")
    start, end = _ytd(today)
    _headline(projects, interactions, date(start.year - 1, 1, 1), end.replace(year=end.year - 1))
    return _headline(projects, interactions, start, end)


def sql_overview(session: Session, today: date) -> dict:
    from core.kpis import get_headline_kpis
    from core.periods import year_to_date

    kpis = get_headline_kpis(session, year_to_date(today), today=today)
    return {key: getattr(kpis, key) for key in HEADLINE_KEYS}


# ---------------------------------------------------------------------------------------------
# Sectors: the sectors side by side
# ---------------------------------------------------------------------------------------------

SECTOR_FIGURES = ["leads", "qualified", "won", "jobs_announced"]
SECTOR_FIGURES += ["capex_disclosed_eur", "capex_estimated_eur"]


def naive_sectors(engine: sa.Engine, today: date) -> dict:
    projects, changes = _load(engine, "project", "stagechange")
    start, end = _ytd(today)
    leads = projects[_between(projects["lead_on"], start, end)].groupby("sector_code").size()
    qualified_changes = changes[
        (changes["to_stage"] == "qualified") & _between(changes["changed_on"], start, end)
    ].merge(projects[["id", "sector_code"]], left_on="project_id", right_on="id")
    qualified = qualified_changes.groupby("sector_code")["project_id"].nunique()
    won = projects[projects["stage"].isin(WON) & _between(projects["decided_on"], start, end)]
    won = won.assign(
        disclosed=won["capex_eur"].where(won["capex_disclosure"] == "disclosed"),
        estimated=won["capex_eur"].where(won["capex_disclosure"] == "estimated"),
    )
    won_by = won.groupby("sector_code").agg(
        won=("id", "size"),
        jobs_announced=("jobs_announced", "sum"),
        capex_disclosed_eur=("disclosed", "sum"),
        capex_estimated_eur=("estimated", "sum"),
    )
    table = pd.concat([leads.rename("leads"), qualified.rename("qualified"), won_by], axis=1)
    table = table.fillna(0).astype("int64")[SECTOR_FIGURES]
    return {code: tuple(int(v) for v in row) for code, row in table.iterrows()}


def sql_sectors(session: Session, today: date) -> dict:
    from bench.page_queries import default_filters
    from core.sectors import get_sector_summary

    summary = get_sector_summary(session, default_filters(today))
    return {
        row["sector_code"]: tuple(int(row[c]) for c in SECTOR_FIGURES)
        for _, row in summary.iterrows()
        if any(int(row[c]) for c in SECTOR_FIGURES)  # the naive table has no zero rows
    }


# ---------------------------------------------------------------------------------------------
# Pipeline: the funnel at the period's end (today: the current stages)
# ---------------------------------------------------------------------------------------------

FUNNEL_STOCK = ["target", *OPEN, "on_hold"]


MAIN_PATH = ["target", *OPEN, *WON]
TIMED = ["target", *OPEN, "on_hold"]
STALE_DAYS = 90


def naive_pipeline(engine: sa.Engine, today: date) -> dict:
    """The page's figures: the funnel, the conversion from Lead on of the period's leads, the
    median time in each stage of the stays ended in the period, the open projects at today
    and the stale ones among them (no contact for 90 days: their own or their organisation's
    last interaction, else their lead date)."""
    projects, interactions, changes = _load(engine, "project", "interaction", "stagechange")
    start, end = _ytd(today)
    return {
        "funnel": _naive_funnel(projects, start, end),
        "conversion": _naive_conversion(projects, changes, start, end),
        "time_in_stage": _naive_time_in_stage(changes, start, end),
        **_naive_open_and_stale(projects, interactions, today),
    }


def _naive_funnel(projects: pd.DataFrame, start: date, end: date) -> dict:
    counted = projects["stage"].isin(FUNNEL_STOCK) | (
        projects["stage"].isin(WON) & _between(projects["decided_on"], start, end)
    )
    funnel = projects[counted]
    funnel = funnel.assign(
        disclosed=funnel["capex_eur"].where(funnel["capex_disclosure"] == "disclosed"),
        estimated=funnel["capex_eur"].where(funnel["capex_disclosure"] == "estimated"),
    )
    table = funnel.groupby("stage").agg(
        projects=("id", "size"),
        jobs=("jobs_announced", "sum"),
        disclosed=("disclosed", "sum"),
        estimated=("estimated", "sum"),
    )
    return {stage: tuple(int(v) for v in row) for stage, row in table.fillna(0).iterrows()}


def _naive_conversion(
    projects: pd.DataFrame, changes: pd.DataFrame, start: date, end: date
) -> list[int]:
    """How many of the leads of the period reached each stage from Lead on (their furthest
    stage on the main path)."""
    cohort = projects.loc[_between(projects["lead_on"], start, end), "id"]
    rank = changes["to_stage"].map({s: i for i, s in enumerate(MAIN_PATH)}).fillna(-1)
    furthest = rank[changes["project_id"].isin(cohort)].groupby(changes["project_id"]).max()
    return [int((furthest >= i).sum()) for i in range(MAIN_PATH.index("lead"), len(MAIN_PATH))]


def _naive_time_in_stage(changes: pd.DataFrame, start: date, end: date) -> dict:
    """(stays, median days) per timed stage of the stays that ended in the period: a stay ends
    on the project's next change (by date, then id)."""
    ordered = changes.sort_values(["project_id", "changed_on", "id"])
    left = ordered.groupby("project_id")["changed_on"].shift(-1)
    stays = ordered.assign(left_on=left, days=(left - ordered["changed_on"]).dt.days)
    stays = stays[_between(stays["left_on"], start, end) & stays["to_stage"].isin(TIMED)]
    table = stays.groupby("to_stage")["days"].agg(["size", "median"])
    return {stage: (int(n), float(m)) for stage, (n, m) in table.iterrows()}


def _naive_open_and_stale(projects: pd.DataFrame, interactions: pd.DataFrame, today: date):
    open_ = projects[projects["stage"].isin(OPEN)]
    seen = interactions[interactions["occurred_on"] <= pd.Timestamp(today)]
    by_project = seen.groupby("project_id")["occurred_on"].max()
    by_organisation = seen.groupby("organisation_id")["occurred_on"].max()
    last = pd.concat(
        [open_["id"].map(by_project), open_["organisation_id"].map(by_organisation)], axis=1
    ).max(axis=1)
    later = last.notna() & (open_["lead_on"].isna() | (last > open_["lead_on"]))
    contact = last.where(later, open_["lead_on"])
    silent = (pd.Timestamp(today) - contact).dt.days
    return {"open": len(open_), "stale": int((silent >= STALE_DAYS).sum())}


def sql_pipeline(session: Session, today: date) -> dict:
    from bench.page_queries import default_filters
    from core.pipeline import (
        FUNNEL_COLUMNS,
        get_stage_conversion,
        get_stage_funnel,
        get_time_in_stage,
        list_open_projects,
        list_stale_projects,
    )

    filters = default_filters(today)
    funnel = get_stage_funnel(session, filters, today=today)
    conversion = get_stage_conversion(session, filters)
    timed = get_time_in_stage(session, filters)
    return {
        "funnel": {
            row["stage"]: tuple(int(row[c]) for c in FUNNEL_COLUMNS)
            for _, row in funnel.iterrows()
            if int(row["projects"])
        },
        "conversion": [int(conversion["reached_from"].iloc[0])]
        + [int(n) for n in conversion["reached_to"]],
        "time_in_stage": {
            row["stage"]: (int(row["stays"]), float(row["median_days"]))
            for _, row in timed.iterrows()
            if int(row["stays"])
        },
        "open": list_open_projects(session, filters, today=today, limit=0)[1],
        "stale": list_stale_projects(session, filters, days=STALE_DAYS, today=today, limit=0)[1],
    }


# ---------------------------------------------------------------------------------------------
# Missions: the figures of each mission overlapping the period
# ---------------------------------------------------------------------------------------------

MISSION_FIGURES = ["organisations_met", "meetings", "leads", "projects_won", "jobs_announced"]
MISSION_FIGURES += ["follow_ups_done", "follow_ups_overdue"]


def naive_missions(engine: sa.Engine, today: date) -> dict:
    missions, interactions, projects, links = _load(
        engine, "mission", "interaction", "project", "missionorganisation"
    )
    start, end = _ytd(today)
    chosen = missions[
        (missions["starts_on"] <= pd.Timestamp(end)) & (missions["ends_on"] >= pd.Timestamp(start))
    ]
    ids = chosen["id"]
    met = interactions[interactions["mission_id"].isin(ids)]
    has_step = met["next_step"].notna()
    done = met["next_step_done"].astype(bool)
    overdue = (
        has_step & ~done & met["next_step_due_on"].notna()
        & (met["next_step_due_on"] < pd.Timestamp(today))
    )  # fmt: skip
    meetings = (
        met.assign(done=has_step & done, overdue=overdue)
        .groupby("mission_id")
        .agg(
            meetings=("id", "size"),
            follow_ups_done=("done", "sum"),
            follow_ups_overdue=("overdue", "sum"),
        )
    )
    pairs = pd.concat(
        [
            met.loc[met["organisation_id"].notna(), ["mission_id", "organisation_id"]],
            links.loc[links["mission_id"].isin(ids), ["mission_id", "organisation_id"]],
        ]
    ).drop_duplicates()
    orgs = pairs.groupby("mission_id").size().rename("organisations_met")
    sourced = projects[projects["source_mission_id"].isin(ids)]
    is_won = sourced["stage"].isin(WON)
    leads = (
        sourced.assign(won=is_won, won_jobs=sourced["jobs_announced"].where(is_won))
        .groupby("source_mission_id")
        .agg(leads=("id", "size"), projects_won=("won", "sum"), jobs_announced=("won_jobs", "sum"))
    )
    table = pd.concat([orgs, meetings, leads], axis=1).reindex(ids.to_numpy())
    table = table.fillna(0).astype("int64")[MISSION_FIGURES]
    return {int(mission): tuple(int(v) for v in row) for mission, row in table.iterrows()}


def sql_missions(session: Session, today: date) -> dict:
    from bench.page_queries import default_filters
    from core.missions import get_mission_figures

    figures = get_mission_figures(session, default_filters(today), today=today)
    return {
        int(row["id"]): tuple(int(row[c]) for c in MISSION_FIGURES) for _, row in figures.iterrows()
    }


# ---------------------------------------------------------------------------------------------
# World map: projects won by country of origin (the default figure), the unknown ones, and the
# leads each chamber sourced
# ---------------------------------------------------------------------------------------------


def naive_world_map(engine: sa.Engine, today: date) -> dict:
    projects, countries = _load(engine, "project", "country")
    start, end = _ytd(today)
    won = projects[projects["stage"].isin(WON) & _between(projects["decided_on"], start, end)]
    by_origin = won.groupby("origin_country_iso2").size()
    by_origin = by_origin[by_origin.index.isin(countries["iso2"]) & (by_origin > 0)]
    leads = projects[_between(projects["lead_on"], start, end)]
    chambers = leads[leads["source_chamber_id"].notna()].groupby("source_chamber_id").size()
    return {
        "origins": {str(k): int(v) for k, v in by_origin.items()},
        "unknown": int(won["origin_country_iso2"].isna().sum()),
        "chamber_leads": int(chambers.sum()),
    }


def sql_world_map(session: Session, today: date) -> dict:
    from bench.page_queries import default_filters
    from core.geo import count_unknown_origin, get_origin_figures, list_chamber_points

    f = default_filters(today)
    figures = get_origin_figures(session, f, "projects_won", lang="fr")
    return {
        "origins": {str(k): int(v) for k, v in zip(figures["iso2"], figures["value"], strict=True)},
        "unknown": count_unknown_origin(session, f, "projects_won"),
        "chamber_leads": int(list_chamber_points(session, f)["leads"].sum()),
    }


# ---------------------------------------------------------------------------------------------
# India: India's share of leads, projects won, jobs and meetings
# ---------------------------------------------------------------------------------------------


def naive_india(engine: sa.Engine, today: date) -> dict:
    projects, interactions, organisations = _load(engine, "project", "interaction", "organisation")
    start, end = _ytd(today)
    indian = projects["origin_country_iso2"] == INDIA
    leads = _between(projects["lead_on"], start, end)
    won = projects["stage"].isin(WON) & _between(projects["decided_on"], start, end)
    jobs = projects["jobs_announced"].fillna(0)
    met = interactions[_between(interactions["occurred_on"], start, end)]
    met_origin = met["organisation_id"].map(_origin(organisations))
    return {
        "leads": (int((leads & indian).sum()), int(leads.sum())),
        "projects_won": (int((won & indian).sum()), int(won.sum())),
        "jobs_announced": (int(jobs[won & indian].sum()), int(jobs[won].sum())),
        "meetings": (int((met_origin == INDIA).sum()), len(met)),
    }


def sql_india(session: Session, today: date) -> dict:
    from bench.page_queries import default_filters
    from core.india import get_india_share

    share = get_india_share(session, default_filters(today))
    return {row["metric"]: (int(row["india"]), int(row["world"])) for _, row in share.iterrows()}


# ---------------------------------------------------------------------------------------------
# Directory: the organisations met over the last five years, the first page of organisations
# ---------------------------------------------------------------------------------------------


def naive_directory(engine: sa.Engine, today: date) -> dict:
    from core.periods import last_years

    organisations, interactions, missions, links = _load(
        engine, "organisation", "interaction", "mission", "missionorganisation"
    )
    period = last_years(today, 5)
    met = interactions[
        _between(interactions["occurred_on"], period.start, period.end)
        & interactions["organisation_id"].notna()
    ]
    hosting = missions[
        (missions["starts_on"] <= pd.Timestamp(period.end))
        & (missions["ends_on"] >= pd.Timestamp(period.start))
    ]
    hosted = links[links["mission_id"].isin(hosting["id"])]
    met_ids = set(met["organisation_id"].astype(int)) | set(hosted["organisation_id"].astype(int))
    first_page = organisations.sort_values(["name", "id"]).head(25)
    return {
        "organisations_met": len(met_ids),
        "organisations": len(organisations),
        "first_page": [int(i) for i in first_page["id"]],
    }


def sql_directory(session: Session, today: date) -> dict:
    from core.directory import get_organisations_met, search_organisations
    from core.periods import last_years

    period = last_years(today, 5)
    count, _ = get_organisations_met(session, period.start, period.end, limit=1000)
    page, total = search_organisations(session, page=1, page_size=25)
    return {
        "organisations_met": count,
        "organisations": total,
        "first_page": [int(i) for i in page["id"]],
    }


# ---------------------------------------------------------------------------------------------
# Verified jobs and attribution (shared by the Network and the Presentation)
# ---------------------------------------------------------------------------------------------


def _won(projects: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    return projects[projects["stage"].isin(WON) & _between(projects["decided_on"], start, end)]


def _verification(won: pd.DataFrame, checkins: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """``won`` with ``checkable`` (decided 12 months or more before ``as_of``), ``checked``
    (checkable with a check-in by ``as_of``) and ``verified`` (the jobs created of its latest
    check-in by ``as_of``, by date then id; 0 when not checked)."""
    cutoff = pd.Timestamp(as_of) - pd.DateOffset(months=CHECKABLE_MONTHS)
    seen = checkins[checkins["checked_on"] <= pd.Timestamp(as_of)]
    latest = seen.sort_values(["checked_on", "id"]).groupby("project_id")["jobs_created"].last()
    checkable = won["decided_on"] <= cutoff
    checked = checkable & won["id"].isin(latest.index)
    verified = won["id"].map(latest).where(checked, 0).fillna(0)
    return won.assign(checkable=checkable, checked=checked, verified=verified)


def _results(won: pd.DataFrame) -> dict:
    """The results of ``_verification``'s projects, as ``core.results_figures`` holds them."""
    checked = won[won["checked"]]
    announced = int(checked["jobs_announced"].fillna(0).sum())
    verified = int(checked["verified"].sum())
    return {
        "projects_checkable": int(won["checkable"].sum()),
        "projects_checked": len(checked),
        "projects_awaiting": int((won["checkable"] & ~won["checked"]).sum()),
        "jobs_announced_checked": announced,
        "jobs_verified": verified,
        "realisation_rate": round(verified / announced, 4) if announced else None,
    }


def _accepted(claims: pd.DataFrame) -> pd.DataFrame:
    """(chamber_id, project_id) once per pair: the chambers' accepted claims."""
    chosen = claims[(claims["status"] == "accepted") & (claims["claimant_kind"] == "chamber")]
    return chosen[["chamber_id", "project_id"]].drop_duplicates()


# ---------------------------------------------------------------------------------------------
# Network: each chamber's figures of the period (leads referred, qualified and won, their jobs;
# projects won attributed by accepted claims, their verified jobs) and the network's total
# ---------------------------------------------------------------------------------------------

CHAMBER_FIGURES = ["referred", "qualified", "won", "jobs_announced"]
CHAMBER_FIGURES += ["attributed", "jobs_verified", "jobs_announced_checked"]


def naive_network(engine: sa.Engine, today: date) -> dict:
    projects, changes, claims, checkins, chambers, countries = _load(
        engine, "project", "stagechange", "claim", "checkin", "chamber", "country"
    )
    start, end = _ytd(today)
    cohort = projects[
        projects["source_chamber_id"].notna() & _between(projects["lead_on"], start, end)
    ]
    moved = changes.loc[changes["to_stage"].isin(QUALIFIED_ON), "project_id"]
    is_won = cohort["stage"].isin(WON)
    cohort = cohort.assign(
        qualified=cohort["stage"].isin(QUALIFIED_ON) | cohort["id"].isin(moved),
        won=is_won,
        won_jobs=cohort["jobs_announced"].where(is_won),
    )
    referred = cohort.groupby("source_chamber_id").agg(
        referred=("id", "size"),
        qualified=("qualified", "sum"),
        won=("won", "sum"),
        jobs_announced=("won_jobs", "sum"),
    )
    won = _verification(_won(projects, start, end), checkins, today)
    won = won.assign(announced_checked=won["jobs_announced"].where(won["checked"]))
    pairs = _accepted(claims).merge(won, left_on="project_id", right_on="id")
    attributed = pairs.groupby("chamber_id").agg(
        attributed=("project_id", "size"),
        jobs_verified=("verified", "sum"),
        jobs_announced_checked=("announced_checked", "sum"),
    )
    table = pd.concat([referred, attributed], axis=1).fillna(0).astype("int64")
    # A chamber is shown when its country is known (its position on the map).
    placed = chambers.loc[chambers["country_iso2"].isin(countries["iso2"]), "id"]
    table = table[table.index.isin(placed)][CHAMBER_FIGURES]
    network = won[won["id"].isin(pairs["project_id"])]
    return {
        "chambers": {
            int(chamber): (
                *(int(v) for v in row),
                row["jobs_verified"] / row["jobs_announced_checked"]
                if row["jobs_announced_checked"]
                else None,
            )
            for chamber, row in table.iterrows()
        },
        "network": (
            len(network),
            int(network["jobs_announced"].fillna(0).sum()),
            int(network["verified"].sum()),
        ),
    }


def sql_network(session: Session, today: date) -> dict:
    from core.network import list_chamber_results
    from core.periods import year_to_date
    from core.results import get_attribution

    period = year_to_date(today)
    results = list_chamber_results(session, period, as_of=today)
    attribution = get_attribution(session, period, as_of=today)
    return {
        "chambers": {
            int(row["chamber_id"]): (
                *(int(row[c]) for c in CHAMBER_FIGURES),
                None if pd.isna(row["realisation_rate"]) else float(row["realisation_rate"]),
            )
            for _, row in results.iterrows()
        },
        "network": (attribution.projects, attribution.jobs_announced, attribution.jobs_verified),
    }


# ---------------------------------------------------------------------------------------------
# Presentation: the deck's headline slide for last year (live figures): its tiles and their
# previous year, the targets, the line under them, and the results lines (jobs verified of
# the year's wins and of the three years before, the network's accepted claims)
# ---------------------------------------------------------------------------------------------

DECK_HEADLINE = ["projects_won", "projects_won_foreign", "jobs_announced", "jobs_kept"]
DECK_HEADLINE += ["capex_disclosed_eur", "meetings", "organisations_met"]
DECK_TILES = ["projects_won", "jobs_announced", "capex_disclosed_eur", "organisations_met"]
STATEMENT_YEARS = 3


def _deck_headline(projects: pd.DataFrame, interactions: pd.DataFrame, year: int) -> dict:
    start, end = date(year, 1, 1), date(year, 12, 31)
    won = _won(projects, start, end)
    met = interactions[_between(interactions["occurred_on"], start, end)]
    origin = won["origin_country_iso2"]
    return {
        "projects_won": len(won),
        "projects_won_foreign": int((origin.notna() & (origin != HOME)).sum()),
        "jobs_announced": int(won["jobs_announced"].fillna(0).sum()),
        "jobs_kept": int(won["jobs_kept"].fillna(0).sum()),
        "capex_disclosed_eur": int(
            won.loc[won["capex_disclosure"] == "disclosed", "capex_eur"].fillna(0).sum()
        ),
        "meetings": len(met),
        "organisations_met": int(met["organisation_id"].nunique()),
    }


def naive_presentation(engine: sa.Engine, today: date) -> dict:
    projects, interactions, claims, checkins, targets = _load(
        engine, "project", "interaction", "claim", "checkin", "target"
    )
    year = today.year - 1
    previous = _deck_headline(projects, interactions, year - 1)
    own = _verification(_won(projects, date(year, 1, 1), date(year, 12, 31)), checkins, today)
    earlier = _verification(
        _won(projects, date(year - STATEMENT_YEARS, 1, 1), date(year - 1, 12, 31)),
        checkins,
        today,
    )
    network = own[own["id"].isin(_accepted(claims)["project_id"])]
    earlier_results = _results(earlier)
    return {
        "headline": _deck_headline(projects, interactions, year),
        "previous": {k: previous[k] for k in DECK_TILES},
        "targets": {
            str(k): int(v)
            for k, v in targets.loc[targets["year"] == year, ["kpi", "value"]].itertuples(
                index=False
            )
        },
        "results": {
            **_results(own),
            "network_projects": len(network),
            "network_jobs_verified": int(network["verified"].sum()),
            **{
                f"earlier_{k}": earlier_results[k]
                for k in (
                    "projects_awaiting",
                    "jobs_announced_checked",
                    "jobs_verified",
                    "realisation_rate",
                )
            },
        },
    }


def sql_presentation(session: Session, today: date) -> dict:
    from core.periods import year_period
    from core.presentation import deck_figures

    figures, _ = deck_figures(
        session, home_country=HOME, today=today, period=year_period(today.year - 1)
    )
    return {
        "headline": {k: figures["headline"][k] for k in DECK_HEADLINE},
        "previous": {k: figures["previous"][k] for k in DECK_TILES},
        "targets": dict(figures["targets"]),
        "results": dict(figures["results"]),
    }


Baseline = tuple[Callable[[sa.Engine, date], Any], Callable[[Session, date], Any]]

#: page -> (naive baseline, the same figures through core's SQL)
BASELINES: dict[str, Baseline] = {
    "pages/overview.py": (naive_overview, sql_overview),
    "pages/sectors.py": (naive_sectors, sql_sectors),
    "pages/pipeline.py": (naive_pipeline, sql_pipeline),
    "pages/missions.py": (naive_missions, sql_missions),
    "pages/world_map.py": (naive_world_map, sql_world_map),
    "pages/india.py": (naive_india, sql_india),
    "pages/directory.py": (naive_directory, sql_directory),
    "pages/network.py": (naive_network, sql_network),
    "pages/presentation.py": (naive_presentation, sql_presentation),
}
