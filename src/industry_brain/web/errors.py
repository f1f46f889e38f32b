"""Every error answer of the web, in one place: a `BrainError` (industry_brain/errors.py), an
HTTP error or an invalid request is answered here, by `answer()`.

- On /api (and to any client that does not ask for HTML): one JSON shape,
  {"error": {"status", "code", "message", "detail"}}. `code` is the error's stable machine name
  (the generic not_found, forbidden, unauthenticated, invalid_request, csrf_failed,
  internal_error, or a BrainError subclass's own, e.g. run_refused); `message` is for people,
  in Chinese (the error's title, then the technical reason); `detail` is optional structure
  (e.g. the fields a request got wrong). A test checks that every error the API returns has
  this shape.
- To a browser (a page, or a form posted to /api): a Chinese error page with the code and a
  link back to the page the form was on; 401 sends it to the login page instead.

The OpenAPI schema documents these answers too: `API_ERRORS` (401, 403, 404, 422 with the
`ErrorBody` model) is given to the application, so every operation in the schema lists them, and
`responses(...)` adds the ones a route alone gives (409, 413). A 405 names, in `Allow`, every
method the path accepts.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from industry_brain.errors import BrainError
from industry_brain.web.headers import HEADERS

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
TITLES = {
    400: "请求无法读取",
    401: "请先登录",
    403: "无权访问",
    404: "未找到",
    405: "不支持该请求方式",
    409: "当前状态不允许此操作",
    413: "文件过大",
    422: "输入有误",
    500: "服务器内部错误",
}

HINTS = {  # what a refused page tells its reader, in Chinese (the technical detail is folded)
    400: "请求内容无法读取，请返回上一页重新操作。",
    403: "该页面超出了您账号的查看或操作范围：每个账号只能查看本辖区及下级地区的数据。"
    "如需更大范围，请联系本单位的系统管理员。",
    404: "没有找到您要的页面或记录：它可能已被删除，或链接地址有误。",
    405: "该页面不支持这种操作方式，请从页面上的按钮进入。",
    409: "当前状态不允许此操作（例如评价已提交、已审核或已发布，或有任务正在进行）。"
    "请返回刷新后查看最新状态。",
    413: "上传的文件超过了大小限制，请拆分后再上传。",
    422: "提交的内容有误，请返回检查后重试。",
    500: "服务器处理时出现问题，已自动记录。请稍后重试；如反复出现，请联系系统管理员。",
}


class ApiError(BrainError):
    """A refusal decided by a route itself (not found, outside the user's scope, …): its status,
    code and title are those of the status (`CODES`, `TITLES`) unless a code is given."""

    generic = True  # listed in the catalogue by status, not as one code

    def __init__(self, status: int, message: str, code: str | None = None, detail: Any = None):
        super().__init__(message, data=detail)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.title = TITLES.get(status, BrainError.title)


def error_body(status: int, code: str, message: str, detail: Any = None) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "detail": detail}}


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    detail: Any


class ErrorBody(BaseModel):
    """Every error answer of the API: `{"error": {"status", "code", "message", "detail"}}`."""

    error: ErrorDetail


WHY = {
    400: "The request body could not be read.",
    401: "Not signed in (or the session ended).",
    403: "Outside the user's scope or role, or the CSRF token is missing or wrong.",
    404: "No such resource (or none stored yet).",
    409: "The resource's state does not allow this change.",
    413: "The upload is larger than the limit.",
    422: "A parameter or field is not valid.",
}


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for error answers: the ErrorBody model, why it happens."""
    return {s: {"model": ErrorBody, "description": WHY[s]} for s in statuses}


API_ERRORS = responses(401, 403, 404, 422)


def _leaf_routes(routes: Any) -> Any:
    for route in routes:
        inner = getattr(route, "original_router", None)  # FastAPI keeps included routers whole
        yield from _leaf_routes(inner.routes) if inner is not None else [route]


def allowed_methods(request: Request) -> str:
    """The methods any route of the application accepts on this request's path."""
    methods: set[str] = set()
    for route in _leaf_routes(request.app.router.routes):
        regex, route_methods = getattr(route, "path_regex", None), getattr(route, "methods", None)
        if regex is not None and route_methods and regex.match(request.url.path):
            methods |= set(route_methods)
    return ", ".join(sorted(methods))


FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _form_post(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return request.method == "POST" and kind.startswith(FORMS)


def _wants_html(request: Request) -> bool:
    """A browser showing the answer as a page: a page's URL, or a form posted to /api."""
    if "text/html" not in request.headers.get("accept", "") or "hx-request" in request.headers:
        return False
    return not request.url.path.startswith("/api") or _form_post(request)


def _back(request: Request) -> str:
    """The page the request came from (this site's only), else the home page."""
    came = urlsplit(request.headers.get("referer", ""))
    if came.netloc != request.url.netloc or not came.path.startswith("/"):
        return "/"
    return came.path + (f"?{came.query}" if came.query else "")


def answer(request: Request, exc: BrainError, headers: dict[str, str] | None = None) -> Response:
    """The one answer to an error: JSON for the API, a Chinese page for a browser."""
    level = logging.INFO if exc.status < 500 else logging.ERROR  # the technical detail, logged
    LOG.log(level, "%s %s: %s (%s)", request.method, request.url.path, exc.code, exc.detail)
    if not _wants_html(request):
        body = error_body(exc.status, exc.code, exc.message, exc.data)
        return JSONResponse(body, status_code=exc.status, headers=headers)
    if exc.status == 401:
        after = _back(request) if _form_post(request) else request.url.path
        return RedirectResponse(f"/login?next={quote(after)}", status_code=303)
    said = getattr(exc, "_message", None)  # an error raised with its own Chinese message
    hint = said or HINTS.get(exc.status, HINTS[500] if exc.status >= 500 else HINTS[400])
    page = {"error": exc, "hint": hint, "back": _back(request), "user": None}
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", page, exc.status, headers)


def install(app: FastAPI) -> None:
    _document_nul_refusal(app)

    @app.exception_handler(BrainError)
    async def brain_error(request: Request, exc: BrainError) -> Response:
        return answer(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # Starlette's Allow names the first matching route's only
            headers["Allow"] = allowed_methods(request) or headers.get("Allow", "")
        return answer(request, ApiError(exc.status_code, str(exc.detail)), headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        detail = [{"loc": [str(p) for p in e["loc"]], "message": e["msg"]} for e in exc.errors()]
        return answer(request, ApiError(422, "the request is not valid", detail=detail))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        LOG.exception("internal error on %s %s", request.method, request.url.path)
        # answered by Starlette's outermost middleware, outside SecurityHeaders: add them here
        headers = {name.decode(): value.decode() for name, value in HEADERS}
        body = error_body(500, "internal_error", f"{TITLES[500]}：internal error")
        return JSONResponse(body, 500, headers)


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


NO_NUL = "^[^\\u0000]*$"


def _document_nul_refusal(app: FastAPI) -> None:
    """The OpenAPI schema says what RejectNul refuses: a string in a path or query parameter
    carries no NUL (a `pattern`, unless the parameter has a stricter one)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for parameter in operation.get("parameters", []):
                    if parameter.get("in") in ("path", "query"):
                        _no_nul(parameter.get("schema", {}))
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _no_nul(schema: dict[str, Any]) -> None:
    for option in schema.get("anyOf", []):
        _no_nul(option)
    if schema.get("type") == "string" and "pattern" not in schema and "enum" not in schema:
        schema["pattern"] = NO_NUL


def _has_nul(scope: Any) -> bool:
    query: bytes = scope.get("query_string", b"")
    return "\x00" in scope.get("path", "") or b"%00" in query.lower() or b"\x00" in query
