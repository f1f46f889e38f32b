"""Where a sheet's table is: title and note rows, the header block, units and column-code rows,
and the first data row; each column's header read top to bottom through merged parents.

Departments put a title ('2023年规上工业企业主要指标'), a units line ('单位：万元、人') and a
填报单位 line above the table, two or three header rows with merged parents (经济指标 › 营业收入),
and sometimes a row of units or of column codes (甲 乙 1 2 3) under the headers. Rows are
classified by their cells; the header block is the run of header rows just above the first two
data rows. Other blocks are offered as well, so that placement can choose the best one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from industry_brain.ingest.read import RawSheet
from industry_brain.ingest.vocabulary import Part, is_unit_cell, normalise, read_part, sheet_units

SCAN_ROWS = 30
MAX_HEADER_ROWS = 4
_CODE_LIKE = re.compile(r"^(?=(?:.*\d){6})[0-9a-z]{15,20}$|^\d(?:\.\d+)?e\+?1[5-9]$")
_NUMBER = re.compile(r"^[-+]?[\d,]*\.?\d+(?:e[-+]?\d+)?$")
_NOTE = re.compile(
    r"^(?:填报单位|填表单位|报送单位|制表单位|填报人|填表人|制表人|制表|审核人|审核|负责人|单位负责人|"
    r"统计负责人|联系电话|报出日期|填报日期|填表日期|报送日期|日期|数据来源|资料来源|统计时间|截止日期|"
    r"注|说明|备注|金额单位|计量单位|面积单位|单位)(?:[:：]|\d|$)"
)
_UNITS_NOTE = re.compile(r"^(?:金额|计量|面积|数量)?单位[:：]")
_STEMS = "甲乙丙丁戊己庚辛壬癸"


@dataclass(frozen=True, slots=True)
class Block:
    """A candidate header block: its rows and what the rows around it declare."""

    rows: tuple[int, ...]  # indices into sheet.cells, top to bottom
    first_data: int  # index of the first row below the block and its units/codes rows
    parts: tuple[tuple[Part, ...], ...]  # per column, top to bottom
    column_units: dict[int, str] = field(default_factory=dict)  # per-column units row
    sheet_units: dict[str, str] = field(default_factory=dict)  # dimension → unit
    detected: bool = True  # found by the row classes, not offered as a fallback

    def text(self, col: int) -> str:
        """The column's header as a person reads it: parent › child."""
        return " › ".join(p.text.strip() for p in self.parts[col])


def cells(sheet: RawSheet, index: int) -> list[str | None]:
    return [v if v is None else str(v).strip() or None for v in sheet.cells.row(index)]


def _kind(texts: list[str | None]) -> str:
    filled = [t for t in texts if t]
    if not filled:
        return "blank"
    norm = [normalise(t) for t in filled]
    first = next(i for i, t in enumerate(texts) if t)
    title = len(set(norm)) == 1 and (first < 2 or len(filled) > 2)
    if title or (len(filled) <= 3 and _NOTE.match(norm[0])):
        return "note"
    if all(is_unit_cell(t) for t in filled):
        return "units"
    if len(filled) >= 3 and all(t in _STEMS or t.isdigit() for t in norm):
        digits = [int(t) for t in norm if t.isdigit()]
        numbered = not digits or digits == list(range(digits[0], digits[0] + len(digits)))
        if numbered and (len(digits) < len(norm) or len(filled) >= 0.9 * len(texts)):
            return "codes"
    numbers = sum(bool(_NUMBER.match(t)) for t in norm)
    if any(_CODE_LIKE.match(t) for t in norm) or (numbers >= 2 and numbers * 2 >= len(norm)):
        return "data"
    return "header"


def note_units(text: str) -> dict[str, str]:
    """Units a title or note line declares ('单位：千元', or a title ending '（千元）')."""
    found = sheet_units(text)
    if not found and (unit := read_part(text).unit) is not None:
        from industry_brain.units import UNITS

        found = {UNITS[unit].dimension: unit}
    return found


def _covering(sheet: RawSheet, row: int, col: int) -> tuple[int, int] | None:
    """The anchor (row, col) of the merged range covering a cell, in sheet.cells indices."""
    pr, pc = row + sheet.first_row - 1, col + sheet.first_col
    for r0, c0, r1, c1 in sheet.merged:
        if r0 <= pr <= r1 and c0 <= pc <= c1:
            return r0 - sheet.first_row + 1, c0 - sheet.first_col
    return None


def _column_parts(sheet: RawSheet, grid: list[list[str | None]], rows: tuple[int, ...]) -> list:
    width = sheet.cells.width
    out: list[tuple[Part, ...]] = []
    for col in range(width):
        texts: list[str] = []
        for i, row in enumerate(rows):
            text = grid[i][col]
            if text is None and (anchor := _covering(sheet, row, col)) is not None:
                r, c = anchor
                text = grid[rows.index(r)][c] if r in rows and 0 <= c < width else None
            elif text is None and i < len(rows) - 1 and grid[i + 1][col]:
                text = _parent_left(grid, i, col)
            if text and (not texts or texts[-1] != text) and not _UNITS_NOTE.match(normalise(text)):
                texts.append(text)
        out.append(tuple(read_part(t) for t in texts))
    return out


def _parent_left(grid: list[list[str | None]], i: int, col: int) -> str | None:
    """A parent written once over its children without a merge (csv, 'centre across')."""
    for c in range(col - 1, -1, -1):
        if grid[i][c]:
            return grid[i][c] if grid[i + 1][c] else None
        if not grid[i + 1][c]:
            return None
    return None


def _block(sheet: RawSheet, rows: tuple[int, ...], first_data: int, detected: bool) -> Block:
    grid = [cells(sheet, r) for r in rows]
    units: dict[str, str] = {}
    for r in range(0, rows[0]):  # title, units line, 填报 line above the block
        for t in cells(sheet, r):
            if t:
                units = note_units(t) | units
    for g in grid:  # '单位：万元' written in a corner of a header row
        for t in g:
            if t and _UNITS_NOTE.match(normalise(t)):
                units = sheet_units(t) | units
    column_units: dict[int, str] = {}
    for r in range(rows[-1] + 1, first_data):
        for c, t in enumerate(cells(sheet, r)):
            if t and (u := read_part(t).unit):
                column_units[c] = u
    parts = tuple(_column_parts(sheet, grid, rows))
    return Block(rows, first_data, parts, column_units, units, detected)


def blocks(sheet: RawSheet) -> list[Block]:
    """Header blocks to try, the detected one first, then each header-like row alone."""
    n = min(SCAN_ROWS, sheet.cells.height)
    kinds = [_kind(cells(sheet, i)) for i in range(n)]
    out: list[Block] = []
    for d in range(n):
        after = kinds[d + 1] if d + 1 < n else "data"
        if kinds[d] != "data" or after not in ("data", "blank"):
            continue
        end = d
        while end > 0 and kinds[end - 1] in ("units", "codes"):
            end -= 1
        start = end
        while start > 0 and kinds[start - 1] == "header" and end - start < MAX_HEADER_ROWS:
            start -= 1
        if start < end:
            out.append(_block(sheet, tuple(range(start, end)), d, True))
        break
    for i, kind in enumerate(kinds):
        if kind in ("header", "note") and not any(b.rows == (i,) for b in out):
            end = i + 1
            while end < n and kinds[end] in ("units", "codes"):
                end += 1
            out.append(_block(sheet, (i,), end, False))
    return out
