"""Validation: read a file, find its header block and place its columns, then run the ordered
steps. Nothing is written.

Every data row ends up either valid or rejected (blank, 合计, note and repeated header rows are
skipped and counted apart), so rows in = rows valid + rows rejected, counted as rows of the
sheet even where a row becomes several records (one per pollutant).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from industry_brain.ingest.choice import best_layout
from industry_brain.ingest.context import Context, Lookups, NoLookups, Scope
from industry_brain.ingest.errors import BY_CODE
from industry_brain.ingest.headers import Column, FileProblemGroup, HeaderMap
from industry_brain.ingest.headers import map_columns as place_columns
from industry_brain.ingest.layout import SCAN_ROWS
from industry_brain.ingest.problems import FileProblem, empty_errors
from industry_brain.ingest.read import RawSheet, read_file
from industry_brain.ingest.rows import skip_kinds, unmerged
from industry_brain.ingest.spec import SourceSpec, SpecError, load_spec
from industry_brain.ingest.steps import (
    checks,
    codes,
    conflicts,
    duplicates,
    numbers,
    parse,
    parts,
    plans,
    purchases,
    scope,
    uscc,
    uscc_number,
)
from industry_brain.ingest.unpacked import DEFAULT_LIMIT_MB

Step = Callable[[Context], None]


def drop_skipped_rows(ctx: Context) -> None:
    """Blank rows, 合计/小计 rows, 注/说明 rows and repeated headers are skipped and counted."""
    kinds = ctx.frame.get_column("__skip")
    counts = kinds.drop_nulls().value_counts()
    ctx.skipped = {k: int(n) for k, n in zip(counts["__skip"], counts["count"], strict=True)}
    ctx.frame = ctx.frame.filter(pl.col("__skip").is_null()).drop("__skip")


STEPS: list[tuple[str, Step]] = [
    ("drop_skipped_rows", drop_skipped_rows),
    ("clean_text", parse.clean_text),
    ("normalise_uscc", uscc.normalise_uscc),
    ("drop_part_totals", parts.drop_part_totals),
    ("check_uscc_number", uscc_number.check_uscc_number),
    ("check_uscc", uscc.check_uscc),
    ("parse_numbers", numbers.parse_numbers),
    ("parse_year", parse.parse_year),
    ("check_period", plans.check_period),
    ("parse_dates", parse.parse_dates),
    ("parse_flags", parse.parse_flags),
    ("parse_choices", parse.parse_choices),
    ("resolve_pollutants", parts.resolve_pollutants),
    ("fill_plan_region", plans.fill_plan_region),
    ("resolve_regions", codes.resolve_regions),
    ("resolve_places", purchases.resolve_places),
    ("resolve_industries", codes.resolve_industries),
    ("resolve_parks", codes.resolve_parks),
    ("resolve_indicators", plans.resolve_indicators),
    ("check_ranges", checks.check_ranges),
    ("combine_months", parts.combine_months),
    ("check_required_values", parse.check_required_values),
    ("check_unless", purchases.check_unless),
    ("check_consistency", checks.check_consistency),
    ("check_duplicates", duplicates.check_duplicates),
    ("net_amounts", purchases.net_amounts),
    ("check_lessors", parts.check_lessors),
    ("check_conflicts", conflicts.check_conflicts),
    ("check_region", scope.check_region),
    ("melt_pollutants", parts.melt_pollutants),
]


@dataclass
class Validation:
    spec: SourceSpec
    file: Path
    sheet: str | None = None
    encoding: str | None = None
    header_row: int | None = None  # physical row number of the (last) header row
    columns: list[Column] = field(default_factory=list)
    ignored: tuple[str, ...] = ()
    unplaced: tuple[dict[str, object], ...] = ()  # columns not read, with the reason
    rows_in: int = 0
    rows_valid: int = 0
    valid: pl.DataFrame | None = None  # typed accepted records, with __row
    errors: pl.DataFrame = field(default_factory=empty_errors)
    skipped: dict[str, int] = field(default_factory=dict)
    problems: list[FileProblem] = field(default_factory=list)  # the file fails
    notices: list[FileProblem] = field(default_factory=list)  # file-level warnings

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rows_rejected(self) -> int:
        return 0 if self.valid is None else self.rows_in - self.rows_valid


def _frame(sheet: RawSheet, header: HeaderMap, identity: str) -> pl.DataFrame:
    # One chunk per column (polars 2 read_csv leaves several): cheaper for every step after.
    body = unmerged(sheet, sheet.cells.slice(header.first_data).rechunk(), header.first_data)
    start = sheet.first_row + header.first_data
    return body.select(
        pl.int_range(start, start + body.height, dtype=pl.Int64).alias("__row"),
        *(pl.col(f"c{c.index}").alias(name) for name, c in header.columns.items()),
        skip_kinds(body, header, identity).alias("__skip"),
    )


def run_steps(ctx: Context, steps: list[tuple[str, Step]] = STEPS) -> None:
    for _, step in steps:
        step(ctx)


def _read(
    result: Validation,
    path: Path,
    spec: SourceSpec,
    year: int | None,
    sheet: str | int | None,
    max_unpacked_mb: float,
) -> tuple[RawSheet, HeaderMap] | None:
    try:
        sheets = read_file(path, sheet, max_unpacked_mb)
        layout = best_layout(sheets, spec, year)
        if layout is None and not any(s.cells.height for s in sheets):
            raise FileProblem("empty-file")
        if layout is None:
            where = sheets[0].sheet or path.name
            expected = "、".join(spec.field(k).title for k in spec.key if k != "year")
            raise FileProblem(
                "header-not-found",
                rows=SCAN_ROWS,
                sheet=where,
                source=spec.source,
                title=spec.title,
                expected=expected,
            )
        result.sheet, result.encoding = layout.sheet.sheet, layout.sheet.encoding
        result.header_row = layout.sheet.first_row + layout.block.rows[-1]
        header = place_columns(layout, spec)
    except FileProblem as problem:
        result.problems = [problem]
        return None
    except FileProblemGroup as group:
        result.problems, result.ignored = group.problems, group.ignored
        result.notices = list(group.notices)
        return None
    result.columns, result.ignored = list(header.columns.values()), header.ignored
    result.notices, result.unplaced = list(header.notices), header.unplaced
    return layout.sheet, header


def validate_file(
    path: Path,
    source: str | SourceSpec,
    year: int | None = None,
    lookups: Lookups | None = None,
    sheet: str | int | None = None,
    max_rejected_share: float = 0.2,
    region: str | None = None,
    max_unpacked_mb: float = DEFAULT_LIMIT_MB,
    scope: Scope | None = None,
) -> Validation:
    """Validate a file as the source; a source loaded for one plan needs the plan (`scope`),
    and a spec's own `max_rejected_share` (0 for official figures) wins over the argument."""
    spec = source if isinstance(source, SourceSpec) else load_spec(source)
    if spec.scope is not None and scope is None:
        raise SpecError(
            f"{spec.source} is entered for one {spec.scope}: name it (industry-brain actuals)",
            message=f"{spec.title}须按规划导入：industry-brain actuals 文件 --plan 规划",
        )
    if spec.max_rejected_share is not None:
        max_rejected_share = spec.max_rejected_share
    result = Validation(spec, path)
    found = _read(result, path, spec, year, sheet, max_unpacked_mb)
    if found is None:
        return result
    raw, header = found
    if spec.yearly and "year" not in header.columns and year is None:
        result.problems = [FileProblem("year-missing")]
        return result
    frame = _frame(raw, header, spec.identity)
    raw.cells = raw.cells.head(header.first_data)  # the body is in the frame: free the cells
    ctx = Context(spec, raw, header, frame, year, lookups or NoLookups(), region, scope=scope)
    del frame
    run_steps(ctx)
    result.skipped = ctx.skipped
    result.rows_in = ctx.frame.get_column("__row").n_unique()
    result.errors = ctx.all_errors().sort("row", "code")
    rejected = result.errors.filter(
        pl.col("code").replace_strict({c: e.severity for c, e in BY_CODE.items()}) == "row"
    ).get_column("row")
    result.valid = ctx.frame.filter(~pl.col("__row").is_in(rejected.implode()))
    result.rows_valid = result.valid.get_column("__row").n_unique()
    result.notices += ctx.notices
    if ctx.problems:  # the file is refused as a whole (a unit it does not declare): no rows judged
        result.problems, result.valid = ctx.problems, None
        result.rows_in = result.rows_valid = 0
        result.errors = empty_errors()
    elif result.rows_in == 0:
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
