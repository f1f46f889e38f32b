"""Every command opens its workspace here: the warehouse locally, or through the running server.

DuckDB lets one process open the warehouse file and refuses every other, even read-only. So:

- a writing command (`ingest`, `user add`, `evaluate permu`, `serve`, …) calls
  `open_workspace`: it waits `lock_wait_seconds` for the file and then prints one line saying
  who holds it (the running server, or another process) and exits 1;
- a read-only command (`status`, `validate`, `audit verify`, `explain`, `evaluate whatif`,
  `appeal list`, `monitor`) asks its questions (`readonly.READERS`) through `reading`: of
  its own connection, or, when the file is held by the server announced in
  `<workspace>/server.json`, of that server's bridge (`web/bridge.py`) over loopback HTTP with
  the file's token. The answers are the same data, so the command prints the same thing.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

from industry_brain.cli.serving import ServerInfo, running
from industry_brain.readonly import READERS, TOKEN_HEADER, Refusal
from industry_brain.workspace import Workspace

LOCKED = "Could not set lock on file"  # DuckDB: "… Conflicting lock is held in … (PID 123)"
HOLDER_PID = re.compile(r"\(PID (\d+)\)")
POLL_SECONDS = 0.2


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds the warehouse: the announced server, or another process (pid when known)."""

    pid: int | None
    server: ServerInfo | None = None


def _workspace(path: Path | None) -> Workspace:
    ws = Workspace(path)  # SettingsError: said by cli/errors.py
    running(ws.path)  # a stale server.json (its process gone) is removed
    return ws


def _try_open(ws: Workspace) -> Holder | None:
    """Open the warehouse; None when done, else who holds it."""
    try:
        ws.con  # noqa: B018 (opens and migrates the warehouse)
    except Exception as exc:
        if LOCKED not in str(exc):
            raise
        found = HOLDER_PID.search(str(exc))
        pid = int(found.group(1)) if found else None
        server = running(ws.path)
        if server is not None and pid in (None, server.pid):
            return Holder(server.pid, server)
        return Holder(pid)
    return None


def _wait(ws: Workspace, until_server: bool) -> Holder | None:
    """Try to open the warehouse for `lock_wait_seconds`; who holds it when that fails. With
    `until_server`, stop at once when the holder is the running server (a read-only command
    will ask it instead)."""
    deadline = time.monotonic() + float(ws.settings["lock_wait_seconds"])
    while True:
        holder = _try_open(ws)
        if holder is None or (until_server and holder.server is not None):
            return holder
        left = deadline - time.monotonic()
        if left <= 0:
            return holder
        time.sleep(min(POLL_SECONDS, left))


def busy_line(workspace: Path, holder: Holder, problem: str = "") -> str:
    """One line, in Chinese, on who holds the workspace and what to do."""
    if holder.server is not None:
        where = f"（进程 {holder.server.pid}，{holder.server.url}）"
        problem = f"{problem}；" if problem else ""
        return (
            f"工作区 {workspace} 正由运行中的服务使用{where}：{problem}"
            "请在网页上操作（导入、用户管理），或停止服务后再运行本命令。"
        )
    who = f"（进程 {holder.pid}）" if holder.pid is not None else ""
    return f"工作区 {workspace} 正由另一进程使用{who}：请等它结束后再运行本命令。"


def _refuse(ws: Workspace, holder: Holder, problem: str = "") -> typer.Exit:
    typer.echo(busy_line(ws.path, holder, problem), err=True)
    return typer.Exit(1)


def open_workspace(path: Path | None) -> Workspace:
    """The workspace with its warehouse open here, for a command that writes (or serves)."""
    ws = _workspace(path)
    holder = _wait(ws, until_server=False)
    if holder is not None:
        raise _refuse(ws, holder)
    return ws


class Reading:
    """Questions of a workspace (`readonly.READERS`), asked of the local warehouse or of the
    running server's bridge. A command's own error (Refusal) ends the command the same way
    in both cases: its message on stderr and its exit code."""

    def __init__(self, ws: Workspace, server: ServerInfo | None):
        self.ws, self.server = ws, server

    @property
    def path(self) -> Path:
        return self.ws.path

    def __call__(self, question: str, **params: Any) -> Any:
        try:
            if self.server is None:
                return READERS[question](self.ws, **params)
            return self._ask(self.server, question, params)
        except Refusal as exc:
            typer.echo(exc.message, err=True)
            raise typer.Exit(exc.exit_code) from None

    def _ask(self, server: ServerInfo, question: str, params: dict[str, Any]) -> Any:
        holder = Holder(server.pid, server)
        if server.local_host is None:
            raise _refuse(self.ws, holder, "该服务不在本机回环地址上监听，命令行无法经由它读取")
        request = urllib.request.Request(
            server.bridge_url(question),
            data=json.dumps(params, ensure_ascii=False).encode(),
            headers={TOKEN_HEADER: server.token, "Content-Type": "application/json"},
            method="POST",
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
        timeout = float(self.ws.settings["bridge_timeout_seconds"])
        try:
            with opener.open(request, timeout=timeout) as response:
                body = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise _refuse(self.ws, holder, f"经由该服务读取失败（HTTP {exc.code}）") from None
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise _refuse(self.ws, holder, f"经由该服务读取失败（{reason}）") from None
        if "refused" in body:
            raise Refusal(body["refused"]["message"], int(body["refused"]["exit_code"]))
        return body["result"]

    def close(self) -> None:
        self.ws.close()


@contextmanager
def reading(path: Path | None) -> Iterator[Reading]:
    """For a read-only command: the warehouse here, or the running server that holds it."""
    ws = _workspace(path)
    holder = _wait(ws, until_server=True)
    if holder is not None and holder.server is None:
        raise _refuse(ws, holder)
    read = Reading(ws, holder.server if holder is not None else None)
    try:
        yield read
    finally:
        read.close()
