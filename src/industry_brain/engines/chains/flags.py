"""The flags of a run (docs/chains.md "Flags"): each names a buyer's input class and, where one
is to blame, the supplier — so the trade rows behind it are (year, buyer, supplier, class).

- `single_source`: one supplier's share of the input at or above `single_source_share`;
- `outside_dependence`: the share bought outside the province at or above `outside_share`;
- `critical_supplier`: one row per buyer input that depends (share ≥ `critical_share`) on a
  supplier on which at least `critical_buyers` buyers depend."""

from __future__ import annotations

import ibis
from ibis.expr.types import Table

from industry_brain.engines.chains.spec import RiskSpec

COLUMNS = ("buyer_uscc", "input_class", "kind", "supplier", "figure", "threshold")


def dependent(screened: Table, spec: RiskSpec) -> Table:
    """Buyer inputs that depend on one supplier: its share at or above `critical_share`."""
    return screened.filter(screened.share >= spec.thresholds.critical_share)


def critical(screened: Table, spec: RiskSpec) -> Table:
    """Suppliers on which at least `critical_buyers` different buyers depend."""
    d = dependent(screened, spec)
    by = d.group_by("supplier").aggregate(dependent_buyers=d.buyer_uscc.nunique())
    return by.filter(by.dependent_buyers >= spec.thresholds.critical_buyers)


def flags(screened: Table, concentration: Table, spec: RiskSpec) -> Table:
    """Every flag, one table (COLUMNS)."""
    th, c = spec.thresholds, concentration
    single = c.filter(c.top1_share >= th.single_source_share).select(
        "buyer_uscc", "input_class", kind=ibis.literal("single_source"),
        supplier=c.top1_supplier, figure=c.top1_share,
        threshold=ibis.literal(th.single_source_share, type="float64"),
    )  # fmt: skip
    outside = c.filter(c.outside_province_share >= th.outside_share).select(
        "buyer_uscc", "input_class", kind=ibis.literal("outside_dependence"),
        supplier=ibis.null(str), figure=c.outside_province_share,
        threshold=ibis.literal(th.outside_share, type="float64"),
    )  # fmt: skip
    d = dependent(screened, spec).semi_join(critical(screened, spec), "supplier")
    crit = d.select(
        "buyer_uscc", "input_class", kind=ibis.literal("critical_supplier"),
        supplier=d.supplier, figure=d.share,
        threshold=ibis.literal(th.critical_share, type="float64"),
    )  # fmt: skip
    return single.union(outside).union(crit)
