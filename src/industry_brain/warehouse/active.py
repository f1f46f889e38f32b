"""A source's rows as the warehouse counts them: those of active batches (not withdrawn, not
superseded), and of those the latest batch's row per key."""

from __future__ import annotations

import ibis
from ibis import _

from industry_brain.warehouse.warehouse import Warehouse


def active(con: Warehouse, source: str) -> ibis.Table:
    rows = con.table(f"src_{source}")
    live = con.table("batch").filter(_.status == "active").select("batch_id")
    return rows.semi_join(live, "batch_id")


def latest(
    con: Warehouse, source: str, key: list[str], years: list[int] | None = None
) -> ibis.Table:
    """The row of the latest active batch for each key (optionally only in some years)."""
    rows = active(con, source)
    if years is not None:
        rows = rows.filter(rows.year.isin(years))
    newest = rows.batch_id.max().over(group_by=[rows[k] for k in key])
    rows = rows.filter(rows.batch_id == newest)
    first = ibis.row_number().over(group_by=[rows[k] for k in key], order_by=rows.row_number)
    return rows.filter(first == 0)
