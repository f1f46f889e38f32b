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
    """Changes (enterprises whose grade or status differs) and a summary by county and group
    whose numbers add up: `evaluated` (参评) counts the enterprises graded in both results,
    `changed` (档次变化) those of them whose grade differs, `up` + `down` = `changed`; `entered`
    (新纳入) were graded only after, `left` (不再参评) only before. County and group are the
    enterprise's before, else after (an enterprise new in the data has only the latter)."""
    cols = ["uscc", "name", "region_code", "status", "grade", "total", "group"]
    joined = before.select(cols).join(
        after.select(cols), on="uscc", how="full", suffix="_after", coalesce=True
    )
    joined = joined.with_columns(
        pl.coalesce("name", "name_after").alias("name"),
        county_of(pl.coalesce("region_code", "region_code_after")).alias("county"),
        pl.coalesce("group", "group_after").alias("group"),
    ).drop("name_after", "region_code_after", "group_after")
    rank = {g: float(i) for g, i in ORDER.items()}
    shift = pl.col("grade_after").replace_strict(rank, default=None) - pl.col(
        "grade"
    ).replace_strict(rank, default=None)
    graded = pl.col("grade").is_not_null() & (pl.col("status") == "evaluated").fill_null(False)
    graded_after = pl.col("grade_after").is_not_null() & (
        pl.col("status_after") == "evaluated"
    ).fill_null(False)
    both = graded & graded_after
    joined = joined.with_columns(shift.alias("shift"))
    differ = pl.col("grade").ne_missing(pl.col("grade_after")) | pl.col("status").ne_missing(
        pl.col("status_after")
    )
    changes = joined.filter(differ).sort("county", "group", "uscc", nulls_last=True)
    summary = (
        joined.group_by("county", "group")
        .agg(
            evaluated=both.sum(),
            changed=(both & (pl.col("shift") != 0)).sum(),
            up=(both & (pl.col("shift") < 0)).sum(),
            down=(both & (pl.col("shift") > 0)).sum(),
            entered=(graded_after & ~graded).sum(),
            left=(graded & ~graded_after).sum(),
        )
        .sort("county", "group", nulls_last=True)
    )
    return changes, summary
