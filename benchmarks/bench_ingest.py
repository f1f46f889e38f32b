"""Ingest benchmark: N enterprise-year rows of the statistics source, from csv and xlsx.

Compares industry_brain's validation (`validate_file`) and full load (`ingest_file`: validation,
archive, insert into DuckDB, reconciliation) with the same checks written in plain pandas and in
hand-written DuckDB SQL. Every measurement runs in a fresh subprocess: the time is taken around
the work only (imports excluded, reported apart), the memory is the child's peak RSS.

    uv run python benchmarks/bench_ingest.py [--sizes 10000,100000,1000000] [--formats csv,xlsx]
        [--repeat 3] [--out benchmarks/results/ingest.md]

This is a benchmark, not a test: it is not part of the pytest suite.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _data import Dataset, dataset  # noqa: E402
from _measure import Cell, machine, run_child  # noqa: E402

IMPLS = {
    "ours-validate": "ours: validate_file",
    "ours-load": "ours: ingest_file (load)",
    "pandas": "pandas",
    "duckdb": "DuckDB SQL",
}
NA_PREFIX = "n/a"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated row counts")
    p.add_argument("--formats", default="csv,xlsx", help="csv, xlsx or both")
    p.add_argument("--impls", default=",".join(IMPLS), help="implementations to run")
    p.add_argument("--repeat", type=int, default=3, help="runs per measurement (median kept)")
    p.add_argument(
        "--long",
        type=float,
        default=120.0,
        help="a measurement whose first run takes longer than this many seconds is not "
        "repeated (the 1M-row pandas/openpyxl xlsx run)",
    )
    p.add_argument(
        "--workaround",
        choices=("auto", "on", "off"),
        default="auto",
        help="run ours with the csv rechunk workaround of _child.py: 'auto' only after ours "
        "panicked without it",
    )
    p.add_argument("--timeout", type=float, default=1800.0, help="seconds per child process")
    p.add_argument("--out", type=Path, default=HERE / "results" / "ingest.md")
    p.add_argument(
        "--from-json",
        type=Path,
        help="write the table again from the .json of an earlier run (measures nothing)",
    )
    args = p.parse_args(argv)
    args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    args.formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    args.impls = [i.strip() for i in args.impls.split(",") if i.strip()]
    for f in args.formats:
        if f not in ("csv", "xlsx"):
            p.error(f"unknown format {f!r}")
    for i in args.impls:
        if i not in IMPLS:
            p.error(f"unknown implementation {i!r} (known: {', '.join(IMPLS)})")
    return args


def measure(cells: list[Cell], path: Path, args: argparse.Namespace) -> None:
    """Repetition k of every implementation before repetition k + 1 of any, so that a burst of
    load from elsewhere on the machine is spread over the implementations."""
    done: set[int] = set()
    for cell in cells:
        cell.workaround = cell.impl.startswith("ours") and args.workaround == "on"
    for k in range(args.repeat):
        for i, cell in enumerate(cells):
            if i in done:
                continue
            result = _run(cell, path, args, k)
            ours = cell.impl.startswith("ours")
            panicked = "PanicException" in str(result.get("error", ""))
            if k == 0 and ours and panicked and args.workaround == "auto":
                print("    ours panicked: measured with the csv rechunk workaround", flush=True)
                cell.unpatched_error = result["error"]
                cell.runs, cell.workaround = [], True
                result = _run(cell, path, args, k)
            if not result.get("ok"):
                done.add(i)  # a failure (or n/a) does not get better by repeating
            elif result["seconds"] > args.long or result["wall"] > args.long:
                if k + 1 < args.repeat:
                    print(f"    (over {args.long:.0f} s: not repeated)", flush=True)
                done.add(i)


def _run(cell: Cell, path: Path, args: argparse.Namespace, k: int) -> dict:
    t0 = time.perf_counter()
    result = run_child(cell.impl, path, args.timeout, cell.workaround)
    result["wall"] = time.perf_counter() - t0
    cell.runs.append(result)
    if result.get("ok"):
        status = (
            f"{result['seconds']:.3f} s (cpu {result['cpu_seconds']:.2f} s), "
            f"{result['peak_kib'] / 1024:.0f} MiB, rejected {result['rejected']}, "
            f"load {result['load_before']:.2f}"
        )
    else:
        status = result.get("error", "failed")
    name = cell.impl + ("*" if cell.workaround else "")
    where = f"{cell.rows:>9,} {cell.fmt:<4} {name:<15}"
    print(f"  {where} run {k + 1}/{args.repeat}: {status}", flush=True)
    return result


# ---------------------------------------------------------------------------------------------
# Reporting


def _rate(rows: int, seconds: float | None) -> str:
    if not seconds:
        return "—"
    r = rows / seconds
    return f"{r / 1e6:.2f} M" if r >= 1e6 else f"{r / 1e3:.0f} k"


def _num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _speedup(base: Cell | None, ours: Cell | None) -> str:
    """Wall-time ratio, then CPU-time ratio."""
    if base is None or ours is None or not base.seconds or not ours.seconds:
        return "—"
    wall = f"{base.seconds / ours.seconds:.1f}×"
    if base.cpu_seconds and ours.cpu_seconds:
        return f"{wall} / {base.cpu_seconds / ours.cpu_seconds:.1f}×"
    return wall


def _agreement(cell: Cell, data: Dataset) -> str:
    if cell.rejected is None:
        return "—"
    expected = data.meta["expected_rejected"]
    if cell.digest == data.meta["expected_digest"]:
        return "✓"
    if cell.rejected == expected:
        return "✗ same count, other rows"
    return f"✗ {cell.rejected - expected:+d}"


def _label(cell: Cell) -> str:
    return IMPLS[cell.impl] + (" \\*" if cell.workaround else "")


def warnings_for(cells: list[Cell], data: dict[int, Dataset]) -> list[str]:
    out = []
    for c in cells:
        if c.unpatched_error:
            out.append(
                f"{IMPLS[c.impl]}, {c.fmt}, {c.rows:,} rows failed as shipped "
                f"({c.unpatched_error}); measured with the csv rechunk workaround"
            )
        if c.error and not c.error.startswith(NA_PREFIX):
            out.append(f"{IMPLS[c.impl]}, {c.fmt}, {c.rows:,} rows failed: {c.error}")
        if c.rejected is None:
            continue
        d = data[c.rows]
        if c.digest != d.meta["expected_digest"]:
            out.append(
                f"{IMPLS[c.impl]}, {c.fmt}, {c.rows:,} rows rejected {c.rejected:,} rows "
                f"(fingerprint {c.digest}); the generator broke {d.meta['expected_rejected']:,} "
                f"(fingerprint {d.meta['expected_digest']}): the implementations disagree"
            )
    return out


def render(
    cells: list[Cell], data: dict[int, Dataset], info: dict, args: argparse.Namespace
) -> str:
    by_key = {(c.impl, c.fmt, c.rows): c for c in cells}
    lines = [
        "# Ingest benchmark: statistics source (15 columns)",
        "",
        f"Date: {info['date']}. Command: `{info['command']}`.",
        "",
        f"Machine: {info['machine']['cpu']}, {info['machine']['cores']} cores, "
        f"{info['machine']['ram_gib']} GiB RAM, {info['machine']['os']}, "
        f"Python {info['machine']['python']}.",
        "",
        "Libraries: "
        + ", ".join(f"{k} {v}" for k, v in info["machine"]["libraries"].items())
        + ".",
        "",
        "Time is the median over the runs of the wall time of the work inside a fresh process "
        "(imports excluded, shown apart); CPU is user + system time of all its threads over the "
        "same work (above the wall time when work runs on both cores); peak RSS is that "
        "process's `ru_maxrss`, imports included. "
        "*Rejected* is the number of rows the implementation rejects; *agrees* is ✓ when the "
        "rejected rows are exactly the rows the generator broke (same set, not just the same "
        "count).",
        "",
        "| rows | format | implementation | runs | time (s) | CPU (s) | rows/s | peak RSS (MiB) "
        "| import (s) | rejected | agrees |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for n in args.sizes:
        for fmt in args.formats:
            for impl in args.impls:
                c = by_key.get((impl, fmt, n))
                if c is None:
                    continue
                if c.error:
                    text = c.error if c.error.startswith(NA_PREFIX) else "error (see below)"
                    lines.append(
                        f"| {n:,} | {fmt} | {_label(c)} | {len(c.runs)} | {text} | | | | | | |"
                    )
                    continue
                rejected = "—" if c.rejected is None else f"{c.rejected:,}"
                lines.append(
                    f"| {n:,} | {fmt} | {_label(c)} | {len(c.ok_runs)} | {_num(c.seconds, 3)} "
                    f"| {_num(c.cpu_seconds)} | {_rate(n, c.seconds)} | {_num(c.peak_mib, 0)} "
                    f"| {_num(c.import_seconds)} | {rejected} | {_agreement(c, data[n])} |"
                )
    lines += [
        "",
        "Speed-up of ours: time of the other implementation / time of ours, above 1× means "
        "ours is faster; wall-time ratio / CPU-time ratio:",
        "",
        "| rows | format | validate vs pandas | validate vs DuckDB | load vs pandas "
        "| load vs DuckDB |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for n in args.sizes:
        for fmt in args.formats:
            pandas = by_key.get(("pandas", fmt, n))
            duck = by_key.get(("duckdb", fmt, n))
            val = by_key.get(("ours-validate", fmt, n))
            load = by_key.get(("ours-load", fmt, n))
            if not any((pandas, duck, val, load)):
                continue
            lines.append(
                f"| {n:,} | {fmt} | {_speedup(pandas, val)} | {_speedup(duck, val)} "
                f"| {_speedup(pandas, load)} | {_speedup(duck, load)} |"
            )
    sizes = ", ".join(
        f"{n:,} rows: {d.meta['expected_rejected']:,} broken rows" for n, d in data.items()
    )
    lines += [
        "",
        f"Data: generated by `benchmarks/_data.py` (seed {next(iter(data.values())).meta['seed']}"
        f"); {sizes}. A measurement whose first run took over {args.long:.0f} s was run once. "
        "DuckDB reads xlsx only through its `excel` extension, which it downloads at run time: "
        "offline it is n/a.",
    ]
    if any(c.workaround for c in cells):
        lines += [
            "",
            "\\* Run with the csv rechunk workaround (`benchmarks/_child.py`, "
            "`rechunk_workaround`): the shipped code panicked in polars (`pl.format` on a "
            "column whose first chunk is empty, which polars 2's non-rechunked `read_csv` "
            "output produces after a filter). The workaround calls `.rechunk()` on the csv "
            "cells once, in the benchmark process only.",
        ]
    loads = [r["load_before"] for c in cells for r in c.ok_runs]
    if loads:
        lines += [
            "",
            f"1-minute load average before each run: {min(loads):.2f}–{max(loads):.2f} "
            f"(median {median(loads):.2f}) on {info['machine']['cores']} cores; other work on "
            "the machine inflates wall times (CPU times are less affected). Implementations "
            "were run interleaved (repetition k of each before repetition k + 1 of any).",
        ]
    warns = warnings_for(cells, data)
    if warns:
        lines += ["", "Warnings:", "", *(f"- {w}" for w in warns)]
    return "\n".join(lines) + "\n"


def _from_json(path: Path) -> tuple[list[Cell], dict[int, Dataset], dict]:
    raw = json.loads(path.read_text("utf-8"))
    data = {int(n): Dataset(int(n), Path(), Path(), meta) for n, meta in raw["data"].items()}
    cells = []
    for c in raw["cells"]:
        cell = Cell(c["impl"], c["format"], c["rows"], c["runs"], c.get("workaround", False))
        cell.unpatched_error = c.get("unpatched_error")
        cells.append(cell)
    info = {k: raw[k] for k in ("date", "command", "machine")}
    return cells, data, info


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json:  # render again from a previous run's JSON, measuring nothing
        cells, data, info = _from_json(args.from_json)
        args.sizes = list(dict.fromkeys(c.rows for c in cells))
        args.formats = list(dict.fromkeys(c.fmt for c in cells))
        args.impls = list(dict.fromkeys(c.impl for c in cells))
    else:
        info = {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "command": "uv run python benchmarks/bench_ingest.py " + " ".join(sys.argv[1:]),
            "machine": machine(),
        }
        data = {n: dataset(n, tuple(args.formats)) for n in args.sizes}
        cells = []
        for n in args.sizes:
            for fmt in args.formats:
                path = data[n].csv if fmt == "csv" else data[n].xlsx
                group = [Cell(impl, fmt, n) for impl in args.impls]
                cells += group
                measure(group, path, args)
    text = render(cells, data, info, args)
    print()
    print(text)
    for w in warnings_for(cells, data):
        print(f"WARNING: {w}", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, "utf-8")
    if not args.from_json:
        raw = {**info, "data": {n: d.meta for n, d in data.items()}}
        raw["cells"] = [c.to_dict() for c in cells]
        args.out.with_suffix(".json").write_text(json.dumps(raw, ensure_ascii=False, indent=1))
    print(f"wrote {args.out}" + ("" if args.from_json else f" and {args.out.with_suffix('.json')}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
