"""Reconciliation: rebuild `enterprise` and `enterprise_year` from the source tables.

For each source and key, the row of the latest active batch wins, so a corrected file replaces
the old values and a department may send its data in several files. Land parcels are summed by
tenure with the factors of the land spec (e.g. leased land counts, land let out is deducted).
"""

from __future__ import annotations

from typing import Any

import ibis
from ibis import _

from industry_brain.ingest.spec import load_spec
from industry_brain.warehouse.schema import FIGURES, YEARLY_SOURCES


def _active(con: Any, source: str) -> ibis.Table:
    rows = con.table(f"src_{source}")
    active = con.table("batch").filter(_.status == "active").select("batch_id")
    return rows.semi_join(active, "batch_id")


def latest(con: Any, source: str, key: list[str], years: list[int] | None = None) -> ibis.Table:
    """The row of the latest active batch for each key (optionally only in some years)."""
    rows = _active(con, source)
    if years is not None:
        rows = rows.filter(rows.year.isin(years))
    newest = rows.batch_id.max().over(group_by=[rows[k] for k in key])
    rows = rows.filter(rows.batch_id == newest)
    first = ibis.row_number().over(group_by=[rows[k] for k in key], order_by=rows.row_number)
    return rows.filter(first == 0)


def land_by_enterprise(con: Any, years: list[int] | None = None) -> ibis.Table:
    """Parcels of the latest batch per enterprise and year, summed by tenure factor."""
    factors: dict[str, float] = load_spec("land").reconcile["tenure_factors"]
    rows = _active(con, "land")
    if years is not None:
        rows = rows.filter(rows.year.isin(years))
    newest = rows.batch_id.max().over(group_by=[rows.uscc, rows.year])
    rows = rows.filter(rows.batch_id == newest)

    def area(tenure: str) -> ibis.Value:
        return (rows.tenure == tenure).ifelse(rows.area_mu, 0).sum()

    return rows.group_by(["uscc", "year"]).aggregate(
        land_mu=sum(area(t) * f for t, f in factors.items()),
        land_owned_mu=area("owned"),
        land_leased_mu=area("leased"),
        land_let_mu=area("let"),
        parcels=rows.count().cast("int32"),
        land_batch_id=rows.batch_id.max(),
    )


def _yearly(con: Any, source: str, years: list[int] | None) -> ibis.Table:
    if source == "land":
        t = land_by_enterprise(con, years)
    else:
        t = latest(con, source, ["uscc", "year"], years)
        figures = [n for n, s in FIGURES.items() if s == source]
        t = t.select("uscc", "year", *figures, **{f"{source}_batch_id": t.batch_id})
    return t


def enterprise_year(con: Any, years: list[int] | None = None) -> ibis.Table:
    """Reconciled figures per enterprise and year (all years, or only the given ones)."""
    parts = {s: _yearly(con, s, years) for s in YEARLY_SOURCES}
    keys = ibis.union(*(p.select("uscc", "year") for p in parts.values()), distinct=True)
    out = keys
    for part in parts.values():
        out = out.left_join(part, ["uscc", "year"]).drop("uscc_right", "year_right")
    out = out.mutate(above_scale=out.above_scale.fill_null(out.revenue >= 2000))
    columns = ["uscc", "year", *FIGURES, *(f"{s}_batch_id" for s in YEARLY_SOURCES)]
    return out.select(*columns)


def enterprise(con: Any) -> ibis.Table:
    """Identity per enterprise: the register's, else the latest statistics row's."""
    reg = latest(con, "register", ["uscc"])
    stats = latest(con, "statistics", ["uscc", "year"])
    newest = ibis.row_number().over(group_by=stats.uscc, order_by=ibis.desc(stats.year))
    stats = stats.filter(newest == 0).select(
        "uscc",
        s_name=_.name,
        s_region=_.region_code,
        s_industry=_.industry_code,
        statistics_batch_id=_.batch_id,
    )
    ids = ibis.union(reg.select("uscc"), stats.select("uscc"), distinct=True)
    j = ids.left_join(reg, "uscc").drop("uscc_right").left_join(stats, "uscc")
    return j.select(
        "uscc",
        name=j.name.fill_null(j.s_name),
        region_code=j.region_code.fill_null(j.s_region),
        park_code=j.park_code,
        industry_code=j.industry_code.fill_null(j.s_industry),
        registered_on=j.registered_on,
        address=j.address,
        register_batch_id=j.batch_id,
        statistics_batch_id=j.statistics_batch_id,
    )


def reconcile(con: Any, source: str | None = None, batch_id: int | None = None) -> None:
    """Bring `enterprise` and `enterprise_year` up to date (call inside the batch's transaction).

    With a source and batch, only what that batch can change is recomputed: the enterprises it
    names (register, statistics) and the years it covers (yearly sources). Without, everything.
    """
    if source is None or batch_id is None:
        con.insert("enterprise", enterprise(con), overwrite=True)
        con.insert("enterprise_year", enterprise_year(con), overwrite=True)
        return
    batch = f"SELECT DISTINCT {{col}} FROM src_{source} WHERE batch_id = {int(batch_id)}"
    if source in ("register", "statistics"):
        ids = con.table(f"src_{source}").filter(_.batch_id == batch_id).select("uscc").distinct()
        con.raw_sql(f"DELETE FROM enterprise WHERE uscc IN ({batch.format(col='uscc')})")
        con.insert("enterprise", enterprise(con).semi_join(ids, "uscc"))
    if source in YEARLY_SOURCES:
        years_expr = con.table(f"src_{source}").filter(_.batch_id == batch_id).year.as_table()
        years = [int(y) for y in years_expr.distinct().to_pyarrow().column(0).to_pylist()]
        con.raw_sql(f"DELETE FROM enterprise_year WHERE year IN ({batch.format(col='year')})")
        con.insert("enterprise_year", enterprise_year(con, years))
