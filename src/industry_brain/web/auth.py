"""Log in and out; the current user's scope; CSRF tokens for forms.

Sessions are signed cookies (Starlette's SessionMiddleware: HttpOnly, Secure, SameSite=strict)
holding only the username and a CSRF token; the role and scope are read from the warehouse on
every request, so a changed or removed user takes effect at once.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from industry_brain.web.cache import read
from industry_brain.web.errors import ApiError
from industry_brain.web.scope import Scope
from industry_brain.web.users import get_scope, password_hash, verify_password

router = APIRouter()


def secret_key(workspace: Path) -> str:
    """The workspace's session key, created on first use (0600) and never in the repository."""
    path = workspace / "secret.key"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf(request: Request, token: str) -> None:
    expected = request.session.get("csrf")
    if not expected or not secrets.compare_digest(str(expected).encode(), token.encode()):
        raise ApiError(403, "the form's CSRF token is missing or wrong", "csrf_failed")


async def current(request: Request) -> Scope:
    """The signed-in user's scope, or 401. Async on purpose: the warehouse connection is used
    from the event loop only (a sync dependency would run it in a worker thread)."""
    username = request.session.get("user")
    scope = read(request, get_scope, username) if username else None
    if scope is None:
        raise ApiError(401, "sign in first")
    return scope


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
async def login_page(request: Request, next: str | None = None, failed: int = 0) -> Response:
    templates = request.app.state.templates
    context: dict[str, Any] = {"csrf": csrf_token(request), "next": _safe_next(next)}
    context["failed"] = bool(failed)
    return templates.TemplateResponse(request, "login.html", context)


@router.post("/login", include_in_schema=False)
async def login(
    request: Request,
    username: str = Form(),
    password: str = Form(),
    csrf: str = Form(),
    next: str = Form("/"),
) -> Response:
    check_csrf(request, csrf)
    stored = password_hash(request.app.state.con, username)
    ok = await run_in_threadpool(verify_password, stored, password)  # argon2: CPU, no database
    scope = get_scope(request.app.state.con, username) if ok and stored else None
    if scope is None:
        return RedirectResponse(f"/login?failed=1&next={_safe_next(next)}", status_code=303)
    request.session.clear()
    request.session.update({"user": scope.username, "csrf": secrets.token_urlsafe(32)})
    home = f"/enterprise/{scope.uscc}" if scope.is_enterprise else _safe_next(next)
    return RedirectResponse(home, status_code=303)


@router.post("/logout", include_in_schema=False)
async def logout(request: Request, csrf: str = Form()) -> Response:
    check_csrf(request, csrf)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
