"""Calibration to Taizhou's published 2020 figures (METHODS.md §4) and their recomputation."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl

from industry_brain.reference.published import SUMMED, TAIZHOU_2020, figures_from_sums
from industry_brain.synth.metrics import THRESHOLD

CALIBRATION_YEAR = 2020


def targets(scale: float) -> dict[str, float]:
    """The published figures for a city of the given scale: Σoutput scales, ratios do not."""
    return {k: v * scale if k == "output" else v for k, v in TAIZHOU_2020.items()}


def calibration_figures(
    enterprise_years: pl.DataFrame, year: int = CALIBRATION_YEAR
) -> dict[str, float]:
    """The §4 figures over the 规上 (above_scale) enterprises of `year`; nulls count as 0."""
    rows = enterprise_years.filter((pl.col("year") == year) & pl.col("above_scale"))
    sums = rows.select(pl.col(c).cast(pl.Float64).fill_null(0).sum() for c in SUMMED).row(
        0, named=True
    )
    figures = figures_from_sums({k: float(v) for k, v in sums.items()})
    out = {k: float("nan") if v is None else v for k, v in figures.items()}
    out["above_scale_enterprises"] = float(rows.height)
    return out


def solve_revenue_factor(revenue: np.ndarray, output: np.ndarray, target: float) -> float:
    """k such that Σ k·output over firms with k·revenue ≥ 2000 万元 equals the target.

    Firms sorted by revenue: with the top m firms above the threshold, k lies in
    [2000/r_m, 2000/r_{m+1}) and the sum is k·S_m; the sum only jumps when a firm crosses.
    """
    keep = ~np.isnan(revenue)
    order = np.argsort(-revenue[keep], kind="stable")
    r, o = revenue[keep][order], output[keep][order]
    s = np.cumsum(o)
    k = target / s
    low = THRESHOLD / r
    high = np.append(THRESHOLD / r[1:], np.inf)
    valid = np.nonzero((k >= low) & (k < high))[0]
    if len(valid):
        return float(k[valid[0]])
    best = np.argmin(np.abs(low * s - target))  # target falls inside a jump: stop at its edge
    return float(low[best])


def fit(
    values: np.ndarray,
    total: Callable[[np.ndarray], float],
    target: float,
    cap: np.ndarray | float | None = None,
    rounding: Callable[[np.ndarray], np.ndarray] | None = None,
    iterations: int = 12,
) -> np.ndarray:
    """Rescale all values by one factor so that total(values) hits the target, honouring a
    per-cell cap and a rounding rule (both make a few fixed-point iterations necessary)."""
    factor = 1.0
    current = values
    for _ in range(iterations):
        trial = values * factor
        if cap is not None:
            trial = np.minimum(trial, cap)
        if rounding is not None:
            trial = rounding(trial)
        current = trial
        got = total(current)
        if got <= 0 or abs(got / target - 1) < 1e-7:
            break
        factor *= target / got
    return current
