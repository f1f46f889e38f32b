"""Jobs in the browser and the API: `/jobs/{id}` shows a job's stage and progress bar and polls
with HTMX until it is finished, then goes on to its outcome (the import report, the run …);
`GET /api/jobs/{id}` gives its state as JSON. A user sees their own jobs; a city or province
analyst also those of their region (anyone else: 404)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Hashable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from industry_brain.jobs import store
from industry_brain.jobs.runner import AlreadyRunning, Runner, Work
from industry_brain.web.auth import current
from industry_brain.web.errors import ApiError, responses
from industry_brain.web.pages import render
from industry_brain.web.params import JobId
from industry_brain.web.scope import Scope

router = APIRouter()
User = Annotated[Scope, Depends(current)]
FIRST_WAIT = 2.0  # a job page first waits this long: a quick job goes straight to its outcome


def submitted(to: str, *errors: int) -> dict[str, Any]:
    """Route arguments of an action run as a job: 202 with the job's URLs (API callers), or a
    303 to the job's page (browsers: `Accept: text/html`), which goes on to `to`."""
    location = {"Location": {"description": "the job", "schema": {"type": "string"}}}
    accepted = {"description": f"A job was started; its outcome is {to}.", "model": Submitted}
    page = {"description": f"A job was started: redirects to its page, then to {to}."}
    codes = {202: accepted | {"headers": location}, 303: page | {"headers": location}}
    return {
        "status_code": 202,
        "response_class": JSONResponse,
        "responses": codes | responses(*errors),
    }


class Submitted(BaseModel):
    job_id: int
    url: str
    page: str


def runner(request: Request) -> Runner:
    found: Runner = request.app.state.jobs
    return found


def submit(request: Request, user: Scope, kind: str, work: Work, key: Hashable = None) -> int:
    """The job started for the user; 409 `job_running` while the same work (key) is unfinished."""
    try:
        return runner(request).submit(kind, user.username, user.region_code, work, key)
    except AlreadyRunning as exc:
        detail = {"job_id": exc.job_id, "page": f"/jobs/{exc.job_id}"}
        raise ApiError(409, "the same work is running already", "job_running", detail) from None


def answer(request: Request, job_id: int) -> Response:
    """A submitted job: pages and browsers are sent to its page (303), API callers (a path
    under /api asked without `Accept: text/html`) get 202 with its URLs."""
    page = f"/jobs/{job_id}"
    api = request.url.path.startswith("/api/")
    if not api or "text/html" in request.headers.get("accept", ""):
        return RedirectResponse(page, status_code=303)
    url = f"/api/jobs/{job_id}"
    body = {"job_id": job_id, "url": url, "page": page}
    return JSONResponse(body, status_code=202, headers={"location": url})


def _visible(request: Request, user: Scope, job_id: int) -> store.Job:
    job = runner(request).get(job_id)
    if job is None or not store.visible(job, user.username, user.role, user.region_code):
        raise ApiError(404, f"no job {job_id}")
    return job


async def _settled(request: Request, user: Scope, job_id: int, wait: float) -> store.Job:
    """The job, after waiting up to `wait` seconds for it to finish (without holding the loop)."""
    job = await run_in_threadpool(_visible, request, user, job_id)
    deadline = time.monotonic() + wait
    while not job.finished and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        if runner(request).wait(job_id, 0):
            job = await run_in_threadpool(_visible, request, user, job_id)
    return job


@router.get("/api/jobs/{job_id}", tags=["api"])
async def job_state(request: Request, job_id: JobId, user: User) -> dict[str, Any]:
    """A job's state (queued, running, done, failed, interrupted), progress, outcome or error."""
    return (await run_in_threadpool(_visible, request, user, job_id)).to_dict()


@router.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
async def job_page(request: Request, job_id: JobId, user: User) -> Response:
    """The job's stage and progress; once done, its outcome (HTMX: the fragment only)."""
    polled = request.headers.get("hx-request") == "true"
    job = await _settled(request, user, job_id, 0 if polled else FIRST_WAIT)
    if job.url and polled:
        return Response(status_code=200, headers={"HX-Redirect": job.url})
    if job.url:
        return RedirectResponse(job.url, status_code=303)
    name = "_job_state.html" if polled else "job.html"
    context = {"job": job, "states": store.STATES}
    return await run_in_threadpool(render, request, name, user, **context)
