"""Aggregates of a 亩均 run by county, park and industry: counts per grade and the 亩均 figures
(sums first, ratios after) of the evaluated enterprises."""

from __future__ import annotations

import polars as pl

from industry_brain.engines.permu.spec import GRADES
from industry_brain.reference.regions import county_of

LEVELS = {"county": "区县", "park": "园区", "industry": "行业大类"}


def _key(level: str) -> pl.Expr:
    if level == "county":
        return county_of(pl.col("region_code"))
    if level == "park":
        return pl.col("park_code")
    return pl.col("industry_code").str.slice(0, 2)


def aggregate(
    scores: pl.DataFrame, figures: pl.DataFrame, level: str, names: dict[str, str] | None = None
) -> pl.DataFrame:
    """scores: a run's permu scores; figures: uscc, tax_paid, value_added, land_mu of the year."""
    names = names or {}
    evaluated = scores.filter(pl.col("status") == "evaluated").join(figures, on="uscc", how="left")
    keyed = evaluated.with_columns(_key(level).alias("key")).filter(pl.col("key").is_not_null())
    out = (
        keyed.group_by("key")
        .agg(
            pl.len().alias("参评企业"),
            *(((pl.col("grade") == g).sum()).alias(f"{g}类") for g in GRADES),
            (pl.col("tax_paid").sum() / pl.col("land_mu").sum()).alias("亩均税收（万元/亩）"),
            (pl.col("value_added").sum() / pl.col("land_mu").sum()).alias("亩均增加值（万元/亩）"),
        )
        .sort("key")
    )
    label = out["key"].replace_strict(names, default=None).fill_null(out["key"])
    return out.with_columns(label.alias(LEVELS[level])).select(
        LEVELS[level], pl.exclude("key", LEVELS[level])
    )
