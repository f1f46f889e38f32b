"""Aggregate figures of 规上 industrial enterprises, computed in the warehouse (Ibis).

These are the figures the plans publish (规上工业总产值, 增加值率, 亩均增加值, 亩均税收,
全员劳动生产率): sums over the population first, ratios after, as DHIS2 computes indicators.
"""

from __future__ import annotations

from typing import Any

import ibis

# Published Taizhou 2020 figures (METHODS.md §4, from the Taizhou 十四五 manufacturing plan).
TAIZHOU_2020: dict[str, float] = {
    "output_yi": 5269.0,
    "value_added_rate": 0.229,
    "value_added_per_mu": 115.6,
    "tax_per_mu": 20.7,
    "labour_productivity": 18.3,
}
TITLES = {
    "output_yi": "规上工业总产值（亿元）",
    "value_added_rate": "规上工业增加值率",
    "value_added_per_mu": "规上工业亩均增加值（万元/亩）",
    "tax_per_mu": "规上工业亩均税收（万元/亩）",
    "labour_productivity": "规上工业全员劳动生产率（万元/人）",
}


def above_scale_industrial(con: Any, year: int, region: str | None = None) -> ibis.Table:
    ey = con.table("enterprise_year")
    ent = con.table("enterprise")
    t = ey.filter(ey.year == year, ey.above_scale).join(ent, "uscc")
    division = t.industry_code.substr(0, 2).cast("int32")
    t = t.filter(division.between(6, 46))
    if region is not None:
        t = t.filter(_in_region(t, region))
    return t


def _in_region(t: ibis.Table, region: str) -> ibis.Value:
    if region.endswith("0000"):
        return t.region_code.startswith(region[:2])
    if region.endswith("00"):
        return t.region_code.startswith(region[:4])
    return t.region_code == region


def city_figures(con: Any, year: int, region: str | None = None) -> dict[str, float | None]:
    t = above_scale_industrial(con, year, region)
    sums = (
        t.aggregate(
            n=t.count(),
            output=t.output.sum(),
            value_added=t.value_added.sum(),
            tax=t.tax_paid.sum(),
            land=t.land_mu.sum(),
            employees=t.employees.sum(),
        )
        .to_polars()
        .row(0, named=True)
    )

    def ratio(a: str, b: str) -> float | None:
        return sums[a] / sums[b] if sums[a] is not None and sums[b] else None

    return {
        "enterprises": float(sums["n"]),
        "output_yi": sums["output"] / 1e4 if sums["output"] is not None else None,
        "value_added_rate": ratio("value_added", "output"),
        "value_added_per_mu": ratio("value_added", "land"),
        "tax_per_mu": ratio("tax", "land"),
        "labour_productivity": ratio("value_added", "employees"),
    }
