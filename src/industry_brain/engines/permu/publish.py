"""The published lists of a 亩均 run: the workbook, with aggregates by county, park and industry
computed from the figures the run used (the corrections in force when it ran applied)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from industry_brain.engines.base import Run
from industry_brain.engines.permu.aggregates import aggregate
from industry_brain.engines.permu.corrections import apply_figures, overrides
from industry_brain.engines.permu.results import SCORE_COLUMNS
from industry_brain.engines.permu.workbook import write_workbook
from industry_brain.warehouse.warehouse import Warehouse


def region_names(con: Warehouse) -> dict[str, str]:
    rows = con.table("region").select("code", "name").to_polars()
    return dict(zip(rows["code"], rows["name"], strict=True))


def industry_names(con: Warehouse) -> dict[str, str]:
    t = con.table("industry")
    rows = t.filter(t.level == "division").select("code", "name").to_polars()
    return dict(zip(rows["code"], rows["name"], strict=True))


def write_lists(con: Warehouse, run: Run, path: Path, inside: pl.Expr | None = None) -> Path:
    """Write the run's lists at `path` (of the enterprises `inside` selects, when given)."""
    scores = run.results["permu_score"].select(SCORE_COLUMNS)
    surcharges = run.results["permu_price"]
    if inside is not None:
        scores = scores.filter(inside)
        surcharges = surcharges.filter(pl.col("uscc").is_in(scores["uscc"].implode()))
    ey = apply_figures(con.table("enterprise_year"), overrides(con, run.year, as_of=run.created_at))
    figures = (
        ey.filter(ey.year == run.year)
        .select("uscc", "tax_paid", "value_added", "land_mu")
        .to_polars()
    )
    regions = region_names(con)
    sheets = {
        "按区县汇总": aggregate(scores, figures, "county", regions),
        "按园区汇总": aggregate(scores, figures, "park", regions),
        "按行业汇总": aggregate(scores, figures, "industry", industry_names(con)),
    }
    title = f"{run.spec.title}（{run.year}年）"
    counties = {c: n for c, n in regions.items() if len(c) == 6}
    return write_workbook(path, title, scores, counties, surcharges, sheets)
