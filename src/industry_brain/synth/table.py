"""A department file in memory (columns, rows of cells) and its xlsx / csv writers."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import xlsxwriter

from industry_brain.synth.errors import SynthError

Cell = str | float | int | dt.date | None
Kind = Literal["uscc", "text", "number", "date", "region", "industry", "flag", "year", "choice"]
CREATED = dt.datetime(2024, 1, 1)  # fixed document properties keep xlsx files byte-identical
XLSX_MAX_ROWS = 1_048_576


@dataclass(frozen=True, slots=True)
class Column:
    header: str  # as written in the file
    field: str  # glossary name of the field
    kind: Kind
    factor: float = 1.0  # canonical value = written value × factor
    digits: int = 2  # decimals written
    required: bool = False
    width: float = 14.0


class Row:
    """One data row; identity (not content) tells copies apart."""

    __slots__ = ("cells", "uscc")

    def __init__(self, cells: list[Cell], uscc: str) -> None:
        self.cells = cells
        self.uscc = uscc  # the true code of the enterprise the row describes


@dataclass
class Table:
    path: str  # relative to the city directory, posix style
    source: str
    year: int | None
    format: Literal["xlsx", "csv"]
    columns: list[Column]
    rows: list[Row]
    sheet: str | None = None
    title: str | None = None  # row 1, merged over all columns
    groups: list[tuple[str, int, int]] = field(default_factory=list)  # text, first, last column
    encoding: str = "utf-8"
    # Cells that are defective in the department's own data (not injected): (row, column).
    inherent: list[tuple[Row, int]] = field(default_factory=list)

    @property
    def header_row(self) -> int:
        """1-based row (or line) number of the field headers."""
        return 1 + (self.title is not None) + bool(self.groups)

    def physical_rows(self) -> dict[int, int]:
        """id(row) → 1-based row number in the sheet (or line number in the csv)."""
        first = self.header_row + 1
        return {id(r): first + i for i, r in enumerate(self.rows)}

    def column(self, field_name: str) -> int:
        for i, c in enumerate(self.columns):
            if c.field == field_name:
                return i
        raise KeyError(f"{self.path} has no column for {field_name!r}")

    @property
    def year_column(self) -> bool:
        return any(c.field == "year" for c in self.columns)


def write(table: Table, directory: Path) -> Path:
    path = directory / table.path
    path.parent.mkdir(parents=True, exist_ok=True)
    if table.format == "xlsx":
        write_xlsx(table, path)
    else:
        write_csv(table, path)
    return path


def write_csv(table: Table, path: Path) -> None:
    with path.open("w", encoding=table.encoding, newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow([c.header for c in table.columns])
        for row in table.rows:
            out.writerow(["" if v is None else v for v in row.cells])


def write_xlsx(table: Table, path: Path) -> None:
    if table.header_row + len(table.rows) > XLSX_MAX_ROWS:
        raise SynthError(f"{table.path}: {len(table.rows)} rows do not fit in one xlsx sheet")
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    wb.set_properties({"created": CREATED, "author": "industry_brain.synth"})
    ws = wb.add_worksheet(table.sheet)
    bold = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1})
    title = wb.add_format({"bold": True, "font_size": 14, "align": "center"})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    last = len(table.columns) - 1
    r = 0
    if table.title is not None:
        ws.merge_range(r, 0, r, last, table.title, title)
        r += 1
    if table.groups:
        for text, a, b in table.groups:
            if a == b:
                ws.write_string(r, a, text, bold)
            else:
                ws.merge_range(r, a, r, b, text, bold)
        r += 1
    for j, c in enumerate(table.columns):
        ws.set_column(j, j, c.width)
        ws.write_string(r, j, c.header, bold)
    ws.freeze_panes(r + 1, 0)
    for row in table.rows:
        r += 1
        for j, v in enumerate(row.cells):
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(r, j, v)
            elif isinstance(v, dt.date):
                ws.write_datetime(r, j, dt.datetime(v.year, v.month, v.day), date)
            else:
                ws.write_number(r, j, v)
    wb.close()
