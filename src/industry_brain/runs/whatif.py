"""What-if: a changed method spec against a stored run — who changes grade, by county and group.

Nothing is stored: this is the impact analysis a bureau makes before it changes its method.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from industry_brain.permu.engine import evaluate
from industry_brain.permu.spec import GRADES, MethodSpec

ORDER = {g: i for i, g in enumerate(GRADES)}


@dataclass
class WhatIf:
    base_run: int
    spec: MethodSpec
    changes: pl.DataFrame  # enterprises whose grade or status differs
    summary: pl.DataFrame  # by county and group: evaluated, changed, up, down


def _base(con: Any, run_id: int) -> tuple[int, pl.DataFrame]:
    run = con.table("run").filter(lambda t: t.run_id == run_id).to_polars()
    if run.height == 0:
        raise ValueError(f"no stored run {run_id}")
    scores = con.table("permu_score").filter(lambda t: t.run_id == run_id).to_polars()
    return int(run["year"][0]), scores


def what_if(con: Any, run_id: int, spec: MethodSpec) -> WhatIf:
    year, before = _base(con, run_id)
    after = evaluate(con.table("enterprise_year"), con.table("enterprise"), spec, year).to_polars()
    cols = ["uscc", "status", "grade", "total", "group"]
    joined = (
        before.select("uscc", "name", "region_code", *cols[1:])
        .join(after.select(cols), on="uscc", how="full", suffix="_after", coalesce=True)
        .with_columns(pl.col("region_code").str.slice(0, 6).alias("county"))
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
    return WhatIf(run_id, spec, changes, summary)
