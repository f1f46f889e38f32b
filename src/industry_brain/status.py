"""What a workspace holds: loaded batches by source and year, enterprises by year and county."""

from __future__ import annotations

import polars as pl

from industry_brain.reference.industries import is_industrial
from industry_brain.warehouse.warehouse import Warehouse


def loaded_batches(con: Warehouse) -> pl.DataFrame:
    b = con.table("batch")
    b = b.filter(b.status == "active")
    return (
        b.group_by(["source", "year"])
        .aggregate(
            batches=b.count(), rows_loaded=b.rows_loaded.sum(), rows_rejected=b.rows_rejected.sum()
        )
        .order_by(["source", "year"])
        .to_polars()
    )


def enterprises_by_county(con: Warehouse) -> pl.DataFrame:
    """One row per county; columns '<year>_above' and '<year>_below' (industrial enterprises)."""
    ey, ent = con.table("enterprise_year"), con.table("enterprise")
    region = con.table("region").select(region_code="code", county="name")
    t = ey.join(ent.select("uscc", "region_code", "industry_code"), "uscc")
    t = t.join(region, "region_code")
    t = t.filter(is_industrial(t.industry_code))
    counts = (
        t.group_by(["county", "region_code", "year"])
        .aggregate(
            above=t.above_scale.sum().cast("int64"), below=(~t.above_scale).sum().cast("int64")
        )
        .to_polars()
    )
    if counts.height == 0:
        return counts
    wide = counts.pivot(on="year", index=["county", "region_code"], values=["above", "below"])
    renamed = {
        c: f"{c.split('_')[-1]}_{c.split('_')[0]}"
        for c in wide.columns
        if "_" in c and c not in ("region_code",)
    }
    return wide.rename(renamed).sort("region_code").fill_null(0)


def county_names(con: Warehouse) -> dict[str, str]:
    """County code → name."""
    region = con.table("region")
    rows = region.filter(region.level == "county").select("code", "name").to_polars()
    return dict(zip(rows["code"], rows["name"], strict=True))
