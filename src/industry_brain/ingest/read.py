"""Readers: xlsx (fastexcel + calamine), csv (UTF-8 or GBK/GB18030) and parquet → a raw sheet.

A raw sheet is every cell as text, with the physical position of its first cell, so that errors
can point at the row and column a user sees in Excel or a text editor.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from industry_brain.ingest.encoding import utf8_file
from industry_brain.ingest.extent import check_extent
from industry_brain.ingest.problems import FileProblem
from industry_brain.ingest.unpacked import DEFAULT_LIMIT_MB, check_unpacked

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


SPARE = 4  # columns read beyond the widest of the first lines, to notice wider lines
Ranges = list[tuple[int, int, int, int]]  # merged cells (r0, c0, r1, c1), zero-based


@dataclass
class RawSheet:
    file: Path
    sheet: str | None  # None for csv and parquet
    cells: pl.DataFrame  # all columns Utf8, named c0, c1, ...
    first_row: int = 1  # physical 1-based row number of cells' row 0
    first_col: int = 0  # physical 0-based column index of cells' column 0
    encoding: str | None = None
    merge_source: Callable[[], Ranges] | None = field(default=None, repr=False)
    _merged: Ranges | None = field(default=None, repr=False)

    @property
    def merged(self) -> Ranges:
        """Merged cell ranges, read only when first asked for (they are rarely needed)."""
        if self._merged is None:
            self._merged = self.merge_source() if self.merge_source else []
        return self._merged

    def row_number(self, index: int) -> int:
        return self.first_row + index

    def column_label(self, index: int) -> str:
        """Excel column letters for xlsx ('C'), 1-based position otherwise ('3')."""
        n = self.first_col + index
        if self.sheet is None:
            return str(n + 1)
        label = ""
        n += 1
        while n:
            n, rem = divmod(n - 1, 26)
            label = chr(65 + rem) + label
        return label


def read_file(
    path: Path,
    sheet: str | int | None = None,
    max_unpacked_mb: float = DEFAULT_LIMIT_MB,
    rows: int | None = None,
) -> list[RawSheet]:
    """All candidate sheets of a file (one for csv and parquet), in order; with `rows`, only
    their first rows (enough to guess the source). A zipped workbook that declares more than
    `max_unpacked_mb` unpacked is refused before it is parsed."""
    if not path.is_file():
        raise FileProblem("file-unreadable", detail=f"{path} does not exist")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        check_unpacked(path, max_unpacked_mb)
        check_extent(path, max_unpacked_mb)
        return _read_excel(path, sheet, rows)
    if suffix in {".csv", ".txt"}:
        return [_read_csv(path, rows)]
    if suffix == ".parquet":
        return [_read_parquet(path, rows)]
    raise FileProblem("file-unreadable", detail=f"unsupported file type {suffix!r}")


def _named(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
    return _unguarded(frame)


def _unguarded(frame: pl.DataFrame) -> pl.DataFrame:
    """Cells kept as text by the exporting system: '="913310…"' (so that Excel does not turn
    the code into a number) and a leading apostrophe: the text inside."""
    guard = r"^(?:=\"(.*)\"|'(.*))$"
    cols = [c for c in frame.columns if frame.get_column(c).str.contains(r"^(?:=\"|')").any()]
    return frame.with_columns(
        pl.coalesce(
            pl.col(c).str.extract(guard, 1), pl.col(c).str.extract(guard, 2), pl.col(c)
        ).alias(c)
        for c in cols
    )


def _read_excel(path: Path, sheet: str | int | None, rows: int | None) -> list[RawSheet]:
    import fastexcel

    try:
        reader = fastexcel.read_excel(path)
    except Exception as exc:  # fastexcel raises its own error types
        raise FileProblem("file-unreadable", detail=str(exc)) from exc
    names = reader.sheet_names
    if sheet is not None:
        if isinstance(sheet, str) and sheet not in names:
            from industry_brain.suggest import did_you_mean

            detail = f"no sheet {sheet!r}{did_you_mean(sheet, names)}"
            raise FileProblem("file-unreadable", detail=detail)
        names = [sheet if isinstance(sheet, str) else names[sheet]]
    sheets = []
    for name in names:
        data = reader.load_sheet(name, header_row=None, dtypes="string", n_rows=rows).to_polars()
        (r0, c0), merges = _layout(path, name)
        sheets.append(RawSheet(path, name, _named(data), r0 + 1, c0, merge_source=merges))
    return sheets


def _layout(path: Path, name: str) -> tuple[tuple[int, int], Callable[[], Ranges]]:
    """The sheet's first cell and a loader of its merged ranges: from the XML of an xlsx
    (cheap), else from calamine (which parses the sheet again)."""
    from industry_brain.ingest import xlsx_layout

    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        try:
            start = xlsx_layout.sheet_start(path, name)
        except (KeyError, ValueError, zipfile.BadZipFile):
            start = None
        if start is not None:
            return start, lambda: xlsx_layout.merged_ranges(path, name)
    from python_calamine import CalamineWorkbook

    info = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name)
    merged = [(a[0], a[1], b[0], b[1]) for a, b in (info.merged_cell_ranges or [])]
    return info.start or (0, 0), lambda: merged


def _shape(path: Path) -> tuple[str, int]:
    """The delimiter and the widest line among the first lines (title lines are narrower)."""
    with path.open("rb") as fh:
        head = fh.read(1 << 16).decode("utf-8", errors="ignore").splitlines()[:200]
    counts = {d: sum(line.count(d) for line in head) for d in (",", "\t", ";", "|")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    rows = csv.reader(head, delimiter=delimiter)
    return delimiter, max((len(r) for r in rows), default=1)


def _read_csv(path: Path, rows: int | None = None) -> RawSheet:
    with utf8_file(path) as (source, encoding):
        cells = _csv_cells(source, rows)
    return RawSheet(path, None, cells, 1, 0, encoding=encoding)


def _csv_cells(source: Path, rows: int | None) -> pl.DataFrame:
    """Every cell as text, read by polars from the (UTF-8) file itself."""
    delimiter, width = _shape(source)
    while True:  # a line wider than the first ones: read again wider, never truncate data
        schema = {f"c{i}": pl.Utf8 for i in range(width + SPARE)}
        try:
            frame = pl.read_csv(
                source,
                has_header=False,
                schema=schema,
                separator=delimiter,
                truncate_ragged_lines=True,
                missing_columns="insert",
                n_rows=rows,
            )
        except pl.exceptions.PolarsError as exc:
            raise FileProblem("file-unreadable", detail=str(exc)) from exc
        if frame.get_column(f"c{width + SPARE - 1}").null_count() == frame.height:
            break
        width *= 2
    used = [c for c in frame.columns if frame.get_column(c).null_count() < frame.height]
    last = int(used[-1][1:]) + 1 if used else 1
    return _unguarded(frame.select(frame.columns[:last]))


def _read_parquet(path: Path, rows: int | None = None) -> RawSheet:
    try:
        frame = pl.read_parquet(path, n_rows=rows)
    except Exception as exc:
        raise FileProblem("file-unreadable", detail=str(exc)) from exc
    header = pl.DataFrame([pl.Series(f"c{i}", [c]) for i, c in enumerate(frame.columns)])
    body = _named(frame.select(pl.all().cast(pl.Utf8)))
    return RawSheet(path, None, pl.concat([header, body]), 1, 0)
