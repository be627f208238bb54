"""The filters shared by every dashboard page, turned into SQL conditions.

A ``DashboardFilters`` is a plain value (hashable, so cached readers can take it as an
argument). Projects are filtered on their own columns; interactions through their organisation
(sector, country of control), their mission, their project's source chamber and their owner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from core.periods import Period
from models import Country, Interaction, Mission, Organisation, Project


@dataclass(frozen=True)
class DashboardFilters:
    period: Period
    sectors: tuple[str, ...] = field(default=())
    countries: tuple[str, ...] = field(default=())  # ISO-2 codes of origin
    regions: tuple[str, ...] = field(default=())  # world-region codes of data/regions.csv
    chamber_id: int | None = None
    mission_id: int | None = None
    owner: str | None = None

    @property
    def is_narrowed(self) -> bool:
        """True when anything other than the period is set."""
        return bool(
            self.sectors
            or self.countries
            or self.regions
            or self.chamber_id is not None
            or self.mission_id is not None
            or self.owner
        )


def _origin_in(column: Any, filters: DashboardFilters) -> list[Any]:
    conditions = []
    if filters.countries:
        conditions.append(column.in_(filters.countries))
    if filters.regions:
        in_regions = sa.select(Country.iso2).where(Country.region.in_(filters.regions))
        conditions.append(column.in_(in_regions))
    return conditions


def project_conditions(filters: DashboardFilters) -> list[Any]:
    """WHERE conditions on ``Project`` for everything but the period (whose meaning depends
    on the KPI: decided in it, entered the pipeline in it, open at its end...)."""
    conditions = []
    if filters.sectors:
        conditions.append(Project.sector_code.in_(filters.sectors))
    conditions += _origin_in(Project.origin_country_iso2, filters)
    if filters.chamber_id is not None:
        conditions.append(Project.source_chamber_id == filters.chamber_id)
    if filters.mission_id is not None:
        conditions.append(Project.source_mission_id == filters.mission_id)
    if filters.owner:
        conditions.append(Project.owner == filters.owner)
    return conditions


def organisation_conditions(filters: DashboardFilters) -> list[Any]:
    """WHERE conditions on ``Organisation``: its sector, and its origin (country of control,
    else HQ, as for projects)."""
    conditions = []
    if filters.sectors:
        conditions.append(Organisation.sector_code.in_(filters.sectors))
    origin = sa.func.coalesce(Organisation.control_country_iso2, Organisation.hq_country_iso2)
    conditions += _origin_in(origin, filters)
    return conditions


def interaction_conditions(filters: DashboardFilters) -> list[Any]:
    """WHERE conditions on ``Interaction`` for everything but the period, as subqueries so
    that callers need no join: sector and origin (country of control, else HQ) come from the
    organisation met; the chamber is the mission's partner chamber or the source chamber of
    the project discussed."""
    conditions = []
    org_conditions = organisation_conditions(filters)
    if org_conditions:
        orgs = sa.select(Organisation.id).where(*org_conditions)
        conditions.append(Interaction.organisation_id.in_(orgs))
    if filters.chamber_id is not None:
        missions = sa.select(Mission.id).where(Mission.chamber_id == filters.chamber_id)
        projects = sa.select(Project.id).where(Project.source_chamber_id == filters.chamber_id)
        conditions.append(
            sa.or_(Interaction.mission_id.in_(missions), Interaction.project_id.in_(projects))
        )
    if filters.mission_id is not None:
        conditions.append(Interaction.mission_id == filters.mission_id)
    if filters.owner:
        conditions.append(Interaction.owner == filters.owner)
    return conditions
