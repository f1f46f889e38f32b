"""taizhou-city-2022 in plain pandas: groupby/transform, rank by (-total, uscc), quota grades."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

EXEMPT = {d: "电力、热力、燃气及水生产和供应业（免评）" for d in ("44", "45", "46")}
EXEMPT["16"] = "烟草制品业（免评）"
GROUPS = {
    "机械装备": ["33", "34", "35", "38", "40"],
    "汽车及交通运输设备": ["36", "37"],
    "医药化工": ["25", "26", "27", "28", "29"],
    "轻工纺织": [
        *("13", "14", "15", "17", "18", "19", "20", "21", "22", "23", "24", "41", "42", "43")
    ],
    "材料及其他": ["06", "07", "08", "09", "10", "11", "12", "30", "31", "32", "39"],
}
GROUP_OF = {d: g for g, divs in GROUPS.items() for d in divs}
# indicator: numerator, denominator, scale
INDICATORS = {
    "tax_per_mu": ("tax_paid", "land_mu", 1.0),
    "value_added_per_mu": ("value_added", "land_mu", 1.0),
    "value_added_per_tce": ("value_added", "energy_tce", 1.0),
    "value_added_per_emission": ("value_added", "emissions_eq", 1.0),
    "labour_productivity": ("value_added", "employees", 1.0),
    "rd_intensity": ("rd_expense", "revenue", 1.0),
    "tax_per_kwh": ("tax_paid", "electricity_kwh", 1e4),
}
# track: [(indicator, weight, missing)], quotas, leaders
TRACKS = {
    "above_scale": (
        [
            ("tax_per_mu", 30, "zero"),
            ("value_added_per_mu", 20, "zero"),
            ("value_added_per_tce", 20, "zero"),
            ("value_added_per_emission", 10, "group_mean"),
            ("labour_productivity", 10, "zero"),
            ("rd_intensity", 10, "zero"),
        ],
        [("A", 0.20), ("B", 0.60), ("C", 0.15)],
        5,
    ),
    "below_scale": ([("tax_per_mu", 50, "zero"), ("tax_per_kwh", 50, "zero")], [], 0),
}
TRACKS["below_scale"][1].extend([("A", 0.05), ("B", 0.70), ("C", 0.20)])
CAP = 2.0


def classify(df: pd.DataFrame, year: int) -> pd.DataFrame:
    df = df[df["year"] == year]
    division = df["industry_code"].str[:2]
    keep = df["region_code"].str.startswith("3310") & division.astype(int).between(6, 46)
    df = df[keep].copy()
    division = division[keep]
    reason = division.map(EXEMPT)
    above = df["above_scale"]
    below = (~above) & (df["land_mu"].fillna(0) >= 3)
    track = pd.Series(np.where(above, "above_scale", np.where(below, "below_scale", None)))
    track.index = df.index
    group = np.where(above, division.map(GROUP_OF).fillna("其他"), np.where(below, "全部", None))
    cutoff = pd.Timestamp(year - 2, 12, 31)
    deferred = pd.to_datetime(df["registered_on"]) > cutoff
    exempt = reason.notna()
    df["track"], df["group"] = track, group
    df["status"] = np.select(
        [exempt, track.isna(), deferred],
        ["exempt", "not_evaluated", "deferred"],
        default="evaluated",
    )
    df["reason"] = np.select(
        [exempt, track.isna(), deferred],
        [reason, "规下企业用地面积不足评价起点", "成立不满2年（暂缓评价）"],
        default=None,
    )
    return df


def _value(df: pd.DataFrame, name: str) -> pd.Series:
    num, den, scale = INDICATORS[name]
    return (df[num] * scale / df[den]).where(df[den] > 0)


def score_track(cur: pd.DataFrame, last: pd.DataFrame, track: str) -> pd.DataFrame:
    items, quotas, leaders = TRACKS[track]
    t = cur[(cur["track"] == track) & (cur["status"] == "evaluated")].copy()
    lt = last[last["track"] == track]
    total = pd.Series(0.0, index=t.index)
    for name, weight, missing in items:
        num, den, scale = INDICATORS[name]
        valid = lt[den] > 0
        sums = (
            pd.DataFrame(
                {
                    "n": lt[num].where(valid, 0.0),
                    "d": lt[den].where(valid, 0.0),
                    "group": lt["group"],
                }
            )
            .groupby("group")[["n", "d"]]
            .sum(min_count=1)
        )
        bench = sums["n"] * scale / sums["d"]
        t[f"benchmark_{name}"] = t["group"].map(bench)
        value = _value(t, name)
        raw = np.minimum(value / t[f"benchmark_{name}"] * weight, CAP * weight)
        score = raw.where(value > 0, 0.0).where(value.notna())
        if missing == "group_mean":
            score = score.fillna(score.groupby(t["group"]).transform("mean"))
        t[f"value_{name}"], t[f"score_{name}"] = value, score.fillna(0.0)
        total = total + t[f"score_{name}"]
    t["bonus"], t["penalty"] = 0.0, 0.0
    t["total"] = total + 0.0 - 0.0
    t = t.sort_values(["group", "total", "uscc"], ascending=[True, False, True])
    t["rank"] = t.groupby("group").cumcount() + 1
    t["group_size"] = t.groupby("group")["uscc"].transform("size")
    t["percentile"] = t["rank"] / t["group_size"]
    grade = pd.Series("D", index=t.index)
    cum, cums = 0.0, []
    for g, q in quotas:
        cum += q
        cums.append((g, cum))
    for g, c in reversed(cums):
        grade = grade.mask(t["rank"] <= np.floor(t["group_size"] * c + 0.5), g)
    t["grade"] = grade
    t["veto"] = None
    t["leader"] = t["rank"] <= leaders
    return t


def evaluate(enterprise: Path, enterprise_year: Path, columns: list[str]) -> pd.DataFrame:
    e = pd.read_parquet(enterprise)
    ey = pd.read_parquet(enterprise_year)
    df = ey.merge(e, on="uscc", how="inner")
    cur, last = classify(df, 2022), classify(df, 2021)
    last = last[last["status"] == "evaluated"]
    parts = [score_track(cur, last, tr) for tr in TRACKS]
    parts.append(cur[cur["status"] != "evaluated"])
    out = pd.concat(parts, ignore_index=True).reindex(columns=columns)
    return out.sort_values(["track", "group", "rank", "uscc"], ignore_index=True)
