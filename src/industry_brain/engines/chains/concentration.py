"""Per buyer and input class (docs/chains.md): purchases, suppliers, HHI, top-1 and top-3
shares, the top supplier, and the shares bought outside the city, the province or from
suppliers of unknown region. Inputs below the spec's `min_purchase` are not screened.

Every share is a ratio of two exact sums of 分 (purchases.py), so it is the same in every run
and on every backend; the HHI's squares are added as DECIMAL(38, 0), exactly too."""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
from ibis.expr.types import Table

from industry_brain.engines.chains.purchases import FEN, wan
from industry_brain.engines.chains.spec import RiskSpec

KEY = ("buyer_uscc", "input_class")
EXACT = dt.Decimal(38, 0)


def shares(purchases: Table) -> Table:
    """Each supplier's share of its buyer's purchases of the input, and its rank (0: largest;
    ties broken by the supplier key, so results do not depend on row order)."""
    group = ibis.window(group_by=list(KEY))
    ranked = ibis.window(group_by=list(KEY), order_by=[ibis.desc("fen"), "supplier"])
    p = purchases.mutate(total_fen=purchases.fen.sum().over(group).cast("int64"))
    return p.mutate(
        total=wan(p.total_fen),
        share=p.fen.cast("float64") / p.total_fen.cast("float64"),
        rank=ibis.row_number().over(ranked),
    )


def screened(purchases: Table, spec: RiskSpec) -> Table:
    """The shares of the inputs screened: a buyer's purchases of at least `min_purchase`."""
    s = shares(purchases)
    return s.filter(s.total_fen >= round(spec.thresholds.min_purchase * FEN))


def _part(s: Table, where: ibis.Value) -> ibis.Value:
    """The share of the input bought from the suppliers `where` is true of (0 if none)."""
    part = s.fen.sum(where=where).fill_null(0).cast("float64")
    return part / s.total_fen.max().cast("float64")


def concentration(s: Table) -> Table:
    """`s`: the screened shares."""
    square = s.fen.cast(EXACT) * s.fen.cast(EXACT)
    total = s.total_fen.max().cast("float64")
    return s.group_by(*KEY).aggregate(
        purchases=wan(s.fen.sum().cast("int64")),
        suppliers=s.supplier.count(),
        hhi=square.sum().cast("float64") / (total * total),
        top1_share=s.share.max(),
        top1_supplier=s.supplier.max(where=s.rank == 0),
        top3_share=_part(s, s.rank < 3),
        outside_city_share=_part(s, s.outside_city),
        outside_province_share=_part(s, s.outside_province),
        unknown_region_share=_part(s, s.unknown_region),
    )
