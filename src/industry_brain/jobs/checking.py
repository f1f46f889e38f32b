"""What a worker process runs: read, guess and check one uploaded file against a snapshot of
the warehouse's lookups (`snapshot.take`), as `ingest_file(..., dry_run=True)` does with a
connection. Plain data in, plain data out: no connection crosses the process boundary.

The one lookup left to the parent is whether the same records are already loaded
(`deliveries.duplicate_of`): the worker returns the records' content hash for it."""

from __future__ import annotations

import gc
import resource
from dataclasses import asdict
from pathlib import Path
from typing import Any

from industry_brain.ingest.deliveries import content_sha256
from industry_brain.ingest.guess import guess_source
from industry_brain.ingest.load import _batch_year, _source_rows, file_sha256
from industry_brain.ingest.mappings import with_mappings
from industry_brain.ingest.report import build_report
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
    source, year = out["source"], out["year"]
    spec = with_mappings(load_spec(source), snap["saved"].get(source, {}))
    lookups = SnapshotLookups(Path(snap["folder"]), snap["parks"])
    v = validate_file(
        file, spec, year, lookups, None, limits["max_rejected_share"], out.get("region"),
        max_unpacked_mb=limits["max_unpacked_mb"],
    )  # fmt: skip
    sha, batch_year, keep = file_sha256(file), _batch_year(v, year), limits["max_reported_errors"]
    content = None
    if v.ok:
        rows = _source_rows(v, 0)
        content = content_sha256(rows.drop("batch_id", "row_number"), list(rows.columns[2:]))
    status = "valid" if v.ok else "invalid"
    out["report"] = build_report(v, status, sha, batch_year, keep=keep).to_dict()
    del v
    gc.collect()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"item": out, "content": content, "peak_rss_mb": round(peak, 1)}
