"""Load a validated file as one batch: all or nothing, archived with its sha256, idempotent."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from industry_brain import __version__
from industry_brain.ingest.context import Scope
from industry_brain.ingest.deliveries import content_sha256, duplicate_of, supersede
from industry_brain.ingest.lookups import WarehouseLookups
from industry_brain.ingest.mappings import spec_for
from industry_brain.ingest.report import IngestReport, build_report, errors_frame, report_errors
from industry_brain.ingest.validate import Validation, validate_file
from industry_brain.warehouse import transaction
from industry_brain.warehouse.audit import record, system_actor
from industry_brain.warehouse.reconcile import reconcile
from industry_brain.warehouse.schema import source_columns
from industry_brain.workspace import Workspace


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _existing_batch(ws: Workspace, source: str, sha: str, scope: str | None) -> int | None:
    t = ws.con.table("batch")
    hits = t.filter((t.source == source) & (t.sha256 == sha) & (t.status == "active"))
    hits = hits.filter(hits.scope.isnull() if scope is None else hits.scope == scope)
    ids = hits.batch_id.to_pyarrow().to_pylist()
    return int(ids[0]) if ids else None


def _batch_year(v: Validation, year: int | None) -> int | None:
    if year is not None or v.valid is None or "year" not in v.valid.columns:
        return year
    years = v.valid.get_column("year").drop_nulls().unique()
    return int(years[0]) if len(years) == 1 else None


def _source_rows(v: Validation, batch_id: int) -> pl.DataFrame:
    assert v.valid is not None
    columns = [c for c in source_columns(v.spec) if c not in ("batch_id", "row_number")]
    frame = v.valid.rename({"__row": "row_number"}).with_columns(pl.lit(batch_id).alias("batch_id"))
    missing = [c for c in columns if c not in frame.columns]
    frame = frame.with_columns(pl.lit(None).alias(c) for c in missing)
    return frame.select("batch_id", "row_number", *columns)


def _archive(ws: Workspace, path: Path, sha: str) -> Path:
    target = ws.archive_dir / sha[:2] / f"{sha}{path.suffix.lower()}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        shutil.copyfile(path, tmp)
        tmp.replace(target)
    return target


def ingest_file(
    ws: Workspace,
    path: Path,
    source: str,
    year: int | None = None,
    sheet: str | int | None = None,
    dry_run: bool = False,
    loaded_by: str | None = None,
    region: str | None = None,
    scope: Scope | None = None,
) -> IngestReport:
    """Validate a department file and, unless dry_run, load it as one batch (the workspace's
    saved header mappings extend the source's headers). A load is audited as `loaded_by`, or
    as the command line's user; with `region`, rows of enterprises outside it are rejected.
    A source entered for one plan is loaded with it (`scope`), which its batch records."""
    spec = spec_for(ws.con, source)
    loaded_by = loaded_by or system_actor()
    sha, plan = file_sha256(path), scope.name if scope else None
    if not dry_run and (existing := _existing_batch(ws, source, sha, plan)) is not None:
        return IngestReport(str(path), source, "unchanged", sha, batch_id=existing)
    lookups = WarehouseLookups(ws.con, ws.parks())
    settings = ws.settings
    v = validate_file(
        path, spec, year, lookups, sheet, settings["max_rejected_share"], region,
        max_unpacked_mb=settings["max_unpacked_mb"], scope=scope,
    )  # fmt: skip
    batch_year, keep = _batch_year(v, year), settings["max_reported_errors"]
    if not v.ok:
        return build_report(v, "invalid" if dry_run else "failed", sha, batch_year, keep=keep)
    rows = _source_rows(v, 0)
    content = content_sha256(rows.drop("batch_id", "row_number"), list(rows.columns[2:]))
    if (same := duplicate_of(ws.con, source, content, plan)) is not None:
        return build_report(v, "duplicate", sha, batch_year, same, keep)
    if dry_run:
        return build_report(v, "valid", sha, batch_year, keep=keep)
    archived = _archive(ws, path, sha)
    t = ws.con.table("batch")
    with transaction(ws.con):
        batch_id = int(t.batch_id.max().to_pyarrow().as_py() or 0) + 1
        report = build_report(v, "loaded", sha, batch_year, batch_id, keep)
        record = _batch_record(v, batch_id, path.name, sha, batch_year, loaded_by)
        record |= {"archive_path": str(archived.relative_to(ws.path)), "content_sha256": content}
        record["scope"] = plan
        ws.con.insert("batch", pl.DataFrame([record]))
        errors = errors_frame(report_errors(v))  # the batch keeps every error, the report `keep`
        if errors.height:
            ws.con.insert(
                "batch_error",
                errors.select(
                    pl.lit(batch_id).alias("batch_id"),
                    "code",
                    "row",
                    "column",
                    "field",
                    "value",
                    "message",
                ),
            )
        ws.con.insert(f"src_{source}", rows.with_columns(pl.lit(batch_id).alias("batch_id")))
        if source == "register":
            ws.sync_parks()
        report.supersedes = supersede(ws.con, source, batch_id, loaded_by)
        for batch in (batch_id, *report.supersedes):
            reconcile(ws.con, source, batch)
        _audit(ws, report, path, loaded_by)
    return report


def _batch_record(
    v: Validation, batch_id: int, name: str, sha: str, year: int | None, actor: str
) -> dict[str, Any]:
    return {
        "batch_id": batch_id,
        "source": v.spec.source,
        "file_name": name,
        "sha256": sha,
        "sheet": v.sheet,
        "year": year,
        "rows_in": v.rows_in,
        "rows_loaded": v.rows_valid,
        "rows_rejected": v.rows_rejected,
        "spec_sha256": v.spec.sha256,
        "loaded_at": datetime.now(UTC).replace(tzinfo=None),
        "loaded_by": actor,
        "code_version": __version__,
        "status": "active",
        "fields": ",".join(sorted({c.field for c in v.columns})),
    }


def _audit(ws: Workspace, report: IngestReport, path: Path, actor: str) -> None:
    detail: dict[str, Any] = {"file": path.name, "source": report.source, "sha256": report.sha256}
    detail |= {"rows_loaded": report.rows_loaded, "rows_rejected": report.rows_rejected}
    record(ws.con, actor, "batch.load", "batch", report.batch_id or 0, None, **detail)
