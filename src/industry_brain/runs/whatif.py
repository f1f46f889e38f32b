"""What-if for any engine that offers it (`Engine.compared`): a changed spec against a stored
run, and the same comparison between a run and the run made before it (new data, a withdrawn
batch, an appeal). The engine computes the compared table and says what differs; nothing is
stored: this is the impact analysis a bureau makes before it publishes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from industry_brain.engines import engine as engine_named
from industry_brain.engines.base import Engine, NotSupported
from industry_brain.runs.store import run_row, tables_for
from industry_brain.warehouse.warehouse import Warehouse


@dataclass
class WhatIf:
    base_run: int
    spec: Any
    changes: pl.DataFrame  # subjects whose result differs
    summary: pl.DataFrame  # the engine's summary of the differences


def _compared(con: Warehouse, run_id: int) -> tuple[dict[str, Any], Engine, pl.DataFrame]:
    """The run's row, its engine and its stored compared table."""
    run = run_row(con, run_id)
    found = engine_named(run["engine"])
    if found.compared is None:
        raise NotSupported(f"run {run_id}: the {found.title} engine has no what-if")
    t = con.table(found.compared)
    rows = t.filter(t.run_id == int(run_id)).drop("run_id")
    return run, found, rows.select(*found.compared_columns or rows.columns).to_polars()


def what_if(con: Warehouse, run_id: int, spec: Any) -> WhatIf:
    """What `spec` would change against stored run `run_id` (same year, today's data)."""
    run, found, before = _compared(con, run_id)
    tables = tables_for(con, found)
    found.check(tables, spec, run["year"])
    changes, summary = found.compare(before, found.outcome(tables, spec, run["year"]))
    return WhatIf(run_id, spec, changes, summary)


def previous_run(con: Warehouse, run_id: int) -> int | None:
    """The run made before this one for the same region and year (any spec), if any."""
    runs = con.table("run").to_polars()
    this = runs.filter(pl.col("run_id") == run_id)
    if this.height == 0:
        return None
    same = (pl.col("region_code") == this["region_code"][0]) & (pl.col("year") == this["year"][0])
    earlier = runs.filter(same, pl.col("engine") == this["engine"][0], pl.col("run_id") < run_id)
    return int(earlier["run_id"].max()) if earlier.height else None


def compare_runs(con: Warehouse, run_id: int, earlier_id: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """What changed from an earlier stored run to this one (runs of one engine)."""
    _, found, after = _compared(con, run_id)
    _, other, before = _compared(con, earlier_id)
    if other is not found:
        raise NotSupported(f"runs {earlier_id} and {run_id} are of different engines")
    return found.compare(before, after)
