"""The city's purchases for the years asked, with the supply risks planted in each year and
their truth: the parties (parties.py), who buys from whom (trade.py), the risks (risks.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from industry_brain.synth import parties, risks, trade
from industry_brain.synth.rng import stream
from industry_brain.synth.trade_files import shape


@dataclass(frozen=True)
class Purchases:
    trade: pl.DataFrame  # one row per year, buyer, seller and product (Population.trade)
    risks: pl.DataFrame  # risks.TRUTH
    outside: pl.DataFrame  # suppliers in other Zhejiang counties
    far: pl.DataFrame  # suppliers in other provinces and abroad


def purchases(
    seed: int,
    scale: float,
    industry: np.ndarray,
    size: np.ndarray,
    register: pl.DataFrame,
    revenue: np.ndarray,
    years: list[int],
) -> Purchases:
    """`register` and `revenue` (firm × year) are in the panel's order."""
    taken = set(register["name"].to_list())
    outside = parties.outside_firms(seed, scale, taken)
    far = parties.far_firms(seed, taken)
    party = parties.parties(register, outside, far)
    near = register.height + outside.height
    kinds = party["industry_code"].to_numpy()[:near]
    rel = trade.relations(seed, industry, size, kinds, register.height)
    keys = party.select(pl.coalesce("uscc", pl.lit("名称:") + pl.col("name"))).to_series()
    frames, truths = [], []
    for j, year in enumerate(years):
        active = np.concatenate(
            [~np.isnan(revenue[:, j]), np.ones(party.height - len(revenue), bool)]
        )
        rows = trade.yearly(rel, revenue[:, j], active)
        far_kinds = ("far", "abroad") if shape(year).survey else ("far",)
        planted = risks.plan(rows, party, stream(seed, "trade-risks", year), scale, far_kinds)
        rows = risks.apply(rows, planted)
        truths.append(risks.truth(rows, planted, year, party["uscc"].to_numpy(), keys.to_numpy()))
        frames.append(rows.with_columns(pl.lit(year, pl.Int32).alias("year")))
    bought = _named(pl.concat(frames), party, register)
    return Purchases(bought, pl.concat(truths), outside, far)


def _named(rows: pl.DataFrame, party: pl.DataFrame, register: pl.DataFrame) -> pl.DataFrame:
    """Parties by code and name: the buyer's, the seller's and where the seller is."""
    seller = party.with_row_index("party").select(
        pl.col("party").cast(pl.Int64),
        seller_uscc="uscc",
        seller_name="name",
        seller_region="region_code",
        seller_place="place",
        seller_code=pl.col("region_code").replace("abroad", "境外"),
    )
    buyer = register.with_row_index("buyer").select(
        pl.col("buyer").cast(pl.Int64), buyer_uscc="uscc", buyer_name="name"
    )
    product = pl.col("product_code").replace_strict(
        {c: parties.words(c)[0] for c in trade.inputs()}, return_dtype=pl.String
    )
    return (
        rows.join(buyer, on="buyer", how="left")
        .join(seller, on="party", how="left")
        .select(
            "year",
            "buyer_uscc",
            "buyer_name",
            "seller_uscc",
            "seller_name",
            "seller_region",
            "seller_place",
            "seller_code",
            "product_code",
            product.alias("product_name"),
            "amount",
        )
        .sort("year", "buyer_uscc", "product_code", "seller_name")
    )
