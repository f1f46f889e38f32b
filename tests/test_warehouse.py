"""The Warehouse handle behaves the same on DuckDB and on PostgreSQL: `?` parameters, re-entrant
transactions of its own, frames inserted by column name, read-only opening, tables whose
aggregates read NULL from an empty table, and the SQL Ibis writes for PostgreSQL."""

from __future__ import annotations

import datetime as dt

import ibis
import polars as pl
import pytest

from industry_brain.warehouse import Warehouse, connect
from industry_brain.warehouse.dialect import postgres_params


@pytest.fixture(params=["duckdb", "postgres"])
def url(request, tmp_path) -> str:
    if request.param == "duckdb":
        return str(tmp_path / "w.duckdb")
    return str(request.getfixturevalue("postgres").new_database())


@pytest.fixture
def con(url) -> Warehouse:
    con = connect(url, migrate_schema=False)
    con.raw_sql(
        'CREATE TABLE t (id INTEGER NOT NULL, x VARCHAR, "group" VARCHAR, v DOUBLE PRECISION, '
        "ok BOOLEAN, seen TIMESTAMP)"
    )
    return con


def test_placeholders_become_psycopgs_outside_quoted_text():
    sql = "SELECT '?', \"a?\" FROM t WHERE x LIKE '10%' AND y = ? AND z = ?"
    assert postgres_params(sql) == (
        "SELECT '?', \"a?\" FROM t WHERE x LIKE '10%%' AND y = %s AND z = %s"
    )


def test_parameters_and_fetch(con):
    con.execute("INSERT INTO t (id, x, v) VALUES (?, ?, ?)", [1, "a'); DROP TABLE t; --", 0.1])
    con.execute("INSERT INTO t (id, x, v) VALUES (?, '50%', ?)", [2, None])
    rows = con.fetch("SELECT id, x, v FROM t WHERE x LIKE '%DROP%' OR x = ? ORDER BY id", ["50%"])
    assert rows == [
        {"id": 1, "x": "a'); DROP TABLE t; --", "v": 0.1},
        {"id": 2, "x": "50%", "v": None},
    ]


def test_transactions_are_reentrant_and_the_handles_own(con, url):
    other = connect(url, migrate_schema=False)
    with pytest.raises(RuntimeError), con.transaction():
        con.execute("INSERT INTO t (id) VALUES (?)", [1])
        with con.transaction():
            con.execute("INSERT INTO t (id) VALUES (?)", [2])
        assert con.depth == 1 and other.depth == 0
        raise RuntimeError("a later step failed")
    assert con.depth == 0 and con.fetch("SELECT count(*) AS n FROM t") == [{"n": 0}]
    with con.transaction():
        con.execute("INSERT INTO t (id) VALUES (?)", [3])
    assert con.fetch("SELECT id FROM t") == [{"id": 3}]


def test_an_error_inside_a_transaction_rolls_it_back_and_the_handle_goes_on(con):
    with pytest.raises(Exception, match=r"(?i)does not exist|not found"), con.transaction():
        con.execute("INSERT INTO t (id) VALUES (?)", [1])
        con.raw_sql("SELECT * FROM no_such_table")
    assert con.depth == 0 and con.fetch("SELECT count(*) AS n FROM t") == [{"n": 0}]
    con.execute("INSERT INTO t (id) VALUES (?)", [2])
    assert con.fetch("SELECT id FROM t") == [{"id": 2}]


def test_frames_are_inserted_by_column_name(con):
    at = dt.datetime(2026, 1, 5, 9, 30)
    frame = pl.DataFrame(
        {"v": [0.1 + 0.2, None], "id": [1, 2], "ok": [True, None], "seen": [at, None]}
    ).with_columns(x=pl.lit(None), group=pl.Series(["甲", None]))
    con.insert("t", frame)
    con.insert("t", frame.head(1).to_arrow())
    rows = con.table("t").order_by("id").to_pyarrow().to_pylist()
    assert rows[0] == {"id": 1, "x": None, "group": "甲", "v": 0.1 + 0.2, "ok": True, "seen": at}
    assert rows[1] == rows[0] and rows[2]["v"] is None and len(rows) == 3
    con.insert("t", frame.tail(1), overwrite=True)
    assert con.table("t").id.to_pyarrow().to_pylist() == [2]


def test_the_max_of_an_empty_not_null_column_is_none(con):
    assert con.table("t").id.max().to_pyarrow().as_py() is None


def test_a_changed_table_is_seen(con):
    assert "y" not in con.table("t").columns
    con.raw_sql("ALTER TABLE t ADD COLUMN y INTEGER")
    assert "y" in con.table("t").columns


def test_read_only_opening_refuses_writes(con, url):
    con.execute("INSERT INTO t (id) VALUES (?)", [1])
    if con.dialect == "duckdb":
        con.disconnect()  # DuckDB: one process opens a file read-write or many read-only
    reader = connect(url, read_only=True)
    assert reader.read_only and reader.fetch("SELECT id FROM t") == [{"id": 1}]
    with pytest.raises(Exception, match=r"(?i)read.only"):
        reader.execute("INSERT INTO t (id) VALUES (?)", [2])


def test_window_filters_and_integer_division_on_either_database(con):
    """PostgreSQL has no QUALIFY: Ibis's rewrite failed before `postgres_sql` fixed it. (The
    division fix shows in the 亩均 percentile: tests/test_backends_agree.py.)"""
    con.insert("t", pl.DataFrame({"id": [1, 2, 3, 4], "x": ["a", "a", "b", "b"]}))
    t = con.table("t")
    newest = t.filter(t.id == t.id.max().over(group_by=t.x))  # QUALIFY on DuckDB
    n = ibis.row_number().over(group_by=t.x, order_by=t.id)
    share = t.mutate(rank=(n + 1).cast("int64"), size=t.count().over(group_by=t.x))
    share = share.mutate(p=share["rank"] / share["size"]).filter(_first(share))
    assert sorted(newest.id.to_pyarrow().to_pylist()) == [2, 4]
    assert sorted(share.p.to_pyarrow().to_pylist()) == [0.5, 0.5]


def _first(t: ibis.Table) -> ibis.Value:
    return t["rank"] == 1


def test_division_by_zero_gives_infinity_as_duckdb_does(con):
    con.insert("t", pl.DataFrame({"id": [1, -1, 0, 2], "v": [0.0, 0.0, 0.0, 4.0]}))
    t = con.table("t")
    got = t.select("id", q=t.id / t.v, r=t.id / (t.id - t.id)).order_by("id").to_pyarrow()
    q, r = got["q"].to_pylist(), got["r"].to_pylist()
    assert q[0] == float("-inf") and q[1] != q[1] and q[2] == float("inf") and q[3] == 0.5
    assert r[0] == float("-inf") and r[3] == float("inf")
