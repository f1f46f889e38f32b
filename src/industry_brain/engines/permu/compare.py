"""What-if for the 亩均 engine: a spec's grades for a year with the corrections in force
(computed with only the columns compared), and the comparison of two results — who changes
grade or status, and by county and group how many were evaluated, changed, went up or down."""

from __future__ import annotations

import polars as pl

from industry_brain.engines.base import Tables
from industry_brain.engines.permu.corrections import apply_figures, apply_grades, overrides
from industry_brain.engines.permu.engine import evaluate
from industry_brain.engines.permu.spec import GRADES, MethodSpec
from industry_brain.reference.regions import county_of

ORDER = {g: i for i, g in enumerate(GRADES)}
COMPARED = ["uscc", "name", "region_code", "status", "grade", "total", "group"]


def outcome(tables: Tables, spec: MethodSpec, year: int) -> pl.DataFrame:
    """The grades `spec` gives for `year`, as a run would (corrections applied), only the
    columns compared: a what-if need not build items, history and prices."""
    found = pl.concat([overrides(tables, year - 1), overrides(tables, year)])
    enterprise_year = apply_figures(tables["enterprise_year"], found)
    result = evaluate(enterprise_year, tables["enterprise"], spec, year)
    scores = result.select(*COMPARED).to_polars()
    return apply_grades(scores, found.filter(pl.col("year") == year)).select(COMPARED)


def compare(before: pl.DataFrame, after: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Changes (enterprises whose grade or status differs) and a summary by county and group:
    evaluated, changed, up (a better grade), down."""
    cols = ["uscc", "status", "grade", "total", "group"]
    joined = (
        before.select("uscc", "name", "region_code", *cols[1:])
        .join(after.select(cols), on="uscc", how="full", suffix="_after", coalesce=True)
        .with_columns(county_of(pl.col("region_code")).alias("county"))
    )
    rank = {g: float(i) for g, i in ORDER.items()}
    joined = joined.with_columns(
        (
            pl.col("grade_after").replace_strict(rank, default=None)
            - pl.col("grade").replace_strict(rank, default=None)
        ).alias("shift")
    )
    differ = pl.col("grade").ne_missing(pl.col("grade_after")) | pl.col("status").ne_missing(
        pl.col("status_after")
    )
    changes = joined.filter(differ).sort("county", "group", "uscc")
    summary = (
        joined.group_by("county", "group")
        .agg(
            evaluated=(pl.col("status") == "evaluated").sum(),
            changed=differ.sum(),
            up=(pl.col("shift") < 0).sum(),
            down=(pl.col("shift") > 0).sum(),
        )
        .sort("county", "group")
    )
    return changes, summary
