"""Duplicate keys within one file: an exact repeat loads once (R209 for each later copy);
copies that disagree load none (R210 for every copy, on each column where they differ)."""

from __future__ import annotations

import polars as pl

from industry_brain.ingest.context import Context
from industry_brain.ingest.problems import fmt, row_errors


def check_duplicates(ctx: Context) -> None:
    key = [k for k in (*ctx.spec.key, *ctx.spec.parts) if ctx.has(k)]
    values = [c for c in ctx.frame.columns if c not in ("__row", *key)]
    # Copies count whatever else is wrong with them; only an unreadable key takes a row out.
    key_ok = pl.all_horizontal(pl.col(k).is_not_null() & ~ctx.rejected(k) for k in key)
    frame = ctx.frame.filter(key_ok)
    dup = frame.filter(pl.len().over(key) > 1)
    if dup.height == 0:
        return
    label = pl.concat_str([pl.col(k).cast(pl.Utf8) for k in key], separator=" / ")
    dup = dup.with_columns(
        pl.struct(values).n_unique().over(key).alias("__variants"),
        pl.col("__row").min().over(key).alias("__first"),
        pl.col("__row").cast(pl.Utf8).implode().over(key).list.join(", ").alias("__rows"),
    )
    exact = dup.filter((pl.col("__variants") == 1) & (pl.col("__row") != pl.col("__first")))
    first = fmt('{{"key": "{}", "first": {}}}', label, pl.col("__first"))
    ctx.add(row_errors("duplicate-row", exact, "uscc", ctx.column("uscc"), label, first))
    conflict = dup.filter(pl.col("__variants") > 1)
    rows = fmt('{{"key": "{}", "rows": "{}"}}', label, pl.col("__rows"))
    for name in values:
        differs = conflict.filter(pl.col(name).n_unique().over(key) > 1)
        ctx.add(
            row_errors("duplicate-conflict", differs, name, ctx.column(name), pl.col(name), rows)
        )
