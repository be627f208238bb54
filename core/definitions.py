"""The KPI catalogue: what each figure of the dashboard counts, in one versioned list.

Labels and definitions are in the message catalogs (``kpi.<key>.label`` and
``kpi.<key>.definition``). Change ``VERSION`` (and say what changed in ``CHANGES``) whenever a
definition changes what a figure counts: frozen figures record the version they were made with.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSION = "1.0"
VERSION_DATE = "2026-11-28"
CHANGES = {"1.0": "First catalogue, after DOMAIN.md's starting definitions."}


@dataclass(frozen=True)
class KpiDefinition:
    key: str
    #: DOMAIN.md's KPI this entry details.
    family: str
    #: Where the figure comes from: "crm" (this database) or "stage_history".
    source: str


CATALOGUE: tuple[KpiDefinition, ...] = (
    KpiDefinition("projects_won", "projects_landed", "crm"),
    KpiDefinition("jobs_announced", "jobs_announced", "crm"),
    KpiDefinition("capex_disclosed", "capex", "crm"),
    KpiDefinition("open_pipeline", "pipeline", "stage_history"),
    KpiDefinition("conversion", "conversion", "stage_history"),
    KpiDefinition("time_to_decision", "time_to_decision", "stage_history"),
    KpiDefinition("meetings", "activity", "crm"),
    KpiDefinition("organisations_met", "activity", "crm"),
    KpiDefinition("missions_held", "activity", "crm"),
    KpiDefinition("network", "network", "crm"),
    KpiDefinition("target_vs_actual", "target_vs_actual", "crm"),
    KpiDefinition("companies_seen", "companies_seen", "crm"),
)


def get_definition(key: str) -> KpiDefinition:
    for entry in CATALOGUE:
        if entry.key == key:
            return entry
    raise KeyError(f"no KPI {key!r} in the catalogue")
