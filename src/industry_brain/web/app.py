"""The web application: `create_app(workspace)` → FastAPI with the API, the pages and the assets.

Everything it serves comes from the package (templates, CSS, ECharts, HTMX, the county
GeoJSON): it runs on an intranet without internet access.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import anyio
from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from industry_brain.jobs.runner import Runner
from industry_brain.web import (
    accounts,
    actions,
    admin_users,
    api,
    api_runs,
    appeals,
    auth,
    bridge,
    chains,
    errors,
    format,
    headers,
    import_fixes,
    import_jobs,
    imports,
    jobs,
    pages,
    plans,
    search,
    uploads,
    withdrawals,
)
from industry_brain.web.cache import DataCache
from industry_brain.web.threads import AppState, ThreadCon
from industry_brain.web.throttle import Throttle
from industry_brain.workspace import Workspace

WEB = Path(str(resources.files("industry_brain.web")))


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """While the server runs: the job worker is started at once (the first upload does not wait
    for it); at the end the job runner and the worker stop (queued jobs are interrupted at the
    next start; the pool starts again if another app of the process needs it)."""
    runner: Runner = app.state.jobs
    await anyio.to_thread.run_sync(runner.pool.warm)
    try:
        yield
    finally:
        await anyio.to_thread.run_sync(runner.close)
        await anyio.to_thread.run_sync(runner.pool.close)  # no worker outlives the server


def create_app(ws: Workspace) -> FastAPI:
    app = FastAPI(
        lifespan=lifespan,
        title="Industry Brain 产业大脑",
        version="0.1.0",
        docs_url=None,  # Swagger UI would load from a CDN; the schema is at /api/openapi.json
        redoc_url=None,
        openapi_url="/api/openapi.json",
        responses=errors.API_ERRORS,  # every API operation documents its JSON error answers
    )
    app.state = AppState()
    app.state.use(ws.con, ws.opener)  # app.state.con: a cursor or connection per thread
    app.state.workspace = ws.path
    app.state.ws = ws
    app.state.cache = DataCache(ThreadCon(app.state))
    app.state.jobs = Runner(ws)  # jobs a stopped app process left unfinished: interrupted
    app.state.throttle = Throttle()
    uploads.clear_old(ws.path)  # uploads nobody loaded or cancelled within a day
    plans.clear_old_drafts(ws.path)  # plan imports nobody confirmed within a day
    import_jobs.release_all(ws.path)  # uploads of jobs whose process is gone are free again
    app.state.templates = Jinja2Templates(directory=WEB / "templates")
    format.register(app.state.templates.env, ws.path)  # num, pct, region_name, … (format.py)
    app.state.templates.env.globals["administers"] = accounts.administers
    app.add_middleware(
        SessionMiddleware,
        secret_key=auth.secret_key(ws.path),
        session_cookie="ib_session",
        same_site="strict",
        https_only=bool(ws.settings["cookie_secure"]),
        max_age=8 * 3600,
    )
    errors.install(app)
    app.add_middleware(errors.RejectNul)
    app.add_middleware(headers.SecurityHeaders)  # outermost: on every answer, NUL refusals too
    app.include_router(auth.router)
    app.include_router(api.router)
    app.include_router(api_runs.router)
    app.include_router(bridge.router)
    app.include_router(actions.router)
    app.include_router(withdrawals.router)
    app.include_router(import_fixes.router)
    app.include_router(imports.router)
    app.include_router(jobs.router)
    app.include_router(appeals.router)
    app.include_router(admin_users.router)
    app.include_router(plans.router)  # before pages: /monitoring/import is not a plan
    app.include_router(chains.router)
    app.include_router(search.router)
    app.include_router(pages.router)
    app.add_api_route("/favicon.ico", favicon, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    _build_routes(app)
    return app


def _build_routes(app: FastAPI) -> None:
    """Have FastAPI build every route's state now, not on the loop at its first request.

    FastAPI builds an included router's routes (their dependencies, parameter models) the first
    time a request is matched against them: about 130 ms of CPU on the event loop, during which
    nobody is answered. A path that matches nothing is tried against every route, so asking for
    one builds them all here, before the server takes a request. The OpenAPI schema, built at
    its first request too (about 70 ms), is built here as well."""
    scope = {"type": "http", "method": "GET", "path": "/\u2400", "root_path": "", "headers": []}
    for route in app.router.routes:
        route.matches(scope)
    app.openapi()


def favicon() -> FileResponse:
    """Browsers ask for /favicon.ico whatever the page links: the SVG icon (no sign-in needed)."""
    headers = {"cache-control": "public, max-age=86400"}
    return FileResponse(WEB / "static" / "favicon.svg", media_type="image/svg+xml", headers=headers)
