"""The command line beside a running server (issue 12, finding 8).

`industry-brain serve` holds the DuckDB file, which no other process may open: read-only
commands go through the server's local bridge and print what they print without it; writing
commands say in one Chinese line who holds the workspace. Every command runs as its own
process, as an analyst would run it, and the server is `industry-brain serve` itself.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from helpers import STAT_HEADER, stat_row, write_csv

CLI = [sys.executable, "-m", "industry_brain.cli"]
Outcome = tuple[int, str, str]  # exit code, stdout, stderr
# Read-only commands, run in the directory holding the files (the server runs elsewhere).
READ_ONLY = [
    ["status", "--json"],
    ["status"],
    ["audit", "verify"],
    ["audit", "verify", "--json"],
    ["validate", "stats2021.csv", "-s", "statistics", "--json"],
    ["validate", "stats2021.csv", "-s", "statistics"],
    ["validate", "inbox", "-s", "statistics"],  # a directory: refused, exit 2
    ["explain", "91331003MA0000001X", "-y", "2020"],  # no run stored: exit 1
    ["appeal", "list", "-y", "2020", "--json"],
    ["user", "list", "--json"],
    ["user", "list", "--region", "999999"],  # an unknown region: refused, exit 2
]


def _env(lock_wait: float = 0.5) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INDUSTRY_BRAIN_")}
    return env | {"INDUSTRY_BRAIN_LOCK_WAIT_SECONDS": str(lock_wait), "COLUMNS": "120"}


def cli(
    *args: str, ws: Path, cwd: Path, lock_wait: float = 0.5
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args, "-w", str(ws)],
        cwd=cwd,
        env=_env(lock_wait),
        capture_output=True,
        text=True,
    )


def run_all(commands: list[list[str]], ws: Path, cwd: Path, lock_wait: float) -> list[Outcome]:
    """The commands at once (each waits its turn for the warehouse when no server holds it)."""

    def run(args: list[str]) -> Outcome:
        done = cli(*args, ws=ws, cwd=cwd, lock_wait=lock_wait)
        return done.returncode, done.stdout, done.stderr

    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(run, commands))


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    ws: Path
    info: dict[str, object]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.info['port']}"


def start_server(ws: Path) -> Server:
    process = subprocess.Popen(
        [*CLI, "serve", "--port", "0", "-w", str(ws)],
        cwd=ws,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    announced = ws / "server.json"
    for _ in range(600):
        if announced.is_file():
            return Server(process, ws, json.loads(announced.read_text("utf-8")))
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    _, err = process.communicate()
    raise AssertionError(f"the server did not start: {err.decode()}")


def stop_server(server: Server, how: signal.Signals = signal.SIGTERM) -> int:
    server.process.send_signal(how)
    try:
        return server.process.wait(timeout=20)
    finally:
        if server.process.poll() is None:
            server.process.kill()


def small_workspace(root: Path) -> Path:
    """A workspace with one loaded statistics batch (and so an audit entry)."""
    rows = [STAT_HEADER, *(stat_row(i) for i in range(1, 11)), stat_row(11, revenue="x")]
    write_csv(root / "stats2020.csv", rows)
    later = [stat_row(i, year=2021) for i in range(1, 11)]
    write_csv(root / "stats2021.csv", [STAT_HEADER, *later, stat_row(12, year=2021, revenue="y")])
    (root / "inbox").mkdir()
    ws = root / "ws"
    loaded = cli("ingest", "stats2020.csv", "-s", "statistics", ws=ws, cwd=root)
    assert loaded.returncode == 0, loaded.stderr
    return ws.resolve()


@dataclass
class Beside:
    root: Path
    ws: Path
    alone: dict[str, Outcome]  # command → what it gives with no server
    server: Server


@pytest.fixture(scope="module")
def beside(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Beside]:
    root = tmp_path_factory.mktemp("beside")
    ws = small_workspace(root)
    outcomes = run_all(READ_ONLY, ws, root, lock_wait=120)
    alone = {" ".join(args): outcome for args, outcome in zip(READ_ONLY, outcomes, strict=True)}
    server = start_server(ws)
    yield Beside(root, ws, alone, server)
    stop_server(server)


def busy(server: Server) -> str:
    return (
        f"工作区 {server.ws} 正由运行中的服务使用（进程 {server.process.pid}，{server.url}）："
        "请在网页上操作（导入、用户管理），或停止服务后再运行本命令。\n"
    )


def test_the_commands_ran_without_a_server(beside: Beside):
    assert beside.alone["status --json"][0] == 0
    assert json.loads(beside.alone["status --json"][1])["batches"][0]["rows_loaded"] == 10
    assert "哈希链校验通过" in beside.alone["audit verify"][1]
    [report] = json.loads(beside.alone["validate stats2021.csv -s statistics --json"][1])
    assert report["file"] == "stats2021.csv" and report["status"] == "valid"
    assert beside.alone["validate inbox -s statistics"][:2] == (2, "")
    assert beside.alone["explain 91331003MA0000001X -y 2020"][0] == 1
    assert beside.alone["user list --json"][:2] == (0, "[]\n")
    assert beside.alone["user list --region 999999"][:2] == (2, "")


def test_read_only_commands_print_the_same_beside_the_server(beside: Beside):
    outcomes = run_all(READ_ONLY, beside.ws, beside.root, lock_wait=0.5)
    served = dict(zip(beside.alone, outcomes, strict=True))
    for command, expected in beside.alone.items():
        assert served[command] == expected, command


@pytest.mark.parametrize(
    "args",
    [
        ["ingest", "stats2021.csv", "-s", "statistics"],
        ["user", "add", "分析员", "--role", "county", "--region", "331003", "--password", "pw"],
        ["user", "disable", "分析员"],
    ],
    ids=["ingest", "user add", "user disable"],
)
def test_writing_commands_say_who_holds_the_workspace(beside: Beside, args: list[str]):
    done = cli(*args, ws=beside.ws, cwd=beside.root)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", busy(beside.server))


def test_the_server_file_is_private_and_names_the_server(beside: Beside):
    path = beside.ws / "server.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    info = beside.server.info
    assert info["pid"] == beside.server.process.pid and info["host"] == "127.0.0.1"
    assert isinstance(info["token"], str) and len(info["token"]) >= 43  # 32 random bytes


def test_the_bridge_answers_only_its_token(beside: Beside):
    token = str(beside.server.info["token"])
    url = f"{beside.server.url}/api/cli/status"
    nowhere = httpx.post(f"{beside.server.url}/api/cli/nowhere/at/all")
    assert nowhere.status_code == 404
    for response in (
        httpx.post(url),
        httpx.post(url, headers={"X-Workspace-Token": "wrong"}),
        httpx.post(url, headers={"X-Workspace-Token": token[:-1]}),
        httpx.get(url, headers={"X-Workspace-Token": token}),
        # as a reverse proxy on the same machine forwards a request from elsewhere
        httpx.post(url, headers={"X-Workspace-Token": token, "X-Forwarded-For": "192.0.2.7"}),
        httpx.post(f"{beside.server.url}/api/cli/ingest", headers={"X-Workspace-Token": token}),
    ):
        assert (response.status_code, response.json()) == (404, nowhere.json())
    ok = httpx.post(url, headers={"X-Workspace-Token": token}, json={})
    assert ok.status_code == 200 and ok.json()["result"]["batches"][0]["rows_loaded"] == 10
    schema = httpx.get(f"{beside.server.url}/api/openapi.json").text
    assert "/api/cli" not in schema


@pytest.fixture
def bridge_app(workspace):
    from industry_brain.web.app import create_app

    app = create_app(workspace)
    app.state.bridge_token = "t" * 43
    return app


@pytest.mark.parametrize(
    ("client", "status"), [("192.0.2.7", 404), ("10.0.0.1", 404), ("127.0.0.1", 200), ("::1", 200)]
)
def test_the_bridge_answers_loopback_clients_only(bridge_app, client: str, status: int):
    from fastapi.testclient import TestClient

    with TestClient(bridge_app, client=(client, 50000)) as http:
        response = http.post("/api/cli/status", headers={"X-Workspace-Token": "t" * 43}, json={})
    assert response.status_code == status


def test_the_bridge_validates_regular_files_only(bridge_app, tmp_path: Path):
    from fastapi.testclient import TestClient

    csv = write_csv(tmp_path / "stats.csv", [STAT_HEADER, stat_row(1)])
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    headers = {"X-Workspace-Token": "t" * 43}
    with TestClient(bridge_app, client=("127.0.0.1", 50000)) as http:

        def validate(path: str) -> dict[str, object]:
            body = {"path": path, "shown": "x", "source": "statistics"}
            response = http.post("/api/cli/validate", headers=headers, json=body)
            assert response.status_code == 200
            result: dict[str, object] = response.json()
            return result

        for refused in (str(tmp_path), str(fifo), "/dev/null", str(tmp_path / "absent.csv")):
            assert validate(refused)["refused"]["exit_code"] == 2  # type: ignore[index]
        assert validate("stats.csv")["refused"]["exit_code"] == 2  # type: ignore[index]
        assert validate(str(csv))["result"]["status"] == "valid"  # type: ignore[index]


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_server_file_goes_when_the_server_stops(tmp_path: Path, how: signal.Signals):
    ws = tmp_path / "ws"
    ws.mkdir()
    server = start_server(ws)
    assert (ws / "server.json").is_file()
    stop_server(server, how)
    assert not (ws / "server.json").exists()
    assert [p.name for p in ws.iterdir() if "server" in p.name] == []


def _dead_pid() -> int:
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    return done.pid


def test_a_stale_server_file_is_ignored_and_removed(tmp_path: Path):
    ws = small_workspace(tmp_path)
    stale = {"pid": _dead_pid(), "host": "127.0.0.1", "port": 9, "token": "x" * 43}
    (ws / "server.json").write_text(json.dumps(stale), "utf-8")
    done = cli("status", "--json", ws=ws, cwd=tmp_path)
    assert done.returncode == 0 and json.loads(done.stdout)["batches"][0]["rows_loaded"] == 10
    assert not (ws / "server.json").exists()


def test_another_process_holding_the_warehouse_is_named(tmp_path: Path):
    """The lock is held by a process that is not the server (the file names a live process
    that is not the holder): every command says so, with the holder's pid."""
    ws = small_workspace(tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from industry_brain.workspace import Workspace; "
            f"ws = Workspace({str(ws)!r}); ws.con; print('open', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=_env(),
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        alive = {"pid": os.getpid(), "host": "127.0.0.1", "port": 9, "token": "x" * 43}
        (ws / "server.json").write_text(json.dumps(alive), "utf-8")
        line = f"工作区 {ws} 正由另一进程使用（进程 {holder.pid}）：请等它结束后再运行本命令。\n"
        for args in (["status", "--json"], ["ingest", "stats2021.csv", "-s", "statistics"]):
            done = cli(*args, ws=ws, cwd=tmp_path)
            assert (done.returncode, done.stdout, done.stderr) == (1, "", line)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=20)
    assert cli("status", "--json", ws=ws, cwd=tmp_path).returncode == 0
