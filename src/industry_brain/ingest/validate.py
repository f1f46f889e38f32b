"""Validation: read a file, find its header, then run the ordered steps. Nothing is written.

Every data row ends up either valid or rejected (skipped blank and 合计 rows are counted apart),
so rows in = rows valid + rows rejected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from industry_brain.ingest.context import Context, Lookups, NoLookups
from industry_brain.ingest.errors import BY_CODE
from industry_brain.ingest.headers import Column, FileProblemGroup, find_header, map_columns
from industry_brain.ingest.problems import FileProblem, empty_errors
from industry_brain.ingest.read import RawSheet, read_file
from industry_brain.ingest.spec import SourceSpec, load_spec
from industry_brain.ingest.steps import checks, codes, conflicts, duplicates, parse, scope, uscc

Step = Callable[[Context], None]
TOTAL_MARKERS = ["合计", "总计", "小计", "合 计", "总 计"]


def drop_blank_rows(ctx: Context) -> None:
    """Rows with no value at all, and 合计/总计 rows without a code, are skipped and counted."""
    cols = [c for c in ctx.frame.columns if c != "__row"]
    blank = pl.all_horizontal(pl.col(c).is_null() for c in cols)
    text = [c for c in cols if ctx.frame.schema[c] == pl.Utf8]
    total = pl.any_horizontal(
        pl.col(c).str.replace_all(r"\s", "").is_in(TOTAL_MARKERS).fill_null(False) for c in text
    )
    frame = ctx.frame.with_columns(blank.alias("__blank"))
    no_code = frame.filter(pl.col("uscc").is_null() & ~pl.col("__blank"))
    totals = no_code.filter(total).get_column("__row")  # only rows without a code can be totals
    ctx.skipped["blank"] = frame.height - frame.filter(~pl.col("__blank")).height
    ctx.skipped["total"] = totals.len()
    ctx.frame = frame.filter(~pl.col("__blank") & ~pl.col("__row").is_in(totals.implode())).drop(
        "__blank"
    )


STEPS: list[tuple[str, Step]] = [
    ("clean_text", parse.clean_text),
    ("drop_blank_rows", drop_blank_rows),
    ("normalise_uscc", uscc.normalise_uscc),
    ("check_uscc", uscc.check_uscc),
    ("parse_numbers", parse.parse_numbers),
    ("parse_year", parse.parse_year),
    ("parse_dates", parse.parse_dates),
    ("parse_flags", parse.parse_flags),
    ("parse_choices", parse.parse_choices),
    ("resolve_regions", codes.resolve_regions),
    ("resolve_industries", codes.resolve_industries),
    ("resolve_parks", codes.resolve_parks),
    ("check_required_values", parse.check_required_values),
    ("check_ranges", checks.check_ranges),
    ("check_consistency", checks.check_consistency),
    ("check_duplicates", duplicates.check_duplicates),
    ("check_conflicts", conflicts.check_conflicts),
    ("check_region", scope.check_region),
]


@dataclass
class Validation:
    spec: SourceSpec
    file: Path
    sheet: str | None = None
    encoding: str | None = None
    header_row: int | None = None  # physical row number of the header
    columns: list[Column] = field(default_factory=list)
    ignored: tuple[str, ...] = ()
    rows_in: int = 0
    valid: pl.DataFrame | None = None  # typed accepted rows, with __row
    errors: pl.DataFrame = field(default_factory=empty_errors)
    skipped: dict[str, int] = field(default_factory=dict)
    problems: list[FileProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows_rejected(self) -> int:
        return 0 if self.valid is None else self.rows_in - self.valid.height

    @property
    def rows_valid(self) -> int:
        return 0 if self.valid is None else self.valid.height


def _frame(sheet: RawSheet, columns: dict[str, Column], header_row: int) -> pl.DataFrame:
    # One chunk per column (polars 2 read_csv leaves several): cheaper for every step after.
    body = sheet.cells.slice(header_row + 1).rechunk()
    start = sheet.first_row + header_row + 1
    return body.select(
        pl.int_range(start, start + body.height, dtype=pl.Int64).alias("__row"),
        *(pl.col(f"c{c.index}").alias(name) for name, c in columns.items()),
    )


def _pick_sheet(sheets: list[RawSheet], spec: SourceSpec) -> tuple[RawSheet, int]:
    first: FileProblem | None = None
    for sheet in sheets:
        try:
            return sheet, find_header(sheet, spec)
        except FileProblem as problem:
            first = first or problem
    assert first is not None
    raise first


def run_steps(ctx: Context, steps: list[tuple[str, Step]] = STEPS) -> None:
    for _, step in steps:
        step(ctx)


def validate_file(
    path: Path,
    source: str | SourceSpec,
    year: int | None = None,
    lookups: Lookups | None = None,
    sheet: str | int | None = None,
    max_rejected_share: float = 0.2,
    region: str | None = None,
) -> Validation:
    spec = source if isinstance(source, SourceSpec) else load_spec(source)
    result = Validation(spec, path)
    try:
        raw, header_row = _pick_sheet(read_file(path, sheet), spec)
        result.sheet, result.encoding = raw.sheet, raw.encoding
        result.header_row = raw.first_row + header_row
        header = map_columns(raw, spec, header_row)
    except FileProblem as problem:
        result.problems = [problem]
        return result
    except FileProblemGroup as group:
        result.problems, result.ignored = group.problems, group.ignored
        return result
    result.columns, result.ignored = list(header.columns.values()), header.ignored
    if spec.yearly and "year" not in header.columns and year is None:
        result.problems = [FileProblem("year-missing")]
        return result
    frame = _frame(raw, header.columns, header_row)
    ctx = Context(spec, raw, header, frame, year, lookups or NoLookups(), region)
    run_steps(ctx)
    result.skipped = ctx.skipped
    result.rows_in = ctx.frame.height
    result.errors = ctx.all_errors().sort("row", "code")
    rejected = result.errors.filter(
        pl.col("code").replace_strict({c: e.severity for c, e in BY_CODE.items()}) == "row"
    ).get_column("row")
    result.valid = ctx.frame.filter(~pl.col("__row").is_in(rejected.implode()))
    if result.rows_in == 0:
        result.problems = [FileProblem("empty-file")]
    elif (share := result.rows_rejected / result.rows_in) > max_rejected_share:
        result.problems = [
            FileProblem(
                "too-many-rejected",
                rejected=result.rows_rejected,
                rows=result.rows_in,
                share=share,
                limit=max_rejected_share,
            )
        ]
    return result
