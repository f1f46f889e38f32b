"""Log in and out; the current user's scope; CSRF tokens for forms.

The signed cookie (Starlette's SessionMiddleware: HttpOnly, Secure, SameSite=strict) holds only
a random session id once signed in (before that, the login form's CSRF token); the session's
record — user, CSRF token, last use — is kept server-side (web/sessions.py), so logging out, a
password change or a disabled user ends it at once. The role and scope are read from the
warehouse on every request. Sign-ins are throttled per account and per address (throttle.py).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from industry_brain.warehouse.audit import record
from industry_brain.web import sessions
from industry_brain.web.cache import read
from industry_brain.web.errors import ApiError
from industry_brain.web.scope import Scope
from industry_brain.web.threads import writer
from industry_brain.web.users import acceptable_username, get_scope, password_hash, verify_password

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
    """The signed-in session's CSRF token; before sign-in, the login form's (in the cookie)."""
    live = getattr(request.state, "session", None)
    if live is not None:
        return str(live.csrf)
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def check_csrf(request: Request, token: str) -> None:
    expected = csrf_token(request)
    if not secrets.compare_digest(expected.encode(), str(token).encode()):
        raise ApiError(403, "the form's CSRF token is missing or wrong", "csrf_failed")


def _live(request: Request) -> sessions.Session | None:
    sid = request.session.get("sid")
    found = sessions.find(request.app.state.con, str(sid)) if sid else None
    request.state.session = found
    return found


def current(request: Request) -> Scope:
    """The signed-in user's scope, or 401. A sync dependency: FastAPI runs it in its thread
    pool, where `app.state.con` is a cursor of that thread's own (`threads.AppState`)."""
    live = _live(request)
    scope = read(request, get_scope, live.username) if live else None
    if scope is None:
        raise ApiError(401, "sign in first")
    return scope


def _safe_next(target: str | None) -> str:
    ok = target and target.startswith("/") and not target.startswith("//") and len(target) < 500
    return target if ok and target else "/"


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(
    request: Request, next: str | None = None, failed: int = 0, locked: int = 0
) -> Response:
    templates = request.app.state.templates
    context: dict[str, Any] = {"csrf": csrf_token(request), "next": _safe_next(next)}
    context |= {"failed": bool(failed), "locked": max(0, min(locked, 60))}
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
    throttle, client = request.app.state.throttle, _client(request)
    name = username.strip()
    again = f"/login?next={_safe_next(next)}"
    if (left := throttle.locked(name, client)) > 0:
        return RedirectResponse(f"{again}&locked={int(left // 60) + 1}", status_code=303)
    stored = await run_in_threadpool(_stored, request, name)
    async with throttle.verifying:  # argon2 is CPU and memory: a few at a time
        ok = await run_in_threadpool(verify_password, stored, password[:1024])
    scope = await run_in_threadpool(_scope_of, request, name) if ok and stored else None
    if scope is None:
        if throttle.failed(name, client):
            detail = {"client": client, "minutes": throttle.lock // 60}
            await run_in_threadpool(_lockout, request, name, detail)
        return RedirectResponse(f"{again}&failed=1", status_code=303)
    throttle.succeeded(name)
    sid = await run_in_threadpool(_begin, request, scope.username, client)
    request.session.clear()
    request.session["sid"] = sid
    home = f"/enterprise/{scope.uscc}" if scope.is_enterprise else _safe_next(next)
    return RedirectResponse(home, status_code=303)


def _stored(request: Request, name: str) -> str | None:
    return password_hash(request.app.state.con, name) if acceptable_username(name) else None


def _scope_of(request: Request, name: str) -> Scope | None:
    return get_scope(request.app.state.con, name)


def _lockout(request: Request, name: str, detail: dict[str, Any]) -> None:
    with writer(request):
        record(
            request.app.state.con,
            "anonymous",
            "user.lockout",
            "app_user",
            name[:64],
            None,
            **detail,
        )


def _begin(request: Request, username: str, client: str) -> str:
    sid, _ = sessions.begin(request.app.state.con, username, client)
    return sid


@router.post("/logout", include_in_schema=False)
def logout(request: Request, csrf: str = Form()) -> Response:
    _live(request)
    check_csrf(request, csrf)
    if sid := request.session.get("sid"):
        sessions.end(request.app.state.con, str(sid))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
