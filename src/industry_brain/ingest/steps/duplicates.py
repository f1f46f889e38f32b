"""Duplicate keys within one file: an exact repeat loads once (R209 for each later copy);
copies that disagree load none (R210 for every copy)."""

from __future__ import annotations

import polars as pl

from industry_brain.ingest.context import Context
from industry_brain.ingest.problems import row_errors


def check_duplicates(ctx: Context) -> None:
    key = [k for k in ctx.spec.key if ctx.has(k)]
    values = [c for c in ctx.frame.columns if c != "__row"]
    frame = ctx.frame.filter(
        ~ctx.rejected() & pl.all_horizontal(pl.col(k).is_not_null() for k in key)
    )
    dup = frame.filter(pl.len().over(key) > 1)
    if dup.height == 0:
        return
    label = pl.concat_str([pl.col(k).cast(pl.Utf8) for k in key], separator=" / ")
    variants = pl.struct(values).n_unique().over(key)
    first = pl.col("__row").min().over(key)
    rows = pl.col("__row").cast(pl.Utf8).implode().over(key).list.join(", ")
    dup = dup.with_columns(
        variants.alias("__variants"), first.alias("__first"), rows.alias("__rows")
    )
    exact = dup.filter((pl.col("__variants") == 1) & (pl.col("__row") != pl.col("__first")))
    ctx.add(
        row_errors(
            "duplicate-row",
            exact,
            "uscc",
            ctx.column("uscc"),
            label,
            pl.format('{{"key": "{}", "first": {}}}', label, pl.col("__first")),
        )
    )
    conflict = dup.filter(pl.col("__variants") > 1)
    ctx.add(
        row_errors(
            "duplicate-conflict",
            conflict,
            "uscc",
            ctx.column("uscc"),
            label,
            pl.format('{{"key": "{}", "rows": "{}"}}', label, pl.col("__rows")),
        )
    )
