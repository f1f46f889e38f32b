"""Where the supply-risk engine's Ibis part spends its time:
`uv run python benchmarks/_chains_profile.py N T [--repeat 3]`.

In one process, on the dataset of N enterprises and T trade rows (`_chains_data.py`):

1. each query the engine runs (chain_supplier, chain_input, chain_flag, and the betweenness
   network's pairs): building the Ibis expression, compiling it to SQL, DuckDB running the
   compiled SQL to Arrow, and `to_polars` (compile + run + convert), each the median of
   `--repeat`;
2. the same three tables with the purchases and the screened shares materialised once
   (`Table.cache()`, a temporary table in the same DuckDB) instead of recomputed by every query;
3. the hand-written SQL's statements, timed apart (`_chains_sql.py`);
4. DuckDB's operators by time for the engine's purchases query and the hand-written one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def operators(raw: Any, sql: str) -> tuple[float, list[tuple[float, str, int]]]:
    """DuckDB's latency of `sql` and its operators (time, name, rows out)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile.json"
        raw.execute("PRAGMA enable_profiling = 'json'")
        raw.execute(f"PRAGMA profiling_output = '{out}'")
        raw.sql(sql).to_arrow_table()
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
    import importlib

    for name in ("ibis.backends.duckdb.converter", "ibis.formats.polars", "ibis.formats.pyarrow"):
        importlib.import_module(name)  # what ibis imports on first use: not timed

    import _chains_sql
    from _chains_child import YEAR, _tables
    from _chains_data import chains_dataset
    from industry_brain.engines.chains.concentration import concentration, screened
    from industry_brain.engines.chains.flags import flags
    from industry_brain.engines.chains.purchases import purchases
    from industry_brain.engines.chains.spec import load_spec
    from industry_brain.engines.chains.suppliers import suppliers

    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("t", type=int)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    data = chains_dataset(args.n, args.t)
    spec = load_spec("taizhou-supply-risk-2025")
    tables = _tables(data)
    con = tables["trade"]._find_backend()
    raw = con.con
    times: dict[str, Any] = {}

    def clock(name: str, fn: Callable[[], Any]) -> Any:
        runs = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            out = fn()
            runs.append(time.perf_counter() - t0)
        times[name] = round(statistics.median(runs), 3)
        print(f"{name}: {times[name]}", flush=True)
        return out

    def build() -> dict[str, Any]:
        p = purchases(tables, spec, YEAR)
        s = screened(p, spec)
        return {
            "chain_supplier": suppliers(p, s, tables, spec, YEAR),
            "chain_input": concentration(s),
            "chain_flag": flags(s, concentration(s), spec),
            "pairs": p.select("supplier", "buyer_uscc").distinct(),
            "purchases": p,
        }

    exprs = clock("build all expressions", build)
    for name, expr in exprs.items():
        sql = clock(f"{name}: compile", lambda e=expr: con.compile(e))
        clock(f"{name}: DuckDB runs the SQL → arrow", lambda q=sql: raw.sql(q).to_arrow_table())
        clock(f"{name}: to_polars", lambda e=expr: e.to_polars())
        times[f"{name}: SQL chars"] = len(sql)
    three = ("chain_supplier", "chain_input", "chain_flag")
    times["three tables: to_polars (sum)"] = round(sum(times[f"{k}: to_polars"] for k in three), 3)

    def cached() -> None:
        p = purchases(tables, spec, YEAR).cache()
        s = screened(p, spec).cache()
        suppliers(p, s, tables, spec, YEAR).to_polars()
        c = concentration(s)
        c.to_polars()
        flags(s, c, spec).to_polars()
        p.select("supplier", "buyer_uscc").distinct().to_polars()
        for table in (s, p):
            try:
                table.release()
            except Exception as exc:  # ibis 12 with sqlglot 30 renders DROP without the name
                times["release failed"] = f"{type(exc).__name__}: {exc}"

    clock("purchases and screened cached: three tables + pairs", cached)

    def hand() -> None:
        _chains_sql.evaluate(
            data.trade, data.enterprise, data.enterprise_year, raw, year=YEAR,
            thresholds=spec.thresholds.model_dump(),
        )  # fmt: skip

    clock("hand-written SQL: all", hand)

    def run(text: str) -> Any:
        query = text.lstrip().startswith(("SELECT", "WITH"))
        return raw.sql(text).to_arrow_table() if query else raw.execute(text)

    values = dict(
        trade=data.trade, enterprise=data.enterprise, enterprise_year=data.enterprise_year,
        year=YEAR, city="3310", province="33",
        **{k: repr(v) for k, v in spec.thresholds.model_dump().items()},
    )  # fmt: skip
    for name, q in (
        ("purchases", _chains_sql.PURCHASES),
        ("screened", _chains_sql.SCREENED),
        ("chain_input", _chains_sql.CHAIN_INPUT),
        ("chain_flag", _chains_sql.CHAIN_FLAG),
        ("chain_supplier", _chains_sql.CHAIN_SUPPLIER),
    ):
        text = q.format(**values)
        clock(f"hand-written SQL: {name}", lambda s=text: run(s))
    print(json.dumps({"n": args.n, "t": args.t, **times}, indent=1, ensure_ascii=False))

    ours = con.compile(exprs["purchases"])
    theirs = _chains_sql.PURCHASES.format(**values).split(" AS\n", 1)[1]
    for name, sql in (("engine's purchases", ours), ("hand-written purchases", theirs)):
        latency, ops = operators(raw, sql)
        print(f"{name}: DuckDB latency {latency:.3f} s, {len(ops)} operators; by time:")
        for t, op, rows in sorted(ops, reverse=True)[:6]:
            print(f"  {t:8.3f}  {op:<28} {rows:>12,}")


if __name__ == "__main__":
    main()
