"""Warehouse lookups used by validation (parks, the register, other sources' figures)."""

from __future__ import annotations

import polars as pl

from industry_brain.warehouse.warehouse import Warehouse


class WarehouseLookups:
    def __init__(
        self, con: Warehouse, configured_parks: list[dict[str, str]] | None = None
    ) -> None:
        self.con = con
        self.configured_parks = configured_parks or []

    def parks(self) -> dict[str, str]:
        """Parks in the warehouse and in the workspace's parks.yaml: name → code."""
        t = self.con.table("region")
        rows = t.filter(t.level == "park").select("name", "code").to_polars()
        known = dict(zip(rows["name"], rows["code"], strict=True))
        return known | {p["name"]: p["code"] for p in self.configured_parks}

    def enterprises(self) -> pl.DataFrame:
        t = self.con.table("enterprise").filter(lambda t: t.register_batch_id.notnull())
        cols = ["uscc", "name", "region_code", "industry_code", "register_batch_id"]
        return t.select(*cols).to_polars().with_columns(pl.col("register_batch_id").cast(pl.Int64))

    def enterprise_years(self, columns: list[str]) -> pl.DataFrame:
        t = self.con.table("enterprise_year")
        return t.select("uscc", "year", *columns).to_polars()
