"""Small trade worlds for the chain engine's tests: in-memory tables behind `Tables`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import ibis
import polars as pl

from industry_brain.engines.base import Tables

TRADE = {
    "year": pl.Int32, "buyer_uscc": pl.Utf8, "seller_uscc": pl.Utf8, "seller_name": pl.Utf8,
    "seller_region": pl.Utf8, "product_code": pl.Utf8, "product_name": pl.Utf8,
    "amount": pl.Float64,
}  # fmt: skip
ENTERPRISE = {"uscc": pl.Utf8, "name": pl.Utf8, "region_code": pl.Utf8, "industry_code": pl.Utf8}
YEAR = {
    "uscc": pl.Utf8, "year": pl.Int32, "output": pl.Float64, "revenue": pl.Float64,
    "tax_paid": pl.Float64, "land_mu": pl.Float64,
}  # fmt: skip


def uscc(region: str, serial: int) -> str:
    """An 18-character code whose characters 3–8 are `region` (check digit not computed)."""
    return f"91{region}MA{serial:07d}X"


def trade(rows: Iterable[Sequence[Any]]) -> pl.DataFrame:
    """(buyer, seller_uscc, seller_name, seller_region, product_code, amount) rows of 2024."""
    full = [(2024, b, s, n, r, c, None, a) for b, s, n, r, c, a in rows]
    return pl.DataFrame(full, schema=TRADE, orient="row")


def tables(
    trade_: pl.DataFrame,
    register: Iterable[Sequence[Any]],
    output: dict[str, float],
    before: dict[str, float] | None = None,
    grades: Iterable[tuple[int, int, str, str | None]] = (),
    tax_land: dict[str, tuple[float, float]] | None = None,
) -> Tables:
    """The tables the engine reads: `output` of 2024, `before` of 2023, by USCC; `grades`:
    (run_id, year, uscc, grade) of 亩均 runs; `tax_land`: (tax paid, land) in 2024."""
    grades = list(grades)
    runs = pl.DataFrame(
        sorted({(r, "permu", y) for r, y, _, _ in grades}),
        schema={"run_id": pl.Int32, "engine": pl.Utf8, "year": pl.Int32},
        orient="row",
    )
    scores = pl.DataFrame(
        [(r, u, g) for r, _, u, g in grades],
        schema={"run_id": pl.Int32, "uscc": pl.Utf8, "grade": pl.Utf8},
        orient="row",
    )
    ent = pl.DataFrame(list(register), schema=ENTERPRISE, orient="row")
    tax_land = tax_land or {}
    rows = [(u, 2024, o, None, *tax_land.get(u, (None, None))) for u, o in output.items()]
    rows += [(u, 2023, o, None, None, None) for u, o in (before or {}).items()]
    years = pl.DataFrame(rows, schema=YEAR, orient="row")
    found = {
        "trade": ibis.memtable(trade_),
        "enterprise": ibis.memtable(ent),
        "enterprise_year": ibis.memtable(years),
        "run": ibis.memtable(runs),
        "permu_score": ibis.memtable(scores),
    }
    return Tables(found.__getitem__, found)
