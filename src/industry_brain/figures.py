"""Aggregate figures of 规上 industrial enterprises, computed in the warehouse (Ibis).

These are the figures the plans publish (规上工业总产值, 增加值率, 亩均增加值, 亩均税收,
全员劳动生产率, R&D占比, 新产品产值率): sums over the population first, ratios after, as DHIS2
computes indicators.
"""

from __future__ import annotations

import ibis

from industry_brain.reference.industries import is_industrial
from industry_brain.reference.published import SUMMED, TAIZHOU_2020, TITLES, figures_from_sums
from industry_brain.reference.regions import in_region
from industry_brain.warehouse.warehouse import Warehouse

__all__ = ["TAIZHOU_2020", "TITLES", "above_scale_industrial", "city_figures"]


def above_scale_industrial(con: Warehouse, year: int, region: str | None = None) -> ibis.Table:
    """规上 industrial (大类 06–46) enterprise-years of a year, optionally within a region."""
    ey, ent = con.table("enterprise_year"), con.table("enterprise")
    t = ey.filter(ey.year == year, ey.above_scale).join(ent, "uscc")
    t = t.filter(is_industrial(t.industry_code))
    return t.filter(in_region(t.region_code, region)) if region is not None else t


def city_figures(con: Warehouse, year: int, region: str | None = None) -> dict[str, float | None]:
    """The published figures for a region and year, with the number of enterprises."""
    t = above_scale_industrial(con, year, region)
    sums = t.aggregate(enterprises=t.count(), **{c: t[c].sum() for c in SUMMED})
    row = sums.to_pyarrow().to_pylist()[0]
    return {"enterprises": float(row["enterprises"]), **figures_from_sums(row)}
