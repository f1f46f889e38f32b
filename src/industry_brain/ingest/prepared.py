"""A validated file made ready to load, holding no connection: its report, its batch row, the
rows for its source table and every error for `batch_error`.

Preparing is the slow part of a load (reading, placing and checking a million rows), so the
web's load job prepares in a worker process (`jobs/checking.py`) and the server only writes
what it gets back (`ingest/load.py`). The frames can travel as Parquet files (`spill`): the
server then inserts them with the database reading the file, not row by row in Python.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from industry_brain import __version__
from industry_brain.ingest.deliveries import content_sha256
from industry_brain.ingest.report import IngestReport, build_report, errors_frame, report_errors
from industry_brain.ingest.validate import Validation
from industry_brain.warehouse.schema import source_columns

ERROR_COLUMNS = ("code", "row", "column", "field", "value", "message")
Frame = pl.DataFrame | Path  # a frame, or the Parquet file it was spilled to


@dataclass
class Prepared:
    report: IngestReport  # "valid", or "invalid"/"failed" (then nothing else is set)
    record: dict[str, Any]  # the batch row, without its id, loader and time
    rows: Frame | None = None  # the source table's rows, batch_id 0
    errors: Frame | None = None  # every error, batch_id 0 (the report lists at most `keep`);
    # none for a dry run
    content: str | None = None  # the hash of the valid records: the same delivery again

    @property
    def ok(self) -> bool:
        return self.rows is not None

    def spill(self, folder: Path) -> Prepared:
        """The same, its frames written to Parquet files in `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        out = dataclasses.replace(self)
        for name in ("rows", "errors"):
            frame = getattr(self, name)
            if isinstance(frame, pl.DataFrame):
                path = folder / f"{name}.parquet"
                frame.write_parquet(path, statistics=False)
                setattr(out, name, path)
        return out

    def reported(self, status: str, batch_id: int | None) -> IngestReport:
        """The report as the load ends: loaded as a batch, or a duplicate of one."""
        loaded = self.report.rows_loaded if status == "loaded" else 0
        return dataclasses.replace(
            self.report, status=status, batch_id=batch_id, rows_loaded=loaded
        )


def prepare(
    v: Validation, sha: str, year: int | None, keep: int, dry_run: bool = False
) -> Prepared:
    """A validation made ready to load: its report says "failed" when the file failed ("invalid"
    for a dry run, which lists no errors for `batch_error` either); the batch's year is the one
    given, or the file's own when all its rows have one."""
    year = batch_year(v, year)
    if not v.ok:
        status = "invalid" if dry_run else "failed"
        return Prepared(build_report(v, status, sha, year, keep=keep), {})
    rows = source_rows(v)
    content = content_sha256(rows.drop("batch_id", "row_number"), list(rows.columns[2:]))
    errors = None if dry_run else _errors(v)
    report = build_report(v, "valid", sha, year, keep=keep)
    return Prepared(report, batch_record(v, sha, year), rows, errors, content)


def _errors(v: Validation) -> pl.DataFrame:
    """Every error, as rows of `batch_error` (batch_id 0 until loaded)."""
    return errors_frame(report_errors(v)).select(pl.lit(0).alias("batch_id"), *ERROR_COLUMNS)


def batch_year(v: Validation, year: int | None) -> int | None:
    if year is not None or v.valid is None or "year" not in v.valid.columns:
        return year
    years = v.valid.get_column("year").drop_nulls().unique()
    return int(years[0]) if len(years) == 1 else None


def source_rows(v: Validation) -> pl.DataFrame:
    """The valid records as rows of the source's table (batch_id 0 until loaded)."""
    assert v.valid is not None
    columns = [c for c in source_columns(v.spec) if c not in ("batch_id", "row_number")]
    frame = v.valid.rename({"__row": "row_number"}).with_columns(pl.lit(0).alias("batch_id"))
    missing = [c for c in columns if c not in frame.columns]
    frame = frame.with_columns(pl.lit(None).alias(c) for c in missing)
    return frame.select("batch_id", "row_number", *columns)


def batch_record(v: Validation, sha: str, year: int | None) -> dict[str, Any]:
    return {
        "source": v.spec.source,
        "file_name": v.file.name,
        "sha256": sha,
        "sheet": v.sheet,
        "year": year,
        "rows_in": v.rows_in,
        "rows_loaded": v.rows_valid,
        "rows_rejected": v.rows_rejected,
        "spec_sha256": v.spec.sha256,
        "code_version": __version__,
        "status": "active",
        "fields": ",".join(sorted({c.field for c in v.columns})),
    }
