"""The workbook of a stored 亩均 run, with its aggregates by county, park and industry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from industry_brain.engines.permu.aggregates import aggregate
from industry_brain.engines.permu.corrections import apply_figures, overrides
from industry_brain.engines.permu.workbook import write_workbook
from industry_brain.runs.permu import PermuRun, load_permu_run


def region_names(con: Any) -> dict[str, str]:
    rows = con.table("region").select("code", "name").to_polars()
    return dict(zip(rows["code"], rows["name"], strict=True))


def industry_names(con: Any) -> dict[str, str]:
    t = con.table("industry")
    rows = t.filter(t.level == "division").select("code", "name").to_polars()
    return dict(zip(rows["code"], rows["name"], strict=True))


def publish(con: Any, run: PermuRun, path: Path) -> Path:
    """Write the run's lists; the aggregates use the figures the run used (corrections in force
    when it ran applied)."""
    r = con.table("run")
    [created] = r.filter(r.run_id == run.run_id).created_at.to_pyarrow().to_pylist()
    ey = apply_figures(con.table("enterprise_year"), overrides(con, run.year, as_of=created))
    figures = (
        ey.filter(ey.year == run.year)
        .select("uscc", "tax_paid", "value_added", "land_mu")
        .to_polars()
    )
    regions = region_names(con)
    sheets = {
        "按区县汇总": aggregate(run.scores, figures, "county", regions),
        "按园区汇总": aggregate(run.scores, figures, "park", regions),
        "按行业汇总": aggregate(run.scores, figures, "industry", industry_names(con)),
    }
    title = f"{run.spec.title}（{run.year}年）"
    counties = {c: n for c, n in regions.items() if len(c) == 6}
    return write_workbook(path, title, run.scores, counties, run.prices, sheets)


def load_run(con: Any, run_id: int) -> PermuRun:
    """A stored 亩均 run as the engine returned it, with the method it stored."""
    return load_permu_run(con, run_id)
