"""`user add | list | disable | enable | reset-password`: web users at the terminal.

The command line acts over every region, as the operating-system user (`cli:<name>` in the
audit log). `user list` is read-only and goes through a running server; the others write and
wait for the workspace (`cli/access.py`). An unknown user, a password the rule refuses or a bad
region ends with one line on stderr and exit 2.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Column, Table

from industry_brain.cli.options import JsonOption, WorkspaceOption, open_workspace, reading
from industry_brain.reference.regions import regions
from industry_brain.web.scope import ROLES

app = typer.Typer(help="Web users.", no_args_is_help=True)
Name = Annotated[str, typer.Argument(help="Login name.")]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"错误：{message}", err=True)
    return typer.Exit(2)


@app.command("add")
def add(
    username: Name,
    role: Annotated[str, typer.Option(help="One of: " + ", ".join(ROLES) + ".")],
    region: Annotated[str, typer.Option(help="Region code of the scope, e.g. 331003.")],
    uscc: Annotated[str | None, typer.Option(help="Enterprise users: 统一社会信用代码.")] = None,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Add a web user (argon2-hashed password; audited): the same rules as the web page (the
    password rule, an analyst at its own level, an enterprise account for an enterprise of its
    region)."""
    from industry_brain.warehouse.audit import system_actor
    from industry_brain.web import accounts
    from industry_brain.web.users import UserError

    ws = open_workspace(workspace)
    try:
        accounts.create(ws.con, system_actor(), None, username, password, role, region, uscc)
    except UserError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"已添加用户 {username}（{ROLES.get(role, role)}，{region}）")


@app.command("list")
def list_(
    region: Annotated[
        str | None, typer.Option(help="Only the users inside this region, e.g. 331000.")
    ] = None,
    workspace: WorkspaceOption = None,
    as_json: JsonOption = False,
) -> None:
    """The web users (of a region and the regions below it), by name."""
    with reading(workspace) as read:
        rows = read("user-list", region=region)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(
        Column("用户名", no_wrap=True), "角色", "区域", "企业", Column("状态", no_wrap=True)
    )
    table.add_column("创建时间")
    table.add_column("最近改密")
    where = regions().get(region).name if region else "全部地区"
    table.title = f"用户（{where}，{len(rows)} 个）"
    for r in rows:
        firm = r["enterprise_name"] or r["uscc"] or ""
        status = "已停用" if r["disabled"] else "正常"
        when = [(r[k] or "")[:16] for k in ("created_at", "password_changed_at")]
        table.add_row(r["username"], r["role_name"], r["region_name"], firm, status, *when)
    Console().print(table)


def _set_status(username: str, off: bool, workspace: WorkspaceOption) -> int | None:
    from industry_brain.warehouse.audit import system_actor
    from industry_brain.web.accounts import NotInScope, set_status

    ws = open_workspace(workspace)
    try:
        return set_status(ws.con, system_actor(), None, username, off)
    except NotInScope:
        raise _fail(f"没有用户 {username}") from None
    finally:
        ws.close()


@app.command("disable")
def disable(username: Name, workspace: WorkspaceOption = None) -> None:
    """Disable a user: they can no longer sign in, and their sessions end at once."""
    ended = _set_status(username, True, workspace)
    if ended is None:
        typer.echo(f"用户 {username} 已是停用状态，未作改动")
    else:
        typer.echo(f"已停用用户 {username}，结束其登录 {ended} 个")


@app.command("enable")
def enable(username: Name, workspace: WorkspaceOption = None) -> None:
    """Enable a disabled user again."""
    changed = _set_status(username, False, workspace) is not None
    typer.echo(f"已启用用户 {username}" if changed else f"用户 {username} 已是正常状态，未作改动")


@app.command("reset-password")
def reset_password(
    username: Name,
    password: Annotated[
        str | None, typer.Option(help="The new password (asked for when not given).")
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Set a new password (by the password rule); every session of the user ends."""
    from industry_brain.warehouse.audit import system_actor
    from industry_brain.web import accounts
    from industry_brain.web.users import UserError

    ws = open_workspace(workspace)
    try:
        accounts.find(ws.con, None, username)
        if password is None:
            password = typer.prompt("新密码", hide_input=True, confirmation_prompt=True)
        ended = accounts.reset_password(ws.con, system_actor(), None, username, password)
    except accounts.NotInScope:
        raise _fail(f"没有用户 {username}") from None
    except UserError as exc:
        raise _fail(f"密码未被接受：{exc}") from None
    finally:
        ws.close()
    typer.echo(f"已重置用户 {username} 的密码，结束其登录 {ended} 个")
