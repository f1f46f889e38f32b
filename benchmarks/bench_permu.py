"""亩均 engine benchmark: spec taizhou-city-2022 over N enterprises × 2 years.

Compares `industry_brain.permu.engine.evaluate` (ibis on an in-memory DuckDB, parquet registered
with `read_parquet`, result materialised with `to_pyarrow`) with the same method in plain pandas
and in one hand-written DuckDB SQL query. Every measurement runs in a fresh subprocess
(`_permu_child.py`): wall and CPU time around the work only, peak RSS of the child. The three
results must agree: the same status, grade and rank for every uscc, totals within 1e-9 relative.

    uv run python benchmarks/bench_permu.py [--sizes 10000,100000,1000000] [--repeat 3]

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

from _measure import fmt_ratio, machine, run_json, summary, wait_quiet  # noqa: E402
from _permu_data import SEED, permu_dataset  # noqa: E402

CHILD = HERE / "_permu_child.py"
IMPLS = {"ours": "ours: evaluate → to_pyarrow", "pandas": "pandas", "duckdb": "DuckDB SQL"}
OUT = HERE / "data" / "permu-out"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10000,100000,1000000", help="enterprises (× 2 years)")
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
    p.add_argument("--out", type=Path, default=HERE / "results" / "permu.md")
    p.add_argument("--from-json", type=Path, help="rewrite the table from an earlier .json")
    args = p.parse_args(argv)
    args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    args.impls = [i for i in args.impls.split(",") if i]
    return args


def run_child(impl: str, n: int, timeout: float, busy: float = 0.0) -> dict[str, Any]:
    out = OUT / f"{impl}-{n}.parquet"
    cmd = [sys.executable, str(CHILD), impl, str(n), str(out)]
    result = run_json(cmd, timeout)
    result["busy_before"] = busy
    return result


def compare(n: int, impls: list[str]) -> dict[str, dict[str, Any]]:
    """Each other implementation against ours: status, grade, rank, total (1e-9 relative)."""
    import numpy as np
    import pandas as pd

    frames = {}
    for impl in impls:
        path = OUT / f"{impl}-{n}.parquet"
        if path.exists():
            frames[impl] = pd.read_parquet(path).set_index("uscc").sort_index()
    ref_name = "ours" if "ours" in frames else next(iter(frames), None)
    report: dict[str, dict[str, Any]] = {}
    if ref_name is None:
        return report
    ref = frames[ref_name]
    for impl, df in frames.items():
        if impl == ref_name:
            continue
        same_rows = ref.index.equals(df.index)
        if not same_rows:
            report[impl] = {"agrees": False, "rows": [len(ref), len(df)]}
            continue
        diff = {
            c: int(((ref[c] != df[c]) & ~(ref[c].isna() & df[c].isna())).sum())
            for c in ("status", "grade", "rank")
        }
        a, b = ref["total"].to_numpy(float), df["total"].to_numpy(float)
        nulls = int((np.isnan(a) != np.isnan(b)).sum())
        both = ~np.isnan(a) & ~np.isnan(b)
        rel = np.abs(a[both] - b[both]) / np.maximum(np.abs(a[both]), 1e-300)
        max_rel = float(rel.max()) if rel.size else 0.0
        ok = not any(diff.values()) and nulls == 0 and max_rel <= 1e-9
        report[impl] = {"agrees": ok, **diff, "total_nulls": nulls, "total_max_rel": max_rel}
        if not ok:
            print(f"WARNING: {impl} disagrees with {ref_name} at n={n}: {report[impl]}")
    return report


def table(doc: dict[str, Any]) -> str:
    m = doc["machine"]
    libs = ", ".join(f"{k} {v}" for k, v in m["libraries"].items() if v != "-")
    lines = [
        "# 亩均 engine benchmark: taizhou-city-2022",
        "",
        f"Date: {doc['date']}. Command: `{doc['command']}`.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['os']}, "
        f"Python {m['python']}.",
        "",
        f"Libraries: {libs}.",
        "",
        "N enterprises × 2 years (2021 for the benchmarks, 2022 evaluated): the input has 2N "
        "enterprise_year rows and N enterprise rows (parquet); the result has one row per "
        "industrial enterprise of the region. Time is the median wall time of the work in a fresh "
        "process (imports excluded, shown apart), CPU is user + system of all threads over the "
        "same work, peak RSS is the child's `ru_maxrss` (imports included). rows/s counts input "
        "enterprise_year rows. *Agrees* compares status, grade, rank and total (≤ 1e-9 "
        "relative) of every uscc with ours.",
        "",
        "| enterprises | implementation | runs | time (s) | CPU (s) | rows/s | peak RSS (MiB) "
        "| import (s) | result rows | agrees |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for n, cell in doc["results"].items():
        for impl, s in cell["impls"].items():
            if "error" in s:
                lines.append(f"| {int(n):,} | {IMPLS[impl]} | 0 | {s['error']} | | | | | | |")
                continue
            agree = cell["agreement"].get(impl, {})
            mark = "(reference)" if impl == "ours" else ("✓" if agree.get("agrees") else "✗")
            lines.append(
                f"| {int(n):,} | {IMPLS[impl]} | {s['runs']} | {s['seconds']:.3f} "
                f"| {s['cpu_seconds']:.2f} | {2 * int(n) / s['seconds'] / 1e3:,.0f} k "
                f"| {s['peak_mib']:.0f} | {s['import_seconds']:.2f} | {s['result_rows']:,} "
                f"| {mark} |"
            )
    lines += [
        "",
        "Speed-up of ours (time of the other / time of ours; above 1× ours is faster), "
        "wall / CPU, and where ours spends its time (median seconds: building the ibis "
        "expression, compiling it to SQL, DuckDB executing it and converting to arrow):",
        "",
        "| enterprises | ours vs pandas | ours vs DuckDB SQL | build expr | compile SQL "
        "| execute | SQL size (chars) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, cell in doc["results"].items():
        s = cell["impls"]
        ours = s.get("ours", {})
        st = ours.get("stages", {})

        def ratio(other: str, key: str, ours: dict[str, Any] = ours, s: dict = s) -> str:
            return fmt_ratio(ours.get(key), s.get(other, {}).get(key))

        lines.append(
            f"| {int(n):,} | {ratio('pandas', 'seconds')} / {ratio('pandas', 'cpu_seconds')} "
            f"| {ratio('duckdb', 'seconds')} / {ratio('duckdb', 'cpu_seconds')} "
            + (
                f"| {st['build_expr']:.3f} | {st['compile_sql']:.3f} | {st['execute']:.3f} "
                f"| {st['sql_chars']:,.0f} |"
                if st
                else "| | | | |"
            )
        )
    lines += [
        "",
        f"Data: `benchmarks/_permu_data.py` (seed {SEED}). A measurement whose first run took "
        "over the `--long` limit was run once. Ours' stage times come from the same runs "
        "(compile is timed separately with `con.compile`, so execute includes ibis compiling "
        "again inside `to_pyarrow`). Before each run the parent waits until the machine is "
        "quiet (CPU under the `--quiet` share for 0.5 s); highest CPU share busy just before a "
        "run: "
        + ", ".join(
            f"{int(n):,}: {max(s.get('busy_before', 0.0) for s in c['impls'].values()):.0%}"
            for n, c in doc["results"].items()
        )
        + ". Engine version measured (sha256 of `src/industry_brain/permu/*.py`): "
        + ", ".join(
            sorted(
                {
                    sha
                    for c in doc["results"].values()
                    for sha in c["impls"].get("ours", {}).get("engine_sha", [])
                }
            )
        )
        + ".",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.from_json:
        doc = json.loads(args.from_json.read_text())
        args.out.write_text(table(doc), encoding="utf-8")
        return
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    command = "uv run python benchmarks/bench_permu.py " + " ".join(sys.argv[1:])
    doc = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command.strip(),
        "machine": machine(),
        "results": results,
    }
    for n in args.sizes:
        t0 = time.perf_counter()
        permu_dataset(n)
        print(f"n={n}: data ready in {time.perf_counter() - t0:.1f} s", flush=True)
        runs: dict[str, list[dict[str, Any]]] = {i: [] for i in args.impls}
        for k in range(args.repeat):
            for impl in args.impls:
                if k and runs[impl] and runs[impl][0].get("seconds", 0) > args.long:
                    continue
                if k and runs[impl] and not runs[impl][0].get("ok"):
                    continue
                busy = wait_quiet(args.quiet, args.patience)
                r = run_child(impl, n, args.timeout, busy)
                runs[impl].append(r)
                print(f"n={n} {impl} run {k + 1}: {r.get('seconds', r.get('error'))}", flush=True)
        results[str(n)] = {
            "impls": {i: summary(r) for i, r in runs.items()},
            "agreement": compare(n, args.impls),
            "runs": runs,
        }
        args.out.with_suffix(".json").write_text(json.dumps(doc, indent=1, ensure_ascii=False))
        args.out.write_text(table(doc), encoding="utf-8")
    print(table(doc))


if __name__ == "__main__":
    main()
