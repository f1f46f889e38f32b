"""Splitting a figure into parts that add up exactly as written: months, accounts, tax types,
outlets. Parts are whole units of the written precision (a kWh, a fen, a tenth of a kilogram),
rounded by the largest remainder, so the parts a department writes always sum to its total."""

from __future__ import annotations

import numpy as np

# Share of a year's electricity by month in a Taizhou factory: the Spring Festival stop in
# February, the summer peak of air conditioning in July and August.
MONTH_PROFILE = np.array(
    [0.086, 0.056, 0.084, 0.083, 0.085, 0.086, 0.094, 0.095, 0.087, 0.082, 0.080, 0.082]
)


def largest_remainder(totals: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Split whole-number totals (n,) by weights (n, k) into whole parts (n, k) that add up to
    each total: floors first, then one more to the parts with the largest remainders (ties to
    the first). A row without weight gives everything to its first part."""
    totals = np.asarray(totals, dtype=np.int64)
    w = np.asarray(weights, dtype=float)
    s = w.sum(axis=1, keepdims=True)
    w = np.where(s > 0, w / np.where(s > 0, s, 1.0), np.eye(1, w.shape[1])[0])
    raw = totals[:, None] * w
    base = np.floor(raw).astype(np.int64)
    left = totals - base.sum(axis=1)
    order = np.argsort(-(raw - base), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(w.shape[1])[None, :].repeat(len(w), 0), axis=1)
    return base + (rank < left[:, None])


def month_weights(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seasonal weights (n, 12) with each firm's own noise."""
    return MONTH_PROFILE[None, :] * np.exp(rng.normal(0.0, 0.1, (n, 12)))


def whole(values: np.ndarray, unit: float) -> np.ndarray:
    """Values as whole numbers of a unit (e.g. kWh, fen), exactly as they are written."""
    return np.rint(np.asarray(values, dtype=float) / unit).astype(np.int64)
