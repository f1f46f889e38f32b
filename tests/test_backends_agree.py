"""The same small city gives the same results on DuckDB and on PostgreSQL: every 亩均 score,
grade, rank and item (floats to 1e-9: the databases sum in different orders), and the same
plan-monitoring table. The PostgreSQL
server is a throwaway one (conftest `postgres`)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from industry_brain.engines.permu.spec import load_method
from industry_brain.engines.progress.actuals import plan_actuals
from industry_brain.engines.progress.catalog import load_plan
from industry_brain.engines.progress.entry import import_entries
from industry_brain.engines.progress.monitor import monitor
from industry_brain.runs.permu import run_permu
from industry_brain.workspace import Workspace

SEED, SCALE, YEARS = 11, 0.01, [2021, 2022]
METHOD, PLAN = "taizhou-city-2022", "taizhou-14th-fyp"


def city(root: Path, database_url: str) -> tuple[Workspace, Any]:
    from helpers import load_city

    ws, manifest = load_city(root, seed=SEED, scale=SCALE, database_url=database_url, years=YEARS)
    plan = load_plan(PLAN)
    for f in manifest.files:
        if f.source == "plan_actuals":
            assert import_entries(ws, root / "inbox" / f.path, plan, "test").valid
    return ws, manifest


@pytest.fixture(scope="module")
def cities(
    tmp_path_factory: pytest.TempPathFactory, postgres: Any
) -> Iterator[dict[str, Workspace]]:
    duck, _ = city(tmp_path_factory.mktemp("duck"), "")
    pg, _ = city(tmp_path_factory.mktemp("pg"), postgres.new_database())
    assert duck.con.dialect == "duckdb" and pg.con.dialect == "postgres"
    yield {"duckdb": duck, "postgres": pg}
    duck.close()
    pg.close()


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def differences(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first few rows that differ, as {column: (DuckDB's, PostgreSQL's)}."""
    assert len(a) == len(b)
    found = [
        {k: (x[k], y.get(k)) for k in x if not same(x[k], y.get(k))} | {"row": i}
        for i, (x, y) in enumerate(zip(a, b, strict=True))
        if not same(x, y)
    ]
    return found[:5]


def stored(ws: Workspace, table: str, run_id: int, order: list[str]) -> list[dict[str, Any]]:
    t = ws.con.table(table)
    return t.filter(t.run_id == run_id).order_by(order).to_pyarrow().to_pylist()


def test_the_warehouses_hold_the_same_reconciled_figures(cities):
    for table, key in (("enterprise", ["uscc"]), ("enterprise_year", ["uscc", "year"])):
        duck, pg = (
            cities[b].con.table(table).order_by(key).to_pyarrow().to_pylist() for b in cities
        )
        assert len(duck) > 100
        assert differences(duck, pg) == [], table


def test_permu_runs_agree(cities):
    runs = {b: run_permu(ws.con, load_method(METHOD), 2022) for b, ws in cities.items()}
    duck, pg = runs["duckdb"], runs["postgres"]
    assert duck.scores.height > 100 and duck.scores.height == pg.scores.height
    for frame in ("scores", "items", "prices"):
        a, b = (getattr(r, frame).to_dicts() for r in (duck, pg))
        assert differences(a, b) == [], frame
    # result_sha256 is not compared: it hashes floats to 12 decimals, and the two databases sum
    # in different orders (benchmarks, totals differ in the last bit, ~1e-14)
    for table, order in (
        ("permu_score", ["uscc"]),
        ("permu_item", ["uscc", "indicator"]),
        ("permu_price", ["uscc", "resource"]),
    ):
        a, b = (stored(cities[k], table, runs[k].run_id, order) for k in runs)
        assert differences(a, b) == [], table


def test_monitoring_tables_agree(cities):
    plan = load_plan(PLAN)
    views = {}
    for backend, ws in cities.items():
        actuals = plan_actuals(ws.con, plan)
        m = monitor(ws.con, plan, max(YEARS), actuals=actuals)
        views[backend] = {"rows": m.rows(), "rollup": m.rollup(), "notes": list(m.notes)}
    assert len(views["duckdb"]["rows"]) > 10
    assert differences([views["duckdb"]], [views["postgres"]]) == []
