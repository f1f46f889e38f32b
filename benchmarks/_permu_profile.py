"""Where ours spends its time: `uv run python benchmarks/_permu_profile.py [N]`.

Times, in one process: building the ibis expression (`engine.build`), compiling it to SQL as
the engine's cache does (`engine.compile_sql`), a first `evaluate → to_pyarrow` (cache miss:
build, compile, temporary view, execute), a second one (cache hit), the compiled SQL run
directly on the DuckDB connection (no ibis) and the hand-written query for comparison (each
of the last two the median of 3); then the top operators of DuckDB's profile of both queries,
and the top functions of a cProfile of a cold evaluation.
"""

from __future__ import annotations

import cProfile
import json
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def operators(raw: Any, run: Callable[[], Any]) -> tuple[float, list[tuple[float, str, int]]]:
    """DuckDB's latency of the query `run` makes and its operators (time, name, rows out)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile.json"
        raw.execute("PRAGMA enable_profiling = 'json'")
        raw.execute(f"PRAGMA profiling_output = '{out}'")
        run()
        raw.execute("PRAGMA disable_profiling")
        doc = json.loads(out.read_text())
    ops: list[tuple[float, str, int]] = []

    def walk(node: dict[str, Any]) -> None:
        name = node.get("operator_name") or node.get("name") or "?"
        ops.append((node.get("operator_timing", 0.0), name, node.get("operator_cardinality", 0)))
        for child in node.get("children", []):
            walk(child)

    walk(doc)
    return float(doc.get("latency", 0.0)), ops


def main() -> None:
    import ibis

    # what ibis imports on first use, as in _permu_child.py: not timed
    import ibis.backends.duckdb.converter
    import ibis.formats.pandas
    import ibis.formats.pyarrow

    import _permu_sql
    from _permu_data import permu_dataset
    from industry_brain.engines.permu import engine
    from industry_brain.engines.permu.spec import load_method

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    data = permu_dataset(n)
    spec = load_method("taizhou-city-2022")
    con = ibis.duckdb.connect()
    ey = con.read_parquet(data.enterprise_year, table_name="enterprise_year")
    e = con.read_parquet(data.enterprise, table_name="enterprise")
    raw = con.con
    times: dict[str, float] = {}

    def clock(name: str, fn: Callable[[], Any], repeat: int = 1) -> Any:
        runs = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            out = fn()
            runs.append(time.perf_counter() - t0)
        times[name] = round(statistics.median(runs), 3)
        return out

    expr = clock("build_expr", lambda: engine.build(ey, e, spec, 2022))
    sql = clock("compile_sql", lambda: engine.compile_sql(con, expr))
    engine.clear_cache()
    clock("first_evaluate_to_pyarrow", lambda: engine.evaluate(ey, e, spec, 2022).to_pyarrow())
    clock("repeat_evaluate", lambda: engine.evaluate(ey, e, spec, 2022))
    clock("repeat_evaluate_to_pyarrow", lambda: engine.evaluate(ey, e, spec, 2022).to_pyarrow())
    clock("compiled_sql_on_duckdb", lambda: raw.sql(sql).to_arrow_table(), 3)
    hand = lambda: _permu_sql.evaluate(data.enterprise, data.enterprise_year, raw)  # noqa: E731
    clock("hand_written_sql", hand, 3)
    print(json.dumps({"n": n, "sql_chars": len(sql), **times}, indent=1))

    for name, run in (("compiled SQL", lambda: raw.sql(sql).to_arrow_table()), ("hand", hand)):
        latency, ops = operators(raw, run)
        print(f"{name}: DuckDB latency {latency:.3f} s, {len(ops)} operators; by time:")
        for t, op, rows in sorted(ops, reverse=True)[:8]:
            print(f"  {t:8.3f}  {op:<28} {rows:>12,}")

    engine.clear_cache()
    prof = cProfile.Profile()
    prof.enable()
    engine.evaluate(ey, e, spec, 2022).to_pyarrow()
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(15)


if __name__ == "__main__":
    main()
