"""Files out: tables as CSV and Excel, as spreadsheet programs in France open them."""

from __future__ import annotations

import io

import pandas as pd

#: Excel refuses sheet names longer than 31 characters or holding any of these.
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark and ``;`` separators: what French Excel expects."""
    return frame.to_csv(sep=";", index=False).encode("utf-8-sig")


def excel_bytes(frame: pd.DataFrame, sheet_name: str = "Data") -> bytes:
    """An ``.xlsx`` workbook of one sheet holding ``frame`` (header row frozen)."""
    name = sheet_name.translate(_SHEET_FORBIDDEN).strip()[:31] or "Data"
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=name, index=False, freeze_panes=(1, 0))
    return buffer.getvalue()
