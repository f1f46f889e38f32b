"""User administration, shared by the web page (`web/admin_users.py`) and `industry-brain user`.

Who administers: a `city` or `province` analyst, for the users whose region lies inside theirs
(a city: its own and its counties' users; a province: all of its cities and counties). A county
analyst or an enterprise administers no one. An administrator may not disable or reset the
password of their own account here. Every change is audited (user.add, user.disable,
user.enable, user.reset_password) in the transaction that makes it; the command line acts as
the operating-system user (`cli:<name>`) over every region.
"""

from __future__ import annotations

from typing import Any

from industry_brain.reference.regions import Region, contains, county_of, regions
from industry_brain.warehouse import fetch, transaction
from industry_brain.warehouse.audit import record
from industry_brain.warehouse.warehouse import Warehouse
from industry_brain.web.scope import ROLES, Scope
from industry_brain.web.users import UserError, add_user, list_users, set_disabled, set_password

ADMIN_ROLES = ("province", "city")
ANALYST_ROLES = ("province", "city", "county")
LONGEST = 1024  # sign-in reads at most this many characters of a password
LEVEL_NAMES = {"province": "省", "city": "市", "county": "县（市、区）", "park": "园区"}


class NotInScope(LookupError):
    """No such user inside the administrator's region (the same answer for one that exists
    elsewhere, so names of other regions are not revealed)."""

    def __init__(self, username: str):
        super().__init__(f"用户 {username} 不存在或不在您的管理范围内")
        self.message = str(self)


def administers(user: Scope | None) -> bool:
    """Whether this user may administer users (of their region)."""
    return user is not None and user.role in ADMIN_ROLES


def region_choices(region_code: str) -> list[Region]:
    """The regions an administrator may give a new user: theirs and every one below it."""
    tree = regions()
    return [tree.get(region_code), *tree.descendants(region_code)]


def _enterprise_names(con: Warehouse, usccs: list[str]) -> dict[str, str]:
    if not usccs:
        return {}
    marks = ", ".join("?" for _ in usccs)
    rows = fetch(con, f"SELECT uscc, name FROM enterprise WHERE uscc IN ({marks})", usccs)
    return {r["uscc"]: r["name"] for r in rows}


def accounts(con: Warehouse, region_code: str | None) -> list[dict[str, Any]]:
    """The users inside a region (every user for None), with their role's, region's and
    enterprise's names and whether they are disabled."""
    rows = list_users(con, region_code or "")
    names = _enterprise_names(con, sorted({r["uscc"] for r in rows if r["uscc"]}))
    tree = regions()
    for r in rows:
        code = r["region_code"]
        r["role_name"] = ROLES.get(r["role"], r["role"])
        r["region_name"] = tree.get(county_of(code)).name if county_of(code) in tree else code
        r["enterprise_name"] = names.get(r["uscc"] or "")
        r["disabled"] = r["disabled_at"] is not None
    return rows


def find(con: Warehouse, region_code: str | None, username: str) -> dict[str, Any]:
    """One user inside the region, or NotInScope."""
    rows = fetch(con, "SELECT * FROM app_user WHERE username = ?", [username[:64]])
    if not rows or (region_code is not None and not contains(region_code, rows[0]["region_code"])):
        raise NotInScope(username)
    found: dict[str, Any] = rows[0]
    return found


def _check_length(password: str) -> None:
    if len(password) > LONGEST:
        raise UserError(f"密码不能超过 {LONGEST} 个字符")


def _check_new(region_code: str | None, username: str, role: str, region: str) -> None:
    if role not in ROLES:
        raise UserError(f"未知角色「{role}」")
    if region not in regions() or (region_code is not None and not contains(region_code, region)):
        raise UserError(f"地区 {region} 不在您的管理范围内")
    level = regions().get(region).level
    if role in ANALYST_ROLES and level != role:
        wrong = f"{region} 是{LEVEL_NAMES[level]}级"
        raise UserError(f"{ROLES[role]}的地区须为{LEVEL_NAMES[role]}级（{wrong}）")


def create(
    con: Warehouse, actor: str, region_code: str | None, username: str, password: str, role: str,
    region: str, uscc: str | None = None,
) -> None:  # fmt: skip
    """Add a user inside the administrator's region (an analyst at its own level)."""
    _check_new(region_code, username, role, region)
    _check_length(password)
    if role == "enterprise" and not uscc:
        raise UserError("企业用户须填写统一社会信用代码")
    if role != "enterprise" and uscc:
        raise UserError("只有企业用户填写统一社会信用代码")
    if fetch(con, "SELECT 1 AS x FROM app_user WHERE username = ?", [username]):
        raise UserError(f"用户名 {username} 已被使用")
    with transaction(con):
        add_user(con, username, password, role, region, uscc)
        record(con, actor, "user.add", "app_user", username, region, role=role, uscc=uscc)


def set_status(
    con: Warehouse, actor: str, region_code: str | None, username: str, off: bool
) -> int | None:
    """Disable (ending every session) or enable a user: how many sessions ended; None when the
    user already was so (nothing changed, nothing audited)."""
    found = find(con, region_code, username)
    if off and username == actor:
        raise UserError("不能停用自己的账号")
    if (found["disabled_at"] is not None) == off:
        return None
    with transaction(con):
        ended = set_disabled(con, username, off)
        action = "user.disable" if off else "user.enable"
        record(con, actor, action, "app_user", username, found["region_code"], sessions=ended)
    return ended


def reset_password(
    con: Warehouse, actor: str, region_code: str | None, username: str, password: str
) -> int:
    """A new password (by the rule) for a user; every session of theirs ends. How many."""
    found = find(con, region_code, username)
    if username == actor:
        raise UserError("不能在此重置自己的密码")
    _check_length(password)
    with transaction(con):
        ended = set_password(con, username, password)
        where = found["region_code"]
        record(con, actor, "user.reset_password", "app_user", username, where, sessions=ended)
    return ended
