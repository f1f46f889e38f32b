"""The 亩均 evaluation engine: pure functions over Ibis tables.

`evaluate(enterprise_year, enterprise, spec, year)` returns one row per industrial enterprise of
the spec's region: its status (evaluated, exempt, deferred, not evaluated, with the reason), and
for the evaluated each indicator's value, benchmark and item score, bonus, penalty, total, rank
and percentile in its ranking group, grade, veto and leader flag.
"""

from __future__ import annotations

import ibis
from ibis.expr.types import Table, Value

from industry_brain.permu.population import EVALUATED, classify, industrial_year
from industry_brain.permu.scoring import (
    benchmark_tables,
    fill_missing,
    indicator_value,
    item_score,
)
from industry_brain.permu.spec import GRADES, Grading, MethodSpec, Track

IDENTITY = [
    "uscc",
    "name",
    "region_code",
    "park_code",
    "industry_code",
    "year",
    "track",
    "group",
    "status",
    "reason",
]


def indicator_names(spec: MethodSpec) -> list[str]:
    return list(dict.fromkeys(i.indicator for tr in spec.tracks for i in tr.items))


def result_columns(spec: MethodSpec) -> list[str]:
    items = [f"{k}_{n}" for n in indicator_names(spec) for k in ("value", "benchmark", "score")]
    return [
        *IDENTITY,
        *items,
        "bonus",
        "penalty",
        "total",
        "rank",
        "group_size",
        "percentile",
        "grade",
        "veto",
        "leader",
    ]


def _with_items(t: Table, last: Table, track: Track) -> Table:
    fixed = {
        f"benchmark_{i.indicator}": ibis.literal(i.benchmark.value, "float64")
        for i in track.items
        if i.benchmark.value is not None
    }
    t = t.mutate(**fixed) if fixed else t
    tables = benchmark_tables(last, track)
    if "region" in tables:
        t = t.cross_join(tables["region"])
    if "group" in tables:
        t = t.left_join(tables["group"], "group").drop("group_right")
    computed = {}
    for i in track.items:
        if i.benchmark.statistic is None:
            continue
        region = t[f"region_benchmark_{i.indicator}"]
        own = t[f"group_benchmark_{i.indicator}"] if i.benchmark.over == "group" else region
        computed[f"benchmark_{i.indicator}"] = own.fill_null(region)
    t = t.mutate(**computed) if computed else t
    t = t.mutate(**{f"value_{i.indicator}": indicator_value(t, i.indicator) for i in track.items})
    return t.mutate(
        **{
            f"score_{i.indicator}": fill_missing(
                item_score(t[f"value_{i.indicator}"], t[f"benchmark_{i.indicator}"], i),
                [t.group],
                i,
            )
            for i in track.items
        }
    )


def _adjust(t: Table, track: Track, kind: str) -> Value:
    total: Value = ibis.literal(0.0)
    for a in (a for a in track.adjustments if a.kind == kind):
        points = ibis.greatest(t[a.column].fill_null(0) - a.beyond, 0) * a.points
        total = total + (ibis.least(points, a.max_points) if a.max_points is not None else points)
    return total


def _grade(t: Table, grading: Grading) -> Value:
    if grading.method == "thresholds":
        table = grading.thresholds or {}
        cases = [(t.total >= table[g], g) for g in GRADES if g in table]
        return ibis.cases(*cases, else_="D")
    cum, cases = 0.0, []
    for g in GRADES[:-1]:
        cum += (grading.quotas or {}).get(g, 0.0)
        cases.append((t["rank"] <= (t.group_size * cum + 0.5).floor(), g))  # rounded quota
    return ibis.cases(*cases, else_=GRADES[-1])


def _rank(t: Table, track: Track) -> Table:
    order = ibis.row_number().over(group_by=[t.group], order_by=[ibis.desc(t.total), t.uscc])
    t = t.mutate(rank=(order + 1).cast("int64"), group_size=t.count().over(group_by=[t.group]))
    t = t.mutate(percentile=t["rank"] / t.group_size)
    veto: Value = ibis.null("string")
    grade = _grade(t, track.grading)
    for v in reversed(track.vetoes):
        hit = t[v.column].fill_null(False)
        veto, grade = hit.ifelse(v.name, veto), hit.ifelse(v.grade, grade)
    return t.mutate(grade=grade, veto=veto, leader=t["rank"] <= track.leaders)


def _score_track(current: Table, last: Table, track: Track) -> Table:
    t = current.filter(current.track == track.name, current.status == EVALUATED)
    t = _with_items(t, last, track)
    bonus, penalty = _adjust(t, track, "bonus"), _adjust(t, track, "penalty")
    total = sum((t[f"score_{i.indicator}"] for i in track.items), ibis.literal(0.0))
    t = t.mutate(bonus=bonus, penalty=penalty, total=total + bonus - penalty)
    return _rank(t, track)


def _conform(t: Table, columns: list[str], types: dict[str, str]) -> Table:
    return t.select(*(t[c] if c in t.columns else ibis.null(types[c]).name(c) for c in columns))


def evaluate(enterprise_year: Table, enterprise: Table, spec: MethodSpec, year: int) -> Table:
    """One row per industrial enterprise of the region in `year` (see the module docstring)."""
    current = classify(industrial_year(enterprise_year, enterprise, spec, year), spec, year)
    last = classify(industrial_year(enterprise_year, enterprise, spec, year - 1), spec, year - 1)
    last = last.filter(last.status == EVALUATED)
    columns = result_columns(spec)
    types = {c: "float64" for c in columns} | {c: "string" for c in (*IDENTITY, "grade", "veto")}
    types |= {"rank": "int64", "group_size": "int64", "leader": "boolean", "year": "int32"}
    parts = [_conform(_score_track(current, last, tr), columns, types) for tr in spec.tracks]
    parts.append(_conform(current.filter(current.status != EVALUATED), columns, types))
    return ibis.union(*parts)  # unordered: callers sort (runs by uscc, lists by rank)
