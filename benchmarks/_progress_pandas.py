"""The plan-indicator formulas in plain pandas: merge, filter, groupby sums, ratios.

Read the columns the formulas need, merge enterprise_year with enterprise, keep the city's
above-scale enterprise-years; per population filter the 大类 range, sum per year (the city) and
per (county, year) (the counties), then divide. Non-finite values are dropped, as the engine
does.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from _progress_data import CITY, COLUMNS, FORMULAS, POPULATIONS

RESULT = ["region", "formula", "year", "value", "numerator", "denominator", "n"]


def _sums(df: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """Σcolumns and n per (region, year): the city's, and each listed county's."""
    agg = {c: (c, "sum") for c in COLUMNS} | {"n": ("year", "size")}
    parts = []
    if CITY in regions:
        city = df.groupby("year", as_index=False).agg(**agg)
        parts.append(city.assign(region=CITY))
    counties = [r for r in regions if r != CITY]
    if counties:
        part = df[df["region_code"].isin(counties)]
        parts.append(
            part.groupby(["region_code", "year"], as_index=False)
            .agg(**agg)
            .rename(columns={"region_code": "region"})
        )
    return pd.concat(parts, ignore_index=True)


def compute(enterprise: Path, enterprise_year: Path, regions: list[str]) -> pd.DataFrame:
    e = pd.read_parquet(enterprise, columns=["uscc", "region_code", "industry_code"])
    ey = pd.read_parquet(enterprise_year, columns=["uscc", "year", "above_scale", *COLUMNS])
    df = ey.merge(e, on="uscc", how="inner")
    df = df[df["region_code"].str.startswith(CITY[:4])]
    division = df["industry_code"].str[:2].astype(int)
    frames = []
    for pop, (above, low, high) in POPULATIONS.items():
        sums = _sums(df[(df["above_scale"] == above) & division.between(low, high)], regions)
        for formula, (fpop, num, den, scale) in FORMULAS.items():
            if fpop != pop:
                continue
            d = sums[den] if den else pd.Series(1.0, index=sums.index)
            frames.append(
                pd.DataFrame(
                    {
                        "region": sums["region"],
                        "formula": formula,
                        "year": sums["year"].astype("int32"),
                        "value": sums[num] / d * scale,
                        "numerator": sums[num],
                        "denominator": d.astype(float),
                        "n": sums["n"].astype("int64"),
                    }
                )
            )
    out = pd.concat(frames, ignore_index=True)
    out = out[np.isfinite(out["value"])]
    return out.sort_values(["region", "formula", "year"], ignore_index=True)[RESULT]
