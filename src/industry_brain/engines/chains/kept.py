"""A result computed once and read many times during a run: kept in a temporary table of the
backend the run reads from (DuckDB or PostgreSQL), dropped when the run ends.

Ibis's own `Table.cache()` would do, but its release fails on this Ibis and DuckDB (the drop
statement it builds does not parse), so the table is created and dropped here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import uuid4

from ibis.expr.types import Table


@contextmanager
def kept(expr: Table) -> Iterator[Table]:
    backend = expr.get_backend()
    name = f"ib_chains_{uuid4().hex}"
    table = backend.create_table(name, expr, temp=True)
    try:
        yield table
    finally:
        done = backend.raw_sql(f'DROP TABLE IF EXISTS "{name}"')
        if done is not getattr(backend, "con", None) and hasattr(done, "close"):
            done.close()  # a PostgreSQL cursor; DuckDB answers with its connection itself
