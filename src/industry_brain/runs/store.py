"""Runs of any engine: evaluate a spec for a year and store it — the batches it rests on (and
those it left out), the spec's full text and hash, the code version, the results and their
digest — or read a stored run back with the spec it stored.

The same data and spec give the same results, byte for byte: `result_sha256` is the digest of
the result tables in the engine's canonical order and format.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import polars as pl

from industry_brain import __version__
from industry_brain.engines import engine as engine_named
from industry_brain.engines.base import Engine, RunRefused, Tables
from industry_brain.runs.spec_store import stored_spec
from industry_brain.warehouse import fetch, transaction
from industry_brain.warehouse.audit import record, system_actor
from industry_brain.warehouse.warehouse import Warehouse

RunError = RunRefused


@dataclass
class StoredRun:
    run_id: int
    engine: Engine
    spec: Any  # the engine's spec, as the run stored it
    year: int
    region_code: str
    inputs: list[int]
    result_sha256: str
    results: dict[str, pl.DataFrame]  # result table → rows (without run_id)
    created_at: Any = None


def inputs_of(
    con: Warehouse, year: int, status: str = "active", scoped: tuple[str, str] | None = None
) -> list[int]:
    """The batches an evaluation of `year` rests on: the enterprise data of this year, last
    year and the register, and with `scoped` (source, scope) every batch loaded for the run's
    spec (a plan's entered figures, `Engine.scoped_source`); with status "withdrawn", the ones
    of those it leaves out."""
    b = con.table("batch")
    states = [status] if status == "active" else ["withdrawn", "superseded"]
    used = b.scope.isnull() & (b.year.isin([year, year - 1]) | b.year.isnull())
    if scoped is not None:
        used |= (b.source == scoped[0]) & (b.scope == scoped[1])
    found = b.filter(b.status.isin(states) & used)
    return sorted(int(x) for x in found.batch_id.to_pyarrow().to_pylist())


def _scoped(engine: Engine, spec_name: str) -> tuple[str, str] | None:
    source = engine.scoped_source
    return None if source is None else (source, spec_name)


def run_row(con: Warehouse, run_id: int) -> dict[str, Any]:
    rows = fetch(con, "SELECT * FROM run WHERE run_id = ?", [int(run_id)])
    if not rows:
        raise RunError(f"no run {run_id}")
    return rows[0]


def changed_since(con: Warehouse, run_id: int) -> str | None:
    """Why the warehouse no longer gives this run's results (batches loaded or withdrawn, or
    the engine's own inputs changed since), or None when it still does."""
    run = run_row(con, run_id)
    year, found = run["year"], engine_named(run["engine"])
    scoped = _scoped(found, run["spec_name"])
    if json.loads(run["inputs"] or "[]") != inputs_of(con, year, scoped=scoped):
        return f"the batches of {year} changed since run {run_id}"
    if json.loads(run["excluded"] or "[]") != inputs_of(con, year, "withdrawn", scoped):
        return f"batches of {year} were withdrawn since run {run_id}"
    return found.changed_since(con, run)


def digest(*frames: pl.DataFrame) -> str:
    h = hashlib.sha256()
    for frame in frames:
        h.update(frame.write_csv(float_precision=12).encode())
    return h.hexdigest()


def tables_for(con: Warehouse, engine: Engine) -> Tables:
    return Tables(con.table, engine.reads)


def evaluate(con: Warehouse, engine: Engine, spec: Any, year: int) -> dict[str, pl.DataFrame]:
    """The engine's results of `spec` for `year`, nothing stored (what-if uses this)."""
    tables = tables_for(con, engine)
    engine.check(tables, spec, year)
    return engine.evaluate(tables, spec, year)


def create_run(
    con: Warehouse, engine: Engine, spec: Any, year: int, author: str | None = None
) -> StoredRun:
    """Evaluate and store a run; returns it."""
    results = evaluate(con, engine, spec, year)
    sha = digest(*(results[r.name] for r in engine.results))
    scoped = _scoped(engine, spec.name)
    inputs = inputs_of(con, year, scoped=scoped)
    excluded = inputs_of(con, year, "withdrawn", scoped)
    author = author or system_actor()
    created = datetime.now(UTC).replace(tzinfo=None)  # to the microsecond: corrections after it
    with transaction(con):
        run_id = int(con.table("run").run_id.max().to_pyarrow().as_py() or 0) + 1
        row = {
            "run_id": run_id, "engine": engine.name, "spec_name": spec.name,
            "spec_sha256": spec.sha256, "spec_text": engine.spec_text(spec), "year": year,
            "region_code": spec.region, "inputs": json.dumps(inputs),
            "excluded": json.dumps(excluded), "code_version": __version__,
            "result_sha256": sha, "created_at": created, "created_by": author,
        }  # fmt: skip
        con.insert("run", pl.DataFrame([row]))
        for table in engine.results:
            frame = results[table.name]
            if frame.height:
                con.insert(table.name, frame.select(pl.lit(run_id).alias("run_id"), pl.all()))
        detail = {"spec": spec.name, "year": year, "inputs": inputs, "excluded": excluded}
        record(con, author, "run.create", "run", run_id, spec.region, engine=engine.name, **detail)
    return StoredRun(run_id, engine, spec, year, spec.region, inputs, sha, results, created)


def load_run(con: Warehouse, run_id: int) -> StoredRun:
    """A stored run as its engine returned it, with the spec it stored."""
    run = run_row(con, run_id)
    found = engine_named(run["engine"])

    def part(table: str, order: tuple[str, ...]) -> pl.DataFrame:
        t = con.table(table)
        rows = t.filter(t.run_id == int(run_id)).to_polars().drop("run_id")
        return rows.sort(list(order)) if order and rows.height else rows

    results = {r.name: part(r.name, r.order) for r in found.results}
    return StoredRun(
        int(run_id), found, stored_spec(con, run_id), run["year"], run["region_code"],
        json.loads(run["inputs"]), run["result_sha256"], results, run["created_at"],
    )  # fmt: skip
