"""Transactions: all or nothing, and re-entrant — a step made of steps (an appeal's override,
run and publication) commits or rolls back as one. Statements take user text as parameters."""

import pytest

from industry_brain.warehouse import connect, execute, transaction


@pytest.fixture
def con(tmp_path):
    con = connect(tmp_path / "w.duckdb", migrate_schema=False)
    con.raw_sql("CREATE TABLE t (x VARCHAR)")
    return con


def rows(con) -> list[str]:
    return sorted(r["x"] for r in con.table("t").to_pyarrow().to_pylist())


def test_an_inner_transaction_joins_the_outer_one(con):
    with pytest.raises(RuntimeError), transaction(con):
        execute(con, "INSERT INTO t VALUES (?)", ["outer"])
        with transaction(con):
            execute(con, "INSERT INTO t VALUES (?)", ["inner"])
        raise RuntimeError("a later step failed")
    assert rows(con) == []  # the inner step's work went with the outer one


def test_nested_transactions_commit_together(con):
    with transaction(con):
        with transaction(con):
            execute(con, "INSERT INTO t VALUES (?)", ["a"])
        execute(con, "INSERT INTO t VALUES (?)", ["b"])
    assert rows(con) == ["a", "b"]
    with transaction(con):  # and the connection is usable again
        execute(con, "INSERT INTO t VALUES (?)", ["c"])
    assert rows(con) == ["a", "b", "c"]


def test_parameters_are_never_sql(con):
    text = "x'); DROP TABLE t; --\x00"
    execute(con, "INSERT INTO t VALUES (?)", [text])
    assert rows(con) == [text]
