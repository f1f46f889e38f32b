"""Steps that check values: ranges per field, and ratios between fields (within the row, or
against another source's value for the same enterprise and year). A value off by a unit factor
(元 for 万元, 平方米 for 亩) is reported as a unit anomaly rather than guessed at."""

from __future__ import annotations

import polars as pl

from industry_brain.ingest.context import Context
from industry_brain.ingest.problems import row_errors
from industry_brain.ingest.spec import Check

# A slip of unit that departments make: the factor by which the value is too large, and the
# unit it was probably written in.
SLIPS = {
    "money": (1e4, "元"),
    "area": (666.67, "平方米"),
    "electricity": (1e4, "千瓦时（误作万千瓦时）"),
    "mass": (1e3, "千克"),
    "energy": (1e3, "千克标准煤"),
    "count": (1.0, ""),
}


def _within(expr: pl.Expr, low: float | None, high: float | None) -> pl.Expr:
    ok = pl.lit(True)
    if low is not None:
        ok = ok & (expr >= low)
    if high is not None:
        ok = ok & (expr <= high)
    return ok


def check_ranges(ctx: Context) -> None:
    """R207 for a value outside [min, max]; R208 when dividing by a unit slip brings it in."""
    for f in ctx.spec.number_fields:
        if not ctx.has(f.name) or (f.min is None and f.max is None):
            continue
        value = pl.col(f.name)
        slip, likely = SLIPS[f.dimension or "count"]
        outside = ctx.frame.filter(value.is_not_null() & ~_within(value, f.min, f.max))
        slipped = _within(value / slip, f.min, f.max) & (value > 0) & (slip > 1)
        unit = f.unit or ""
        reason = (
            pl.when(value < (f.min if f.min is not None else float("-inf")))
            .then(pl.format("is below the minimum {}", pl.lit(f.min)))
            .otherwise(pl.format("is above the maximum {}", pl.lit(f.max)))
        )
        col = ctx.column(f.name)
        ctx.add(
            row_errors(
                "unit-anomaly",
                outside.filter(slipped),
                f.name,
                col,
                value,
                pl.format(
                    '{{"likely": "{}", "unit": "{}", "reason": "above the maximum {}"}}',
                    pl.lit(likely),
                    pl.lit(unit),
                    pl.lit(f.max),
                ),
            )
        )
        ctx.add(
            row_errors(
                "impossible-value",
                outside.filter(~slipped),
                f.name,
                col,
                value,
                pl.format('{{"reason": "{}"}}', reason),
            )
        )


def _with_other_sources(ctx: Context, check: Check) -> pl.DataFrame:
    missing = [n for n in (check.numerator, check.denominator) if not ctx.has(n)]
    if not missing:
        return ctx.frame
    other = ctx.lookups.enterprise_years(missing)
    if other.height == 0:
        return ctx.frame.with_columns(pl.lit(None, pl.Float64).alias(n) for n in missing)
    return ctx.frame.join(
        other.with_columns(pl.col("year").cast(pl.Int32)), on=["uscc", "year"], how="left"
    )


def check_consistency(ctx: Context) -> None:
    """Ratio rules of the spec; the value reported is this source's field."""
    rejected = ctx.errored_rows()
    for check in ctx.spec.consistency:
        frame = _with_other_sources(ctx, check).filter(~pl.col("__row").is_in(rejected))
        ratio = pl.col(check.numerator) / pl.col(check.denominator)
        usable = frame.filter(
            pl.col(check.numerator).is_not_null() & (pl.col(check.denominator) > 0)
        )
        failing = usable.filter(~_within(ratio, check.min, check.max))
        own = check.numerator if ctx.has(check.numerator) else check.denominator
        dim = ctx.spec.field(own).dimension or "count"
        slip, likely = SLIPS[dim]
        factor = slip if own == check.numerator else 1 / slip
        slipped = _within(ratio / factor, check.min, check.max) & (slip > 1)
        reason = pl.format(
            "{}: {} / {} = {} not in [{}, {}]",
            pl.lit(check.name),
            pl.lit(check.numerator),
            pl.lit(check.denominator),
            ratio.round(4),
            pl.lit(check.min),
            pl.lit(check.max),
        )
        col = ctx.column(own)
        unit = ctx.spec.field(own).unit or ""
        extra = pl.format(
            '{{"likely": "{}", "unit": "{}", "reason": "{}"}}', pl.lit(likely), pl.lit(unit), reason
        )
        ctx.add(row_errors("unit-anomaly", failing.filter(slipped), own, col, pl.col(own), extra))
        ctx.add(
            row_errors(
                "impossible-value",
                failing.filter(~slipped),
                own,
                col,
                pl.col(own),
                pl.format('{{"reason": "fails {}"}}', reason),
            )
        )
