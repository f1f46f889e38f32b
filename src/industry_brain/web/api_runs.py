"""The JSON API of stored evaluation runs: the list, the latest run's overview, a run's graded
enterprises and a what-if against another packaged spec; all within the user's scope."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from industry_brain.engines.permu.spec import packaged_methods
from industry_brain.web import queries
from industry_brain.web.api import region_in_scope
from industry_brain.web.auth import current
from industry_brain.web.cache import read
from industry_brain.web.errors import ApiError
from industry_brain.web.params import RunId
from industry_brain.web.scope import Scope

router = APIRouter(prefix="/api", tags=["api"])
User = Annotated[Scope, Depends(current)]


@router.get("/permu/runs/latest")
def latest_run(request: Request, user: User) -> dict[str, Any]:
    """The latest 亩均 run: grade counts by county (within scope), best and worst enterprises."""
    if user.is_enterprise:
        raise ApiError(403, "enterprise users see their own result only")
    run = read(request, queries.latest_run, user)
    if run is None:
        raise ApiError(404, "no 亩均 run stored yet")
    rid = run["run_id"]
    return {k: run[k] for k in ("run_id", "spec_name", "year", "region_code")} | {
        "grades": read(request, queries.grade_mix, user, rid),
        "best": read(request, queries.ranked, user, rid, True),
        "worst": read(request, queries.ranked, user, rid, False),
    }


@router.get("/permu/runs")
def runs(request: Request, user: User) -> list[dict[str, Any]]:
    """Stored evaluation runs (spec, year, region, result digest)."""
    if user.is_enterprise:
        raise ApiError(403, "enterprise users see their own result only")
    return [r for r in read(request, queries.runs) if user.overlaps(r["region_code"])]


def run_in_scope(request: Request, user: Scope, run_id: int) -> dict[str, Any]:
    if user.is_enterprise:
        raise ApiError(403, "enterprise users see their own result only")
    found = next((r for r in read(request, queries.runs) if r["run_id"] == run_id), None)
    if found is None:
        raise ApiError(404, f"no run {run_id}")
    if not user.overlaps(found["region_code"]):
        raise ApiError(403, f"run {run_id} covers a region outside your scope")
    return found


@router.get("/permu/runs/{run_id}/scores")
def run_scores(
    request: Request,
    run_id: RunId,
    user: User,
    grade: Annotated[str | None, Query(pattern="^[ABCD]$")] = None,
    division: Annotated[str | None, Query(pattern="^[0-9]{2}$")] = None,
    region: str | None = None,
    leaders: bool = False,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
) -> dict[str, Any]:
    """A run's graded enterprises in scope, by grade, industry 大类, region, or leaders only."""
    run_in_scope(request, user, run_id)
    if region:
        region_in_scope(request, user, region)
    rows = read(request, queries.run_scores, user, run_id, grade, division, region, leaders, limit)
    return {"run_id": run_id, "count": len(rows), "scores": rows}


@router.get("/permu/runs/{run_id}/whatif")
def run_whatif(request: Request, run_id: RunId, user: User, spec: str) -> dict[str, Any]:
    """What-if: the grade changes a packaged method spec would make against this run."""
    run_in_scope(request, user, run_id)
    if spec not in packaged_methods():
        raise ApiError(404, f"unknown spec {spec!r}; one of {', '.join(packaged_methods())}")
    return {"run_id": run_id} | read(request, queries.what_if_summary, user, run_id, spec)
