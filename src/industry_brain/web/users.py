"""Web users: argon2-hashed passwords, a role and a region scope (never a password in clear)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from industry_brain.reference.regions import regions
from industry_brain.warehouse import transaction
from industry_brain.web.scope import ROLES, Scope

HASHER = PasswordHasher()
MIN_PASSWORD = 8


class UserError(ValueError):
    pass


def add_user(
    con: Any,
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
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password needs at least {MIN_PASSWORD} characters")
    if region_code not in regions():
        raise UserError(f"unknown region code {region_code!r}")
    if (role == "enterprise") != (uscc is not None):
        raise UserError("an enterprise user needs --uscc, and only an enterprise user has one")
    t = con.table("app_user")
    if t.filter(t.username == username).count().to_pyarrow().as_py():
        raise UserError(f"user {username!r} exists")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    row: dict[str, Any] = {"username": username, "password_hash": HASHER.hash(password)}
    row |= {"role": role}
    row |= {"region_code": region_code, "uscc": uscc, "display_name": display_name}
    row |= {"created_at": now}
    schema = {"uscc": pl.Utf8, "display_name": pl.Utf8}
    with transaction(con):
        con.insert("app_user", pl.DataFrame([row], schema_overrides=schema))
    return Scope(username, role, region_code, uscc)  # type: ignore[arg-type]


DUMMY_HASH = HASHER.hash("timing-equaliser")


def password_hash(con: Any, username: str) -> str | None:
    t = con.table("app_user")
    rows = t.filter(t.username == username).select("password_hash").to_pyarrow().to_pylist()
    return rows[0]["password_hash"] if rows else None


def verify_password(stored: str | None, password: str) -> bool:
    """argon2 check; an unknown user costs the same time as a wrong password."""
    try:
        return bool(HASHER.verify(stored or DUMMY_HASH, password)) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def authenticate(con: Any, username: str, password: str) -> Scope | None:
    """The user's scope when the password is right; None otherwise (same answer either way)."""
    if not verify_password(password_hash(con, username), password):
        return None
    return get_scope(con, username)


def get_scope(con: Any, username: str) -> Scope | None:
    t = con.table("app_user")
    rows = t.filter(t.username == username).to_pyarrow().to_pylist()
    if not rows:
        return None
    r = rows[0]
    return Scope(r["username"], r["role"], r["region_code"], r["uscc"])
