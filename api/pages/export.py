"""A comparison table as a CSV or XLSX file (openpyxl), one row per commitment."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

#: `listed_under`: the lead-in or heading a commitment was listed under; empty when it was read from a
#: sentence on its own, which is right less often (README, "Measured quality"). `confidence`: the
#: learned decision's probability; higher ones are right more often (README, "Commitments").
COLUMNS = ("region", "country", "year", "quantity", "actors", "listed_under", "confidence", "commitment", "doc_id", "title", "language")
# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_cells(row: dict[str, Any]) -> list[Any]:
    return [row.get(column) if row.get(column) is not None else "" for column in COLUMNS]


def _inert(value: Any) -> Any:
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_inert(cell) for cell in as_cells(row)])
    # With a byte order mark spreadsheet programs read the file as UTF-8 (Persian, å, č).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: list[dict[str, Any]], sheet: str) -> bytes:
    book = Workbook()
    table = book.active
    table.title = sheet[:31] or "commitments"
    table.append(list(COLUMNS))
    for cell in table[1]:
        cell.font = Font(bold=True)
    for row in rows:
        table.append(as_cells(row))
        for cell in table[table.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, never a formula
    for letter, width in zip("ABCDEFGHI", (16, 8, 6, 10, 30, 80, 24, 40, 8)):
        table.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
