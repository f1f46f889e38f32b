"""Grade history from earlier stored runs: last year's grade, the transition, D years in a row,
and the differentiated prices that follow from them."""

from __future__ import annotations

import polars as pl

from industry_brain.engines.base import TableSource
from industry_brain.engines.permu.spec import MethodSpec


def past_grades(con: TableSource, spec: MethodSpec, year: int, years_back: int = 5) -> pl.DataFrame:
    """uscc, year, grade from the latest permu run of each earlier year for the spec's region."""
    run = con.table("run")
    runs = run.filter(
        (run.engine == "permu")
        & (run.region_code == spec.region)
        & run.year.between(year - years_back, year - 1)
    ).to_polars()
    if runs.height == 0:
        return pl.DataFrame(schema={"uscc": pl.Utf8, "year": pl.Int32, "grade": pl.Utf8})
    latest = runs.sort("run_id").group_by("year").agg(pl.col("run_id").last())
    ids = latest["run_id"].to_list()
    score = con.table("permu_score")
    rows = score.filter(score.run_id.isin(ids)).select("run_id", "uscc", "grade").to_polars()
    return rows.join(latest, on="run_id").select("uscc", pl.col("year").cast(pl.Int32), "grade")


def with_history(scores: pl.DataFrame, past: pl.DataFrame, year: int) -> pl.DataFrame:
    """Add grade_last, transition and d_years (D grades in a row, ending this year)."""
    last = past.filter(pl.col("year") == year - 1).select(
        "uscc", pl.col("grade").alias("grade_last")
    )
    out = scores.join(last, on="uscc", how="left")
    d_years = pl.when(pl.col("grade") == "D").then(1).otherwise(0)
    for back in range(1, 6):
        earlier = past.filter((pl.col("year") == year - back) & (pl.col("grade") == "D"))
        still = pl.col("uscc").is_in(earlier["uscc"].implode())
        d_years = pl.when((d_years == back) & still).then(back + 1).otherwise(d_years)
    transition = (
        pl.when(pl.col("grade").is_null())
        .then(None)
        .when(pl.col("grade_last").is_null())
        .then(pl.lit("新参评"))
        .otherwise(pl.concat_str([pl.col("grade_last"), pl.lit("→"), pl.col("grade")]))
    )
    return out.with_columns(transition.alias("transition"), d_years.cast(pl.Int32).alias("d_years"))


def prices(scores: pl.DataFrame, spec: MethodSpec) -> pl.DataFrame:
    """uscc, resource, title, unit, surcharge: the highest applicable rule per resource."""
    frames = []
    for rule in spec.prices:
        candidates = [
            pl.col("grade").replace_strict(rule.by_grade, default=0.0, return_dtype=pl.Float64)
        ]
        for n, value in sorted(rule.consecutive_d.items()):
            candidates.append(pl.when(pl.col("d_years") >= n).then(value).otherwise(0.0))
        frames.append(
            scores.filter(pl.col("grade").is_not_null())
            .select(
                "uscc",
                pl.lit(rule.resource).alias("resource"),
                pl.lit(rule.title).alias("title"),
                pl.lit(rule.unit).alias("unit"),
                pl.max_horizontal(candidates).alias("surcharge"),
            )
            .filter(pl.col("surcharge") > 0)
        )
    schema = {
        "uscc": pl.Utf8,
        "resource": pl.Utf8,
        "title": pl.Utf8,
        "unit": pl.Utf8,
        "surcharge": pl.Float64,
    }
    return pl.concat(frames).sort("uscc", "resource") if frames else pl.DataFrame(schema=schema)
