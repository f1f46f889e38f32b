"""One measured supply-risk run in its own process: `python _chains_child.py IMPL N T OUT`.

IMPL is
- `ours`: the chain engine's Ibis part, as `ChainsEngine.evaluate` calls it (the screening
  of `engines/chains/screening.py`: purchases, screened shares, concentration and flags, each
  computed once into a temporary table; then the suppliers; each result `to_polars` and put in
  the run's column types and order) on an in-memory DuckDB reading the parquet files, without
  betweenness (its column left empty);
- `pandas`: `_chains_pandas.screen` after `pd.read_parquet` of the columns it needs;
- `duckdb`: the hand-written SQL of `_chains_sql.py`;
- `betweenness`: the engine's network (the distinct supplier → buyer pairs of the purchases,
  an Ibis query) and `engines/chains/network.py::betweenness` (rustworkx) on all of it;
- `sample`: the same pairs, a connected sample of `--sample` nodes (snowball from seeded
  random buyers, induced subgraph), betweenness by the engine (rustworkx) and by networkx's
  `betweenness_centrality` on it, both timed, compared node by node.

N enterprises, T trade rows (the dataset of `_chains_data.py`). Prints one JSON line: wall and
CPU time of the work (imports excluded), peak RSS (VmHWM, KiB: the child's own, see
`_measure.own_peak_kib`) and stage times. The three
result tables go to OUT/<table>.parquet after the clock, for the parent's agreement check.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from _measure import cpu_seconds as _cpu
from _measure import own_peak_kib as _peak_kib

SPEC = "taizhou-supply-risk-2025"
YEAR = 2024
TABLES = ("chain_input", "chain_flag", "chain_supplier")


def engine_fingerprint() -> str:
    """sha256 (12 hex) of src/industry_brain/engines/chains/*.py: the engine version measured."""
    import industry_brain.engines.chains

    folder = Path(industry_brain.engines.chains.__file__).parent
    h = hashlib.sha256()
    for f in sorted(folder.glob("*.py")):
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:12]


def _tables(data: Any) -> Any:
    """The engine's input tables on a fresh in-memory DuckDB, as a workspace gives them."""
    import ibis

    from industry_brain.engines.base import Tables

    con = ibis.duckdb.connect()
    found = {
        "trade": con.read_parquet(data.trade, table_name="trade"),
        "enterprise": con.read_parquet(data.enterprise, table_name="enterprise"),
        "enterprise_year": con.read_parquet(data.enterprise_year, table_name="enterprise_year"),
    }
    return Tables(found.__getitem__, found)


def run_ours(data: Any, spec: Any, timings: dict[str, float]) -> dict[str, Any]:
    from contextlib import ExitStack

    import polars as pl

    from industry_brain.engines.chains import ENGINE
    from industry_brain.engines.chains.contract import _frame
    from industry_brain.engines.chains.screening import screening
    from industry_brain.engines.chains.suppliers import suppliers

    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    tables = _tables(data)
    lap("register")
    with ExitStack() as keep:  # as ChainsEngine.evaluate: the screening kept for the run
        s = screening(tables, spec, YEAR, keep)
        lap("screening")
        found = suppliers(s.purchases, s.screened, tables, spec, YEAR).to_polars()
        lap("chain_supplier")
        inputs = s.concentration.to_polars()
        lap("chain_input")
        flagged = s.flags.to_polars()
        lap("chain_flag")
    order = {r.name: r.order for r in ENGINE.results}
    found = found.with_columns(betweenness=pl.lit(None, pl.Float64))
    out = {
        "chain_input": _frame(inputs, "chain_input", order["chain_input"]),
        "chain_flag": _frame(flagged, "chain_flag", order["chain_flag"]),
        "chain_supplier": _frame(found, "chain_supplier", order["chain_supplier"]),
    }
    lap("frame")
    return out


def run_pandas(data: Any, spec: Any, timings: dict[str, float]) -> dict[str, Any]:
    import pandas as pd

    import _chains_pandas as ref

    t0 = time.perf_counter()
    columns = ["year", "buyer_uscc", "seller_uscc", "seller_name", "seller_region"]
    trade = pd.read_parquet(data.trade, columns=[*columns, "product_code", "amount"])
    register = pd.read_parquet(data.enterprise, columns=["uscc", "region_code", "industry_code"])
    ey = pd.read_parquet(data.enterprise_year)
    ey = ey[ey["year"] == YEAR]
    output = ey.set_index("uscc")["output"].fillna(ey.set_index("uscc")["revenue"]).fillna(0.0)
    t1 = time.perf_counter()
    th = spec.thresholds
    method = ref.Method(
        spec.region[:4], spec.province[:2], th.min_purchase, th.single_source_share,
        th.outside_share, th.critical_share, th.critical_buyers,
    )  # fmt: skip
    out = ref.screen(trade, register, output, method, YEAR)
    timings |= {"read": t1 - t0, "screen": time.perf_counter() - t1}
    return out


def run_duckdb(data: Any, spec: Any, timings: dict[str, float]) -> dict[str, Any]:
    import duckdb

    import _chains_sql

    con = duckdb.connect()
    th = spec.thresholds.model_dump()
    return _chains_sql.evaluate(
        data.trade, data.enterprise, data.enterprise_year, con, year=YEAR,
        city=spec.region[:4], province=spec.province[:2], thresholds=th,
    )  # fmt: skip


def _pairs(data: Any, spec: Any) -> Any:
    from industry_brain.engines.chains.purchases import purchases

    p = purchases(_tables(data), spec, YEAR)
    return p.select("supplier", "buyer_uscc").distinct().to_polars()


def run_betweenness(data: Any, spec: Any, timings: dict[str, float]) -> dict[str, Any]:

    from industry_brain.engines.chains.network import betweenness, graph

    t0 = time.perf_counter()
    pairs = _pairs(data, spec)
    t1 = time.perf_counter()
    network, _ = graph(pairs)  # as network.betweenness builds it, timed apart
    t2 = time.perf_counter()
    timings |= {"pairs": t1 - t0, "graph_build": t2 - t1}
    timings |= {"nodes": network.num_nodes(), "edges": network.num_edges()}
    timings["peak_kib_before"] = _peak_kib()
    progress = Path(os.environ.get("CHAINS_PROGRESS", os.devnull))
    progress.write_text(json.dumps(timings))  # the parent reads it if the clock runs out
    del network
    found = betweenness(pairs)
    timings["betweenness_call"] = time.perf_counter() - t2
    timings["max_betweenness"] = float(found["betweenness"].max() or 0.0)
    return {"betweenness": found}


def snowball(pairs: Any, size: int, seed: int) -> Any:
    """An induced subgraph of about `size` nodes: breadth-first (both directions) from seeded
    random buyers until `size` nodes are reached."""
    import random

    import polars as pl

    pairs = pairs.sort("supplier", "buyer_uscc")  # the query's row order is not fixed
    nbrs: dict[str, list[str]] = {}
    for s, b in pairs.iter_rows():
        nbrs.setdefault(s, []).append(b)
        nbrs.setdefault(b, []).append(s)
    rnd = random.Random(seed)
    buyers = sorted(set(pairs["buyer_uscc"].to_list()))
    taken: set[str] = set()
    frontier: list[str] = []
    while len(taken) < size:
        if not frontier:
            start = rnd.choice(buyers)
            if start in taken:
                continue
            taken.add(start)
            frontier = [start]
        nxt: list[str] = []
        for node in frontier:
            near = nbrs[node][:]
            rnd.shuffle(near)
            for other in near[:20]:  # a hub adds a few of its neighbours, not all
                if other not in taken and len(taken) < size:
                    taken.add(other)
                    nxt.append(other)
        frontier = nxt
    keep = pl.DataFrame({"node": sorted(taken)})
    pairs = pairs.join(keep, left_on="supplier", right_on="node", how="semi")
    return pairs.join(keep, left_on="buyer_uscc", right_on="node", how="semi")


def run_sample(data: Any, spec: Any, timings: dict[str, float], size: int) -> dict[str, Any]:
    import networkx as nx
    import polars as pl

    from industry_brain.engines.chains.network import betweenness

    pairs = _pairs(data, spec)
    sub = snowball(pairs, size, seed=20240)
    t0 = time.perf_counter()
    ours = betweenness(sub)
    t1 = time.perf_counter()
    graph = nx.DiGraph()
    graph.add_edges_from(sub.iter_rows())
    expected = nx.betweenness_centrality(graph, normalized=True)
    t2 = time.perf_counter()
    theirs = pl.DataFrame(
        {"supplier": list(expected), "networkx": [float(v) for v in expected.values()]}
    )
    both = ours.join(theirs, on="supplier", how="full", coalesce=True)
    diff = (both["betweenness"] - both["networkx"]).abs()
    timings |= {
        "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
        "rustworkx": t1 - t0, "networkx": t2 - t1,
        "max_abs_diff": float(diff.max() or 0.0), "missing": int(diff.is_null().sum()),
        "max_betweenness": float(both["networkx"].max() or 0.0),
        "agrees": bool(diff.null_count() == 0 and float(diff.max() or 0.0) <= 1e-9),
    }  # fmt: skip
    return {"sample_betweenness": both}


def _save(result: dict[str, Any], out: Path) -> dict[str, int]:
    import pandas as pd
    import polars as pl

    from industry_brain.engines.chains.tables import SCHEMAS

    out.mkdir(parents=True, exist_ok=True)
    rows = {}
    for name, frame in result.items():
        if isinstance(frame, pd.DataFrame):
            frame = pl.from_pandas(frame.reset_index(drop=True))
        elif not isinstance(frame, pl.DataFrame):
            frame = pl.from_arrow(frame)
        if name in SCHEMAS:
            if "betweenness" not in frame.columns and name == "chain_supplier":
                frame = frame.with_columns(betweenness=pl.lit(None, pl.Float64))
            frame = frame.select(list(SCHEMAS[name])).cast(SCHEMAS[name])  # type: ignore[arg-type]
        frame.write_parquet(out / f"{name}.parquet")
        rows[name] = frame.height
    return rows


RUNNERS = {"ours": run_ours, "pandas": run_pandas, "duckdb": run_duckdb}
RUNNERS |= {"betweenness": run_betweenness}
IBIS = ["ibis", "ibis.backends.duckdb", "polars", "industry_brain.engines.chains"]
IMPORTS = {
    # ours: also what ibis imports on first use (its DuckDB backend, the arrow/polars converters)
    "ours": [*IBIS, "pyarrow", "ibis.formats.pyarrow", "ibis.formats.polars"],
    "pandas": ["pandas", "pyarrow", "_chains_pandas", "industry_brain.engines.chains"],
    "duckdb": ["duckdb", "pyarrow", "_chains_sql", "industry_brain.engines.chains"],
    "betweenness": [*IBIS, "rustworkx"],
    "sample": [*IBIS, "rustworkx", "networkx"],
}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("impl", choices=[*RUNNERS, "sample"])
    p.add_argument("n", type=int)
    p.add_argument("t", type=int)
    p.add_argument("out", type=Path)
    p.add_argument("--sample", type=int, default=2000)
    args = p.parse_args()
    t0 = time.perf_counter()
    for name in IMPORTS[args.impl]:
        __import__(name)
    import_seconds = time.perf_counter() - t0
    from _chains_data import chains_dataset
    from industry_brain.engines.chains.spec import load_spec

    spec = load_spec(SPEC)
    data = chains_dataset(args.n, args.t)
    res: dict[str, Any] = {"impl": args.impl, "n": args.n, "t": args.t}
    res |= {"import_seconds": import_seconds, "import_peak_kib": _peak_kib()}
    res |= {"load_before": os.getloadavg()[0], "engine_sha": engine_fingerprint()}
    try:
        timings: dict[str, float] = {}
        cpu0, w0 = _cpu(), time.perf_counter()
        if args.impl == "sample":
            result = run_sample(data, spec, timings, args.sample)
        else:
            result = RUNNERS[args.impl](data, spec, timings)
        seconds, cpu = time.perf_counter() - w0, _cpu() - cpu0
        res |= {"ok": True, "seconds": seconds, "cpu_seconds": cpu, "peak_kib": _peak_kib()}
        res["stages"] = timings
        rows = _save(result, args.out)
        res["result_rows"] = sum(rows.values())
        res["rows"] = rows
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        res |= {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
        res["peak_kib"] = _peak_kib()
        traceback.print_exc(file=sys.stderr)
    print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
