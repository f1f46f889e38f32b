"""Reproducible Excel output shared by the engines' workbooks (same input → same bytes).

Every workbook the platform writes keeps input text as text (formula injection, OWASP): a string
is never turned into a formula, a hyperlink or a number, and a string that starts like a formula
(= + - @, tab, carriage return) gets the quote prefix, so Excel shows it as text and does not
evaluate it when the cell is edited. Numbers, negative ones too, stay numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


class TextWorkbook(xlsxwriter.Workbook):
    """A workbook whose worksheets write every str given to write(), write_row() or
    write_column() as a string cell; one that starts like a formula, and has no format of its
    own, with the quote-prefix text format."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path), TEXT_OPTIONS)
        self.text_format = self.add_format({"quote_prefix": True})

    def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Worksheet:
        sheet = super().add_worksheet(name, worksheet_class)
        sheet.add_write_handler(str, self._write_text)
        return sheet

    def _write_text(
        self, sheet: Worksheet, row: int, col: int, text: str, cell_format: Format | None = None
    ) -> int | None:
        """Called by the worksheet for each str; None lets it write the string as usual."""
        if cell_format is None and text.startswith(FORMULA_START):
            return int(sheet.write_string(row, col, text, self.text_format))
        return None


def new_workbook(path: Path, title: str) -> tuple[TextWorkbook, Format]:
    """A workbook with fixed document properties that writes text as text, and the header cell
    format."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = TextWorkbook(path)
    wb.set_properties({"title": title, "created": dt.datetime(2000, 1, 1)})
    return wb, wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})


def write_rows(
    ws: Worksheet,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    header_fmt: Format,
    first_row: int = 0,
    width: float = 14,
    formats: Sequence[Format | None] = (),
) -> None:
    """A header row and the data below it; None is written as an empty cell, text as text,
    True/False as 是/否. `formats`: a number format per column (None: none)."""
    ws.write_row(first_row, 0, list(columns), header_fmt)
    for i, row in enumerate(rows, start=first_row + 1):
        ws.write_row(i, 0, [cell(v) for v in row])
    ws.freeze_panes(first_row + 1, 0)
    ws.set_column(0, len(columns) - 1, width)
    for col, fmt in enumerate(formats):
        if fmt is not None:
            ws.set_column(col, col, width, fmt)


def cell(value: Any) -> Any:
    """What a cell holds: None → empty, a flag → 是/否, anything else as it is."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else value


def number_formats(wb: xlsxwriter.Workbook, codes: Sequence[str | None]) -> list[Format | None]:
    """Excel number formats ('#,##0.0', '0.0%') as cell formats, one per column."""
    made: dict[str, Format] = {}
    for code in codes:
        if code and code not in made:
            made[code] = wb.add_format({"num_format": code})
    return [made[c] if c else None for c in codes]


def write_frame(
    ws: Worksheet, frame: pl.DataFrame, header_fmt: Format, formats: Sequence[Format | None] = ()
) -> None:
    write_rows(ws, frame.columns, frame.iter_rows(), header_fmt, formats=formats)
