"""Corrections in force when a 亩均 run scores: overridden figures before scoring, overridden
grades after it, every applied override noted. The overrides themselves are recorded through
appeals (engines/permu/overrides.py, runs/appeals.py); a later override of the same figure or
grade wins.
"""

from __future__ import annotations

from datetime import datetime

import ibis
import polars as pl
from ibis.expr.types import Table

from industry_brain.engines.base import TableSource


def overrides(
    con: TableSource, year: int, uscc: str | None = None, as_of: datetime | None = None
) -> pl.DataFrame:
    """The overrides of a year (of one enterprise), optionally those recorded by a time."""
    t = con.table("permu_override")
    t = t.filter(t.year == year)
    if uscc is not None:
        t = t.filter(t.uscc == uscc)
    if as_of is not None:
        t = t.filter(t.created_at <= as_of)
    return t.order_by("override_id").to_polars()


def _latest(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    return frame.sort("override_id").unique(subset=keys, keep="last", maintain_order=True)


def apply_figures(enterprise_year: Table, found: pl.DataFrame) -> Table:
    """enterprise_year with the corrected figures in place."""
    figures = _latest(found.filter(pl.col("kind") == "figure"), ["uscc", "year", "field"])
    if figures.height == 0:
        return enterprise_year
    wide = figures.pivot(on="field", index=["uscc", "year"], values="value")
    fields = [c for c in wide.columns if c not in ("uscc", "year")]
    patch = ibis.memtable(wide.rename({f: f"__o_{f}" for f in fields}))
    joined = enterprise_year.left_join(patch, ["uscc", "year"]).drop("uscc_right", "year_right")
    return joined.mutate(**{f: joined[f"__o_{f}"].fill_null(joined[f]) for f in fields}).drop(
        *(f"__o_{f}" for f in fields)
    )


def apply_grades(scores: pl.DataFrame, found: pl.DataFrame) -> pl.DataFrame:
    """Scores with overridden grades, and every applied override noted in `override`."""
    grades = _latest(found.filter(pl.col("kind") == "grade"), ["uscc", "year"])
    notes = (
        found.sort("override_id")
        .group_by("uscc", maintain_order=True)
        .agg(
            pl.concat_str(
                [pl.lit("#"), pl.col("override_id").cast(pl.Utf8), pl.lit(" "), pl.col("reason")]
            )
            .str.join("；")
            .alias("override")
        )
    )
    out = scores.join(
        grades.select("uscc", pl.col("grade").alias("__grade")), on="uscc", how="left"
    )
    out = out.with_columns(pl.coalesce("__grade", "grade").alias("grade")).drop("__grade")
    return out.join(notes, on="uscc", how="left")
