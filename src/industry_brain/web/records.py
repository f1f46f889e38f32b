"""Records of the analyst's cycle for the pages: batches, run states, appeals and overrides,
the audit log, each within the user's scope."""

from __future__ import annotations

import json
from typing import Any

import ibis
import polars as pl

from industry_brain.reference.regions import region_prefix
from industry_brain.warehouse import fetch
from industry_brain.warehouse.warehouse import Warehouse
from industry_brain.web.paging import Listing, Page, Result, of_frame, of_rows
from industry_brain.web.scope import Scope


def overrides(con: Warehouse, uscc: str) -> list[dict[str, Any]]:
    """The corrections of an enterprise's figures or grade (appeals decided, overrides)."""
    sql = (
        "SELECT year, kind, field, value, grade, reason, author, created_at FROM permu_override "
        "WHERE uscc = ? ORDER BY override_id"
    )
    return fetch(con, sql, [uscc])


BATCHES_SQL = """SELECT b.batch_id, b.source, b.file_name, b.sha256, b.year, b.rows_in,
    b.rows_loaded, b.rows_rejected, b.loaded_at, b.loaded_by, b.status, b.withdrawn_by,
    b.withdrawn_reason, b.superseded_by, u.region_code AS loaded_for
FROM batch b LEFT JOIN app_user u ON u.username = b.loaded_by
{where} ORDER BY b.batch_id DESC"""


def batches(con: Warehouse, scope: Scope, batch_id: int | None = None) -> list[dict[str, Any]]:
    """The batches the user may see: those loaded for a region that overlaps theirs (a county's
    own, and the city's or the command line's, which cover it), newest first."""
    where = "WHERE b.batch_id = ?" if batch_id is not None else ""
    rows = fetch(con, BATCHES_SQL.format(where=where), [] if batch_id is None else [batch_id])
    return [r for r in rows if r["loaded_for"] is None or scope.overlaps(r["loaded_for"])]


BATCHES = Listing(
    sorts=(
        ("batch_id", "批次"),
        ("source", "来源"),
        ("file_name", "文件"),
        ("year", "年度"),
        ("rows_in", "读入行数"),
        ("rows_rejected", "拒收行数"),
        ("loaded_at", "入库时间"),
        ("loaded_by", "经办"),
        ("status", "状态"),
    ),
    default_sort="batch_id",
    default_order="desc",
    size=50,
    filters=("status",),
    tiebreak=("batch_id",),
)


def batch_page(con: Warehouse, scope: Scope, page: Page, status: str | None = None) -> Result:
    """A page of the batches the user may see (`batches`), of one status or all."""
    rows = [r for r in batches(con, scope) if status is None or r["status"] == status]
    return of_rows(rows, page)


def run_states(con: Warehouse, run_id: int) -> list[dict[str, Any]]:
    t = con.table("run_state")
    return t.filter(t.run_id == run_id).order_by("seq").to_polars().to_dicts()


AUDIT = Listing(
    sorts=(
        ("entry_id", "序号"),
        ("created_at", "时间"),
        ("actor", "经办人"),
        ("action", "操作"),
        ("object_type", "对象"),
        ("region_code", "地区"),
    ),
    default_sort="entry_id",
    default_order="desc",
    size=200,
    max_size=1000,
    filters=("actor", "action", "object_type", "object_id", "since", "until"),
    tiebreak=("entry_id",),
)


def audit(con: Warehouse, scope: Scope, page: Page, filters: tuple[tuple[str, Any], ...]) -> Result:
    """A page of the log within the user's region (entries with no region are city-wide:
    department files, header mappings), filtered by actor, action, object and dates."""
    from industry_brain.warehouse.audit import entries

    found = entries(con, **{k: v for k, v in filters if v})
    prefix = region_prefix(scope.region_code)
    inside = found.filter(
        pl.col("region_code").is_null() | pl.col("region_code").str.starts_with(prefix)
        | pl.lit(prefix).str.starts_with(pl.col("region_code").fill_null(""))
    )  # fmt: skip
    result = of_frame(inside, page)
    for row in result.rows:
        row["detail"] = json.loads(row["detail"]) if row["detail"] else {}
    return result


def published_run_of(con: Warehouse, uscc: str) -> int | None:
    """The newest published run with a result for this enterprise (what it may appeal)."""
    states = con.table("run_state").to_polars()
    if states.height == 0:
        return None
    last = states.sort("seq").group_by("run_id").agg(pl.col("state").last())
    published = last.filter(pl.col("state") == "published")["run_id"].to_list()
    s = con.table("permu_score")
    hits = s.filter((s.uscc == uscc) & s.run_id.isin(published)).run_id.max().to_pyarrow()
    return int(hits.as_py()) if hits.as_py() is not None else None


def appeals_in_scope(con: Warehouse, scope: Scope) -> list[dict[str, Any]]:
    """Appeals an analyst may decide (enterprises in the region), or an enterprise's own."""
    a = con.table("appeal")
    e = con.table("enterprise").select("uscc", "name", "region_code")
    t = scope.filter(a.join(e, "uscc"))
    rows = t.order_by(ibis.desc("appeal_id")).to_polars().to_dicts()
    for r in rows:  # stored as <uscc>_<run>_<token>_<name as uploaded>
        r["attachment_name"] = r["attachment"].split("_", 3)[-1] if r["attachment"] else None
    return rows


APPEALS = Listing(
    sorts=(
        ("appeal_id", "编号"),
        ("name", "企业"),
        ("run_id", "运行"),
        ("filed_at", "提出"),
        ("status", "状态"),
    ),
    default_sort="appeal_id",
    default_order="desc",
    size=50,
    filters=("status",),
    tiebreak=("appeal_id",),
)


def appeal_page(con: Warehouse, scope: Scope, page: Page, status: str | None = None) -> Result:
    """A page of the appeals in scope (`appeals_in_scope`), of one status or all."""
    rows = [r for r in appeals_in_scope(con, scope) if status is None or r["status"] == status]
    return of_rows(rows, page)


def run_batches(con: Warehouse, run_id: int) -> dict[str, Any]:
    """The batches a run used, and the withdrawn ones it left out (with who and why)."""
    r = con.table("run")
    [run] = r.filter(r.run_id == run_id).select("inputs", "excluded").to_pyarrow().to_pylist()
    used = json.loads(run["inputs"] or "[]")
    left_out = json.loads(run["excluded"] or "[]")
    b = con.table("batch")
    cols = ["batch_id", "source", "file_name", "year", "withdrawn_by", "withdrawn_reason"]
    excluded = b.filter(b.batch_id.isin(left_out)).select(*cols).order_by("batch_id")
    return {"used": len(used), "excluded": excluded.to_polars().to_dicts() if left_out else []}
