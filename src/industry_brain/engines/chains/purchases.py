"""What each screened buyer bought of each input class from each supplier in a year
(docs/chains.md "Data"): the trade rows joined to the register, in Ibis (any backend).

A supplier is its USCC, or `名称:` and its name when the file gave none; its region is the
register's, else the file's, else the registering authority in characters 3–8 of its USCC; an
input class is the row's product class, else the supplier's industry class, else 未分类.

Amounts are added in whole 分 (`fen`: 万元 × 10⁶, rounded, int64): exact on every backend and
in any order, so a share that is exactly a threshold is on the same side of it in every run."""

from __future__ import annotations

import ibis
from ibis.expr.types import Table

from industry_brain.engines.base import Tables
from industry_brain.engines.chains.spec import RiskSpec
from industry_brain.reference.regions import in_region

UNCLASSIFIED = "未分类"
ABROAD = "abroad"
FEN = 1_000_000  # 分 in one 万元


def fen(amount: ibis.Value) -> ibis.Value:
    """万元 → whole 分 (int64), halves away from zero, written out so that every backend (and
    the benchmark's references) rounds alike."""
    x = amount * FEN
    return ((x.abs() + 0.5).floor() * x.sign()).cast("int64")


def wan(fen: ibis.Value) -> ibis.Value:
    """Whole 分 → 万元 (float64)."""
    return fen.cast("float64") / FEN


def _blank(value: ibis.Value) -> ibis.Value:
    return ibis.ifelse(value.strip() == "", ibis.null(), value)


def _uscc_region(uscc: ibis.Value) -> ibis.Value:
    code = uscc.substr(2, 6)
    return ibis.ifelse((uscc.length() == 18) & code.re_search("^[1-9][0-9]{5}$"), code, ibis.null())


def trade_rows(tables: Tables, spec: RiskSpec, year: int) -> Table:
    """The year's trade rows of buyers registered in the spec's region, each with its supplier
    key, supplier region and input class."""
    t = tables["trade"]
    t = t.filter(t.year == year)
    ent = tables["enterprise"]
    buyers = ent.filter(in_region(ent.region_code, spec.region)).select(buyer_uscc=ent.uscc)
    sellers = ent.select(
        seller_uscc=ent.uscc, register_region=ent.region_code, register_class=ent.industry_code
    )
    t = t.join(buyers, "buyer_uscc").left_join(sellers, "seller_uscc")
    uscc = _blank(t.seller_uscc)
    return t.select(
        "year",
        "buyer_uscc",
        "seller_name",
        "amount",
        fen=fen(t.amount),
        seller_uscc=uscc,
        supplier=uscc.fill_null("名称:" + t.seller_name.strip()),
        supplier_region=ibis.coalesce(
            t.register_region, _blank(t.seller_region), _uscc_region(uscc)
        ),
        input_class=ibis.coalesce(
            _blank(t.product_code), t.register_class, ibis.literal(UNCLASSIFIED)
        ),
    )


def purchases(tables: Tables, spec: RiskSpec, year: int) -> Table:
    """One row per buyer, input class and supplier: the amount bought (`fen`, and `amount` in
    万元; net of returns), the supplier's name and region, and whether it lies outside the
    city, outside the province, or nowhere known."""
    t = trade_rows(tables, spec, year)
    p = t.group_by("buyer_uscc", "input_class", "supplier").aggregate(
        fen=t.fen.sum().cast("int64"),
        supplier_name=t.seller_name.min(),
        supplier_region=t.supplier_region.max(),
    )
    region = p.supplier_region
    known = region.notnull()
    abroad = region == ABROAD
    return p.filter(p.fen > 0).mutate(
        amount=wan(p.fen),
        outside_city=known & (abroad | ~in_region(region, spec.region)),
        outside_province=known & (abroad | ~in_region(region, spec.province)),
        unknown_region=~known,
    )
