"""A plan's actuals: computed from the microdata by formula, or entered with their source.

Every actual says where it comes from. A computed one names its formula, population size and
the batches its sums read; an entered one names the source given in the file, the file and the
row. Where both exist, the entered (published) figure is used and the computed one is noted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from industry_brain.engines.base import TableSource
from industry_brain.engines.progress.assess import Actual
from industry_brain.engines.progress.catalog import Plan
from industry_brain.engines.progress.formulas import (
    FORMULAS,
    TRANSFORMS,
    compute,
    coverage,
    population_table,
    transformed,
)
from industry_brain.reference.regions import regions
from industry_brain.warehouse.schema import FIGURES

Series = dict[int, Actual]


@dataclass
class PlanActuals:
    series: dict[str, Series]  # indicator id → year → actual
    notes: list[str]  # plan-level remarks (e.g. coverage)


def _batches(con: TableSource, plan: Plan, formula_ids: set[str]) -> dict[tuple[str, int], str]:
    """'statistics 3, land 5' per (population, year): the batches the sums read."""
    out: dict[tuple[str, int], str] = {}
    for pop in {FORMULAS[i].population for i in formula_ids}:
        used = {
            c
            for i in formula_ids
            if FORMULAS[i].population == pop
            for c in (FORMULAS[i].numerator, FORMULAS[i].denominator)
            if c
        }
        sources = sorted({FIGURES[c] for c in used})
        t = population_table(con, pop, plan.region_code)
        rows = t.select("year", *[f"{s}_batch_id" for s in sources]).distinct().to_polars()
        for (year,), part in rows.group_by("year"):
            text = "; ".join(
                f"{s} {', '.join(map(str, sorted(part[f'{s}_batch_id'].drop_nulls().unique())))}"
                for s in sources
            )
            out[(pop.id, int(year))] = text
    return out


def computed(con: TableSource, plan: Plan) -> PlanActuals:
    rows = [r for r in plan.indicators if r.formula is not None]
    ids = {r.formula.id for r in rows if r.formula}
    if not ids:
        return PlanActuals({}, [])
    cover = coverage(con, plan.region_code)
    partial = {y: c for y, c in cover.items() if c[0] < c[1]}
    notes = []
    if partial:
        name = regions().get(plan.region_code).name
        years = "、".join(f"{y}年{c[0]}/{c[1]}" for y, c in sorted(partial.items()))
        notes.append(f"数据仓库未覆盖{name}全部县（市、区）（{years}），这些年份不计算指标值")
    frame = compute(con, sorted(ids), plan.region_code).filter(~pl.col("year").is_in(list(partial)))
    batches = _batches(con, plan, ids)
    series: dict[str, Series] = {}
    for row in rows:
        assert row.formula is not None
        f = FORMULAS[row.formula.id]
        part = frame.filter(pl.col("formula") == f.id)
        levels = dict(zip(part["year"].to_list(), part["value"].to_list(), strict=True))
        counts = dict(zip(part["year"].to_list(), part["n"].to_list(), strict=True))
        values = transformed(levels, row.formula.transform)
        label = f.describe() + (
            f"的年{TRANSFORMS[row.formula.transform]}" if row.formula.transform else ""
        )
        series[row.id] = {
            y: Actual(
                y,
                v,
                "computed",
                f"{label}，{counts[y]}家企业；批次 {batches.get((f.population.id, y), '')}",
            )
            for y, v in values.items()
        }
    return PlanActuals(series, notes)


def entered(con: TableSource, plan: Plan) -> dict[str, Series]:
    """The latest entry per indicator and year for the plan's region."""
    t = con.table("indicator_value")
    t = t.filter((t.plan == plan.plan) & (t.region_code == plan.region_code))
    frame = t.to_polars().sort("entry_id")
    out: dict[str, Series] = {}
    for r in frame.iter_rows(named=True):
        source = f"{r['source']}（{r['file_name']} 第{r['row']}行）"
        out.setdefault(r["indicator"], {})[r["year"]] = Actual(
            r["year"], r["value"], "entered", source, r["note"] or ""
        )
    return out


def plan_actuals(con: TableSource, plan: Plan) -> PlanActuals:
    result = computed(con, plan)
    for indicator, years in entered(con, plan).items():
        series = result.series.setdefault(indicator, {})
        for year, actual in years.items():
            if year in series:
                note = f"计算值为{series[year].value:.4g}"
                actual = replace(actual, note="；".join(n for n in (actual.note, note) if n))
            series[year] = actual
    return result
