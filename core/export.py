"""Files out: tables as CSV and Excel, as spreadsheet programs in France open them.

Text is written as typed, and never runs as a formula in the spreadsheet that opens the file
(formula injection, OWASP "CSV injection"): in a workbook, a text starting with "=" is stored as
text (openpyxl would otherwise store it as a formula, shown as typed); in a CSV file, which has
no types, a text that a spreadsheet would read as a formula gets a leading apostrophe (the
spreadsheet's own "this is text" mark). Phone numbers and signed numbers are left alone.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pandas as pd
from openpyxl.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

#: Excel refuses sheet names longer than 31 characters or holding any of these.
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
#: What a spreadsheet reads as the start of a formula in a CSV cell.
_FORMULA = re.compile(r"^(?:[=@\t\r]|[+-](?![\d\s().]*$))")


def neutralise_formula(value: Any) -> Any:
    """``value`` with a leading apostrophe if a spreadsheet would run it as a formula."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark and ``;`` separators: what French Excel expects."""
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_formula)
    return safe.to_csv(sep=";", index=False).encode("utf-8-sig")


def keep_as_text(cells: list[Cell] | tuple[Cell, ...]) -> None:
    """Store as text every cell openpyxl took for a formula (our tables hold none)."""
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


def excel_bytes(frame: pd.DataFrame, sheet_name: str = "Data") -> bytes:
    """An ``.xlsx`` workbook of one sheet holding ``frame`` (header row frozen)."""
    name = sheet_name.translate(_SHEET_FORBIDDEN).strip()[:31] or "Data"
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=name, index=False, freeze_panes=(1, 0))
        sheet: Worksheet = writer.sheets[name]
        for row in sheet.iter_rows():
            keep_as_text(row)
    return buffer.getvalue()
