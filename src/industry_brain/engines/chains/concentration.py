"""Per buyer and input class (docs/chains.md): purchases, suppliers, HHI, top-1 and top-3
shares, the top supplier, and the shares bought outside the city, the province or from
suppliers of unknown region. Inputs below the spec's `min_purchase` are not screened."""

from __future__ import annotations

import ibis
from ibis.expr.types import Table

from industry_brain.engines.chains.spec import RiskSpec

KEY = ("buyer_uscc", "input_class")


def shares(purchases: Table) -> Table:
    """Each supplier's share of its buyer's purchases of the input, and its rank (0: largest;
    ties broken by the supplier key, so results do not depend on row order)."""
    group = ibis.window(group_by=list(KEY))
    ranked = ibis.window(group_by=list(KEY), order_by=[ibis.desc("amount"), "supplier"])
    p = purchases.mutate(total=purchases.amount.sum().over(group))
    return p.mutate(share=p.amount / p.total, rank=ibis.row_number().over(ranked))


def screened(purchases: Table, spec: RiskSpec) -> Table:
    """The shares of the inputs screened: a buyer's purchases of at least `min_purchase`."""
    s = shares(purchases)
    return s.filter(s.total >= spec.thresholds.min_purchase)


def concentration(s: Table) -> Table:
    """`s`: the screened shares."""
    zero = ibis.literal(0.0, type="float64")
    return s.group_by(*KEY).aggregate(
        purchases=s.amount.sum(),
        suppliers=s.supplier.count(),
        hhi=(s.share * s.share).sum(),
        top1_share=s.share.max(),
        top1_supplier=s.supplier.max(where=s.rank == 0),
        top3_share=s.share.sum(where=s.rank < 3),
        outside_city_share=s.share.sum(where=s.outside_city).fill_null(zero),
        outside_province_share=s.share.sum(where=s.outside_province).fill_null(zero),
        unknown_region_share=s.share.sum(where=s.unknown_region).fill_null(zero),
    )
