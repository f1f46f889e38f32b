"""What the pages and the API read, always through a user's scope. No scoring happens here: the
figures come from the engines' formulas and from stored runs. Figures and lists shown may lag
a change by a few seconds (`may_lag`, web/cache.py); a run's state and the run list do not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ibis
import polars as pl

from industry_brain.engines.progress.actuals import plan_actuals
from industry_brain.engines.progress.catalog import load_plan
from industry_brain.engines.progress.formulas import compute
from industry_brain.engines.progress.monitor import Monitoring, monitor
from industry_brain.reference.regions import county_of, in_region, regions
from industry_brain.warehouse import fetch
from industry_brain.warehouse.warehouse import Warehouse
from industry_brain.web.cache import may_lag
from industry_brain.web.paging import Listing, Page, Result, of_table
from industry_brain.web.scope import Scope

KEY_FORMULAS = ["above_scale_output", "value_added_per_mu", "tax_per_mu", "labour_productivity"]
FIGURE_COLUMNS = ["above_scale", "revenue", "output", "value_added", "tax_paid", "land_mu"]
FIGURE_COLUMNS += ["employees", "energy_tce", "rd_expense", "electricity_kwh"]


@may_lag
def latest_year(con: Warehouse) -> int | None:
    value = con.table("enterprise_year").year.max().to_pyarrow().as_py()
    return int(value) if value is not None else None


@may_lag
def region_info(con: Warehouse, code: str) -> dict[str, Any] | None:
    """A region (province to park) from the warehouse's region table, with its ancestors."""
    t = con.table("region")
    rows = {r["code"]: r for r in t.to_pyarrow().to_pylist()}
    if code not in rows:
        return None
    chain, parent = [], rows[code]["parent_code"]
    while parent in rows:
        chain.append({"code": parent, "name": rows[parent]["name"]})
        parent = rows[parent]["parent_code"]
    r = rows[code]
    return {"code": code, "name": r["name"], "level": r["level"], "ancestors": chain[::-1]}


@may_lag
def key_figures(con: Warehouse, code: str, year: int) -> dict[str, float | None]:
    """规上 figures of a region (parks: by park code) for a year, by the plan formulas."""
    frame = compute(con, KEY_FORMULAS, code).filter(pl.col("year") == year)
    values = dict(zip(frame["formula"], frame["value"], strict=True))
    return {k: values.get(k) for k in KEY_FORMULAS}


ENTERPRISES = Listing(
    sorts=(
        ("uscc", "统一社会信用代码"),
        ("name", "企业名称"),
        ("region_code", "区县"),
        ("park_code", "园区"),
        ("industry_code", "行业"),
        ("above_scale", "规上"),
        ("output", "工业总产值（万元）"),
        ("revenue", "营业收入（万元）"),
        ("tax_paid", "实缴税金（万元）"),
        ("land_mu", "用地（亩）"),
    ),
    default_sort="tax_paid",
    default_order="desc",
    size=50,
    max_size=500,
    filters=("q",),
    tiebreak=("uscc",),
)
ENTERPRISE_SUMS = ("output", "revenue", "tax_paid", "land_mu")


def enterprise_table(
    con: Warehouse, scope: Scope, region: str | None, q: str | None, year: int
) -> ibis.Table:
    """Enterprises in scope (and region), searched by name or code, with the year's figures
    (codes stay codes: the pages and the export name them through web/names.py)."""
    ent = scope.filter(con.table("enterprise"))
    if region:
        column = ent.park_code if len(region) > 6 else ent.region_code
        ent = ent.filter(in_region(column, region))
    if q:
        ent = ent.filter(ent.name.contains(q) | ent.uscc.startswith(q.upper()))
    ey = con.table("enterprise_year")
    ey = ey.filter(ey.year == year).select("uscc", *FIGURE_COLUMNS)
    cols = ["uscc", "name", "region_code", "park_code", "industry_code"]
    return ent.select(*cols).left_join(ey, "uscc").drop("uscc_right")


@may_lag
def enterprises(
    con: Warehouse, scope: Scope, region: str | None, q: str | None, year: int, page: Page
) -> Result:
    """A page of the enterprises in scope (and region), searched by name or code, with the
    year's figures; the count and the sums of 产值, 营收, 税收 and 用地 are of the whole list."""
    table = enterprise_table(con, scope, region, q, year)
    return of_table(table, page, ENTERPRISE_SUMS)


@may_lag
def enterprise(con: Warehouse, uscc: str) -> dict[str, Any] | None:
    rows = fetch(con, "SELECT * FROM enterprise WHERE uscc = ?", [uscc])
    return rows[0] if rows else None


@may_lag
def enterprise_years(con: Warehouse, uscc: str) -> list[dict[str, Any]]:
    cols = ", ".join(["year", *FIGURE_COLUMNS])
    sql = f"SELECT {cols} FROM enterprise_year WHERE uscc = ? ORDER BY year"
    return fetch(con, sql, [uscc])


@may_lag
def grade_history(con: Warehouse, uscc: str) -> list[dict[str, Any]]:
    sql = (
        "SELECT s.run_id, r.year, r.spec_name, s.status, s.total, s.rank, s.group_size, s.grade, "
        "s.reason FROM permu_score s JOIN run r USING (run_id) WHERE s.uscc = ? "
        "ORDER BY r.year, s.run_id"
    )
    return fetch(con, sql, [uscc])


def latest_run(con: Warehouse, scope: Scope, engine: str = "permu") -> dict[str, Any] | None:
    """The latest run covering the user's whole region (a county's own run, or its city's);
    another county's run, or one of a part of the user's region, is not the user's latest."""
    t = con.table("run").filter(lambda r: r.engine == engine)
    runs = t.select("run_id", "spec_name", "year", "region_code").to_pyarrow().to_pylist()
    covering = [r for r in runs if in_region(scope.region_code, r["region_code"])]
    return max(covering, key=lambda r: r["run_id"]) if covering else None


@may_lag
def grade_mix(con: Warehouse, scope: Scope, run_id: int) -> list[dict[str, Any]]:
    """Grade counts per county of one run, within the user's scope."""
    s = scope.filter(con.table("permu_score"))
    s = s.filter((s.run_id == run_id) & (s.status == "evaluated"))
    s = s.mutate(county=county_of(s.region_code))
    counts = s.group_by("county", "grade").aggregate(n=s.count()).to_polars()
    names = {r.code: r.name for r in regions()}
    out = []
    for county in sorted(counts["county"].unique().to_list()):
        part = counts.filter(pl.col("county") == county)
        row = {"code": county, "name": names.get(county, county)}
        row |= {g: int(part.filter(pl.col("grade") == g)["n"].sum()) for g in "ABCD"}
        out.append(row)
    return out


@may_lag
def ranked(
    con: Warehouse, scope: Scope, run_id: int, best: bool, n: int = 10
) -> list[dict[str, Any]]:
    """Top or bottom enterprises of a run by total score, within scope."""
    s = scope.filter(con.table("permu_score"))
    s = s.filter((s.run_id == run_id) & (s.status == "evaluated"))
    order = ibis.desc("total") if best else ibis.asc("total")
    cols = ["uscc", "name", "region_code", "group", "total", "grade"]
    return s.order_by(order, "uscc").limit(n).select(*cols).to_polars().to_dicts()


@may_lag
def monitoring(
    con: Warehouse, plan: str, year: int, ws_path: Path | None = None
) -> tuple[Monitoring, dict[str, list[list[float]]]]:
    """A plan's monitoring for a year, and each indicator's series up to that year (charts);
    an imported plan is found in the workspace `ws_path`."""
    found = load_plan(plan, ws_path)
    actuals = plan_actuals(con, found)
    m = monitor(con, found, year, actuals=actuals)
    series = {
        k: [[a.year, a.value] for a in v.values() if a.year <= year]
        for k, v in actuals.series.items()
    }
    return m, series


@may_lag
def monitoring_years(con: Warehouse, plan: str, ws_path: Path | None = None) -> list[int]:
    """The years a plan can be monitored in: from its base year on, those with an actual
    (computed or entered) of any of its indicators, oldest first."""
    found = load_plan(plan, ws_path)
    years = {y for series in plan_actuals(con, found).series.values() for y in series}
    return sorted(y for y in years if y >= found.base_year)


def runs(con: Warehouse) -> list[dict[str, Any]]:
    t = con.table("run")
    cols = ["run_id", "engine", "spec_name", "year", "region_code", "created_at", "result_sha256"]
    return t.select(*cols).order_by(ibis.desc("run_id")).to_polars().to_dicts()


@may_lag
def run_scores(
    con: Warehouse,
    scope: Scope,
    run_id: int,
    grade: str | None = None,
    division: str | None = None,
    region: str | None = None,
    leaders: bool = False,
    limit: int = 200,
) -> list[dict[str, Any]]:
    """A run's graded list within scope, filtered by grade, industry 大类, region or leaders."""
    s = scope.filter(con.table("permu_score"))
    s = s.filter(s.run_id == run_id)
    if grade:
        s = s.filter(s.grade == grade)
    if division:
        s = s.filter(s.industry_code.startswith(division))
    if region:
        s = s.filter(in_region(s.region_code, region))
    if leaders:
        s = s.filter(s.leader)
    cols = ["uscc", "name", "region_code", "industry_code", "group", "status", "total", "rank"]
    cols += ["group_size", "grade", "leader"]
    ordered = s.order_by(s.status != "evaluated", "group", "rank", "uscc")
    return ordered.limit(limit).select(*cols).to_polars().to_dicts()


RUN_SCORES = Listing(
    sorts=(
        ("name", "企业"),
        ("region_code", "区县"),
        ("group", "排序组"),
        ("rank", "组内排名"),
        ("total", "得分"),
        ("grade", "档次"),
    ),
    default_sort="total",
    default_order="desc",
    size=50,
    max_size=500,
    filters=("grade", "leaders", "spec"),
    tiebreak=("uscc",),
)


@may_lag
def run_score_page(
    con: Warehouse, scope: Scope, run_id: int, grade: str | None, leaders: bool, page: Page
) -> Result:
    """A page of a run's list within scope, of one grade or all, leaders only or all."""
    s = scope.filter(con.table("permu_score"))
    s = s.filter(s.run_id == run_id)
    if grade:
        s = s.filter(s.grade == grade)
    if leaders:
        s = s.filter(s.leader)
    cols = ["uscc", "name", "region_code", "industry_code", "group", "status", "total", "rank"]
    return of_table(s.select(*cols, "group_size", "grade", "leader"), page)


@may_lag
def since_previous(con: Warehouse, scope: Scope, run_id: int) -> dict[str, Any] | None:
    """Grade changes from the previous run of the same region and year, within scope."""
    from industry_brain.runs.whatif import compare_runs, previous_run

    earlier = previous_run(con, run_id)
    if earlier is None:
        return None
    return {"run_id": earlier} | _in_scope(scope, *compare_runs(con, run_id, earlier))


@may_lag
def what_if_summary(con: Warehouse, scope: Scope, run_id: int, spec: str) -> dict[str, Any]:
    """Grade changes a packaged spec would make against a stored run, within scope."""
    from industry_brain.engines import engine
    from industry_brain.runs.store import run_row
    from industry_brain.runs.whatif import what_if

    result = what_if(con, run_id, engine(run_row(con, run_id)["engine"]).load_spec(spec))
    return {"spec": spec} | _in_scope(scope, result.changes, result.summary)


def _in_scope(scope: Scope, changes: pl.DataFrame, summary: pl.DataFrame) -> dict[str, Any]:
    inside = scope.inside("county")
    return {
        "summary": summary.filter(inside).to_dicts(),
        "changes": changes.filter(inside).head(200).to_dicts(),
    }


@may_lag
def explained(
    con: Warehouse, uscc: str, year: int, spec: str | None = None
) -> dict[str, Any] | None:
    """An enterprise's 亩均 explanation from the latest stored run (runs/explain.py)."""
    from industry_brain.runs.explain import explanation

    return explanation(con, uscc, year, spec)
