"""Serving a workspace, announced in `<workspace>/server.json`.

DuckDB lets one process open the warehouse and refuses every other, so while the server runs
the command line reaches the warehouse through the server's local bridge (`web/bridge.py`).
`server.json` tells it how: the server's pid, host, port and a random token the bridge asks
for. It is written (mode 0600) once the server listens and removed when the server stops; a
file whose process is gone (the server was killed) is stale: it is ignored and removed.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import secrets
import socket
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from industry_brain.readonly import BRIDGE_PREFIX, SERVER_FILE

TOKEN_BYTES = 32


@dataclass(frozen=True, slots=True)
class ServerInfo:
    pid: int
    host: str
    port: int
    token: str

    @property
    def local_host(self) -> str | None:
        """The loopback address the bridge answers on, or None when the server listens on
        another interface only (the bridge answers loopback clients only)."""
        if self.host in ("", "0.0.0.0"):
            return "127.0.0.1"
        if self.host == "::":
            return "::1"
        if self.host == "localhost":
            return self.host
        try:
            return self.host if ipaddress.ip_address(self.host).is_loopback else None
        except ValueError:
            return None

    @property
    def url(self) -> str:
        """The address to open in a browser on this machine."""
        host = self.local_host or self.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}"

    def bridge_url(self, name: str) -> str:
        return f"{self.url}{BRIDGE_PREFIX}/{name}"


def server_file(workspace: Path) -> Path:
    return workspace / SERVER_FILE


def alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    except OSError:
        return False
    return True


def running(workspace: Path) -> ServerInfo | None:
    """The server announced in server.json, if its process is alive; a stale file is removed."""
    path = server_file(workspace)
    try:
        data = json.loads(path.read_text("utf-8"))
        info = ServerInfo(int(data["pid"]), str(data["host"]), int(data["port"]), data["token"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return None  # unreadable or half-written: not ours to judge, left alone
    if not alive(info.pid):
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    return info


def announce(workspace: Path, info: ServerInfo) -> Path:
    """Write server.json atomically, readable by its owner only."""
    path = server_file(workspace)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, json.dumps(asdict(info)).encode())
    finally:
        os.close(fd)
    os.replace(partial, path)
    return path


def withdraw(workspace: Path, token: str) -> None:
    """Remove server.json if it is still this server's (a newer server may have replaced it)."""
    path = server_file(workspace)
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        if json.loads(path.read_text("utf-8"))["token"] == token:
            path.unlink()


def serve(app: Any, workspace: Path, host: str, port: int) -> None:
    """Run the app with uvicorn; server.json exists while it listens."""
    import uvicorn

    token = secrets.token_urlsafe(TOKEN_BYTES)
    app.state.bridge_token = token

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started and not self.should_exit:
                bound = self.servers[0].sockets[0].getsockname()[1] if self.servers else port
                announce(workspace, ServerInfo(os.getpid(), host, int(bound), token))

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            withdraw(workspace, token)  # first: after SIGTERM uvicorn re-raises the signal
            await super().shutdown(sockets)

    config = uvicorn.Config(app, host=host, port=port, log_level="warning")
    try:
        Server(config).run()
    finally:
        withdraw(workspace, token)
