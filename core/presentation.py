"""The press-conference deck: which slides, and the figures each shows.

The figures come either from a snapshot (``core.snapshots``: what was frozen, unchanged since) or
from the live data for a period, in the same shape, so that every slide reads one structure.
The missions, the success story and the benchmark badges are facts rather than KPIs: missions
come from the live calendar, the success story from one won project the presenter chooses (never
a confidential one: those appear only in aggregates), the badges from ``data/benchmarks.csv``,
each with its source.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core import definitions, measures
from core.filters import DashboardFilters
from core.kpis import query_frame
from core.missions import list_missions
from core.periods import Period
from core.snapshots import compute_figures
from models import (
    CapexDisclosure,
    Country,
    KpiSnapshot,
    Organisation,
    Project,
    Sector,
)

DATA = Path(__file__).resolve().parent.parent / "data"
#: The slides, in the order they are shown.
SLIDES = (
    "headline",
    "trend",
    "sectors",
    "map",
    "countries",
    "india",
    "activity",
    "missions",
    "success",
    "benchmarks",
)
TOP_COUNTRIES = 10
#: Coming missions shown: those starting within this many days after the deck's "today".
COMING_DAYS = 180


@dataclass(frozen=True)
class DeckSource:
    """Where a deck's figures come from: a snapshot (frozen) or the live data."""

    period: Period
    frozen: bool
    label: str
    definitions_version: str
    frozen_at: datetime | None = None
    frozen_by: str | None = None


def deck_figures(
    session: Session,
    *,
    home_country: str,
    today: date,
    period: Period | None = None,
    snapshot_id: int | None = None,
) -> tuple[dict[str, Any], DeckSource]:
    """The figures of the deck and their source: snapshot ``snapshot_id`` as frozen, or the
    live figures of ``period``."""
    if snapshot_id is not None:
        snapshot = session.get(KpiSnapshot, snapshot_id)
        if snapshot is None:
            raise LookupError(f"no snapshot {snapshot_id}")
        source = DeckSource(
            Period(snapshot.period_start, snapshot.period_end),
            True,
            snapshot.label,
            snapshot.definitions_version,
            snapshot.frozen_at,
            snapshot.frozen_by,
        )
        return snapshot.figures, source
    if period is None:
        raise ValueError("a period or a snapshot is needed")
    figures = compute_figures(session, period, home_country=home_country, today=today)
    return figures, DeckSource(period, False, "", definitions.VERSION)


def top_countries(session: Session, figures: dict[str, Any], lang: str) -> pd.DataFrame:
    """The countries of origin of the deck, with name and centroid: iso2, name, lat, lon,
    value (projects won), largest first (foreign and home alike, as frozen)."""
    rows = figures.get("countries", [])
    frame = pd.DataFrame(rows, columns=["iso2", "projects_won"])
    name = Country.name_fr if lang == "fr" else Country.name_en
    places = query_frame(
        session,
        sa.select(Country.iso2, name.label("name"), Country.lat, Country.lon).where(
            Country.iso2.in_(list(frame["iso2"]) or [""])
        ),
    )
    merged = frame.merge(places, on="iso2", how="left").rename(columns={"projects_won": "value"})
    merged["name"] = merged["name"].fillna(merged["iso2"])
    return merged[["iso2", "name", "lat", "lon", "value"]]


def deck_missions(session: Session, period: Period, *, today: date) -> pd.DataFrame:
    """Missions of the period and the coming ones (starting within ``COMING_DAYS``): id, name,
    kind, starts_on, ends_on, city, country_iso2, status (past / ongoing / coming)."""
    held = list_missions(session, DashboardFilters(period=period), today=today)
    ahead = Period(today + timedelta(days=1), today + timedelta(days=COMING_DAYS))
    coming = list_missions(session, DashboardFilters(period=ahead), today=today)
    frame = pd.concat([held, coming[~coming["id"].isin(held["id"])]], ignore_index=True)
    columns = ["id", "name", "kind", "starts_on", "ends_on", "city", "country_iso2", "status"]
    return frame[columns].sort_values(["starts_on", "id"]).reset_index(drop=True)


#: Missions a slide has room for (the coming ones first, then the latest of the period).
MISSIONS_SHOWN = 8
COMING_SHOWN = 3


def pick_missions(missions: pd.DataFrame, limit: int = MISSIONS_SHOWN) -> tuple[pd.DataFrame, int]:
    """The missions a slide shows, in date order, and how many are left out: up to
    ``COMING_SHOWN`` coming ones, the rest the period's latest."""
    coming = missions[missions["status"] == "coming"].head(COMING_SHOWN)
    others = missions[missions["status"] != "coming"]
    others = others.tail(max(limit - len(coming), 0))
    shown = pd.concat([others, coming]).sort_values(["starts_on", "id"])
    return shown.reset_index(drop=True), len(missions) - len(shown)


def _won_in(period: Period) -> list[Any]:
    return [measures.won_in(period), Project.confidential.is_(False)]


def list_success_candidates(session: Session, period: Period) -> pd.DataFrame:
    """Projects won in the period that may be named on a slide (confidential ones never are):
    id, code_name, organisation, jobs_announced, decided_on; most jobs first."""
    query = (
        sa.select(
            Project.id,
            Project.code_name,
            Organisation.name.label("organisation"),
            Project.jobs_announced,
            Project.decided_on,
        )
        .join(Organisation, Organisation.id == Project.organisation_id)
        .where(*_won_in(period))
        .order_by(Project.jobs_announced.desc(), Project.decided_on, Project.id)
    )
    return query_frame(session, query)


def get_success_story(session: Session, project_id: int, lang: str) -> dict[str, Any]:
    """What the success-story slide tells of one won project. A confidential project is refused
    (ValueError): it may appear in aggregates only."""
    project = session.get(Project, project_id)
    if project is None:
        raise LookupError(f"no project {project_id}")
    if project.confidential:
        raise ValueError("a confidential project is never named on a slide")
    organisation = session.get(Organisation, project.organisation_id)
    sector = session.get(Sector, project.sector_code)
    country = (
        session.get(Country, project.origin_country_iso2) if project.origin_country_iso2 else None
    )
    disclosed = project.capex_disclosure == CapexDisclosure.DISCLOSED
    return {
        "code_name": project.code_name,
        "organisation": organisation.name if organisation else "",
        "city": organisation.city if organisation else None,
        "sector": (sector.label_fr if lang == "fr" else sector.label_en) if sector else "",
        "country": (country.name_fr if lang == "fr" else country.name_en) if country else "",
        "project_type": project.project_type,
        "function": project.function,
        "jobs_announced": project.jobs_announced,
        "capex_eur": project.capex_eur if disclosed else None,
        "decided_on": project.decided_on,
        "lead_on": project.lead_on,
        "target_commune": project.target_commune,
    }


@dataclass(frozen=True)
class Benchmark:
    key: str
    value: int
    unit: str
    year: int
    label: str
    source: str


def load_benchmarks(lang: str, path: Path = DATA / "benchmarks.csv") -> list[Benchmark]:
    """The published figures the deck's last slide shows, each with its year and source."""
    with path.open(encoding="utf-8") as handle:
        return [
            Benchmark(
                row["key"],
                int(row["value"]),
                row["unit"],
                int(row["year"]),
                row["label_fr" if lang == "fr" else "label_en"],
                row["source"],
            )
            for row in csv.DictReader(handle)
        ]
