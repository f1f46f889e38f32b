"""Backup suppliers (同准备份、降准备份) for each flagged buyer input (docs/chains.md): the
enterprises of the input's own class (同准, `same`) or of a substitute class (降准: one the spec
declares, or another class of the same GB/T 4754 group when `group_substitutes`), inside the
province; never the buyer itself nor a supplier it was flagged for.

Ranked, and each row keeps every key it was ranked by, so a page can say why: tier (the city,
then the rest of the province), match (same, then substitute), 亩均 grade (A to D, then none),
distance (the buyer's county, then its city, then the province), output (larger first),
current customers (more first), then the candidate's code."""

from __future__ import annotations

import ibis
import polars as pl
from ibis.expr.types import Table

from industry_brain.engines.chains.pool import GRADE_ORDER
from industry_brain.engines.chains.spec import RiskSpec
from industry_brain.reference.regions import county_of, in_region

NEED = ("buyer_uscc", "input_class")


def _links(needs: Table, pool: Table, spec: RiskSpec) -> Table:
    """(input_class, candidate_class, match): the classes that can stand in for an input."""
    wanted = needs.select("input_class").distinct()
    same = wanted.mutate(candidate_class=wanted.input_class, match=ibis.literal("same"))
    rows = [(c, s) for c, subs in spec.backup.substitutes.items() for s in subs]
    schema = {"input_class": pl.Utf8, "candidate_class": pl.Utf8}
    declared = ibis.memtable(pl.DataFrame(rows, schema=schema, orient="row"))
    links = same.union(declared.mutate(match=ibis.literal("substitute")))
    if spec.backup.group_substitutes:
        classes = pool.select("candidate_class").distinct()
        both = wanted.cross_join(classes)
        group = both.filter(
            (both.input_class.substr(0, 3) == both.candidate_class.substr(0, 3))
            & (both.input_class != both.candidate_class)
        )
        links = links.union(group.mutate(match=ibis.literal("substitute")))
    order = ibis.window(group_by=["input_class", "candidate_class"], order_by="match")
    links = links.mutate(n=ibis.row_number().over(order))  # "same" wins over "substitute"
    return links.filter(links.n == 0).drop("n")


def _grade_rank(grade: ibis.Value) -> ibis.Value:
    cases = [(grade == g, n) for g, n in GRADE_ORDER.items()]
    return ibis.cases(*cases, else_=len(GRADE_ORDER) + 1)


def _ranked(c: Table, by: list[str]) -> Table:
    order = [
        ibis.ifelse(c.tier == "city", 0, 1), ibis.ifelse(c.match == "same", 0, 1),
        c.grade_rank, c.distance, ibis.desc(c.output.fill_null(-1.0)), ibis.desc(c.customers),
        c.candidate,
    ]  # fmt: skip
    return c.mutate(rank=ibis.row_number().over(ibis.window(group_by=by, order_by=order)) + 1)


def _shortlist(needs: Table, pool: Table, spec: RiskSpec) -> Table:
    """Per input class and county of buyers: the best candidates. Only the distance depends on
    the buyer, and only through its county; a need excludes at most three of them (the buyer,
    and its suppliers flagged: shares of 50% or more, so at most two), so the best
    `candidates + 3` of its class and county hold its best `candidates`."""
    places = needs.select("input_class", county=needs.county).distinct()
    c = places.join(_links(needs, pool, spec), "input_class").join(pool, "candidate_class")
    city = in_region(c.candidate_region, spec.region)
    c = c.mutate(
        tier=ibis.ifelse(city, "city", "province"),
        distance=ibis.cases((county_of(c.candidate_region) == c.county, 0), (city, 1), else_=2),
        grade_rank=_grade_rank(c.grade),
    )
    c = _ranked(c, ["input_class", "county"])
    return c.filter(c.rank <= spec.backup.candidates + 3).drop("rank")


def backups(flagged: Table, purchases: Table, pool: Table, buyers: Table, spec: RiskSpec) -> Table:
    """The ranked candidates of every flagged buyer input (at most `backup.candidates`)."""
    needs = flagged.select(*NEED).distinct().join(buyers, "buyer_uscc")
    needs = needs.mutate(county=county_of(needs.buyer_region))
    short = _shortlist(needs, pool, spec)
    c = needs.join(short, ["input_class", "county"]).select(~ibis.selectors.endswith("_right"))
    c = c.filter(c.candidate != c.buyer_uscc)
    failing = flagged.filter(flagged.supplier.notnull()).select(*NEED, candidate="supplier")
    c = c.anti_join(failing, [*NEED, "candidate"])
    current = purchases.select(*NEED, candidate="supplier", supplies_already=ibis.literal(True))
    c = c.left_join(current, [*NEED, "candidate"]).select(~ibis.selectors.endswith("_right"))
    c = _ranked(c.mutate(supplies_already=c.supplies_already.fill_null(False)), list(NEED))
    return c.filter(c.rank <= spec.backup.candidates)
