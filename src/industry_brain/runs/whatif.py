"""What-if: a changed method spec against a stored run — who changes grade, by county and group —
and the same comparison between a run and the run made before it (new data, a withdrawn batch,
an appeal). Nothing is stored: this is the impact analysis a bureau makes before it publishes.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from industry_brain.engines.permu.engine import evaluate
from industry_brain.engines.permu.spec import GRADES, MethodSpec
from industry_brain.reference.regions import county_of
from industry_brain.warehouse.warehouse import Warehouse

ORDER = {g: i for i, g in enumerate(GRADES)}


@dataclass
class WhatIf:
    base_run: int
    spec: MethodSpec
    changes: pl.DataFrame  # enterprises whose grade or status differs
    summary: pl.DataFrame  # by county and group: evaluated, changed, up, down


SCORES = ["uscc", "name", "region_code", "status", "grade", "total", "group"]  # what compare reads


def _base(con: Warehouse, run_id: int) -> tuple[int, pl.DataFrame]:
    run = con.table("run").filter(lambda t: t.run_id == run_id).select("year").to_polars()
    if run.height == 0:
        raise ValueError(f"no stored run {run_id}")
    scores = con.table("permu_score").filter(lambda t: t.run_id == run_id).select(*SCORES)
    return int(run["year"][0]), scores.to_polars()


def what_if(con: Warehouse, run_id: int, spec: MethodSpec) -> WhatIf:
    year, before = _base(con, run_id)
    result = evaluate(con.table("enterprise_year"), con.table("enterprise"), spec, year)
    after = result.select(*SCORES[3:], "uscc").to_polars()  # only what compare reads
    changes, summary = compare(before, after)
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
    """Who changed grade or status from an earlier stored run to this one, and by how much."""
    _, before = _base(con, earlier_id)
    _, after = _base(con, run_id)
    return compare(before, after)


def compare(before: pl.DataFrame, after: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Changes (enterprises whose grade or status differs) and a summary by county and group:
    evaluated, changed, up (a better grade), down."""
    cols = ["uscc", "status", "grade", "total", "group"]
    joined = (
        before.select("uscc", "name", "region_code", *cols[1:])
        .join(after.select(cols), on="uscc", how="full", suffix="_after", coalesce=True)
        .with_columns(county_of(pl.col("region_code")).alias("county"))
    )
    rank = {g: float(i) for g, i in ORDER.items()}
    joined = joined.with_columns(
        (
            pl.col("grade_after").replace_strict(rank, default=None)
            - pl.col("grade").replace_strict(rank, default=None)
        ).alias("shift")
    )
    differ = pl.col("grade").ne_missing(pl.col("grade_after")) | pl.col("status").ne_missing(
        pl.col("status_after")
    )
    changes = joined.filter(differ).sort("county", "group", "uscc")
    summary = (
        joined.group_by("county", "group")
        .agg(
            evaluated=(pl.col("status") == "evaluated").sum(),
            changed=differ.sum(),
            up=(pl.col("shift") < 0).sum(),
            down=(pl.col("shift") > 0).sum(),
        )
        .sort("county", "group")
    )
    return changes, summary
