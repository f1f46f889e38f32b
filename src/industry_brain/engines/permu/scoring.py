"""Item scores: indicator value against its benchmark, times the weight, capped; missing and
non-positive values handled as the spec says."""

from __future__ import annotations

import ibis
from ibis.expr.types import Table, Value

from industry_brain.engines.permu.indicators import INDICATORS
from industry_brain.engines.permu.spec import Item, Track


def indicator_value(t: Table, name: str) -> Value:
    ind = INDICATORS[name]
    den = t[ind.denominator]
    return (den > 0).ifelse(t[ind.numerator] * ind.scale / den, ibis.null("float64"))


def _statistic(rows: Table, item: Item) -> Value:
    b, ind = item.benchmark, INDICATORS[item.indicator]
    if b.statistic == "aggregate":
        num, den = rows[ind.numerator], rows[ind.denominator]
        valid = den > 0
        value = valid.ifelse(num, 0).sum() * ind.scale / valid.ifelse(den, 0).sum()
    else:
        v = indicator_value(rows, item.indicator)
        value = v.mean() if b.statistic == "mean" else v.median()
    return value * b.factor


def benchmark_tables(rows: Table, track: Track) -> dict[str, Table]:
    """Benchmarks computed from last year's rows of the track: one aggregation per level
    ('region' → one row, 'group' → a row per ranking group), with a benchmark_<indicator> column
    per item."""
    tables: dict[str, Table] = {}
    computed = [i for i in track.items if i.benchmark.statistic]
    if not computed:
        return tables
    # The region-wide benchmark of every computed item: also the fallback for a ranking group
    # that had no evaluated enterprise last year.
    tables["region"] = rows.aggregate(
        **{f"region_benchmark_{i.indicator}": _statistic(rows, i) for i in computed}
    )
    grouped = [i for i in computed if i.benchmark.over == "group"]
    if grouped:
        tables["group"] = rows.group_by("group").aggregate(
            **{f"group_benchmark_{i.indicator}": _statistic(rows, i) for i in grouped}
        )
    return tables


def item_score(value: Value, benchmark: Value, item: Item) -> Value:
    """value / benchmark × weight, at most cap × weight; 0 for a value ≤ 0; no score (then the
    missing rule) without a value or without a usable benchmark (null or ≤ 0)."""
    raw = value / benchmark * item.weight
    if item.cap is not None:  # not LEAST: SQL's LEAST ignores NULLs and would give the cap
        top = item.cap * item.weight
        raw = (raw > top).ifelse(top, raw)
    return ibis.cases(
        (value.isnull() | benchmark.isnull() | (benchmark <= 0), ibis.null("float64")),
        (value <= 0, 0.0),
        else_=raw,
    )


def fill_missing(score: Value, group_keys: list[Value], item: Item) -> Value:
    """Missing values: zero, or the group's average item score (e.g. no emission record).
    `score` should be a column: the group mean repeats it."""
    if item.missing == "zero":
        return score.fill_null(0.0)
    return score.fill_null(score.mean().over(group_by=group_keys)).fill_null(0.0)
