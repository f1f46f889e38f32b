"""Purchases between enterprises, shaped like supply chains and clean of supply risks.

Each buyer (a firm of an industry in `clusters.SUPPLY`, of 规上 size) buys one or two of its
inputs, each from 3 to 5 suppliers of that input's class in Zhejiang: Taizhou firms of the
class, or firms of other Zhejiang counties (`parties.outside_firms`) for the classes Taizhou
lacks (steel, resins, synthetic rubber …). Supplier weights lie in [1, 1.5], so with at least 3
suppliers none has more than 43% of an input: no single source, no dependence outside the
province and no critical supplier. `risks.py` then plants the risks, with their truth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from industry_brain.synth.clusters import SUPPLY
from industry_brain.synth.rng import stream

BUYER_SIZE = 2000.0  # 万元: buyers are firms of at least this mean revenue
INPUT_SHARE = (0.04, 0.15)  # of the buyer's revenue, per input bought
MIN_INPUT = 1.0  # 万元: smaller purchases of an input in a year are left out
WEIGHTS = (1.0, 1.5)  # a supplier's weight among a buyer's suppliers of an input


def inputs() -> list[str]:
    return sorted({s for sellers in SUPPLY.values() for s in sellers})


@dataclass(frozen=True)
class Relations:
    """Who buys what from whom: one row per buyer, input class and supplier (a party)."""

    pair: np.ndarray  # the (buyer, input) pair of the row
    buyer: np.ndarray  # local index of the pair's buyer
    product: np.ndarray  # the input's class
    share: np.ndarray  # of the buyer's revenue spent on the input
    party: np.ndarray  # index into the parties (local firms first, then the others)
    weight: np.ndarray


def relations(
    seed: int, industry: np.ndarray, size: np.ndarray, party_industry: np.ndarray, local: int
) -> Relations:
    """Buyers pick 1–2 inputs and 3–5 suppliers of each (Taizhou firms preferred)."""
    rng = stream(seed, "trade")
    pools = {c: np.nonzero(party_industry == c)[0] for c in inputs()}
    rows: list[tuple[int, int, str, float, int, float]] = []
    pair = 0
    buyers = np.nonzero(np.isin(industry, list(SUPPLY)) & (np.nan_to_num(size) >= BUYER_SIZE))[0]
    for b in buyers:
        wanted = SUPPLY[industry[b]]
        codes = sorted(wanted)
        p = np.array([wanted[c] for c in codes], dtype=float)
        picked = rng.choice(codes, min(len(codes), 1 + int(rng.random() < 0.6)), False, p / p.sum())
        for c in picked:
            pool = pools[str(c)]
            pool = pool[pool != b]
            if len(pool) < 3:
                continue
            prefer = np.where(pool < local, 3.0, 1.0)
            k = min(len(pool), 3 + int(rng.integers(0, 3)))
            chosen = rng.choice(pool, k, replace=False, p=prefer / prefer.sum())
            share = rng.uniform(*INPUT_SHARE)
            for s in sorted(chosen.tolist()):
                rows.append((pair, int(b), str(c), share, int(s), rng.uniform(*WEIGHTS)))
            pair += 1
    cols: list[tuple[object, ...]] = list(zip(*rows, strict=True)) if rows else [()] * 6
    return Relations(*(np.array(c) for c in cols))


def yearly(rel: Relations, revenue: np.ndarray, active: np.ndarray) -> pl.DataFrame:
    """One year's purchases (万元, 0.01): the input's amount split by weight among the
    suppliers active that year; a pair with fewer than 3 of them, or under MIN_INPUT, is left
    out. `active` says which parties trade this year."""
    spend = revenue[rel.buyer] * rel.share
    on = active[rel.party] & ~np.isnan(spend)
    n = int(rel.pair.max()) + 1 if len(rel.pair) else 0
    count = np.bincount(rel.pair, on.astype(float), n)
    total_w = np.bincount(rel.pair, np.where(on, rel.weight, 0.0), n)
    amount = np.round(np.nan_to_num(spend) * rel.weight / np.maximum(total_w[rel.pair], 1e-9), 2)
    keep = on & (count[rel.pair] >= 3) & (np.nan_to_num(spend) >= MIN_INPUT)
    return pl.DataFrame(
        {
            "pair": rel.pair[keep].astype(np.int64),
            "buyer": rel.buyer[keep].astype(np.int64),
            "product_code": rel.product[keep].astype(str),
            "party": rel.party[keep].astype(np.int64),
            "weight": rel.weight[keep],
            "amount": amount[keep],
        }
    )
