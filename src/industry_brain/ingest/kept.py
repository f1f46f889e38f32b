"""Which row errors a report keeps when a file has more than `max_reported_errors`.

A 199 MB file whose every row was wrong gave 2.6 million errors: a 1.5 GB pending.json and a
review page nobody can read. The report keeps a bounded sample instead, chosen so that every
code is shown: each code keeps its first rows, the same number for every code that has that
many (a rare code keeps all its rows). The counts by code stay exact.
"""

from __future__ import annotations

import polars as pl

from industry_brain.settings import BY_NAME

DEFAULT_KEPT: int = BY_NAME["max_reported_errors"].default


def per_code(counts: list[int], keep: int) -> int:
    """The largest n such that keeping min(count, n) errors of each code keeps at most `keep`."""
    remaining, ordered = keep, sorted(counts)
    for i, count in enumerate(ordered):
        share = remaining // (len(ordered) - i)
        if count > share:
            return share
        remaining -= count
    return ordered[-1] if ordered else 0


def kept_errors(errors: pl.DataFrame, keep: int) -> pl.DataFrame:
    """At most `keep` of the errors (sorted by row and code), the first rows of every code."""
    if errors.height <= keep:
        return errors
    counts = errors.get_column("code").value_counts().get_column("count").to_list()
    n = per_code(counts, keep)
    rank = pl.int_range(pl.len()).over("code")
    return errors.filter(rank < n)
