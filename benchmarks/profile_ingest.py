"""Where the time goes in ours: per-stage wall times and a cProfile of one ingest.

    uv run python benchmarks/profile_ingest.py [--rows 1000000] [--format csv|xlsx]
        [--mode validate|load] [--top 10] [--rechunk]

Uses the files of bench_ingest.py (benchmarks/data/, generated if missing). The per-stage
times wrap the reader, the header mapping and every validation step of
industry_brain.ingest.validate.STEPS in this process only.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _child import UNPACKED_MB, rechunk_workaround  # noqa: E402
from _data import dataset  # noqa: E402

TIMES: dict[str, float] = {}


def _timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            TIMES[name] = TIMES.get(name, 0.0) + time.perf_counter() - t0

    return wrapper


def instrument() -> None:
    from industry_brain.ingest import load, validate

    validate.read_file = _timed("read_file", validate.read_file)
    validate.best_layout = _timed("best_layout (header block, placement)", validate.best_layout)
    validate.place_columns = _timed("map_columns", validate.place_columns)
    validate.skip_kinds = _timed("skip_kinds", validate.skip_kinds)
    validate.STEPS[:] = [(name, _timed(name, fn)) for name, fn in validate.STEPS]
    load.validate_file = _timed("validate_file (total)", load.validate_file)
    for name in (
        "file_sha256",
        "_archive",
        "build_report",
        "errors_frame",
        "reconcile",
        "content_sha256",
        "supersede",
    ):
        if hasattr(load, name):
            setattr(load, name, _timed(name, getattr(load, name)))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    p.add_argument("--mode", choices=("validate", "load"), default="validate")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--rechunk", action="store_true", help="the csv workaround of _child.py")
    p.add_argument("--no-cprofile", action="store_true", help="stage times only")
    args = p.parse_args()

    data = dataset(args.rows, (args.format,))
    path = data.csv if args.format == "csv" else data.xlsx

    from industry_brain.ingest.load import ingest_file
    from industry_brain.ingest.validate import validate_file
    from industry_brain.workspace import Workspace

    if args.rechunk:
        rechunk_workaround()
    instrument()
    from industry_brain.ingest import load

    tmp = Path(tempfile.mkdtemp(prefix="bench-ws-"))
    ws = Workspace(tmp)
    if args.mode == "load":
        con = ws.con  # migrate before the clock starts
        con.insert = _timed("con.insert (all, reconcile's too)", con.insert)
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    if not args.no_cprofile:
        profiler.enable()
    try:
        if args.mode == "validate":
            v = validate_file(path, "statistics", year=2020, max_unpacked_mb=UNPACKED_MB)
            summary = f"{v.rows_in:,} rows, {v.rows_rejected:,} rejected"
        else:
            report = ingest_file(ws, path, "statistics", year=2020)
            summary = f"{report.status}: {report.rows_in:,} rows, {report.rows_rejected:,} rejected"
    finally:
        profiler.disable()
        total = time.perf_counter() - t0
        ws.close()
        shutil.rmtree(tmp, ignore_errors=True)
    del load

    note = "" if args.no_cprofile else " (under cProfile: slower)"
    print(f"{args.mode} {path.name}: {summary}, {total:.2f} s{note}")
    print("\nstage times (s):")
    for name, seconds in sorted(TIMES.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds:8.3f}  {name}")
    if not args.no_cprofile:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
        stats.print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
