"""Measurement helpers: run one child process per measurement, describe the machine."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from statistics import median
from typing import Any

HERE = Path(__file__).resolve().parent
CHILD = HERE / "_child.py"


@dataclass
class Cell:
    """All repetitions of one (implementation, format, size)."""

    impl: str
    fmt: str
    rows: int
    runs: list[dict[str, Any]] = field(default_factory=list)
    workaround: bool = False  # ours run with the csv rechunk workaround (see _child.py)
    unpatched_error: str | None = None  # why the workaround was needed

    @property
    def ok_runs(self) -> list[dict[str, Any]]:
        return [r for r in self.runs if r.get("ok")]

    @property
    def error(self) -> str | None:
        bad = [r for r in self.runs if not r.get("ok")]
        return bad[0].get("error", "failed") if bad and not self.ok_runs else None

    @property
    def seconds(self) -> float | None:
        ok = self.ok_runs
        return median(r["seconds"] for r in ok) if ok else None

    @property
    def cpu_seconds(self) -> float | None:
        ok = self.ok_runs
        return median(r["cpu_seconds"] for r in ok) if ok else None

    @property
    def peak_mib(self) -> float | None:
        ok = self.ok_runs
        return median(r["peak_kib"] for r in ok) / 1024 if ok else None

    @property
    def import_seconds(self) -> float | None:
        ok = self.ok_runs
        return median(r["import_seconds"] for r in ok) if ok else None

    @property
    def import_mib(self) -> float | None:
        ok = self.ok_runs
        return median(r["import_peak_kib"] for r in ok) / 1024 if ok else None

    @property
    def rejected(self) -> int | None:
        ok = self.ok_runs
        return ok[0]["rejected"] if ok else None

    @property
    def digest(self) -> str | None:
        ok = self.ok_runs
        return ok[0]["digest"] if ok else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "impl": self.impl,
            "format": self.fmt,
            "rows": self.rows,
            "workaround": self.workaround,
            "unpatched_error": self.unpatched_error,
            "runs": self.runs,
        }


def run_child(impl: str, path: Path, timeout: float, rechunk: bool = False) -> dict[str, Any]:
    """One measurement in a fresh interpreter; never raises."""
    cmd = [sys.executable, str(CHILD), impl, str(path), *(["--rechunk"] if rechunk else [])]
    return run_json(cmd, timeout)


def run_json(cmd: list[str], timeout: float) -> dict[str, Any]:
    """Run a child that prints its result as a JSON line (the last one counts); never raises."""
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"timeout after {timeout:.0f} s"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"ok": False, "error": f"exit {proc.returncode}: {tail}"[:500]}
    result: dict[str, Any] = json.loads(lines[-1])
    if not result.get("ok") and proc.stderr:
        result["stderr_tail"] = proc.stderr.strip().splitlines()[-1][:500]
    return result


def peak_kib() -> int:
    """This process's peak RSS so far (ru_maxrss, KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def own_peak_kib() -> int:
    """This process's own peak RSS so far (VmHWM of /proc/self/status, KiB), else ru_maxrss.

    ru_maxrss is not the child's own: Linux carries the high-water mark of the memory the
    process had before `execve` into it, and a child started by `subprocess` (vfork) had its
    parent's, so a child never reports less than its parent's peak. VmHWM is the current
    program's alone."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return peak_kib()


def cpu_seconds() -> float:
    """User + system CPU time of this process (all threads) so far."""
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def busy_share(interval: float = 0.5) -> float:
    """Share of the machine's CPU time busy over `interval` seconds (from /proc/stat)."""

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields) - idle, sum(fields)

    try:
        b0, t0 = sample()
        time.sleep(interval)
        b1, t1 = sample()
    except (OSError, ValueError, IndexError):
        return 0.0
    return (b1 - b0) / max(t1 - t0, 1)


def wait_quiet(limit: float, patience: float) -> float:
    """Wait (up to `patience` s) until other work uses under `limit` of the CPU; the last share."""
    deadline = time.monotonic() + patience
    busy = busy_share()
    while busy > limit and time.monotonic() < deadline:
        print(f"  machine busy ({busy:.0%}), waiting", flush=True)
        time.sleep(5)
        busy = busy_share()
    return busy


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


LIBRARIES = [
    "industry-brain",
    "polars",
    "fastexcel",
    "python-calamine",
    "duckdb",
    "ibis-framework",
    "pandas",
    "openpyxl",
    "numpy",
    "pyarrow",
    "xlsxwriter",
]


def machine() -> dict[str, Any]:
    ram = _ram_gib()
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": round(ram, 1) if ram else None,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "libraries": {name: _version(name) for name in LIBRARIES},
    }


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians of the successful runs of one measurement (time, CPU, peak, stage times)."""
    ok = [r for r in runs if r.get("ok")]
    if not ok:
        return {"error": runs[0].get("error", "failed") if runs else "not run"}
    s = {k: median(r[k] for r in ok) for k in ("seconds", "cpu_seconds", "import_seconds")}
    s["peak_mib"] = median(r["peak_kib"] for r in ok) / 1024
    stages = [r["stages"] for r in ok if r.get("stages")]
    if stages:
        s["stages"] = {k: median(st[k] for st in stages) for k in stages[0]}
    s["runs"], s["result_rows"] = len(ok), ok[0]["result_rows"]
    s["load_before"] = max(r.get("load_before", 0.0) for r in ok)
    s["busy_before"] = max(r.get("busy_before", 0.0) for r in ok)
    s["engine_sha"] = sorted({r.get("engine_sha", "?") for r in ok})
    return s


def fmt_ratio(a: float | None, b: float | None) -> str:
    """b / a as "2.6×" (how many times faster a is than b), "—" when one is missing."""
    return f"{b / a:.1f}×" if a and b else "—"
