"""What analysts change through the browser and the API: evaluation runs (run, submit, approve,
send back, publish), batch withdrawal. Every change is checked against the user's scope,
protected by the session's CSRF token (form field `csrf` or header `X-CSRF-Token`) and audited."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import polars as pl
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from industry_brain.ingest.withdraw import WithdrawError, withdraw_batch
from industry_brain.permu.spec import load_method, packaged_methods
from industry_brain.runs.permu import RunError, run_permu
from industry_brain.runs.report import load_run, publish
from industry_brain.runs.workflow import MOVES, Actor, WorkflowError, move
from industry_brain.web import api_runs
from industry_brain.web.auth import check_csrf, current
from industry_brain.web.errors import ApiError
from industry_brain.web.params import BatchId, RunId
from industry_brain.web.scope import Scope

router = APIRouter(tags=["actions"])
User = Annotated[Scope, Depends(current)]


def analyst(user: Scope) -> Actor:
    if user.is_enterprise:
        raise ApiError(403, "only analysts change runs and batches")
    return Actor(user.username, user.region_code)


def _token(request: Request, csrf: str | None) -> None:
    check_csrf(request, csrf or request.headers.get("x-csrf-token", ""))


def workbook_path(request: Request, run_id: int) -> Path:
    root: Path = request.app.state.workspace
    return root / "reports" / "published" / f"亩均评价_run{run_id}.xlsx"


@router.post("/api/permu/runs")
async def create_run(
    request: Request, user: User, spec: Annotated[str, Form()], year: Annotated[int, Form()],
    csrf: Annotated[str | None, Form()] = None,
) -> Response:  # fmt: skip
    """Run a packaged method for a year (a new draft run); answers with the run's page."""
    _token(request, csrf)
    actor = analyst(user)
    if spec not in packaged_methods():
        raise ApiError(404, f"unknown spec {spec!r}")
    method = load_method(spec)
    if not user.allows_region(method.region):  # a county runs its county, not the city
        raise ApiError(403, f"spec {spec} covers {method.region}, beyond your region")
    try:
        run = run_permu(request.app.state.con, method, year, actor.username)
    except RunError as exc:
        raise ApiError(422, str(exc)) from None
    request.app.state.cache.invalidate()
    return RedirectResponse(f"/runs/{run.run_id}", status_code=303)


@router.post("/api/permu/runs/{run_id}/{action}")
async def run_action(
    request: Request, run_id: RunId, action: str, user: User,
    note: Annotated[str | None, Form()] = None, csrf: Annotated[str | None, Form()] = None,
) -> Response:  # fmt: skip
    """submit, approve, reject (with a note) or publish a run; publishing writes its workbook."""
    _token(request, csrf)
    if action not in MOVES:
        raise ApiError(404, f"unknown action {action!r}; one of {', '.join(MOVES)}")
    api_runs.run_in_scope(request, user, run_id)
    con = request.app.state.con
    try:
        after = move(con, run_id, action, analyst(user), note)
    except WorkflowError as exc:
        raise ApiError(409, str(exc), "workflow_refused") from None
    if after == "published":
        publish(con, load_run(con, run_id), workbook_path(request, run_id))
    request.app.state.cache.invalidate()
    return RedirectResponse(f"/runs/{run_id}", status_code=303)


@router.get("/runs/{run_id}/workbook.xlsx", include_in_schema=False)
async def run_workbook(request: Request, run_id: RunId, user: User) -> Response:
    """The published lists; a user whose region lies inside the run's gets their part only."""
    found = api_runs.run_in_scope(request, user, run_id)
    path = workbook_path(request, run_id)
    if not path.is_file():
        raise ApiError(404, f"run {run_id} is not published")
    if not user.allows_region(found["region_code"]):
        path = _part_of(request, run_id, user)
    return FileResponse(path, filename=path.name)


def _part_of(request: Request, run_id: int, user: Scope) -> Path:
    """The run's lists for the enterprises of the user's region (written once, then served)."""
    name = f"亩均评价_run{run_id}_{user.region_code}.xlsx"
    path = workbook_path(request, run_id).with_name(name)
    if not path.is_file():
        con = request.app.state.con
        run = load_run(con, run_id)
        scores = run.scores.filter(user.inside())
        inside = pl.col("uscc").is_in(scores["uscc"].implode())
        part = replace(run, scores=scores, items=run.items.filter(inside))
        publish(con, replace(part, prices=run.prices.filter(inside)), path)
    return path


@router.post("/api/batches/{batch_id}/withdraw")
async def withdraw(
    request: Request, batch_id: BatchId, user: User, reason: Annotated[str, Form()],
    csrf: Annotated[str | None, Form()] = None,
) -> Response:  # fmt: skip
    """Withdraw a batch (kept, no longer used; the next run records it as left out)."""
    _token(request, csrf)
    actor = analyst(user)
    if user.role == "county":
        raise ApiError(403, "batches are withdrawn at the level that loads them (city or above)")
    try:
        withdraw_batch(request.app.state.con, batch_id, actor.username, reason)
    except WithdrawError as exc:
        raise ApiError(409, str(exc), "withdraw_refused") from None
    request.app.state.cache.invalidate()
    return RedirectResponse("/batches", status_code=303)
