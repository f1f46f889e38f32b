"""One JSON error shape for the whole API: {"error": {"status", "code", "message", "detail"}}.

`code` is a stable machine name (not_found, forbidden, unauthenticated, invalid_request,
csrf_failed, internal_error); `message` is for people; `detail` is optional structure (e.g. the
fields a request got wrong). A test checks that every error the API returns has this shape.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

LOG = logging.getLogger("industry_brain.web")
CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid_request",
    500: "internal_error",
}


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None, detail: Any = None):
        self.status, self.message, self.detail = status, message, detail
        self.code = code or CODES.get(status, "error")


def error_body(status: int, code: str, message: str, detail: Any = None) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "detail": detail}}


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get(
        "accept", ""
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        if exc.status == 401 and _wants_html(request):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        body = error_body(exc.status, exc.code, exc.message, exc.detail)
        return JSONResponse(body, status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = CODES.get(exc.status_code, "error")
        return JSONResponse(error_body(exc.status_code, code, str(exc.detail)), exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        detail = [{"loc": [str(p) for p in e["loc"]], "message": e["msg"]} for e in exc.errors()]
        body = error_body(422, "invalid_request", "the request is not valid", detail)
        return JSONResponse(body, status_code=422)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        LOG.exception("internal error on %s %s", request.method, request.url.path)
        return JSONResponse(error_body(500, "internal_error", "internal error"), 500)


async def read_limited(upload: Any, limit_mb: float, what: str) -> bytes:
    """An uploaded file's bytes, or 413 when it is larger than the limit: checked first on the
    size the multipart parser recorded, so an oversized file is not read into memory."""

    def too_large(size: int) -> ApiError:
        return ApiError(413, f"{what} is {size / 1048576:.1f} MB; the limit is {limit_mb} MB")

    limit = limit_mb * 1024 * 1024
    if (upload.size or 0) > limit:
        raise too_large(upload.size)
    data: bytes = await upload.read()
    if len(data) > limit:
        raise too_large(len(data))
    return data


class RejectNul:
    """A NUL character in a request's path or query is refused (422) before any handler: the
    warehouse's SQL cannot hold it, and no legitimate input carries one."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and _has_nul(scope):
            body = error_body(422, "invalid_request", "the request contains a NUL character")
            await JSONResponse(body, status_code=422)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _has_nul(scope: Any) -> bool:
    query: bytes = scope.get("query_string", b"")
    return "\x00" in scope.get("path", "") or b"%00" in query.lower() or b"\x00" in query
