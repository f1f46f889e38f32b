"""Steps that check values: ranges per field, and ratios between fields (within the row, or
against another source's value for the same enterprise and year). A value off by orders of
magnitude (元 for 万元, 平方米 for 亩) is reported as a unit anomaly rather than guessed at; a
smaller excess is an impossible value."""

from __future__ import annotations

import json

import polars as pl

from industry_brain.ingest.context import Context
from industry_brain.ingest.problems import fmt, row_errors
from industry_brain.ingest.spec import Check

# A slip of unit that departments make: the factor by which the value comes out too large,
# and the unit it was probably written in.
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


def _shown(unit: str | None) -> str:
    return f" {unit}" if unit and unit != "人" else ""


def _details(**details: object) -> pl.Expr:
    return pl.lit(json.dumps(details, ensure_ascii=False))


def check_ranges(ctx: Context) -> None:
    """R207 for a value outside [min, max]; R208 when dividing by a unit slip brings it in."""
    for name, f in ctx.number_columns():
        if f.min is None and f.max is None:
            continue
        value, col = pl.col(name), ctx.column(name)
        slip, likely = SLIPS[f.dimension or "count"]
        outside = ctx.frame.filter(value.is_not_null() & ~_within(value, f.min, f.max))
        # A slip of unit: an order of magnitude beyond the maximum, plausible once divided.
        beyond = value > (f.max or float("inf")) * 10
        slipped = beyond & _within(value / slip, f.min, f.max) & (slip > 1)
        below = outside.filter(value < (f.min if f.min is not None else float("-inf")))
        above = outside.filter(value > (f.max if f.max is not None else float("inf")))
        ctx.add(
            row_errors(
                "unit-anomaly",
                above.filter(slipped),
                name,
                col,
                value,
                _details(likely=likely, unit=f.unit, reason=f"above the maximum {f.max}"),
            )
        )
        ctx.add(
            row_errors(
                "impossible-value",
                above.filter(~slipped),
                name,
                col,
                value,
                _details(reason=f"is above the maximum {f.max}", in_unit=_shown(f.unit)),
            )
        )
        ctx.add(
            row_errors(
                "impossible-value",
                below,
                name,
                col,
                value,
                _details(reason=f"is below the minimum {f.min}", in_unit=_shown(f.unit)),
            )
        )


def _with_other_sources(ctx: Context, check: Check) -> pl.DataFrame:
    missing = [n for n in (check.numerator, check.denominator) if not ctx.has(n)]
    if not missing:
        return ctx.frame
    other = ctx.lookups.enterprise_years(missing)
    if other.height == 0:
        return ctx.frame.with_columns(pl.lit(None, pl.Float64).alias(n) for n in missing)
    other = other.with_columns(pl.col("year").cast(pl.Int32))
    return ctx.frame.join(other, on=["uscc", "year"], how="left")


def _reason(check: Check, ratio: pl.Expr) -> pl.Expr:
    low = "-∞" if check.min is None else check.min
    high = "∞" if check.max is None else check.max
    text = f"{check.name}: {check.numerator} / {check.denominator} = {{}} not in [{low}, {high}]"
    return fmt(text, ratio.round(4))


def check_consistency(ctx: Context) -> None:
    """Ratio rules of the spec; the error is reported on this source's field."""
    rejected = ctx.rejected()
    for check in ctx.spec.consistency:
        frame = _with_other_sources(ctx, check).filter(~rejected)
        ratio = pl.col(check.numerator) / pl.col(check.denominator)
        usable = frame.filter(
            pl.col(check.numerator).is_not_null() & (pl.col(check.denominator) > 0)
        )
        failing = usable.filter(~_within(ratio, check.min, check.max))
        both = ctx.has(check.numerator) and ctx.has(check.denominator)
        low = failing.filter(ratio < (check.min if check.min is not None else float("-inf")))
        for own, rows in _blamed(check, failing, low, both, ctx.has(check.numerator)):
            _report(ctx, check, rows, own, ratio)


def _blamed(
    check: Check, failing: pl.DataFrame, low: pl.DataFrame, both: bool, numerator: bool
) -> list[tuple[str, pl.DataFrame]]:
    """Which field each failing row is reported on: the one that is too large (a value in 元 in
    a 万元 column comes out 10,000 times too large), when the file has both."""
    if not both:
        return [(check.numerator if numerator else check.denominator, failing)]
    high = failing.filter(~pl.col("__row").is_in(low.get_column("__row").implode()))
    return [(check.numerator, high), (check.denominator, low)]


def _report(ctx: Context, check: Check, failing: pl.DataFrame, own: str, ratio: pl.Expr) -> None:
    """R208 when the ratio is off by orders of magnitude (a slip of unit), else R207."""
    field = ctx.spec.field(own)
    slip, likely = SLIPS[field.dimension or "count"]
    # A slip of unit: the ratio is two orders of magnitude or more beyond its bounds.
    far = pl.lit(False)
    if check.max is not None:
        far = far | (ratio > check.max * 100)
    if check.min is not None and check.min > 0:
        far = far | (ratio < check.min / 100)
    slipped = far & (slip > 1)
    col, value = ctx.column(own), pl.col(own)
    head = json.dumps({"likely": likely, "unit": field.unit}, ensure_ascii=False)[:-1]
    anomaly = pl.concat_str(pl.lit(head + ', "reason": "'), _reason(check, ratio), pl.lit('"}'))
    ctx.add(row_errors("unit-anomaly", failing.filter(slipped), own, col, value, anomaly))
    shown = _shown(field.unit)
    impossible = fmt(f'{{{{"in_unit": "{shown}", "reason": "fails {{}}"}}}}', _reason(check, ratio))
    ctx.add(row_errors("impossible-value", failing.filter(~slipped), own, col, value, impossible))
