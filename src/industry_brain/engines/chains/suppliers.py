"""Per supplier (docs/chains.md "Per supplier"): the screened buyers it sells to, those that
depend on it, its sales to them, and the output at risk if it failed — each buyer's output
times the largest share of any one input it would lose (first order: no cascade)."""

from __future__ import annotations

import ibis
from ibis.expr.types import Table

from industry_brain.engines.base import Tables
from industry_brain.engines.chains.flags import critical, dependent
from industry_brain.engines.chains.purchases import wan
from industry_brain.engines.chains.spec import RiskSpec


def buyer_output(tables: Tables, year: int) -> Table:
    """Each enterprise's output in the year (revenue where output is missing), 万元."""
    ey = tables["enterprise_year"]
    ey = ey.filter(ey.year == year)
    zero = ibis.literal(0.0, type="float64")
    return ey.select(buyer_uscc=ey.uscc, output=ibis.coalesce(ey.output, ey.revenue, zero))


def suppliers(
    purchases: Table, screened: Table, tables: Tables, spec: RiskSpec, year: int
) -> Table:
    p = purchases
    sold = p.group_by("supplier").aggregate(
        supplier_name=p.supplier_name.min(),
        supplier_region=p.supplier_region.max(),
        buyers=p.buyer_uscc.nunique(),
        sales=wan(p.fen.sum().cast("int64")),
    )
    worst = screened.group_by("supplier", "buyer_uscc").aggregate(share=screened.share.max())
    worst = worst.left_join(buyer_output(tables, year), "buyer_uscc")
    risk = worst.group_by("supplier").aggregate(
        output_at_risk=(worst.output.fill_null(0.0) * worst.share).sum()
    )
    d = dependent(screened, spec)
    dep = d.group_by("supplier").aggregate(dependent_buyers=d.buyer_uscc.nunique())
    crit = critical(screened, spec).select("supplier", critical=ibis.literal(True))
    out = sold.left_join(risk, "supplier").left_join(dep, "supplier").left_join(crit, "supplier")
    return out.select(
        "supplier", "supplier_name", "supplier_region", "buyers", "sales",
        dependent_buyers=out.dependent_buyers.fill_null(0),
        output_at_risk=out.output_at_risk.fill_null(0.0),
        critical=out.critical.fill_null(False),
    )  # fmt: skip
