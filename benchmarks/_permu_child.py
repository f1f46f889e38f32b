"""One measured 亩均 run in its own process: `python _permu_child.py IMPL N OUT`.

IMPL is ours, ours_cold, pandas or duckdb (ours and ours_cold run the same code: the parent
points ours at a store of compiled queries and turns the store off for ours_cold); N the dataset
size. Prints one JSON line (wall and CPU time of the work, imports excluded; peak RSS, ru_maxrss
KiB, after the first run); writes uscc, status, grade, total and rank of the result to OUT
(parquet, after the clock) for the agreement check. The same work is then done again in the same
process ("repeat": ours finds its compiled query in memory, as a served workspace does from its
second evaluation of a spec on), timed apart and checked against the first result (status, grade
and rank of every uscc).
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
    """sha256 (12 hex) of src/industry_brain/engines/permu/*.py: the engine version measured."""
    import hashlib

    import industry_brain.engines.permu

    folder = Path(industry_brain.engines.permu.__file__).parent
    h = hashlib.sha256()
    for f in sorted(folder.glob("*.py")):
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:12]


def run_ours(data: Any, timings: dict[str, float], state: dict[str, Any]) -> Any:
    import ibis

    from industry_brain.engines.permu import engine
    from industry_brain.engines.permu.spec import load_method

    spec = load_method(SPEC)
    t0 = time.perf_counter()
    if "con" not in state:  # tables registered once, as in a workspace
        con = ibis.duckdb.connect()
        ey = con.read_parquet(data.enterprise_year, table_name="enterprise_year")
        e = con.read_parquet(data.enterprise, table_name="enterprise")
        state |= {"con": con, "ey": ey, "e": e}
    t1 = time.perf_counter()
    expr = engine.evaluate(state["ey"], state["e"], spec, YEAR)
    t2 = time.perf_counter()
    result = expr.to_pyarrow()
    t3 = time.perf_counter()
    timings |= {"register": t1 - t0, "evaluate": t2 - t1, "execute": t3 - t2}
    return result


def sql_chars(state: dict[str, Any]) -> int:
    """The size of ours' compiled query (from the cache, after the clock)."""
    from industry_brain.engines.permu import engine
    from industry_brain.engines.permu.spec import load_method

    con, ey, e = state["con"], state["ey"], state["e"]
    if not hasattr(engine, "compiled"):  # an engine version without the cache
        return len(con.compile(engine.evaluate(ey, e, load_method(SPEC), YEAR)))
    return len(engine.compiled(con, ey, e, load_method(SPEC), YEAR).sql)


def run_pandas(data: Any, timings: dict[str, float], state: dict[str, Any]) -> Any:
    import _permu_pandas
    from industry_brain.engines.permu.engine import result_columns
    from industry_brain.engines.permu.spec import load_method

    columns = result_columns(load_method(SPEC))
    return _permu_pandas.evaluate(data.enterprise, data.enterprise_year, columns)


def run_duckdb(data: Any, timings: dict[str, float], state: dict[str, Any]) -> Any:
    import duckdb

    import _permu_sql

    con = state.setdefault("con", duckdb.connect())
    return _permu_sql.evaluate(data.enterprise, data.enterprise_year, con)


RUNNERS = {
    # ours: also the modules ibis imports on first use (its DuckDB backend, the pyarrow and
    # pandas converters of results), so that the clock measures work, not imports
    "ours": (
        run_ours,
        [
            "ibis",
            "industry_brain.engines.permu.engine",
            "pyarrow",
            "pyarrow.compute",
            "ibis.backends.duckdb",
            "ibis.backends.duckdb.converter",
            "ibis.formats.pyarrow",
            "ibis.formats.pandas",
        ],
    ),
    "pandas": (
        run_pandas,
        ["pandas", "pyarrow", "_permu_pandas", "industry_brain.engines.permu.engine"],
    ),
    "duckdb": (run_duckdb, ["duckdb", "pyarrow", "_permu_sql"]),
}


RUNNERS["ours_cold"] = RUNNERS["ours"]


def _keep(result: Any) -> Any:
    import pyarrow as pa

    if isinstance(result, pa.Table):
        table = result.select(KEEP)
    else:
        table = pa.Table.from_pandas(result[KEEP], preserve_index=False)
    return table.set_column(4, "rank", table["rank"].cast(pa.int64()))


def _save(result: Any, out: Path) -> int:
    import pyarrow.parquet as pq

    table = _keep(result)
    pq.write_table(table, out)
    return table.num_rows


def _same(a: Any, b: Any) -> bool:
    """Status, grade and rank of every uscc."""
    cols = ["uscc", "status", "grade", "rank"]
    a, b = _keep(a).select(cols), _keep(b).select(cols)
    return bool(a.sort_by("uscc").equals(b.sort_by("uscc")))


def main() -> None:
    impl, n, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    runner, modules = RUNNERS[impl]
    t0 = time.perf_counter()
    for name in modules:
        __import__(name)
    import_seconds = time.perf_counter() - t0
    from industry_brain.engines.permu.spec import load_method

    load_method(SPEC)  # parse the YAML before the clock
    from _permu_data import permu_dataset

    data = permu_dataset(n)
    res: dict[str, Any] = {"impl": impl, "n": n, "import_seconds": import_seconds}
    res["import_peak_kib"] = _peak_kib()
    res["load_before"] = os.getloadavg()[0]
    res["engine_sha"] = engine_fingerprint()
    try:
        timings: dict[str, float] = {}
        state: dict[str, Any] = {}
        cpu0, w0 = _cpu(), time.perf_counter()
        result = runner(data, timings, state)
        seconds, cpu = time.perf_counter() - w0, _cpu() - cpu0
        peak = _peak_kib()
        res |= {"ok": True, "seconds": seconds, "cpu_seconds": cpu, "peak_kib": peak}
        res["result_rows"] = _save(result, out)
        again: dict[str, float] = {}
        cpu0, w0 = _cpu(), time.perf_counter()
        repeat = runner(data, again, state)
        timings |= {"again_seconds": time.perf_counter() - w0, "again_cpu_seconds": _cpu() - cpu0}
        timings |= {f"again_{k}": v for k, v in again.items() if k != "register"}
        timings["again_same"] = float(_same(result, repeat))
        if impl.startswith("ours"):
            timings["sql_chars"] = sql_chars(state)
        res["stages"] = timings
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        res |= {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
        res["peak_kib"] = _peak_kib()
        traceback.print_exc(file=sys.stderr)
    print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
