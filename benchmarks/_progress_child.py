"""One measured plan-indicator run in its own process: `python _progress_child.py IMPL N WL OUT`.

IMPL is ours, pandas or duckdb; N the dataset size; WL the workload, `city` (331000) or
`counties` (331000 and its 9 counties; ours calls `compute_by_region` once, one grouped query
per population, as the map and drill-down do). Prints one JSON line (wall and CPU time of the
work, imports excluded; peak RSS, ru_maxrss KiB); writes the result (region, formula, year,
value, numerator, denominator, n) to OUT (parquet, after the clock) for the agreement check.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from _measure import cpu_seconds, peak_kib
from _progress_data import WORKLOADS, ProgressData, progress_dataset

ROOT = Path(__file__).resolve().parent.parent

RESULT = ["region", "formula", "year", "value", "numerator", "denominator", "n"]


def engine_fingerprint() -> str:
    """sha256 (12 hex) of progress/formulas.py and formulas.yaml: the engine version measured."""
    import hashlib

    folder = ROOT / "src" / "industry_brain" / "progress"  # read, not imported: no RSS
    h = hashlib.sha256()
    for f in (folder / "formulas.py", folder / "formulas.yaml"):
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:12]


def run_ours(data: ProgressData, regions: list[str], timings: dict[str, float]) -> Any:
    import ibis
    import polars as pl

    from industry_brain.engines.progress.formulas import FORMULAS, compute, compute_by_region

    ids = sorted(FORMULAS)
    t0 = time.perf_counter()
    con = ibis.duckdb.connect()
    timings["connect"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    con.read_parquet(data.enterprise_year, table_name="enterprise_year")
    con.read_parquet(data.enterprise, table_name="enterprise")
    timings["register"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    if len(regions) == 1:
        frame = compute(con, ids, regions[0]).with_columns(region=pl.lit(regions[0]))
    else:  # the city and its counties: one grouped query per population
        frame = compute_by_region(con, ids, regions[0]).filter(pl.col("region").is_in(regions))
    timings["first_call"] = time.perf_counter() - t1
    timings["other_calls"] = 0.0
    timings["calls"] = 1
    frames = [frame]
    return pl.concat(frames).select(RESULT)


def run_pandas(data: ProgressData, regions: list[str], timings: dict[str, float]) -> Any:
    import _progress_pandas

    return _progress_pandas.compute(data.enterprise, data.enterprise_year, regions)


def run_duckdb(data: ProgressData, regions: list[str], timings: dict[str, float]) -> Any:
    import duckdb

    import _progress_sql

    con = duckdb.connect()
    return _progress_sql.compute(data.enterprise, data.enterprise_year, regions, con)


RUNNERS = {
    "ours": (run_ours, ["ibis", "polars", "industry_brain.engines.progress.formulas", "pyarrow"]),
    "pandas": (run_pandas, ["pandas", "pyarrow", "_progress_pandas"]),
    "duckdb": (run_duckdb, ["duckdb", "pyarrow", "_progress_sql"]),
}


def _save(result: Any, out: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if isinstance(result, pa.Table):
        table = result
    elif hasattr(result, "to_arrow"):  # polars
        table = result.to_arrow()
    else:
        table = pa.Table.from_pandas(result, preserve_index=False)
    table = table.select(RESULT)
    pq.write_table(table, out)
    return table.num_rows


def coverage_seconds(data: ProgressData) -> float:
    """The monitoring's coverage check for the city, timed apart (not in the work's time)."""
    import ibis

    from industry_brain.engines.progress.formulas import coverage

    con = ibis.duckdb.connect()
    con.read_parquet(data.enterprise_year, table_name="enterprise_year")
    con.read_parquet(data.enterprise, table_name="enterprise")
    t0 = time.perf_counter()
    coverage(con, "331000")
    return time.perf_counter() - t0


def main() -> None:
    impl, n, workload, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
    runner, modules = RUNNERS[impl]
    regions = WORKLOADS[workload]
    t0 = time.perf_counter()
    for name in modules:
        __import__(name)
    import_seconds = time.perf_counter() - t0
    data = progress_dataset(n)
    res: dict[str, Any] = {"impl": impl, "n": n, "workload": workload}
    res |= {"import_seconds": import_seconds, "import_peak_kib": peak_kib()}
    res["load_before"] = os.getloadavg()[0]
    res["engine_sha"] = engine_fingerprint()
    try:
        timings: dict[str, float] = {}
        cpu0, w0 = cpu_seconds(), time.perf_counter()
        result = runner(data, regions, timings)
        seconds, cpu = time.perf_counter() - w0, cpu_seconds() - cpu0
        peak = peak_kib()
        res |= {"ok": True, "seconds": seconds, "cpu_seconds": cpu, "peak_kib": peak}
        res["result_rows"] = _save(result, out)
        if impl == "ours":
            timings["coverage"] = coverage_seconds(data)
        res["stages"] = timings
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        res |= {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
        res["peak_kib"] = peak_kib()
        traceback.print_exc(file=sys.stderr)
    print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
