"""The enterprises a backup supplier may be found among (docs/chains.md "Backup suppliers"):
the register's enterprises in the province, by their industry class, and suppliers known from
the year's trade (outside the register, inside the province) by the class they sold — each
with its region, output, 亩均 grade and the screened buyers it already supplies."""

from __future__ import annotations

import ibis
from ibis.expr.types import Table

from industry_brain.engines.base import Tables
from industry_brain.engines.chains.spec import RiskSpec
from industry_brain.engines.chains.suppliers import buyer_output
from industry_brain.reference.regions import in_region

GRADE_ORDER = {"A": 1, "B": 2, "C": 3, "D": 4}


def grades(tables: Tables, year: int) -> Table:
    """Each enterprise's grade in the latest 亩均 run of the year or before."""
    r = tables["run"]
    runs = r.filter((r.engine == "permu") & (r.year <= year)).select("run_id")
    s = tables["permu_score"]
    s = s.join(runs, "run_id").filter(s.grade.notnull())
    latest = ibis.window(group_by="uscc", order_by=ibis.desc("run_id"))
    s = s.mutate(n=ibis.row_number().over(latest))
    return s.filter(s.n == 0).select(candidate="uscc", grade="grade")


def pool(tables: Tables, purchases: Table, spec: RiskSpec, year: int) -> Table:
    """(candidate, candidate_class, candidate_name, candidate_region, output, grade,
    customers): one row per enterprise and class it can supply."""
    ent = tables["enterprise"]
    ent = ent.filter(in_region(ent.region_code, spec.province) & ent.industry_code.notnull())
    registered = ent.select(
        candidate=ent.uscc, candidate_class=ent.industry_code,
        candidate_name=ent.name, candidate_region=ent.region_code,
    )  # fmt: skip
    p = purchases.filter(purchases.supplier_region.notnull())
    p = p.filter(in_region(p.supplier_region, spec.province))
    known = p.select(
        candidate=p.supplier, candidate_class=p.input_class,
        candidate_name=p.supplier_name, candidate_region=p.supplier_region,
    ).distinct()  # fmt: skip
    known = known.anti_join(registered, "candidate")
    columns = ("candidate", "candidate_class", "candidate_name", "candidate_region")
    text = {c: "string" for c in columns}  # nullable in both: the register's may not be
    found = registered.cast(text).union(known.cast(text))
    customers = purchases.group_by(candidate=purchases.supplier).aggregate(
        customers=purchases.buyer_uscc.nunique()
    )
    output = buyer_output(tables, year).rename(candidate="buyer_uscc")
    found = found.left_join(output, "candidate").drop("candidate_right")
    found = found.left_join(grades(tables, year), "candidate").drop("candidate_right")
    found = found.left_join(customers, "candidate").drop("candidate_right")
    return found.mutate(customers=found.customers.fill_null(0))
