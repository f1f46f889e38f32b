"""The province installation of docs/deploy.md started from the repository's own files
(deploy/): app workers by the systemd unit's command, nginx by the site's configuration. Only what
a test must change is substituted, each substitution listed here: ports, the certificate, the
app's location, and nginx's own files (pid, logs, temporary files) in a directory of the test's.

As root (a CI container), nginx runs as `nobody`, as PostgreSQL runs as `postgres`
(pg_server.py): the test's nginx is an ordinary unprivileged process either way."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).parents[1]
UNIT = REPO / "deploy" / "systemd" / "industry-brain@.service"
SITE = REPO / "deploy" / "nginx" / "industry-brain.conf"
INIT = REPO / "deploy" / "init-workspace.sh"
BIN = Path(sys.executable).parent  # this environment's: uvicorn, industry-brain
APP_BIN = "/srv/industry-brain/app/.venv/bin/"  # where the unit expects them
PROXY_PARAMS = Path("/etc/nginx/proxy_params")  # Debian's; written below where it is missing
PROXY_LINES = """proxy_set_header Host $host;
proxy_set_header X-Real-IP $remote_addr;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto $scheme;
"""
# Stands in for Debian's /etc/nginx/nginx.conf, which includes the site inside `http`.
MAIN = """daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {d}/access.log;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    include {d}/industry-brain.conf;
}}
"""


def find_nginx() -> str | None:
    found = shutil.which("nginx") or "/usr/sbin/nginx"  # /usr/sbin is not on a user's PATH
    return found if os.access(found, os.X_OK) else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(**settings: str) -> dict[str, str]:
    """This process's environment without its INDUSTRY_BRAIN_ settings, plus `settings`."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith("INDUSTRY_BRAIN_")}
    return kept | settings


def init_workspace(workspace: Path, database_url: str) -> str:
    """deploy/init-workspace.sh run as the docs say; its output (`industry-brain status`)."""
    app_bin = {} if BIN == REPO / ".venv" / "bin" else {"INDUSTRY_BRAIN_BIN": str(BIN)}
    done = subprocess.run(
        [str(INIT), str(workspace), database_url],
        env=environment(**app_bin),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def worker_command(port: int, workspace: Path) -> tuple[list[str], dict[str, str]]:
    """The unit's ExecStart and Environment for the worker on `port` (systemd's %i), with this
    environment's uvicorn and the workspace at `workspace`."""
    lines = UNIT.read_text("utf-8").replace("\\\n", " ").splitlines()
    keys = dict(line.split("=", 1) for line in lines if "=" in line and line[0] != "#")
    name, value = keys["Environment"].split("=", 1)
    assert (name, value) == ("INDUSTRY_BRAIN_WORKSPACE", "/srv/industry-brain/workspace")
    argv = shlex.split(keys["ExecStart"].replace("%i", str(port)))
    assert argv[0].startswith(APP_BIN), argv
    return [str(BIN / argv[0].removeprefix(APP_BIN)), *argv[1:]], environment(
        **{name: str(workspace)}
    )


def site(workers: list[int], listen: int, cert: Path, key: Path) -> str:
    """The shipped site, listening on `listen` in front of two workers."""
    text = SITE.read_text("utf-8")
    changes = [
        ("server 127.0.0.1:8001;", f"server 127.0.0.1:{workers[0]};"),
        ("server 127.0.0.1:8002;", f"server 127.0.0.1:{workers[1]};"),
        ("    server 127.0.0.1:8003;\n", ""),  # two workers, not four
        ("    server 127.0.0.1:8004;\n", ""),
        ("listen 443 ssl;", f"listen 127.0.0.1:{listen} ssl;"),
        ("/etc/ssl/industry-brain.crt", str(cert)),
        ("/etc/ssl/industry-brain.key", str(key)),
    ]
    for old, new in changes:
        assert text.count(old) == 1, f"{SITE.name} no longer has {old!r} once"
        text = text.replace(old, new)
    return text


def nginx_dir(workers: list[int], listen: int) -> tuple[Path, list[str]]:
    """A new directory with nginx's configuration (the site, proxy_params, a self-signed
    certificate for 127.0.0.1) and room for its files; the user prefix to run nginx with."""
    d = Path(tempfile.mkdtemp(prefix="ib-nginx-"))
    cert, key = d / "industry-brain.crt", d / "industry-brain.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"),
            *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    (d / "industry-brain.conf").write_text(site(workers, listen, cert, key), "utf-8")
    params = PROXY_PARAMS.read_text("utf-8") if PROXY_PARAMS.is_file() else PROXY_LINES
    (d / "proxy_params").write_text(params, "utf-8")  # `include proxy_params`: beside nginx.conf
    (d / "nginx.conf").write_text(MAIN.format(d=d), "utf-8")
    if os.geteuid() != 0:
        return d, []
    for path in [d, *d.iterdir()]:
        shutil.chown(path, "nobody")
    return d, ["runuser", "-u", "nobody", "--"]


def start(argv: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """A process in a session of its own (stop() ends it and anything it started)."""
    with log.open("wb") as out:
        return subprocess.Popen(
            argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM to each (uvicorn and nginx shut down cleanly on it), then each one's session
    killed: whatever it left (runuser's nginx, a worker's process pool) goes with it."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 20
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(max(0.0, deadline - time.monotonic()))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until(ready_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until `ready_url` answers 200 (60 s at most); a process that exits fails with its log."""
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, f"{process.args} exited:\n{log.read_text()[-3000:]}"
        try:
            if httpx.get(ready_url, verify=False, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"{ready_url}: not up in 60 s\n{log.read_text()}"
        time.sleep(0.2)
