"""The Markdown report of bench_progress.py (from its JSON document)."""

from __future__ import annotations

from typing import Any

from _measure import fmt_ratio
from _progress_data import SEED

IMPLS = {
    "ours": "ours: compute / compute_by_region",
    "pandas": "pandas",
    "duckdb": "DuckDB SQL",
}
WORKLOAD = {"city": "city", "counties": "city + 9 counties"}


def _cells(doc: dict[str, Any]) -> list[tuple[int, str, dict[str, Any]]]:
    out = []
    for key, cell in doc["results"].items():
        n, workload = key.split("/")
        out.append((int(n), workload, cell))
    return out


def table(doc: dict[str, Any]) -> str:
    m = doc["machine"]
    libs = ", ".join(f"{k} {v}" for k, v in m["libraries"].items() if v != "-")
    lines = [
        "# Plan indicator formulas benchmark: 12 formulas of formulas.yaml",
        "",
        f"Date: {doc['date']}. Command: `{doc['command']}`.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['os']}, "
        f"Python {m['python']}.",
        "",
        f"Libraries: {libs}.",
        "",
        "N enterprises × 2 years (2021, 2022): the input has 2N enterprise_year rows and N "
        "enterprise rows (parquet). Each implementation computes, for every year, the 12 "
        "formulas (Σnumerator / Σdenominator × scale over 规上工业 or 规上制造业) for the city "
        "331000 (*city*: 24 result rows) or for the city and each of its 9 counties (*city + 9 "
        "counties*: 240 rows; ours calls `compute_by_region` once: one grouped query per "
        "population). The main workload is *city + 9 counties*: what the map and the drill-down "
        "need. Time "
        "is the median wall time of the work in a fresh process (imports excluded, shown apart), "
        "CPU is user + system of all threads over the same work, peak RSS is the child's "
        "`ru_maxrss` (imports included). rows/s counts input enterprise_year rows. *Agrees* "
        "compares every (region, formula, year) with ours: same rows, same n, value, Σnumerator "
        "and Σdenominator within 1e-9 relative.",
        "",
        "| enterprises | workload | implementation | runs | time (s) | CPU (s) | rows/s "
        "| peak RSS (MiB) | import (s) | result rows | agrees |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for n, workload, cell in _cells(doc):
        for impl, s in cell["impls"].items():
            head = f"| {n:,} | {WORKLOAD[workload]} | {IMPLS[impl]}"
            if "error" in s:
                lines.append(f"{head} | 0 | {s['error']} | | | | | | |")
                continue
            agree = cell["agreement"].get(impl, {})
            mark = "(reference)" if impl == "ours" else ("✓" if agree.get("agrees") else "✗")
            lines.append(
                f"{head} | {s['runs']} | {s['seconds']:.3f} | {s['cpu_seconds']:.2f} "
                f"| {2 * n / s['seconds'] / 1e3:,.0f} k | {s['peak_mib']:.0f} "
                f"| {s['import_seconds']:.2f} | {s['result_rows']:,} | {mark} |"
            )
    lines += [
        "",
        "Speed-up of ours (time of the other / time of ours; above 1× ours is faster), "
        "wall / CPU, and where ours spends its time (median seconds: `ibis.duckdb.connect()`, "
        "registering the parquet files, the first `compute` call, the mean of the further "
        "calls; and, timed apart after the work on a fresh connection and not included in the "
        "time above, the monitoring's coverage check `coverage(con, '331000')`):",
        "",
        "| enterprises | workload | ours vs pandas | ours vs DuckDB SQL | connect | register "
        "| first call | each further call | calls | coverage check |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, workload, cell in _cells(doc):
        s = cell["impls"]
        ours = s.get("ours", {})
        st = ours.get("stages", {})

        def ratio(other: str, key: str, ours: dict[str, Any] = ours, s: dict = s) -> str:
            return fmt_ratio(ours.get(key), s.get(other, {}).get(key))

        further = f"{st['other_calls']:.3f}" if st and st["calls"] > 1 else "—"
        lines.append(
            f"| {n:,} | {WORKLOAD[workload]} "
            f"| {ratio('pandas', 'seconds')} / {ratio('pandas', 'cpu_seconds')} "
            f"| {ratio('duckdb', 'seconds')} / {ratio('duckdb', 'cpu_seconds')} "
            + (
                f"| {st['connect']:.3f} | {st['register']:.3f} | {st['first_call']:.3f} "
                f"| {further} | {st['calls']:.0f} | {st['coverage']:.3f} |"
                if st
                else "| | | | | | |"
            )
        )
    busy = ", ".join(
        f"{n:,} {workload}: {max(s.get('busy_before', 0.0) for s in c['impls'].values()):.0%}"
        for n, workload, c in _cells(doc)
    )
    shas = sorted(
        {sha for _, _, c in _cells(doc) for sha in c["impls"].get("ours", {}).get("engine_sha", [])}
    )
    lines += [
        "",
        f"Data: `benchmarks/_permu_data.py` (seed 20220) plus `new_product_output` from "
        f"`benchmarks/_progress_data.py` (seed {SEED}). A measurement whose first run took over "
        "the `--long` limit was run once. Before each run the parent waits until the machine is "
        "quiet (CPU under the `--quiet` share for 0.5 s); highest CPU share busy just before a "
        f"run: {busy}. Engine version measured (sha256 of `src/industry_brain/progress/"
        f"formulas.py` and `formulas.yaml`): {', '.join(shas)}.",
        "",
    ]
    return "\n".join(lines)
