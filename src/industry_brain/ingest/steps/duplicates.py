"""Duplicate keys within one file: an exact repeat loads once (R209 for each later copy);
copies that disagree load none (R210 for every copy, on each column where they differ)."""

from __future__ import annotations

import polars as pl

from industry_brain.ingest.context import Context
from industry_brain.ingest.problems import fmt, row_errors

LISTED = 10  # rows named in a conflict's message: 20,000 copies of one key once took 2.6 GB


def check_duplicates(ctx: Context) -> None:
    """Not for a source whose rows of one key are netted (`net`): two invoices of the same
    amount are two purchases."""
    if ctx.spec.net is not None:
        return
    key = [k for k in (*ctx.spec.key, *ctx.spec.parts) if ctx.has(k)]
    values = [c for c in ctx.frame.columns if c not in ("__row", *key)]
    # Copies count whatever else is wrong with them; only an unreadable key takes a row out.
    key_ok = pl.all_horizontal(pl.col(k).is_not_null() & ~ctx.rejected(k) for k in key)
    keys = ctx.frame.select("__row", *key).filter(key_ok)  # the keys alone: no copy of the rows
    repeated = keys.filter(pl.len().over(key) > 1).get_column("__row")
    if repeated.is_empty():
        return
    dup = ctx.frame.filter(key_ok & pl.col("__row").is_in(repeated.implode()))
    dup = dup.filter(pl.len().over(key) > 1)  # a row of several records: only repeated keys
    label = pl.concat_str([pl.col(k).cast(pl.Utf8) for k in key], separator=" / ")
    rows_of = pl.col("__row").sort()
    listed = rows_of.head(LISTED).cast(pl.Utf8).str.join(", ")
    per_key = dup.group_by(key).agg(
        pl.struct(values).n_unique().alias("__variants"),
        rows_of.first().alias("__first"),
        pl.when(pl.len() > LISTED).then(listed + ", …").otherwise(listed).alias("__rows"),
    )
    dup = dup.join(per_key, on=key, how="left", maintain_order="left")
    exact = dup.filter((pl.col("__variants") == 1) & (pl.col("__row") != pl.col("__first")))
    first = fmt('{{"key": "{}", "first": {}}}', label, pl.col("__first"))
    own = ctx.spec.identity  # the enterprise's code, a plan's indicator
    ctx.add(row_errors("duplicate-row", exact, own, ctx.column(own), label, first))
    conflict = dup.filter(pl.col("__variants") > 1)
    rows = fmt('{{"key": "{}", "rows": "{}"}}', label, pl.col("__rows"))
    for name in values:
        differs = conflict.filter(pl.col(name).n_unique().over(key) > 1)
        ctx.add(
            row_errors("duplicate-conflict", differs, name, ctx.column(name), pl.col(name), rows)
        )
