"""Loading within one's region: a county analyst loads the enterprises of their county, a city
analyst those of their city (R216 for the others). Where an enterprise lies is the register's
word when it is registered, else the row's own region, else the registration authority's region
in its 统一社会信用代码 (characters 3–8); an enterprise none of these places is outside.
"""

from __future__ import annotations

import polars as pl

from industry_brain.ingest.context import Context
from industry_brain.ingest.problems import fmt, row_errors
from industry_brain.reference import regions
from industry_brain.reference.regions import in_region, region_prefix


def check_region(ctx: Context) -> None:
    """The enterprise a row is about (its code: a buyer's for purchases) must lie in the
    user's region."""
    code = ctx.spec.identity
    if ctx.region is None or ctx.spec.field(code).type != "uscc":
        return
    prefix = region_prefix(ctx.region)
    if not prefix:  # the whole country
        return
    register = ctx.lookups.enterprises().select(
        pl.col("uscc").alias(code), pl.col("region_code").alias("__registered")
    )
    frame = ctx.frame.filter(~ctx.rejected()).select("__row", code, *_own(ctx))
    joined = frame.join(register, on=code, how="left")
    # Unregistered and no region in the row: the registration authority's code in the USCC.
    authority = pl.col(code).str.slice(2, 6)
    by_code = pl.when(authority.is_in(_codes())).then(authority)
    where = pl.coalesce("__registered", *_own(ctx), by_code, pl.lit(None, pl.Utf8))
    outside = joined.with_columns(where.alias("__where")).filter(
        pl.col("__where").is_null() | ~in_region(pl.col("__where"), ctx.region)
    )
    extra = fmt(
        '{{"region": "{}", "where": "{}"}}',
        pl.lit(ctx.region),
        pl.col("__where").fill_null("not registered"),
    )
    ctx.add(row_errors("outside-region", outside, code, ctx.column(code), pl.col(code), extra))


def _codes() -> list[str]:
    return [r.code for r in regions() if r.level != "park"]


def _own(ctx: Context) -> list[str]:
    return ["region_code"] if ctx.has("region_code") else []
