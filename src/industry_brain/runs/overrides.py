"""Appeals: overrides of an enterprise's figure or grade, with reason, author and time.

The table is append-only (an audit trail): a later override of the same figure or grade wins.
Runs apply figure overrides before scoring and grade overrides after it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import ibis
import polars as pl
from ibis.expr.types import Table

from industry_brain.engines.permu.spec import GRADES
from industry_brain.errors import BrainError
from industry_brain.suggest import did_you_mean
from industry_brain.warehouse import transaction
from industry_brain.warehouse.schema import FIGURES


class OverrideError(BrainError, ValueError):
    code, title, status = "override_invalid", "复核更正有误", 422


def add_override(
    con: Any,
    year: int,
    uscc: str,
    reason: str,
    author: str,
    field: str | None = None,
    value: float | None = None,
    grade: str | None = None,
) -> int:
    """Record a corrected figure (field and value) or a grade; returns the override id."""
    if (field is None) == (grade is None):
        raise OverrideError("an override corrects either a figure (field and value) or a grade")
    if field is not None and (field not in FIGURES or value is None):
        hint = did_you_mean(field, FIGURES)
        raise OverrideError(f"{field!r} needs a known figure and a value{hint}")
    if grade is not None and grade not in GRADES:
        raise OverrideError(f"unknown grade {grade!r}: one of {', '.join(GRADES)}")
    if not reason.strip() or not author.strip():
        raise OverrideError("an override needs a reason and an author")
    t = con.table("permu_override")
    with transaction(con):
        new_id = int(t.override_id.max().to_pyarrow().as_py() or 0) + 1
        con.insert(
            "permu_override",
            pl.DataFrame(
                [
                    {
                        "override_id": new_id,
                        "year": year,
                        "uscc": uscc,
                        "kind": "grade" if grade else "figure",
                        "field": field,
                        "value": value,
                        "grade": grade,
                        "reason": reason,
                        "author": author,
                        "created_at": datetime.now(UTC).replace(tzinfo=None),
                    }
                ],
                schema_overrides={"field": pl.Utf8, "value": pl.Float64, "grade": pl.Utf8},
            ),
        )
    return new_id


def overrides(
    con: Any, year: int, uscc: str | None = None, as_of: datetime | None = None
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
