"""What the 产业链 pages (web/chains.py) need besides queries: the run a user is shown, a
chain of it by id, why a backup candidate was ranked where it is (in Chinese, from the keys the
run kept), and the Excel workbooks of the segment table and the risk list."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response

from industry_brain.engines.chains import catalog
from industry_brain.engines.chains.catalog_models import UnknownChain
from industry_brain.engines.chains.spec import ChainScope, RiskSpec
from industry_brain.formats import num
from industry_brain.reference.regions import county_of, in_region
from industry_brain.web import chain_queries as cq
from industry_brain.web.cache import read
from industry_brain.web.errors import ApiError
from industry_brain.web.names import industry_name, region_name
from industry_brain.web.scope import Scope
from industry_brain.xlsx import new_workbook, number_formats, write_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIERS = {"city": "市内", "province": "省内（市外）"}
DISTANCES = {0: "与采购企业同县", 1: "与采购企业同市", 2: "与采购企业同省"}


def analysts_only(user: Scope) -> None:
    if user.is_enterprise:
        raise ApiError(403, "the chain pages are for analysts: an enterprise account sees its own")


def chosen_run(
    request: Request, user: Scope, run: int | None, year: int | None, needed: bool = True
) -> tuple[dict[str, Any] | None, list[int]]:
    """The chains run shown and the years the user may choose among. `run`: that run (403
    beyond the user's region); else of `year` (default the latest), a run covering the user's
    whole region before one of a part of it, then the latest. None when there is none (404
    when `needed`)."""
    analysts_only(user)
    every = read(request, cq.chain_runs)
    if run is not None:
        found = next((r for r in every if r["run_id"] == run), None)
        if found is None:
            raise ApiError(404, f"no chains run {run}")
        if not user.overlaps(found["region_code"]):
            raise ApiError(403, f"run {run} covers a region outside your scope")
    mine = [r for r in every if user.overlaps(r["region_code"])]
    years = sorted({r["year"] for r in mine})
    if run is None:
        if not mine:
            if needed:
                raise ApiError(404, "no chains run covers your region yet")
            return None, years
        chosen = year if year in years else years[-1]
        same = [r for r in mine if r["year"] == chosen]
        found = max(
            same, key=lambda r: (in_region(user.region_code, r["region_code"]), r["run_id"])
        )
    return found, years


def shown_run(request: Request, user: Scope, run: int | None) -> tuple[dict[str, Any], list[int]]:
    """The run a page shows (`run`, else the latest covering the user; 404 when none)."""
    found, years = chosen_run(request, user, run, None)
    if found is None:  # pragma: no cover - chosen_run raises first
        raise ApiError(404, "no chains run covers your region yet")
    return found, years


def context(request: Request, run: dict[str, Any], years: list[int]) -> dict[str, Any]:
    spec = read(request, cq.spec_of, run["run_id"])
    return {"run": run, "years": years, "spec": spec, "kinds": cq.KINDS, "stages": cq.STAGES}


def check_filters(user: Scope, spec: Any, kind: str, chain: str, county: str) -> None:
    if kind and kind not in cq.KINDS:
        raise ApiError(422, f"风险类型须为 {'、'.join(cq.KINDS)} 之一，收到「{kind[:20]}」")
    if chain:
        chain_of(spec, chain)
    if county and not user.allows_region(county):
        raise ApiError(403, f"county {county[:20]} lies outside your region")


def buyer_in_scope(request: Request, user: Scope, uscc: str) -> dict[str, Any]:
    found = read(request, cq.buyer, uscc)
    if found is None:
        raise ApiError(404, f"no enterprise {uscc[:20]}")
    if not user.allows_enterprise(uscc, found["region_code"]):
        raise ApiError(403, f"enterprise {uscc} lies outside your region")
    return found


def chain_of(spec: RiskSpec, chain_id: str) -> ChainScope:
    found = next((c for c in spec.chains if c.id == chain_id), None)
    if found is None:
        raise ApiError(404, f"the run screened no chain {chain_id[:80]!r}")
    return found


def kind_of(request: Request, chain_id: str) -> str:
    """The chain's kind (示范产业链, 标志性产业链, …) from its map, when the catalog has it."""
    try:
        extra = catalog.workspace_dir(request.app.state.workspace)
        return catalog.chain(chain_id, extra).kind
    except UnknownChain:
        return "产业链"


def why(row: dict[str, Any], buyer_region: str | None) -> list[str]:
    """Why a backup candidate ranks where it does: the keys the engine ranked it by."""
    words = [TIERS.get(row["tier"], row["tier"] or "")]
    industry = industry_name(row["candidate_class"])
    words.append(
        f"同准：同一行业（{industry}）"
        if row["match"] == "same"
        else f"降准：替代行业（{industry}）"
    )
    words.append(f"亩均{row['grade']}档" if row["grade"] else "无亩均评价档次")
    where = DISTANCES.get(row["distance"], "")
    if row["distance"] == 0 and buyer_region:
        where += f"（{region_name(county_of(buyer_region))}）"
    words.append(where)
    output = row["output"]
    words.append("无产值数据" if output is None else f"产值 {num(output, 1)} 万元")
    words.append(f"现有客户 {row['customers']} 家")
    if row["supplies_already"]:
        words.append("已向该企业供应此类投入")
    return [w for w in words if w]


def workbook(
    title: str,
    ascii_name: str,
    sheets: list[tuple[str, list[str], list[list[Any]], list[str | None]]],
) -> Response:
    """An Excel file of sheets (name, columns, rows, number formats), text kept as text."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.xlsx"
        wb, bold = new_workbook(path, title)
        for name, columns, rows, formats in sheets:
            sheet = wb.add_worksheet(name)
            write_rows(sheet, columns, rows, bold, formats=number_formats(wb, formats))
            sheet.set_column(0, 0, 24)
        wb.close()
        data = path.read_bytes()
    disposition = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(title + '.xlsx')}"
    )
    return Response(data, media_type=XLSX, headers={"content-disposition": disposition})


SEGMENT_COLUMNS = [
    "位置",
    "环节",
    "企业数（家）",
    "产值（万元）",
    "上年产值（万元）",
    "增速",
    "风险企业（家）",
]
SEGMENT_COLUMNS += ["单一来源（项）", "省外依赖（项）", "关键供应商（项）"]
SEGMENT_COLUMNS += ["断一家供应商影响产值（万元）", "断多家供应商影响产值（万元）"]
SEGMENT_FORMATS = [None, None, "#,##0", "#,##0.0", "#,##0.0", "0.0%", "#,##0", "#,##0", "#,##0"]
SEGMENT_FORMATS += ["#,##0", "#,##0.0", "#,##0.0"]


def segment_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    keys = ["stage_name", "segment_name", "enterprises", "output", "output_before", "growth"]
    keys += ["flagged", "single_source_flags", "outside_dependence_flags"]
    keys += ["critical_supplier_flags", "exposure_one", "exposure_several"]
    return [[r.get(k) for k in keys] for r in rows]


RISK_COLUMNS = ["企业名称", "统一社会信用代码", "区县", "投入品类", "行业代码", "风险类型"]
RISK_COLUMNS += ["供应商", "占比", "阈值"]
RISK_FORMATS = [None] * 7 + ["0.0%", "0.0%"]


def risk_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            r["buyer_name"],
            r["buyer_uscc"],
            region_name(r["region_code"]),
            industry_name(r["input_class"]),
            r["input_class"],
            cq.KINDS.get(r["kind"], r["kind"]),
            r["supplier_name"] or "",
            r["figure"],
            r["threshold"],
        ]
        for r in rows
    ]
