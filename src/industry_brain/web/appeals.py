"""Appeals in the browser: an enterprise files one on its published result (reason, optional
attachment); an analyst whose region covers it corrects (a figure or a grade, published as an
amendment) or refuses with a reason; the enterprise sees the outcome on its page."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from industry_brain.errors import BrainError
from industry_brain.reports.publish import write
from industry_brain.runs.appeals import STATUS, AppealError, correct, file_appeal, refuse
from industry_brain.runs.store import load_run
from industry_brain.web import records, uploads
from industry_brain.web.actions import analyst
from industry_brain.web.auth import check_csrf, current
from industry_brain.web.cache import read
from industry_brain.web.errors import ApiError, read_limited
from industry_brain.web.pages import render
from industry_brain.web.paging import Page
from industry_brain.web.params import AppealId
from industry_brain.web.scope import Scope
from industry_brain.web.threads import writer

router = APIRouter(include_in_schema=False)
User = Annotated[Scope, Depends(current)]
AppealPage = Annotated[Page, Depends(records.APPEALS.depends())]


@router.post("/appeals")
async def file(
    request: Request,
    user: User,
    reason: Annotated[str, Form()],
    csrf: Annotated[str, Form()],
    attachment: Annotated[UploadFile | None, File()] = None,
) -> Response:
    check_csrf(request, csrf)
    if not user.is_enterprise or user.uscc is None:
        raise ApiError(403, "appeals are filed by the enterprise itself")
    data, name = None, None
    if attachment is not None and attachment.filename:
        limit = request.app.state.ws.settings["max_attachment_mb"]
        data = await read_limited(attachment, limit, "the attachment")
        name = uploads.safe_name(attachment.filename, "attachment")
    await run_in_threadpool(_file, request, user, user.uscc, reason, data, name)
    return RedirectResponse(f"/enterprise/{user.uscc}", status_code=303)


def _file(
    request: Request, user: Scope, uscc: str, reason: str, data: bytes | None, name: str | None
) -> None:
    """The appeal filed (its attachment saved first), in a worker thread."""
    con = request.app.state.con
    run_id = records.published_run_of(con, uscc)
    if run_id is None:
        raise ApiError(409, "no published result to appeal", "appeal_refused")
    saved = None
    if data is not None and name is not None:
        saved = f"{uscc}_{run_id}_{secrets.token_hex(4)}_{name}"
        _attachments(request).mkdir(parents=True, exist_ok=True)
        (_attachments(request) / saved).write_bytes(data)
    try:
        with writer(request):
            file_appeal(con, run_id, uscc, reason, user.username, saved)
    except AppealError:
        if saved:  # a refused appeal leaves no file behind
            (_attachments(request) / saved).unlink(missing_ok=True)
        raise
    request.app.state.cache.invalidate(user.username)


@router.get("/appeals", response_class=HTMLResponse)
def appeals_page(request: Request, user: User, page: AppealPage, status: str = "") -> Response:
    """The appeals in the user's region, newest first (or by a column), of one status or all."""
    analyst(user)
    if status and status not in STATUS:
        raise ApiError(422, f"申诉状态须为 {'、'.join(STATUS)} 之一，收到「{status}」")
    found = read(request, records.appeal_page, user, page, status or None)
    return render(request, "appeals.html", user, list=found, status=STATUS, shown=status)


def _attachments(request: Request) -> Path:
    folder: Path = request.app.state.workspace / "appeals"
    return folder


@router.get("/appeals/{appeal_id}/attachment")
def attachment_file(request: Request, appeal_id: AppealId, user: User) -> Response:
    """The appeal's attachment, for the enterprise that filed it and the analysts covering it."""
    mine = {a["appeal_id"]: a for a in records.appeals_in_scope(request.app.state.con, user)}
    if appeal_id not in mine or not mine[appeal_id]["attachment"]:
        raise ApiError(404, f"no attachment of appeal {appeal_id} in your scope")
    found = mine[appeal_id]
    return FileResponse(
        _attachments(request) / found["attachment"], filename=found["attachment_name"]
    )


def _in_scope(request: Request, user: Scope, appeal_id: int) -> None:
    analyst(user)
    mine = {a["appeal_id"] for a in records.appeals_in_scope(request.app.state.con, user)}
    if appeal_id not in mine:
        raise ApiError(404, f"no appeal {appeal_id} in your region")


@router.post("/appeals/{appeal_id}/decide")
def decide(
    request: Request, appeal_id: AppealId, user: User,
    outcome: Annotated[str, Form()], decision: Annotated[str, Form()], csrf: Annotated[str, Form()],
    field: Annotated[str, Form()] = "", value: Annotated[str, Form()] = "",
    grade: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    """Refuse with a reason, or correct a figure (field, value) or the grade and publish."""
    check_csrf(request, csrf)
    _in_scope(request, user, appeal_id)
    con = request.app.state.con
    if outcome not in ("refuse", "correct"):
        raise ApiError(422, "outcome is refuse or correct")
    try:
        with writer(request):
            if outcome == "refuse":
                refuse(con, appeal_id, user.username, decision)
            else:
                number = float(value) if value.strip() else None
                amended = correct(
                    con, appeal_id, user.username, decision, field or None, number, grade or None
                )
                write(con, request.app.state.workspace, load_run(con, amended), user.username)
    except BrainError:
        raise
    except ValueError as exc:  # a value that is not a number
        raise AppealError(str(exc)) from None
    request.app.state.cache.invalidate(user.username)
    return RedirectResponse("/appeals", status_code=303)
