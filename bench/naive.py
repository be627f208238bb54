"""The naive baseline: the Overview's headline figures computed by loading whole tables into
pandas, as a dashboard without SQL aggregates would. Used only to measure what SQL saves."""

from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa

OPEN = ["lead", "qualified", "active", "site_visit", "negotiation"]
WON = ["won", "landed"]


def naive_headline(engine: sa.Engine, start: date, end: date, home: str = "FR") -> dict[str, int]:
    with engine.connect() as conn:
        projects = pd.read_sql_table("project", conn)
        interactions = pd.read_sql_table("interaction", conn)
    projects["decided_on"] = pd.to_datetime(projects["decided_on"]).dt.date
    interactions["occurred_on"] = pd.to_datetime(interactions["occurred_on"]).dt.date
    won = projects[
        projects["stage"].isin(WON)
        & (projects["decided_on"] >= start)
        & (projects["decided_on"] <= end)
    ]
    occurred = interactions["occurred_on"]
    met = interactions[(occurred >= start) & (occurred <= end)]
    disclosed = won[won["capex_disclosure"] == "disclosed"]
    open_now = projects[projects["stage"].isin(OPEN)]
    return {
        "projects_won": len(won),
        "projects_won_foreign": int(
            (won["origin_country_iso2"].notna() & (won["origin_country_iso2"] != home)).sum()
        ),
        "jobs_announced": int(won["jobs_announced"].sum()),
        "capex_disclosed_eur": int(disclosed["capex_eur"].fillna(0).sum()),
        "meetings": len(met),
        "organisations_met": int(met["organisation_id"].nunique()),
        "open_pipeline": len(open_now),
    }
