"""Yearly targets of the six strategic sectors in the demo portfolio.

Each sector's target is its share of the portfolio's yearly target, in the proportions the
generator uses for the sectors of projects won (``WON_SECTOR_WEIGHTS``), so demo actuals land
near their targets. The "other" sector gets no target: it is not a strategic sector.
"""

from __future__ import annotations

from core.demo import vocab as V
from core.demo.plan import DemoContext

#: KPIs given a target per sector.
SECTOR_TARGET_KPIS = ("projects_won", "jobs_announced")
STRATEGIC_SECTORS = ("digital", "health", "energy", "work_hr", "tourism", "port_airport")


def sector_target_rows(
    ctx: DemoContext,
    yearly: dict[int, dict[str, int]],
    taken: set[tuple[int, str, str]],
) -> list[dict]:
    """Rows of ``SectorTarget`` for every year of ``yearly`` (year -> {kpi: portfolio target,
    already scaled}) and every strategic sector, skipping any (year, sector, KPI) in ``taken``
    (set by real data). At least 1 per sector, so that every sector shows its progress."""
    total_weight = sum(V.WON_SECTOR_WEIGHTS.values())
    rows = []
    for year, targets in yearly.items():
        for sector in STRATEGIC_SECTORS:
            share = V.WON_SECTOR_WEIGHTS[sector] / total_weight
            for kpi in SECTOR_TARGET_KPIS:
                if (year, sector, kpi) in taken:
                    continue
                rows.append({"id": ctx.take_ids("sectortarget", 1), "year": year,
                             "sector_code": sector, "kpi": kpi,
                             "value": max(1, round(targets[kpi] * share)),
                             "source": "Fictional demo target", "is_demo": True})  # fmt: skip
    return rows
