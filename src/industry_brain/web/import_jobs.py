"""The import's jobs: checking uploaded files (in a worker process, against a snapshot of the
warehouse's lookups) and loading them (in the runner's thread, one writer at a time). Each
takes the upload's folder and plain values, never the request."""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from industry_brain.ingest.deliveries import duplicate_of
from industry_brain.ingest.load import write_batch
from industry_brain.ingest.mappings import MappingError, save_mapping
from industry_brain.ingest.spec import SOURCES, load_spec
from industry_brain.jobs import checking, snapshot, workers
from industry_brain.jobs.pool import WorkerCrashed
from industry_brain.jobs.runner import JobContext, JobError, Work
from industry_brain.suggest import did_you_mean
from industry_brain.web import uploads

log = logging.getLogger(__name__)
LIMITS = ("max_unpacked_mb", "max_rejected_share", "max_reported_errors")
BUSY = "busy"  # marks an upload a job is working on: no second job until it is done


def claim(at: Path, worker: str) -> bool:
    """Mark the upload as being worked on by a job of `worker` (a runner's name); False when
    a job already is."""
    try:
        with (at / BUSY).open("x", encoding="utf-8") as marker:
            marker.write(worker)
    except FileExistsError:
        return False
    return True


def release(at: Path) -> None:
    (at / BUSY).unlink(missing_ok=True)


def release_all(ws_path: Path) -> None:
    """At start: uploads marked by the jobs of app processes that are gone are free again
    (those of other app workers still running are theirs)."""
    for marker in uploads.root(ws_path).glob(f"*/{BUSY}"):
        try:
            worker = marker.read_text("utf-8").strip()
        except OSError:
            continue
        if workers.gone(worker):
            marker.unlink(missing_ok=True)


def _checked(ctx: JobContext, found: dict[str, Any]) -> dict[str, Any]:
    """A worker's answer completed in the parent: a duplicate of a loaded batch says so; the
    source's fields and units for the mapping form."""
    item, report = found["item"], found["item"]["report"]
    if found["content"] and (same := duplicate_of(ctx.ws.con, item["source"], found["content"])):
        report |= {"status": "duplicate", "batch_id": same, "rows_loaded": 0}  # as build_report
    spec = load_spec(item["source"])
    fields = {f.name: f.title for f in spec.fields}
    units = {f.name: f.unit for f in spec.fields if f.unit}
    return dict(item) | {"fields": fields, "units": units}


def check(at: Path, items: list[dict[str, Any]], which: list[int], fresh: bool = False) -> Work:
    """Check the items at `which` (each read in the worker process), keep the others; a fresh
    upload that fails leaves nothing behind."""

    def work(ctx: JobContext) -> dict[str, Any]:
        limits = {k: ctx.ws.settings[k] for k in LIMITS}
        out, peak = list(items), 0.0
        try:
            with tempfile.TemporaryDirectory(prefix="ib-lookups-") as folder:
                ctx.progress(0.02, "读取平台已有数据（企业名录、表头映射）")
                snap = snapshot.take(ctx.ws, Path(folder))
                for n, i in enumerate(which):
                    stage = f"读取并校验第 {n + 1}/{len(which)} 个文件：{items[i]['name']}"
                    ctx.progress(0.05 + 0.9 * n / len(which), stage)
                    found = ctx.in_worker(
                        checking.check, str(at / items[i]["path"]), items[i], snap, limits
                    )
                    out[i], peak = _checked(ctx, found), max(peak, found["peak_rss_mb"])
            uploads.save(at, out)
        except BaseException:
            if fresh:
                shutil.rmtree(at, ignore_errors=True)
            raise
        finally:
            release(at)
        return {"url": f"/import/{at.name}", "token": at.name, "worker_peak_rss_mb": peak}

    return work


def check_mapping(source: str, header: str, field: str) -> None:
    """What `save_mapping` refuses, refused before a job is started (MappingError)."""
    if source not in SOURCES:
        raise MappingError(f"unknown source {source!r}")
    names = [f.name for f in load_spec(source).fields]
    if field not in names:
        raise MappingError(f"{source} has no field {field!r}{did_you_mean(field, names)}")
    if not header.strip():
        raise MappingError("the header is empty")


def remap(at: Path, mapping: tuple[str, str, str], username: str, cache: Any) -> Work:
    """Save a header mapping (a change: under the writer lock), then check every file again."""
    source, header, field = mapping
    items = uploads.pending(at)
    again = check(at, items, list(range(len(items))))

    def work(ctx: JobContext) -> dict[str, Any]:
        try:
            with ctx.writing():
                save_mapping(ctx.ws.con, source, header, field, username)
        except MappingError as exc:
            release(at)
            raise JobError("mapping_refused", f"表头映射未保存：{exc}") from None
        cache.invalidate(username)
        return again(ctx)

    return work


def load(at: Path, username: str, region: str, cache: Any) -> Work:
    """Load every valid file as one batch each, then keep only what became of them. Each file
    is read and checked again in the worker process, against lookups taken under the writer
    lock (a register loaded just before counts); this process only writes the batch."""

    def work(ctx: JobContext) -> dict[str, Any]:
        try:
            items = uploads.pending(at)
            done = []
            with ctx.writing():
                for n, item in enumerate(items):
                    ctx.progress(
                        n / len(items), f"导入第 {n + 1}/{len(items)} 个文件：{item['name']}"
                    )
                    done.append(_load_one(ctx, at, item | {"region": region}, username))
            cache.invalidate(username)
            uploads.finish(at, done)
        finally:
            release(at)
        batches = [f["batch_id"] for f in done if f.get("batch_id")]
        return {"url": f"/import/{at.name}/result", "token": at.name, "batches": batches}

    return work


def _load_one(ctx: JobContext, at: Path, item: dict[str, Any], username: str) -> dict[str, Any]:
    """Load one file; what became of it (a file that fails changes nothing)."""
    path = at / item["path"]
    limits = {k: ctx.ws.settings[k] for k in LIMITS}
    try:
        with tempfile.TemporaryDirectory(prefix="ib-load-") as folder:
            snap = snapshot.take(ctx.ws, Path(folder) / "lookups")
            found = ctx.in_worker(
                checking.prepare_load, str(path), item, snap, limits, f"{folder}/rows"
            )
            report = write_batch(ctx.ws, path, found["prepared"], username)
    except WorkerCrashed:
        raise
    except Exception:  # the batch's transaction was rolled back: say so, keep the others
        log.exception("loading %s failed", path)
        return uploads.outcome(item, {"status": "error", "valid": False, "errors": []})
    return uploads.outcome(item, report.to_dict())
