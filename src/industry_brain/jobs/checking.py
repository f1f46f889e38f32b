"""What a worker process runs: read, guess and check one uploaded file against a snapshot of
the warehouse's lookups (`snapshot.take`), as `ingest_file(..., dry_run=True)` does with a
connection; or prepare it to load, leaving the server only the writing (`load.write_batch`).
Plain data in, plain data out: no connection crosses the process boundary.

The one lookup left to the parent is whether the same records are already loaded
(`deliveries.duplicate_of`): the worker returns the records' content hash for it."""

from __future__ import annotations

import gc
import resource
from dataclasses import asdict
from pathlib import Path
from typing import Any

from industry_brain.ingest.guess import guess_source
from industry_brain.ingest.load import file_sha256
from industry_brain.ingest.mappings import with_mappings
from industry_brain.ingest.prepared import Prepared, prepare
from industry_brain.ingest.spec import SOURCES, load_spec
from industry_brain.ingest.validate import validate_file
from industry_brain.jobs.snapshot import SnapshotLookups


def check(path: str, item: dict[str, Any], snap: dict[str, Any], limits: dict[str, Any]) -> Any:
    """The item (name, source — "auto" to guess —, year, region) with its guesses, its source
    and dry-run report; `content` is the hash of its valid records (None when invalid) and
    `peak_rss_mb` the worker's peak memory so far."""
    file = Path(path)
    out = dict(item)
    if item["source"] == "auto" or "guesses" not in item:
        guesses = guess_source(file, limits["max_unpacked_mb"])
        out["guesses"] = [asdict(g) for g in guesses[:3]]
        if item["source"] == "auto":
            out["source"] = guesses[0].source if guesses else SOURCES[0]
    ready = _prepared(file, out, snap, limits, dry_run=True)
    out["report"], content = ready.report.to_dict(), ready.content
    del ready
    return {"item": out, "content": content, "peak_rss_mb": _peak()}


def prepare_load(
    path: str, item: dict[str, Any], snap: dict[str, Any], limits: dict[str, Any], folder: str
) -> Any:
    """The item's file prepared to load (`ingest/prepared.py`), its rows and errors written
    as Parquet files in `folder` for the server to insert; and the worker's peak memory."""
    ready = _prepared(Path(path), item, snap, limits, dry_run=False).spill(Path(folder))
    return {"prepared": ready, "peak_rss_mb": _peak()}


def _prepared(
    file: Path, item: dict[str, Any], snap: dict[str, Any], limits: dict[str, Any], dry_run: bool
) -> Prepared:
    source, year = item["source"], item["year"]
    spec = with_mappings(load_spec(source), snap["saved"].get(source, {}))
    lookups = SnapshotLookups(Path(snap["folder"]), snap["parks"])
    v = validate_file(
        file, spec, year, lookups, None, limits["max_rejected_share"], item.get("region"),
        max_unpacked_mb=limits["max_unpacked_mb"],
    )  # fmt: skip
    return prepare(v, file_sha256(file), year, limits["max_reported_errors"], dry_run)


def _peak() -> float:
    """The worker's peak memory (MB), once the validation's frames are freed."""
    gc.collect()
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
