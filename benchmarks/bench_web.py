"""Load benchmark of the web platform: `uv run python benchmarks/bench_web.py [--users 32]`.

Serves the demo workspace (build it first with `bin/demo --no-serve`) with `industry-brain
serve` on loopback, signs in 32 simulated analysts (locust, headless, bounded in time) and
writes p50/p95/p99 per page to benchmarks/results/web.md. Goal: p95 < 200 ms for the overview
and region pages, no errors.

`--upload-rows 1000000` adds the scenario of issue 13: while the 32 analysts browse, one more
analyst (an account of their own) uploads tax files of that many rows, one after another for the
whole measured run, each checked and then loaded (read and checked in the worker process,
written by the server); the pages must keep their goal meanwhile. Its table and the job's
timings are written as the second section of benchmarks/results/web.md (each scenario
replaces its own section).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOAL_MS = 200
GOAL_PAGES = ("overview /", "region: city", "region: county", "region: park")
UPLOAD_SECTION = "\n## While large uploads are checked and loaded\n"


def bench_user(workspace: Path, username: str = "bench") -> tuple[str, str]:
    """A city analyst for the run, with a fresh password."""
    from industry_brain.web.users import add_user
    from industry_brain.workspace import Workspace

    ws = Workspace(workspace)
    password = secrets.token_urlsafe(12)
    ws.con.raw_sql(f"DELETE FROM app_user WHERE username = '{username}'")
    add_user(ws.con, username, password, "city", "331000")
    ws.close()
    return username, password


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/login", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not come up")


def locust_run(url: str, env: dict[str, str], users: int, seconds: int) -> list[dict[str, str]]:
    """One headless locust run; its per-page statistics."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "stats"
        locust = [sys.executable, "-m", "locust", "-f", str(HERE / "_web_locust.py")]
        locust += ["--headless", "-u", str(users), "-r", str(users), "-t", f"{seconds}s"]
        locust += ["-H", url, "--csv", str(prefix), "--only-summary"]
        subprocess.run(locust, env=env, check=False, cwd=HERE, stdout=subprocess.DEVNULL)
        with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
            return list(csv.DictReader(f))


def run(args: argparse.Namespace) -> list[dict[str, str]]:
    """The locust run (and with --upload-rows, the upload beside it); its statistics."""
    user, password = bench_user(args.workspace)
    uploader_account = bench_user(args.workspace, "bench-upload")  # another analyst
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = [sys.executable, "-m", "industry_brain.cli", "serve", "--port", str(port)]
    server = subprocess.Popen([*serve, "--workspace", str(args.workspace)], cwd=ROOT)
    try:
        wait_ready(url)
        env = os.environ | {"BENCH_USER": user, "BENCH_PASSWORD": password}
        if args.warmup:
            locust_run(url, env, args.users, args.warmup)  # logins and first page loads
        if not args.upload_rows:
            return locust_run(url, env, args.users, args.seconds)
        from _web_upload import Uploader

        with Uploader(url, *uploader_account, args.upload_rows) as uploader:
            rows = locust_run(url, env, args.users, args.seconds)
        args.upload = uploader.timings
        return rows
    finally:
        server.terminate()
        server.wait(timeout=10)


def report(rows: list[dict[str, str]], args: argparse.Namespace) -> str:
    lines = [
        "# Web platform load benchmark",
        "",
        f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Command: "
        f"`uv run python benchmarks/bench_web.py --users {args.users} --seconds {args.seconds}"
        f" --warmup {args.warmup}`.",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. One `industry-brain serve` process (uvicorn, one "
        "worker) on loopback over the demo workspace (full synthetic Taizhou, 2019–2024); "
        f"{args.users} locust users signed in as a city analyst, each waiting 0.5–1.5 s between "
        f"requests. A {args.warmup} s warm-up run first (every user signs in, pages fill the "
        "cache; not counted), then the measured run, in which every user signs in again.",
        "",
        "| page | requests | failures | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | goal |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        goal = ""
        if r["Name"] in GOAL_PAGES:
            goal = "✓" if float(r["95%"]) < GOAL_MS and r["Failure Count"] == "0" else "✗"
        lines.append(
            f"| {r['Name']} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | "
            f"{r['95%']} | {r['99%']} | {float(r['Max Response Time']):.0f} | {goal} |"
        )
    lines += ["", f"Goal: p95 < {GOAL_MS} ms for the overview and region pages, no errors."]
    if args.upload_rows:
        lines += ["", *upload_lines(args)]
    return "\n".join(lines) + "\n"


def upload_lines(args: argparse.Namespace) -> list[str]:
    """What the uploads beside the browsing did: the file, each round's steps and outcomes."""
    t = args.upload
    lines = [
        f"Meanwhile one more city analyst uploaded 税务局 files of {args.upload_rows:,} rows "
        f"({t.get('megabytes', 0):.0f} MB, three taxes per enterprise) from the start of the "
        "measured run to its end, one after another: a file, then its correction (other amounts, "
        "superseding it), and so on. Each is checked in the worker process, then loaded: read "
        "and checked again in the worker process, written by the server.",
        "",
        "| round | file | step | seconds | outcome |",
        "|---:|---|---|---:|---|",
    ]
    for n, r in enumerate(t.get("rounds", []), 1):
        for step in ("send", "check", "load"):
            if step in r:
                done = r[step]
                row = f"| {n} | {r['file']} | {step} | {done['seconds']:.1f} | {done['outcome']} |"
                lines.append(row)
    if "error" in t:
        lines.append(f"| | | (stopped) | | {t['error']} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workspace", type=Path, default=ROOT / "workspace")
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=20, help="Seconds of unmeasured warm-up.")
    parser.add_argument(
        "--upload-rows",
        type=int,
        default=0,
        help="Rows of a tax file uploaded meanwhile (0: none).",
    )
    args = parser.parse_args()
    if not (args.workspace / "warehouse.duckdb").is_file():
        raise SystemExit(f"no demo workspace at {args.workspace}; run bin/demo --no-serve first")
    text = report(run(args), args)
    write(HERE / "results" / "web.md", text, args.upload_rows > 0)
    print(text)


def write(path: Path, text: str, upload: bool) -> None:
    """The scenario's section of the results page, the other scenario's kept."""
    old = path.read_text("utf-8") if path.is_file() else ""
    plain, _, loaded = old.partition(UPLOAD_SECTION)
    if upload:
        body = text.split("\n", 2)[2]  # without the page's title
        new = plain.rstrip("\n") + "\n" + UPLOAD_SECTION + "\n" + body
    else:
        new = text + (UPLOAD_SECTION + loaded if loaded else "")
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
