"""Group row indices by key columns (sorted by key), without a Python pass over every row."""

from __future__ import annotations

import numpy as np
import polars as pl


def group_indices(**keys: np.ndarray) -> list[tuple[tuple[str, ...], np.ndarray]]:
    """[(key values, row indices)] for each distinct combination of the key arrays, sorted."""
    names = list(keys)
    frame = pl.DataFrame({k: np.asarray(v).astype(str) for k, v in keys.items()})
    grouped = frame.with_row_index("i").group_by(names).agg(pl.col("i")).sort(names)
    return [(tuple(row[:-1]), np.asarray(row[-1], dtype=np.int64)) for row in grouped.iter_rows()]
