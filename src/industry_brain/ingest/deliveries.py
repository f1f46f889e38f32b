"""Deliveries: the same data sent again, and a corrected file sent to replace one.

A department re-sends a file as .xls, as a GBK or a UTF-8 CSV, re-saved by WPS: the bytes
differ, the data do not. Each batch records the sha256 of its normalised rows (the accepted
records in canonical units, sorted, numbers to 10 significant digits), so another delivery of the
same rows is recognised and not loaded again. A corrected file that covers (almost) all of an
older batch's enterprises of the same source and year, with at least the same figures,
supersedes it: the older batch is kept but no longer used, like a withdrawn one. Batches entered
for a plan (`batch.scope`) are compared only with those of the same plan.
"""

from __future__ import annotations

import hashlib
import io

import polars as pl

from industry_brain.ingest.spec import load_spec
from industry_brain.warehouse import execute
from industry_brain.warehouse.audit import record
from industry_brain.warehouse.warehouse import Warehouse

COVERAGE = 0.9  # share of an older batch's enterprises a new batch must have to supersede it


def content_sha256(frame: pl.DataFrame, columns: list[str]) -> str:
    """sha256 of the records as data: column order, row order, file format and float noise
    (12345.67 × 0.0001 against 1.234567) do not change it."""
    canonical = frame.select(
        (pl.col(c).round_sig_figs(10) if frame.schema[c] == pl.Float64 else pl.col(c)).cast(pl.Utf8)
        for c in sorted(columns)
    )
    data = io.BytesIO()
    canonical.sort(canonical.columns, nulls_last=True).write_csv(data)
    return hashlib.sha256(data.getvalue()).hexdigest()


def duplicate_of(con: Warehouse, source: str, content: str, scope: str | None = None) -> int | None:
    """The active batch of the source (and plan) that holds exactly these records, if any."""
    t = con.table("batch")
    hits = t.filter((t.source == source) & (t.content_sha256 == content) & (t.status == "active"))
    hits = hits.filter(hits.scope.isnull() if scope is None else hits.scope == scope)
    ids = hits.batch_id.to_pyarrow().to_pylist()
    return int(min(ids)) if ids else None


def _keys(con: Warehouse, source: str, batch_id: int) -> pl.DataFrame:
    rows = con.table(f"src_{source}")
    key = list(load_spec(source).key)
    return rows.filter(rows.batch_id == batch_id).select(*key).distinct().to_polars()


def supersede(con: Warehouse, source: str, batch_id: int, actor: str) -> list[int]:
    """Mark the active batches of the source that the new batch covers as superseded (inside
    the load's transaction); returns their ids."""
    new = _keys(con, source, batch_id)
    b = con.table("batch")
    mine = b.filter(b.source == source).select("batch_id", "status", "fields", "scope").to_polars()
    own = mine.filter(pl.col("batch_id") == batch_id).item(0, "scope")  # a plan's, or none
    mine = mine.filter(pl.col("scope").eq_missing(pl.lit(own, pl.Utf8)))
    has = {r["batch_id"]: set((r["fields"] or "").split(",")) for r in mine.iter_rows(named=True)}
    done = []
    for old_id in sorted(mine.filter(pl.col("status") == "active")["batch_id"].to_list()):
        old = _keys(con, source, old_id) if old_id != batch_id else pl.DataFrame()
        covered = old.height and old.join(new, on=old.columns).height >= COVERAGE * old.height
        # Tables sent apart (产值, then 财务) cover the same enterprises with other figures.
        if not covered or not has[old_id] <= has[batch_id]:
            continue
        reason = f"superseded by batch {batch_id}"
        sql = "UPDATE batch SET status = 'superseded', superseded_by = ?, withdrawn_by = ?, "
        params = [batch_id, actor, reason, old_id]
        execute(con, sql + "withdrawn_reason = ? WHERE batch_id = ?", params)
        record(con, actor, "batch.supersede", "batch", old_id, None, by=batch_id, source=source)
        done.append(old_id)
    return done
