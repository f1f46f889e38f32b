"""Cross-source conflicts: a name, region or industry that differs from the register (W302).

The register is the authority for an enterprise's identity; the row still loads, and the
enterprise keeps the register's value.
"""

from __future__ import annotations

import polars as pl

from industry_brain.ingest.context import Context
from industry_brain.ingest.problems import fmt, row_errors


def _comparable(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_all(r"\s", "").str.replace_all("（", "(").str.replace_all("）", ")")


def check_conflicts(ctx: Context) -> None:
    fields = [f for f in ctx.spec.conflicts if ctx.has(f)]
    if not fields:
        return
    register = ctx.lookups.enterprises()
    if register.height == 0:
        return
    frame = ctx.frame.filter(~ctx.rejected()).select("__row", "uscc", *fields)
    joined = frame.join(register, on="uscc", how="inner", suffix="__other")
    for name in fields:
        other = f"{name}__other"
        differ = joined.filter(
            pl.col(name).is_not_null()
            & pl.col(other).is_not_null()
            & (_comparable(pl.col(name)) != _comparable(pl.col(other)))
        )
        extra = fmt(
            '{{"other": "{}", "other_source": "register", "batch": {}, "kept": "the register\'s"}}',
            pl.col(other).str.replace_all('"', "'"),
            pl.col("register_batch_id"),
        )
        ctx.add(row_errors("source-conflict", differ, name, ctx.column(name), pl.col(name), extra))
