"""Supply-risk engine benchmark (issue 15): taizhou-supply-risk-2025 over N enterprises and T
trade rows of one year.

Compares the chain engine's Ibis part (`engines/chains`, as `ChainsEngine.evaluate` calls it,
on an in-memory DuckDB reading parquet; without betweenness) with the same method in plain
pandas (`_chains_pandas.py`) and in hand-written DuckDB SQL (`_chains_sql.py`). Every
measurement runs in a fresh subprocess (`_chains_child.py`): wall and CPU time around the work
only, peak RSS of the child. The three must agree: the same rows and keys in chain_input,
chain_flag and chain_supplier, every other value equal, floats within 1e-9 relative; a
disagreement stops the benchmark (exit 1) after writing the report.

Betweenness is measured apart: the engine's network (distinct supplier → buyer pairs) and
`engines/chains/network.py::betweenness` (rustworkx) on all of it, with its own time limit
(`--betweenness-timeout`); and on a connected sample (`--sample` nodes) against networkx's
`betweenness_centrality`, both timed.

    uv run python benchmarks/bench_chains.py [--sizes 20000:1000000,100000:5000000,200000:10000000]

This is a benchmark, not a test: it is not part of the pytest suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _chains_data import SEED, chains_dataset  # noqa: E402
from _measure import machine, run_json, summary, wait_quiet  # noqa: E402

CHILD = HERE / "_chains_child.py"
IMPLS = {
    "ours": "ours: engine's Ibis part → to_polars",
    "pandas": "pandas",
    "duckdb": "DuckDB SQL",
}
DEFAULT_IMPLS = "ours,pandas,duckdb"
OUT = HERE / "data" / "chains-out"
KEYS = {
    "chain_input": ["buyer_uscc", "input_class"],
    "chain_flag": ["buyer_uscc", "input_class", "kind", "supplier"],
    "chain_supplier": ["supplier"],
}
STAGES = ("register", "screening", "chain_supplier", "chain_input", "chain_flag", "frame")
RELATIVE = 1e-9
SIZES = "20000:1000000,100000:5000000,200000:10000000"


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """ "20000:1000000,…" → [(enterprises, trade rows), …]."""
    sizes = []
    for item in text.split(","):
        if item:
            n, _, t = item.replace("_", "").partition(":")
            sizes.append((int(n), int(t) if t else 50 * int(n)))
    return sizes


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default=SIZES, help="enterprises:trade rows, comma-separated")
    p.add_argument("--impls", default=DEFAULT_IMPLS, help=f"of {', '.join(IMPLS)}")
    p.add_argument("--repeat", type=int, default=3, help="runs per measurement (median kept)")
    p.add_argument("--long", type=float, default=300.0, help="first run longer: run once")
    p.add_argument("--timeout", type=float, default=1800.0, help="seconds per child")
    p.add_argument("--betweenness", default="all", help="sizes (enterprises) or all / none")
    p.add_argument("--betweenness-timeout", type=float, default=600.0)
    p.add_argument("--sample", type=int, default=2000, help="nodes of the networkx sample")
    p.add_argument("--quiet", type=float, default=0.25, help="wait for CPU busy under this share")
    p.add_argument("--patience", type=float, default=120.0, help="longest wait (s)")
    p.add_argument("--out", type=Path, default=HERE / "results" / "chains.md")
    p.add_argument("--from-json", type=Path, help="rewrite the report from an earlier .json")
    p.add_argument(
        "--memory-from",
        type=Path,
        help="with --from-json: take the peak RSS from this other run's .json (stored in the "
        "report's .json as `memory`)",
    )
    args = p.parse_args(argv)
    args.sizes = parse_sizes(args.sizes)
    args.impls = [i for i in args.impls.split(",") if i]
    if args.betweenness == "all":
        args.betweenness = {n for n, _ in args.sizes}
    elif args.betweenness == "none":
        args.betweenness = set()
    else:
        args.betweenness = {int(x.replace("_", "")) for x in args.betweenness.split(",") if x}
    return args


def child(impl: str, n: int, t: int, timeout: float, *extra: str) -> dict[str, Any]:
    out = OUT / f"{impl}-{n}-{t}"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, str(CHILD), impl, str(n), str(t), str(out), *extra]
    return run_json(cmd, timeout)


def _differences(name: str, a: Any, b: Any) -> dict[str, Any]:
    """Rows, keys and values of one result table of two implementations."""
    import polars as pl

    keys = KEYS[name]
    a, b = a.sort(keys, nulls_last=True), b.sort(keys, nulls_last=True)
    if a.height != b.height:
        return {"rows": [a.height, b.height]}
    found: dict[str, Any] = {}
    max_rel = 0.0
    for col in a.columns:
        x, y = a[col], b[col]
        if x.dtype == pl.Float64:
            both = pl.DataFrame({"x": x, "y": y})
            rel = both.select(
                nulls=(pl.col("x").is_null() != pl.col("y").is_null()).sum(),
                rel=((pl.col("x") - pl.col("y")).abs()
                     / pl.max_horizontal(pl.col("x").abs(), pl.col("y").abs(), pl.lit(1e-300))
                     ).max(),
                over=((pl.col("x") - pl.col("y")).abs()
                      > RELATIVE * pl.max_horizontal(pl.col("x").abs(), pl.col("y").abs())
                      + 1e-12).sum(),
            )  # fmt: skip
            nulls, r, over = rel.row(0)
            max_rel = max(max_rel, r or 0.0)
            if nulls or over:
                found[col] = {"nulls": nulls, "over": over, "max_rel": r}
        else:
            unequal = int((~x.eq_missing(y)).sum())
            if unequal:
                first = int((~x.eq_missing(y)).arg_max() or 0)
                key = a.select(keys).row(first)
                found[col] = {"unequal": unequal, "first": [key, x[first], y[first]]}
    return {"max_rel": max_rel, **({"differs": found} if found else {})}


def compare(n: int, t: int, impls: list[str]) -> dict[str, dict[str, Any]]:
    """Every implementation against the hand-written SQL (or the first one there is)."""
    import polars as pl

    frames = {}
    for impl in impls:
        folder = OUT / f"{impl}-{n}-{t}"
        if all((folder / f"{k}.parquet").exists() for k in KEYS):
            frames[impl] = {k: pl.read_parquet(folder / f"{k}.parquet") for k in KEYS}
    ref = "duckdb" if "duckdb" in frames else next(iter(frames), None)
    report: dict[str, dict[str, Any]] = {}
    for impl, tables in frames.items():
        if impl == ref:
            continue
        diffs = {k: _differences(k, tables[k], frames[ref][k]) for k in KEYS}
        ok = all("rows" not in d and "differs" not in d for d in diffs.values())
        report[impl] = {"agrees": ok, "reference": ref, "tables": diffs}
        if not ok:
            print(f"DISAGREEMENT: {impl} vs {ref} at {n}×{t}: {json.dumps(diffs)}", flush=True)
    return report


def _f(v: float | None, digits: int = 2) -> str:
    return "" if v is None else f"{v:,.{digits}f}"


def table(doc: dict[str, Any]) -> str:
    m = doc["machine"]
    libs = ", ".join(f"{k} {v}" for k, v in m["libraries"].items() if v != "-")
    lines = [
        "# Supply-risk engine benchmark: taizhou-supply-risk-2025",
        "",
        f"Date: {doc['date']}. Command: `{doc['command']}`.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['os']}, "
        f"Python {m['python']}. Libraries: {libs}, rustworkx {doc.get('rustworkx', '?')}, "
        f"networkx {doc.get('networkx', '?')}.",
        "",
        "N enterprises, T trade rows of 2024 (parquet, `benchmarks/_chains_data.py`, seed "
        f"{SEED}). *Time* is the median wall time of the work in a fresh process (imports "
        "excluded, shown apart), from the parquet files to the three result tables in memory "
        "(chain_input, chain_flag, chain_supplier without betweenness); CPU is user + system of "
        "all threads; peak RSS is the child's own high-water mark (VmHWM, imports included). "
        "*÷ SQL* is time ÷ the hand-written SQL's time (the issue's goal for ours: ≤ 1.5×). "
        "*Agrees*: every table has the same rows and keys as the SQL's, every other value "
        "equal and floats within 1e-9 relative (the largest relative difference found is shown).",
        "",
    ]
    memory = doc.get("memory", {}).get("peak_mib", {})
    if memory:
        lines += [
            "Peak RSS comes from another run of the same benchmark "
            f"({doc['memory']['date']}, `{doc['memory']['command']}`), made after the child's "
            "peak was changed from `ru_maxrss` (which includes the parent's peak, see "
            "`_measure.own_peak_kib`) to VmHWM; times and CPU are this run's.",
            "",
        ]
    for size, cell in doc["results"].items():
        n, t = (int(x) for x in size.split(":"))
        lines += [
            f"## {n:,} enterprises × {t:,} trade rows",
            "",
            "| implementation | runs | time (s) | CPU (s) | peak RSS (MiB) | ÷ SQL | import (s) "
            "| result rows | agrees |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        sql = cell["impls"].get("duckdb", {}).get("seconds")
        for impl, s in cell["impls"].items():
            if "error" in s:
                lines.append(f"| {IMPLS[impl]} | 0 | {s['error']} | | | | | | |")
                continue
            agree = cell["agreement"].get(impl)
            if agree is None:
                mark = "(reference)"
            else:
                worst = max(d.get("max_rel", 0.0) for d in agree["tables"].values())
                mark = f"✓ ({worst:.0e})" if agree["agrees"] else "✗ (see json)"
            ratio = f"{s['seconds'] / sql:.2f}×" if sql else "—"
            peak = memory.get(size, {}).get(impl, s["peak_mib"])
            lines.append(
                f"| {IMPLS[impl]} | {s['runs']} | {s['seconds']:.2f} | {s['cpu_seconds']:.2f} "
                f"| {peak:,.0f} | {ratio} | {s['import_seconds']:.2f} "
                f"| {s['result_rows']:,} | {mark} |"
            )
        for impl in ("ours",):
            stages = cell["impls"].get(impl, {}).get("stages")
            if stages:
                parts = ", ".join(f"{k} {stages[k]:.2f}" for k in STAGES if k in stages)
                lines += ["", f"{IMPLS[impl]}, by stage (median s): {parts}."]
        lines.append("")
    lines += _betweenness(doc)
    lines += [
        "Before each run the parent waits until the machine is quiet (CPU busy under "
        "`--quiet`, at most `--patience` s); highest 1-minute load average before a run: "
        + ", ".join(
            f"{k}: {max(s.get('load_before', 0.0) for s in c['impls'].values()):.2f}"
            for k, c in doc["results"].items()
        )
        + ". Engine version measured (sha256 of `src/industry_brain/engines/chains/*.py`): "
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


def _peak(memory: dict[str, Any], size: str, key: str, run: dict[str, Any]) -> str:
    """The peak from the memory run, else this run's (an upper bound when the memory run
    had none: ru_maxrss includes the parent's peak)."""
    if key in memory.get(size, {}):
        return f"{memory[size][key]:,.0f}"
    return f"{'≤ ' if memory else ''}{run['peak_kib'] / 1024:,.0f}"


def _betweenness(doc: dict[str, Any]) -> list[str]:
    """One table: the engine's betweenness on the whole network of each size, and on a sample
    against networkx."""
    memory = doc.get("memory", {}).get("peak_mib", {})
    rows = []
    for size, cell in doc["results"].items():
        n, t = (int(x) for x in size.split(":"))
        for label, key in (("", "betweenness"), (" (no time limit)", "betweenness_untimed")):
            b = cell.get(key)
            if not b:
                continue
            st = b.get("stages", {})
            graph = f"{st['nodes']:,} | {st['edges']:,}" if "nodes" in st else " | "
            if b.get("ok"):
                compute = st["betweenness_call"] - st["graph_build"]
                cells = (
                    f"{st['pairs']:.2f} | {st['graph_build']:.2f} | {compute:.1f} "
                    f"| {b['seconds']:.1f} | {b['cpu_seconds']:.1f} | {_peak(memory, size, key, b)}"
                )
            else:
                cells = (
                    f"{_f(st.get('pairs'))} | {_f(st.get('graph_build'))} "
                    f"| **{b.get('error', 'failed')}** | | | "
                    + (
                        f"({st['peak_kib_before'] / 1024:,.0f} before)"
                        if st.get("peak_kib_before")
                        else ""
                    )
                )
            sample = cell.get("sample", {}) if not label else {}
            sst = sample.get("stages", {})
            if sample.get("ok"):
                verdict = "equal" if sst["agrees"] else "**DIFFERENT**"
                cells += (
                    f" | {sst['nodes']:,} / {sst['edges']:,} | {sst['rustworkx']:.3f} "
                    f"| {sst['networkx']:.2f} | {verdict} ({sst['max_abs_diff']:.0e})"
                )
            else:
                cells += " | | | | " + ("" if label else sample.get("error", ""))
            rows.append(f"| {n:,} × {t:,}{label} | {graph} | {cells} |")
    if not rows:
        return []
    return [
        "## Betweenness",
        "",
        "The engine's network (one edge per supplier → buyer pair of the purchases, unweighted) "
        "and `engines/chains/network.py::betweenness` (rustworkx, Brandes, all cores) on all "
        "of it, in a fresh process: *pairs* is the Ibis query of the distinct pairs; *graph "
        "build* the node index and `PyDiGraph(multigraph=False).extend_from_edge_list` as "
        "`betweenness` does it (timed apart, then done again inside the call); *compute* is "
        "the call minus the build; *total* the wall time of all three. *Sample*: a connected "
        "sample (snowball from seeded random buyers, at most 20 neighbours of a node taken, "
        "induced subgraph), betweenness by the engine and by networkx's "
        "`betweenness_centrality(normalized=True)`, compared node by node (equal: every "
        "difference ≤ 1e-9; the largest is shown).",
        "",
        "| size | nodes | edges | pairs (s) | graph build (s) | compute (s) | total (s) | CPU (s) "
        "| peak RSS (MiB) | sample nodes / edges | rustworkx (s) | networkx (s) | agrees |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|",
        *rows,
        "",
    ]


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.from_json:
        doc = json.loads(args.from_json.read_text())
        if args.memory_from:
            other = json.loads(args.memory_from.read_text())
            peaks: dict[str, dict[str, float]] = {}
            for size, cell in other["results"].items():
                peaks[size] = {
                    i: s["peak_mib"] for i, s in cell["impls"].items() if "peak_mib" in s
                }
                for key in ("betweenness", "betweenness_untimed"):
                    if cell.get(key, {}).get("ok"):
                        peaks[size][key] = cell[key]["peak_kib"] / 1024
            doc["memory"] = {"date": other["date"], "command": other["command"], "peak_mib": peaks}
            args.out.with_suffix(".json").write_text(json.dumps(doc, indent=1, ensure_ascii=False))
        args.out.write_text(table(doc), encoding="utf-8")
        return
    from importlib import metadata

    OUT.mkdir(parents=True, exist_ok=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    command = "uv run python benchmarks/bench_chains.py " + " ".join(sys.argv[1:])
    doc = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command.strip(),
        "machine": machine(),
        "rustworkx": metadata.version("rustworkx"),
        "networkx": metadata.version("networkx"),
        "results": results,
    }
    disagree = False

    def save() -> None:
        args.out.with_suffix(".json").write_text(json.dumps(doc, indent=1, ensure_ascii=False))
        args.out.write_text(table(doc), encoding="utf-8")

    for n, t in args.sizes:
        size = f"{n}:{t}"
        t0 = time.perf_counter()
        chains_dataset(n, t)
        print(f"{n}×{t}: data ready in {time.perf_counter() - t0:.1f} s", flush=True)
        runs: dict[str, list[dict[str, Any]]] = {i: [] for i in args.impls}
        for k in range(args.repeat):
            for impl in args.impls:
                first = runs[impl][0] if runs[impl] else None
                if first and (not first.get("ok") or first.get("seconds", 0) > args.long):
                    continue
                busy = wait_quiet(args.quiet, args.patience)
                r = child(impl, n, t, args.timeout)
                r["busy_before"] = busy
                runs[impl].append(r)
                print(f"{size} {impl} run {k + 1}: {r.get('seconds', r.get('error'))}", flush=True)
            if k == 0:  # check agreement on the first runs: fail early
                agreement = compare(n, t, args.impls)
                disagree |= not all(a["agrees"] for a in agreement.values())
        cell: dict[str, Any] = {
            "impls": {i: summary(r) for i, r in runs.items()},
            "agreement": agreement,
            "runs": runs,
        }
        results[size] = cell
        save()
        if disagree:
            break
        if n in args.betweenness:
            wait_quiet(args.quiet, args.patience)
            cell["sample"] = child("sample", n, t, args.timeout, "--sample", str(args.sample))
            print(f"{size} sample: {cell['sample'].get('stages')}", flush=True)
            save()
            wait_quiet(args.quiet, args.patience)
            progress = OUT / f"betweenness-{n}-{t}.json"
            progress.unlink(missing_ok=True)
            os.environ["CHAINS_PROGRESS"] = str(progress)
            cell["betweenness"] = child("betweenness", n, t, args.betweenness_timeout)
            if not cell["betweenness"].get("ok") and progress.exists():
                cell["betweenness"]["stages"] = json.loads(progress.read_text())
            print(f"{size} betweenness: {cell['betweenness']}", flush=True)
            save()
    print(table(doc))
    if disagree:
        print("The implementations disagree: see the report's json.", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
