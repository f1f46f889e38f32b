"""The 亩均 engine's result tables: one row per enterprise (`permu_score`), one per enterprise and
indicator (`permu_item`), one per enterprise and priced resource (`permu_price`)."""

from __future__ import annotations

import polars as pl

from industry_brain.engines.base import RunRefused, Tables
from industry_brain.engines.permu.engine import indicator_names
from industry_brain.engines.permu.spec import MethodSpec

SCORE_COLUMNS = [
    "uscc", "name", "region_code", "park_code", "industry_code", "year", "track", "group",
    "status", "reason", "bonus", "penalty", "total", "rank", "group_size", "percentile", "grade",
    "veto", "leader", "override", "grade_last", "transition", "d_years",
]  # fmt: skip


def split(result: pl.DataFrame, spec: MethodSpec) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The engine's wide result as scores (one row per enterprise) and items (one per
    enterprise and indicator scored)."""
    scores = result.select(SCORE_COLUMNS).sort("uscc")
    items = pl.concat(
        [
            result.filter(pl.col(f"score_{n}").is_not_null()).select(
                "uscc",
                pl.lit(n).alias("indicator"),
                pl.col(f"value_{n}").alias("value"),
                pl.col(f"benchmark_{n}").alias("benchmark"),
                pl.col(f"score_{n}").alias("score"),
            )
            for n in indicator_names(spec)
        ]
    ).sort("uscc", "indicator")
    return scores, items


def check_benchmark_data(tables: Tables, spec: MethodSpec, year: int) -> None:
    """Benchmarks computed from last year's data need last year's data: fail loudly, never
    score everyone zero."""
    if not any(i.benchmark.statistic for t in spec.tracks for i in t.items):
        return
    ey = tables["enterprise_year"]
    if ey.filter(ey.year == year - 1).count().to_pyarrow().as_py() == 0:
        raise RunRefused(
            f"{spec.name} computes benchmarks from {year - 1}'s data, and the "
            f"warehouse has no {year - 1} figures: ingest them first"
        )
