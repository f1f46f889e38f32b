"""What-if in the browser: time from the user's click on 分析 (a run page's what-if panel, a spec
chosen) to the updated view (the what-if table shown), with Playwright and Debian's chromium.

Each round starts a server on the workspace (`industry-brain serve`), signs in, and asks for
every packaged spec once ("first": nothing cached for it in the server when the page opened)
and then again ("again"). Each time the run page is opened afresh and the user takes `--think`
seconds before choosing and clicking: meanwhile the page fetches the panel's tables (app.js,
prefetchWhatIf); with --think 0 the click waits for those requests. Prints one JSON document.

    uv run python benchmarks/bench_whatif.py -w WORKSPACE --user demo --password PW [--rounds 3]

This is a benchmark, not a test: it is not part of the pytest suite.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-w", "--workspace", type=Path, required=True)
    p.add_argument("--user", default="demo")
    p.add_argument("--password", required=True)
    p.add_argument("--run", type=int, default=1, help="the run whose page is opened")
    p.add_argument("--port", type=int, default=8738)
    p.add_argument("--rounds", type=int, default=3, help="server starts")
    p.add_argument("--again", type=int, default=2, help="repeats of each spec per round")
    p.add_argument("--settle", type=float, default=5.0, help="seconds after start before use")
    p.add_argument("--think", type=float, default=2.0, help="seconds from page load to click")
    return p.parse_args(argv)


def start_server(ws: Path, port: int) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).parent / "industry-brain"
    cmd = [str(exe), "serve", "--port", str(port), "-w", str(ws)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def what_if(page: Any, base: str, run: int, spec: str, think: float) -> dict[str, float]:
    """Open the run page, wait `think` s, choose `spec`, click 分析; seconds from the click until
    the what-if table of `spec` shows and the address names it."""
    page.goto(f"{base}/runs/{run}")
    time.sleep(think)
    page.select_option("select[name=spec]", spec)
    t0 = time.perf_counter()
    page.click("form[action^='/runs/'] button[type=submit]")
    page.wait_for_selector(f"#whatif table[data-spec='{spec}']")
    page.wait_for_url(f"**/runs/{run}?spec={spec}")
    seconds = time.perf_counter() - t0
    return {"seconds": seconds}


def one_round(args: argparse.Namespace, specs: list[str]) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    proc = start_server(args.workspace, args.port)
    base = f"http://127.0.0.1:{args.port}"
    out: dict[str, list[float]] = {"first": [], "again": []}
    try:
        time.sleep(args.settle)  # as a user arriving after the start (warming has run)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page()
            page.goto(f"{base}/login")
            page.fill("input[name=username]", args.user)
            page.fill("input[name=password]", args.password)
            page.click("button[type=submit]")
            page.wait_for_load_state("load")
            for spec in specs:
                r = what_if(page, base, args.run, spec, args.think)
                out["first"].append(r["seconds"])
            for _ in range(args.again):
                for spec in specs:
                    out["again"].append(what_if(page, base, args.run, spec, args.think)["seconds"])
            browser.close()
    finally:
        stop_server(proc)
    return out


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    from industry_brain.engines.permu.spec import packaged_methods

    specs = packaged_methods()
    runs: dict[str, list[float]] = {"first": [], "again": []}
    for k in range(args.rounds):
        got = one_round(args, specs)
        for key, values in got.items():
            runs[key] += values
        rounded = {key: [round(v, 3) for v in vs] for key, vs in got.items()}
        print(f"round {k + 1}: {json.dumps(rounded)}", file=sys.stderr, flush=True)
    doc: dict[str, Any] = {"specs": specs, "think": args.think, "runs": runs}
    for key, values in runs.items():
        if values:
            doc[key] = {"median": statistics.median(values), "max": max(values), "n": len(values)}
    print(json.dumps(doc, indent=1))


if __name__ == "__main__":
    main()
