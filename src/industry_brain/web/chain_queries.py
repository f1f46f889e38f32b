"""What the 产业链 pages read of a stored chains run (engines/chains, docs/chains.md): the runs a
user may open, each chain's figures, a chain's segments and 链主, a segment's enterprises, the
flags, and one flagged input — its suppliers, flags, backup candidates and 对接 records.

Figures are the run's (stored for the run's whole region); the lists that name enterprises as
buyers are cut to the user's scope. An enterprise belongs to a segment as the engine decides
(`segments.members`), and a segment's enterprises are those active in the run's year, so a
list's count is the run's `enterprises`. Pages compute nothing new: the trade rows behind a
flag are the engine's own (`purchases`)."""

from __future__ import annotations

import json
from typing import Any

import ibis
import polars as pl

from industry_brain.engines.base import Tables
from industry_brain.engines.chains.matches import matches
from industry_brain.engines.chains.purchases import purchases
from industry_brain.engines.chains.segments import members
from industry_brain.engines.chains.spec import RiskSpec
from industry_brain.engines.chains.suppliers import buyer_output
from industry_brain.reference.regions import county_of, in_region
from industry_brain.runs.spec_store import stored_spec
from industry_brain.warehouse import fetch
from industry_brain.warehouse.warehouse import Warehouse
from industry_brain.web.cache import may_lag
from industry_brain.web.paging import Listing, Page, Result, of_table
from industry_brain.web.scope import Scope

READS = ("trade", "enterprise", "enterprise_year")
KINDS = {"single_source": "单一来源", "outside_dependence": "省外依赖"}
KINDS |= {"critical_supplier": "关键供应商"}
STAGES = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}

SEGMENT_ENTERPRISES = Listing(
    sorts=(
        ("name", "企业名称"),
        ("region_code", "区县"),
        ("output", "产值（万元）"),
        ("growth", "增速"),
        ("flags", "风险提示"),
    ),
    default_sort="output",
    default_order="desc",
    size=50,
    filters=("run",),
    tiebreak=("uscc",),
)
RISKS = Listing(
    sorts=(
        ("buyer_name", "企业名称"),
        ("region_code", "区县"),
        ("input_class", "投入品类"),
        ("kind", "风险类型"),
        ("supplier_name", "供应商"),
        ("figure", "占比"),
    ),
    default_sort="figure",
    default_order="desc",
    size=50,
    filters=("kind", "chain", "county", "run"),
    tiebreak=("buyer_uscc", "input_class", "kind", "supplier"),
)


def tables_of(con: Warehouse) -> Tables:
    return Tables(con.table, READS)


def of_run(con: Warehouse, table: str, run_id: int) -> ibis.Table:
    t = con.table(table)
    return t.filter(t.run_id == run_id).drop("run_id")


def chain_runs(con: Warehouse) -> list[dict[str, Any]]:
    """Every stored chains run, newest first (a run's state is never lagged)."""
    sql = """SELECT run_id, spec_name, year, region_code, created_at FROM run
        WHERE engine = 'chains' ORDER BY run_id DESC"""
    return fetch(con, sql, [])


def spec_of(con: Warehouse, run_id: int) -> RiskSpec:
    spec: RiskSpec = stored_spec(con, run_id)
    return spec


def members_of(con: Warehouse, spec: RiskSpec, chain_id: str | None = None) -> ibis.Table:
    """(chain_id, segment_id, uscc, name, region_code): the run's segment members."""
    m = members(tables_of(con), spec)
    if chain_id is not None:
        m = m.filter(m.chain_id == chain_id)
    ent = con.table("enterprise").select("uscc", "region_code")
    return m.join(ent, "uscc")


def run_year(con: Warehouse, run_id: int) -> int:
    return int(fetch(con, "SELECT year FROM run WHERE run_id = ?", [run_id])[0]["year"])


@may_lag
def chain_cards(con: Warehouse, run_id: int) -> list[dict[str, Any]]:
    """Per chain of the run, in the spec's order: its segments, its enterprises (each counted
    once however many segments it is in) active in the year, their output this year and last,
    growth, flagged enterprises, and the worst single-failure exposure of any segment."""
    spec, year = spec_of(con, run_id), run_year(con, run_id)
    m = members_of(con, spec).select("chain_id", "uscc").distinct()
    now, before = buyer_output(tables_of(con), year), buyer_output(tables_of(con), year - 1)
    t = m.join(now, m.uscc == now.buyer_uscc).drop("buyer_uscc")
    t = t.left_join(before.rename(output_before="output"), t.uscc == before.buyer_uscc)
    flagged = of_run(con, "chain_flag", run_id).select(uscc="buyer_uscc").distinct()
    flagged = flagged.mutate(flagged=ibis.literal(1))
    t = t.left_join(flagged, "uscc").select(~ibis.selectors.endswith("_right"))
    by = t.group_by("chain_id").aggregate(
        enterprises=t.uscc.nunique(),
        output=t.output.sum(),
        output_before=t.output_before.sum(),
        flagged=t.flagged.sum(),
    )
    figures = {r["chain_id"]: r for r in by.to_polars().to_dicts()}
    seg = of_run(con, "chain_segment", run_id).to_polars()
    out = []
    for c in spec.chains:
        found = figures.get(c.id, {})
        mine = seg.filter(pl.col("chain_id") == c.id)
        worst = mine.sort("exposure_one", descending=True).head(1).to_dicts()
        before_ = found.get("output_before") or 0
        row = {"chain_id": c.id, "name": c.name, "segments": len(c.segments)}
        row |= {"enterprises": found.get("enterprises") or 0, "output": found.get("output") or 0}
        row |= {"growth": found["output"] / before_ - 1 if before_ > 0 else None}
        row |= {"flagged": int(found.get("flagged") or 0)}
        row |= {"exposure": worst[0]["exposure_one"] if worst else 0.0}
        row |= {"exposed_segment": worst[0]["segment_name"] if worst else None}
        out.append(row)
    return out


@may_lag
def segments(con: Warehouse, run_id: int, chain_id: str) -> list[dict[str, Any]]:
    """The chain's segments as the run stored them, in the map's order, with the stage's name."""
    spec = spec_of(con, run_id)
    chain = next((c for c in spec.chains if c.id == chain_id), None)
    if chain is None:
        return []
    seg = of_run(con, "chain_segment", run_id).filter(lambda t: t.chain_id == chain_id)
    rows = {r["segment_id"]: r for r in seg.to_polars().to_dicts()}
    out = []
    for s in chain.segments:
        row = rows.get(s.id) or {"segment_id": s.id, "segment_name": s.name, "stage": s.stage}
        out.append(row | {"stage_name": STAGES.get(s.stage, s.stage), "classes": s.classes})
    return out


@may_lag
def leaders(con: Warehouse, run_id: int, chain_id: str, scope: Scope) -> dict[str, Any]:
    """The chain's 链主 (the run's largest enterprises by output) in the user's scope, and how
    many lie outside it."""
    t = of_run(con, "chain_leader", run_id).filter(lambda t: t.chain_id == chain_id)
    ent = con.table("enterprise").select("uscc", "region_code")
    rows = t.left_join(ent, "uscc").drop("uscc_right").order_by("rank").to_polars().to_dicts()
    shown = [r for r in rows if scope.allows_enterprise(r["uscc"], r["region_code"])]
    return {"rows": shown, "hidden": len(rows) - len(shown)}


def _flag_counts(con: Warehouse, run_id: int) -> ibis.Table:
    f = of_run(con, "chain_flag", run_id)
    return f.group_by(uscc=f.buyer_uscc).aggregate(flags=f.count())


@may_lag
def segment_enterprises(
    con: Warehouse, run_id: int, chain_id: str, segment_id: str, scope: Scope, page: Page
) -> Result:
    """A page of the segment's enterprises in scope active in the run's year: output this year,
    growth on last year, the flags raised on them as buyers; the count, output and flags of
    all of them."""
    spec, year = spec_of(con, run_id), run_year(con, run_id)
    m = members_of(con, spec, chain_id)
    m = scope.filter(m.filter(m.segment_id == segment_id))
    now, before = buyer_output(tables_of(con), year), buyer_output(tables_of(con), year - 1)
    t = m.join(now, m.uscc == now.buyer_uscc).drop("buyer_uscc")
    t = t.left_join(before.rename(output_before="output"), t.uscc == before.buyer_uscc)
    t = t.drop("buyer_uscc").left_join(_flag_counts(con, run_id), "uscc").drop("uscc_right")
    t = t.mutate(
        growth=ibis.ifelse(t.output_before > 0, t.output / t.output_before - 1, ibis.null()),
        flags=t.flags.fill_null(0),
    )
    columns = ("uscc", "name", "region_code", "output", "growth", "flags")
    return of_table(t.select(*columns), page, sums=("output", "flags"))


def _risk_table(
    con: Warehouse, run_id: int, scope: Scope, kind: str, chain: str, county: str
) -> ibis.Table:
    f = of_run(con, "chain_flag", run_id)
    e = con.table("enterprise")
    t = f.join(
        e.select(buyer_uscc=e.uscc, buyer_name=e.name, region_code=e.region_code), "buyer_uscc"
    )
    sup = of_run(con, "chain_supplier", run_id).select("supplier", "supplier_name")
    t = t.left_join(sup, "supplier").drop("supplier_right")
    t = scope.filter(t)
    if county:
        t = t.filter(in_region(t.region_code, county))
    if kind:
        t = t.filter(t.kind == kind)
    if chain:
        m = members_of(con, spec_of(con, run_id), chain).select(buyer_uscc="uscc").distinct()
        t = t.semi_join(m, "buyer_uscc")
    return t


@may_lag
def risks(
    con: Warehouse, run_id: int, scope: Scope, kind: str, chain: str, county: str, page: Page
) -> Result:
    """A page of the run's flags in scope, filtered by kind, chain and county."""
    return of_table(_risk_table(con, run_id, scope, kind, chain, county), page)


@may_lag
def risk_counties(con: Warehouse, run_id: int, scope: Scope) -> list[str]:
    """The counties with flagged buyers in scope (the county filter's choices)."""
    t = _risk_table(con, run_id, scope, "", "", "")
    found = t.select(county=county_of(t.region_code)).distinct().to_polars()
    return sorted(found["county"].to_list())


@may_lag
def buyer(con: Warehouse, uscc: str) -> dict[str, Any] | None:
    sql = "SELECT uscc, name, region_code, industry_code FROM enterprise WHERE uscc = ?"
    rows = fetch(con, sql, [uscc])
    return rows[0] if rows else None


@may_lag
def flagged_input(
    con: Warehouse, run_id: int, buyer_uscc: str, input_class: str
) -> dict[str, Any] | None:
    """One buyer input of the run: its screening figures, the flags raised on it, the suppliers
    it was bought from in the run's year (the trade rows behind the flags, by supplier: amount
    and share), its backup candidates in rank order, and the chain segments the buyer is in."""
    spec, year = spec_of(con, run_id), run_year(con, run_id)

    def rows(table: str) -> list[dict[str, Any]]:
        t = of_run(con, table, run_id)
        t = t.filter((t.buyer_uscc == buyer_uscc) & (t.input_class == input_class))
        return t.to_polars().to_dicts()

    inputs, flags = rows("chain_input"), rows("chain_flag")
    if not inputs and not flags:
        return None
    sup = of_run(con, "chain_supplier", run_id)
    names = dict(sup.select("supplier", "supplier_name").to_polars().iter_rows())
    critical = set(sup.filter(sup.critical).supplier.to_pyarrow().to_pylist())
    for f in flags:
        f["supplier_name"] = names.get(f["supplier"]) if f["supplier"] else None
    p = purchases(tables_of(con), spec, year)
    p = p.filter((p.buyer_uscc == buyer_uscc) & (p.input_class == input_class))
    bought = p.select("supplier", "supplier_name", "supplier_region", "amount").to_polars()
    total = bought["amount"].sum() or 0.0
    registered = _registered(con, bought["supplier"].to_list())
    suppliers = [
        r
        | {"share": r["amount"] / total if total else None, "critical": r["supplier"] in critical}
        | {"registered": r["supplier"] in registered}
        for r in bought.sort(["amount", "supplier"], descending=[True, False]).to_dicts()
    ]
    backups = sorted(rows("chain_backup"), key=lambda r: r["rank"])
    m = members_of(con, spec).filter(lambda t: t.uscc == buyer_uscc).to_polars()
    segments = [
        (c.name, s.name)
        for c in spec.chains
        for s in c.segments
        if m.filter((pl.col("chain_id") == c.id) & (pl.col("segment_id") == s.id)).height
    ]
    return {
        "input": inputs[0] if inputs else None, "flags": flags, "suppliers": suppliers,
        "total": total, "backups": backups, "segments": segments, "year": year,
    }  # fmt: skip


def _registered(con: Warehouse, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    ent = con.table("enterprise")
    found = ent.filter(ent.uscc.isin(keys)).select("uscc").to_pyarrow().to_pylist()
    return {r["uscc"] for r in found}


def match_records(con: Warehouse, buyer_uscc: str, input_class: str) -> dict[str, Any]:
    """The 对接 records of a buyer input: the current one per candidate, and every change (the
    audit log's entries), newest first."""
    current = [r for r in matches(con, buyer_uscc) if r["input_class"] == input_class]
    prefix = f"{buyer_uscc}/{input_class}/"
    sql = """SELECT entry_id, created_at, actor, object_id, detail FROM audit_log
        WHERE object_type = 'chain_match' AND object_id LIKE ? ORDER BY entry_id DESC"""
    found = fetch(con, sql, [prefix + "%"])  # LIKE's _ matches any character: checked below
    history = []
    for h in found:
        if str(h["object_id"]).startswith(prefix):
            raw = h["detail"] or "{}"
            detail = raw if isinstance(raw, dict) else json.loads(raw)
            candidate = str(h["object_id"])[len(prefix) :]
            history.append(h | {"candidate": candidate, "status": detail.get("status")})
            history[-1]["note"] = detail.get("note")
    return {"current": {r["candidate"]: r for r in current}, "history": history}
