"""Migration 2: reference data, the regions and industries the package ships."""

from __future__ import annotations

import polars as pl

from industry_brain.warehouse.warehouse import Warehouse


def apply(con: Warehouse) -> None:
    from industry_brain.reference import industries, regions

    region = pl.DataFrame(
        [(r.code, r.name, r.level, r.parent_code) for r in regions()],
        schema=["code", "name", "level", "parent_code"],
        orient="row",
    )
    industry = pl.DataFrame(
        [(i.code, i.name, i.level, i.parent_code, i.section) for i in industries()],
        schema=["code", "name", "level", "parent_code", "section"],
        orient="row",
    )
    con.insert("region", region)
    con.insert("industry", industry)
