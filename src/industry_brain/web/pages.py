"""HTML pages (Chinese): 驾驶舱 overview, region drill-down with Excel export, enterprise profile
(plan monitoring: web/plans.py). Pages read through the same scoped queries as the API and
compute nothing."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from industry_brain.engines.chains import catalog as chain_catalog
from industry_brain.engines.chains.catalog_models import UnknownChain
from industry_brain.engines.permu.spec import packaged_methods
from industry_brain.engines.progress.catalog import load_plan
from industry_brain.formats import minute
from industry_brain.reports.publish import published_file
from industry_brain.runs.appeals import STATUS as APPEAL_STATUS
from industry_brain.runs.spec_store import StoredMethodError
from industry_brain.warehouse.audit import ACTIONS
from industry_brain.warehouse.audit_chain import verify as verify_chain
from industry_brain.web import api, api_runs, dashboard, queries, records, run_views
from industry_brain.web import format as fmt
from industry_brain.web.auth import csrf_token, current
from industry_brain.web.cache import read
from industry_brain.web.errors import ApiError
from industry_brain.web.paging import Page
from industry_brain.web.params import MaybeYear, PublicationName, RunId
from industry_brain.web.quality import quality
from industry_brain.web.scope import ROLES, Scope
from industry_brain.xlsx import new_workbook, number_formats, write_rows

router = APIRouter(include_in_schema=False)
CHAIN_KINDS = {"single_source": "单一来源", "outside_dependence": "省外依赖"}
CHAIN_KINDS |= {"critical_supplier": "关键供应商"}
User = Annotated[Scope, Depends(current)]
HOME_PLAN = {"331000": "taizhou-14th-fyp", "330000": "zhejiang-14th-fyp"}
LIST_COLUMNS = queries.ENTERPRISES.titles
BatchPage = Annotated[Page, Depends(records.BATCHES.depends())]
BATCH_STATUSES = ("active", "superseded", "withdrawn")
ScorePage = Annotated[Page, Depends(queries.RUN_SCORES.depends())]
AuditPage = Annotated[Page, Depends(records.AUDIT.depends())]
EnterprisePage = Annotated[Page, Depends(queries.ENTERPRISES.depends())]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# The query parameters a printed page names as its filters (print header of base.html).
FILTER_LABELS = {"q": "关键词", "year": "年度", "spec": "对比方法", "gap": "缺口", "county": "区县"}
FILTER_LABELS |= {"actor": "经办人", "action": "操作", "object_type": "对象", "object_id": "编号"}
FILTER_LABELS |= {"since": "自", "until": "至", "code": "错误代码", "column": "列", "page": "页"}
FILTER_LABELS |= {"kind": "风险类型", "chain": "产业链", "run": "运行"}
OBJECT_TYPES = {"batch": "数据批次", "run": "评价运行", "appeal": "申诉"}
OBJECT_TYPES |= {"header_mapping": "表头映射", "plan": "规划", "chain_match": "对接记录"}


def chain_name(chain_id: str) -> str:
    try:
        return chain_catalog.chain(chain_id).name
    except UnknownChain:
        return chain_id


def print_filters(request: Request) -> list[tuple[str, str]]:
    """The page's active filters (its query), labelled, for the header of a printed page."""
    found = []
    for key, value in request.query_params.items():
        if key in FILTER_LABELS and value:
            shown = ACTIONS.get(value, value) if key == "action" else value
            shown = OBJECT_TYPES.get(value, value) if key == "object_type" else shown
            shown = CHAIN_KINDS.get(value, value) if key == "kind" else shown
            shown = chain_name(value) if key == "chain" else shown
            shown = fmt.region_name(value) if key == "county" else shown
            found.append((FILTER_LABELS[key], shown[:60]))
    return found


def render(request: Request, name: str, user: Scope, **context: Any) -> Response:
    base = {"user": user, "role_name": ROLES[user.role], "csrf": csrf_token(request)}
    base["lagging"] = getattr(request.state, "lagging", False)  # web/cache.py
    base["printed_at"] = minute(dt.datetime.now(dt.UTC))  # print header, in Beijing time
    base["print_filters"] = print_filters(request)
    return request.app.state.templates.TemplateResponse(request, name, base | context)


def _plan_for(code: str) -> str | None:
    return HOME_PLAN.get(code[:4] + "00") or HOME_PLAN.get(code[:2] + "0000")


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, user: User, year: MaybeYear = None) -> Response:
    """The 驾驶舱 of the user's region: key figures with 同比 for a year (the years with data in
    the region; default the latest), the children's map, plan indicators, the 亩均 grades and
    the top and bottom enterprises of the run shown."""
    if user.is_enterprise:
        return Response(status_code=303, headers={"location": f"/enterprise/{user.uscc}"})
    code = user.region_code
    years = read(request, dashboard.data_years, code)
    chosen = year if year in years else (years[-1] if years else None)
    context: dict[str, Any] = {"region": read(request, queries.region_info, code)}
    context |= {"year": chosen, "years": years, "asked": year}
    context |= {"map_formulas": dashboard.MAP_FORMULAS, "indicators": [], "run": None}
    if chosen is None:
        return render(request, "overview.html", user, **context)
    context |= {"kpis": read(request, dashboard.kpis, code, chosen)}
    context |= {"covered": read(request, dashboard.counties_covered, code, chosen)}
    context |= {"children": read(request, dashboard.children, code)}
    plan_name = _plan_for(code)
    if plan_name and user.allows_region(load_plan(plan_name).region_code):
        m, _ = read(request, queries.monitoring, plan_name, chosen)
        rows = [r for r in m.rows() if r["status"] != "not_assessable" and r["baseline"]]
        context |= {"plan": plan_name, "indicators": rows}
    run = read(request, dashboard.run_for, user, chosen)
    context["run"] = run
    if run:
        context |= {"grades": read(request, queries.grade_mix, user, run["run_id"])}
        context |= {"best": read(request, dashboard.leaders, user, run["run_id"], True)}
        context |= {"worst": read(request, dashboard.leaders, user, run["run_id"], False)}
    return render(request, "overview.html", user, **context)


@router.get("/region/{code}", response_class=HTMLResponse)
def region(
    request: Request, code: str, user: User, page: EnterprisePage, q: str | None = None
) -> Response:
    """A region: its key figures, what lies under it, and its enterprises, a page at a time,
    sorted by a column, with the count and totals of the whole (searched) list. An HTMX request
    (the search box, a page or column link) is answered with the list alone."""
    info = api.region_in_scope(request, user, code)
    year = read(request, queries.latest_year) or 0
    found = read(request, queries.enterprises, user, code, q or None, year, page)
    context: dict[str, Any] = {"region": info, "year": year, "q": q or "", "list": found}
    context |= {"columns": LIST_COLUMNS}
    if _partial(request):
        return render(request, "_enterprise_rows.html", user, **context)
    context |= {"children": read(request, dashboard.children, code)}
    context |= {"figures": read(request, queries.key_figures, code, year)}
    return render(request, "region.html", user, **context)


@router.get("/region/{code}/export.xlsx")
def export(
    request: Request, code: str, user: User, page: EnterprisePage, q: str | None = None
) -> Response:
    """The region's enterprise list as on screen (search and sort), every page of it, as an
    Excel file: Chinese headers, names rather than codes, 是/否, numbers as numbers."""
    info = api.region_in_scope(request, user, code)
    year = read(request, queries.latest_year) or 0
    found = read(request, queries.enterprises, user, code, q or None, year, page.everything())
    parks = fmt.ParkNames(request.app.state.workspace / "parks.yaml")()
    name = f"{info['name']}_企业名单_{year}.xlsx"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "list.xlsx"
        wb, bold = new_workbook(path, name.removesuffix(".xlsx"))
        sheet = wb.add_worksheet("企业名单")
        rows = [_export_row(r, parks) for r in found.rows]
        formats = number_formats(wb, EXPORT_FORMATS)
        write_rows(sheet, EXPORT_COLUMNS, rows, bold, formats=formats)
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 1, 36)
        sheet.set_column(4, 4, 28)
        if q:
            sheet.write_string(len(found.rows) + 2, 0, f"筛选：{q}")
        wb.close()
        data = path.read_bytes()
    ascii_name = f"enterprises_{code}_{year}.xlsx"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=XLSX, headers={"content-disposition": disposition})


EXPORT_COLUMNS = ["统一社会信用代码", "企业名称", "区县", "园区", "行业", "规上"]
EXPORT_COLUMNS += [LIST_COLUMNS[k] for k in queries.ENTERPRISE_SUMS] + ["行业代码"]
EXPORT_FORMATS = [None] * 6 + [fmt.excel_format(k) for k in queries.ENTERPRISE_SUMS] + [None]


def _export_row(r: dict[str, Any], parks: dict[str, str]) -> list[Any]:
    """A listed enterprise as the export shows it: names for region, park and industry (its
    code in a last column), the flag as 是/否 (write_rows), the figures as numbers."""
    industry = r["industry_code"]
    names = [r["uscc"], r["name"], fmt.region_name(r["region_code"])]
    names += [fmt.place_name(r["park_code"], parks) if r["park_code"] else None]
    names += [fmt.industry_name(industry) if industry else None, r["above_scale"]]
    return names + [r[k] for k in queries.ENTERPRISE_SUMS] + [industry]


@router.get("/enterprise/{uscc}", response_class=HTMLResponse)
def enterprise(request: Request, uscc: str, user: User) -> Response:
    found = api.enterprise_in_scope(request, user, uscc)
    grades = read(request, queries.grade_history, uscc)
    latest = grades[-1] if grades else None
    try:
        explained = read(request, queries.explained, uscc, latest["year"]) if latest else None
    except StoredMethodError:  # the run's stored method was changed: no breakdown shown
        explained = None
    years = read(request, queries.enterprise_years, uscc)
    context: dict[str, Any] = {"e": found, "years": years, "grades": grades, "explained": explained}
    context |= {"appeals": read(request, records.overrides, uscc)}
    if user.is_enterprise:
        mine = read(request, records.appeals_in_scope, user)
        context |= {"my_appeals": mine, "appeal_status": APPEAL_STATUS}
        context |= {"appealable": read(request, records.published_run_of, uscc) is not None}
    return render(request, "enterprise.html", user, **context)


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(
    request: Request, run_id: RunId, user: User, page: ScorePage, spec: str | None = None,
    grade: Annotated[str, Query(pattern="^[ABCD]?$")] = "", leaders: bool = False,
) -> Response:  # fmt: skip
    """An evaluation run: grade distribution by county, a what-if against a spec, and its list
    (by grade, leaders only), a page at a time, sorted by a column. The what-if form asks with
    HTMX: then only the what-if panel's table is answered."""
    found = api_runs.run_in_scope(request, user, run_id)
    if found["engine"] != "permu":  # any other engine: its table, the same workflow
        return render(request, "run_engine.html", user, **run_views.page_context(request, found))
    if spec and _partial(request):
        if spec not in packaged_methods():
            raise ApiError(404, f"unknown spec {spec}")
        whatif = read(request, queries.what_if_summary, user, run_id, spec)
        return render(request, "_whatif.html", user, run=found, spec=spec, whatif=whatif)
    context = run_views.common(request, found) | {"specs": packaged_methods(), "spec": spec}
    context |= {"grades": read(request, queries.grade_mix, user, run_id)}
    scores = read(request, queries.run_score_page, user, run_id, grade or None, leaders, page)
    context |= {"list": scores, "grade": grade, "leaders": leaders, "whatif": None}
    context |= {"previous": read(request, queries.since_previous, user, run_id)}
    if spec:
        if spec not in packaged_methods():
            raise ApiError(404, f"unknown spec {spec}")
        context["whatif"] = read(request, queries.what_if_summary, user, run_id, spec)
    return render(request, "run.html", user, **context)


@router.get("/runs/{run_id}/files/{name}", include_in_schema=False)
def run_file(request: Request, run_id: RunId, name: PublicationName, user: User) -> Response:
    """A file the run was published as; the whole run's, so for users covering its region."""
    found = api_runs.run_in_scope(request, user, run_id)
    if not user.allows_region(found["region_code"]):
        raise ApiError(403, f"run {run_id} covers {found['region_code']}, beyond your region")
    path = published_file(request.app.state.con, request.app.state.workspace, run_id, name)
    if path is None or not path.is_file():
        raise ApiError(404, f"run {run_id} has no published file {name!r}")
    return FileResponse(path, filename=path.name)


def _partial(request: Request) -> bool:
    """An HTMX request for a part of the page (a history restore asks for the whole page)."""
    headers = request.headers
    return bool(headers.get("hx-request")) and not headers.get("hx-history-restore-request")


@router.get("/runs", response_class=HTMLResponse)
def runs_page(request: Request, user: User) -> Response:
    """Stored runs in scope, and a form to run a packaged method."""
    found = api_runs.runs(request, user)
    return render(request, "runs.html", user, runs=found, specs=packaged_methods())


@router.get("/batches", response_class=HTMLResponse)
def batches_page(request: Request, user: User, page: BatchPage, status: str = "") -> Response:
    """The batches the user may see, newest first (or by a column), 50 a page."""
    if user.is_enterprise:
        raise ApiError(403, "analysts only")
    if status not in ("", *BATCH_STATUSES):
        raise ApiError(422, f"批次状态须为 {'、'.join(BATCH_STATUSES)} 之一，收到「{status}」")
    found = read(request, records.batch_page, user, page, status or None)
    return render(request, "batches.html", user, list=found, status=status or "")


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request, user: User, page: AuditPage, actor: str = "", action: str = "",
    object_type: str = "", object_id: str = "", since: dt.date | None = None,
    until: dt.date | None = None,
) -> Response:  # fmt: skip
    """The audit log (append-only) within the user's region, filtered by actor, action, object
    and dates, newest first (or by a column), 200 entries a page."""
    if user.is_enterprise:
        raise ApiError(403, "analysts only")
    filters: dict[str, Any] = {"actor": actor, "action": action, "object_type": object_type}
    filters |= {"object_id": object_id, "since": since, "until": until}
    found = read(request, records.audit, user, page, tuple(filters.items()))
    context = {"list": found, "actions": ACTIONS, "filters": filters}
    context |= {"chain": read(request, verify_chain)}
    return render(request, "audit.html", user, **context)


@router.get("/quality", response_class=HTMLResponse)
def quality_page(
    request: Request, user: User, year: MaybeYear = None, gap: str = "", county: str = ""
) -> Response:
    """Data quality by county: source coverage and gaps (click a count for its enterprises),
    conflicts between sources, 亩均税收 outliers."""
    if user.is_enterprise:
        raise ApiError(403, "analysts only")
    y = year or read(request, queries.latest_year) or 0
    found = read(request, quality, user, y, gap, county)
    return render(request, "quality.html", user, year=y, **found)
