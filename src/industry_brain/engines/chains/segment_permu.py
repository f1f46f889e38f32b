"""亩均 figures per chain segment: the segment's 亩均税收 (its enterprises' tax over their land,
万元/亩, in the year) and how many of them each 亩均 grade holds (the latest 亩均 run of the
year or before, pool.grades)."""

from __future__ import annotations

from ibis.expr.types import Table

from industry_brain.engines.base import Tables
from industry_brain.engines.chains.pool import GRADE_ORDER, grades
from industry_brain.engines.chains.segments import SEGMENT

GRADE_COLUMNS = {g: f"grade_{g.lower()}" for g in GRADE_ORDER}


def permu_figures(tables: Tables, m: Table, year: int) -> Table:
    """`m`: the segments' members (segments.members)."""
    ey = tables["enterprise_year"]
    ey = ey.filter(ey.year == year).select("uscc", "tax_paid", "land_mu")
    g = grades(tables, year)
    t = m.join(ey, "uscc")
    t = t.left_join(g, t.uscc == g.candidate)
    t = t.select(*SEGMENT, "uscc", "tax_paid", "land_mu", "grade")
    counts = {column: t.count(where=t.grade == g) for g, column in GRADE_COLUMNS.items()}
    by = t.group_by(*SEGMENT).aggregate(
        tax_paid=t.tax_paid.sum(), land_mu=t.land_mu.sum(), **counts
    )
    return by.mutate(tax_per_mu=by.tax_paid / by.land_mu.nullif(0))
