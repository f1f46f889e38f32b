"""The supply-risk method (docs/chains.md) written plainly in pandas: the benchmark's
straightforward implementation, and the tests' direct computation to compare the engine with.

Takes the trade rows, the register (uscc, region_code, industry_code) and each enterprise's
output in the year; gives the same three tables as the engine (without betweenness). Amounts are
added in whole 分 (万元 × 10⁶, int64) and shares are ratios of those exact sums, as the method
says (docs/chains.md)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Method:
    city_prefix: str  # "3310" for 331000
    province_prefix: str  # "33"
    min_purchase: float = 10.0
    single_source_share: float = 0.8
    outside_share: float = 0.5
    critical_share: float = 0.5
    critical_buyers: int = 3


def _blank(s: pd.Series) -> pd.Series:
    return s.where(s.notna() & (s.astype(str).str.strip() != ""))


FEN = 1_000_000


def fen(amount: pd.Series) -> pd.Series:
    x = amount.astype("float64") * FEN
    return (np.floor(x.abs() + 0.5) * np.sign(x)).astype(np.int64)


def purchases(trade: pd.DataFrame, register: pd.DataFrame, m: Method, year: int) -> pd.DataFrame:
    t = trade[trade["year"] == year]
    city = register.loc[register["region_code"].str.startswith(m.city_prefix), "uscc"]
    t = t[t["buyer_uscc"].isin(set(city))].copy()
    t["fen"] = fen(t["amount"])
    reg = register.set_index("uscc")
    uscc = _blank(t["seller_uscc"])
    t["supplier"] = uscc.fillna("名称:" + t["seller_name"].str.strip())
    from_uscc = uscc.str.slice(2, 8).where(
        uscc.str.len().eq(18) & uscc.str.slice(2, 8).str.match(r"^[1-9]\d{5}$").fillna(False)
    )
    t["supplier_region"] = (
        uscc.map(reg["region_code"]).fillna(_blank(t["seller_region"])).fillna(from_uscc)
    )
    t["input_class"] = (
        _blank(t["product_code"]).fillna(uscc.map(reg["industry_code"])).fillna("未分类")
    )
    p = t.groupby(["buyer_uscc", "input_class", "supplier"], as_index=False).agg(
        fen=("fen", "sum"), supplier_name=("seller_name", "min"),
        supplier_region=("supplier_region", "max"),
    )  # fmt: skip
    p = p[p["fen"] > 0].copy()
    p["amount"] = p["fen"] / FEN
    region = p["supplier_region"]
    known, abroad = region.notna(), region.eq("abroad")
    p["outside_city"] = known & (abroad | ~region.fillna("").str.startswith(m.city_prefix))
    p["outside_province"] = known & (abroad | ~region.fillna("").str.startswith(m.province_prefix))
    p["unknown_region"] = ~known
    return p


def screened(p: pd.DataFrame, m: Method) -> pd.DataFrame:
    s = p.copy()
    s["total_fen"] = s.groupby(["buyer_uscc", "input_class"])["fen"].transform("sum")
    s["share"] = s["fen"] / s["total_fen"]
    s = s.sort_values(
        ["buyer_uscc", "input_class", "fen", "supplier"], ascending=[True, True, False, True]
    )
    s["rank"] = s.groupby(["buyer_uscc", "input_class"]).cumcount()
    return s[s["total_fen"] >= round(m.min_purchase * FEN)]


def concentration(s: pd.DataFrame) -> pd.DataFrame:
    # Σ fen², exact: fen = hi·2²⁶ + lo, so fen² = hi²·2⁵² + 2·hi·lo·2²⁶ + lo², each part
    # summed in int64 and the parts put together as Python integers
    hi, lo = s["fen"] // 2**26, s["fen"] % 2**26
    s = s.assign(sq_hi=hi * hi, sq_mid=2 * hi * lo, sq_lo=lo * lo)
    s["top3"] = s["fen"].where(s["rank"] < 3, 0)
    parts = ("outside_city", "outside_province", "unknown_region")
    for kind in parts:
        s[kind + "_share"] = s["fen"].where(s[kind], 0)
    g = s.groupby(["buyer_uscc", "input_class"])
    out = g.agg(
        fen=("fen", "sum"), suppliers=("supplier", "count"), sq_hi=("sq_hi", "sum"),
        sq_mid=("sq_mid", "sum"), sq_lo=("sq_lo", "sum"),
        total_fen=("total_fen", "max"), top1_share=("share", "max"), top3=("top3", "sum"),
        **{k + "_share": (k + "_share", "sum") for k in parts},
    ).reset_index()  # fmt: skip
    total = out["total_fen"].astype("float64")
    out["purchases"] = out["fen"] / FEN
    parts_ = zip(out["sq_hi"].tolist(), out["sq_mid"].tolist(), out["sq_lo"].tolist(), strict=True)
    squares = [float((h << 52) + (m << 26) + lo) for h, m, lo in parts_]
    out["hhi"] = pd.Series(squares, index=out.index) / (total * total)
    out["top3_share"] = out["top3"] / total
    for kind in parts:
        out[kind + "_share"] = out[kind + "_share"] / total
    top = s[s["rank"] == 0].set_index(["buyer_uscc", "input_class"])["supplier"]
    out["top1_supplier"] = out.set_index(["buyer_uscc", "input_class"]).index.map(top)
    return out


def flags(s: pd.DataFrame, c: pd.DataFrame, m: Method) -> pd.DataFrame:
    single = c[c["top1_share"] >= m.single_source_share].assign(
        kind="single_source", supplier=lambda d: d["top1_supplier"],
        figure=lambda d: d["top1_share"], threshold=m.single_source_share,
    )  # fmt: skip
    outside = c[c["outside_province_share"] >= m.outside_share].assign(
        kind="outside_dependence", supplier=None, figure=lambda d: d["outside_province_share"],
        threshold=m.outside_share,
    )  # fmt: skip
    dep = s[s["share"] >= m.critical_share]
    counts = dep.groupby("supplier")["buyer_uscc"].nunique()
    crit = dep[dep["supplier"].isin(counts[counts >= m.critical_buyers].index)].assign(
        kind="critical_supplier", figure=lambda d: d["share"], threshold=m.critical_share
    )
    cols = ["buyer_uscc", "input_class", "kind", "supplier", "figure", "threshold"]
    out = pd.concat([single[cols], outside[cols], crit[cols]], ignore_index=True)
    return out.sort_values(cols[:4], na_position="last").reset_index(drop=True)


def suppliers(p: pd.DataFrame, s: pd.DataFrame, output: pd.Series, m: Method) -> pd.DataFrame:
    sold = p.groupby("supplier").agg(
        supplier_name=("supplier_name", "min"), supplier_region=("supplier_region", "max"),
        buyers=("buyer_uscc", "nunique"), fen=("fen", "sum"),
    )  # fmt: skip
    sold["sales"] = sold.pop("fen") / FEN
    worst = s.groupby(["supplier", "buyer_uscc"], as_index=False)["share"].max()
    worst["risk"] = worst["buyer_uscc"].map(output).astype("float64").fillna(0.0) * worst["share"]
    sold["output_at_risk"] = worst.groupby("supplier")["risk"].sum().reindex(sold.index).fillna(0.0)
    dep = s[s["share"] >= m.critical_share].groupby("supplier")["buyer_uscc"].nunique()
    sold["dependent_buyers"] = dep.reindex(sold.index).fillna(0).astype(np.int64)
    sold["critical"] = sold["dependent_buyers"] >= m.critical_buyers
    return sold.reset_index().sort_values("supplier").reset_index(drop=True)


def screen(trade, register, output, m: Method, year: int) -> dict[str, pd.DataFrame]:
    p = purchases(trade, register, m, year)
    s = screened(p, m)
    c = concentration(s)
    return {
        "chain_input": c,
        "chain_flag": flags(s, c, m),
        "chain_supplier": suppliers(p, s, output, m),
    }
