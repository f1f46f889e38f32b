"""Steps for rows entered for one plan (a spec with `scope: plan`; the plan is `ctx.scope`): an
indicator must be the plan's, by id or Chinese name; a year must lie in the plan's period (the
year before the base year to the target year); a row that names no region is the plan's.
Without a scope they do nothing, except that no indicator is known."""

from __future__ import annotations

import json

import polars as pl

from industry_brain.ingest.context import Context
from industry_brain.ingest.problems import row_errors
from industry_brain.suggest import did_you_mean


def fill_plan_region(ctx: Context) -> None:
    """An empty region cell (or no region column) is the plan's region; a region written is
    resolved as written (R204 when unknown)."""
    if ctx.scope is None:
        return
    plan = pl.lit(ctx.scope.region_code, pl.Utf8)
    for f in (f for f in ctx.spec.fields if f.type == "region"):
        value = pl.coalesce(pl.col(f.name), plan) if ctx.has(f.name) else plan
        ctx.frame = ctx.frame.with_columns(value.alias(f.name))


def resolve_indicators(ctx: Context) -> None:
    """R215 for an indicator the plan does not have (its closest id or name suggested); one
    given by its Chinese name becomes its id."""
    known = ctx.scope.indicators if ctx.scope else {}
    plan = ctx.scope.name if ctx.scope else ""
    for name in (f.name for f in ctx.spec.fields if f.type == "indicator" and ctx.has(f.name)):
        values = ctx.frame.get_column(name).drop_nulls().unique().to_list()
        hints = {
            v: json.dumps({"plan": plan, "suggestion": did_you_mean(v, known)}, ensure_ascii=False)
            for v in values
            if v not in known
        }
        bad = ctx.frame.filter(pl.col(name).is_in(list(hints)))
        extra = pl.col(name).replace_strict(hints, default="{}", return_dtype=pl.Utf8)
        ctx.add(row_errors("unknown-indicator", bad, name, ctx.column(name), pl.col(name), extra))
        ids = pl.col(name).replace_strict(known, default=None, return_dtype=pl.Utf8)
        ctx.frame = ctx.frame.with_columns(ids.alias(name))


def check_period(ctx: Context) -> None:
    """R207 for a year outside the plan's period."""
    if ctx.scope is None or not ctx.has("year"):
        return
    first, last = ctx.scope.years
    year = pl.col("year")
    outside = ctx.frame.filter(
        year.is_not_null() & ~year.is_between(first, last) & ~ctx.rejected("year")
    )
    reason = {"reason": f"is outside the plan period {first}–{last}"}
    ctx.add(row_errors("impossible-value", outside, "year", ctx.column("year"), year, reason))
