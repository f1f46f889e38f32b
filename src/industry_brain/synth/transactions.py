"""Transactions shaped like supply chains: downstream buyers purchase from upstream sellers."""

from __future__ import annotations

import numpy as np
import polars as pl

from industry_brain.synth.clusters import OUTSIDE_WORDS, SUPPLY
from industry_brain.synth.geography import county_short, outside_counties
from industry_brain.synth.identity import names, registration_dates, usccs
from industry_brain.synth.industries import PROFILES
from industry_brain.synth.rng import stream

OUTSIDE_BUYER = 0.2  # share of a seller's customers outside Taizhou
SAME_COUNTY = 0.6  # share of local customers picked in the seller's own county


def _inputs() -> list[str]:
    return sorted({s for sellers in SUPPLY.values() for s in sellers})


def outside_firms(seed: int, scale: float, taken: set[str]) -> pl.DataFrame:
    """Trading partners in other Zhejiang counties (buyers and suppliers of inputs)."""
    rng = stream(seed, "outside")
    n = max(40, round(1200 * scale))
    codes = _inputs()
    industry = rng.choice(np.array(codes, dtype=object), n)
    region = rng.choice(np.array(outside_counties(), dtype=object), n)
    registered = registration_dates(rng, np.full(n, 2019), rng.normal(0, 1, n))
    words = [PROFILES[c].words if c in PROFILES else OUTSIDE_WORDS[c] for c in industry]
    prefixes = [county_short(c) for c in region]
    return pl.DataFrame(
        {
            "uscc": usccs(rng, list(region), registered),
            "name": names(rng, prefixes, words, np.zeros(n, dtype=bool), taken),
            "region_code": region.astype(str),
            "industry_code": industry.astype(str),
        }
    )


def _pick(rng: np.random.Generator, pool: np.ndarray, weight: np.ndarray, n: int) -> np.ndarray:
    return pool[rng.choice(len(pool), n, p=weight / weight.sum())]


def edges(
    seed: int, industry: np.ndarray, county: np.ndarray, size: np.ndarray, outside: pl.DataFrame
) -> pl.DataFrame:
    """Relationships (seller, buyer, product, share, base): the amount in a year is share ×
    the revenue of the base party (the seller, or the buyer for outside suppliers)."""
    rng = stream(seed, "transactions")
    n = len(industry)
    out_industry = outside["industry_code"].to_numpy()
    weight = np.sqrt(np.nan_to_num(size, nan=1.0)) + 1.0
    rows: list[pl.DataFrame] = []
    by_code = {c: np.nonzero(industry == c)[0] for c in set(industry.tolist())}
    customers: dict[str, dict[str, float]] = {}
    for buyer_code, inputs in SUPPLY.items():
        for input_code, input_weight in inputs.items():
            customers.setdefault(input_code, {})[buyer_code] = input_weight
    for seller_code, buyers in sorted(customers.items()):
        local_buyers = {b: w for b, w in buyers.items() if b in by_code}
        firms = by_code.get(seller_code)
        if firms is None or not local_buyers:
            continue
        slots = np.repeat(firms, 1 + rng.binomial(4, 0.35, len(firms)))
        raw = rng.gamma(1.5, 1.0, len(slots))
        share = raw / np.bincount(slots, raw, n)[slots] * rng.uniform(0.25, 0.75, n)[slots]
        codes = np.array(sorted(local_buyers), dtype=object)
        code_weight = np.array([local_buyers[c] for c in codes])
        chosen = rng.choice(codes, len(slots), p=code_weight / code_weight.sum())
        buyer = np.full(len(slots), -1)
        for code in codes:
            mask = chosen == code
            pool = by_code[code]
            buyer[mask] = _pick(rng, pool, weight[pool], int(mask.sum()))
            local = mask & (rng.random(len(slots)) < SAME_COUNTY)
            for c in np.unique(county[slots[local]]):
                m = local & (county[slots] == c)
                sub = pool[county[pool] == c]
                if len(sub):
                    buyer[m] = _pick(rng, sub, weight[sub], int(m.sum()))
        outside_buyer = rng.random(len(slots)) < OUTSIDE_BUYER
        rows.append(
            pl.DataFrame(
                {
                    "seller": slots.astype(np.int64),
                    "buyer": np.where(
                        outside_buyer, -1 - rng.integers(0, outside.height, len(slots)), buyer
                    ),
                    "product_code": seller_code,
                    "share": share,
                    "base": "seller",
                }
            )
        )
    rows.append(_outside_suppliers(rng, industry, out_industry))
    frame = pl.concat(rows)
    return frame.group_by("seller", "buyer", "product_code", "base", maintain_order=True).agg(
        pl.col("share").sum()
    )


def _outside_suppliers(
    rng: np.random.Generator, industry: np.ndarray, out_industry: np.ndarray
) -> pl.DataFrame:
    """Taizhou buyers purchasing an input from a supplier in another county."""
    parts = []
    for buyer_code, sellers in sorted(SUPPLY.items()):
        firms = np.nonzero(industry == buyer_code)[0]
        codes = [c for c in sorted(sellers) if (out_industry == c).any()]
        if not len(firms) or not codes:
            continue
        w = np.array([sellers[c] for c in codes], dtype=float)
        buyers = firms[rng.random(len(firms)) < 0.45]
        product = rng.choice(np.array(codes, dtype=object), len(buyers), p=w / w.sum())
        seller = np.empty(len(buyers), dtype=np.int64)
        for c in codes:
            m = product == c
            pool = np.nonzero(out_industry == c)[0]
            seller[m] = -1 - pool[rng.integers(0, len(pool), int(m.sum()))]
        parts.append(
            pl.DataFrame(
                {
                    "seller": seller,
                    "buyer": buyers.astype(np.int64),
                    "product_code": product.astype(str),
                    "share": rng.uniform(0.03, 0.15, len(buyers)),
                    "base": "buyer",
                }
            )
        )
    return pl.concat(parts)


def _alive(revenue: np.ndarray, party: np.ndarray) -> np.ndarray:
    """Local parties (index ≥ 0) with a revenue in the year; outside parties always trade."""
    return np.where(party >= 0, ~np.isnan(revenue[np.maximum(party, 0)]), True)


def yearly(
    edges_: pl.DataFrame,
    revenue: np.ndarray,
    years: list[int],
    local: np.ndarray,
    outside: np.ndarray,
) -> pl.DataFrame:
    """Amounts per year (万元): share × the base party's revenue, when both parties are active."""
    s = edges_["seller"].to_numpy()
    b = edges_["buyer"].to_numpy()
    base = np.where(edges_["base"].to_numpy() == "seller", s, b)
    seller_uscc = np.where(s >= 0, local[np.maximum(s, 0)], outside[np.maximum(-1 - s, 0)])
    buyer_uscc = np.where(b >= 0, local[np.maximum(b, 0)], outside[np.maximum(-1 - b, 0)])
    parts = []
    for j, year in enumerate(years):
        rev = revenue[:, j]
        amount = np.round(edges_["share"].to_numpy() * rev[base], 2)
        on = _alive(rev, s) & _alive(rev, b) & (amount > 0)
        parts.append(
            pl.DataFrame(
                {
                    "year": np.full(int(on.sum()), year, dtype=np.int32),
                    "seller_uscc": seller_uscc[on],
                    "buyer_uscc": buyer_uscc[on],
                    "product_code": edges_["product_code"].to_numpy()[on],
                    "amount": amount[on],
                },
                schema={
                    "year": pl.Int32,
                    "seller_uscc": pl.String,
                    "buyer_uscc": pl.String,
                    "product_code": pl.String,
                    "amount": pl.Float64,
                },
            )
        )
    return pl.concat(parts)
