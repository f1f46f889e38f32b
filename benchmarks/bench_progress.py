"""Plan-indicator benchmark: the 12 formulas of formulas.yaml over N enterprises × 2 years.

Compares `industry_brain.engines.progress.formulas.compute` (ibis on an in-memory DuckDB, parquet
registered with `read_parquet`) with the same sums in plain pandas and in one hand-written
DuckDB SQL query, for two workloads: `city` (331000) and `counties` (331000 and its 9 counties;
ours calls `compute_by_region` once: one grouped query per population). Every measurement
runs in a fresh subprocess (`_progress_child.py`). The results must agree: the same (region,
formula, year) rows, the same n, value, Σnumerator and Σdenominator within 1e-9 relative.

    uv run python benchmarks/bench_progress.py [--sizes 10000,100000,1000000] [--repeat 3]

This is a benchmark, not a test: it is not part of the pytest suite.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _measure import machine, run_json, summary, wait_quiet  # noqa: E402
from _progress_data import WORKLOADS, progress_dataset  # noqa: E402
from _progress_table import table  # noqa: E402

CHILD = HERE / "_progress_child.py"
IMPLS = ["ours", "pandas", "duckdb"]
OUT = HERE / "data" / "progress-out"
KEY = ["region", "formula", "year"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10000,100000,1000000", help="enterprises (× 2 years)")
    p.add_argument("--workloads", default="counties,city", help="counties (city + 9), city")
    p.add_argument("--impls", default=",".join(IMPLS))
    p.add_argument("--repeat", type=int, default=3, help="runs per measurement (median kept)")
    p.add_argument("--long", type=float, default=120.0, help="first run longer: run once")
    p.add_argument("--timeout", type=float, default=1200.0, help="seconds per child")
    p.add_argument(
        "--quiet",
        type=float,
        default=0.2,
        help="before each run wait until the machine's CPU is less busy than this share",
    )
    p.add_argument("--patience", type=float, default=300.0, help="longest wait (s)")
    p.add_argument("--out", type=Path, default=HERE / "results" / "progress.md")
    p.add_argument("--from-json", type=Path, help="rewrite the table from an earlier .json")
    args = p.parse_args(argv)
    args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    args.workloads = [w for w in args.workloads.split(",") if w]
    args.impls = [i for i in args.impls.split(",") if i]
    unknown = set(args.workloads) - set(WORKLOADS)
    if unknown:
        p.error(f"unknown workload(s): {', '.join(sorted(unknown))}")
    return args


def run_child(impl: str, n: int, workload: str, timeout: float, busy: float) -> dict[str, Any]:
    out = OUT / f"{impl}-{n}-{workload}.parquet"
    out.unlink(missing_ok=True)  # a failed run must not be compared with an old result
    cmd = [sys.executable, str(CHILD), impl, str(n), workload, str(out)]
    result = run_json(cmd, timeout)
    result["busy_before"] = busy
    return result


def compare(n: int, workload: str, impls: list[str]) -> dict[str, dict[str, Any]]:
    """Each other implementation against ours: same keys and n, numbers within 1e-9 relative."""
    import numpy as np
    import pandas as pd

    frames = {}
    for impl in impls:
        path = OUT / f"{impl}-{n}-{workload}.parquet"
        if path.exists():
            frames[impl] = pd.read_parquet(path).set_index(KEY).sort_index()
    ref_name = "ours" if "ours" in frames else next(iter(frames), None)
    report: dict[str, dict[str, Any]] = {}
    if ref_name is None:
        return report
    ref = frames[ref_name]
    for impl, df in frames.items():
        if impl == ref_name:
            continue
        if not ref.index.equals(df.index):
            report[impl] = {"agrees": False, "rows": [len(ref), len(df)]}
            print(f"WARNING: {impl} has other rows than {ref_name} ({n}, {workload})")
            continue
        rels = {}
        for col in ("value", "numerator", "denominator"):
            a, b = ref[col].to_numpy(float), df[col].to_numpy(float)
            rel = np.abs(a - b) / np.maximum(np.abs(a), 1e-300)
            rels[col] = float(rel.max()) if rel.size else 0.0
        n_diff = int((ref["n"].to_numpy() != df["n"].to_numpy()).sum())
        ok = n_diff == 0 and max(rels.values()) <= 1e-9
        report[impl] = {"agrees": ok, "n_diff": n_diff}
        report[impl] |= {f"{c}_max_rel": r for c, r in rels.items()}
        if not ok:
            print(f"WARNING: {impl} disagrees with {ref_name} ({n}, {workload}): {report[impl]}")
    return report


def measure(args: argparse.Namespace, n: int, workload: str) -> dict[str, Any]:
    runs: dict[str, list[dict[str, Any]]] = {i: [] for i in args.impls}
    for k in range(args.repeat):
        for impl in args.impls:
            first = runs[impl][0] if runs[impl] else None
            if first and (not first.get("ok") or first.get("seconds", 0) > args.long):
                continue
            busy = wait_quiet(args.quiet, args.patience)
            r = run_child(impl, n, workload, args.timeout, busy)
            runs[impl].append(r)
            took = r.get("seconds", r.get("error"))
            print(f"n={n} {workload} {impl} run {k + 1}: {took}", flush=True)
    return {
        "impls": {i: summary(r) for i, r in runs.items()},
        "agreement": compare(n, workload, args.impls),
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.from_json:
        doc = json.loads(args.from_json.read_text())
        args.out.write_text(table(doc), encoding="utf-8")
        return
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    command = "uv run python benchmarks/bench_progress.py " + " ".join(sys.argv[1:])
    doc = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command.strip(),
        "machine": machine(),
        "results": results,
    }
    for n in args.sizes:
        t0 = time.perf_counter()
        progress_dataset(n)
        print(f"n={n}: data ready in {time.perf_counter() - t0:.1f} s", flush=True)
        for workload in args.workloads:
            results[f"{n}/{workload}"] = measure(args, n, workload)
            args.out.with_suffix(".json").write_text(json.dumps(doc, indent=1, ensure_ascii=False))
            args.out.write_text(table(doc), encoding="utf-8")
    print(table(doc))


if __name__ == "__main__":
    main()
