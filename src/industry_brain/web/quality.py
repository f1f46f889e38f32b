"""The data quality view: per county, how well the sources cover each other for a year, the
cross-source conflicts recorded at ingest, and 亩均税收 outliers; every finding names its
enterprises. All of it within the user's region."""

from __future__ import annotations

from typing import Any

import ibis
import polars as pl

from industry_brain.reference.regions import county_of, in_region, regions
from industry_brain.warehouse.warehouse import Warehouse
from industry_brain.web.scope import Scope

SOURCES = ("statistics", "tax", "land", "electricity", "emissions")
GAPS: dict[str, tuple[str, str, str]] = {  # gap → (has, lacks, title)
    "statistics_no_land": ("statistics", "land", "有统计无用地"),
    "land_no_tax": ("land", "tax", "有用地无税收"),
    "tax_no_statistics": ("tax", "statistics", "有税收无统计"),
    "statistics_no_electricity": ("statistics", "electricity", "有统计无用电"),
}
OUTLIER_RATIO = 5.0  # 亩均税收 above this multiple of the industry (大类) median
LISTED = 500


def _has(source: str) -> pl.Expr:
    return pl.col(f"{source}_batch_id").is_not_null()


def _gap(name: str) -> pl.Expr:
    has, lacks, _ = GAPS[name]
    return _has(has) & ~_has(lacks)


def _year(con: Warehouse, scope: Scope, year: int) -> pl.DataFrame:
    ey = con.table("enterprise_year").filter(lambda t: t.year == year)
    ent = scope.filter(con.table("enterprise")).select("uscc", "name", "region_code")
    return ey.join(ent, "uscc").to_polars()


def coverage(con: Warehouse, scope: Scope, year: int) -> list[dict[str, Any]]:
    """Per county: enterprises, how many each source covers, and the gaps between sources."""
    t = _year(con, scope, year)
    counts = t.group_by(county_of(pl.col("region_code")).alias("county")).agg(
        pl.len().alias("enterprises"),
        *(_has(s).sum().alias(s) for s in SOURCES),
        *(_gap(g).sum().alias(g) for g in GAPS),
    )
    names = {r.code: r.name for r in regions()}
    return [
        r | {"name": names.get(r["county"], r["county"])} for r in counts.sort("county").to_dicts()
    ]


def gap_list(
    con: Warehouse, scope: Scope, year: int, gap: str, county: str
) -> list[dict[str, Any]]:
    """The enterprises behind one gap count (one county, or all in scope)."""
    t = _year(con, scope, year).filter(_gap(gap), in_region(pl.col("region_code"), county))
    return t.sort("uscc").select("uscc", "name", "region_code").head(LISTED).to_dicts()


def conflicts(con: Warehouse, scope: Scope, year: int) -> list[dict[str, Any]]:
    """Values that differ from the register (W302), each with the enterprise it concerns."""
    errors = con.table("batch_error").filter(lambda e: e.code == "W302")
    batches = con.table("batch").filter(lambda b: (b.year == year) & (b.status == "active"))
    found = []
    for source in SOURCES:
        rows = con.table(f"src_{source}").select("batch_id", "row_number", "uscc")
        b = batches.filter(batches.source == source).select("batch_id", "file_name", "source")
        e = errors.join(b, "batch_id").join(rows, [("batch_id", "batch_id"), ("row", "row_number")])
        found.append(e.select("uscc", "source", "file_name", "row", "field", "value", "message"))
    e = scope.filter(con.table("enterprise"))
    ent = e.select("uscc", "name", e_region_code=e.region_code, e_industry_code=e.industry_code)
    hits = ibis.union(*found).join(ent, "uscc")
    cols = ["uscc", "name", "source", "file_name", "row", "field", "value", "e_region_code"]
    rows = hits.select(*cols, "e_industry_code").order_by(["uscc", "source", "row"])
    out = rows.limit(LISTED).to_polars().to_dicts()
    for r in out:  # the register's value of the field in conflict
        register = {"name": r["name"], "region_code": r["e_region_code"]}
        register["industry_code"] = r["e_industry_code"]
        r["register_value"] = register.get(r["field"])
    return out


def outliers(con: Warehouse, scope: Scope, year: int) -> list[dict[str, Any]]:
    """Enterprises whose 亩均税收 is far above their industry's median in the whole warehouse
    (the median is not narrowed to the user's region), most extreme first."""
    ey = con.table("enterprise_year").filter(lambda t: t.year == year)
    ent = con.table("enterprise").select("uscc", "name", "region_code", "industry_code")
    t = ey.join(ent, "uscc").to_polars()
    per_mu = t.filter(pl.col("land_mu") > 0, pl.col("tax_paid").is_not_null()).with_columns(
        (pl.col("tax_paid") / pl.col("land_mu")).alias("tax_per_mu"),
        pl.col("industry_code").str.slice(0, 2).alias("division"),
    )
    per_mu = per_mu.with_columns(pl.col("tax_per_mu").median().over("division").alias("median"))
    ratio = (pl.col("tax_per_mu") / pl.col("median")).alias("ratio")
    found = per_mu.filter(pl.col("median") > 0).with_columns(ratio)
    found = found.filter(pl.col("ratio") > OUTLIER_RATIO, scope.inside())
    cols = ["uscc", "name", "region_code", "division", "tax_per_mu", "median", "ratio"]
    return (
        found.sort("ratio", "uscc", descending=[True, False]).select(cols).head(LISTED).to_dicts()
    )


def quality(
    con: Warehouse, scope: Scope, year: int, gap: str = "", county: str = ""
) -> dict[str, Any]:
    found = {"coverage": coverage(con, scope, year), "gaps": GAPS}
    found |= {"conflicts": conflicts(con, scope, year), "outliers": outliers(con, scope, year)}
    found |= {"gap": gap, "county": county, "listed": []}
    if gap in GAPS:
        found["listed"] = gap_list(con, scope, year, gap, county)
    return found
