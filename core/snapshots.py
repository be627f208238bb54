"""Frozen figures: the KPIs of a period as announced, kept unchanged for later.

An admin freezes the figures of a year (or any period) before presenting them: the headline
KPIs with the previous period's and the year's targets, the six sectors, the top countries of
origin and the India focus, computed by the same functions as the dashboards, together with the
version of the KPI definitions (``core.definitions.VERSION``), the date and who froze them. The
database refuses to change a snapshot (migration 0007). Data keep changing afterwards (a project
won is logged late, a duplicate is merged): ``compare_with_live`` lists every figure that now
differs from what was announced.

Only aggregates are frozen: no project, organisation or person name, so confidential projects
never appear in a snapshot.
"""

from __future__ import annotations

import logging
import math
from dataclasses import asdict
from datetime import date
from typing import Any

import pandas as pd
from sqlmodel import Session, select

from core import definitions
from core.audit import set_actor
from core.filters import DashboardFilters
from core.geo import get_origin_figures
from core.india import get_india_share
from core.kpis import get_headline_kpis, get_targets
from core.periods import Period
from core.permissions import authorise
from core.sectors import get_sector_summary
from models import DatasetInfo, KpiSnapshot, Role

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
    user = authorise(session, Role.ADMIN)
    try:
        set_actor(session, user.display_name)
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
        session.commit()
    except BaseException:
        session.rollback()
        raise
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
    for group in ("headline", "previous", "targets"):
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
            gap = now - was if was is not None and now is not None else None
            rows.append((key, was, now, gap))
    return pd.DataFrame(rows, columns=["figure", "frozen", "live", "difference"], dtype=object)
