"""What-if for plan monitoring: two monitoring tables compared indicator by indicator — those
whose status or verdict differs (a changed method, stage or figures) — and how many indicators
each status counts before and after."""

from __future__ import annotations

import polars as pl

SHOWN = ["seq", "indicator", "name", "unit", "actual", "status", "status_label", "verdict"]


def compare(before: pl.DataFrame, after: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    kept = after.select("indicator", "actual", "status", "status_label", "verdict_key", "verdict")
    joined = before.select(*SHOWN, "verdict_key").join(
        kept, on="indicator", how="full", suffix="_after", coalesce=True
    )
    differ = pl.col("status").ne_missing(pl.col("status_after")) | pl.col("verdict_key").ne_missing(
        pl.col("verdict_key_after")
    )
    changes = joined.filter(differ).sort("seq", "indicator", nulls_last=True)
    counts = [
        frame.group_by("status_label").agg(pl.len().alias(column))
        for frame, column in ((before, "before"), (after, "after"))
    ]
    summary = (
        counts[0]
        .join(counts[1], on="status_label", how="full", coalesce=True)
        .fill_null(0)
        .sort("status_label")
    )
    return changes, summary
