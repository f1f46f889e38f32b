"""Withdrawing a batch in the browser: a page says what rests on the batch (enterprises it alone
registers, and the rows other batches loaded for them; runs that used it) and asks for the
reason; when anything rests on it, the withdrawal must be confirmed. A batch is withdrawn at the
level that loads for the region (city or above), and only within the user's region."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from industry_brain.ingest.dependents import dependents
from industry_brain.ingest.withdraw import withdraw_batch
from industry_brain.runs.workflow import STATES
from industry_brain.web import records
from industry_brain.web.actions import _token, analyst, redirect
from industry_brain.web.auth import current
from industry_brain.web.errors import ApiError
from industry_brain.web.pages import render
from industry_brain.web.params import BatchId
from industry_brain.web.scope import Scope
from industry_brain.web.threads import writer

router = APIRouter(tags=["actions"])
User = Annotated[Scope, Depends(current)]


def _batch(request: Request, batch_id: int, user: Scope) -> dict[str, Any]:
    """The batch, if the user may withdraw it: a city or province analyst, a batch loaded for
    their region or above it (404 for a batch they may not see)."""
    analyst(user)
    if user.role == "county":
        raise ApiError(403, "batches are withdrawn at the level that loads them (city or above)")
    found = records.batches(request.app.state.con, user, batch_id)
    if not found:
        raise ApiError(404, f"no batch {batch_id}")
    if found[0]["loaded_for"] and not user.allows_region(found[0]["loaded_for"]):
        raise ApiError(403, "this batch was loaded for a region above yours")
    return found[0]


@router.get("/batches/{batch_id}/withdraw", response_class=HTMLResponse, include_in_schema=False)
def confirm_page(request: Request, batch_id: BatchId, user: User) -> Response:
    """What rests on the batch, and the form that withdraws it."""
    batch = _batch(request, batch_id, user)
    found = dependents(request.app.state.con, batch_id, batch["source"])
    return render(request, "withdraw.html", user, batch=batch, found=found, states=STATES)


@router.post("/api/batches/{batch_id}/withdraw", **redirect("the batch page", 409))
def withdraw(
    request: Request, batch_id: BatchId, user: User, reason: Annotated[str, Form(min_length=1)],
    csrf: Annotated[str | None, Form()] = None, confirm: Annotated[bool, Form()] = False,
) -> Response:  # fmt: skip
    """Withdraw a batch (kept, no longer used; the next run records it as left out). When
    other batches' enterprises or stored runs rest on it, `confirm` must be true (409
    `withdraw_needs_confirmation` otherwise, with what rests on it in `detail`)."""
    _token(request, csrf)
    batch = _batch(request, batch_id, user)
    if batch["status"] != "active":
        raise ApiError(409, f"batch {batch_id} is {batch['status']}", "withdraw_refused")
    # NeedsConfirmation (what rests on the batch in `detail`), WithdrawError: 409
    with writer(request):
        withdraw_batch(request.app.state.con, batch_id, user.username, reason, confirm)
    request.app.state.cache.invalidate(user.username)
    return RedirectResponse("/batches", status_code=303)
