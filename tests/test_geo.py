"""World map figures against the hand-built data set of ``tests/fixtures_geo.py``, and the
shapes' conversion from TopoJSON.

Expected values are worked out by hand from the tables in the fixture's docstring (period:
the calendar year 2025).
"""

from __future__ import annotations

from datetime import date

import pytest

from core.filters import DashboardFilters
from core.geo import (
    count_unknown_origin,
    get_iso2_by_numeric,
    get_origin_figures,
    list_chamber_points,
    load_world_geojson,
    topojson_to_geojson,
)
from core.periods import Period, year_period
from tests.fixtures_geo import build_geo_fixture

Y2025 = year_period(2025)


def figures(session, metric: str, lang: str = "en", **narrow) -> list[tuple[str, int]]:
    filters = DashboardFilters(period=narrow.pop("period", Y2025), **narrow)
    frame = get_origin_figures(session, filters, metric, lang=lang)
    return list(zip(frame["iso2"], frame["value"], strict=True))


@pytest.fixture
def geo(session):
    return build_geo_fixture(session)


# ---------------------------------------------------------------------------------------------
# Figures by country of origin
# ---------------------------------------------------------------------------------------------


def test_leads_by_origin(session, geo):
    # G1 (first day) IN; G3, G9 AE; G4, G5 (control US), G11 US; G6 FR. G2 (day before),
    # G8 (never a lead) and G10 (2023) are out; G7 has no origin.
    assert figures(session, "leads") == [("US", 3), ("AE", 2), ("FR", 1), ("IN", 1)]
    assert count_unknown_origin(session, DashboardFilters(period=Y2025), "leads") == 1


def test_projects_won_and_jobs_by_origin(session, geo):
    # IN: G1 (last day), G2, G10 (landed since: still won) = 100 + 40 + 50 jobs;
    # US: G5, G11 = 60 + 15; FR: G6 = 10. G3 (day after) and G9 (lost) are out.
    assert figures(session, "projects_won") == [("IN", 3), ("US", 2), ("FR", 1)]
    assert figures(session, "jobs_announced") == [("IN", 190), ("US", 75), ("FR", 10)]
    all_2025 = DashboardFilters(period=Y2025)
    assert count_unknown_origin(session, all_2025, "projects_won") == 1  # G7
    assert count_unknown_origin(session, all_2025, "jobs_announced") == 5


def test_meetings_by_organisation_origin(session, geo):
    # A (IN) 01-01, 08-08, 09-09; F (control US) 03-03 and B (HQ US) 12-31; C (AE) 07-07.
    # Unknown: the meeting without organisation and E's. 2024-12-31 and 2026-01-01 are out.
    assert figures(session, "meetings") == [("IN", 3), ("US", 2), ("AE", 1)]
    assert count_unknown_origin(session, DashboardFilters(period=Y2025), "meetings") == 2


def test_frame_columns_names_and_centroids(session, geo):
    filters = DashboardFilters(period=Y2025)
    frame = get_origin_figures(session, filters, "projects_won", lang="fr")
    assert list(frame.columns) == ["iso2", "iso3", "iso_numeric", "name", "lat", "lon", "value"]
    first = frame.iloc[0].to_dict()
    assert first == {
        "iso2": "IN",
        "iso3": "IND",
        "iso_numeric": "356",
        "name": "Inde",
        "lat": 20.0,
        "lon": 77.0,
        "value": 3,
    }
    assert list(frame["name"]) == ["Inde", "États-Unis", "France"]
    english = get_origin_figures(session, filters, "projects_won", lang="en")
    assert list(english["name"]) == ["India", "United States", "France"]


def test_boundary_days_of_a_period(session, geo):
    inner = Period(date(2025, 1, 2), date(2025, 12, 30))
    # G1's lead on 01-01 and its win on 12-31 both fall out.
    assert figures(session, "leads", period=inner) == [("US", 3), ("AE", 2), ("FR", 1)]
    assert figures(session, "jobs_announced", period=inner) == [
        ("IN", 90),
        ("US", 75),
        ("FR", 10),
    ]
    # The day after 2025 holds G3's win only.
    day_after = Period(date(2026, 1, 1), date(2026, 1, 1))
    assert figures(session, "projects_won", period=day_after) == [("AE", 1)]


def test_shared_filters_narrow_every_figure(session, geo):
    digital = {"sectors": ("digital",)}
    assert figures(session, "leads", **digital) == [("US", 2), ("FR", 1), ("IN", 1)]
    assert figures(session, "jobs_announced", **digital) == [("IN", 150), ("US", 15), ("FR", 10)]
    assert figures(session, "meetings", **digital) == [("IN", 3), ("US", 1)]
    assert figures(session, "leads", countries=("US",)) == [("US", 3)]
    assert figures(session, "meetings", countries=("US",)) == [("US", 2)]
    assert figures(session, "projects_won", regions=("south_asia",)) == [("IN", 3)]
    only_us = DashboardFilters(period=Y2025, countries=("US",))
    assert count_unknown_origin(session, only_us, "leads") == 0
    assert figures(session, "leads", chamber_id=geo["CAE"]) == [("AE", 2)]
    # No meeting is tied to a mission of that chamber or a project it sourced.
    assert figures(session, "meetings", chamber_id=geo["CAE"]) == []


def test_empty_period_and_empty_database(session, geo):
    empty = DashboardFilters(period=year_period(2030))
    for metric in ("leads", "projects_won", "jobs_announced", "meetings"):
        frame = get_origin_figures(session, empty, metric, lang="fr")
        assert frame.empty
        assert list(frame.columns) == ["iso2", "iso3", "iso_numeric", "name", "lat", "lon", "value"]
        assert count_unknown_origin(session, empty, metric) == 0
    assert list_chamber_points(session, empty).empty


def test_unknown_metric_is_refused(session):
    with pytest.raises(ValueError, match="unknown map metric"):
        get_origin_figures(session, DashboardFilters(period=Y2025), "capex", lang="fr")


# ---------------------------------------------------------------------------------------------
# The chamber network
# ---------------------------------------------------------------------------------------------


def test_chamber_points(session, geo):
    frame = list_chamber_points(session, DashboardFilters(period=Y2025))
    rows = frame[["chamber_id", "country_iso2", "lat", "lon", "leads"]].to_dict("records")
    assert rows == [
        # Dubai and New York are not in the City table: the country's centroid.
        {"chamber_id": geo["CAE"], "country_iso2": "AE", "lat": 24.0, "lon": 54.0, "leads": 2},
        {"chamber_id": geo["CUS"], "country_iso2": "US", "lat": 38.0, "lon": -97.0, "leads": 2},
        # Mumbai is: the city's coordinates (data/cities.csv).
        {
            "chamber_id": geo["IFCCI"],
            "country_iso2": "IN",
            "lat": 19.0728,
            "lon": 72.8826,
            "leads": 1,
        },
    ]
    assert list(frame["city"]) == ["Dubai", "New York", "Mumbai"]


def test_chamber_points_with_filters(session, geo):
    digital = list_chamber_points(session, DashboardFilters(period=Y2025, sectors=("digital",)))
    assert list(zip(digital["chamber_id"], digital["leads"], strict=True)) == [
        (geo["CUS"], 1),  # G4 ("French-American..." before "Indo-French..." at a tie)
        (geo["IFCCI"], 1),  # G1
    ]
    one = list_chamber_points(session, DashboardFilters(period=Y2025, chamber_id=geo["CAE"]))
    assert list(one["chamber_id"]) == [geo["CAE"]]


# ---------------------------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------------------------


def test_topojson_conversion_of_a_hand_made_topology():
    # A unit square made of two arcs, the second one used reversed (~1 = -2), quantized with
    # a scale of 0.5 and a translation of (10, 20).
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[0, 0], [0, 2], [2, 0]]],
        "objects": {
            "shapes": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, -2]], "id": "001", "properties": {"a": 1}},
                    {"type": "Point", "coordinates": [0, 0]},
                ],
            }
        },
    }
    collection = topojson_to_geojson(topology, "shapes")
    assert collection == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "001",
                "properties": {"a": 1},
                "geometry": {
                    "type": "Polygon",
                    # arc 0: (10,20) (11,20) (11,21); arc 1 reversed: (11,21) (10,21) (10,20)
                    "coordinates": [[[10, 20], [11, 20], [11, 21], [10, 21], [10, 20]]],
                },
            }
        ],
    }


def _bbox(feature: dict) -> tuple[float, float, float, float]:
    geometry = feature["geometry"]
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    points = [p for polygon in polygons for ring in polygon for p in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def test_world_shapes():
    world = load_world_geojson()
    features = world["features"]
    # world-atlas 110m holds 177 countries; Antarctica (010) is left off.
    assert len(features) == 176
    by_id = {f["id"]: f for f in features if f["id"]}
    assert "010" not in by_id
    assert by_id["250"]["properties"]["name"] == "France"
    assert by_id["356"]["properties"]["name"] == "India"
    assert by_id["784"]["properties"]["name"] == "United Arab Emirates"
    # France's shapes include French Guiana (South America) and Corsica.
    assert by_id["250"]["geometry"]["type"] == "MultiPolygon"
    west, south, east, north = _bbox(by_id["356"])
    assert 68 < west < 69 and 6 < south < 9 and 97 < east < 98 and 35 < north < 36
    west, south, east, north = _bbox(by_id["784"])
    assert 51 < west < 53 and 22 < south < 23 and 56 < east < 57 and 25 < north < 27
    # Every ring is closed, and none jumps across the antimeridian.
    for feature in features:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        for ring in (ring for polygon in polygons for ring in polygon):
            assert ring[0] == ring[-1]
            assert all(abs(b[0] - a[0]) <= 180 for a, b in zip(ring, ring[1:], strict=False))


def test_shape_ids_match_the_country_table(session):
    iso2 = get_iso2_by_numeric(session)
    assert (iso2["250"], iso2["356"], iso2["784"]) == ("FR", "IN", "AE")
    ids = {f["id"] for f in load_world_geojson()["features"] if f["id"]}
    assert ids <= set(iso2)  # every shape with an id has its country
