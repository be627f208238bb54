"""The KPI catalogue: what each figure of the dashboard counts, in one versioned list.

Labels and definitions are in the message catalogs (``kpi.<key>.label`` and
``kpi.<key>.definition``), the counting rules too (``definitions.rule.<name>``). Each entry
names the measures of ``core.measures`` it is computed with, so that one label has one
definition everywhere. Change ``VERSION`` (and say what changed in ``CHANGES``) whenever a
definition changes what a figure counts: frozen figures record the version they were made with.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSION = "1.4"
VERSION_DATE = "2026-12-04"
CHANGES = {
    "1.0": "First catalogue, after DOMAIN.md's starting definitions.",
    "1.1": (
        "Missions count once, by start date, everywhere; the Directory's figure is "
        "'organisations met or hosted' (missions by start date); projects won of unknown "
        "origin are counted apart; 'companies' means organisations of kind company only."
    ),
    "1.2": (
        "New figures: time to decision (median days from pipeline entry to the decision), "
        "organisations met per project won, delegations received, missions held against "
        "their yearly target, projects won split French / foreign / unknown origin."
    ),
    "1.3": (
        "Results: jobs verified by aftercare check-ins (12, 24 and 36 months after a win), the "
        "realisation rate (verified over announced, projects decided at least 12 months "
        "before the reading date with a check-in), projects awaiting a check, and projects "
        "attributed to the network (accepted claims of chambers only)."
    ),
    "1.4": (
        "Network: beside each chamber's leads, the projects won attributed to it by accepted "
        "claims, their verified jobs and the realisation rate (a project accepted for two "
        "chambers counts for each, once for the network); the rule of attribution to a "
        "chamber says which figures follow the source and which the accepted claims."
    ),
}


@dataclass(frozen=True)
class KpiDefinition:
    key: str
    #: DOMAIN.md's KPI this entry details.
    family: str
    #: Where the figure comes from: "crm" (this database), "stage_history", "aftercare"
    #: (the check-ins) or "claims" (the attribution claims and their decisions).
    source: str
    #: The functions of ``core.measures`` the figure is computed with.
    measures: tuple[str, ...] = ()


CATALOGUE: tuple[KpiDefinition, ...] = (
    KpiDefinition("projects_won", "projects_landed", "crm", ("won_in", "is_foreign")),
    KpiDefinition(
        "projects_won_by_origin",
        "projects_landed",
        "crm",
        ("won_in", "is_home", "is_foreign", "origin_unknown"),
    ),
    KpiDefinition("jobs_announced", "jobs_announced", "crm", ("won_in",)),
    KpiDefinition(
        "jobs_verified", "jobs_announced", "aftercare", ("won_in", "checked_in", "jobs_verified")
    ),
    KpiDefinition(
        "realisation_rate",
        "jobs_announced",
        "aftercare",
        ("checkable_in", "checked_in", "jobs_verified"),
    ),
    KpiDefinition(
        "projects_awaiting_check",
        "jobs_announced",
        "aftercare",
        ("checkable_in", "awaiting_check_in"),
    ),
    KpiDefinition("capex_disclosed", "capex", "crm", ("won_in", "capex_if")),
    KpiDefinition("open_pipeline", "pipeline", "stage_history", ("open_at_end",)),
    KpiDefinition("conversion", "conversion", "stage_history", ("won_in", "lead_in")),
    KpiDefinition(
        "time_to_decision", "time_to_decision", "stage_history", ("won_in", "entered_pipeline_on")
    ),
    KpiDefinition("meetings", "activity", "crm", ("met_in",)),
    KpiDefinition(
        "organisations_met", "activity", "crm", ("met_in", "organisations_met", "companies_met")
    ),
    KpiDefinition(
        "organisations_met_per_win", "activity", "crm", ("met_in", "organisations_met", "won_in")
    ),
    KpiDefinition("missions_held", "activity", "crm", ("mission_in",)),
    KpiDefinition("delegations_received", "activity", "crm", ("delegation_in",)),
    KpiDefinition(
        "network",
        "network",
        "stage_history",
        ("lead_in", "attributed_to", "was_qualified", "is_won"),
    ),
    KpiDefinition(
        "attributed_to_network",
        "network",
        "claims",
        ("attributed_in", "accepted_claim", "jobs_verified"),
    ),
    KpiDefinition(
        "attributed_to_chamber",
        "network",
        "claims",
        ("attributed_in", "accepted_claim", "checked_in", "jobs_verified"),
    ),
    KpiDefinition(
        "target_vs_actual", "target_vs_actual", "crm", ("won_in", "met_in", "mission_in")
    ),
    KpiDefinition("companies_seen", "companies_seen", "crm", ("met_or_hosted_ids",)),
)

#: The counting rules written out on the Definitions page (``definitions.rule.<name>``), each
#: implemented in ``core.measures`` and tested in ``tests/test_measures.py``.
RULES: tuple[str, ...] = (
    "win_later_lost",
    "won_twice",
    "origin",
    "missions_new_year",
    "conversion",
    "companies",
    "verified_jobs",
    "chamber_attribution",
)


def get_definition(key: str) -> KpiDefinition:
    for entry in CATALOGUE:
        if entry.key == key:
            return entry
    raise KeyError(f"no KPI {key!r} in the catalogue")
