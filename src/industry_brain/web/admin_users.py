"""User administration in the browser (`/users`) and the API (`GET /api/users`): a city or
province analyst lists the users of their region, adds one, disables or enables one, and sets a
new password they type (by the password rule; nothing is generated or shown back). Every form
carries the session's CSRF token; every change is audited (`web/accounts.py`) and answered by a
redirect to `/users` with a one-time message. Anyone else gets a 403 page; a user outside the
administrator's region, or no such user, a 404 page (the same for both)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import AfterValidator, BaseModel

from industry_brain.web import accounts
from industry_brain.web.auth import check_csrf, current
from industry_brain.web.errors import ApiError
from industry_brain.web.pages import render
from industry_brain.web.scope import ROLES, Scope
from industry_brain.web.threads import writer
from industry_brain.web.users import UserError

router = APIRouter(tags=["users"])
User = Annotated[Scope, Depends(current)]
Text = Annotated[str, Form()]  # the token; a password (its length is checked in Chinese)
Field = Annotated[str, Form(max_length=200)]
STATUS_TEXT = {  # off → (done, already so, not done)
    True: ("已停用用户 {}，其登录已全部结束", "用户 {} 已是停用状态", "未停用用户 {}"),
    False: ("已启用用户 {}", "用户 {} 已是正常状态", "未启用用户 {}"),
}
FLASH = "users_flash"
FORBIDDEN = "只有市级、省级分析员可以管理用户（市级管理本市及所辖县区的用户，省级管理全省的用户）。"


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


Utc = Annotated[dt.datetime, AfterValidator(_utc)]  # the warehouse keeps UTC without a zone


class Account(BaseModel):
    username: str
    role: str
    role_name: str
    region_code: str
    region_name: str
    uscc: str | None
    enterprise_name: str | None
    display_name: str | None
    disabled: bool
    created_at: Utc
    disabled_at: Utc | None
    password_changed_at: Utc | None


class AccountList(BaseModel):
    region_code: str
    users: list[Account]


def _notice(request: Request, user: Scope, status: int, title: str, message: str) -> Response:
    response = render(request, "notice.html", user, title=title, message=message)
    response.status_code = status
    return response


def _forbidden(request: Request, user: Scope) -> Response:
    return _notice(request, user, 403, "无权管理用户", FORBIDDEN)


@router.get("/api/users", response_model=AccountList)
def api_users(request: Request, user: User) -> AccountList:
    """The users inside the administrator's region (city and province analysts only)."""
    if not accounts.administers(user):
        raise ApiError(403, "only city and province analysts administer users")
    rows = accounts.accounts(request.app.state.con, user.region_code)
    return AccountList(region_code=user.region_code, users=[Account(**r) for r in rows])


@router.get("/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(request: Request, user: User) -> Response:
    if not accounts.administers(user):
        return _forbidden(request, user)
    flash = request.session.pop(FLASH, None)
    context: dict[str, Any] = {"flash": flash, "form": (flash or {}).get("form", {})}
    context |= {"rows": accounts.accounts(request.app.state.con, user.region_code)}
    context |= {"regions": accounts.region_choices(user.region_code), "roles": ROLES}
    return render(request, "users.html", user, **context)


def _act(
    request: Request, user: Scope, csrf: str, change: Callable[[], str], failed: str
) -> Response:
    """Check the token and the role, make the change; a message for the next page (on a
    refusal: what was not done, and why)."""
    check_csrf(request, csrf)
    if not accounts.administers(user):
        return _forbidden(request, user)
    try:
        with writer(request):
            text = change()
        request.session[FLASH] = {"ok": True, "text": text}
    except accounts.NotInScope as exc:
        return _notice(request, user, 404, "未找到用户", exc.message)
    except UserError as exc:
        request.session[FLASH] = {"ok": False, "text": f"{failed}：{exc}"}
    request.app.state.cache.invalidate(user.username)
    return RedirectResponse("/users", status_code=303)


@router.post("/users", include_in_schema=False)
def add(
    request: Request, user: User, username: Field = "", role: Field = "", region: Field = "",
    password: Text = "", uscc: Field = "", csrf: Text = "",
) -> Response:  # fmt: skip
    name, code = username.strip(), uscc.strip().upper() or None

    def change() -> str:
        con = request.app.state.con
        accounts.create(con, user.username, user.region_code, name, password, role, region, code)
        return f"已添加用户 {name}（{ROLES[role]}）"

    response = _act(request, user, csrf, change, "未添加用户")
    flash = request.session.get(FLASH)
    if flash and not flash["ok"]:  # the form comes back filled in, except the password
        flash["form"] = {"username": name, "role": role, "region": region, "uscc": code or ""}
    return response


@router.post("/users/{username}/disable", include_in_schema=False)
def disable(request: Request, username: str, user: User, csrf: Text = "") -> Response:
    return _set_status(request, username, user, csrf, off=True)


@router.post("/users/{username}/enable", include_in_schema=False)
def enable(request: Request, username: str, user: User, csrf: Text = "") -> Response:
    return _set_status(request, username, user, csrf, off=False)


def _set_status(request: Request, username: str, user: Scope, csrf: str, off: bool) -> Response:
    """Disable (ending every session) or enable a user, with the message for the next page."""
    done, already, not_done = STATUS_TEXT[off]

    def change() -> str:
        con = request.app.state.con
        if accounts.set_status(con, user.username, user.region_code, username, off) is None:
            return already.format(username)
        return done.format(username)

    return _act(request, user, csrf, change, not_done.format(username))


@router.post("/users/{username}/password", include_in_schema=False)
def reset_password(
    request: Request, username: str, user: User, password: Text = "", csrf: Text = "",
) -> Response:  # fmt: skip
    def change() -> str:
        con = request.app.state.con
        accounts.reset_password(con, user.username, user.region_code, username, password)
        return f"已重置用户 {username} 的密码，其登录已全部结束；请将新密码当面或电话告知本人"

    return _act(request, user, csrf, change, f"未重置用户 {username} 的密码")
