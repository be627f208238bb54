"""The whole database out, as a zip of CSV files (one per table, as French Excel opens them) or
as one Excel workbook (one sheet per table). Tables are read in chunks: memory stays small."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlmodel import SQLModel

import models  # noqa: F401 - registers every table on SQLModel.metadata

CHUNK = 10_000


def table_names() -> list[str]:
    """Every table of the schema, parents before children (the order a restore needs)."""
    return [table.name for table in SQLModel.metadata.sorted_tables]


def _rows(engine: sa.Engine, name: str) -> Iterator[tuple[list[str], list[tuple]]]:
    """(columns, a chunk of rows) of one table, in primary-key order."""
    table = SQLModel.metadata.tables[name]
    query = sa.select(table).order_by(*table.primary_key.columns)
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True).execute(query)
        columns = list(result.keys())
        while chunk := result.fetchmany(CHUNK):
            yield columns, [tuple(row) for row in chunk]


def _cell(value: object) -> object:
    """Enums as their values; times in UTC without a zone (Excel has no time zones); the audit
    trail's before/after values as JSON text."""
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _sheet_cell(sheet: Any, value: object) -> object:
    """A text starting with "=" is stored as text, never as a formula (openpyxl's default)."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def export_csv_zip(engine: sa.Engine, path: Path) -> dict[str, int]:
    """Write ``path`` (a .zip of ``<table>.csv`` files, UTF-8 with BOM, ";"); rows per table."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in table_names():
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
            table = SQLModel.metadata.tables[name]
            writer.writerow([column.name for column in table.columns])
            counts[name] = 0
            for _columns, rows in _rows(engine, name):
                writer.writerows([[_cell(v) for v in row] for row in rows])
                counts[name] += len(rows)
            archive.writestr(f"{name}.csv", "\ufeff" + buffer.getvalue())
    return counts


def export_workbook(engine: sa.Engine, path: Path) -> dict[str, int]:
    """Write ``path`` (an .xlsx workbook, one sheet per table, header first); rows per table."""
    workbook = Workbook(write_only=True)
    counts: dict[str, int] = {}
    for name in table_names():
        sheet = workbook.create_sheet(title=name[:31])
        table = SQLModel.metadata.tables[name]
        sheet.append([column.name for column in table.columns])
        counts[name] = 0
        for _columns, rows in _rows(engine, name):
            for row in rows:
                sheet.append([_sheet_cell(sheet, _cell(v)) for v in row])
            counts[name] += len(rows)
    workbook.save(path)
    return counts
