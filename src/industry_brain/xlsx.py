"""Reproducible Excel output shared by the engines' workbooks (same input → same bytes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet


def new_workbook(path: Path, title: str) -> tuple[xlsxwriter.Workbook, Format]:
    """A workbook with fixed document properties, and the header cell format."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"title": title, "created": dt.datetime(2000, 1, 1)})
    return wb, wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})


def write_rows(
    ws: Worksheet,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    header_fmt: Format,
    first_row: int = 0,
    width: float = 14,
) -> None:
    """A header row and the data below it; None is written as an empty cell."""
    ws.write_row(first_row, 0, list(columns), header_fmt)
    for i, row in enumerate(rows, start=first_row + 1):
        ws.write_row(i, 0, ["" if v is None else v for v in row])
    ws.freeze_panes(first_row + 1, 0)
    ws.set_column(0, len(columns) - 1, width)


def write_frame(ws: Worksheet, frame: pl.DataFrame, header_fmt: Format) -> None:
    write_rows(ws, frame.columns, frame.iter_rows(), header_fmt)
