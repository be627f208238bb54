"""Sector figures: the six strategic sectors (and "other") side by side, over time, by origin
and against their yearly targets. SQL aggregates in, small DataFrames out.

Definitions (the shared filters narrow every figure; their period says which dates count):

- **leads**: projects whose lead date (first entry into Lead or a later main stage) falls in
  the period;
- **qualified**: distinct projects that entered Qualified in the period, from the stage
  history (a project qualified twice in the period counts once);
- **won**: projects now Won or Landed whose decision date falls in the period; jobs announced
  and capex are those of the projects won; capex is summed apart for disclosed and estimated
  amounts (unknown amounts are left out);
- **conversion**: won / qualified, both counted in the same period. It is a ratio of two
  flows, not the fate of a cohort: a project won in the period may have been qualified
  before it (or never, when it skipped the stage), so the ratio may exceed 100 %. None when no
  project was qualified in the period.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core import measures
from core.filters import DashboardFilters, project_conditions
from core.periods import Period, year_period
from models import (
    CapexDisclosure,
    Interaction,
    Organisation,
    Project,
    Sector,
    SectorTarget,
    Stage,
    StageChange,
    TargetKpi,
)

SUMMARY_COLUMNS = (
    "leads",
    "qualified",
    "won",
    "jobs_announced",
    "capex_disclosed_eur",
    "capex_estimated_eur",
)
#: Column keys of the matrix for the countries beyond the top N, and for unknown origins.
OTHERS = "_others"
UNKNOWN = "_unknown"
#: Periods spanning more months than this are shown by year rather than by month.
MONTHLY_UP_TO = 24
MATRIX_MEASURES = ("leads", "won")


# The shared definitions (core.measures).
_sum = measures.total
_won_in = measures.won_in
_lead_in = measures.lead_in
_capex_if = measures.capex_if


def list_sector_codes(session: Session, sectors: tuple[str, ...] = ()) -> list[str]:
    """Sector codes in display order (only ``sectors`` when given)."""
    query = sa.select(Sector.code).order_by(Sector.sort_order, Sector.code)
    if sectors:
        query = query.where(Sector.code.in_(sectors))
    return list(session.exec(query).scalars())


def _by_sector(session: Session, query: Any) -> dict[str, tuple[int, ...]]:
    """{sector: (ints...)} of a query whose first column is the sector code."""
    return {row[0]: tuple(int(v) for v in row[1:]) for row in session.exec(query).all()}


# ---------------------------------------------------------------------------------------------
# Sectors side by side
# ---------------------------------------------------------------------------------------------


def get_sector_summary(session: Session, filters: DashboardFilters) -> pd.DataFrame:
    """One row per sector in display order (zeros for a sector with nothing): sector_code,
    leads, qualified, won, jobs_announced, capex_disclosed_eur, capex_estimated_eur,
    conversion (float, None when nothing was qualified). See the module's definitions."""
    period, narrow = filters.period, project_conditions(filters)
    sector = Project.sector_code
    leads = _by_sector(
        session,
        sa.select(sector, sa.func.count()).where(_lead_in(period), *narrow).group_by(sector),
    )
    qualified = _by_sector(
        session,
        sa.select(sector, sa.func.count(sa.distinct(StageChange.project_id)))
        .join(Project, Project.id == StageChange.project_id)
        .where(
            StageChange.to_stage == Stage.QUALIFIED,
            StageChange.changed_on.between(period.start, period.end),
            *narrow,
        )
        .group_by(sector),
    )
    won = _by_sector(
        session,
        sa.select(
            sector,
            sa.func.count(),
            _sum(Project.jobs_announced),
            _sum(_capex_if(CapexDisclosure.DISCLOSED)),
            _sum(_capex_if(CapexDisclosure.ESTIMATED)),
        )
        .where(_won_in(period), *narrow)
        .group_by(sector),
    )
    rows = []
    for code in list_sector_codes(session, filters.sectors):
        n_qualified = qualified.get(code, (0,))[0]
        n_won, jobs, disclosed, estimated = won.get(code, (0, 0, 0, 0))
        conversion = n_won / n_qualified if n_qualified else None
        rows.append(
            (code, leads.get(code, (0,))[0], n_qualified, n_won, jobs, disclosed, estimated,
             conversion)
        )  # fmt: skip
    frame = pd.DataFrame([row[:-1] for row in rows], columns=["sector_code", *SUMMARY_COLUMNS])
    frame = frame.astype(dict.fromkeys(SUMMARY_COLUMNS, "int64"))
    frame["conversion"] = pd.Series([row[-1] for row in rows], dtype="object")
    return frame


# ---------------------------------------------------------------------------------------------
# Trend per sector
# ---------------------------------------------------------------------------------------------


def trend_unit(period: Period) -> str:
    """ "month", or "year" when the period touches more than ``MONTHLY_UP_TO`` months."""
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month
    return "year" if months + 1 > MONTHLY_UP_TO else "month"


def _buckets(period: Period, unit: str) -> list[date]:
    """First day of every month (or year) overlapping ``period``."""
    if unit == "year":
        return [date(y, 1, 1) for y in range(period.start.year, period.end.year + 1)]
    out, year, month = [], period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        out.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _bucket_key(session: Session, column: Any, unit: str) -> Any:
    """``YYYY-MM`` (or ``YYYY``) of a date column, in SQL, on either dialect."""
    sqlite_format, pg_format = ("%Y", "YYYY") if unit == "year" else ("%Y-%m", "YYYY-MM")
    if session.get_bind().dialect.name == "sqlite":
        return sa.func.strftime(sqlite_format, column)
    return sa.func.to_char(column, pg_format)


def _key_of(bucket: date, unit: str) -> str:
    return f"{bucket.year:04d}" if unit == "year" else f"{bucket.year:04d}-{bucket.month:02d}"


def get_sector_trend(
    session: Session, filters: DashboardFilters, *, unit: str | None = None
) -> pd.DataFrame:
    """Leads and projects won per sector and per month (or year: ``unit``, by default from
    ``trend_unit``): bucket (first day), sector_code, leads, won; one row per (bucket,
    sector), zeros filled, buckets in order then sectors in display order. Only the days of
    the period count, also in its first and last buckets."""
    period, narrow = filters.period, project_conditions(filters)
    unit = unit or trend_unit(period)
    if unit not in ("month", "year"):
        raise ValueError(f"unknown unit {unit!r}: expected 'month' or 'year'")
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for name, column, in_period in (
        ("leads", Project.lead_on, _lead_in(period)),
        ("won", Project.decided_on, _won_in(period)),
    ):
        key = _bucket_key(session, column, unit).label("k")
        query = (
            sa.select(key, Project.sector_code, sa.func.count())
            .where(in_period, *narrow)
            .group_by(key, Project.sector_code)
        )
        for bucket, sector, n in session.exec(query).all():
            counts.setdefault((bucket, sector), {})[name] = int(n)
    sectors = list_sector_codes(session, filters.sectors)
    rows = [
        (bucket, code, found.get("leads", 0), found.get("won", 0))
        for bucket in _buckets(period, unit)
        for code in sectors
        for found in [counts.get((_key_of(bucket, unit), code), {})]
    ]
    frame = pd.DataFrame(rows, columns=["bucket", "sector_code", "leads", "won"])
    return frame.astype({"leads": "int64", "won": "int64"})


# ---------------------------------------------------------------------------------------------
# Sector x country of origin
# ---------------------------------------------------------------------------------------------


def get_sector_country_matrix(
    session: Session, filters: DashboardFilters, *, measure: str = "leads", top: int = 8
) -> pd.DataFrame:
    """Projects per sector (rows, display order) and country of origin (columns): leads of
    the period, or projects ``won`` in it. Columns: sector_code, then the ``top`` countries
    with the most projects in all sectors (ties by ISO code), then ``OTHERS`` (the other
    countries) and ``UNKNOWN`` (origin not recorded), each only when not zero. No country
    column at all when nothing matches."""
    if measure not in MATRIX_MEASURES:
        raise ValueError(f"unknown measure {measure!r}: expected one of {MATRIX_MEASURES}")
    period, narrow = filters.period, project_conditions(filters)
    in_period = _lead_in(period) if measure == "leads" else _won_in(period)
    origin = Project.origin_country_iso2
    query = (
        sa.select(Project.sector_code, origin, sa.func.count())
        .where(in_period, *narrow)
        .group_by(Project.sector_code, origin)
    )
    cells = [(sector, country, int(n)) for sector, country, n in session.exec(query).all()]
    totals: dict[str, int] = {}
    for _sector, country, n in cells:
        if country is not None:
            totals[country] = totals.get(country, 0) + n
    ranked = sorted(totals, key=lambda c: (-totals[c], c))
    shown = set(ranked[:top])
    columns = ranked[:top]
    if len(ranked) > top:
        columns.append(OTHERS)
    if any(country is None for _s, country, _n in cells):
        columns.append(UNKNOWN)
    sectors = list_sector_codes(session, filters.sectors)
    table = {code: dict.fromkeys(columns, 0) for code in sectors}
    for sector, country, n in cells:
        column = UNKNOWN if country is None else (country if country in shown else OTHERS)
        if sector in table:
            table[sector][column] += n
    frame = pd.DataFrame([[code, *table[code].values()] for code in sectors])
    frame.columns = ["sector_code", *columns]
    return frame.astype(dict.fromkeys(columns, "int64"))


# ---------------------------------------------------------------------------------------------
# Sectors against their yearly targets
# ---------------------------------------------------------------------------------------------


def _sector_actuals(session: Session, period: Period, sectors: tuple[str, ...]) -> dict:
    """{(sector, kpi): actual} of the KPIs a sector target can name, in ``period``."""
    sector = Project.sector_code
    only = [sector.in_(sectors)] if sectors else []
    won = session.exec(
        sa.select(
            sector,
            sa.func.count(),
            _sum(Project.jobs_announced),
            _sum(_capex_if(CapexDisclosure.DISCLOSED)),
        )
        .where(_won_in(period), *only)
        .group_by(sector)
    ).all()
    org_sector = Organisation.sector_code
    met = session.exec(
        sa.select(org_sector, sa.func.count(), measures.organisations_met())
        .join(Organisation, Organisation.id == Interaction.organisation_id)
        .where(
            measures.met_in(period),
            *([org_sector.in_(sectors)] if sectors else []),
        )
        .group_by(org_sector)
    ).all()
    actuals: dict[tuple[str, str], int] = {}
    for code, n, jobs, capex in won:
        actuals[(code, TargetKpi.PROJECTS_WON.value)] = int(n)
        actuals[(code, TargetKpi.JOBS_ANNOUNCED.value)] = int(jobs)
        actuals[(code, TargetKpi.CAPEX_DISCLOSED.value)] = int(capex)
    for code, meetings, orgs in met:
        actuals[(code, TargetKpi.MEETINGS.value)] = int(meetings)
        actuals[(code, TargetKpi.ORGANISATIONS_MET.value)] = int(orgs)
    return actuals


def get_sector_targets(
    session: Session, year: int, *, sectors: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Each sector target of calendar ``year`` (only ``sectors`` when given) against its
    actual over that year: sector_code, kpi, target, actual, progress (actual / target; None
    for a zero target). Sectors in display order, KPIs in ``TargetKpi`` order. Actuals follow
    the module's definitions; meetings and organisations met count the interactions with
    organisations of the sector. A ``missions`` target has no sector actual (None)."""
    query = sa.select(SectorTarget.sector_code, SectorTarget.kpi, SectorTarget.value).where(
        SectorTarget.year == year
    )
    if sectors:
        query = query.where(SectorTarget.sector_code.in_(sectors))
    targets = {(code, TargetKpi(kpi).value): int(v) for code, kpi, v in session.exec(query).all()}
    actuals = _sector_actuals(session, year_period(year), sectors)
    order = {code: i for i, code in enumerate(list_sector_codes(session))}
    kpi_order = {kpi.value: i for i, kpi in enumerate(TargetKpi)}
    rows = []
    for code, kpi in sorted(targets, key=lambda k: (order.get(k[0], 99), kpi_order[k[1]])):
        target = targets[(code, kpi)]
        actual = None if kpi == TargetKpi.MISSIONS.value else actuals.get((code, kpi), 0)
        progress = actual / target if target and actual is not None else None
        rows.append((code, kpi, target, actual, progress))
    frame = pd.DataFrame([row[:3] for row in rows], columns=["sector_code", "kpi", "target"])
    frame["target"] = frame["target"].astype("int64")
    frame["actual"] = pd.array([row[3] for row in rows], dtype="Int64")
    frame["progress"] = pd.Series([row[4] for row in rows], dtype="object")
    return frame
