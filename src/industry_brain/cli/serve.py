"""`serve`: the web dashboard and API; the demo account (the `user` commands: `cli/user.py`)."""

from __future__ import annotations

import secrets
from typing import Annotated

import typer

from industry_brain.cli.options import WorkspaceOption, open_workspace
from industry_brain.warehouse.warehouse import Warehouse

DEMO_USER = "demo"


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workspace: WorkspaceOption = None,
) -> None:
    """Serve the dashboard and the JSON API (offline: every asset comes from the package).

    While it runs, read-only commands on the workspace go through it (<workspace>/server.json)."""
    from industry_brain.cli.serving import serve as run
    from industry_brain.engines.permu import warm
    from industry_brain.web.app import create_app

    ws = open_workspace(workspace)
    app = create_app(ws)
    warm.start(ws.con)  # the packaged specs' queries, compiled while the server starts
    run(app, ws.path, host, port)


def demo_account(con: Warehouse) -> str:
    """(Re)create the city-level demo user with a fresh random password; returns the password.
    An existing demo user gets the new password, which ends its sessions."""
    from industry_brain.warehouse import fetch
    from industry_brain.web.users import add_user, set_password

    password = secrets.token_urlsafe(12)
    if fetch(con, "SELECT 1 AS x FROM app_user WHERE username = ?", [DEMO_USER]):
        set_password(con, DEMO_USER, password)
    else:
        add_user(con, DEMO_USER, password, "city", "331000", display_name="演示账号")
    return password
