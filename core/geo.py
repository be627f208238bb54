"""The world map's figures and shapes: per-country aggregates in SQL, country shapes offline.

Origin of a figure:
- leads, projects won and jobs announced count projects by ``Project.origin_country_iso2``
  (copied from the organisation's country of control, else its HQ, when the project was
  created, so it stays stable if the organisation is edited later);
- meetings count interactions by the organisation met's country of control, else its HQ
  country (the same rule as the shared country filter of ``core.filters``).
Records without a known origin are not on the map; ``count_unknown_origin`` says how many.

Shapes: ``data/world_110m.json`` (Natural Earth 1:110m through world-atlas, TopoJSON, feature
ids = ISO 3166-1 numeric codes) converted once to GeoJSON in Python by ``load_world_geojson``,
so that no map library has to fetch shapes from a CDN.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from core import measures
from core.config import DATA_DIR
from core.filters import DashboardFilters, interaction_conditions, project_conditions
from core.kpis import query_frame
from models import Chamber, City, Country, Interaction, Organisation, Project

WORLD_TOPOJSON = DATA_DIR / "world_110m.json"
#: The selectable figures of the map, in display order.
MAP_METRICS = ("leads", "projects_won", "jobs_announced", "meetings")
#: Decimal places kept in the converted shapes (about 100 m: far below the 110m scale).
COORDINATE_DIGITS = 3


# ---------------------------------------------------------------------------------------------
# TopoJSON -> GeoJSON
# ---------------------------------------------------------------------------------------------


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Absolute coordinates of every arc (quantized, delta-encoded arcs when transformed)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append(
                (round(x * sx + tx, COORDINATE_DIGITS), round(y * sy + ty, COORDINATE_DIGITS))
            )
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    """A closed ring from arc indexes; a negative index ``~i`` is arc ``i`` reversed. Arcs
    share their end points, so each arc after the first drops its first point."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return _unwrap([list(p) for p in points])


def _unwrap(ring: list[list[float]]) -> list[list[float]]:
    """Longitudes made continuous: a ring crossing the antimeridian (Russia's far east, Fiji)
    continues past 180 degrees instead of jumping across the map, which flat renderers would
    draw as a band around the world."""
    shift = 0.0
    for i in range(1, len(ring)):
        step = ring[i][0] + shift - ring[i - 1][0]
        if step > 180:
            shift -= 360
        elif step < -180:
            shift += 360
        ring[i][0] = round(ring[i][0] + shift, COORDINATE_DIGITS)
    return ring


def _geometry(geometry: dict[str, Any], arcs: list[list[tuple[float, float]]]) -> dict[str, Any]:
    kind = geometry["type"]
    if kind == "Polygon":
        return {"type": kind, "coordinates": [_ring(r, arcs) for r in geometry["arcs"]]}
    if kind == "MultiPolygon":
        polygons = [[_ring(r, arcs) for r in polygon] for polygon in geometry["arcs"]]
        return {"type": kind, "coordinates": polygons}
    raise ValueError(f"unsupported TopoJSON geometry {kind!r}")


def topojson_to_geojson(topology: dict[str, Any], object_name: str) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of one object of a TopoJSON topology (polygons only).

    Each feature keeps the topology's ``id`` (as a string, or None) and ``properties``."""
    arcs = _decode_arcs(topology)
    features = []
    for geometry in topology["objects"][object_name]["geometries"]:
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        identifier = geometry.get("id")
        features.append(
            {
                "type": "Feature",
                "id": str(identifier) if identifier is not None else None,
                "properties": dict(geometry.get("properties") or {}),
                "geometry": _geometry(geometry, arcs),
            }
        )
    return {"type": "FeatureCollection", "features": features}


#: Shapes left off the map: Antarctica (ISO 010) holds no investor, and its polar ring would
#: smear along the bottom of a flat map.
LEFT_OFF = frozenset({"010"})


@lru_cache(maxsize=2)
def _world_geojson_text(path: Path) -> str:
    topology = json.loads(path.read_text(encoding="utf-8"))
    collection = topojson_to_geojson(topology, "countries")
    collection["features"] = [f for f in collection["features"] if f["id"] not in LEFT_OFF]
    return json.dumps(collection, separators=(",", ":"))


def load_world_geojson(path: Path = WORLD_TOPOJSON) -> dict[str, Any]:
    """The world's countries but Antarctica as GeoJSON (a fresh copy each call: callers may
    add properties). Feature ids are ISO numeric codes; a few disputed areas have none."""
    return json.loads(_world_geojson_text(path))


# ---------------------------------------------------------------------------------------------
# Figures by country of origin
# ---------------------------------------------------------------------------------------------


def _in_period(column: Any, filters: DashboardFilters) -> Any:
    return column.between(filters.period.start, filters.period.end)


def _metric_source(metric: str, filters: DashboardFilters) -> tuple[Any, Any, list[Any]]:
    """(origin column, aggregated value, WHERE conditions) of one map figure."""
    if metric == "meetings":
        origin = sa.func.coalesce(Organisation.control_country_iso2, Organisation.hq_country_iso2)
        where = [measures.met_in(filters.period), *interaction_conditions(filters)]
        return origin, sa.func.count(Interaction.id), where
    where = project_conditions(filters)
    if metric == "leads":
        return (
            Project.origin_country_iso2,
            sa.func.count(Project.id),
            [measures.lead_in(filters.period), *where],
        )
    won = [measures.won_in(filters.period), *where]
    if metric == "projects_won":
        return Project.origin_country_iso2, sa.func.count(Project.id), won
    if metric == "jobs_announced":
        return Project.origin_country_iso2, sa.func.sum(Project.jobs_announced), won
    raise ValueError(f"unknown map metric {metric!r}: expected one of {', '.join(MAP_METRICS)}")


def _grouped(metric: str, filters: DashboardFilters) -> Any:
    """Subquery: iso2, value of ``metric`` per origin (NULL origin included)."""
    origin, value, where = _metric_source(metric, filters)
    query = sa.select(origin.label("iso2"), value.label("value"))
    if metric == "meetings":
        query = query.select_from(Interaction).outerjoin(
            Organisation, Organisation.id == Interaction.organisation_id
        )
    return query.where(*where).group_by(origin).subquery("by_origin")


def get_origin_figures(
    session: Session, filters: DashboardFilters, metric: str, *, lang: str
) -> pd.DataFrame:
    """One row per country of origin with a non-zero ``metric`` (one of ``MAP_METRICS``) in
    the filters' period: iso2, iso3, iso_numeric, name (in ``lang``), lat, lon (the country's
    centroid), value. Largest value first, then name. Origins not in the Country table or
    unknown are left out (see ``count_unknown_origin``)."""
    by_origin = _grouped(metric, filters)
    name = Country.name_fr if lang == "fr" else Country.name_en
    query = (
        sa.select(
            Country.iso2,
            Country.iso3,
            Country.iso_numeric,
            name.label("name"),
            Country.lat,
            Country.lon,
            by_origin.c.value,
        )
        .join(by_origin, by_origin.c.iso2 == Country.iso2)
        .where(by_origin.c.value > 0)
        .order_by(by_origin.c.value.desc(), name, Country.iso2)
    )
    frame = query_frame(session, query)
    columns = ["iso2", "iso3", "iso_numeric", "name", "lat", "lon", "value"]
    if frame.empty:
        return pd.DataFrame(columns=columns).astype({"value": "int64"})
    return frame.astype({"value": "int64", "lat": "float64", "lon": "float64"})


def count_unknown_origin(session: Session, filters: DashboardFilters, metric: str) -> int:
    """The part of ``metric`` in the period whose origin is not recorded (not on the map)."""
    by_origin = _grouped(metric, filters)
    value = session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(by_origin.c.value), 0)).where(
            by_origin.c.iso2.is_(None)
        )
    ).scalar_one()
    return int(value)


# ---------------------------------------------------------------------------------------------
# The chamber network
# ---------------------------------------------------------------------------------------------


def list_chamber_points(session: Session, filters: DashboardFilters) -> pd.DataFrame:
    """One row per CCI France International chamber that sourced at least one lead in the
    period (projects with ``source_chamber_id`` = the chamber and ``lead_on`` in the period,
    narrowed by the shared filters): chamber_id, name, country_iso2, city, lat, lon, leads.
    Chambers have no coordinates of their own: a chamber sits on its city when the City table
    knows it (same name and country), else on its country's centroid. Most leads first."""
    leads = (
        sa.select(Project.source_chamber_id.label("chamber_id"), sa.func.count().label("leads"))
        .where(
            Project.source_chamber_id.is_not(None),
            _in_period(Project.lead_on, filters),
            *project_conditions(filters),
        )
        .group_by(Project.source_chamber_id)
        .subquery("chamber_leads")
    )
    query = (
        sa.select(
            Chamber.id.label("chamber_id"),
            Chamber.name,
            Chamber.country_iso2,
            Chamber.city,
            sa.func.coalesce(City.lat, Country.lat).label("lat"),
            sa.func.coalesce(City.lon, Country.lon).label("lon"),
            leads.c.leads,
        )
        .join(leads, leads.c.chamber_id == Chamber.id)
        .join(Country, Country.iso2 == Chamber.country_iso2)
        .outerjoin(
            City, sa.and_(City.name == Chamber.city, City.country_iso2 == Chamber.country_iso2)
        )
        .order_by(leads.c.leads.desc(), Chamber.name)
    )
    frame = query_frame(session, query)
    columns = ["chamber_id", "name", "country_iso2", "city", "lat", "lon", "leads"]
    if frame.empty:
        return pd.DataFrame(columns=columns).astype({"leads": "int64"})
    return frame.astype({"leads": "int64", "lat": "float64", "lon": "float64"})


def get_iso2_by_numeric(session: Session) -> dict[str, str]:
    """ISO numeric code (the shapes' ids) -> ISO alpha-2 code."""
    rows = session.execute(sa.select(Country.iso_numeric, Country.iso2)).all()
    return {str(numeric): iso2 for numeric, iso2 in rows}
