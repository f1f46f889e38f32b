"""Reconciliation: rebuild `enterprise` and `enterprise_year` from the source tables.

For each source, enterprise and year the latest active batch that has the enterprise wins, so a
corrected file replaces the old values and a department may send its data in several files. A
source's parts (power accounts, tax types, pollutants and outlets) are summed; land is counted
once (warehouse/land.py); emissions become 排放当量 with the 污染当量值 of the 环境保护税法.

No source comes first: an enterprise known only from tax, land, power or emissions is kept, with
the name its sources give; without a statistics row it is 规下 (above_scale false).
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
from ibis import _

from industry_brain.ingest.spec import load_spec
from industry_brain.reference.pollutants import pollutants
from industry_brain.reference.regions import regions
from industry_brain.warehouse.active import active, latest
from industry_brain.warehouse.land import land_by_enterprise
from industry_brain.warehouse.plan_figures import reconcile_plan_batches
from industry_brain.warehouse.schema import FIGURES, YEARLY_SOURCES
from industry_brain.warehouse.trade import reconcile_trade
from industry_brain.warehouse.warehouse import Warehouse

# Sources whose batches feed a table of their own rather than `enterprise` and
# `enterprise_year`: each brings its table up to date for the given batches (None: all of them).
DERIVED: dict[str, Callable[[Warehouse, list[int] | None], None]] = {
    "plan_actuals": reconcile_plan_batches,  # indicator_value
    "trade": reconcile_trade,  # trade
}

IDENTITY_ORDER = ("statistics", "tax", "electricity", "land", "emissions")  # after the register


def _summed(con: Warehouse, source: str, years: list[int] | None) -> ibis.Table:
    """The rows of the latest batch per enterprise and year, their parts summed."""
    rows = active(con, source)
    if years is not None:
        rows = rows.filter(rows.year.isin(years))
    rows = rows.filter(rows.batch_id == rows.batch_id.max().over(group_by=[_.uscc, _.year]))
    figures = [n for n, s in FIGURES.items() if s == source]
    sums = {f: rows[f].sum() for f in figures}
    if source == "emissions":  # the file's own 排放当量 where it gives one, else the pollutants'
        sums["emissions_eq"] = rows.emissions_eq.sum().fill_null(_equivalent(rows).sum())
    return rows.group_by(["uscc", "year"]).aggregate(
        **sums, **{f"{source}_batch_id": rows.batch_id.max()}
    )


def _equivalent(rows: ibis.Table) -> ibis.Value:
    """排放当量 of a pollutant row: tonnes / 污染当量值 (kg), for the spec's main pollutants."""
    main = set(load_spec("emissions").reconcile["equivalent_of"])
    pev = {p.code: p.pev_kg for p in pollutants() if p.code in main and p.pev_kg}
    cases = [(rows.pollutant == code, rows.amount_t / value) for code, value in pev.items()]
    return ibis.cases(*cases, else_=ibis.null("float64"))


def _by_field(
    con: Warehouse, source: str, figures: list[str], years: list[int] | None
) -> ibis.Table:
    """Each figure from the latest batch whose file had its column: the bureau may send its
    production and its finance tables apart, and one must not blank the other's figures."""
    fields = con.table("batch").filter((_.status == "active") & (_.source == source))
    rows = active(con, source).join(fields.select("batch_id", "fields"), "batch_id")
    if years is not None:
        rows = rows.filter(rows.year.isin(years))
    out = rows.select("uscc", "year").distinct()
    for f in figures:
        has = rows.filter(rows.fields.isnull() | rows.fields.split(",").contains(f))
        newest = has.batch_id.max().over(group_by=[has.uscc, has.year])
        first = has.filter(has.batch_id == newest).select("uscc", "year", f, b=_.batch_id)
        out = out.left_join(first.rename(**{f"{f}__batch": "b"}), ["uscc", "year"]).drop(
            "uscc_right", "year_right"
        )
    ids = ibis.greatest(*(out[f"{f}__batch"] for f in figures))
    return out.select("uscc", "year", *figures, **{f"{source}_batch_id": ids})


def _yearly(con: Warehouse, source: str, years: list[int] | None) -> ibis.Table:
    if source == "land":
        return land_by_enterprise(con, years)
    if load_spec(source).parts:
        return _summed(con, source, years)
    figures = [n for n, s in FIGURES.items() if s == source]
    kinds = con.table("batch").filter((_.status == "active") & (_.source == source)).fields
    if kinds.nunique().to_pyarrow().as_py() > 1:
        return _by_field(con, source, figures, years)
    t = latest(con, source, ["uscc", "year"], years)
    return t.select("uscc", "year", *figures, **{f"{source}_batch_id": t.batch_id})


def enterprise_year(con: Warehouse, years: list[int] | None = None) -> ibis.Table:
    """Reconciled figures per enterprise and year (all years, or only the given ones)."""
    parts = {s: _yearly(con, s, years) for s in YEARLY_SOURCES}
    keys = ibis.union(*(p.select("uscc", "year") for p in parts.values()), distinct=True)
    out = keys
    for part in parts.values():
        out = out.left_join(part, ["uscc", "year"]).drop("uscc_right", "year_right")
    out = out.mutate(above_scale=out.above_scale.fill_null(out.revenue >= 2000).fill_null(False))
    columns = ["uscc", "year", *FIGURES, *(f"{s}_batch_id" for s in YEARLY_SOURCES)]
    return out.select(*columns)


def _names(con: Warehouse) -> ibis.Table:
    """The newest name each yearly source gives an enterprise, in IDENTITY_ORDER."""
    out = None
    for rank, source in enumerate(IDENTITY_ORDER):
        rows = active(con, source).filter(_.name.notnull())
        newest = ibis.row_number().over(
            group_by=rows.uscc, order_by=[ibis.desc(rows.year), ibis.desc(rows.batch_id)]
        )
        named = rows.filter(newest == 0).select("uscc", "name", rank=ibis.literal(rank))
        out = named if out is None else out.union(named)
    assert out is not None
    first = ibis.row_number().over(group_by=out.uscc, order_by=out["rank"])
    return out.filter(first == 0).select("uscc", other_name=_.name)


def enterprise(con: Warehouse) -> ibis.Table:
    """Identity per enterprise: the register's, else the latest statistics row's, else the name
    another source gives, with the region of the registration authority in its 统一社会信用代码
    (the industry stays unknown)."""
    reg = latest(con, "register", ["uscc"])
    stats = latest(con, "statistics", ["uscc", "year"])
    newest = ibis.row_number().over(group_by=stats.uscc, order_by=ibis.desc(stats.year))
    stats = stats.filter(newest == 0).select(
        "uscc",
        s_region=_.region_code,
        s_industry=_.industry_code,
        statistics_batch_id=_.batch_id,
    )
    ids = ibis.union(
        reg.select("uscc"), *(active(con, s).select("uscc") for s in YEARLY_SOURCES), distinct=True
    )
    j = (
        ids.left_join(reg, "uscc")
        .drop("uscc_right")
        .left_join(stats, "uscc")
        .drop("uscc_right")
        .left_join(_names(con), "uscc")
    )
    authority = j.uscc.substr(2, 6)  # the registration authority's region in the code
    counties = [r.code for r in regions() if r.level in ("city", "county")]
    by_code = authority.isin(counties).ifelse(authority, ibis.null("string"))
    return j.select(
        "uscc",
        name=j.name.fill_null(j.other_name),
        region_code=j.region_code.fill_null(j.s_region).fill_null(by_code),
        park_code=j.park_code,
        industry_code=j.industry_code.fill_null(j.s_industry),
        registered_on=j.registered_on,
        address=j.address,
        register_batch_id=j.batch_id,
        statistics_batch_id=j.statistics_batch_id,
    )


def reconcile(
    con: Warehouse, source: str | None = None, batch_id: int | None = None, *also: int
) -> None:
    """Bring `enterprise` and `enterprise_year` up to date (call inside the batch's transaction).

    With a source and batch (and `also` the batches it superseded), only what those batches can
    change is recomputed, once: the enterprises they name and the years they cover (yearly
    sources). Without, everything. A source with a table of its own (`DERIVED`: plan figures,
    purchases) brings that table up to date instead.
    """
    if source in DERIVED:
        DERIVED[source](con, None if batch_id is None else [batch_id, *also])
        return
    if source is None or batch_id is None:
        con.insert("enterprise", enterprise(con), overwrite=True)
        con.insert("enterprise_year", enterprise_year(con), overwrite=True)
        for derive in DERIVED.values():
            derive(con, None)
        return
    ids_sql = ", ".join(str(int(b)) for b in (batch_id, *also))
    batch = f"SELECT DISTINCT {{col}} FROM src_{source} WHERE batch_id IN ({ids_sql})"
    rows = con.table(f"src_{source}").filter(_.batch_id.isin([batch_id, *also]))
    ids = rows.select("uscc").distinct()
    con.raw_sql(f"DELETE FROM enterprise WHERE uscc IN ({batch.format(col='uscc')})")
    con.insert("enterprise", enterprise(con).semi_join(ids, "uscc"))
    if source in YEARLY_SOURCES:
        years = [int(y) for y in rows.year.as_table().distinct().to_pyarrow().column(0).to_pylist()]
        con.raw_sql(f"DELETE FROM enterprise_year WHERE year IN ({batch.format(col='year')})")
        con.insert("enterprise_year", enterprise_year(con, years))
