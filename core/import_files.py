"""The files an import reads and gives back: CSV or ``.xlsx`` as spreadsheet programs save them
(comma, semicolon or tab; UTF-8 with or without BOM, or Windows-1252), and the rejected rows
returned in the same columns plus a reason, to fix in Excel and import again.

A file that cannot be read as a table raises ``ImportFileError`` (a ``RuleError`` of the field
"file") with what is wrong in the user's language: not a CSV or XLSX, an ``.xlsx`` that is not a
workbook, empty, no header row, two columns of the same name, over the upload limit.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook

from core.errors import RuleError
from core.normalise import fold

#: The largest file read (the page's ``server.maxUploadSize`` in .streamlit/config.toml, 50 MB).
MAX_BYTES = 50 * 1024 * 1024
EXTENSIONS = (".csv", ".txt", ".xlsx")
#: A header cell that is a value, not a column name: an e-mail, a number, a date, a URL.
#: Bytes decoded at a time when a file is checked for UTF-8.
_CHUNK = 1 << 20
_VALUE_CELL = re.compile(r"^(\S+@\S+\.\S+|[+\d][\d\s./:-]*|https?://\S+|www\.\S+)$")


class ImportFileError(RuleError):
    """A file that cannot be read as a table: nothing was read, nothing written."""

    def __init__(self, message_key: str, **params: object) -> None:
        super().__init__(message_key, field="file", **params)


@dataclass
class RawTable:
    headers: list[str]
    rows: list[list[str]]  # blank lines left out; short rows padded, long ones cut
    lines: list[int]  # each row's line number in the file (header = 1)
    delimiter: str = ";"  # the CSV's separator (";" for a workbook)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) if the bytes are valid UTF-8, else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    return max((";", ",", "\t"), key=header.count)


def _workbook_rows(data: bytes) -> Iterable[list[str]]:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError("import.file.not_workbook")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a zip that is no workbook (a .docx renamed, a broken file)
        raise ImportFileError("import.file.not_workbook") from error
    for row in book.active.iter_rows(values_only=True):
        yield ["" if v is None else str(v).strip() for v in row]


def _encoding(data: bytes) -> str:
    """``decode``'s choice, without a decoded copy of the whole file: UTF-8 (BOM or not) if
    every byte of it is valid UTF-8, else Windows-1252."""
    check = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHUNK):
            check.decode(view[start : start + _CHUNK])
        check.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _csv_rows(data: bytes) -> tuple[Iterable[list[str]], str]:
    head = data[:4096]
    if b"\x00" in head or head.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
        raise ImportFileError("import.file.not_spreadsheet")  # a binary file, an old .xls
    encoding = _encoding(data)
    # The header is in the first megabyte (a character cut at its end is left out).
    delimiter = _delimiter(data[:_CHUNK].decode(encoding, errors="ignore"))
    # Read as a stream: the bytes given are the only copy of the whole file.
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline="")
    rows = ([cell.strip() for cell in row] for row in csv.reader(text, delimiter=delimiter))
    return rows, delimiter


def read_table(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> RawTable:
    """The header and the non-blank rows of a ``.csv`` or ``.xlsx`` file; ``ImportFileError``
    when it is not one (see the module's docstring)."""
    if len(data) > max_bytes:
        raise ImportFileError("import.file.too_large", limit=max_bytes // (1024 * 1024))
    name = filename.lower()
    if not name.endswith(EXTENSIONS):
        raise ImportFileError("import.file.not_spreadsheet")
    if not data.strip():
        raise ImportFileError("import.file.empty")
    delimiter = ";"
    if name.endswith(".xlsx"):
        raw: Iterable[list[str]] = _workbook_rows(data)
    else:
        raw, delimiter = _csv_rows(data)
    headers: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    width = 0
    for number, row in enumerate(raw, start=1):
        if not any(row):
            continue
        if headers is None:
            while row and not row[-1]:
                row.pop()  # trailing empty cells of a workbook's header
            headers, width = row, len(row)
            continue
        rows.append(row[:width] if len(row) >= width else row + [""] * (width - len(row)))
        lines.append(number)
    if headers is None:
        raise ImportFileError("import.file.empty")
    _check_header(headers)
    return RawTable(headers=headers, rows=rows, lines=lines, delimiter=delimiter)


def _check_header(headers: list[str]) -> None:
    named = [h for h in headers if h]
    if not named or sum(bool(_VALUE_CELL.match(h)) for h in named) * 2 >= len(named):
        raise ImportFileError("import.file.no_header")
    seen: dict[str, str] = {}
    for header in named:
        key = fold(header)
        if key in seen:
            raise ImportFileError("import.file.duplicate_columns", name=header)
        seen[key] = header


def table_file(
    headers: list[str], rows: Iterable[list[str]], *, fmt: str, delimiter: str = ";"
) -> bytes:
    """A table as a file: CSV (UTF-8 with BOM, which Excel opens with its accents) or XLSX."""
    if fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8-sig")
