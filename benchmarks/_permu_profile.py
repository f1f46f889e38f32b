"""Where ours spends its time: `uv run python benchmarks/_permu_profile.py [N]`.

Times, in one process: building the ibis expression, compiling it to SQL (twice: the second
compile shows any caching), `to_pyarrow`, and the same compiled SQL run directly on the
DuckDB connection (no ibis), and the hand-written query for comparison; then the top operators
of DuckDB's profile of the compiled SQL and the top functions of a cProfile of the compile.
"""

from __future__ import annotations

import cProfile
import json
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> None:
    import ibis

    import _permu_sql
    from _permu_data import permu_dataset
    from industry_brain.permu.engine import evaluate
    from industry_brain.permu.spec import load_method

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    data = permu_dataset(n)
    spec = load_method("taizhou-city-2022")
    con = ibis.duckdb.connect()
    ey = con.read_parquet(data.enterprise_year, table_name="enterprise_year")
    e = con.read_parquet(data.enterprise, table_name="enterprise")
    times: dict[str, float] = {}

    def clock(name: str, fn: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        out = fn()
        times[name] = round(time.perf_counter() - t0, 3)
        return out

    expr = clock("build_expr", lambda: evaluate(ey, e, spec, 2022))
    sql = clock("compile_1", lambda: con.compile(expr))
    clock("compile_2", lambda: con.compile(expr))
    clock("to_pyarrow", expr.to_pyarrow)
    raw = con.con
    clock("compiled_sql_on_duckdb", lambda: raw.sql(sql).to_arrow_table())
    clock(
        "hand_written_sql", lambda: _permu_sql.evaluate(data.enterprise, data.enterprise_year, raw)
    )
    print(json.dumps({"n": n, "sql_chars": len(sql), **times}, indent=1))

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile.json"
        raw.execute("PRAGMA enable_profiling = 'json'")
        raw.execute(f"PRAGMA profiling_output = '{out}'")
        raw.sql(sql).to_arrow_table()
        raw.execute("PRAGMA disable_profiling")
        ops: list[tuple[float, str, int]] = []

        def walk(node: dict) -> None:  # type: ignore[type-arg]
            name = node.get("operator_name") or node.get("name") or "?"
            ops.append(
                (node.get("operator_timing", 0.0), name, node.get("operator_cardinality", 0))
            )
            for child in node.get("children", []):
                walk(child)

        walk(json.loads(out.read_text()))
    print("DuckDB operators by time (s, operator, rows out):")
    for t, name, rows in sorted(ops, reverse=True)[:12]:
        print(f"  {t:8.3f}  {name:<28} {rows:>12,}")
    print(f"  operators: {len(ops)}")

    prof = cProfile.Profile()
    prof.enable()
    evaluate(ey, e, spec, 2022).to_pyarrow() if n <= 10_000 else con.compile(
        evaluate(ey, e, spec, 2022)
    )
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(15)


if __name__ == "__main__":
    main()
