"""Load a validated file as one batch: all or nothing, archived with its sha256, idempotent.

`ingest_file` does it all in this process; the web's load job prepares the file in a worker
process (`ingest/prepared.py`) and calls `write_batch` with what it gets back."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from industry_brain.ingest.context import Scope
from industry_brain.ingest.deliveries import duplicate_of, supersede
from industry_brain.ingest.lookups import WarehouseLookups
from industry_brain.ingest.mappings import spec_for
from industry_brain.ingest.prepared import Frame, Prepared, prepare
from industry_brain.ingest.report import IngestReport
from industry_brain.ingest.validate import validate_file
from industry_brain.warehouse import transaction
from industry_brain.warehouse.audit import record, system_actor
from industry_brain.warehouse.reconcile import reconcile
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
    sha, plan = file_sha256(path), scope.name if scope else None
    if not dry_run and (existing := _existing_batch(ws, source, sha, plan)) is not None:
        return IngestReport(str(path), source, "unchanged", sha, batch_id=existing)
    lookups = WarehouseLookups(ws.con, ws.parks())
    settings = ws.settings
    v = validate_file(
        path, spec, year, lookups, sheet, settings["max_rejected_share"], region,
        max_unpacked_mb=settings["max_unpacked_mb"], scope=scope,
    )  # fmt: skip
    keep = settings["max_reported_errors"]
    ready = prepare(v, sha, year, keep, dry_run)
    del v
    if not dry_run:
        return write_batch(ws, path, ready, loaded_by, plan)
    if ready.content and (same := duplicate_of(ws.con, source, ready.content, plan)) is not None:
        return ready.reported("duplicate", same)
    return ready.report


def write_batch(
    ws: Workspace,
    path: Path,
    ready: Prepared,
    loaded_by: str | None = None,
    plan: str | None = None,
) -> IngestReport:
    """Load a prepared file as one batch, all or nothing: its rows, its errors, the batches it
    supersedes and the reconciled tables; a file that failed, or whose records are loaded
    already (the same file, or the same records), changes nothing. A source entered for one
    plan is compared with that plan's batches only, and its batch records the plan."""
    source, loaded_by, sha = ready.report.source, loaded_by or system_actor(), ready.report.sha256
    if not ready.ok:
        return ready.report
    if (existing := _existing_batch(ws, source, sha, plan)) is not None:
        return IngestReport(str(path), source, "unchanged", sha, batch_id=existing)
    assert ready.rows is not None and ready.errors is not None and ready.content is not None
    if (same := duplicate_of(ws.con, source, ready.content, plan)) is not None:
        return ready.reported("duplicate", same)
    archived = _archive(ws, path, sha)
    t = ws.con.table("batch")
    with transaction(ws.con):
        batch_id = int(t.batch_id.max().to_pyarrow().as_py() or 0) + 1
        report = ready.reported("loaded", batch_id)
        record = ready.record | {"batch_id": batch_id, "content_sha256": ready.content}
        record |= {"archive_path": str(archived.relative_to(ws.path)), "loaded_by": loaded_by}
        record |= {"loaded_at": datetime.now(UTC).replace(tzinfo=None), "scope": plan}
        ws.con.insert("batch", pl.DataFrame([record]))
        _insert(ws, "batch_error", ready.errors, batch_id)
        _insert(ws, f"src_{source}", ready.rows, batch_id)
        if source == "register":
            ws.sync_parks()
        report.supersedes = supersede(ws.con, source, batch_id, loaded_by)
        reconcile(ws.con, source, batch_id, *report.supersedes)
        _audit(ws, report, path, loaded_by)
    return report


def _insert(ws: Workspace, table: str, rows: Frame, batch_id: int) -> None:
    """The rows (a frame, or a Parquet file of them) into a table, as rows of the batch."""
    if isinstance(rows, Path):
        ws.con.insert_file(table, rows, batch_id=batch_id)
    elif rows.height:
        ws.con.insert(table, rows.with_columns(pl.lit(batch_id, pl.Int64).alias("batch_id")))


def _audit(ws: Workspace, report: IngestReport, path: Path, actor: str) -> None:
    detail: dict[str, Any] = {"file": path.name, "source": report.source, "sha256": report.sha256}
    detail |= {"rows_loaded": report.rows_loaded, "rows_rejected": report.rows_rejected}
    record(ws.con, actor, "batch.load", "batch", report.batch_id or 0, None, **detail)
