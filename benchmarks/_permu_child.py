"""One measured 亩均 run in its own process: `python _permu_child.py IMPL N OUT`.

IMPL is ours, ours-steps, pandas or duckdb; N the dataset size. Prints one JSON line (wall and
CPU time of the work, imports excluded; peak RSS, ru_maxrss KiB); writes uscc, status, grade,
total and rank of the result to OUT (parquet, after the clock) for the agreement check.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from _measure import cpu_seconds as _cpu
from _measure import peak_kib as _peak_kib

SPEC = "taizhou-city-2022"
YEAR = 2022
KEEP = ["uscc", "status", "grade", "total", "rank"]


def engine_fingerprint() -> str:
    """sha256 (12 hex) of src/industry_brain/permu/*.py: which engine version was measured."""
    import hashlib

    import industry_brain.permu

    folder = Path(industry_brain.permu.__file__).parent
    h = hashlib.sha256()
    for f in sorted(folder.glob("*.py")):
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:12]


def run_ours(data: Any, timings: dict[str, float]) -> Any:
    import ibis

    from industry_brain.permu.engine import evaluate
    from industry_brain.permu.spec import load_method

    spec = load_method(SPEC)
    con = ibis.duckdb.connect()
    t0 = time.perf_counter()
    ey = con.read_parquet(data.enterprise_year, table_name="enterprise_year")
    e = con.read_parquet(data.enterprise, table_name="enterprise")
    t1 = time.perf_counter()
    expr = evaluate(ey, e, spec, YEAR)
    t2 = time.perf_counter()
    sql = con.compile(expr)
    t3 = time.perf_counter()
    result = expr.to_pyarrow()
    t4 = time.perf_counter()
    timings |= {
        "register": t1 - t0,
        "build_expr": t2 - t1,
        "compile_sql": t3 - t2,
        "execute": t4 - t3,
        "sql_chars": len(sql),
    }
    return result


def run_pandas(data: Any, timings: dict[str, float]) -> Any:
    import _permu_pandas
    from industry_brain.permu.engine import result_columns
    from industry_brain.permu.spec import load_method

    columns = result_columns(load_method(SPEC))
    return _permu_pandas.evaluate(data.enterprise, data.enterprise_year, columns)


def run_duckdb(data: Any, timings: dict[str, float]) -> Any:
    import duckdb

    import _permu_sql

    con = duckdb.connect()
    return _permu_sql.evaluate(data.enterprise, data.enterprise_year, con)


RUNNERS = {
    "ours": (run_ours, ["ibis", "industry_brain.permu.engine", "pyarrow"]),
    "pandas": (run_pandas, ["pandas", "pyarrow", "_permu_pandas", "industry_brain.permu.engine"]),
    "duckdb": (run_duckdb, ["duckdb", "pyarrow", "_permu_sql"]),
}


def _save(result: Any, out: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if isinstance(result, pa.Table):
        table = result.select(KEEP)
    else:
        table = pa.Table.from_pandas(result[KEEP], preserve_index=False)
    table = table.set_column(4, "rank", table["rank"].cast(pa.int64()))
    pq.write_table(table, out)
    return table.num_rows


def main() -> None:
    impl, n, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    runner, modules = RUNNERS[impl]
    t0 = time.perf_counter()
    for name in modules:
        __import__(name)
    import_seconds = time.perf_counter() - t0
    from industry_brain.permu.spec import load_method

    load_method(SPEC)  # parse the YAML before the clock
    from _permu_data import permu_dataset

    data = permu_dataset(n)
    res: dict[str, Any] = {"impl": impl, "n": n, "import_seconds": import_seconds}
    res["import_peak_kib"] = _peak_kib()
    res["load_before"] = os.getloadavg()[0]
    res["engine_sha"] = engine_fingerprint()
    try:
        timings: dict[str, float] = {}
        cpu0, w0 = _cpu(), time.perf_counter()
        result = runner(data, timings)
        seconds, cpu = time.perf_counter() - w0, _cpu() - cpu0
        peak = _peak_kib()
        res |= {"ok": True, "seconds": seconds, "cpu_seconds": cpu, "peak_kib": peak}
        res |= {"stages": timings, "result_rows": _save(result, out)}
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        res |= {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
        res["peak_kib"] = _peak_kib()
        traceback.print_exc(file=sys.stderr)
    print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
