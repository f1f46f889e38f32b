"""The ingest report: what happened to a file, every row accounted for, every error located."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from industry_brain.ingest.errors import BY_CODE
from industry_brain.ingest.kept import kept_errors
from industry_brain.ingest.messages_zh import message_zh
from industry_brain.ingest.problems import FileProblem
from industry_brain.ingest.validate import Validation

STATUSES = {
    "loaded": "the batch was loaded",
    "unchanged": "an identical file was already loaded: nothing changed",
    "duplicate": "the same data were already loaded from another file (batch_id): nothing changed",
    "failed": "the batch was not loaded: nothing changed",
    "valid": "dry run: the file would load",
    "invalid": "dry run: the file would not load",
}


@dataclass
class ReportError:
    code: str
    name: str
    severity: str
    title: str
    message: str
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    column_label: str | None
    field: str | None
    value: str | None
    message_zh: str = ""  # the message in Chinese, for the web report and the error list


@dataclass
class IngestReport:
    file: str
    source: str
    status: str
    sha256: str
    sheet: str | None = None
    encoding: str | None = None
    year: int | None = None
    batch_id: int | None = None
    header_row: int | None = None
    columns: list[dict[str, Any]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    unplaced_columns: list[dict[str, Any]] = field(default_factory=list)  # with reason, candidates
    rows_in: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_skipped: dict[str, int] = field(default_factory=dict)
    error_counts: dict[str, int] = field(default_factory=dict)  # exact, even when errors is cut
    errors: list[ReportError] = field(default_factory=list)
    errors_left_out: int = 0  # row errors beyond max_reported_errors, counted but not listed
    supersedes: list[int] = field(default_factory=list)  # older batches this one replaces

    @property
    def valid(self) -> bool:
        return self.status in ("loaded", "unchanged", "duplicate", "valid")

    def to_dict(self) -> dict[str, Any]:
        return {"valid": self.valid, **asdict(self)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=str)

    def codes(self) -> set[str]:
        return {e.code for e in self.errors}


def _error(
    row: dict[str, Any], file: str, sheet: str | None, labels: dict[str, str]
) -> ReportError:
    kind = BY_CODE[row["code"]]
    details = json.loads(row["extra"] or "{}")
    message = kind.format(value=row["value"], field=row["field"], **details)
    column = row["column"]
    zh = message_zh(kind.code, value=row["value"], field=column or row["field"], **details)
    return ReportError(
        kind.code,
        kind.name,
        kind.severity,
        kind.title,
        message,
        file,
        sheet,
        row["row"],
        column,
        labels.get(column or ""),
        row["field"],
        row["value"],
        zh,
    )


def _file_error(p: FileProblem, file: str, sheet: str | None) -> ReportError:
    e = p.error
    return ReportError(
        e.code,
        e.name,
        e.severity,
        e.title,
        p.message,
        file,
        sheet,
        None,
        p.column,
        p.details.get("label"),
        p.details.get("field"),
        None,
        message_zh(e.code, column=p.column, **p.details),
    )


def report_errors(v: Validation, keep: int | None = None) -> list[ReportError]:
    """The file-level errors, then the row errors by row: all of them, or at most `keep` in
    all (file-level errors first, then the first rows of every code)."""
    file = str(v.file)
    labels = {c.header: c.label for c in v.columns}
    errors = [_file_error(p, file, v.sheet) for p in (*v.problems, *v.notices)]
    rows = v.errors if keep is None else kept_errors(v.errors, max(keep - len(errors), 0))
    return errors + [_error(r, file, v.sheet, labels) for r in rows.iter_rows(named=True)]


def build_report(
    v: Validation,
    status: str,
    sha256: str,
    year: int | None,
    batch_id: int | None = None,
    keep: int | None = None,
) -> IngestReport:
    """The report of a validation; with `keep`, at most that many errors are listed."""
    errors = report_errors(v, keep)
    listed = len(errors) - len(v.problems) - len(v.notices)
    counts = v.errors.group_by("code").len().sort("code")
    error_counts = dict(zip(counts["code"], counts["len"], strict=True))
    for p in (*v.problems, *v.notices):
        error_counts[p.error.code] = error_counts.get(p.error.code, 0) + 1
    return IngestReport(
        file=str(v.file),
        source=v.spec.source,
        status=status,
        sha256=sha256,
        sheet=v.sheet,
        encoding=v.encoding,
        year=year,
        batch_id=batch_id,
        header_row=v.header_row,
        columns=[
            {
                "field": c.field,
                "header": c.path or c.header,
                "column": c.label,
                "unit": c.unit,
                "unit_from": c.unit_from,
                "part": c.part,
                "how": c.how,
                "confidence": c.confidence,
            }
            for c in v.columns
        ],
        unplaced_columns=list(v.unplaced),
        ignored_columns=list(v.ignored),
        rows_in=v.rows_in,
        rows_loaded=v.rows_valid if status in ("loaded", "valid") else 0,
        rows_rejected=v.rows_rejected,
        rows_skipped=v.skipped,
        error_counts=error_counts,
        errors=errors,
        errors_left_out=v.errors.height - listed,
    )


def errors_frame(errors: list[ReportError]) -> pl.DataFrame:
    """Errors as a table (for the batch_error table)."""
    rows = [asdict(e) for e in errors]
    schema = {k: pl.Utf8 for k in ReportError.__dataclass_fields__} | {"row": pl.Int64}
    return pl.DataFrame(rows, schema=schema)
