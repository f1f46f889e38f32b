"""What analysts change through the browser and the API: evaluation runs (run, submit, approve,
send back, publish; batch withdrawal is in `withdrawals.py`). Every change is checked against
the user's scope, protected by the session's CSRF token (form field `csrf` or header
`X-CSRF-Token`) and audited."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.convertors import Convertor, register_url_convertor

from industry_brain.engines.permu.publish import write_lists
from industry_brain.engines.permu.spec import load_method, packaged_methods
from industry_brain.jobs.runner import JobContext, JobError
from industry_brain.reports.publish import write
from industry_brain.runs.permu import RunError, run_permu
from industry_brain.runs.store import load_run
from industry_brain.runs.workflow import MOVES, Actor, move
from industry_brain.web import api_runs
from industry_brain.web.auth import check_csrf, current
from industry_brain.web.errors import ApiError, responses
from industry_brain.web.jobs import answer, submit, submitted
from industry_brain.web.params import RunId
from industry_brain.web.scope import Scope
from industry_brain.web.threads import writer

router = APIRouter(tags=["actions"])
User = Annotated[Scope, Depends(current)]


def redirect(to: str, *errors: int) -> dict[str, Any]:
    """Route arguments of a form action: a 303 to `to` when done, the error answers it adds."""
    location = {"Location": {"description": to, "schema": {"type": "string"}}}
    done = {303: {"description": f"Done: redirects to {to}.", "headers": location}}
    return {"status_code": 303, "response_class": RedirectResponse} | {
        "responses": done | responses(*errors)
    }


Move = Literal["submit", "approve", "reject", "publish"]
assert set(get_args(Move)) == set(MOVES)


class MoveConvertor(Convertor[str]):
    """`{action:move}` matches a workflow move only, so the path does not also claim
    /api/permu/runs/{id}/scores and /whatif (a POST there is a 405, and their Allow says GET)."""

    regex = "|".join(MOVES)

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("move", MoveConvertor())


def analyst(user: Scope) -> Actor:
    if user.is_enterprise:
        raise ApiError(403, "only analysts change runs and batches")
    return Actor(user.username, user.region_code)


def _token(request: Request, csrf: str | None) -> None:
    check_csrf(request, csrf or request.headers.get("x-csrf-token", ""))


def workbook_path(request: Request, run_id: int) -> Path:
    root: Path = request.app.state.workspace
    return root / "reports" / "published" / f"亩均评价_run{run_id}.xlsx"


@router.post("/api/permu/runs", **submitted("the new run's page", 409))
def create_run(
    request: Request, user: User, spec: Annotated[str, Form(min_length=1)],
    year: Annotated[int, Form(ge=1949, le=2100)], csrf: Annotated[str | None, Form()] = None,
) -> Response:  # fmt: skip
    """Run a packaged method for a year (a new draft run), as a job: its outcome is the run's
    page; when the warehouse lacks the data the run needs, the job fails (`run_refused`)."""
    _token(request, csrf)
    actor = analyst(user)
    if spec not in packaged_methods():
        raise ApiError(404, f"unknown spec {spec!r}")
    method = load_method(spec)
    if not user.allows_region(method.region):  # a county runs its county, not the city
        raise ApiError(403, f"spec {spec} covers {method.region}, beyond your region")
    cache = request.app.state.cache

    def work(ctx: JobContext) -> dict[str, Any]:
        ctx.progress(0.1, f"计算亩均评价：{method.name} {year} 年")
        try:
            with ctx.writing():
                run = run_permu(ctx.ws.con, method, year, actor.username)
        except RunError as exc:  # the warehouse lacks the data the run needs
            raise JobError("run_refused", f"评价未运行：{exc}") from None
        cache.invalidate(actor.username)
        return {"url": f"/runs/{run.run_id}", "run_id": run.run_id}

    key = ("permu.run", spec, year)  # a second click while it runs: 409 job_running
    return answer(request, submit(request, user, "permu.run", work, key))


@router.post("/api/permu/runs/{run_id}/{action:move}", **submitted("the run's page", 403, 409))
def run_action(
    request: Request, run_id: RunId, action: Move, user: User,
    note: Annotated[str | None, Form()] = None, csrf: Annotated[str | None, Form()] = None,
) -> Response:  # fmt: skip
    """submit, approve, reject (with a note) or publish a run of any engine (answers with the
    run's page); publishing then writes and records its files in a job (reports/; answers with
    the job)."""
    _token(request, csrf)
    api_runs.run_in_scope(request, user, run_id)
    con = request.app.state.con
    with writer(request):  # NotAllowed: 403, WorkflowError: 409
        after = move(con, run_id, action, analyst(user), note)
    request.app.state.cache.invalidate(user.username)
    if after != "published":
        return RedirectResponse(f"/runs/{run_id}", status_code=303)
    root, username = request.app.state.workspace, user.username

    def work(ctx: JobContext) -> dict[str, Any]:
        ctx.progress(0.1, f"生成运行 {run_id} 的发布文件")
        with ctx.writing():
            files = write(ctx.ws.con, root, load_run(ctx.ws.con, run_id), username)
        return {"url": f"/runs/{run_id}", "run_id": run_id, "files": [f["path"] for f in files]}

    key = ("permu.publish", run_id)
    return answer(request, submit(request, user, "permu.publish", work, key))


@router.get("/runs/{run_id}/workbook.xlsx", include_in_schema=False)
def run_workbook(request: Request, run_id: RunId, user: User) -> Response:
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
        write_lists(con, load_run(con, run_id), path, user.inside())
    return path
