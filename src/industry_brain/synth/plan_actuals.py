"""Synthetic entered actuals: the figures a bureau types in from the statistics yearbook.

For each row of a plan that the microdata cannot give and whose target has a figure, a series
for the plan years up to the last synthetic year: levels move from the baseline towards the
target at a pace drawn per indicator (some ahead, some behind, some going backwards), rates
scatter around what the target needs. The source column says plainly that the figures are
synthetic. The same seed gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from industry_brain.engines.progress.catalog import Plan, PlanIndicator
from industry_brain.engines.progress.method import per_year
from industry_brain.xlsx import new_workbook, write_rows

SOURCE = "合成数据（模拟统计年报，仅供演示）"
COUNTS = {"个", "家", "项", "件", "名"}


def _pace(rng: np.random.Generator) -> float:
    """How fast an indicator moves relative to what its target needs."""
    return float(
        rng.choice(
            [rng.uniform(1.0, 1.3), rng.uniform(0.55, 0.95), rng.uniform(-0.3, 0.4)],
            p=[0.5, 0.35, 0.15],
        )
    )


def _series(
    row: PlanIndicator, plan: Plan, years: list[int], rng: np.random.Generator
) -> dict[int, float]:
    t = row.effective
    pace = _pace(rng)
    noise = lambda scale: float(rng.normal(0, scale))  # noqa: E731
    if row.measure == "rate" and t.kind == "annual_growth" and t.value is not None:
        return {y: t.value * pace + noise(abs(t.value) * 0.15) for y in years}
    if row.measure == "rate" and t.kind == "cumulative" and t.value is not None:
        step = per_year(t.value / 100, plan.target_year - plan.base_year, row.direction == "down")
        return {y: 100 * step * pace + noise(100 * step * 0.1) for y in years}
    if row.measure == "rate" and t.value is not None:
        return {y: t.value * pace + noise(abs(t.value) * 0.1) for y in years}
    if t.value is None:
        return {}
    out = {}
    if t.from_zero:  # 新增…: additions since the base year
        x0, t0 = 0.0, plan.base_year
    elif row.baseline is None or row.baseline_year is None:  # a text target: the base year too
        x0, t0 = t.value * float(rng.uniform(0.3, 0.7)), plan.base_year
        out[t0] = round(x0) if row.unit in COUNTS else x0
    else:
        x0, t0 = row.baseline, row.baseline_year
    span = plan.target_year - t0
    for y in years:
        share = (y - t0) / span
        value = x0 + (t.value - x0) * share * pace + noise(abs(t.value - x0) * 0.03)
        out[y] = float(max(round(value), 0)) if row.unit in COUNTS else value
    return out


def plan_actual_rows(plan: Plan, last_year: int, seed: int) -> list[list[object]]:
    """指标, 年份, 数值, 来源, 备注 rows for the rows without a formula."""
    rng = np.random.default_rng([seed, 4])
    years = list(range(plan.base_year + 1, min(last_year, plan.target_year) + 1))
    rows: list[list[object]] = []
    for row in plan.indicators:
        if row.formula is not None or not row.effective.assessable:
            continue
        for year, value in _series(row, plan, years, rng).items():
            digits = 2 if abs(value) < 1000 else 0
            rows.append([row.name, year, round(value, digits), SOURCE, ""])
    return rows


def write_plan_actuals(path: Path, plan: Plan, last_year: int, seed: int) -> int:
    """Write the entered-actuals workbook; returns the number of rows."""
    rows = plan_actual_rows(plan, last_year, seed)
    wb, bold = new_workbook(path, f"{plan.title} 指标完成情况（合成）")
    write_rows(
        wb.add_worksheet("指标完成情况"), ["指标", "年份", "数值", "来源", "备注"], rows, bold
    )
    wb.close()
    return len(rows)
