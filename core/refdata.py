"""Reference data shipped in ``data/``: read, validate and upsert into the database.

The CSV files are the source of truth for sectors, countries, CCI France International
chambers, India's subdivisions and its main cities (``data/README.md`` says where each comes
from). ``load_reference_data`` inserts the rows that are missing and updates the ones that
changed, keyed by each table's natural key; it never deletes (other rows may point at them).
Every row is validated with its table model's own field rules, so a broken file fails loudly
with its name and line.
"""

from __future__ import annotations

import csv
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import Session, SQLModel, select

from core.config import DATA_DIR
from models import Chamber, City, Country, Sector, Subdivision

log = logging.getLogger(__name__)

LANGUAGES = ("fr", "en")

#: Load order (parents before children): result key, file, model, natural key.
TABLES: tuple[tuple[str, str, type[SQLModel], tuple[str, ...]], ...] = (
    ("sectors", "sectors.csv", Sector, ("code",)),
    ("countries", "countries.csv", Country, ("iso2",)),
    ("chambers", "chambers.csv", Chamber, ("name",)),
    ("subdivisions", "subdivisions.csv", Subdivision, ("code",)),
    ("cities", "cities.csv", City, ("name", "country_iso2")),
)

#: Columns that point at another reference file: column -> (result key of that file).
_REFERENCES = {"country_iso2": "countries", "subdivision_code": "subdivisions"}

_ISO_NUMERIC = re.compile(r"^[0-9]{3}$")


class RefDataError(ValueError):
    """A reference file is missing, malformed or inconsistent."""


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def read_csv_rows(name: str, data_dir: Path | None = None) -> list[dict[str, str]]:
    """The rows of ``data/<name>`` as dicts of stripped strings (header row excluded)."""
    path = (data_dir or DATA_DIR) / name
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = []
            for line, raw in enumerate(reader, start=2):
                if None in raw or None in raw.values():
                    raise RefDataError(f"{path}:{line}: wrong number of fields")
                rows.append({k.strip(): v.strip() for k, v in raw.items()})
            return rows
    except FileNotFoundError as exc:
        raise RefDataError(f"{path}: reference file not found") from exc


def _validated_rows(
    name: str, model: type[SQLModel], key: tuple[str, ...], data_dir: Path | None
) -> list[dict[str, Any]]:
    """Rows validated by the table model, reduced to its columns (the surrogate ``id`` left out).

    Empty cells become NULL. CSV columns the table does not have (``iso_numeric``) are checked
    here and not stored."""
    columns = [c for c in model.__table__.columns.keys() if c != "id"]
    path = (data_dir or DATA_DIR) / name
    out: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for line, raw in enumerate(read_csv_rows(name, data_dir), start=2):
        if "iso_numeric" in raw and not _ISO_NUMERIC.match(raw["iso_numeric"]):
            raise RefDataError(f"{path}:{line}: iso_numeric {raw['iso_numeric']!r} is not 3 digits")
        data = {c: (raw.get(c) or None) for c in columns}
        try:
            row = model.model_validate(data).model_dump(include=set(columns))
        except ValidationError as exc:
            raise RefDataError(f"{path}:{line}: {exc}") from exc
        ident = tuple(row[k] for k in key)
        if ident in seen:
            raise RefDataError(f"{path}:{line}: duplicate key {ident}")
        seen.add(ident)
        out.append(row)
    return out


def _check_references(
    name: str, rows: list[dict[str, Any]], known: dict[str, set[Any]], data_dir: Path | None
) -> None:
    path = (data_dir or DATA_DIR) / name
    for line, row in enumerate(rows, start=2):
        for column, parent in _REFERENCES.items():
            value = row.get(column)
            if value is not None and value not in known[parent]:
                raise RefDataError(f"{path}:{line}: {column} {value!r} not in {parent}")
        if name == "countries.csv" and row["region"] not in known["regions"]:
            raise RefDataError(f"{path}:{line}: region {row['region']!r} not in regions.csv")


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def _upsert(
    session: Session, model: type[SQLModel], key: tuple[str, ...], rows: list[dict[str, Any]]
) -> tuple[int, int]:
    """Insert missing rows and update changed ones in two bulk statements. Returns
    (inserted, updated)."""
    table = model.__table__
    pk = list(table.primary_key.columns.keys())
    existing = {
        tuple(m[k] for k in key): m for m in session.execute(sa.select(table)).mappings().all()
    }
    inserts, updates = [], []
    for row in rows:
        current = existing.get(tuple(row[k] for k in key))
        if current is None:
            inserts.append(row)
        elif any(current[c] != v for c, v in row.items()):
            updates.append({**row, **{p: current[p] for p in pk}})
    if inserts:
        session.execute(sa.insert(model), inserts)
    if updates:
        session.execute(sa.update(model), updates)
    return len(inserts), len(updates)


def load_reference_data(session: Session, data_dir: Path | None = None) -> dict[str, int]:
    """Upsert every reference file into the database; idempotent. Flushes, does not commit.

    Returns the number of rows of each file (``sectors``, ``countries``, ``chambers``,
    ``subdivisions``, ``cities``). ``data_dir`` defaults to the repository's ``data/``."""
    known: dict[str, set[Any]] = {
        "regions": {r["code"] for r in read_csv_rows("regions.csv", data_dir)}
    }
    parsed = {}
    for result_key, name, model, key in TABLES:  # validate everything before writing anything
        rows = _validated_rows(name, model, key, data_dir)
        _check_references(name, rows, known, data_dir)
        known[result_key] = {row[key[0]] for row in rows}
        parsed[result_key] = rows
    counts: dict[str, int] = {}
    for result_key, _name, model, key in TABLES:
        inserted, updated = _upsert(session, model, key, parsed[result_key])
        log.info("%s: %d inserted, %d updated", result_key, inserted, updated)
        counts[result_key] = len(parsed[result_key])
    session.flush()
    return counts


def has_reference_data(session: Session) -> bool:
    """True when sectors and countries are loaded."""
    return all(
        session.exec(select(sa.literal(1)).select_from(model).limit(1)).first() is not None
        for model in (Sector, Country)
    )


# ---------------------------------------------------------------------------------------------
# Small cached readers for labels and colours (straight from the files, no database).
# The returned dicts are shared by every caller: copy before changing one.
# ---------------------------------------------------------------------------------------------


def _check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    return lang


@lru_cache
def get_region_labels(lang: str) -> dict[str, str]:
    """Region code -> label in ``lang`` ('fr' or 'en'), in display order."""
    _check_lang(lang)
    rows = sorted(read_csv_rows("regions.csv"), key=lambda r: int(r["sort_order"]))
    return {r["code"]: r[f"label_{lang}"] for r in rows}


def _sector_rows() -> list[dict[str, str]]:
    return sorted(read_csv_rows("sectors.csv"), key=lambda r: int(r["sort_order"]))


@lru_cache
def get_sector_labels(lang: str) -> dict[str, str]:
    """Sector code -> label in ``lang`` ('fr' or 'en'), in display order."""
    _check_lang(lang)
    return {r["code"]: r[f"label_{lang}"] for r in _sector_rows()}


@lru_cache
def get_sector_colours() -> dict[str, str]:
    """Sector code -> hex colour, in display order."""
    return {r["code"]: r["colour"] for r in _sector_rows()}


@lru_cache
def get_iso_numeric_codes() -> dict[str, str]:
    """ISO alpha-2 -> ISO numeric code ('356' for IN): the ids of ``data/world_110m.json``."""
    return {r["iso2"]: r["iso_numeric"] for r in read_csv_rows("countries.csv")}
