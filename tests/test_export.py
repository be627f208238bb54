"""Tables out as CSV for French Excel and as .xlsx workbooks."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from core.export import csv_bytes, excel_bytes

FRAME = pd.DataFrame({"Nom": ["Acme Santé", "Infosys"], "Emplois": [1200, 35]})


def test_csv_has_a_bom_and_semicolons():
    assert csv_bytes(FRAME) == "\ufeffNom;Emplois\nAcme Santé;1200\nInfosys;35\n".encode()


def test_excel_workbook_holds_the_table():
    book = openpyxl.load_workbook(io.BytesIO(excel_bytes(FRAME, "Projets gagnés")))
    assert book.sheetnames == ["Projets gagnés"]
    sheet = book.active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Nom", "Emplois"],
        ["Acme Santé", 1200],
        ["Infosys", 35],
    ]
    assert sheet.freeze_panes == "A2"


def test_excel_sheet_name_is_made_valid():
    book = openpyxl.load_workbook(io.BytesIO(excel_bytes(FRAME, "Jobs/capex [2025]: a long name")))
    assert book.sheetnames == ["Jobs capex  2025   a long name"]
    empty = openpyxl.load_workbook(io.BytesIO(excel_bytes(FRAME.iloc[0:0], "")))
    assert empty.sheetnames == ["Data"]
    assert [[c.value for c in row] for row in empty.active.iter_rows()] == [["Nom", "Emplois"]]
