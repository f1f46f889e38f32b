"""`serve`: the web dashboard and API; `user add`: a web user with a role and a region scope."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer

from industry_brain.cli.options import WorkspaceOption, open_workspace
from industry_brain.web.scope import ROLES

app = typer.Typer(help="Web users.", no_args_is_help=True)
DEMO_USER = "demo"


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workspace: WorkspaceOption = None,
) -> None:
    """Serve the dashboard and the JSON API (offline: every asset comes from the package).

    While it runs, read-only commands on the workspace go through it (<workspace>/server.json)."""
    from industry_brain.cli.serving import serve as run
    from industry_brain.web.app import create_app

    ws = open_workspace(workspace)
    run(create_app(ws), ws.path, host, port)


@app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="One of: " + ", ".join(ROLES) + ".")],
    region: Annotated[str, typer.Option(help="Region code of the scope, e.g. 331003.")],
    uscc: Annotated[str | None, typer.Option(help="Enterprise users: 统一社会信用代码.")] = None,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Add a web user (the password is stored as an argon2 hash)."""
    from industry_brain.web.users import UserError, add_user

    ws = open_workspace(workspace)
    try:
        add_user(ws.con, username, password, role, region, uscc)
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"user {username} added ({ROLES[role]}, {region})")


def demo_account(con: object) -> str:
    """(Re)create the city-level demo user with a fresh random password; returns the password."""
    from industry_brain.web.users import add_user

    password = secrets.token_urlsafe(9)
    con.raw_sql(f"DELETE FROM app_user WHERE username = '{DEMO_USER}'")  # type: ignore[attr-defined]
    add_user(con, DEMO_USER, password, "city", "331000", display_name="演示账号")
    return password
