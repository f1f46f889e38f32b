"""Aggregate figures of 规上 industrial enterprises, computed in the warehouse (Ibis).

These are the figures the plans publish (规上工业总产值, 增加值率, 亩均增加值, 亩均税收,
全员劳动生产率, R&D占比, 新产品产值率): sums over the population first, ratios after, as DHIS2
computes indicators.
"""

from __future__ import annotations

from typing import Any

import ibis

from industry_brain.reference.published import TAIZHOU_2020, TITLES

__all__ = ["TAIZHOU_2020", "TITLES", "above_scale_industrial", "city_figures"]


def _in_region(t: ibis.Table, region: str) -> ibis.Value:
    if region.endswith("0000"):
        return t.region_code.startswith(region[:2])
    if region.endswith("00"):
        return t.region_code.startswith(region[:4])
    return t.region_code == region


def above_scale_industrial(con: Any, year: int, region: str | None = None) -> ibis.Table:
    """规上 industrial (大类 06–46) enterprise-years of a year, optionally within a region."""
    ey, ent = con.table("enterprise_year"), con.table("enterprise")
    t = ey.filter(ey.year == year, ey.above_scale).join(ent, "uscc")
    t = t.filter(t.industry_code.substr(0, 2).cast("int32").between(6, 46))
    return t.filter(_in_region(t, region)) if region is not None else t


def city_figures(con: Any, year: int, region: str | None = None) -> dict[str, float | None]:
    t = above_scale_industrial(con, year, region)
    sums = (
        t.aggregate(
            enterprises=t.count(),
            **{
                c: t[c].sum()
                for c in (
                    "revenue",
                    "output",
                    "value_added",
                    "tax_paid",
                    "land_mu",
                    "employees",
                    "rd_expense",
                    "new_product_output",
                )
            },
        )
        .to_pyarrow()
        .to_pylist()[0]
    )

    def ratio(a: str, b: str) -> float | None:
        return sums[a] / sums[b] if sums[a] is not None and sums[b] else None

    return {
        "enterprises": float(sums["enterprises"]),
        "output": sums["output"],
        "value_added_rate": ratio("value_added", "output"),
        "value_added_per_mu": ratio("value_added", "land_mu"),
        "tax_per_mu": ratio("tax_paid", "land_mu"),
        "labour_productivity": ratio("value_added", "employees"),
        "rd_intensity": ratio("rd_expense", "revenue"),
        "new_product_rate": ratio("new_product_output", "output"),
    }
