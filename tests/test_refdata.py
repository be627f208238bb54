"""Reference data: contents of data/ as loaded in the database, idempotent reload, updates,
and loud failures on broken files. Expected values are written by hand (ISO 3166, CLDR)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from core.config import DATA_DIR
from core.refdata import (
    RefDataError,
    get_iso_numeric_codes,
    get_region_labels,
    get_sector_colours,
    get_sector_labels,
    has_reference_data,
    load_reference_data,
    read_csv_rows,
)
from models import Chamber, City, Country, Sector, Subdivision
from tests.writers import writer

EXPECTED_COUNTS = {
    "sectors": 7,
    "countries": 249,
    "chambers": 60,
    "subdivisions": 36,
    "cities": 94,
}


def _count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for path in DATA_DIR.glob("*.csv"):
        shutil.copyfile(path, data / path.name)
    return data


def _edit_csv(path: Path, key: str, value: str, column: str, new: str) -> int:
    """Set ``column`` to ``new`` on the row whose ``key`` is ``value``; return its line."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    line = next(i for i, r in enumerate(rows, start=2) if r[key] == value)
    rows[line - 2][column] = new
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return line


# --- Countries and regions --------------------------------------------------------------------


def test_every_country_has_names_centroid_and_region(session):
    countries = session.exec(select(Country)).all()
    assert len(countries) == 249
    regions = set(get_region_labels("en"))
    for c in countries:
        assert c.name_fr.strip() and c.name_en.strip(), c.iso2
        assert -90 <= c.lat <= 90 and -180 <= c.lon <= 180, c.iso2
        assert c.region in regions, c.iso2
    assert {c.region for c in countries} == regions  # no region is left empty


def test_iso_codes_unique_and_well_formed(session):
    rows = session.exec(select(Country.iso2, Country.iso3)).all()
    assert all(re.fullmatch(r"[A-Z]{2}", iso2) for iso2, _ in rows)
    assert all(re.fullmatch(r"[A-Z]{3}", iso3) for _, iso3 in rows)
    assert len({iso3 for _, iso3 in rows}) == len(rows)
    numeric = get_iso_numeric_codes()
    assert set(numeric) == {iso2 for iso2, _ in rows}
    assert all(re.fullmatch(r"[0-9]{3}", n) for n in numeric.values())
    assert len(set(numeric.values())) == 249


@pytest.mark.parametrize(
    ("iso2", "iso3", "numeric", "name_fr", "name_en", "region"),
    [
        ("IN", "IND", "356", "Inde", "India", "south_asia"),
        ("FR", "FRA", "250", "France", "France", "europe"),
        (
            "AE",
            "ARE",
            "784",
            "Émirats arabes unis",
            "United Arab Emirates",
            "middle_east_north_africa",
        ),
        ("SA", "SAU", "682", "Arabie saoudite", "Saudi Arabia", "middle_east_north_africa"),
        ("CN", "CHN", "156", "Chine", "China", "east_asia"),
        ("US", "USA", "840", "États-Unis", "United States", "north_america"),
        ("DE", "DEU", "276", "Allemagne", "Germany", "europe"),
        ("BR", "BRA", "076", "Brésil", "Brazil", "latin_america"),
        ("VN", "VNM", "704", "Viêt Nam", "Vietnam", "southeast_asia"),
        ("KZ", "KAZ", "398", "Kazakhstan", "Kazakhstan", "central_asia"),
        ("SN", "SEN", "686", "Sénégal", "Senegal", "sub_saharan_africa"),
        ("AU", "AUS", "036", "Australie", "Australia", "oceania"),
    ],
)
def test_known_countries(session, iso2, iso3, numeric, name_fr, name_en, region):
    country = session.get(Country, iso2)
    assert (country.iso3, country.name_fr, country.name_en, country.region) == (
        iso3,
        name_fr,
        name_en,
        region,
    )
    assert get_iso_numeric_codes()[iso2] == numeric


@pytest.mark.parametrize(
    ("iso2", "lat_range", "lon_range"),
    [
        ("IN", (8, 35), (68, 97)),
        ("FR", (42, 51), (-5, 8)),
        ("AE", (22.5, 26), (51.5, 56.5)),
        ("US", (25, 49), (-125, -67)),
        ("CN", (20, 50), (75, 130)),
    ],
)
def test_centroids_fall_inside_the_country(session, iso2, lat_range, lon_range):
    country = session.get(Country, iso2)
    assert lat_range[0] <= country.lat <= lat_range[1]
    assert lon_range[0] <= country.lon <= lon_range[1]


def test_region_labels():
    fr, en = get_region_labels("fr"), get_region_labels("en")
    assert list(fr)[:3] == ["europe", "north_america", "latin_america"]
    assert len(fr) == len(en) == 11
    assert fr["south_asia"] == "Asie du Sud"
    assert en["middle_east_north_africa"] == "Middle East and North Africa"
    with pytest.raises(ValueError):
        get_region_labels("de")


# --- Sectors ----------------------------------------------------------------------------------


def test_six_strategic_sectors_and_other(session):
    sectors = session.exec(select(Sector).order_by(Sector.sort_order)).all()
    assert [s.code for s in sectors] == [
        "digital",
        "health",
        "energy",
        "work_hr",
        "tourism",
        "port_airport",
        "other",
    ]
    assert [s.strategic for s in sectors] == [True] * 6 + [False]
    assert len({s.colour.lower() for s in sectors}) == 7
    colours = get_sector_colours()
    assert colours == {s.code: s.colour for s in sectors}
    assert colours["digital"] == "#0072B2"
    assert get_sector_labels("fr")["energy"] == "Énergie verte et nucléaire"
    assert get_sector_labels("en")["port_airport"] == "Port and airport infrastructure"


# --- Chambers ---------------------------------------------------------------------------------


def test_chambers(session):
    assert _count(session, Chamber) == 60
    orphans = session.exec(
        select(func.count())
        .select_from(Chamber)
        .outerjoin(Country, Country.iso2 == Chamber.country_iso2)
        .where(Country.iso2.is_(None))
    ).one()
    assert orphans == 0
    countries = set(session.exec(select(Chamber.country_iso2)).all())
    assert {"IN", "AE", "SA", "CN", "DE", "GB", "US", "JP", "SG"} <= countries
    india = session.exec(select(Chamber).where(Chamber.country_iso2 == "IN")).one()
    assert india.name == "Indo-French Chamber of Commerce and Industry"
    assert india.city == "Mumbai"
    for chamber in session.exec(select(Chamber)).all():
        assert chamber.source.strip(), chamber.name
        if not chamber.verified:
            assert "to verify" in chamber.source, chamber.name


# --- India: subdivisions and cities -----------------------------------------------------------


def test_india_subdivisions(session):
    subs = session.exec(select(Subdivision).where(Subdivision.country_iso2 == "IN")).all()
    assert len(subs) == 36
    kinds = [s.kind for s in subs]
    assert (kinds.count("state"), kinds.count("union_territory")) == (28, 8)
    assert all(s.lat is not None and 6 <= s.lat <= 36 for s in subs)
    assert all(s.lon is not None and 68 <= s.lon <= 98 for s in subs)
    assert session.get(Subdivision, "IN-MH").name == "Mahārāshtra"
    assert session.get(Subdivision, "IN-TS").kind == "state"
    assert session.get(Subdivision, "IN-LA").kind == "union_territory"


def test_cities_belong_to_indian_subdivisions(session):
    rows = session.exec(
        select(City.name, City.country_iso2, Subdivision.country_iso2, City.population).outerjoin(
            Subdivision, Subdivision.code == City.subdivision_code
        )
    ).all()
    assert len(rows) == 94
    for name, country, sub_country, population in rows:
        assert country == "IN" and sub_country == "IN", name
        assert population >= 500_000, name
    where = dict(session.exec(select(City.name, City.subdivision_code)).all())
    assert where["Mumbai"] == "IN-MH"
    assert where["Delhi"] == "IN-DL"
    assert where["Bengaluru"] == "IN-KA"
    assert where["Hyderabad"] == "IN-TS"
    assert where["Chennai"] == "IN-TN"
    assert where["Kolkata"] == "IN-WB"
    assert where["Ahmedabad"] == "IN-GJ"
    assert where["Pune"] == "IN-MH"


# --- Loading ----------------------------------------------------------------------------------


def test_has_reference_data(engine):
    with writer(engine) as s:
        assert has_reference_data(s) is False
        assert load_reference_data(s) == EXPECTED_COUNTS
        assert has_reference_data(s) is True


def test_loading_twice_is_idempotent(session):
    ids = dict(session.exec(select(Chamber.name, Chamber.id)).all())
    assert load_reference_data(session) == EXPECTED_COUNTS
    session.commit()
    assert load_reference_data(session) == EXPECTED_COUNTS
    counts = {
        "sectors": _count(session, Sector),
        "countries": _count(session, Country),
        "chambers": _count(session, Chamber),
        "subdivisions": _count(session, Subdivision),
        "cities": _count(session, City),
    }
    assert counts == EXPECTED_COUNTS
    assert dict(session.exec(select(Chamber.name, Chamber.id)).all()) == ids


def test_changed_values_are_updated_and_new_rows_inserted(session, tmp_path):
    data = _copy_data(tmp_path)
    _edit_csv(data / "countries.csv", "iso2", "IN", "name_fr", "Inde (test)")
    _edit_csv(data / "chambers.csv", "country_iso2", "IN", "city", "Delhi")
    _edit_csv(data / "cities.csv", "name", "Mumbai", "population", "12345678")
    _edit_csv(data / "sectors.csv", "code", "digital", "colour", "#123456")
    with (data / "chambers.csv").open("a", encoding="utf-8") as fh:
        fh.write("CCI France Test,FR,Marseille,,test row; to verify,false\n")

    counts = load_reference_data(session, data_dir=data)
    assert counts == {**EXPECTED_COUNTS, "chambers": 61}
    session.commit()
    session.expire_all()
    assert session.get(Country, "IN").name_fr == "Inde (test)"
    assert session.get(Country, "FR").name_fr == "France"
    chamber = session.exec(select(Chamber).where(Chamber.country_iso2 == "IN")).one()
    assert chamber.city == "Delhi"
    mumbai = session.exec(select(City).where(City.name == "Mumbai")).one()
    assert mumbai.population == 12_345_678
    assert session.get(Sector, "digital").colour == "#123456"
    assert _count(session, Chamber) == 61
    assert _count(session, City) == 94

    load_reference_data(session)  # the shipped files put the values back
    session.commit()
    session.expire_all()
    assert session.get(Country, "IN").name_fr == "Inde"
    assert session.get(Sector, "digital").colour == "#0072B2"
    assert _count(session, Chamber) == 61  # never deletes


@pytest.mark.parametrize(
    ("file", "key", "value", "column", "new", "message"),
    [
        ("countries.csv", "iso2", "IN", "lat", "123", "less than or equal to 90"),
        ("countries.csv", "iso2", "IN", "iso3", "ind", "should match pattern"),
        ("countries.csv", "iso2", "IN", "region", "mars", "not in regions.csv"),
        ("countries.csv", "iso2", "IN", "iso_numeric", "35", "not 3 digits"),
        ("sectors.csv", "code", "digital", "colour", "#12345G", "should match pattern"),
        ("chambers.csv", "country_iso2", "IN", "country_iso2", "XX", "not in countries"),
        ("cities.csv", "name", "Mumbai", "subdivision_code", "IN-ZZ", "not in subdivisions"),
        ("cities.csv", "name", "Delhi", "name", "Mumbai", "duplicate key"),
    ],
)
def test_broken_file_fails_with_file_and_line(
    engine, tmp_path, file, key, value, column, new, message
):
    data = _copy_data(tmp_path)
    line = _edit_csv(data / file, key, value, column, new)
    with writer(engine) as s:
        with pytest.raises(RefDataError, match=re.escape(f"{file}:{line}:")) as info:
            load_reference_data(s, data_dir=data)
        assert message in str(info.value)
        assert _count(s, Country) == 0  # validated before anything is written


def test_missing_file_fails(engine, tmp_path):
    data = _copy_data(tmp_path)
    (data / "cities.csv").unlink()
    with writer(engine) as s, pytest.raises(RefDataError, match="cities.csv: reference file"):
        load_reference_data(s, data_dir=data)


def test_read_csv_rows_strips_and_rejects_ragged_rows(tmp_path):
    (tmp_path / "a.csv").write_text("code, label\n x ,  y \n", encoding="utf-8")
    assert read_csv_rows("a.csv", tmp_path) == [{"code": "x", "label": "y"}]
    (tmp_path / "b.csv").write_text("code,label\nx,y,z\n", encoding="utf-8")
    with pytest.raises(RefDataError, match="b.csv:2: wrong number of fields"):
        read_csv_rows("b.csv", tmp_path)


# --- Country shapes ---------------------------------------------------------------------------


def test_world_shapes_are_small_topojson_keyed_by_iso_numeric():
    path = DATA_DIR / "world_110m.json"
    assert path.stat().st_size < 1_000_000
    topo = json.loads(path.read_text(encoding="utf-8"))
    assert topo["type"] == "Topology"
    geometries = topo["objects"]["countries"]["geometries"]
    ids = {g["id"] for g in geometries if "id" in g}
    assert {"356", "250", "784", "682", "156"} <= ids
    assert ids <= set(get_iso_numeric_codes().values())
