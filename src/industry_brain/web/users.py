"""Web users: argon2-hashed passwords, a role and a region scope (never a password in clear)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import polars as pl
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from stdnum.cn import uscc as stdnum_uscc

from industry_brain.errors import BrainError
from industry_brain.reference.regions import in_region, region_prefix, regions
from industry_brain.warehouse import execute, fetch, transaction
from industry_brain.warehouse.warehouse import Warehouse
from industry_brain.web import sessions
from industry_brain.web.passwords import problem
from industry_brain.web.scope import ROLES, Scope

HASHER = PasswordHasher()
_NAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}$")


class UserError(BrainError, ValueError):
    code, title, status = "user_refused", "用户信息未被接受", 422


def check_username(name: str) -> None:
    if not _NAME.match(name):
        raise UserError("用户名须为 2–32 个字母、数字、汉字或 _ . -")


def check_password(password: str, username: str) -> None:
    if (why := problem(password, username)) is not None:
        raise UserError(why)


def _check_enterprise(con: Warehouse, uscc: str | None, region_code: str) -> None:
    """An enterprise user's code must be a valid 统一社会信用代码 of an enterprise in the stated
    region (the warehouse's record, else the code's registration authority)."""
    if uscc is None:
        return
    if not stdnum_uscc.is_valid(uscc):
        raise UserError(f"「{uscc}」不是有效的统一社会信用代码")
    rows = fetch(con, "SELECT region_code FROM enterprise WHERE uscc = ?", [uscc])
    where = (rows[0]["region_code"] if rows else None) or uscc[2:8]
    if not in_region(where, region_code):
        raise UserError(f"企业 {uscc} 不在 {region_code} 范围内（所在地 {where}）")


def add_user(
    con: Warehouse,
    username: str,
    password: str,
    role: str,
    region_code: str,
    uscc: str | None = None,
    display_name: str | None = None,
) -> Scope:
    """Create a user; the region must exist and an enterprise user needs its 统一社会信用代码."""
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    check_username(username)
    check_password(password, username)
    if region_code not in regions():
        raise UserError(f"unknown region code {region_code!r}")
    if (role == "enterprise") != (uscc is not None):
        raise UserError("an enterprise user needs --uscc, and only an enterprise user has one")
    _check_enterprise(con, uscc, region_code)
    if fetch(con, "SELECT 1 AS x FROM app_user WHERE username = ?", [username]):
        raise UserError(f"user {username!r} exists")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    row: dict[str, Any] = {"username": username, "password_hash": HASHER.hash(password)}
    row |= {"role": role}
    row |= {"region_code": region_code, "uscc": uscc, "display_name": display_name}
    row |= {"created_at": now, "disabled_at": None, "password_changed_at": now}
    schema: dict[str, pl.DataType] = {
        "uscc": pl.Utf8(),
        "display_name": pl.Utf8(),
        "disabled_at": pl.Datetime("us"),
    }
    with transaction(con):
        con.insert("app_user", pl.DataFrame([row], schema_overrides=schema))
    return Scope(username, role, region_code, uscc)  # type: ignore[arg-type]


def set_password(con: Warehouse, username: str, password: str) -> int:
    """A new password; every session of the user ends. How many sessions ended."""
    check_password(password, username)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with transaction(con):
        sql = "UPDATE app_user SET password_hash = ?, password_changed_at = ? WHERE username = ?"
        execute(con, sql, [HASHER.hash(password), now, username])
        return sessions.end_all(con, username, "password")


def set_disabled(con: Warehouse, username: str, disabled: bool) -> int:
    """Disable (ending every session) or enable a user; how many sessions ended."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0) if disabled else None
    with transaction(con):
        execute(con, "UPDATE app_user SET disabled_at = ? WHERE username = ?", [now, username])
        return sessions.end_all(con, username, "disabled") if disabled else 0


def list_users(con: Warehouse, region_code: str) -> list[dict[str, Any]]:
    """The users whose region lies inside a region (for its administrators)."""
    sql = (
        "SELECT username, role, region_code, uscc, display_name, created_at, disabled_at, "
        "password_changed_at FROM app_user WHERE starts_with(region_code, ?) ORDER BY username"
    )
    return fetch(con, sql, [region_prefix(region_code)])


DUMMY_HASH = HASHER.hash("timing-equaliser")


def password_hash(con: Warehouse, username: str) -> str | None:
    t = con.table("app_user")
    rows = t.filter(t.username == username).select("password_hash").to_pyarrow().to_pylist()
    return rows[0]["password_hash"] if rows else None


def verify_password(stored: str | None, password: str) -> bool:
    """argon2 check; an unknown user costs the same time as a wrong password."""
    try:
        return bool(HASHER.verify(stored or DUMMY_HASH, password)) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def authenticate(con: Warehouse, username: str, password: str) -> Scope | None:
    """The user's scope when the password is right; None otherwise (same answer either way)."""
    if not verify_password(password_hash(con, username), password):
        return None
    return get_scope(con, username)


def acceptable_username(name: str) -> bool:
    """1–64 printable characters: no control characters, no NUL (nothing else is looked up)."""
    return 0 < len(name) <= 64 and name.isprintable()


def get_scope(con: Warehouse, username: str) -> Scope | None:
    """The user's scope; None for an unknown or a disabled user."""
    t = con.table("app_user")
    rows = t.filter((t.username == username) & t.disabled_at.isnull()).to_pyarrow().to_pylist()
    if not rows:
        return None
    r = rows[0]
    return Scope(r["username"], r["role"], r["region_code"], r["uscc"])
