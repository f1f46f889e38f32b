"""One buyer's screening in a stored run: its inputs, the flags raised on them, and the trade
rows behind each flag (year, buyer, supplier, input class) — or, for a supplier, its figures
and the buyers that depend on it."""

from __future__ import annotations

from typing import Any

import polars as pl

from industry_brain.engines.base import Tables
from industry_brain.engines.chains.purchases import trade_rows
from industry_brain.engines.chains.spec import RiskSpec
from industry_brain.warehouse.warehouse import Warehouse


def _rows(con: Warehouse, table: str, run_id: int, column: str, entity: str) -> pl.DataFrame:
    t = con.table(table)
    return t.filter((t.run_id == run_id) & (t[column] == entity)).drop("run_id").to_polars()


def _year(con: Warehouse, run_id: int) -> int:
    r = con.table("run")
    return int(r.filter(r.run_id == run_id).select("year").to_polars().item())


def explain(con: Warehouse, run_id: int, spec: RiskSpec, entity: str) -> dict[str, Any] | None:
    inputs = _rows(con, "chain_input", run_id, "buyer_uscc", entity)
    supplier = _rows(con, "chain_supplier", run_id, "supplier", entity)
    if inputs.height == 0 and supplier.height == 0:
        return None
    flagged = _rows(con, "chain_flag", run_id, "buyer_uscc", entity)
    dependents = _rows(con, "chain_flag", run_id, "supplier", entity)
    t = trade_rows(Tables(con.table, ("trade", "enterprise")), spec, _year(con, run_id))
    mine = t.filter((t.buyer_uscc == entity) | (t.supplier == entity)).order_by(
        "buyer_uscc", "input_class", "supplier", "amount"
    )
    return {
        "entity": entity,
        "inputs": inputs.to_dicts(),
        "flags": flagged.to_dicts(),
        "supplier": supplier.to_dicts()[0] if supplier.height else None,
        "dependents": dependents.to_dicts(),
        "trades": mine.to_polars().to_dicts(),
    }
