"""A department file in memory and its writers (xlsx, legacy xls, csv).

A table is laid out as departments lay theirs out: lines above it (a title merged
across, a units line '单位：万元、人、吨标准煤', a 填报单位 line), a header block of one to
three rows whose parents are merged over their children (经济指标 › 营业收入) and whose
single cells are merged down to the last header row, then perhaps a units row or a row of
column codes (甲 乙 1 2 3), the data rows, and rows below them (合计/小计, 填表人, 注).
Every position a reader reports (the physical row, the column's header) follows from this
layout.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import xlsxwriter

from industry_brain.synth.errors import SynthError

Cell = str | float | int | dt.date | None
Kind = Literal[
    "uscc", "text", "number", "date", "region", "industry", "flag", "year", "choice", "serial"
]
Format = Literal["xlsx", "xls", "csv"]
CREATED = dt.datetime(2024, 1, 1)  # fixed document properties keep xlsx files byte-identical
XLSX_MAX_ROWS = 1_048_576
XLS_MAX_ROWS = 65_536
XLS_MAX_COLUMNS = 256
# Above this many cells an xlsx is written row by row in constant memory, where a cell merged
# down over several header rows cannot be drawn (the lower header cells are left empty instead).
CONSTANT_MEMORY_CELLS = 2_000_000
SEPARATOR = " › "  # how a reader names a column under a parent: 'parent › child'
Line = str | tuple[str, str]  # a line above the table: text, or (left text, right text)


@dataclass(frozen=True, slots=True)
class Column:
    header: str  # how the reader names the column: its own cell, or 'parent › child'
    field: str | None  # glossary field; None for a column no field takes (序号, 上年同期)
    kind: Kind
    factor: float = 1.0  # canonical value = written value × factor
    digits: int = 2  # decimals written
    required: bool = False
    width: float = 14.0
    path: tuple[str, ...] = ()  # the header cells top to bottom; () means (header,)
    part: int | str | None = None  # a wide column's month (1–12) or pollutant code; "total"

    @property
    def cells(self) -> tuple[str, ...]:
        return self.path or (self.header,)

    @property
    def wide(self) -> bool:
        """One of several columns that make up a field (a month, a pollutant, the total)."""
        return self.part is not None


def named(path: tuple[str, ...], composed: bool = False) -> str:
    """The header a reader gives a column: the last cell when it names the field ('营业收入'),
    the whole path when the cell says only a period, month or total ('营业收入 › 本年')."""
    return SEPARATOR.join(path) if composed else path[-1]


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
    format: Format
    columns: list[Column]
    rows: list[Row]
    sheet: str | None = None
    above: list[Line] = field(default_factory=list)  # title first (merged across), then notes
    under: list[Cell] | None = None  # a units row or a column-code row under the header
    below: list[list[Cell]] = field(default_factory=list)  # 合计/小计, blank, 填表人, 注
    encoding: str = "utf-8"
    separators: bool = False  # csv numbers written with thousands separators
    county: str | None = None  # a file of one county's enterprises (region code)
    # Cells that are defective in the department's own data (not injected): (row, column).
    inherent: list[tuple[Row, int]] = field(default_factory=list)
    # Total lines among the data rows (a taxpayer's 小计 after its 税种 rows): a reader skips
    # them; no fault is put on them.
    totals: list[Row] = field(default_factory=list)

    @property
    def depth(self) -> int:
        """Number of header rows."""
        return max(len(c.cells) for c in self.columns)

    @property
    def header_row(self) -> int:
        """1-based row (or line) number of the last header row."""
        return len(self.above) + self.depth

    @property
    def data_row(self) -> int:
        """1-based row (or line) number of the first data row."""
        return self.header_row + (self.under is not None) + 1

    @property
    def body_rows(self) -> int:
        """Rows below the header block: data rows and the rows below them."""
        return len(self.rows) + len(self.below)

    def physical_rows(self) -> dict[int, int]:
        """id(row) → 1-based row number in the sheet (or line number in the csv)."""
        first = self.data_row
        return {id(r): first + i for i, r in enumerate(self.rows)}

    def column(self, field_name: str) -> int:
        for i, c in enumerate(self.columns):
            if c.field == field_name and c.part is None:
                return i
        raise KeyError(f"{self.path} has no column for {field_name!r}")

    def level_row(self, level: int) -> int:
        """1-based physical row of a header level (0: the top header row)."""
        return len(self.above) + 1 + level

    @property
    def year_column(self) -> bool:
        return any(c.field == "year" for c in self.columns)


def header_grid(
    columns: list[Column],
) -> tuple[list[list[str | None]], list[tuple[int, int, int, int]]]:
    """The header block as rows of cells, and its merges (r0, c0, r1, c1) relative to the
    block: a parent over the run of its children, a column's last cell down to the bottom."""
    depth = max(len(c.cells) for c in columns)
    grid: list[list[str | None]] = [[None] * len(columns) for _ in range(depth)]
    merges: list[tuple[int, int, int, int]] = []
    for level in range(depth):
        j = 0
        while j < len(columns):
            cells = columns[j].cells
            if level >= len(cells):
                j += 1
                continue
            if level == len(cells) - 1:  # the column's own cell, merged down to the bottom
                grid[level][j] = cells[level]
                if level < depth - 1:
                    merges.append((level, j, depth - 1, j))
                j += 1
                continue
            k = j  # a parent: over every following column with the same parents
            while (
                k + 1 < len(columns)
                and len(columns[k + 1].cells) > level + 1
                and columns[k + 1].cells[: level + 1] == cells[: level + 1]
            ):
                k += 1
            grid[level][j] = cells[level]
            if k > j:
                merges.append((level, j, level, k))
            j = k + 1
    return grid, merges


def write(table: Table, directory: Path) -> Path:
    path = directory / table.path
    path.parent.mkdir(parents=True, exist_ok=True)
    if table.format == "xlsx":
        write_xlsx(table, path)
    elif table.format == "xls":
        write_xls(table, path)
    else:
        write_csv(table, path)
    return path


def _line(line: Line, width: int) -> list[Cell]:
    cells: list[Cell] = [None] * width
    if isinstance(line, tuple):
        cells[0], cells[-1] = line
    else:
        cells[0] = line
    return cells


def write_csv(table: Table, path: Path) -> None:
    width = len(table.columns)
    grid, _ = header_grid(table.columns)
    lines: list[list[Cell]] = [_line(a, width) for a in table.above]
    lines += [list(g) for g in grid]
    if table.under is not None:
        lines.append(table.under)
    with path.open("w", encoding=table.encoding, newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        for line in lines:
            out.writerow(["" if v is None else v for v in line])
        for row in table.rows:
            out.writerow(["" if v is None else v for v in row.cells])
        for line in table.below:
            out.writerow(["" if v is None else v for v in line])


def write_xlsx(table: Table, path: Path) -> None:
    if table.data_row + table.body_rows > XLSX_MAX_ROWS:
        raise SynthError(f"{table.path}: {len(table.rows)} rows do not fit in one xlsx sheet")
    width = len(table.columns)
    big = (len(table.rows) + table.header_row) * width > CONSTANT_MEMORY_CELLS
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": big})
    wb.set_properties({"created": CREATED, "author": "industry_brain.synth"})
    ws = wb.add_worksheet(table.sheet)
    bold = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1})
    title = wb.add_format({"bold": True, "font_size": 14, "align": "center"})
    note = wb.add_format({"align": "left"})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    last = width - 1
    for j, c in enumerate(table.columns):
        ws.set_column(j, j, c.width)
    r = 0
    for i, line in enumerate(table.above):
        if isinstance(line, tuple):
            ws.write_string(r, 0, line[0], note)
            ws.write_string(r, last, line[1], note)
        elif last > 0:
            ws.merge_range(r, 0, r, last, line, title if i == 0 else note)
        else:
            ws.write_string(r, 0, line, title if i == 0 else note)
        r += 1
    grid, merges = header_grid(table.columns)
    top = r
    for level, cells in enumerate(grid):
        for j, text in enumerate(cells):
            if text is not None:
                ws.write_string(top + level, j, text, bold)
            elif not big:
                ws.write_blank(top + level, j, None, bold)
        for r0, c0, r1, c1 in merges:
            if r0 == level and (r0 == r1 or not big):
                ws.merge_range(top + r0, c0, top + r1, c1, grid[r0][c0], bold)
    r = top + len(grid) - 1
    if table.under is not None:
        r += 1
        _write_cells(ws, r, table.under, bold, date)
    ws.freeze_panes(r + 1, 0)
    for row in table.rows:
        r += 1
        _write_cells(ws, r, row.cells, None, date)
    for extra in table.below:
        r += 1
        _write_cells(ws, r, extra, None, date)
    wb.close()


def _write_cells(ws: Any, r: int, cells: list[Cell], fmt: Any, date: Any) -> None:
    for j, v in enumerate(cells):
        if v is None:
            continue
        if isinstance(v, str):
            ws.write_string(r, j, v, fmt)
        elif isinstance(v, dt.date):
            ws.write_datetime(r, j, dt.datetime(v.year, v.month, v.day), date)
        else:
            ws.write_number(r, j, v, fmt)


def write_xls(table: Table, path: Path) -> None:
    """Legacy Excel 97–2003 (BIFF8), as older systems still export: 65,536 rows at most."""
    try:
        import xlwt
    except ImportError as exc:  # a dev dependency (uv sync installs it)
        raise SynthError(f"{table.path}: writing legacy .xls needs xlwt") from exc
    width = len(table.columns)
    if table.data_row + table.body_rows > XLS_MAX_ROWS or width > XLS_MAX_COLUMNS:
        raise SynthError(f"{table.path}: {len(table.rows)} rows do not fit in one xls sheet")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(table.sheet or "Sheet1")
    bold = xlwt.easyxf(
        "font: bold on; align: horiz center, vert center;"
        " borders: left thin, right thin, top thin, bottom thin"
    )  # fmt: skip
    title = xlwt.easyxf("font: bold on, height 280; align: horiz center")
    plain = xlwt.Style.default_style
    for j, c in enumerate(table.columns):
        ws.col(j).width = int(256 * c.width)
    r = 0
    for i, line in enumerate(table.above):
        if isinstance(line, tuple):
            ws.write(r, 0, line[0])
            ws.write(r, width - 1, line[1])
        elif width > 1:
            ws.write_merge(r, r, 0, width - 1, line, title if i == 0 else plain)
        else:
            ws.write(r, 0, line, title if i == 0 else plain)
        r += 1
    grid, merges = header_grid(table.columns)
    anchors = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in merges}
    covered = {
        (a, b) for r0, c0, r1, c1 in merges for a in range(r0, r1 + 1) for b in range(c0, c1 + 1)
    }
    for level, cells in enumerate(grid):
        for j, text in enumerate(cells):
            if (level, j) in anchors:
                r1, c1 = anchors[(level, j)]
                ws.write_merge(r + level, r + r1, j, c1, text, bold)
            elif (level, j) not in covered:
                ws.write(r + level, j, text or "", bold)
    r += len(grid) - 1
    if table.under is not None:
        r += 1
        _xls_cells(ws, r, table.under, bold)
    ws.set_panes_frozen(True)
    ws.set_horz_split_pos(r + 1)
    for row in table.rows:
        r += 1
        _xls_cells(ws, r, row.cells, None)
    for extra in table.below:
        r += 1
        _xls_cells(ws, r, extra, None)
    wb.save(str(path))


def _xls_cells(ws: Any, r: int, cells: list[Cell], style: Any) -> None:
    row = ws.row(r)
    for j, v in enumerate(cells):
        if v is None:
            continue
        if isinstance(v, dt.date):
            raise SynthError("dates are not written to xls files")
        if style is None:
            row.write(j, v)
        else:
            row.write(j, v, style)
