"""Transactions follow supply chains: buyers downstream of their sellers' industries."""

from __future__ import annotations

from functools import cache

import polars as pl
from stdnum.cn import uscc as stdnum_uscc

from industry_brain.synth import Population, generate_population
from industry_brain.synth.clusters import SUPPLY


@cache
def pop() -> Population:
    return generate_population(seed=8, scale=0.1)


def _industries() -> pl.DataFrame:
    p = pop()
    return pl.concat(
        [p.enterprises.select("uscc", "industry_code"), p.outside.select("uscc", "industry_code")]
    )


def test_buyers_buy_from_upstream_industries() -> None:
    tx = pop().transactions
    ind = _industries()
    local = set(pop().enterprises["uscc"])
    rows = tx.join(
        ind.rename({"uscc": "seller_uscc", "industry_code": "seller_ind"}), on="seller_uscc"
    ).join(ind.rename({"uscc": "buyer_uscc", "industry_code": "buyer_ind"}), on="buyer_uscc")
    assert rows.height == tx.height  # every party is known
    assert (rows["product_code"] == rows["seller_ind"]).all()
    inside = rows.filter(pl.col("buyer_uscc").is_in(list(local)))
    for buyer, product in inside.select("buyer_ind", "product_code").unique().iter_rows():
        assert product in SUPPLY[buyer], (buyer, product)


def test_outside_partners_and_amounts() -> None:
    p = pop()
    tx = p.transactions
    local = set(p.enterprises["uscc"])
    outside_sellers = ~tx["seller_uscc"].is_in(list(local))
    outside_buyers = ~tx["buyer_uscc"].is_in(list(local))
    assert 0.05 < outside_sellers.mean() < 0.5  # type: ignore[operator]
    assert 0.05 < outside_buyers.mean() < 0.5  # type: ignore[operator]
    assert not (outside_sellers & outside_buyers).any()
    assert all(stdnum_uscc.is_valid(c) for c in tx["seller_uscc"].unique())
    assert (tx["amount"] > 0).all()
    sales = tx.group_by("year", "seller_uscc").agg(pl.col("amount").sum())
    joined = sales.join(
        p.enterprise_years, left_on=["year", "seller_uscc"], right_on=["year", "uscc"]
    )
    assert (joined["amount"] <= joined["revenue"] * 1.01).all()
    local_sales = tx.filter((pl.col("year") == 2021) & ~outside_sellers)
    per_seller = local_sales.group_by("seller_uscc").len()["len"]
    assert per_seller.max() <= 6  # type: ignore[operator]


def test_pharma_formulations_buy_active_ingredients() -> None:
    tx = pop().transactions
    ind = _industries()
    rows = tx.join(
        ind.rename({"uscc": "buyer_uscc", "industry_code": "buyer_ind"}), on="buyer_uscc"
    )
    assert (
        rows.filter((pl.col("buyer_ind") == "2720") & (pl.col("product_code") == "2710")).height > 0
    )
    assert (
        rows.filter(
            pl.col("buyer_ind").is_in(["3611", "3612"]) | (pl.col("product_code") == "3670")
        ).height
        > 0
    )
