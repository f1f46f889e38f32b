"""The JSON API (OpenAPI schema at /api/openapi.json). Every endpoint needs a signed-in user
and filters by the user's scope; errors have one shape (`web/errors.py`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request

from industry_brain.engines.progress.catalog import is_imported, load_plan
from industry_brain.web import dashboard, queries
from industry_brain.web.auth import current
from industry_brain.web.cache import read
from industry_brain.web.errors import ApiError, responses
from industry_brain.web.params import MaybeYear, Year
from industry_brain.web.scope import ROLES, Scope

router = APIRouter(prefix="/api", tags=["api"])
User = Annotated[Scope, Depends(current)]


def _con(request: Request) -> Any:
    return request.app.state.con


def _year(request: Request, year: int | None) -> int:
    found = year or read(request, queries.latest_year)
    if found is None:
        raise ApiError(404, "the warehouse has no enterprise data yet")
    return found


def region_in_scope(request: Request, user: Scope, code: str) -> dict[str, Any]:
    """The region (404 when unknown, 403 when outside the user's scope)."""
    found = read(request, queries.region_info, code)
    if found is None:
        raise ApiError(404, f"unknown region {code}")
    if not user.allows_region(code):
        raise ApiError(403, f"region {code} is outside your scope")
    return found


@router.get("/me")
def me(user: User) -> dict[str, Any]:
    """The signed-in user's role and scope."""
    return {"username": user.username, "role": user.role, "role_name": ROLES[user.role]} | {
        "region_code": user.region_code,
        "uscc": user.uscc,
    }


@router.get("/regions/{code}")
def region(request: Request, code: str, user: User, year: MaybeYear = None) -> dict[str, Any]:
    """A region: its place in the tree, its children with enterprise counts, its key figures."""
    info = region_in_scope(request, user, code)
    y = _year(request, year)
    return info | {
        "year": y,
        "children": read(request, dashboard.children, code),
        "figures": read(request, queries.key_figures, code, y),
    }


# The figures a map is coloured by (dashboard.MAP_FORMULAS), declared so the schema lists them.
MapIndicator = Literal[
    "tax_per_mu", "value_added_per_mu", "above_scale_output", "above_scale_value_added",
    "rd_intensity", "labour_productivity",
]  # fmt: skip


@router.get("/regions/{code}/map")
def region_map(
    request: Request,
    code: str,
    user: User,
    indicator: Annotated[MapIndicator, Query(description="上色的指标。")] = "tax_per_mu",
    year: MaybeYear = None,
) -> dict[str, Any]:
    """One figure per child region (a province's cities, a city's counties, a county's parks)
    by a plan formula, with its unit; `geometry` says whether /api/geo draws them as a map."""
    region_in_scope(request, user, code)
    y = _year(request, year)
    return read(request, dashboard.child_values, code, indicator, y)


@router.get("/geo/{code}")
def geo(request: Request, code: str, user: User) -> dict[str, Any]:
    """The boundaries of a region's children (GeoJSON, served locally): a province's cities, a
    city's counties; none for a county (the reference data has no park boundaries)."""
    region_in_scope(request, user, code)
    return dashboard.shapes(code)


EnterpriseSort = Literal[
    "uscc", "name", "region_code", "park_code", "industry_code", "above_scale", "output",
    "revenue", "tax_paid", "land_mu",
]  # queries.ENTERPRISES.sorts, declared so that the schema names them  # fmt: skip


@router.get("/enterprises")
def enterprises(
    request: Request,
    user: User,
    region: str | None = None,
    q: Annotated[str | None, Query(max_length=60)] = None,
    year: MaybeYear = None,
    limit: Annotated[int | None, Query(ge=1, le=500, description="每页条数（同 size）。")] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000, description="第几页，从 1 起。")] = 1,
    size: Annotated[int | None, Query(ge=1, le=500, description="每页条数，至多 500。")] = None,
    sort: Annotated[EnterpriseSort | None, Query(description="排序列（默认 tax_paid）。")] = None,
    order: Annotated[Literal["asc", "desc"] | None, Query(description="升序或降序。")] = None,
) -> dict[str, Any]:
    """Enterprises in scope, searched by name or code, with the year's figures, a page at a
    time: `count` is the rows of this page, `total` those of the whole list, `totals` its sums
    of output, revenue, tax and land."""
    if region:
        region_in_scope(request, user, region)
    y = _year(request, year)
    filters = {"region": region, "q": q, "year": year}
    at = queries.ENTERPRISES.page(page, size or limit, sort, order, filters, request.url.path)
    found = read(request, queries.enterprises, user, region, q, y, at)
    rows = found.rows
    return {"year": y, "count": len(rows), "enterprises": rows} | {
        "total": found.total,
        "page": found.page.number,
        "pages": found.pages,
        "size": found.page.size,
        "sort": found.page.sort,
        "order": found.page.order,
        "totals": found.totals,
    }


def enterprise_in_scope(request: Request, user: Scope, uscc: str) -> dict[str, Any]:
    found = read(request, queries.enterprise, uscc)
    if found is None:
        raise ApiError(404, f"no enterprise {uscc}")
    if not user.allows_enterprise(uscc, found["region_code"]):
        raise ApiError(403, f"enterprise {uscc} is outside your scope")
    return found


@router.get("/enterprises/{uscc}")
def enterprise(request: Request, uscc: str, user: User) -> dict[str, Any]:
    """An enterprise's profile: register data, figures over the years, 亩均 grade history."""
    found = enterprise_in_scope(request, user, uscc)
    return found | {
        "years": read(request, queries.enterprise_years, uscc),
        "grades": read(request, queries.grade_history, uscc),
    }


@router.get("/enterprises/{uscc}/permu", responses=responses(409))
def enterprise_permu(
    request: Request, uscc: str, year: Year, user: User, spec: str | None = None
) -> dict[str, Any]:
    """The 亩均 explanation: each item against its benchmark, from the latest stored run (409
    when the run's stored method no longer matches its hash)."""
    enterprise_in_scope(request, user, uscc)
    found = read(request, queries.explained, uscc, year, spec)  # StoredMethodError: 409
    if found is None:
        raise ApiError(404, f"no stored 亩均 result for {uscc} in {year}")
    return found


@router.get("/monitoring/{plan}")
def monitoring(request: Request, plan: str, user: User, year: MaybeYear = None) -> dict[str, Any]:
    """A plan's monitoring table for a year (default: the latest year with an actual of the
    plan), a packaged plan or one the workspace imported."""
    workspace = request.app.state.workspace
    found = load_plan(plan, workspace)  # UnknownPlan: 404
    region_in_scope(request, user, found.region_code)
    ws_path = workspace if is_imported(found.plan, workspace) else None
    years = read(request, queries.monitoring_years, found.plan, ws_path)
    chosen = year or (years[-1] if years else read(request, queries.latest_year))
    m, _ = read(request, queries.monitoring, found.plan, chosen or found.base_year, ws_path)
    return {"plan": found.plan, "title": found.title, "year": m.year, "stage": m.stage} | {
        "rows": m.rows(),
        "rollup": m.rollup(),
        "notes": m.notes,
    }
