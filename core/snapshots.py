"""Frozen figures: the KPIs of a period as announced, kept unchanged for later.

An admin freezes the figures of a year (or any period) before presenting them: the headline
KPIs with the previous period's and the year's targets, the six sectors, the top countries of
origin and the India focus, computed by the same functions as the dashboards, together with the
version of the KPI definitions (``core.definitions.VERSION``), the date and who froze them. The
database refuses to change a snapshot (migration 0007). Data keep changing afterwards (a project
won is logged late, a duplicate is merged): ``compare_with_live`` lists every figure that now
differs from what was announced.

Only aggregates are frozen: no project, organisation or person name, so confidential projects
never appear in a snapshot. The one text frozen is the monthly trend's marks: the missions'
names and the administrators' dated notes, which the Overview shows every role.
"""

from __future__ import annotations

import logging
import math
from dataclasses import asdict
from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, select

from core import definitions, measures
from core.filters import DashboardFilters
from core.geo import get_origin_figures
from core.india import get_india_share
from core.kpis import get_headline_kpis, get_targets
from core.performance import get_performance_kpis, performance_figures
from core.periods import Period
from core.results import earlier_years, results_figures
from core.sectors import get_sector_summary
from core.trend_notes import trend_figures
from core.writes import write_transaction
from models import WON_STAGES, DatasetInfo, KpiSnapshot, Project, Role, StageChange

log = logging.getLogger(__name__)

SECTOR_FIGURES = ("leads", "qualified", "won", "jobs_announced", "capex_disclosed_eur")


def _number(value: Any) -> int | float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and not value.is_integer():
        return round(value, 4)
    return int(value)


def compute_figures(
    session: Session, period: Period, *, home_country: str, today: date
) -> dict[str, Any]:
    """The figures a snapshot of ``period`` holds, from the live data (JSON-ready)."""
    filters = DashboardFilters(period=period)
    previous = period.previous()
    head = get_headline_kpis(session, period, home_country=home_country, today=today)
    before = get_headline_kpis(session, previous, home_country=home_country, today=today)
    targets = get_targets(session, period.start.year) if period.is_calendar_year else {}
    sectors = get_sector_summary(session, filters)
    origins = get_origin_figures(session, filters, "projects_won", lang="en")
    india = get_india_share(session, filters)
    performance = get_performance_kpis(session, period, home_country=home_country)
    earlier = earlier_years(period)
    return {
        "headline": {k: int(v) for k, v in asdict(head).items()},
        "previous": {k: int(v) for k, v in asdict(before).items()},
        "previous_period": [previous.start.isoformat(), previous.end.isoformat()],
        "targets": {kpi.value: int(value) for kpi, value in sorted(targets.items())},
        "sectors": [
            {"sector_code": row["sector_code"]}
            | {name: _number(row[name]) for name in SECTOR_FIGURES}
            for row in sectors.to_dict("records")
        ],
        "countries": [
            {"iso2": row["iso2"], "projects_won": int(row["value"])}
            for row in origins.to_dict("records")
        ],
        "india": {
            row["metric"]: {"india": int(row["india"]), "world": int(row["world"])}
            for row in india.to_dict("records")
        },
        # Since catalogue 1.2: time to decision, organisations met per win, delegations,
        # missions held, French wins. Older snapshots have none (read with .get).
        "performance": performance_figures(performance),
        # Since catalogue 1.3: jobs verified to ``today``, realisation rate, projects awaiting
        # a check, the network's accepted claims; and the realisation of the wins of the three
        # years before. Older snapshots have none (read with .get).
        "results": results_figures(session, period, as_of=today),
        "results_earlier_period": [earlier.start.isoformat(), earlier.end.isoformat()],
        # Since December 2026: the monthly trend (projects won and meetings per month) and its
        # marks (missions by start date, administrators' dated notes), as the press kit's trend
        # slide draws them. Older snapshots have none: their kit has no trend slide.
        **trend_figures(session, period),
    }


def freeze(
    session: Session,
    *,
    label: str,
    period: Period,
    home_country: str,
    today: date,
    note: str | None = None,
) -> KpiSnapshot:
    """Freeze the figures of ``period`` now (admins only); one transaction."""
    with write_transaction(session, Role.ADMIN) as user:
        snapshot = KpiSnapshot.model_validate(
            {
                "label": label.strip(),
                "period_start": period.start,
                "period_end": period.end,
                "definitions_version": definitions.VERSION,
                "home_country": home_country,
                "figures": compute_figures(session, period, home_country=home_country, today=today),
                "frozen_by": user.display_name,
                "note": (note or "").strip() or None,
                "is_demo": session.get(DatasetInfo, "demo") is not None,
            }
        )
        session.add(snapshot)
    session.refresh(snapshot)
    log.info("figures of %s..%s frozen by %s", period.start, period.end, user.username)
    return snapshot


def list_snapshots(session: Session) -> list[KpiSnapshot]:
    """Every snapshot, the newest first."""
    return list(
        session.exec(
            select(KpiSnapshot).order_by(KpiSnapshot.frozen_at.desc(), KpiSnapshot.id.desc())
        ).all()
    )


def flatten(figures: dict[str, Any]) -> dict[str, int | float | None]:
    """Every figure of a snapshot under a stable key: "headline.projects_won",
    "sectors.digital.won", "countries.IN.projects_won", "india.leads.india"..."""
    flat: dict[str, int | float | None] = {}
    for group in ("headline", "previous", "targets", "performance", "results"):
        for name, value in figures.get(group, {}).items():
            flat[f"{group}.{name}"] = value
    for row in figures.get("sectors", []):
        for name in SECTOR_FIGURES:
            flat[f"sectors.{row['sector_code']}.{name}"] = row.get(name)
    for row in figures.get("countries", []):
        flat[f"countries.{row['iso2']}.projects_won"] = row["projects_won"]
    for metric, pair in figures.get("india", {}).items():
        for side, value in pair.items():
            flat[f"india.{metric}.{side}"] = value
    return flat


def compare_with_live(session: Session, snapshot: KpiSnapshot, *, today: date) -> pd.DataFrame:
    """The figures of ``snapshot`` that differ from the live data today: figure, frozen, live,
    difference (live - frozen, None when either is missing). Empty when nothing changed."""
    period = Period(snapshot.period_start, snapshot.period_end)
    live = flatten(
        compute_figures(session, period, home_country=snapshot.home_country, today=today)
    )
    frozen = flatten(snapshot.figures)
    rows = []
    for key in sorted(set(frozen) | set(live)):
        was, now = frozen.get(key), live.get(key)
        if was != now:
            gap = _number(now - was) if was is not None and now is not None else None
            rows.append((key, was, now, gap))
    return pd.DataFrame(rows, columns=["figure", "frozen", "live", "difference"], dtype=object)


#: The figures that count projects won (the ones a win lost, reopened or logged late moves).
_WIN_FIGURES = (
    "headline.projects_won",
    "headline.jobs_",
    "headline.capex_",
    "countries.",
    "india.projects_won.",
    "india.jobs_announced.",
    "performance.time_to_decision_",
    "performance.organisations_met_per_win",
    "performance.projects_won_",
    "results.projects_",
    "results.jobs_",
    "results.realisation_rate",
    "results.network_",
)
_WIN_SECTOR_FIGURES = ("won", "jobs_announced", "capex_disclosed_eur")


def _is_win_figure(key: str) -> bool:
    if key.startswith("sectors."):
        return key.rsplit(".", 1)[-1] in _WIN_SECTOR_FIGURES
    return key.startswith(_WIN_FIGURES)


def count_win_changes(session: Session, snapshot: KpiSnapshot) -> tuple[int, int]:
    """(wins lost or reopened since, wins logged after the freeze) of the snapshot's period:
    projects with a move into Won or Landed dated in the period that are not won in it today
    (``core.measures.won_then_left``), and projects won in it whose winning stage change was
    recorded after the snapshot was frozen."""
    period = Period(snapshot.period_start, snapshot.period_end)
    left = session.exec(
        sa.select(sa.func.count()).select_from(Project).where(measures.won_then_left(period))
    ).one()[0]
    late_steps = sa.select(StageChange.project_id).where(
        StageChange.to_stage.in_(WON_STAGES),
        StageChange.changed_on == Project.decided_on,
        StageChange.recorded_at > snapshot.frozen_at,
    )
    late = session.exec(
        sa.select(sa.func.count())
        .select_from(Project)
        .where(measures.won_in(period), Project.id.in_(late_steps))
    ).one()[0]
    return int(left), int(late)


def explain_differences(
    session: Session, snapshot: KpiSnapshot, differences: pd.DataFrame
) -> list[tuple[str, dict[str, Any]]]:
    """Why each figure of ``differences`` (``compare_with_live``'s rows, in order) moved: a
    message key under ``snapshot.reason.`` and its parameters. "new_figure": the figure did
    not exist in the catalogue version the snapshot was made with; "wins": wins lost or
    reopened since (``lost``) and wins logged after the freeze (``late``); "data": other
    corrections (meetings logged late, records edited or merged)."""
    lost, late = count_win_changes(session, snapshot)
    reasons: list[tuple[str, dict[str, Any]]] = []
    for key, was in zip(differences["figure"], differences["frozen"], strict=True):
        made_before = snapshot.definitions_version != definitions.VERSION
        if was is None and (made_before or key.split(".", 1)[0] not in snapshot.figures):
            reasons.append(("new_figure", {"version": snapshot.definitions_version}))
        elif _is_win_figure(key) and (lost or late):
            reasons.append(("wins", {"lost": lost, "late": late}))
        else:
            reasons.append(("data", {}))
    return reasons
